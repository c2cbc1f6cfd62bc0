//! The Service-Route header ([RFC 3608 §6](https://www.rfc-editor.org/rfc/rfc3608#section-6)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// One element of a Service-Route header
    /// (`sr-value = name-addr *( SEMI rr-param )`): a proxy that the
    /// registrar, in the 200 (OK) to a REGISTER, asks the user agent to put
    /// in the Route of its later requests. The URI must be in angle brackets.
    ///
    /// ```
    /// use imsip::header::{ServiceRoute, TypedHeader};
    ///
    /// let r = ServiceRoute::parse("<sip:orig@scscf1.home1.net;lr>").unwrap();
    /// assert_eq!(r.uri().as_sip().unwrap().user(), Some("orig"));
    /// ```
    ServiceRoute, ServiceRoute, addr_spec = false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3608 §4.2, the 200 (OK) to the REGISTER.
        let msg = MessageRef::parse(
            b"SIP/2.0 200 OK\r\nService-Route: <sip:P2.HOME.EXAMPLE.COM;lr>,\r\n  <sip:HSP.HOME.EXAMPLE.COM;lr>\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let routes: Vec<_> = msg
            .header_all::<ServiceRoute<'_>>()
            .map(|r| r.unwrap().to_string())
            .collect();
        assert_eq!(
            routes,
            [
                "<sip:P2.HOME.EXAMPLE.COM;lr>",
                "<sip:HSP.HOME.EXAMPLE.COM;lr>"
            ]
        );
        assert_eq!(
            ServiceRoute::parse("<sip:P2.HOME.EXAMPLE.COM;lr")
                .unwrap_err()
                .kind(),
            HeaderErrorKind::AngleBracket
        );
    }
}
