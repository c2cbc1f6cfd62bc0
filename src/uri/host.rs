//! Hosts and `hostport` (RFC 3261 §25.1, RFC 5118 for IPv6 references).

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::error::{UriError, UriErrorKind};
use crate::syntax::{self, ALPHA, DIGIT};

/// A host: a domain name, an IPv4 address or an IPv6 address.
///
/// Domain names compare and hash case-insensitively (RFC 3261 §19.1.4). An
/// IPv6 address is written as a reference in brackets (`[2001:db8::1]`).
#[derive(Clone, Debug, Eq)]
pub enum Host<'a> {
    /// A host name such as `pcscf.ims.example.net`, as written.
    Domain(Cow<'a, str>),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address (from an IPv6 reference).
    Ipv6(Ipv6Addr),
}

impl<'a> Host<'a> {
    /// Parses a whole host: a host name, an IPv4 address or an IPv6 reference.
    ///
    /// # Errors
    /// [`UriErrorKind::Host`] or [`UriErrorKind::Ipv6`] when `s` is not one host.
    pub fn parse(s: &'a str) -> Result<Host<'a>, UriError> {
        let (host, end) = Host::parse_at(s, 0)?;
        if end != s.len() {
            return Err(UriError::new(UriErrorKind::Host, end));
        }
        Ok(host)
    }

    /// Parses a host at `pos`, returning it and the position after it.
    pub(crate) fn parse_at(s: &'a str, pos: usize) -> Result<(Host<'a>, usize), UriError> {
        let b = s.as_bytes();
        if b.get(pos) == Some(&b'[') {
            let close = memchr::memchr(b']', &b[pos..])
                .map(|off| pos + off)
                .ok_or(UriError::new(UriErrorKind::Ipv6, pos))?;
            let addr =
                parse_ipv6(&s[pos + 1..close]).ok_or(UriError::new(UriErrorKind::Ipv6, pos + 1))?;
            return Ok((Host::Ipv6(addr), close + 1));
        }
        // The usual IPv4 address in one pass: four octets, and the host ends
        // there (a host character after them makes it a name, or nothing).
        if b.get(pos).is_some_and(u8::is_ascii_digit)
            && let Some((a, end)) = parse_ipv4_at(b, pos)
            && !b.get(end).is_some_and(|&c| syntax::is(c, syntax::HOST))
        {
            return Ok((Host::Ipv4(a), end));
        }
        // `hostname / IPv4address`: find the end with a fast class scan,
        // then check the labels. A host name's top label starts with a
        // letter; an IPv4 address ends in a digit.
        let p = syntax::scan(b, pos, syntax::HOST);
        let text = &b[pos..p];
        let named = text.strip_suffix(b".").unwrap_or(text);
        let mut top_first = 0u8;
        for label in named.split(|&c| c == b'.') {
            match (label.first(), label.last()) {
                (Some(&first), Some(&last)) if first != b'-' && last != b'-' => top_first = first,
                _ => return Err(UriError::new(UriErrorKind::Host, pos)),
            }
        }
        if top_first.is_ascii_digit() {
            return parse_ipv4(text)
                .map(|a| (Host::Ipv4(a), p))
                .ok_or(UriError::new(UriErrorKind::Host, pos));
        }
        Ok((Host::Domain(Cow::Borrowed(&s[pos..p])), p))
    }

    /// The IP address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Host::Domain(_) => None,
            Host::Ipv4(a) => Some(IpAddr::V4(*a)),
            Host::Ipv6(a) => Some(IpAddr::V6(*a)),
        }
    }

    /// Writes the host: IPv6 addresses as a bracketed reference.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        match self {
            Host::Domain(d) => dst.extend_from_slice(d.as_bytes()),
            Host::Ipv4(a) => {
                for (i, octet) in a.octets().into_iter().enumerate() {
                    if i > 0 {
                        dst.push(b'.');
                    }
                    syntax::write_u64(dst, u64::from(octet));
                }
            }
            Host::Ipv6(_) => {
                use std::io::Write;
                // Writing to a Vec cannot fail.
                let _ = write!(dst, "{self}");
            }
        }
    }

    /// Copies borrowed text so the host outlives the input.
    pub fn into_owned(self) -> Host<'static> {
        match self {
            Host::Domain(d) => Host::Domain(Cow::Owned(d.into_owned())),
            Host::Ipv4(a) => Host::Ipv4(a),
            Host::Ipv6(a) => Host::Ipv6(a),
        }
    }
}

impl PartialEq for Host<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Host::Domain(a), Host::Domain(b)) => a.eq_ignore_ascii_case(b),
            (Host::Ipv4(a), Host::Ipv4(b)) => a == b,
            (Host::Ipv6(a), Host::Ipv6(b)) => a == b,
            _ => false,
        }
    }
}

impl Hash for Host<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Host::Domain(d) => {
                0u8.hash(state);
                for b in d.bytes() {
                    b.to_ascii_lowercase().hash(state);
                }
            }
            Host::Ipv4(a) => a.hash(state),
            Host::Ipv6(a) => a.hash(state),
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(a) => write!(f, "{a}"),
            Host::Ipv6(a) => write!(f, "[{a}]"),
        }
    }
}

impl From<IpAddr> for Host<'_> {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(a) => Host::Ipv4(a),
            IpAddr::V6(a) => Host::Ipv6(a),
        }
    }
}

/// A host with an optional port (`hostport`, and Via's `sent-by`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostPort<'a> {
    /// The host.
    pub host: Host<'a>,
    /// The port, when one is written.
    pub port: Option<u16>,
}

impl From<SocketAddr> for HostPort<'_> {
    /// The address and port of a socket: `192.0.2.1:5060`,
    /// `[2001:db8::1]:5060`.
    fn from(addr: SocketAddr) -> Self {
        HostPort {
            host: addr.ip().into(),
            port: Some(addr.port()),
        }
    }
}

impl<'a> HostPort<'a> {
    /// Parses `host [":" port]`.
    ///
    /// # Errors
    /// A [`UriError`] when `s` is not exactly one `hostport`.
    pub fn parse(s: &'a str) -> Result<HostPort<'a>, UriError> {
        let (hp, end) = HostPort::parse_at(s, 0)?;
        if end != s.len() {
            return Err(UriError::new(UriErrorKind::Trailing, end));
        }
        Ok(hp)
    }

    pub(crate) fn parse_at(s: &'a str, pos: usize) -> Result<(HostPort<'a>, usize), UriError> {
        let (host, mut end) = Host::parse_at(s, pos)?;
        let mut port = None;
        if s.as_bytes().get(end) == Some(&b':') {
            let (p, e) = parse_port(s.as_bytes(), end + 1)?;
            port = Some(p);
            end = e;
        }
        Ok((HostPort { host, port }, end))
    }

    /// Writes `host[:port]`.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        self.host.encode(dst);
        if let Some(port) = self.port {
            dst.push(b':');
            syntax::write_u64(dst, u64::from(port));
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> HostPort<'static> {
        HostPort {
            host: self.host.into_owned(),
            port: self.port,
        }
    }
}

impl fmt::Display for HostPort<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.host)?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// Parses `1*DIGIT` at `pos` as a port.
pub(crate) fn parse_port(b: &[u8], pos: usize) -> Result<(u16, usize), UriError> {
    let end = syntax::scan(b, pos, DIGIT);
    let port = syntax::parse_u64(&b[pos..end])
        .and_then(|p| u16::try_from(p).ok())
        .ok_or(UriError::new(UriErrorKind::Port, pos))?;
    Ok((port, end))
}

/// `IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`, each at
/// most 255. Leading zeros are allowed, as the grammar allows them.
pub(crate) fn parse_ipv4(b: &[u8]) -> Option<Ipv4Addr> {
    parse_ipv4_at(b, 0).and_then(|(a, end)| (end == b.len()).then_some(a))
}

/// An `IPv4address` at `pos` and the position after it; what follows is
/// the caller's to judge.
#[inline]
fn parse_ipv4_at(b: &[u8], pos: usize) -> Option<(Ipv4Addr, usize)> {
    // One to three digits, unrolled: the value and the position after.
    let digit = |i: usize| b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10);
    let octet = |i: usize| -> Option<(u8, usize)> {
        let d0 = u16::from(digit(i)?);
        let Some(d1) = digit(i + 1) else {
            return Some((d0 as u8, i + 1));
        };
        let v = d0 * 10 + u16::from(d1);
        let Some(d2) = digit(i + 2) else {
            return Some((v as u8, i + 2));
        };
        Some((u8::try_from(v * 10 + u16::from(d2)).ok()?, i + 3))
    };
    let (a, i) = octet(pos)?;
    let mut octets = [a, 0, 0, 0];
    let mut i = i;
    for o in &mut octets[1..] {
        if b.get(i) != Some(&b'.') {
            return None;
        }
        let (v, next) = octet(i + 1)?;
        *o = v;
        i = next;
    }
    Some((Ipv4Addr::from(octets), i))
}

/// Parses the inside of an IPv6 reference. Tolerates the extra colon that the
/// RFC 3261 grammar permits (`2001:db8:::192.0.2.1`, RFC 5118 §4.10).
pub(crate) fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    if let Ok(a) = s.parse() {
        return Some(a);
    }
    let at = s.find(":::")?;
    if s.len() > 64 {
        return None;
    }
    let mut buf = [0u8; 64];
    let fixed = [&s.as_bytes()[..at], b"::", &s.as_bytes()[at + 3..]];
    let mut len = 0;
    for part in fixed {
        buf[len..len + part.len()].copy_from_slice(part);
        len += part.len();
    }
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

/// `hostname = *( domainlabel "." ) toplabel [ "." ]`.
pub(crate) fn valid_hostname(b: &[u8]) -> bool {
    let b = b.strip_suffix(b".").unwrap_or(b);
    if b.is_empty() {
        return false;
    }
    let mut labels = b.split(|&c| c == b'.').peekable();
    while let Some(label) = labels.next() {
        let (Some(&first), Some(&last)) = (label.first(), label.last()) else {
            return false;
        };
        if first == b'-' || last == b'-' {
            return false;
        }
        if labels.peek().is_none() && !syntax::is(first, ALPHA) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_grammar() {
        let ok = [
            ("0.0.0.0", [0, 0, 0, 0]),
            ("255.255.255.255", [255; 4]),
            ("192.0.2.1", [192, 0, 2, 1]),
            ("010.002.000.9", [10, 2, 0, 9]),
        ];
        for (text, octets) in ok {
            let a = Ipv4Addr::from(octets);
            assert_eq!(parse_ipv4(text.as_bytes()), Some(a), "{text}");
            // Encoded without `fmt`, as `Ipv4Addr` displays itself.
            let mut out = Vec::new();
            Host::Ipv4(a).encode(&mut out);
            assert_eq!(out, a.to_string().as_bytes());
        }
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "256.1.1.1",
            "1.2.3.256",
            "1.2.3.0001",
            "1.2.3.4a",
            "1.-2.3.4",
            "999.1.1.1",
        ] {
            assert_eq!(parse_ipv4(bad.as_bytes()), None, "{bad}");
        }
    }

    /// The grammar read the plain way: four dot-separated runs of one to
    /// three digits, each at most 255.
    fn ipv4_reference(b: &[u8]) -> Option<Ipv4Addr> {
        let text = std::str::from_utf8(b).ok()?;
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != 4 {
            return None;
        }
        let mut octets = [0u8; 4];
        for (o, p) in octets.iter_mut().zip(&parts) {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            *o = p.parse().ok()?;
        }
        Some(Ipv4Addr::from(octets))
    }

    proptest::proptest! {
        #[test]
        fn ipv4_as_the_grammar_reads(text in "[0-9.a]{0,18}") {
            proptest::prop_assert_eq!(parse_ipv4(text.as_bytes()), ipv4_reference(text.as_bytes()));
        }

        #[test]
        fn ipv4_addresses(a: [u8; 4], zeros in proptest::collection::vec(0usize..3, 4)) {
            let text: Vec<String> = a
                .iter()
                .zip(&zeros)
                .map(|(o, z)| {
                    let s = o.to_string();
                    let pad = (*z).min(3 - s.len());
                    format!("{}{s}", "0".repeat(pad))
                })
                .collect();
            let text = text.join(".");
            proptest::prop_assert_eq!(parse_ipv4(text.as_bytes()), Some(Ipv4Addr::from(a)));
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            Host::parse("Example.COM").unwrap(),
            Host::parse("example.com").unwrap()
        );
        assert_eq!(
            Host::parse("192.0.2.1").unwrap(),
            Host::Ipv4(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert_eq!(
            Host::parse("010.000.002.001").unwrap(),
            Host::Ipv4(Ipv4Addr::new(10, 0, 2, 1))
        );
        assert!(Host::parse("192.0.2.256").is_err());
        assert!(Host::parse("1.2.3").is_err());
        assert!(Host::parse("-a.com").is_err());
        assert!(Host::parse("a..com").is_err());
        for bad in [
            ".", "..", "a-.com", "a.-com", "a.com-", ".a.com", "a.com..", "-", "x1.2y",
        ] {
            assert!(Host::parse(bad).is_err(), "{bad}");
        }
        for good in ["a", "a.", "a-b.c-d.", "1a.example", "www.1-2.com"] {
            assert!(Host::parse(good).is_ok(), "{good}");
        }
        assert!(Host::parse("example.com.").is_ok());
        assert!(Host::parse("").is_err());
        assert_eq!(
            Host::parse("[2001:db8::10]").unwrap(),
            Host::Ipv6("2001:db8::10".parse().unwrap())
        );
        assert_eq!(
            Host::parse("[2001:db8:::192.0.2.1]").unwrap(),
            Host::Ipv6("2001:db8::192.0.2.1".parse().unwrap())
        );
        assert!(Host::parse("[2001:db8::10").is_err());
        assert!(Host::parse("[::ffff:192.0.2.1]").is_ok());
    }

    #[test]
    fn hostports() {
        let hp = HostPort::parse("[2001:db8::10]:5070").unwrap();
        assert_eq!(hp.port, Some(5070));
        let hp = HostPort::parse("[2001:db8::10:5070]").unwrap();
        assert_eq!(hp.port, None);
        assert!(HostPort::parse("host:65536").is_err());
        assert!(HostPort::parse("host:").is_err());
        let mut out = Vec::new();
        hp.encode(&mut out);
        assert_eq!(out, b"[2001:db8::10:5070]");
    }
}
