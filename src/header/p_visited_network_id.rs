//! The P-Visited-Network-ID header ([RFC 7315 §5.3](https://www.rfc-editor.org/rfc/rfc7315#section-5.3)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;

/// One element of a P-Visited-Network-ID header
/// (`vnetwork-spec = (token / quoted-string) *(SEMI vnetwork-param)`): the
/// network a roaming user is visiting, as the P-CSCF names it in a REGISTER
/// for the home network to check its roaming agreements.
///
/// The network is kept as the text it stands for (quotes removed); it
/// encodes as a token when it is one and as a quoted string otherwise.
///
/// ```
/// use imsip::header::{PVisitedNetworkId, TypedHeader};
///
/// let v = PVisitedNetworkId::parse("\"Visited network number 1\"").unwrap();
/// assert_eq!(v.network, "Visited network number 1");
/// assert_eq!(PVisitedNetworkId::parse("other.net").unwrap().network, "other.net");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PVisitedNetworkId<'a> {
    /// The network identifier, unquoted.
    pub network: Cow<'a, str>,
    /// Generic parameters (none are defined).
    pub params: Params<'a>,
}

impl<'a> PVisitedNetworkId<'a> {
    /// A network identifier without parameters.
    pub fn new(network: impl Into<Cow<'a, str>>) -> Self {
        PVisitedNetworkId {
            network: network.into(),
            params: Params::header(),
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> PVisitedNetworkId<'static> {
        PVisitedNetworkId {
            network: Cow::Owned(self.network.into_owned()),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for PVisitedNetworkId<'a> {
    const NAME: HeaderName = HeaderName::PVisitedNetworkId;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let network = match c.peek() {
            None => return Err(c.error(HeaderErrorKind::Empty)),
            Some(b'"') => {
                let start = c.pos;
                let end = syntax::quoted_string_end(c.bytes(), start)
                    .map_err(|p| HeaderError::new(HeaderErrorKind::QuotedString, p))?;
                c.pos = end;
                syntax::unquote(&value[start..end])
            }
            Some(_) => Cow::Borrowed(c.token()?),
        };
        let params = c.params()?;
        c.finish()?;
        Ok(PVisitedNetworkId { network, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        if syntax::is_token(self.network.as_bytes()) {
            dst.extend_from_slice(self.network.as_bytes());
        } else {
            syntax::write_quoted(dst, &self.network);
        }
        self.params.encode(dst);
    }
}

impl fmt::Display for PVisitedNetworkId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;

    #[test]
    fn examples() {
        // RFC 7315 §4.3: two visited networks in one header.
        let msg = MessageRef::parse(
            b"REGISTER sip:registrar.home1.net SIP/2.0\r\nP-Visited-Network-ID: other.net, \"Visited network number 1\"\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let v: Vec<_> = msg
            .header_all::<PVisitedNetworkId<'_>>()
            .map(Result::unwrap)
            .collect();
        assert_eq!(v[0].network, "other.net");
        assert!(matches!(v[0].network, Cow::Borrowed(_)));
        assert_eq!(v[1].network, "Visited network number 1");
        assert!(matches!(v[1].network, Cow::Borrowed(_)));
        assert_eq!(v[1].to_string(), "\"Visited network number 1\"");
        for (text, network, canonical) in [
            // TS 24.229 (the P-CSCF's entry in the REGISTER).
            (
                "\"Visited network number 1\"",
                "Visited network number 1",
                "\"Visited network number 1\"",
            ),
            ("\"visited1.net\"", "visited1.net", "visited1.net"),
            ("visited1.net ; x = 1", "visited1.net", "visited1.net;x=1"),
            ("\"say \\\"hi\\\"\"", "say \"hi\"", "\"say \\\"hi\\\"\""),
            ("\"a\r\n b\"", "a b", "\"a b\""),
            ("\"\"", "", "\"\""),
        ] {
            let v = PVisitedNetworkId::parse(text).unwrap();
            assert_eq!(v.network, network, "{text}");
            assert_eq!(v.to_string(), canonical);
            assert_eq!(PVisitedNetworkId::parse(canonical).unwrap(), v);
        }
        let built = PVisitedNetworkId::new("My network");
        assert_eq!(built.to_string(), "\"My network\"");
        assert_eq!(built.clone().into_owned(), built);
    }

    #[test]
    fn malformed() {
        let kind = |s| PVisitedNetworkId::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("\"open"), HeaderErrorKind::QuotedString);
        assert_eq!(kind("other net"), HeaderErrorKind::Trailing);
        assert_eq!(kind("<other.net>"), HeaderErrorKind::Token);
        assert_eq!(kind("other.net;"), HeaderErrorKind::Param);
    }
}
