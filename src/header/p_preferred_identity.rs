//! The P-Preferred-Identity header ([RFC 3325 §9.2](https://www.rfc-editor.org/rfc/rfc3325#section-9.2)).
//!
//! Its value has the shape of P-Asserted-Identity: see
//! [`super::PAssertedIdentity`] for how an `addr-spec` is read.

use super::name_addr::name_addr_header;
use super::p_asserted_identity::parse_identity;

name_addr_header! {
    /// One element of a P-Preferred-Identity header: the identity a user
    /// agent would like a trusted proxy to assert for it (one SIP or SIPS
    /// URI and one `tel` URI at most).
    ///
    /// ```
    /// use imsip::header::{PPreferredIdentity, TypedHeader};
    ///
    /// let id = PPreferredIdentity::parse("\"Cullen Jennings\" <sip:fluffy@cisco.com>").unwrap();
    /// assert_eq!(id.uri().to_string(), "sip:fluffy@cisco.com");
    /// assert_eq!(PPreferredIdentity::parse("tel:+14085264000").unwrap().uri().scheme(), "tel");
    /// ```
    PPreferredIdentity, PPreferredIdentity, parse = parse_identity
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3325 §10 and TS 24.229 (the UE's preferred public identity).
        for (text, canonical) in [
            (
                "\"Cullen Jennings\" <sip:fluffy@cisco.com>",
                "\"Cullen Jennings\" <sip:fluffy@cisco.com>",
            ),
            ("tel:+14085264000", "<tel:+14085264000>"),
            (
                "<sip:user1_public1@home1.net>",
                "<sip:user1_public1@home1.net>",
            ),
        ] {
            let id = PPreferredIdentity::parse(text).unwrap();
            assert_eq!(id.to_string(), canonical);
            assert_eq!(PPreferredIdentity::parse(canonical).unwrap(), id);
        }
        assert_eq!(
            PPreferredIdentity::parse("").unwrap_err().kind(),
            HeaderErrorKind::Empty
        );
        assert_eq!(
            PPreferredIdentity::parse("<sip:a@b> <sip:c@d>")
                .unwrap_err()
                .kind(),
            HeaderErrorKind::Trailing
        );
    }
}
