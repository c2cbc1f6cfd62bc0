//! The SIP-If-Match header ([RFC 3903 §11.3.2](https://www.rfc-editor.org/rfc/rfc3903#section-11.3.2)).

use super::shapes::token_header;

token_header! {
    /// `SIP-If-Match: dx200xyz`: the entity-tag of the published event state
    /// a PUBLISH refreshes, modifies or removes. Entity-tags are compared
    /// exactly.
    ///
    /// ```
    /// use imsip::header::{SipIfMatch, TypedHeader};
    ///
    /// assert_eq!(SipIfMatch::parse("kwj449x").unwrap().as_str(), "kwj449x");
    /// assert!(SipIfMatch::parse("").is_err());
    /// ```
    SipIfMatch, SipIfMatch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, SipETag, TypedHeader};

    #[test]
    fn examples() {
        // The entity-tags of the RFC 3903 PUBLISH examples.
        for text in ["dx200xyz", "kwj449x", "\t3ff7fe0e "] {
            let e = SipIfMatch::parse(text).unwrap();
            assert_eq!(e.to_string(), text.trim());
            assert_eq!(SipIfMatch::parse(&e.to_string()).unwrap(), e);
        }
        // A refresh sends back the tag the compositor assigned.
        let etag = SipETag::parse("dx200xyz").unwrap();
        assert_eq!(SipIfMatch::parse(etag.as_str()).unwrap().0, etag.0);
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("<dx200xyz>", HeaderErrorKind::Token),
            ("dx200xyz, kwj449x", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(SipIfMatch::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
