//! The SIP-ETag header ([RFC 3903 §11.3.1](https://www.rfc-editor.org/rfc/rfc3903#section-11.3.1)).

use super::shapes::token_header;

token_header! {
    /// `SIP-ETag: dx200xyz`: the entity-tag an event state compositor
    /// assigns to published event state, in the 2xx answer to a PUBLISH.
    /// Entity-tags are compared exactly.
    ///
    /// ```
    /// use imsip::header::{SipETag, TypedHeader};
    ///
    /// assert_eq!(SipETag::parse("dx200xyz").unwrap().as_str(), "dx200xyz");
    /// assert!(SipETag::parse("dx200xyz kwj449x").is_err());
    /// ```
    SipETag, SipETag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // The entity-tags of the RFC 3903 PUBLISH examples.
        for text in ["dx200xyz", "kwj449x", "qwi982ks", " 5e8f1a.!%*_+`'~- "] {
            let e = SipETag::parse(text).unwrap();
            assert_eq!(e.to_string(), text.trim());
            assert_eq!(SipETag::parse(&e.to_string()).unwrap(), e);
        }
        assert_ne!(
            SipETag::parse("ABC").unwrap(),
            SipETag::parse("abc").unwrap()
        );
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("\"dx200xyz\"", HeaderErrorKind::Token),
            ("dx200xyz;x=1", HeaderErrorKind::Trailing),
            ("a b", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(SipETag::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
