//! The P-Asserted-Identity header ([RFC 3325 §9.1](https://www.rfc-editor.org/rfc/rfc3325#section-9.1)),
//! and the value shape it shares with P-Preferred-Identity (§9.2).
//!
//! `PAssertedID-value = name-addr / addr-spec`: RFC 3325 defines no header
//! parameters, so an `addr-spec` keeps its `;` parameters as URI parameters
//! (`tel:7042;phone-context=example.com`, `sip:+1555@example.com;user=phone`),
//! unlike From or Contact where RFC 3261 §20.10 makes them header
//! parameters. Parameters after a `name-addr` (`<sip:a@example.com>;x=1`),
//! or separated from an `addr-spec` by white space (`sip:a@example.com ;x=1`),
//! are kept as generic parameters.

use super::name_addr::{self, NameAddr, name_addr_header};
use super::{Cursor, HeaderError, HeaderErrorKind};
use crate::params::Params;
use crate::syntax::{self, TOKEN};
use crate::uri::Uri;

/// Parses `name-addr *( SEMI generic-param ) / addr-spec`.
pub(crate) fn parse_identity(value: &str) -> Result<(NameAddr<'_>, Params<'_>), HeaderError> {
    let mut c = Cursor::new(value);
    if c.peek().is_none() {
        return Err(c.error(HeaderErrorKind::Empty));
    }
    // A name-addr starts with a quoted display name, `<`, or tokens and
    // `<`; an addr-spec starts with a scheme, whose `:` is not a token
    // character.
    let b = c.bytes();
    let mut p = c.pos;
    loop {
        let end = syntax::scan(b, p, TOKEN);
        if end == p {
            break;
        }
        p = syntax::skip_lws(b, end);
    }
    let (name_addr, params) = if matches!(b.get(p), Some(b'"' | b'<')) {
        let name_addr = name_addr::parse(&mut c, false)?;
        (name_addr, c.params()?)
    } else {
        let start = c.pos;
        let len = b[start..]
            .iter()
            .position(|x| matches!(x, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(b.len() - start);
        let uri = Uri::parse(&value[start..start + len]).map_err(|e| {
            // `Bell, Alexander <sip:...>`: a display name that needs quotes.
            if memchr::memchr(b'<', &b[start..]).is_some()
                && !value[start..start + len].contains(':')
            {
                HeaderError::new(HeaderErrorKind::DisplayName, start)
            } else {
                HeaderError::from_uri(e, start)
            }
        })?;
        c.pos = start + len;
        // Parameters after white space cannot be part of the URI.
        (NameAddr::new(uri), c.params()?)
    };
    c.finish()?;
    Ok((name_addr, params))
}

name_addr_header! {
    /// One element of a P-Asserted-Identity header: an identity of the
    /// sender that a trusted network element asserts, as a SIP or SIPS URI
    /// (with display name) or a `tel` URI. A request carries at most one of
    /// each kind.
    ///
    /// ```
    /// use imsip::header::{PAssertedIdentity, TypedHeader};
    ///
    /// let id = PAssertedIdentity::parse("\"Cullen Jennings\" <sip:fluffy@cisco.com>").unwrap();
    /// assert_eq!(id.name_addr.display_name.as_deref(), Some("Cullen Jennings"));
    /// assert_eq!(id.uri().scheme(), "sip");
    ///
    /// let tel = PAssertedIdentity::parse("tel:+14085264000").unwrap();
    /// assert_eq!(tel.uri().as_tel().unwrap().number(), "+14085264000");
    /// assert_eq!(tel.to_string(), "<tel:+14085264000>");
    /// ```
    ///
    /// An `addr-spec` is read as a URI without display name; parameters
    /// (none are defined) follow a `name-addr`, or white space that ends an
    /// `addr-spec`.
    PAssertedIdentity, PAssertedIdentity, parse = parse_identity
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    #[test]
    fn examples() {
        for (text, display, uri, canonical) in [
            // RFC 3325 §10, the examples of the call flow.
            (
                "\"Cullen Jennings\" <sip:fluffy@cisco.com>",
                Some("Cullen Jennings"),
                "sip:fluffy@cisco.com",
                "\"Cullen Jennings\" <sip:fluffy@cisco.com>",
            ),
            (
                "tel:+14085264000",
                None,
                "tel:+14085264000",
                "<tel:+14085264000>",
            ),
            // TS 24.229 (P-CSCF asserting the served user's identities).
            (
                "<sip:user1_public1@home1.net>",
                None,
                "sip:user1_public1@home1.net",
                "<sip:user1_public1@home1.net>",
            ),
            (
                "<tel:+1-212-555-1111>",
                None,
                "tel:+1-212-555-1111",
                "<tel:+1-212-555-1111>",
            ),
            // An addr-spec keeps its parameters in the URI.
            (
                "sip:+15551234@ims.example.net;user=phone",
                None,
                "sip:+15551234@ims.example.net;user=phone",
                "<sip:+15551234@ims.example.net;user=phone>",
            ),
            (
                "tel:7042;phone-context=example.com",
                None,
                "tel:7042;phone-context=example.com",
                "<tel:7042;phone-context=example.com>",
            ),
            (
                "  Alice  <sip:alice@atlanta.example.com>  ",
                Some("Alice"),
                "sip:alice@atlanta.example.com",
                "\"Alice\" <sip:alice@atlanta.example.com>",
            ),
        ] {
            let id = PAssertedIdentity::parse(text).unwrap();
            assert_eq!(id.name_addr.display_name.as_deref(), display, "{text}");
            assert_eq!(id.uri().to_string(), uri, "{text}");
            assert!(id.params.is_empty());
            assert_eq!(id.to_string(), canonical);
            assert_eq!(PAssertedIdentity::parse(canonical).unwrap(), id);
        }
        let id = PAssertedIdentity::parse("<sip:alice@example.com> ; x = 1").unwrap();
        assert_eq!(id.params.value("x"), Some("1"));
        assert_eq!(id.to_string(), "<sip:alice@example.com>;x=1");
        let spaced = PAssertedIdentity::parse("sip:alice@example.com ;x=1").unwrap();
        assert_eq!(spaced, id);
        // A `<` inside a quoted parameter value does not make a name-addr.
        let quoted = PAssertedIdentity::parse("sip:a.example ;x=\"<\"").unwrap();
        assert_eq!(quoted.params.value("x"), Some("\"<\""));
        assert_eq!(id.clone().into_owned(), id);
    }

    #[test]
    fn malformed() {
        let kind = |s| PAssertedIdentity::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("<sip:a@example.com"), HeaderErrorKind::AngleBracket);
        assert_eq!(
            kind("\"A\" sip:a@example.com"),
            HeaderErrorKind::AngleBracket
        );
        assert_eq!(
            kind("Bell, Alexander <sip:a.g.bell@example.com>"),
            HeaderErrorKind::DisplayName
        );
        assert_eq!(kind("sip:a@example.com x"), HeaderErrorKind::Trailing);
        assert_eq!(
            kind("tel:7042"),
            HeaderErrorKind::Uri(crate::uri::UriErrorKind::Tel)
        );
        assert!(matches!(kind("alice"), HeaderErrorKind::Uri(_)));
        assert_eq!(kind("<sip:a@example.com>;"), HeaderErrorKind::Param);
    }
}
