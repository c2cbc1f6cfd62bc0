//! The Contact header ([RFC 3261 §20.10](https://www.rfc-editor.org/rfc/rfc3261#section-20.10)).

use std::fmt;

use super::keyword::{number_value, overflow_error};
use super::name_addr::{self, NameAddr};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;

/// One element of a Contact header (compact form `m`): `*` or an address with
/// its parameters.
///
/// Parsing checks the `q` and `expires` parameters; an `expires` above
/// 2³²−1 is an error (RFC 4475 §3.1.2.4).
///
/// ```
/// use imsip::header::{Contact, QValue, TypedHeader};
///
/// let c = Contact::parse("<sip:alice@192.0.2.4>;q=0.7;expires=3600").unwrap();
/// let Contact::Address(addr) = c else { panic!() };
/// assert_eq!(addr.q(), Some(QValue::from_thousandths(700).unwrap()));
/// assert_eq!(addr.expires(), Some(3600));
/// assert_eq!(Contact::parse("*").unwrap(), Contact::Wildcard);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact<'a> {
    /// `Contact: *`, only meaningful in a REGISTER with `Expires: 0`.
    Wildcard,
    /// An address.
    Address(ContactAddress<'a>),
}

/// A contact address: `name-addr` or `addr-spec` and contact parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactAddress<'a> {
    /// Display name and URI.
    pub name_addr: NameAddr<'a>,
    /// Contact parameters (`q`, `expires`, feature tags, `+sip.instance`, ...).
    pub params: Params<'a>,
}

impl<'a> ContactAddress<'a> {
    /// An address without parameters.
    pub fn new(name_addr: NameAddr<'a>) -> Self {
        ContactAddress {
            name_addr,
            params: Params::header(),
        }
    }

    /// The `q` parameter.
    pub fn q(&self) -> Option<QValue> {
        self.params.value("q").and_then(QValue::parse)
    }

    /// The `expires` parameter in seconds.
    pub fn expires(&self) -> Option<u32> {
        self.params
            .value("expires")
            .and_then(|v| syntax::parse_u32(v.as_bytes()).ok())
    }

    /// Sets the `expires` parameter (replacing any there was).
    ///
    /// ```
    /// use imsip::header::{Contact, ContactAddress, NameAddr, QValue, TypedHeader};
    /// use imsip::uri::Uri;
    ///
    /// let mut c = ContactAddress::new(NameAddr::new(Uri::parse("sip:alice@192.0.2.4").unwrap()))
    ///     .with_expires(600);
    /// c.set_q(QValue::from_thousandths(500).unwrap());
    /// assert_eq!(Contact::Address(c).to_string(), "<sip:alice@192.0.2.4>;expires=600;q=0.5");
    /// ```
    pub fn set_expires(&mut self, seconds: u32) {
        // A number is a valid parameter value.
        let _ = self.params.set("expires", Some(&seconds.to_string()));
    }

    /// The same address with `expires` set ([`ContactAddress::set_expires`]).
    #[must_use]
    pub fn with_expires(mut self, seconds: u32) -> Self {
        self.set_expires(seconds);
        self
    }

    /// Sets the `q` parameter (replacing any there was).
    pub fn set_q(&mut self, q: QValue) {
        // A q-value prints as a valid parameter value.
        let _ = self.params.set("q", Some(&q.to_string()));
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> ContactAddress<'static> {
        ContactAddress {
            name_addr: self.name_addr.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl Contact<'_> {
    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Contact<'static> {
        match self {
            Contact::Wildcard => Contact::Wildcard,
            Contact::Address(a) => Contact::Address(a.into_owned()),
        }
    }
}

impl<'a> TypedHeader<'a> for Contact<'a> {
    const NAME: HeaderName = HeaderName::Contact;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek() == Some(b'*') {
            // `*` alone, unless it starts a display name (`*bob* <sip:...>`).
            let after = syntax::skip_lws(c.bytes(), c.pos + 1);
            match c.bytes().get(after) {
                None => return Ok(Contact::Wildcard),
                Some(b';' | b',') => {
                    return Err(HeaderError::new(HeaderErrorKind::Wildcard, after));
                }
                _ => {}
            }
        }
        let name_addr = name_addr::parse(&mut c, true)?;
        let mut overflow = false;
        let params = c
            .params_checked(|name, value| {
                let is = |n: &str| name.eq_ignore_ascii_case(n);
                match name.len() {
                    1 if is("q") => value.and_then(QValue::parse).is_some(),
                    7 if is("expires") => number_value(value, u32::MAX, &mut overflow),
                    _ => true,
                }
            })
            .map_err(|e| overflow_error(e, overflow))?;
        c.finish()?;
        Ok(Contact::Address(ContactAddress { name_addr, params }))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        match self {
            Contact::Wildcard => dst.push(b'*'),
            Contact::Address(a) => {
                a.name_addr.encode(dst);
                a.params.encode(dst);
            }
        }
    }
}

impl fmt::Display for Contact<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// A preference `qvalue` from 0 to 1 in thousandths (RFC 3261 §20.10).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QValue(u16);

impl QValue {
    /// 1, the preference of a contact without `q` (RFC 3261 §16.6).
    pub const ONE: QValue = QValue(1000);

    /// The value `n`/1000, if `n` ≤ 1000.
    pub const fn from_thousandths(n: u16) -> Option<QValue> {
        if n <= 1000 { Some(QValue(n)) } else { None }
    }

    /// The value in thousandths.
    pub const fn thousandths(self) -> u16 {
        self.0
    }

    /// Parses `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
    pub fn parse(s: &str) -> Option<QValue> {
        let b = s.as_bytes();
        let (&first, rest) = b.split_first()?;
        let frac = match rest {
            [] => &[][..],
            [b'.', f @ ..] if f.len() <= 3 && f.iter().all(u8::is_ascii_digit) => f,
            _ => return None,
        };
        let mut thousandths = 0u16;
        for i in 0..3 {
            thousandths = thousandths * 10 + frac.get(i).map_or(0, |d| u16::from(d - b'0'));
        }
        match first {
            b'0' => Some(QValue(thousandths)),
            b'1' if thousandths == 0 => Some(QValue(1000)),
            _ => None,
        }
    }
}

impl fmt::Display for QValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 1000 {
            return f.write_str("1");
        }
        let s = format!("0.{:03}", self.0);
        f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qvalues() {
        for (s, v) in [
            ("0", 0),
            ("0.", 0),
            ("0.5", 500),
            ("0.33", 330),
            ("0.001", 1),
            ("1", 1000),
            ("1.000", 1000),
        ] {
            assert_eq!(QValue::parse(s), Some(QValue(v)), "{s}");
        }
        for s in ["", "1.5", "2", "0.1234", ".5", "0,5", "1.001"] {
            assert_eq!(QValue::parse(s), None, "{s}");
        }
        assert_eq!(QValue(500).to_string(), "0.5");
        assert_eq!(QValue(0).to_string(), "0");
        assert_eq!(QValue(1000).to_string(), "1");
        assert_eq!(QValue(1).to_string(), "0.001");
    }

    #[test]
    fn torture() {
        // RFC 4475 §3.1.1.1: white space around parameters and folds.
        let c = Contact::parse("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33").unwrap();
        let Contact::Address(a) = c else { panic!() };
        assert_eq!(
            a.name_addr.display_name.as_deref(),
            Some("Quoted string \"\"")
        );
        assert_eq!(a.params.value("newparam"), Some("newvalue"));
        assert!(a.params.contains("secondparam"));
        assert_eq!(a.q(), Some(QValue(330)));
        // §3.1.2.1: empty parameters.
        assert!(Contact::parse("\"Joe\" <sip:joe@example.org>;;;;").is_err());
        // §3.1.2.4: expires beyond 2^32-1.
        assert_eq!(
            Contact::parse("<sip:user@host129.example.com>\r\n  ;expires=280297596632815")
                .unwrap_err()
                .kind(),
            HeaderErrorKind::OutOfRange
        );
        // §3.3.12: an unknown contact parameter outside <>.
        let Contact::Address(a) =
            Contact::parse("sip:+19725552222@gw1.example.net;unknownparam").unwrap()
        else {
            panic!()
        };
        assert!(a.params.contains("unknownparam"));
        assert!(a.name_addr.uri.as_sip().unwrap().params().is_empty());
        assert_eq!(
            Contact::parse("* ;q=1").unwrap_err().kind(),
            HeaderErrorKind::Wildcard
        );
    }
}
