//! The Content-Type header ([RFC 3261 §20.15](https://www.rfc-editor.org/rfc/rfc3261#section-20.15)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;

/// A media type: `application/sdp`, `multipart/mixed;boundary=x`.
///
/// Type and subtype compare case-insensitively.
#[derive(Clone, Debug, Eq)]
pub struct MediaType<'a> {
    /// The top-level type (`application`).
    pub top_level: Cow<'a, str>,
    /// The subtype (`sdp`).
    pub subtype: Cow<'a, str>,
    /// Parameters (`charset`, `boundary`, ...).
    pub params: Params<'a>,
}

impl<'a> MediaType<'a> {
    /// `top_level/subtype` without parameters.
    pub fn new(top_level: &'a str, subtype: &'a str) -> Self {
        MediaType {
            top_level: Cow::Borrowed(top_level),
            subtype: Cow::Borrowed(subtype),
            params: Params::header(),
        }
    }

    /// Whether the type is `top_level/subtype`, ignoring case and parameters.
    pub fn is(&self, top_level: &str, subtype: &str) -> bool {
        self.top_level.eq_ignore_ascii_case(top_level) && self.subtype.eq_ignore_ascii_case(subtype)
    }

    pub(crate) fn parse_at(c: &mut Cursor<'a>) -> Result<MediaType<'a>, HeaderError> {
        let top_level = c.token()?;
        c.separator(b'/')?;
        let subtype = c.token()?;
        let at = c.pos;
        let params = c.params()?;
        if params.iter().any(|p| p.value.is_none()) {
            return Err(HeaderError::new(HeaderErrorKind::Param, at));
        }
        Ok(MediaType {
            top_level: Cow::Borrowed(top_level),
            subtype: Cow::Borrowed(subtype),
            params,
        })
    }

    /// Writes `type/subtype;params`.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.top_level.as_bytes());
        dst.push(b'/');
        dst.extend_from_slice(self.subtype.as_bytes());
        self.params.encode(dst);
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> MediaType<'static> {
        MediaType {
            top_level: Cow::Owned(self.top_level.into_owned()),
            subtype: Cow::Owned(self.subtype.into_owned()),
            params: self.params.into_owned(),
        }
    }
}

impl PartialEq for MediaType<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.is(&other.top_level, &other.subtype) && self.params == other.params
    }
}

impl fmt::Display for MediaType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// `Content-Type: application/sdp` (compact form `c`).
///
/// ```
/// use imsip::header::{ContentType, TypedHeader};
///
/// let ct = ContentType::parse("multipart/mixed;boundary=7a9cbec02ceef655").unwrap();
/// assert!(ct.0.is("Multipart", "MIXED"));
/// assert_eq!(ct.0.params.value("boundary"), Some("7a9cbec02ceef655"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentType<'a>(pub MediaType<'a>);

impl<'a> TypedHeader<'a> for ContentType<'a> {
    const NAME: HeaderName = HeaderName::ContentType;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let m = MediaType::parse_at(&mut c)?;
        c.finish()?;
        Ok(ContentType(m))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.0.encode(dst);
    }
}
