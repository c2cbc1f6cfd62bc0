//! The In-Reply-To header ([RFC 3261 §20.21](https://www.rfc-editor.org/rfc/rfc3261#section-20.21)).

use std::fmt;

use super::{CallId, HeaderError, HeaderName, TypedHeader};

/// One element of an In-Reply-To header: the Call-ID of a call this request
/// returns (a callback for a missed call).
///
/// ```
/// use imsip::header::{InReplyTo, TypedHeader};
///
/// // RFC 3261 §20.21: `In-Reply-To: 70710@saturn.bell-tel.com, 17320@saturn.bell-tel.com`
/// let r = InReplyTo::parse("70710@saturn.bell-tel.com").unwrap();
/// assert_eq!(r.0.as_str(), "70710@saturn.bell-tel.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InReplyTo<'a>(pub CallId<'a>);

impl InReplyTo<'_> {
    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> InReplyTo<'static> {
        InReplyTo(self.0.into_owned())
    }
}

impl<'a> TypedHeader<'a> for InReplyTo<'a> {
    const NAME: HeaderName = HeaderName::InReplyTo;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        CallId::parse(value).map(InReplyTo)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.0.encode(dst);
    }
}

impl fmt::Display for InReplyTo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderErrorKind;

    #[test]
    fn examples() {
        // RFC 3261 §20.21.
        for text in [
            "70710@saturn.bell-tel.com",
            "17320@saturn.bell-tel.com",
            "a84b4c76e66710",
        ] {
            assert_eq!(InReplyTo::parse(text).unwrap().to_string(), text);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("a@", HeaderErrorKind::Token),
            ("a b", HeaderErrorKind::Trailing),
            ("a@b@c", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(InReplyTo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
