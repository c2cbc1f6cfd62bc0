//! The P-Associated-URI header ([RFC 7315 §5.1](https://www.rfc-editor.org/rfc/rfc7315#section-5.1)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// One element of a P-Associated-URI header
    /// (`p-aso-uri-spec = name-addr *(SEMI ai-param)`): a public identity
    /// that the registrar associates with the registered one, in the 200
    /// (OK) to a REGISTER. The URI must be in angle brackets.
    ///
    /// The header may be empty (`[p-aso-uri-spec *(COMMA p-aso-uri-spec)]`):
    /// then the message has no element to parse.
    ///
    /// ```
    /// use imsip::header::{PAssociatedUri, TypedHeader};
    ///
    /// let a = PAssociatedUri::parse("<sip:user1_public2@home1.net>").unwrap();
    /// assert_eq!(a.uri().to_string(), "sip:user1_public2@home1.net");
    /// assert!(PAssociatedUri::parse("sip:user1_public2@home1.net").is_err());
    /// ```
    PAssociatedUri, PAssociatedUri, addr_spec = false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 7315 §4.1, the 200 (OK) to a REGISTER.
        let msg = MessageRef::parse(
            b"SIP/2.0 200 OK\r\nP-Associated-URI: <sip:user1_public2@home1.net>,\r\n <sip:user1_public3@home1.net>, \"Office\" <tel:+1-212-555-1234>;x=y\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let uris: Vec<_> = msg
            .header_all::<PAssociatedUri<'_>>()
            .map(|a| a.unwrap().to_string())
            .collect();
        assert_eq!(
            uris,
            [
                "<sip:user1_public2@home1.net>",
                "<sip:user1_public3@home1.net>",
                "\"Office\" <tel:+1-212-555-1234>;x=y",
            ]
        );
        // An empty header: no associated URIs (RFC 7315 §5.1).
        let empty =
            MessageRef::parse(b"SIP/2.0 200 OK\r\nP-Associated-URI:\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
        assert_eq!(empty.header_all::<PAssociatedUri<'_>>().count(), 0);
        let a = PAssociatedUri::parse("<sip:user1_public2@home1.net> ; x = \"a b\"").unwrap();
        assert_eq!(a.params.get("x").unwrap().unquoted().unwrap(), "a b");
        assert_eq!(a.to_string(), "<sip:user1_public2@home1.net>;x=\"a b\"");
        let kind = |s| PAssociatedUri::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::AngleBracket);
        assert_eq!(kind("sip:a@home1.net"), HeaderErrorKind::DisplayName);
        assert_eq!(kind("<sip:a@home1.net>;"), HeaderErrorKind::Param);
    }
}
