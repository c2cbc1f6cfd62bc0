//! URIs: SIP and SIPS ([RFC 3261 §19.1](https://www.rfc-editor.org/rfc/rfc3261#section-19.1)),
//! `tel` ([RFC 3966](https://www.rfc-editor.org/rfc/rfc3966)) and any other
//! scheme kept opaque, with hosts, IPv6 references
//! ([RFC 5118](https://www.rfc-editor.org/rfc/rfc5118)) and the comparison rules
//! of each scheme.
//!
//! ```
//! use imsip::uri::Uri;
//!
//! let uri = Uri::parse("sip:+15551234@ims.example.net;user=phone").unwrap();
//! assert_eq!(uri.scheme(), "sip");
//! let other = Uri::parse("urn:service:sos").unwrap();
//! assert_eq!(other.scheme(), "urn");
//! assert!(Uri::parse("sip:2001:db8::10").is_err()); // IPv6 needs brackets
//! ```

mod aor;
mod error;
mod host;
mod sip;
mod tel;

use std::borrow::Cow;
use std::fmt;

pub use aor::AddressOfRecord;
pub use error::{UriError, UriErrorKind};
pub(crate) use host::parse_ipv4 as host_ipv4;
pub use host::{Host, HostPort};
pub use sip::SipUri;
pub use tel::TelUri;

use crate::syntax::{self, ALPHA, SCHEME, URIC};

/// Any URI: SIP/SIPS and `tel` are parsed into their parts; other schemes are
/// kept as scheme and opaque text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uri<'a> {
    /// `sip:` or `sips:`.
    Sip(SipUri<'a>),
    /// `tel:`.
    Tel(TelUri<'a>),
    /// Any other `absoluteURI`, kept as written.
    Other(OtherUri<'a>),
}

/// A URI of a scheme this crate does not interpret (`absoluteURI`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherUri<'a> {
    scheme: Cow<'a, str>,
    rest: Cow<'a, str>,
}

impl<'a> OtherUri<'a> {
    /// The scheme as written.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Everything after `scheme:`.
    pub fn rest(&self) -> &str {
        &self.rest
    }

    /// Copies borrowed text so the URI outlives the input.
    pub fn into_owned(self) -> OtherUri<'static> {
        OtherUri {
            scheme: Cow::Owned(self.scheme.into_owned()),
            rest: Cow::Owned(self.rest.into_owned()),
        }
    }
}

impl<'a> Uri<'a> {
    /// Parses a whole URI.
    ///
    /// # Errors
    /// A [`UriError`]: the scheme is malformed, or a `sip`, `sips` or `tel` URI
    /// breaks its grammar, or an opaque URI has characters no URI can have.
    pub fn parse(s: &'a str) -> Result<Uri<'a>, UriError> {
        let b = s.as_bytes();
        if b.is_empty() {
            return Err(UriError::new(UriErrorKind::Empty, 0));
        }
        // The usual case first, without a search for the colon or a scheme
        // scan.
        if let Some((secure, pos)) = sip::sip_scheme(b) {
            return SipUri::parse_after_scheme(s, secure, pos).map(Uri::Sip);
        }
        let colon = memchr::memchr(b':', b).ok_or(UriError::new(UriErrorKind::Scheme, 0))?;
        let scheme = &b[..colon];
        if scheme.is_empty()
            || !syntax::is(scheme[0], ALPHA)
            || !scheme.iter().all(|&c| syntax::is(c, SCHEME))
        {
            return Err(UriError::new(UriErrorKind::Scheme, 0));
        }
        if scheme.eq_ignore_ascii_case(b"tel") {
            return TelUri::parse(s).map(Uri::Tel);
        }
        let rest = &b[colon + 1..];
        if rest.is_empty() {
            return Err(UriError::new(UriErrorKind::Opaque, colon + 1));
        }
        let mut p = colon + 1;
        while p < b.len() {
            p = syntax::scan_escaped(b, p, URIC)
                .map_err(|e| UriError::new(UriErrorKind::Opaque, e))?;
            match b.get(p) {
                Some(b'#' | b'[' | b']') => p += 1,
                Some(_) => return Err(UriError::new(UriErrorKind::Opaque, p)),
                None => {}
            }
        }
        Ok(Uri::Other(OtherUri {
            scheme: Cow::Borrowed(&s[..colon]),
            rest: Cow::Borrowed(&s[colon + 1..]),
        }))
    }

    /// The scheme: `"sip"`, `"sips"`, `"tel"` or the other scheme as written.
    pub fn scheme(&self) -> &str {
        match self {
            Uri::Sip(u) => u.scheme(),
            Uri::Tel(_) => "tel",
            Uri::Other(o) => &o.scheme,
        }
    }

    /// The SIP or SIPS URI, if this is one.
    pub fn as_sip(&self) -> Option<&SipUri<'a>> {
        match self {
            Uri::Sip(u) => Some(u),
            _ => None,
        }
    }

    /// The `tel` URI, if this is one.
    pub fn as_tel(&self) -> Option<&TelUri<'a>> {
        match self {
            Uri::Tel(u) => Some(u),
            _ => None,
        }
    }

    /// Writes the URI.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        match self {
            Uri::Sip(u) => u.encode(dst),
            Uri::Tel(u) => u.encode(dst),
            Uri::Other(o) => {
                dst.extend_from_slice(o.scheme.as_bytes());
                dst.push(b':');
                dst.extend_from_slice(o.rest.as_bytes());
            }
        }
    }

    /// Whether the two URIs are equivalent by the rules of their scheme (RFC
    /// 3261 §19.1.4 for SIP, RFC 3966 §4 for `tel`); other schemes compare with
    /// the scheme case-insensitive and the rest exactly.
    pub fn equivalent(&self, other: &Uri<'_>) -> bool {
        match (self, other) {
            (Uri::Sip(a), Uri::Sip(b)) => a.equivalent(b),
            (Uri::Tel(a), Uri::Tel(b)) => a.equivalent(b),
            (Uri::Other(a), Uri::Other(b)) => {
                a.scheme.eq_ignore_ascii_case(&b.scheme) && a.rest == b.rest
            }
            _ => false,
        }
    }

    /// Copies borrowed text so the URI outlives the input.
    pub fn into_owned(self) -> Uri<'static> {
        match self {
            Uri::Sip(u) => Uri::Sip(u.into_owned()),
            Uri::Tel(u) => Uri::Tel(u.into_owned()),
            Uri::Other(o) => Uri::Other(o.into_owned()),
        }
    }
}

impl fmt::Display for Uri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

impl<'a> From<SipUri<'a>> for Uri<'a> {
    fn from(u: SipUri<'a>) -> Self {
        Uri::Sip(u)
    }
}

impl<'a> From<TelUri<'a>> for Uri<'a> {
    fn from(u: TelUri<'a>) -> Self {
        Uri::Tel(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(matches!(Uri::parse("SIP:a@b").unwrap(), Uri::Sip(_)));
        assert!(matches!(Uri::parse("tel:+1").unwrap(), Uri::Tel(_)));
        let u = Uri::parse("nobodyKnowsThisScheme:totallyopaquecontent").unwrap();
        assert_eq!(u.scheme(), "nobodyKnowsThisScheme");
        let u = Uri::parse("soap.beep://192.0.2.103:3002").unwrap();
        assert_eq!(u.scheme(), "soap.beep");
        assert_eq!(u.to_string(), "soap.beep://192.0.2.103:3002");
        for ok in [
            "isbn:2983792873",
            "http://www.example.com",
            "name:John_Smith",
            "urn:service:sos",
        ] {
            assert!(Uri::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", ":x", "1x:y", "x:", "x:a b", "x:<y>", "nocolon"] {
            assert!(Uri::parse(bad).is_err(), "{bad}");
        }
    }
}
