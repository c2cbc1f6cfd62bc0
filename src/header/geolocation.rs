//! The Geolocation header ([RFC 6442 §4.1](https://www.rfc-editor.org/rfc/rfc6442#section-4.1)),
//! with the `loc-src` parameter of [RFC 8787](https://www.rfc-editor.org/rfc/rfc8787).

use std::borrow::Cow;
use std::fmt;

use super::param_check;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::uri::{Host, Uri};

/// One element of a Geolocation header: `<cid:target123@atlanta.example.com>`,
/// where the location of the Target is: in a body part (`cid:`) or to be
/// dereferenced (`sip:`, `pres:`, `https:`, ...), with parameters.
///
/// Parsing checks that `loc-src` (RFC 8787) is a host name, once.
/// `inserted-by` and `used-for-routing`, which drafts of RFC 6442 defined
/// and some deployments still send, are read as generic parameters.
///
/// ```
/// use imsip::header::{Geolocation, TypedHeader};
///
/// let g = Geolocation::parse("<cid:target123@atlanta.example.com>").unwrap();
/// assert_eq!(g.content_id(), Some("target123@atlanta.example.com"));
///
/// let g = Geolocation::parse("<sips:3sdefrhy2jj7@lis.atlanta.example.com>;loc-src=edgeproxy.example.com").unwrap();
/// assert_eq!(g.uri.scheme(), "sips");
/// assert_eq!(g.loc_src(), Some("edgeproxy.example.com"));
/// assert!(Geolocation::parse("cid:target123@atlanta.example.com").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Geolocation<'a> {
    /// The location URI (any scheme).
    pub uri: Uri<'a>,
    /// The parameters (`loc-src`, others).
    pub params: Params<'a>,
}

impl<'a> Geolocation<'a> {
    /// A location URI without parameters.
    pub fn new(uri: Uri<'a>) -> Self {
        Geolocation {
            uri,
            params: Params::header(),
        }
    }

    /// The Content-ID of the body part holding the location, when the URI
    /// is a `cid:` URL (RFC 2392), still %-escaped.
    pub fn content_id(&self) -> Option<&str> {
        match &self.uri {
            Uri::Other(o) if o.scheme().eq_ignore_ascii_case("cid") => Some(o.rest()),
            _ => None,
        }
    }

    /// The `loc-src` parameter (RFC 8787): the host name of the entity that
    /// added this location.
    pub fn loc_src(&self) -> Option<&str> {
        self.params.value("loc-src")
    }

    /// The `inserted-by` parameter of the RFC 6442 drafts, unquoted.
    pub fn inserted_by(&self) -> Option<Cow<'_, str>> {
        self.params.get("inserted-by").and_then(|p| p.unquoted())
    }

    /// Whether the `used-for-routing` flag of the RFC 6442 drafts is
    /// present.
    pub fn used_for_routing(&self) -> bool {
        self.params.contains("used-for-routing")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Geolocation<'static> {
        Geolocation {
            uri: self.uri.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for Geolocation<'a> {
    const NAME: HeaderName = HeaderName::Geolocation;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let uri = c.angle_uri()?;
        let params = param_check::params(&mut c, &["loc-src"], |_, v| match v.map(Host::parse) {
            Some(Ok(Host::Domain(_))) => Ok(()),
            _ => Err(HeaderErrorKind::ParamValue),
        })?;
        c.finish()?;
        Ok(Geolocation { uri, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.push(b'<');
        self.uri.encode(dst);
        dst.push(b'>');
        self.params.encode(dst);
    }
}

impl fmt::Display for Geolocation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 6442 §4.1, RFC 8787 (`loc-src`) and TS 24.229 (emergency calls
        // carry the location by reference or by value).
        let msg = crate::MessageRef::parse(
            b"INVITE urn:service:sos SIP/2.0\r\n\
Geolocation: <cid:target123@atlanta.example.com>,\r\n \
<sips:3sdefrhy2jj7@lis.atlanta.example.com;transport=tls>\r\n\
Geolocation: <https://lis.example.com:8222/y77syc7cuecbh>;loc-src=edgeproxy.example.com\r\n\
Geolocation: <pres:alice@atlanta.example.com>;inserted-by=\"lis.example.com\";used-for-routing\r\n\r\n",
        )
        .unwrap();
        let all: Vec<Geolocation<'_>> = msg
            .header_all::<Geolocation<'_>>()
            .map(|g| g.unwrap())
            .collect();
        assert_eq!(
            all.iter().map(|g| g.uri.scheme()).collect::<Vec<_>>(),
            ["cid", "sips", "https", "pres"]
        );
        assert_eq!(all[0].content_id(), Some("target123@atlanta.example.com"));
        assert_eq!(all[1].content_id(), None);
        assert_eq!(all[1].uri.as_sip().unwrap().transport(), Some("tls"));
        assert_eq!(all[2].loc_src(), Some("edgeproxy.example.com"));
        assert_eq!(all[3].inserted_by().as_deref(), Some("lis.example.com"));
        assert!(all[3].used_for_routing());
        assert!(!all[2].used_for_routing());
        for g in &all {
            assert_eq!(&Geolocation::parse(&g.to_string()).unwrap(), g);
        }
    }

    #[test]
    fn canonical() {
        let g = Geolocation::parse(" <cid:a@b.example> ;\r\n loc-src = x.example ").unwrap();
        assert_eq!(g.to_string(), "<cid:a@b.example>;loc-src=x.example");
        let built = Geolocation::new(Uri::parse("cid:a@b.example").unwrap());
        assert_eq!(built.to_string(), "<cid:a@b.example>");
        assert_eq!(g.clone().into_owned(), g);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::AngleBracket),
            ("cid:a@b.example", HeaderErrorKind::AngleBracket),
            ("<cid:a@b.example", HeaderErrorKind::AngleBracket),
            (
                "<a@b.example>",
                HeaderErrorKind::Uri(crate::uri::UriErrorKind::Scheme),
            ),
            ("<cid:a@b.example>;loc-src", HeaderErrorKind::ParamValue),
            (
                "<cid:a@b.example>;loc-src=192.0.2.1",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<cid:a@b.example>;loc-src=\"x.example\"",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<cid:a@b.example>;loc-src=x.example;loc-src=y.example",
                HeaderErrorKind::DuplicateParam,
            ),
            ("<cid:a@b.example> x", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(Geolocation::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
