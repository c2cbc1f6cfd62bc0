//! The Accept-Language header ([RFC 3261 §20.3](https://www.rfc-editor.org/rfc/rfc3261#section-20.3)).

use std::borrow::Cow;
use std::fmt;

use super::accept::{Q_ONE, q_of, q_param_ok};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, QValue, TypedHeader};
use crate::params::Params;
use crate::syntax::{self, ALPHA};

/// One element of an Accept-Language header: a language range (`en-gb`, or
/// `*` for any) with accept parameters such as `q`.
///
/// The range follows RFC 3261 §25.1, `1*8ALPHA *("-" 1*8ALPHA)`; parsing
/// checks that `q` is a `qvalue`. Ranges compare case-insensitively.
///
/// ```
/// use imsip::header::{AcceptLanguage, QValue, TypedHeader};
///
/// // RFC 3261 §20.3: `Accept-Language: da, en-gb;q=0.8, en;q=0.7`
/// let l = AcceptLanguage::parse("en-gb;q=0.8").unwrap();
/// assert_eq!(l.range, "en-gb");
/// assert_eq!(l.primary(), "en");
/// assert_eq!(l.q(), QValue::from_thousandths(800));
/// assert!(AcceptLanguage::parse("*").unwrap().is_wildcard());
/// ```
#[derive(Clone, Debug, Eq)]
pub struct AcceptLanguage<'a> {
    /// The language range, or `*`.
    pub range: Cow<'a, str>,
    /// The accept parameters.
    pub params: Params<'a>,
}

/// The end of `1*8ALPHA *("-" 1*8ALPHA)` at `pos` (a `language-range`
/// without `*`, or a `language-tag`), or the position of what is wrong.
pub(super) fn language_end(b: &[u8], pos: usize) -> Result<usize, usize> {
    let mut p = pos;
    loop {
        let end = syntax::scan(b, p, ALPHA);
        if end == p || end - p > 8 {
            return Err(p);
        }
        if b.get(end) == Some(&b'-') {
            p = end + 1;
        } else {
            return Ok(end);
        }
    }
}

/// Whether `s` is exactly one language tag.
pub(super) fn is_language(s: &str) -> bool {
    language_end(s.as_bytes(), 0) == Ok(s.len())
}

impl<'a> AcceptLanguage<'a> {
    /// A language range without parameters, if `range` is one (or `*`).
    pub fn new(range: impl Into<Cow<'a, str>>) -> Option<Self> {
        let range = range.into();
        (range == "*" || is_language(&range)).then(|| AcceptLanguage {
            range,
            params: Params::header(),
        })
    }

    /// Whether the range is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.range == "*"
    }

    /// The primary tag (`en` in `en-gb`).
    pub fn primary(&self) -> &str {
        self.range.split('-').next().unwrap_or_default()
    }

    /// The `q` parameter, if present.
    pub fn q(&self) -> Option<QValue> {
        q_of(&self.params)
    }

    /// The preference: the `q` parameter, 1 when absent.
    pub fn quality(&self) -> QValue {
        self.q().unwrap_or(Q_ONE)
    }

    /// Whether the range matches `tag`: equal to it, or a prefix of it
    /// followed by `-`, ignoring case; `*` matches every tag (RFC 2616 §14.4).
    pub fn matches(&self, tag: &str) -> bool {
        if self.is_wildcard() {
            return true;
        }
        let n = self.range.len();
        tag.get(..n)
            .is_some_and(|head| head.eq_ignore_ascii_case(&self.range))
            && matches!(tag.as_bytes().get(n), None | Some(b'-'))
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> AcceptLanguage<'static> {
        AcceptLanguage {
            range: Cow::Owned(self.range.into_owned()),
            params: self.params.into_owned(),
        }
    }
}

impl PartialEq for AcceptLanguage<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.range.eq_ignore_ascii_case(&other.range) && self.params == other.params
    }
}

impl<'a> TypedHeader<'a> for AcceptLanguage<'a> {
    const NAME: HeaderName = HeaderName::AcceptLanguage;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let start = c.pos;
        let end = match c.peek() {
            None => return Err(c.error(HeaderErrorKind::Empty)),
            Some(b'*') => start + 1,
            Some(_) => language_end(c.bytes(), start)
                .map_err(|p| HeaderError::new(HeaderErrorKind::Token, p))?,
        };
        c.pos = end;
        let params = c.params_checked(q_param_ok)?;
        c.finish()?;
        Ok(AcceptLanguage {
            range: Cow::Borrowed(&value[start..end]),
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.range.as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for AcceptLanguage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3261 §20.3.
        for (text, range, q, canonical) in [
            ("da", "da", None, "da"),
            (
                "en-gb;q=0.8",
                "en-gb",
                QValue::from_thousandths(800),
                "en-gb;q=0.8",
            ),
            ("en;q=0.7", "en", QValue::from_thousandths(700), "en;q=0.7"),
            ("* ; q = 0.1", "*", QValue::from_thousandths(100), "*;q=0.1"),
            (
                "x-klingon-abcdefgh",
                "x-klingon-abcdefgh",
                None,
                "x-klingon-abcdefgh",
            ),
        ] {
            let l = AcceptLanguage::parse(text).unwrap();
            assert_eq!((l.range.as_ref(), l.q()), (range, q), "{text}");
            assert_eq!(l.to_string(), canonical);
        }
        let l = AcceptLanguage::parse("en").unwrap();
        assert!(l.matches("en") && l.matches("EN-gb") && !l.matches("eng"));
        assert!(AcceptLanguage::parse("*").unwrap().matches("fr"));
        assert_eq!(
            AcceptLanguage::parse("EN-GB").unwrap(),
            AcceptLanguage::new("en-gb").unwrap()
        );
        assert!(AcceptLanguage::new("en-").is_none());
        assert_eq!(l.quality(), Q_ONE);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("abcdefghi", HeaderErrorKind::Token),
            ("en-", HeaderErrorKind::Token),
            ("-en", HeaderErrorKind::Token),
            ("en--gb", HeaderErrorKind::Token),
            ("es-419", HeaderErrorKind::Token),
            ("en_US", HeaderErrorKind::Trailing),
            ("en gb", HeaderErrorKind::Trailing),
            ("*-en", HeaderErrorKind::Trailing),
            ("en;q=1.5", HeaderErrorKind::ParamValue),
        ] {
            assert_eq!(
                AcceptLanguage::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
