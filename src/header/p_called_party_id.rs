//! The P-Called-Party-ID header ([RFC 7315 §5.2](https://www.rfc-editor.org/rfc/rfc7315#section-5.2)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// `P-Called-Party-ID: <sip:user1-business@example.com>`
    /// (`called-pty-id-spec = name-addr *(SEMI cpid-param)`): the
    /// Request-URI as the S-CSCF received it, before retargeting to a
    /// contact, so that the callee learns which of its identities was
    /// called. The URI must be in angle brackets.
    ///
    /// ```
    /// use imsip::header::{PCalledPartyId, TypedHeader};
    ///
    /// let c = PCalledPartyId::parse("<sip:user1-business@example.com>").unwrap();
    /// assert_eq!(c.uri().as_sip().unwrap().user(), Some("user1-business"));
    /// ```
    PCalledPartyId, PCalledPartyId, addr_spec = false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        for (text, canonical) in [
            // RFC 7315 §4.2.
            (
                "<sip:user1-business@example.com>",
                "<sip:user1-business@example.com>",
            ),
            // TS 24.229: a tel URI with display name and a parameter.
            (
                "Bob <tel:+1-212-555-2222> ; cpid = x",
                "\"Bob\" <tel:+1-212-555-2222>;cpid=x",
            ),
        ] {
            let c = PCalledPartyId::parse(text).unwrap();
            assert_eq!(c.to_string(), canonical);
            assert_eq!(PCalledPartyId::parse(canonical).unwrap(), c);
        }
        let kind = |s| PCalledPartyId::parse(s).unwrap_err().kind();
        assert_eq!(kind("sip:user1@example.com"), HeaderErrorKind::DisplayName);
        assert_eq!(kind("<sip:a@b>, <sip:c@d>"), HeaderErrorKind::Trailing);
    }
}
