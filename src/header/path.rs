//! The Path header ([RFC 3327 §4](https://www.rfc-editor.org/rfc/rfc3327#section-4)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// One element of a Path header (`path-value = name-addr *( SEMI rr-param )`):
    /// a proxy on the way from the user agent to the registrar, recorded in
    /// a REGISTER so that requests for the user come back through it. The URI
    /// must be in angle brackets.
    ///
    /// ```
    /// use imsip::header::{Path, TypedHeader};
    ///
    /// let p = Path::parse("<sip:P1.EXAMPLEVISITED.COM;lr>").unwrap();
    /// assert!(p.uri().as_sip().unwrap().is_loose_route());
    /// ```
    Path, Path, addr_spec = false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3327 §5, message F4 as the registrar receives it.
        let msg = MessageRef::parse(
            b"REGISTER sip:REGISTRAR.EXAMPLEHOME.COM SIP/2.0\r\nPath: <sip:P3.EXAMPLEHOME.COM;lr>,<sip:P1.EXAMPLEVISITED.COM;lr>\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let hosts: Vec<_> = msg
            .header_all::<Path<'_>>()
            .map(|p| p.unwrap().uri().as_sip().unwrap().host().to_string())
            .collect();
        assert_eq!(hosts, ["P3.EXAMPLEHOME.COM", "P1.EXAMPLEVISITED.COM"]);
        // TS 24.229: the P-CSCF's Path entry with a flow token.
        let p = Path::parse("<sip:term@pcscf1.visited1.net;lr> ; ob").unwrap();
        assert!(p.params.contains("ob"));
        assert_eq!(p.to_string(), "<sip:term@pcscf1.visited1.net;lr>;ob");
        assert_eq!(
            Path::parse("sip:pcscf1.visited1.net;lr")
                .unwrap_err()
                .kind(),
            HeaderErrorKind::DisplayName
        );
    }
}
