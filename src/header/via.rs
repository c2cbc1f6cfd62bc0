//! The Via header ([RFC 3261 §20.42](https://www.rfc-editor.org/rfc/rfc3261#section-20.42),
//! `rport` from [RFC 3581](https://www.rfc-editor.org/rfc/rfc3581)).

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::{InvalidParam, Params};
use crate::random::Random;
use crate::syntax::{self, DIGIT};
use crate::transport::TransportName;
use crate::uri::{Host, HostPort};

pub use crate::random::MAGIC_COOKIE;

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
    pub transport: TransportName<'a>,
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
    pub fn new(transport: impl Into<TransportName<'a>>, sent_by: HostPort<'a>) -> Self {
        Via {
            protocol: Cow::Borrowed("SIP"),
            version: Cow::Borrowed("2.0"),
            transport: transport.into(),
            sent_by,
            params: Params::header(),
        }
    }

    /// The `branch` parameter.
    pub fn branch(&self) -> Option<&str> {
        self.params.value("branch")
    }

    /// Sets the `branch` parameter (replacing any there was).
    ///
    /// # Errors
    /// [`InvalidParam`] when `branch` is not a token; the Via is then
    /// unchanged.
    pub fn set_branch(&mut self, branch: &str) -> Result<(), InvalidParam> {
        if !syntax::is_token(branch.as_bytes()) {
            return Err(InvalidParam);
        }
        self.params.set("branch", Some(branch))
    }

    /// The same Via with a new RFC 3261 branch (the magic cookie and 22
    /// random characters, [`crate::random::branch`]) from `rng`.
    ///
    /// ```
    /// use imsip::header::Via;
    /// use imsip::random::{self, SeededRandom};
    /// use imsip::Transport;
    ///
    /// let local: std::net::SocketAddr = "192.0.2.1:5060".parse().unwrap();
    /// let via = Via::new(Transport::Udp, local.into())
    ///     .with_branch(&mut SeededRandom::new(1))
    ///     .with_rport();
    /// assert!(via.has_magic_cookie());
    /// assert!(via.to_string().starts_with("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK"));
    /// assert!(via.to_string().ends_with(";rport"));
    /// ```
    #[must_use]
    pub fn with_branch(mut self, rng: &mut impl Random) -> Self {
        // A branch from `random::branch` is a token.
        let _ = self.params.set("branch", Some(&crate::random::branch(rng)));
        self
    }

    /// The same Via asking for `rport` (RFC 3581 §3): the server fills in
    /// the source port it saw.
    #[must_use]
    pub fn with_rport(mut self) -> Self {
        self.set_rport(Rport::Requested);
        self
    }

    /// Sets the `rport` parameter: [`Rport::Requested`] (a client asking
    /// for it) or [`Rport::Port`] (a server filling it in).
    pub fn set_rport(&mut self, rport: Rport) {
        let value = match rport {
            Rport::Requested => None,
            Rport::Port(p) => Some(p.to_string()),
        };
        // `rport` and a number are valid parameters.
        let _ = self.params.set("rport", value.as_deref());
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
        parse_noting(value, &mut Noted::default())
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

/// The parameters the transport and transaction layers read on every
/// message, noted while [`Via::parse`] checks them (the first of each name,
/// as [`Params::get`] finds it): no second walk over the parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Noted<'a> {
    /// `branch`, as [`Via::branch`].
    pub(crate) branch: Option<&'a str>,
    /// `rport`, as [`Via::rport`].
    pub(crate) rport: Option<Rport>,
    /// `received`, as [`Via::received`].
    pub(crate) received: Option<IpAddr>,
    /// `maddr` as written (checked to be a host).
    pub(crate) maddr: Option<&'a str>,
}

impl<'a> Noted<'a> {
    /// As [`Via::rfc3261_branch`].
    pub(crate) fn rfc3261_branch(&self) -> Option<&'a str> {
        self.branch
            .filter(|b| b.len() > MAGIC_COOKIE.len() && b.starts_with(MAGIC_COOKIE))
    }

    /// As [`Via::maddr`].
    pub(crate) fn maddr(&self) -> Option<Host<'a>> {
        self.maddr.and_then(|v| Host::parse(v).ok())
    }
}

/// [`Via::parse`], noting the parameters of [`Noted`] in `noted`: the
/// fast path for the usual shape, else the general reading.
pub(crate) fn parse_noting<'a>(
    value: &'a str,
    noted: &mut Noted<'a>,
) -> Result<Via<'a>, HeaderError> {
    // The fast path notes into its own copy: it may give up half-way.
    let mut fast = Noted::default();
    if let Some(via) = fast_parse(value, &mut fast) {
        *noted = fast;
        return Ok(via);
    }
    parse_general(value, noted)
}

/// `via-parm` as the grammar reads it (RFC 3261 §25.1), white space
/// around `/`, `:`, `;` and `=` included, noting the parameters of
/// [`Noted`].
fn parse_general<'a>(value: &'a str, noted: &mut Noted<'a>) -> Result<Via<'a>, HeaderError> {
    let check = |name, value| param_ok(noted, name, value);
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
    let params = c.params_checked(check)?;
    c.finish()?;
    Ok(Via {
        protocol: Cow::Borrowed(protocol),
        version: Cow::Borrowed(version),
        transport: TransportName::parse(transport),
        sent_by: HostPort { host, port },
        params,
    })
}

/// Fast path: the common shape, `SIP/2.0/<transport> <host>[:<port>]`
/// without white space before the parameters, in one pass. `None` for
/// anything else, including errors: [`parse_general`] then decides (and
/// reports).
#[inline]
fn fast_parse<'a>(value: &'a str, noted: &mut Noted<'a>) -> Option<Via<'a>> {
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
    let (params, end) = Params::parse_header_at(value, p, |n, v| param_ok(noted, n, v)).ok()?;
    if end != b.len() {
        return None;
    }
    Some(Via {
        protocol: Cow::Borrowed("SIP"),
        version: Cow::Borrowed("2.0"),
        transport: TransportName::parse(&value[8..t_end]),
        sent_by: HostPort { host, port },
        params,
    })
}

/// Checks the values of the Via parameters RFC 3261 and RFC 3581 define,
/// noting the first of each of [`Noted`]'s.
fn param_ok<'a>(noted: &mut Noted<'a>, name: &str, value: Option<&'a str>) -> bool {
    let is = |n: &str| syntax::eq_fold(name.as_bytes(), n.as_bytes());
    match name.len() {
        6 if is("branch") => {
            let ok = value.is_some_and(|v| syntax::is_token(v.as_bytes()));
            if noted.branch.is_none() {
                noted.branch = value;
            }
            ok
        }
        8 if is("received") => {
            let ip = value.and_then(parse_received);
            if noted.received.is_none() {
                noted.received = ip;
            }
            ip.is_some()
        }
        5 if is("rport") => {
            let rport = match value {
                None => Some(Rport::Requested),
                Some(v) => v.parse::<u16>().ok().map(Rport::Port),
            };
            if noted.rport.is_none() {
                noted.rport = rport;
            }
            rport.is_some()
        }
        5 if is("maddr") => {
            if noted.maddr.is_none() {
                noted.maddr = value;
            }
            value.is_some_and(|v| Host::parse(v).is_ok())
        }
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
    use crate::Transport;

    /// The fast path is the general reading, value and notes, on every
    /// value it takes.
    fn agrees(s: &str) -> bool {
        let mut fast_noted = Noted::default();
        let Some(fast) = fast_parse(s, &mut fast_noted) else {
            return false;
        };
        let mut noted = Noted::default();
        assert_eq!(parse_general(s, &mut noted).as_ref(), Ok(&fast), "{s:?}");
        assert_eq!(noted, fast_noted, "{s:?}");
        true
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        let mut taken = 0;
        for base in [
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport",
            "SIP/2.0/TCP [2001:db8::1];received=192.0.2.9;rport=5061;branch=z9hG4bK1",
            "SIP/2.0/TLS h.example.com;maddr=239.1.1.1;ttl=16",
        ] {
            for v in crate::syntax::one_octet_edits(base.as_bytes()) {
                if let Ok(s) = std::str::from_utf8(&v) {
                    taken += usize::from(agrees(s));
                }
            }
        }
        assert!(taken > 500, "{taken}");
    }

    proptest::proptest! {
        #[test]
        fn fast_implies_general(
            s in "SIP/2\\.0/(UDP|TCP|tls|X) ?[a-c0-9.:\\[\\]]{1,12}( ?;(branch|rport|received|maddr|ttl|x)(=[a-z0-9.:\"\\[\\]]{0,8})?){0,4}",
        ) {
            agrees(&s);
        }
    }

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

    proptest::proptest! {
        /// What the parse notes is what the accessors read, on the fast
        /// (canonical) and the general path alike.
        #[test]
        fn noted_parameters_are_the_accessors(
            head in proptest::sample::select(vec![
                "SIP/2.0/UDP 192.0.2.1:5060",
                "SIP/2.0/TCP pc33.example.com",
                "SIP / 2.0 / TLS [2001:db8::1]:5061",
                "SIP/2.0/UDP host ",
            ]),
            params in proptest::collection::vec(
                proptest::sample::select(vec![
                    "branch=z9hG4bK776", "BRANCH=z9hG4bKx", "branch=77", "branch=z9hG4bK",
                    "rport", "rport=5090", "RPort=1", "rport=99999",
                    "received=192.0.2.9", "received=[2001:db8::9]", "received=2001:db8::8",
                    "received=example.com", "maddr=239.255.255.1", "maddr=proxy.example.com",
                    "ttl=1", "x=\"q;branch=no\"", "lr", "branch = z9hG4bKsp",
                ]),
                0..5,
            ),
        ) {
            let mut text = head.to_owned();
            for p in &params {
                text.push(';');
                text.push_str(p);
            }
            let mut noted = Noted::default();
            if let Ok(via) = parse_noting(&text, &mut noted) {
                proptest::prop_assert_eq!(noted.branch, via.branch(), "{}", text);
                proptest::prop_assert_eq!(noted.rfc3261_branch(), via.rfc3261_branch());
                proptest::prop_assert_eq!(noted.rport, via.rport());
                proptest::prop_assert_eq!(noted.received, via.received());
                proptest::prop_assert_eq!(noted.maddr(), via.maddr());
            } else {
                proptest::prop_assert!(Via::parse(&text).is_err());
            }
        }
    }
}
