//! The Refer-To header ([RFC 3515 §2.1](https://www.rfc-editor.org/rfc/rfc3515#section-2.1)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// `Refer-To: <sip:bob@biloxi.example.net>` (compact form `r`): the
    /// resource a REFER asks its recipient to contact, with parameters.
    ///
    /// The URI may carry header fields for the triggered request (`?Replaces=...`
    /// for an attended transfer); such a URI must be enclosed in `<>`, and an
    /// addr-spec with `?` is refused ([`super::HeaderErrorKind::AddrSpec`]).
    ///
    /// ```
    /// use imsip::header::{ReferTo, TypedHeader};
    ///
    /// let r = ReferTo::parse("<sips:a8342043f@atlanta.example.com?Replaces=12345601%40atlanta.example.com%3Bfrom-tag%3D314159%3Bto-tag%3D1234567>").unwrap();
    /// let sip = r.uri().as_sip().unwrap();
    /// assert_eq!(sip.header_fields().next().map(|(n, _)| n), Some("Replaces"));
    /// assert!(ReferTo::parse("sip:a@b.example?Replaces=x").is_err());
    /// ```
    ReferTo, ReferTo, addr_spec = true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3515 §2.1 and the call transfer examples of RFC 5589.
        for (text, scheme, canonical) in [
            (
                "sip:alice@atlanta.example.com",
                "sip",
                "<sip:alice@atlanta.example.com>",
            ),
            (
                "<sip:bob@biloxi.example.net?Accept-Contact=sip:bobsdesk.biloxi.example.net&Call-ID=55432%40alicepc.atlanta.example.com>",
                "sip",
                "<sip:bob@biloxi.example.net?Accept-Contact=sip:bobsdesk.biloxi.example.net&Call-ID=55432%40alicepc.atlanta.example.com>",
            ),
            (
                "<sip:dave@denver.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>",
                "sip",
                "<sip:dave@denver.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>",
            ),
            ("<http://www.ietf.org>", "http", "<http://www.ietf.org>"),
            (
                "\"Carol\" <sip:carol@cleveland.example.org> ; method = INVITE",
                "sip",
                "\"Carol\" <sip:carol@cleveland.example.org>;method=INVITE",
            ),
            (
                "sip:carol@cleveland.example.org;method=SUBSCRIBE",
                "sip",
                "<sip:carol@cleveland.example.org>;method=SUBSCRIBE",
            ),
        ] {
            let r = ReferTo::parse(text).unwrap();
            assert_eq!(r.uri().scheme(), scheme, "{text}");
            assert_eq!(r.to_string(), canonical, "{text}");
            assert_eq!(ReferTo::parse(canonical).unwrap(), r, "{text}");
        }
        // An addr-spec's `;` parameters belong to the header, not the URI.
        let r = ReferTo::parse("sip:carol@cleveland.example.org;method=SUBSCRIBE").unwrap();
        assert!(r.uri().as_sip().unwrap().params().is_empty());
        assert_eq!(r.params.value("method"), Some("SUBSCRIBE"));
        assert_eq!(r.clone().into_owned(), r);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            // RFC 3515 §2.1 prints this example with `=` escaped after
            // `Call-ID`, which leaves a URI header without `=`.
            (
                "<sip:bob@biloxi.example.net?Accept-Contact=sip:bobsdesk.biloxi.example.net&Call-ID%3D55432%40alicepc.atlanta.example.com>",
                HeaderErrorKind::Uri(crate::uri::UriErrorKind::Headers),
            ),
            (
                "sip:bob@biloxi.example.net?Call-ID=55432",
                HeaderErrorKind::AddrSpec,
            ),
            ("<sip:bob@biloxi.example.net", HeaderErrorKind::AngleBracket),
            ("", HeaderErrorKind::Empty),
            ("<sip:a@b>;", HeaderErrorKind::Param),
            ("<sip:a@b> x", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(ReferTo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
