//! The Referred-By header ([RFC 3892 §3](https://www.rfc-editor.org/rfc/rfc3892#section-3)).

use std::fmt;

use super::name_addr::{self, NameAddr};
use super::param_check;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::uri::{Host, Uri};

/// `Referred-By: <sip:referrer@referrer.example>;cid="20398823.2UWQFN309shb3@referrer.example"`
/// (compact form `b`): who sent a REFER, for the request it triggers, with
/// `cid` naming the body part that holds a signed Referred-By token.
///
/// Parsing checks that `cid` is a quoted `dot-atom "@" (dot-atom / host)`.
///
/// ```
/// use imsip::header::{ReferredBy, TypedHeader};
///
/// let r = ReferredBy::parse("<sip:referrer@referrer.example>;cid=\"20398823.2UWQFN309shb3@referrer.example\"").unwrap();
/// assert_eq!(r.uri().to_string(), "sip:referrer@referrer.example");
/// assert_eq!(r.cid(), Some("20398823.2UWQFN309shb3@referrer.example"));
/// assert!(ReferredBy::parse("<sip:referrer@referrer.example>;cid=x").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferredBy<'a> {
    /// Display name and URI of the referrer.
    pub name_addr: NameAddr<'a>,
    /// The parameters (`cid`, others).
    pub params: Params<'a>,
}

/// `sip-clean-msg-id = LDQUOT dot-atom "@" (dot-atom / host) RDQUOT`.
fn is_clean_msg_id(v: &str) -> bool {
    let Some(inner) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return false;
    };
    let Some((local, domain)) = inner.split_once('@') else {
        return false;
    };
    is_dot_atom(local) && (is_dot_atom(domain) || Host::parse(domain).is_ok())
}

/// `dot-atom = atom *( "." atom )`, `atom = 1*( alphanum / "-" / "!" / "%" /
/// "*" / "_" / "+" / "'" / "`" / "~" )`.
fn is_dot_atom(s: &str) -> bool {
    s.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-!%*_+'`~".contains(&b))
    })
}

impl<'a> ReferredBy<'a> {
    /// A referrer without parameters.
    pub fn new(name_addr: NameAddr<'a>) -> Self {
        ReferredBy {
            name_addr,
            params: Params::header(),
        }
    }

    /// The referrer's URI.
    pub fn uri(&self) -> &Uri<'a> {
        &self.name_addr.uri
    }

    /// The `cid` parameter without its quotes: the Content-ID of the body
    /// part with the Referred-By token.
    pub fn cid(&self) -> Option<&str> {
        self.params.value("cid").map(param_check::strip_quotes)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> ReferredBy<'static> {
        ReferredBy {
            name_addr: self.name_addr.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for ReferredBy<'a> {
    const NAME: HeaderName = HeaderName::ReferredBy;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let name_addr = name_addr::parse(&mut c, true)?;
        let params = param_check::params(&mut c, &["cid"], |_, v| match v {
            Some(v) if is_clean_msg_id(v) => Ok(()),
            _ => Err(HeaderErrorKind::ParamValue),
        })?;
        c.finish()?;
        Ok(ReferredBy { name_addr, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.name_addr.encode(dst);
        self.params.encode(dst);
    }
}

impl fmt::Display for ReferredBy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3892 §3, and other values of the same shape.
        for (text, uri, cid) in [
            (
                "<sip:referrer@referrer.example>;cid=\"20398823.2UWQFN309shb3@referrer.example\"",
                "sip:referrer@referrer.example",
                Some("20398823.2UWQFN309shb3@referrer.example"),
            ),
            (
                "sip:referrer@referrer.example",
                "sip:referrer@referrer.example",
                None,
            ),
            (
                "Alice <sip:alice@atlanta.example.com>",
                "sip:alice@atlanta.example.com",
                None,
            ),
            (
                "<sips:alice@atlanta.example.com> ; cid = \"abc@[2001:db8::1]\"",
                "sips:alice@atlanta.example.com",
                Some("abc@[2001:db8::1]"),
            ),
            (
                "<sip:a@b.example>;cid=\"a.b@192.0.2.1\";x=y",
                "sip:a@b.example",
                Some("a.b@192.0.2.1"),
            ),
        ] {
            let r = ReferredBy::parse(text).unwrap();
            assert_eq!(r.uri().to_string(), uri, "{text}");
            assert_eq!(r.cid(), cid, "{text}");
            assert_eq!(ReferredBy::parse(&r.to_string()).unwrap(), r, "{text}");
        }
        let r = ReferredBy::parse("b <sip:b@x.example> ;cid=\"1@x.example\"").unwrap();
        assert_eq!(r.to_string(), "\"b\" <sip:b@x.example>;cid=\"1@x.example\"");
        assert_eq!(r.clone().into_owned(), r);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            (
                "<sip:a@b.example>;cid=1@b.example",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:a@b.example>;cid=\"nodomain\"",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:a@b.example>;cid=\"a..b@c\"",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:a@b.example>;cid=\"a b@c\"",
                HeaderErrorKind::ParamValue,
            ),
            ("<sip:a@b.example>;cid", HeaderErrorKind::ParamValue),
            (
                "<sip:a@b.example>;cid=\"a@c\";cid=\"b@c\"",
                HeaderErrorKind::DuplicateParam,
            ),
            ("sip:a@b.example?x=y", HeaderErrorKind::AddrSpec),
            ("<sip:a@b.example", HeaderErrorKind::AngleBracket),
        ] {
            assert_eq!(ReferredBy::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
