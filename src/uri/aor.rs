//! The canonical address-of-record of a URI: what a registrar and a
//! location service index bindings by
//! ([RFC 3261 §10.3](https://www.rfc-editor.org/rfc/rfc3261#section-10.3)
//! step 5), and what an S-CSCF keys a public user identity by.

use std::fmt;

use super::{SipUri, TelUri, Uri};
use crate::syntax;

/// The canonical form of a SIP, SIPS or `tel` URI as an address-of-record:
/// URI parameters and headers removed, escapes of unreserved characters
/// decoded and the others written in upper case, the host in lower case,
/// the port kept only when written (RFC 3261 §10.3 step 5, §19.1.4). For a
/// `tel` URI: the number without visual separators, with its
/// `phone-context`, `ext` and `isub` (RFC 3966 §4).
///
/// Two URIs that are equivalent once their parameters are removed have the
/// same address-of-record, so [`Eq`] and [`Hash`] agree with
/// [`SipUri::equivalent`] and [`TelUri::equivalent`] on it.
///
/// ```
/// use imsip::uri::{AddressOfRecord, Uri};
///
/// let aor = |s: &str| Uri::parse(s).unwrap().address_of_record().unwrap();
/// assert_eq!(aor("sip:%61lice@Example.COM;transport=tcp"), aor("sip:alice@example.com"));
/// assert_eq!(aor("sip:alice@example.com").as_str(), "sip:alice@example.com");
/// // The user part is case-sensitive, and a written default port counts.
/// assert_ne!(aor("sip:Alice@example.com"), aor("sip:alice@example.com"));
/// assert_ne!(aor("sip:alice@example.com:5060"), aor("sip:alice@example.com"));
/// assert_eq!(aor("tel:+1-201-555-0123;foo=bar"), aor("tel:+12015550123"));
/// assert_eq!(Uri::parse("urn:service:sos").unwrap().address_of_record(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AddressOfRecord(String);

impl AddressOfRecord {
    /// The canonical text: itself a URI of the same scheme.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AddressOfRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Uri<'_> {
    /// The address-of-record of a SIP, SIPS or `tel` URI; `None` for other
    /// schemes.
    pub fn address_of_record(&self) -> Option<AddressOfRecord> {
        match self {
            Uri::Sip(u) => Some(u.address_of_record()),
            Uri::Tel(u) => Some(u.address_of_record()),
            Uri::Other(_) => None,
        }
    }
}

impl SipUri<'_> {
    /// The address-of-record: scheme, user and password, host and port
    /// in canonical form, without parameters or headers.
    pub fn address_of_record(&self) -> AddressOfRecord {
        let mut out = String::with_capacity(self.host().to_string().len() + 32);
        out.push_str(self.scheme());
        out.push(':');
        if let Some(user) = self.user() {
            push_canonical(&mut out, user);
            if let Some(password) = self.password() {
                out.push(':');
                push_canonical(&mut out, password);
            }
            out.push('@');
        }
        // Domain names compare without case; addresses print canonically.
        out.push_str(&self.host().to_string().to_ascii_lowercase());
        if let Some(port) = self.port() {
            out.push(':');
            out.push_str(&port.to_string());
        }
        AddressOfRecord(out)
    }
}

impl TelUri<'_> {
    /// The address-of-record: the number without visual separators and in
    /// lower case, then `phone-context`, `ext` and `isub` when present, in
    /// that order and canonical form.
    pub fn address_of_record(&self) -> AddressOfRecord {
        let mut out = String::from("tel:");
        out.extend(self.digits().map(|c| c.to_ascii_lowercase()));
        for (name, value) in [
            ("phone-context", self.phone_context()),
            ("ext", self.extension()),
            ("isub", self.isdn_subaddress()),
        ] {
            if let Some(v) = value {
                out.push(';');
                out.push_str(name);
                out.push('=');
                if name == "isub" {
                    push_canonical(&mut out, v);
                } else {
                    // As `TelUri::equivalent` compares them.
                    out.extend(
                        v.chars()
                            .filter(|&c| !super::tel::is_visual(c))
                            .map(|c| c.to_ascii_lowercase()),
                    );
                }
            }
        }
        AddressOfRecord(out)
    }
}

/// `escaped` with the escapes of unreserved characters decoded and those of
/// other characters in upper-case hex: equal for text that
/// [`syntax::escaped_eq`] (case-sensitively) finds equal.
fn push_canonical(out: &mut String, escaped: &str) {
    for (b, was_escaped) in syntax::decoded_units(escaped) {
        if was_escaped && !syntax::is(b, syntax::UNRESERVED) {
            syntax::push_escape(out, b);
        } else {
            out.push(char::from(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn aor(s: &str) -> AddressOfRecord {
        Uri::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .address_of_record()
            .unwrap()
    }

    #[test]
    fn canonical_forms() {
        for (uri, expected) in [
            ("sip:alice@example.com", "sip:alice@example.com"),
            (
                "SIP:alice@EXAMPLE.com;lr;transport=udp?subject=x",
                "sip:alice@example.com",
            ),
            ("sips:alice@example.com:5061", "sips:alice@example.com:5061"),
            ("sip:%61%6cice@example.com", "sip:alice@example.com"),
            ("sip:a%3bb@example.com", "sip:a%3Bb@example.com"),
            ("sip:a%3Bb@example.com", "sip:a%3Bb@example.com"),
            (
                "sip:alice:secr%65t@example.com",
                "sip:alice:secret@example.com",
            ),
            ("sip:example.com", "sip:example.com"),
            (
                "sip:+15551234@ims.example.net;user=phone",
                "sip:+15551234@ims.example.net",
            ),
            ("sip:bob@010.000.000.001", "sip:bob@10.0.0.1"),
            ("sip:bob@[2001:DB8:0::1]:5070", "sip:bob@[2001:db8::1]:5070"),
            ("tel:+1-201-555-0123", "tel:+12015550123"),
            (
                "tel:7042;phone-context=Example.COM",
                "tel:7042;phone-context=examplecom",
            ),
            (
                "tel:+1-201-555-0123;ext=1-2;isub=a%62",
                "tel:+12015550123;ext=12;isub=ab",
            ),
        ] {
            assert_eq!(aor(uri).as_str(), expected, "{uri}");
        }
    }

    fn part() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9]",
                Just("%61".to_owned()),
                Just("%41".to_owned()),
                Just("%3b".to_owned()),
                Just("%3B".to_owned()),
                Just("-".to_owned()),
                Just(".".to_owned()),
            ],
            1..6,
        )
        .prop_map(|v| v.concat())
    }

    fn sip_uri() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("sip"), Just("SIP"), Just("sips")],
            prop::option::of(part()),
            prop_oneof![
                Just("example.com"),
                Just("EXAMPLE.com"),
                Just("h.example.net"),
                Just("192.0.2.1"),
                Just("[2001:db8::1]"),
                Just("[2001:DB8:0::1]")
            ],
            prop::option::of(prop_oneof![Just(5060u16), Just(5070)]),
            prop_oneof![Just(""), Just(";lr"), Just(";transport=tcp"), Just(";x=1")],
        )
            .prop_map(|(scheme, user, host, port, params)| {
                let user = user.map(|u| format!("{u}@")).unwrap_or_default();
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                format!("{scheme}:{user}{host}{port}{params}")
            })
    }

    proptest! {
        /// Equal addresses-of-record exactly for URIs that are equivalent
        /// once their parameters are removed.
        #[test]
        fn keys_agree_with_equivalence(a in sip_uri(), b in sip_uri()) {
            let strip = |s: &str| {
                let mut u = SipUri::parse(s).unwrap().into_owned();
                let names: Vec<String> = u.params().iter().map(|p| p.name.to_owned()).collect();
                for n in names {
                    u.params_mut().remove(&n);
                }
                u
            };
            let (ua, ub) = (strip(&a), strip(&b));
            prop_assert_eq!(
                ua.equivalent(&ub),
                aor(&a) == aor(&b),
                "{} / {}", a, b
            );
            // The canonical text is a URI with the same key.
            prop_assert_eq!(aor(aor(&a).as_str()), aor(&a));
        }
    }
}
