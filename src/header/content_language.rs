//! The Content-Language header ([RFC 3261 §20.13](https://www.rfc-editor.org/rfc/rfc3261#section-20.13)).

use std::borrow::Cow;
use std::fmt;

use super::accept_language::{is_language, language_end};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};

/// One element of a Content-Language header: the language of the body, a
/// `language-tag` of RFC 3261 §25.1 (`1*8ALPHA *("-" 1*8ALPHA)`).
///
/// Tags compare case-insensitively.
///
/// ```
/// use imsip::header::{ContentLanguage, TypedHeader};
///
/// // RFC 3261 §20.13: `Content-Language: fr`
/// let l = ContentLanguage::parse("fr").unwrap();
/// assert_eq!(l.as_str(), "fr");
/// assert_eq!(ContentLanguage::parse("en-US").unwrap().primary(), "en");
/// assert!(ContentLanguage::parse("*").is_err());
/// ```
#[derive(Clone, Debug, Eq)]
pub struct ContentLanguage<'a>(Cow<'a, str>);

impl<'a> ContentLanguage<'a> {
    /// The tag `tag`, if it is a `language-tag`.
    pub fn new(tag: impl Into<Cow<'a, str>>) -> Option<Self> {
        let tag = tag.into();
        is_language(&tag).then_some(ContentLanguage(tag))
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary tag (`en` in `en-US`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }

    /// The subtags after the primary tag.
    pub fn subtags(&self) -> impl Iterator<Item = &str> {
        self.0.split('-').skip(1)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> ContentLanguage<'static> {
        ContentLanguage(Cow::Owned(self.0.into_owned()))
    }
}

impl PartialEq for ContentLanguage<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl std::hash::Hash for ContentLanguage<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            b.to_ascii_lowercase().hash(state);
        }
    }
}

impl<'a> TypedHeader<'a> for ContentLanguage<'a> {
    const NAME: HeaderName = HeaderName::ContentLanguage;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let start = c.pos;
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        c.pos = language_end(c.bytes(), start)
            .map_err(|p| HeaderError::new(HeaderErrorKind::Token, p))?;
        let tag = &value[start..c.pos];
        c.finish()?;
        Ok(ContentLanguage(Cow::Borrowed(tag)))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.0.as_bytes());
    }
}

impl fmt::Display for ContentLanguage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3261 §20.13, and RFC 2616 §14.12's `Content-Language: mi, en`.
        for text in ["fr", "mi", "en", "en-US", "i-klingon", "x-pig-latin"] {
            let l = ContentLanguage::parse(text).unwrap();
            assert_eq!(l.to_string(), text);
        }
        let l = ContentLanguage::parse(" en-US ").unwrap();
        assert_eq!(l.subtags().collect::<Vec<_>>(), ["US"]);
        assert_eq!(l, ContentLanguage::new("EN-us").unwrap());
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("*", HeaderErrorKind::Token),
            ("en-", HeaderErrorKind::Token),
            ("toolongtag", HeaderErrorKind::Token),
            ("en;q=1", HeaderErrorKind::Trailing),
            ("en us", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(
                ContentLanguage::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
