//! The Subject header ([RFC 3261 §20.36](https://www.rfc-editor.org/rfc/rfc3261#section-20.36)).

use std::borrow::Cow;
use std::fmt;

use super::organization::{parse_text, write_text};
use super::{HeaderError, HeaderName, TypedHeader};

/// `Subject: Need more boxes` (compact form `s`): a summary of the call, as
/// free text (possibly empty).
///
/// Surrounding white space is dropped; a folded value is unfolded.
///
/// ```
/// use imsip::header::{Subject, TypedHeader};
///
/// // RFC 3261 §20.36: `Subject: Need more boxes` and `s: Tech Support`.
/// assert_eq!(Subject::parse("Need more boxes").unwrap().as_str(), "Need more boxes");
/// assert_eq!(Subject::parse(" Tech Support").unwrap().as_str(), "Tech Support");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subject<'a>(pub Cow<'a, str>);

impl Subject<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Subject<'static> {
        Subject(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TypedHeader<'a> for Subject<'a> {
    const NAME: HeaderName = HeaderName::Subject;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        parse_text(value).map(Subject)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        write_text(dst, &self.0);
    }
}

impl fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderErrorKind;

    #[test]
    fn examples() {
        // RFC 3261 §20.36 and §20.26 (with Priority); a folded value, as
        // RFC 4475 §3.1.1.1 folds other headers; an empty one (wsinv's `s :`).
        for (text, subject) in [
            ("Need more boxes", "Need more boxes"),
            ("Tech Support", "Tech Support"),
            (
                "A tornado is heading our way!",
                "A tornado is heading our way!",
            ),
            ("Weekend plans", "Weekend plans"),
            ("", ""),
            ("Hello, world; 100% (sure)", "Hello, world; 100% (sure)"),
            (
                "This is a test of\r\n    folding",
                "This is a test of folding",
            ),
            ("Ünïcödé 日本", "Ünïcödé 日本"),
        ] {
            let s = Subject::parse(text).unwrap();
            assert_eq!(s.as_str(), subject, "{text:?}");
            assert_eq!(s.to_string(), subject);
        }
        let e = Subject::parse("bell\x07").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (HeaderErrorKind::Trailing, 4));
    }
}
