//! The Retry-After header ([RFC 3261 §20.33](https://www.rfc-editor.org/rfc/rfc3261#section-20.33)).

use std::borrow::Cow;
use std::fmt;

use super::keyword::{number_value, overflow_error};
use super::server::parse_comment;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;

/// `Retry-After: 120 (I'm in a meeting);duration=3600`: when to try again,
/// in seconds from the response, with an optional comment and parameters.
///
/// The number and the `duration` parameter are 0 to 2³²−1; a larger one is
/// [`HeaderErrorKind::OutOfRange`] (RFC 4475 §3.1.2.5).
///
/// ```
/// use imsip::header::{RetryAfter, TypedHeader};
///
/// // RFC 3261 §20.33.
/// let r = RetryAfter::parse("18000;duration=3600").unwrap();
/// assert_eq!((r.seconds, r.duration()), (18000, Some(3600)));
/// let r = RetryAfter::parse("120 (I'm in a meeting)").unwrap();
/// assert_eq!(r.comment.as_deref(), Some("I'm in a meeting"));
/// assert!(RetryAfter::parse("949302838503028349304023988").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryAfter<'a> {
    /// Seconds after the response.
    pub seconds: u32,
    /// The comment: its text between the outer parentheses as written
    /// (nested comments and quoted-pairs kept, folds made single spaces).
    pub comment: Option<Cow<'a, str>>,
    /// The parameters (`duration` and others).
    pub params: Params<'a>,
}

impl<'a> RetryAfter<'a> {
    /// `seconds` without comment or parameters.
    pub fn new(seconds: u32) -> Self {
        RetryAfter {
            seconds,
            comment: None,
            params: Params::header(),
        }
    }

    /// The `duration` parameter: for how long, in seconds, the callee will
    /// be reachable from then on.
    pub fn duration(&self) -> Option<u32> {
        self.params
            .value("duration")
            .and_then(|v| syntax::parse_u32(v.as_bytes()).ok())
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> RetryAfter<'static> {
        RetryAfter {
            seconds: self.seconds,
            comment: self.comment.map(|c| Cow::Owned(c.into_owned())),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for RetryAfter<'a> {
    const NAME: HeaderName = HeaderName::RetryAfter;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let seconds = c.number()?;
        let after = c.pos;
        c.skip_lws();
        let comment = if c.peek() == Some(b'(') {
            Some(parse_comment(&mut c)?)
        } else {
            c.pos = after;
            None
        };
        let mut overflow = false;
        let params = c
            .params_checked(|name, value| {
                if !name.eq_ignore_ascii_case("duration") {
                    return true;
                }
                number_value(value, u32::MAX, &mut overflow)
            })
            .map_err(|e| overflow_error(e, overflow))?;
        c.finish()?;
        Ok(RetryAfter {
            seconds,
            comment,
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.seconds));
        if let Some(comment) = &self.comment {
            dst.extend_from_slice(b" (");
            dst.extend_from_slice(comment.as_bytes());
            dst.push(b')');
        }
        self.params.encode(dst);
    }
}

impl fmt::Display for RetryAfter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3261 §20.33 and §25.1.
        for (text, seconds, comment, duration, canonical) in [
            (
                "18000;duration=3600",
                18000,
                None,
                Some(3600),
                "18000;duration=3600",
            ),
            (
                "120 (I'm in a meeting)",
                120,
                Some("I'm in a meeting"),
                None,
                "120 (I'm in a meeting)",
            ),
            ("0", 0, None, None, "0"),
            (
                "10( I'm in a meeting );par1=test;duration= 100 ; par2",
                10,
                Some(" I'm in a meeting "),
                Some(100),
                "10 ( I'm in a meeting );par1=test;duration=100;par2",
            ),
            (
                "99999999 (This (\"is a\") \\(comment);par1",
                99_999_999,
                Some("This (\"is a\") \\(comment"),
                None,
                "99999999 (This (\"is a\") \\(comment);par1",
            ),
            ("5 (a\r\n b)", 5, Some("a b"), None, "5 (a b)"),
            ("4294967295", u32::MAX, None, None, "4294967295"),
        ] {
            let r = RetryAfter::parse(text).unwrap();
            assert_eq!(
                (r.seconds, r.comment.as_deref(), r.duration()),
                (seconds, comment, duration),
                "{text:?}"
            );
            assert_eq!(r.to_string(), canonical);
        }
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            // RFC 4475 §3.1.2.5 (scalarlg).
            ("949302838503028349304023988", HeaderErrorKind::OutOfRange),
            ("4294967296", HeaderErrorKind::OutOfRange),
            ("1;duration=4294967296", HeaderErrorKind::OutOfRange),
            ("1;duration=x", HeaderErrorKind::ParamValue),
            ("1;duration", HeaderErrorKind::ParamValue),
            ("", HeaderErrorKind::Empty),
            ("-1", HeaderErrorKind::Number),
            ("soon", HeaderErrorKind::Number),
            ("1 (unclosed", HeaderErrorKind::Expected(b')')),
            ("1 (a) (b)", HeaderErrorKind::Trailing),
            ("1 2", HeaderErrorKind::Trailing),
            ("1;", HeaderErrorKind::Param),
        ] {
            assert_eq!(
                RetryAfter::parse(text).unwrap_err().kind(),
                kind,
                "{text:?}"
            );
        }
    }
}
