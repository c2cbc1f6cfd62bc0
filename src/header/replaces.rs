//! The Replaces header ([RFC 3891 §6.1](https://www.rfc-editor.org/rfc/rfc3891#section-6.1)).

use std::borrow::Cow;
use std::fmt;

use super::param_check::{self, flag, token};
use super::{CallId, Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::{InvalidParam, Params};
use crate::syntax::{self, WORD};

/// `Replaces: 425928@bobster.example.org;to-tag=7743;from-tag=6472`: the
/// dialog an INVITE is to replace (attended transfer, call pickup), by its
/// Call-ID and tags, optionally only while that dialog is early.
///
/// Parsing requires `to-tag` and `from-tag`
/// ([`HeaderErrorKind::MissingParam`]), checks that they are tokens (each
/// once) and that `early-only` has no value.
///
/// ```
/// use imsip::header::{Replaces, TypedHeader};
///
/// let r = Replaces::parse("425928@bobster.example.org;to-tag=7743;from-tag=6472").unwrap();
/// assert_eq!(r.call_id.as_str(), "425928@bobster.example.org");
/// assert_eq!((r.to_tag(), r.from_tag()), (Some("7743"), Some("6472")));
/// assert!(!r.early_only());
/// assert!(Replaces::parse("425928@bobster.example.org;to-tag=7743").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaces<'a> {
    /// The Call-ID of the dialog to replace.
    pub call_id: CallId<'a>,
    /// The parameters (`to-tag`, `from-tag`, `early-only`, others).
    pub params: Params<'a>,
}

impl<'a> Replaces<'a> {
    /// The dialog `call_id` with `to_tag` and `from_tag` (tokens).
    ///
    /// # Errors
    /// [`InvalidParam`] when a tag is not a token.
    pub fn new(call_id: CallId<'a>, to_tag: &str, from_tag: &str) -> Result<Self, InvalidParam> {
        if !syntax::is_token(to_tag.as_bytes()) || !syntax::is_token(from_tag.as_bytes()) {
            return Err(InvalidParam);
        }
        let mut params = Params::header();
        params.push("to-tag", Some(to_tag))?;
        params.push("from-tag", Some(from_tag))?;
        Ok(Replaces { call_id, params })
    }

    /// The `to-tag` parameter: the tag of the To header of the dialog as
    /// the sender of the Replaces sees it.
    pub fn to_tag(&self) -> Option<&str> {
        self.params.value("to-tag")
    }

    /// The `from-tag` parameter.
    pub fn from_tag(&self) -> Option<&str> {
        self.params.value("from-tag")
    }

    /// Whether `early-only` is present: replace the dialog only while it
    /// is early.
    pub fn early_only(&self) -> bool {
        self.params.contains("early-only")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Replaces<'static> {
        Replaces {
            call_id: self.call_id.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for Replaces<'a> {
    const NAME: HeaderName = HeaderName::Replaces;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let start = c.pos;
        c.scan(WORD);
        if c.pos == start {
            let kind = if c.peek().is_none() {
                HeaderErrorKind::Empty
            } else {
                HeaderErrorKind::Token
            };
            return Err(c.error(kind));
        }
        if c.eat(b'@') {
            let host = c.pos;
            c.scan(WORD);
            if c.pos == host {
                return Err(c.error(HeaderErrorKind::Token));
            }
        }
        let call_id = CallId::new(Cow::Borrowed(&value[start..c.pos]))
            .ok_or(HeaderError::new(HeaderErrorKind::Token, start))?;
        let params_at = c.pos;
        let params = param_check::params(
            &mut c,
            &["to-tag", "from-tag", "early-only"],
            |name, v| match name {
                "early-only" => flag(v),
                _ => token(v),
            },
        )?;
        c.finish()?;
        if !params.contains("to-tag") || !params.contains("from-tag") {
            return Err(HeaderError::new(HeaderErrorKind::MissingParam, params_at));
        }
        Ok(Replaces { call_id, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.call_id.as_str().as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for Replaces<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3891 §6.1 and the attended transfer examples of RFC 5589.
        for (text, call_id, to_tag, from_tag, early) in [
            (
                "98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff",
                "98732@sip.example.com",
                "ff87ff",
                "r33th4x0r",
                false,
            ),
            (
                "425928@bobster.example.org;to-tag=7743;from-tag=6472",
                "425928@bobster.example.org",
                "7743",
                "6472",
                false,
            ),
            (
                "12345600@atlanta.example.com;from-tag=1234567;to-tag=12345;early-only",
                "12345600@atlanta.example.com",
                "12345",
                "1234567",
                true,
            ),
            (
                "a84b4c76e66710 ;\r\n to-tag = 314159 ; from-tag = 1928301774",
                "a84b4c76e66710",
                "314159",
                "1928301774",
                false,
            ),
        ] {
            let r = Replaces::parse(text).unwrap();
            assert_eq!(r.call_id.as_str(), call_id, "{text}");
            assert_eq!(r.to_tag(), Some(to_tag), "{text}");
            assert_eq!(r.from_tag(), Some(from_tag), "{text}");
            assert_eq!(r.early_only(), early, "{text}");
            assert_eq!(Replaces::parse(&r.to_string()).unwrap(), r, "{text}");
        }
    }

    #[test]
    fn canonical() {
        let r = Replaces::parse("a84b4c76e66710 ;\r\n to-tag = 314159 ; from-tag = 1928301774")
            .unwrap();
        assert_eq!(
            r.to_string(),
            "a84b4c76e66710;to-tag=314159;from-tag=1928301774"
        );
        let built = Replaces::new(
            CallId::new("a84b4c76e66710").unwrap(),
            "314159",
            "1928301774",
        )
        .unwrap();
        assert_eq!(built, r);
        assert!(Replaces::new(CallId::new("x").unwrap(), "a b", "c").is_err());
        assert!(Replaces::new(CallId::new("x").unwrap(), "[::1]", "c").is_err());
        assert_eq!(r.clone().into_owned(), r);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            (";to-tag=1;from-tag=2", HeaderErrorKind::Token),
            ("abc@;to-tag=1;from-tag=2", HeaderErrorKind::Token),
            ("abc;to-tag=1", HeaderErrorKind::MissingParam),
            ("abc;from-tag=2", HeaderErrorKind::MissingParam),
            ("abc", HeaderErrorKind::MissingParam),
            ("abc;to-tag=1;from-tag=\"2\"", HeaderErrorKind::ParamValue),
            ("abc;to-tag;from-tag=2", HeaderErrorKind::ParamValue),
            (
                "abc;to-tag=1;from-tag=2;early-only=yes",
                HeaderErrorKind::ParamValue,
            ),
            (
                "abc;to-tag=1;to-tag=1;from-tag=2",
                HeaderErrorKind::DuplicateParam,
            ),
            ("a b;to-tag=1;from-tag=2", HeaderErrorKind::Trailing),
            ("a@b@c;to-tag=1;from-tag=2", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(Replaces::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
