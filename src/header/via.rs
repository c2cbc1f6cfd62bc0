//! The Via header ([RFC 3261 §20.42](https://www.rfc-editor.org/rfc/rfc3261#section-20.42),
//! `rport` from [RFC 3581](https://www.rfc-editor.org/rfc/rfc3581)).

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax::{self, DIGIT};
use crate::transport::Transport;
use crate::uri::{Host, HostPort};

/// The branch prefix of RFC 3261 §8.1.1.7 that marks a globally unique branch.
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// One element of a Via header:
/// `SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport`.
///
/// Parsing accepts white space around `/`, `:`, `;` and `=` as the grammar
/// does, and checks the values of `ttl`, `maddr`, `received`, `branch` and
/// `rport`.
///
/// ```
/// use imsip::header::{Rport, TypedHeader, Via};
/// use imsip::Transport;
///
/// let via = Via::parse("SIP/2.0/TCP [2001:db8::9:1];received=[2001:db8::9:255];rport=5061;branch=z9hG4bKas3").unwrap();
/// assert_eq!(via.transport, Transport::Tcp);
/// assert_eq!(via.received(), Some("2001:db8::9:255".parse().unwrap()));
/// assert_eq!(via.rport(), Some(Rport::Port(5061)));
/// assert!(via.has_magic_cookie());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Via<'a> {
    /// Protocol name, `SIP`.
    pub protocol: Cow<'a, str>,
    /// Protocol version, `2.0`.
    pub version: Cow<'a, str>,
    /// Transport.
    pub transport: Transport<'a>,
    /// Host and port the request was sent from.
    pub sent_by: HostPort<'a>,
    /// Parameters (`branch`, `received`, `rport`, `maddr`, `ttl`, others).
    pub params: Params<'a>,
}

/// The `rport` parameter of RFC 3581.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rport {
    /// `;rport` without value: the client asks for it to be filled in.
    Requested,
    /// `;rport=5060`: the source port the server saw.
    Port(u16),
}

impl<'a> Via<'a> {
    /// A `SIP/2.0/<transport> <sent_by>` element without parameters.
    pub fn new(transport: Transport<'a>, sent_by: HostPort<'a>) -> Self {
        Via {
            protocol: Cow::Borrowed("SIP"),
            version: Cow::Borrowed("2.0"),
            transport,
            sent_by,
            params: Params::header(),
        }
    }

    /// The `branch` parameter.
    pub fn branch(&self) -> Option<&str> {
        self.params.value("branch")
    }

    /// Whether the branch starts with the RFC 3261 magic cookie and has
    /// something after it, so that it identifies the transaction (RFC 3261
    /// §17.2.3). `branch=z9hG4bK` alone (RFC 4475 §3.2.1) does not.
    pub fn has_magic_cookie(&self) -> bool {
        self.rfc3261_branch().is_some()
    }

    /// The branch when it carries the magic cookie ([`Via::has_magic_cookie`]),
    /// read once: what transaction matching keys on.
    ///
    /// ```
    /// use imsip::header::{TypedHeader, Via};
    ///
    /// let v = Via::parse("SIP/2.0/UDP h;branch=z9hG4bK77").unwrap();
    /// assert_eq!(v.rfc3261_branch(), Some("z9hG4bK77"));
    /// let old = Via::parse("SIP/2.0/UDP h;branch=77").unwrap();
    /// assert_eq!((old.branch(), old.rfc3261_branch()), (Some("77"), None));
    /// let bare = Via::parse("SIP/2.0/UDP h;branch=z9hG4bK").unwrap();
    /// assert_eq!(bare.rfc3261_branch(), None);
    /// ```
    pub fn rfc3261_branch(&self) -> Option<&str> {
        self.branch()
            .filter(|b| b.len() > MAGIC_COOKIE.len() && b.starts_with(MAGIC_COOKIE))
    }

    /// The `received` parameter. Brackets around an IPv6 address are
    /// tolerated (RFC 5118 §4.5).
    pub fn received(&self) -> Option<IpAddr> {
        self.params.value("received").and_then(parse_received)
    }

    /// The `rport` parameter.
    pub fn rport(&self) -> Option<Rport> {
        let p = self.params.get("rport")?;
        match p.value {
            None => Some(Rport::Requested),
            Some(v) => v.parse().ok().map(Rport::Port),
        }
    }

    /// The `maddr` parameter.
    pub fn maddr(&self) -> Option<Host<'_>> {
        self.params.value("maddr").and_then(|v| Host::parse(v).ok())
    }

    /// The `ttl` parameter.
    pub fn ttl(&self) -> Option<u8> {
        self.params.value("ttl").and_then(|v| v.parse().ok())
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Via<'static> {
        Via {
            protocol: Cow::Owned(self.protocol.into_owned()),
            version: Cow::Owned(self.version.into_owned()),
            transport: self.transport.into_owned(),
            sent_by: self.sent_by.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

fn parse_received(v: &str) -> Option<IpAddr> {
    let v = v
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(v);
    if let Some(a) = crate::uri::host_ipv4(v.as_bytes()) {
        return Some(IpAddr::V4(a));
    }
    v.parse().ok().map(IpAddr::V6)
}

impl<'a> TypedHeader<'a> for Via<'a> {
    const NAME: HeaderName = HeaderName::Via;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        if let Some(via) = parse_canonical(value) {
            return Ok(via);
        }
        let mut c = Cursor::new(value);
        let protocol_err = |c: &Cursor<'_>| c.error(HeaderErrorKind::Protocol);
        let protocol = c.token().map_err(|_| protocol_err(&c))?;
        c.separator(b'/').map_err(|_| protocol_err(&c))?;
        let version = c.token().map_err(|_| protocol_err(&c))?;
        c.separator(b'/').map_err(|_| protocol_err(&c))?;
        let transport = c.token().map_err(|_| protocol_err(&c))?;
        let before = c.pos;
        c.skip_lws();
        if c.pos == before {
            return Err(c.error(HeaderErrorKind::Expected(b' ')));
        }
        let (host, end) = Host::parse_at(c.s, c.pos)
            .map_err(|e| HeaderError::new(HeaderErrorKind::Host, e.offset()))?;
        c.pos = end;
        let mut port = None;
        let after_host = c.pos;
        c.skip_lws();
        if c.eat(b':') {
            c.skip_lws();
            let start = c.pos;
            let digits = c.scan(DIGIT);
            port = Some(
                syntax::parse_u64(digits.as_bytes())
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or(HeaderError::new(HeaderErrorKind::Port, start))?,
            );
        } else {
            c.pos = after_host;
        }
        let params = c.params_checked(param_ok)?;
        c.finish()?;
        Ok(Via {
            protocol: Cow::Borrowed(protocol),
            version: Cow::Borrowed(version),
            transport: Transport::parse(transport),
            sent_by: HostPort { host, port },
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.protocol.as_bytes());
        dst.push(b'/');
        dst.extend_from_slice(self.version.as_bytes());
        dst.push(b'/');
        dst.extend_from_slice(self.transport.as_str().as_bytes());
        dst.push(b' ');
        self.sent_by.encode(dst);
        self.params.encode(dst);
    }
}

/// The common shape, `SIP/2.0/<transport> <host>[:<port>]` and parameters
/// without white space or quotes, in one pass. `None` for anything else,
/// including errors: the general parser then decides (and reports).
#[inline]
fn parse_canonical(value: &str) -> Option<Via<'_>> {
    let b = value.as_bytes();
    if b.get(..8)? != b"SIP/2.0/" {
        return None;
    }
    let t_end = syntax::scan(b, 8, syntax::TOKEN);
    if t_end == 8 || b.get(t_end) != Some(&b' ') {
        return None;
    }
    let (host, mut p) = Host::parse_at(value, t_end + 1).ok()?;
    let mut port = None;
    if b.get(p) == Some(&b':') {
        let end = syntax::scan(b, p + 1, DIGIT);
        port = Some(u16::try_from(syntax::parse_u64(&b[p + 1..end])?).ok()?);
        p = end;
    }
    let (params, end) = Params::parse_plain_header(value, p, param_ok)?;
    if end != b.len() {
        return None;
    }
    Some(Via {
        protocol: Cow::Borrowed("SIP"),
        version: Cow::Borrowed("2.0"),
        transport: Transport::parse(&value[8..t_end]),
        sent_by: HostPort { host, port },
        params,
    })
}

/// Checks the values of the Via parameters RFC 3261 and RFC 3581 define.
fn param_ok(name: &str, value: Option<&str>) -> bool {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    match name.len() {
        6 if is("branch") => value.is_some_and(|v| syntax::is_token(v.as_bytes())),
        8 if is("received") => value.and_then(parse_received).is_some(),
        5 if is("rport") => value.is_none_or(|v| v.parse::<u16>().is_ok()),
        5 if is("maddr") => value.is_some_and(|v| Host::parse(v).is_ok()),
        3 if is("ttl") => value.is_some_and(|v| v.len() <= 3 && v.parse::<u8>().is_ok()),
        _ => true,
    }
}

impl fmt::Display for Via<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_everywhere() {
        // RFC 4475 §3.1.1.1 (wsinv)
        let v = Via::parse("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw").unwrap();
        assert_eq!(v.transport, Transport::Udp);
        assert_eq!(v.branch(), Some("390skdjuw"));
        assert!(!v.has_magic_cookie());
        let v = Via::parse(
            "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8",
        )
        .unwrap();
        assert_eq!(v.sent_by.host, Host::Domain("spindle.example.com".into()));
        assert_eq!(v.branch(), Some("z9hG4bK9ikj8"));
        let v = Via::parse("SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239")
            .unwrap();
        assert_eq!(v.branch(), Some("z9hG4bK30239"));
        assert_eq!(
            v.to_string(),
            "SIP/2.0/UDP 192.168.255.111;branch=z9hG4bK30239"
        );
        let v = Via::parse("SIP/2.0/UDP host : 5060 ;rport").unwrap();
        assert_eq!(v.sent_by.port, Some(5060));
        assert_eq!(v.rport(), Some(Rport::Requested));
    }

    #[test]
    fn params_checked() {
        let kind = |s| Via::parse(s).unwrap_err().kind();
        assert_eq!(kind("SIP/2.0/UDP 192.0.2.15;;,;,,"), HeaderErrorKind::Param);
        assert_eq!(kind("SIP/2.0/UDP h;ttl=300"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("SIP/2.0/UDP h;received=example.com"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("SIP/2.0/UDP h;rport=70000"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(kind("SIP/2.0/UDP h;branch"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("SIP/2.0 h"), HeaderErrorKind::Protocol);
        assert_eq!(kind("SIP/2.0/UDPh"), HeaderErrorKind::Expected(b' '));
        assert_eq!(kind("SIP/2.0/UDP h:99999"), HeaderErrorKind::Port);
        assert_eq!(kind("SIP/2.0/UDP 2001:db8::1"), HeaderErrorKind::Host);
        let v = Via::parse("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bK")
            .unwrap();
        assert_eq!(v.received(), Some("2001:db8::9:255".parse().unwrap()));
        assert!(!v.has_magic_cookie());
        let v = Via::parse("SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw").unwrap();
        assert_eq!(v.version, "7.0");
    }
}
