//! `sip:` and `sips:` URIs (RFC 3261 §19.1).

use std::borrow::Cow;
use std::fmt;

use super::error::{UriError, UriErrorKind};
use super::host::{Host, HostPort};
use crate::params::Params;
use crate::syntax::{self, HNV, PASSWORD, USER, escape, escaped_eq};

/// A SIP or SIPS URI: `sip:user:password@host:port;uri-parameters?headers`.
///
/// Parsing borrows from the input. The user part, password, parameters and
/// headers are kept as written, escapes included; `*_unescaped` accessors
/// decode them. [`PartialEq`] compares the parts as parsed (host case-
/// insensitively); [`SipUri::equivalent`] applies the comparison rules of
/// [RFC 3261 §19.1.4](https://www.rfc-editor.org/rfc/rfc3261#section-19.1.4).
///
/// ```
/// use imsip::uri::SipUri;
///
/// let uri = SipUri::parse("sip:alice@atlanta.example.com:5070;transport=tcp;lr").unwrap();
/// assert_eq!(uri.user(), Some("alice"));
/// assert_eq!(uri.port(), Some(5070));
/// assert_eq!(uri.transport(), Some("tcp"));
/// assert!(uri.is_loose_route());
/// assert!(uri.equivalent(&SipUri::parse("sip:%61lice@ATLANTA.example.com:5070;Transport=TCP;lr").unwrap()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SipUri<'a> {
    secure: bool,
    user: Option<Cow<'a, str>>,
    password: Option<Cow<'a, str>>,
    host_port: HostPort<'a>,
    params: Params<'a>,
    headers: Option<Cow<'a, str>>,
}

impl From<std::net::SocketAddr> for SipUri<'_> {
    /// `sip:<address>:<port>`.
    fn from(addr: std::net::SocketAddr) -> Self {
        let mut uri = SipUri::new(addr.ip().into());
        uri.set_port(Some(addr.port()));
        uri
    }
}

impl<'a> SipUri<'a> {
    /// A `sip:` URI of `host` with nothing else.
    pub fn new(host: Host<'a>) -> SipUri<'a> {
        SipUri {
            secure: false,
            user: None,
            password: None,
            host_port: HostPort { host, port: None },
            params: Params::uri(),
            headers: None,
        }
    }

    /// Parses a whole `sip:` or `sips:` URI (scheme case-insensitive).
    ///
    /// # Errors
    /// A [`UriError`] naming the first part that breaks the grammar.
    pub fn parse(s: &'a str) -> Result<SipUri<'a>, UriError> {
        let (secure, pos) =
            sip_scheme(s.as_bytes()).ok_or(UriError::new(UriErrorKind::Scheme, 0))?;
        SipUri::parse_after_scheme(s, secure, pos)
    }

    /// [`SipUri::parse`] of `s` whose scheme, ending before `pos`, was
    /// read.
    #[inline]
    pub(crate) fn parse_after_scheme(
        s: &'a str,
        secure: bool,
        mut pos: usize,
    ) -> Result<SipUri<'a>, UriError> {
        let b = s.as_bytes();

        let mut user = None;
        let mut password = None;
        // `@` is in no part after the user info, so the user scan usually
        // finds it (or the end) without a search of the whole URI.
        let first = scan_user(b, pos);
        let at = match first {
            Ok(p) if b.get(p) == Some(&b'@') => Some(p),
            Ok(p) if p == b.len() => None,
            _ => memchr::memchr(b'@', &b[pos..]).map(|off| pos + off),
        };
        if let Some(at) = at {
            let user_end = first?;
            if user_end == pos {
                return Err(UriError::new(UriErrorKind::User, pos));
            }
            user = Some(Cow::Borrowed(&s[pos..user_end]));
            if b[user_end] == b':' {
                let pw_end = syntax::scan_escaped(b, user_end + 1, PASSWORD)
                    .map_err(|p| UriError::new(UriErrorKind::Password, p))?;
                if pw_end != at {
                    return Err(UriError::new(UriErrorKind::Password, pw_end));
                }
                password = Some(Cow::Borrowed(&s[user_end + 1..at]));
            } else if user_end != at {
                return Err(UriError::new(UriErrorKind::User, user_end));
            }
            pos = at + 1;
        }

        let (host_port, end) = HostPort::parse_at(s, pos)?;
        let (params, end) = Params::parse_uri_at(s, end, known_param_ok)
            .map_err(|f| UriError::new(UriErrorKind::Param, f.position()))?;
        let mut headers = None;
        let mut end = end;
        if b.get(end) == Some(&b'?') {
            let h_end = scan_headers(b, end + 1)?;
            headers = Some(Cow::Borrowed(&s[end + 1..h_end]));
            end = h_end;
        }
        if end != b.len() {
            return Err(UriError::new(UriErrorKind::Trailing, end));
        }
        Ok(SipUri {
            secure,
            user,
            password,
            host_port,
            params,
            headers,
        })
    }

    /// Fast check: whether `s` is a SIP or SIPS URI of the usual shape,
    /// the scheme, a user part without password, the host, an optional port
    /// and parameters, and no headers. The parts are read by the functions
    /// the parse uses, without building the URI. `true`: [`SipUri::parse`]
    /// accepts it; `false` says nothing (take the general path: a URI of
    /// another shape may still be valid).
    pub(crate) fn fast_check(s: &str) -> bool {
        let b = s.as_bytes();
        let Some((_, pos)) = sip_scheme(b) else {
            return false;
        };
        let Ok(user_end) = scan_user(b, pos) else {
            return false;
        };
        let host_at = match b.get(user_end) {
            Some(b'@') if user_end > pos => user_end + 1,
            // No user part: no `@` anywhere after the scheme.
            _ if memchr::memchr(b'@', &b[pos..]).is_none() => pos,
            _ => return false,
        };
        let Ok((_, mut end)) = HostPort::parse_at(s, host_at) else {
            return false;
        };
        if b.get(end) == Some(&b';') {
            // Parameters as the parse reads them (they build no list).
            match Params::parse_uri_at(s, end, known_param_ok) {
                Ok((_, e)) => end = e,
                Err(_) => return false,
            }
        }
        end == b.len()
    }

    /// `"sips"` or `"sip"`.
    pub fn scheme(&self) -> &'static str {
        if self.secure { "sips" } else { "sip" }
    }

    /// Whether this is a SIPS URI.
    pub fn is_secure(&self) -> bool {
        self.secure
    }

    /// Makes this a SIPS (`true`) or SIP URI.
    pub fn set_secure(&mut self, secure: bool) {
        self.secure = secure;
    }

    /// The user part as written, escapes included.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The user part with escapes decoded (`%00` stays a NUL octet; nothing is
    /// truncated).
    pub fn user_unescaped(&self) -> Option<Cow<'_, [u8]>> {
        self.user.as_deref().map(syntax::unescape)
    }

    /// Sets the user part from unescaped text, escaping what the `user`
    /// grammar does not allow; `None` removes the user and password.
    pub fn set_user(&mut self, user: Option<&str>) {
        self.user = user.map(|u| Cow::Owned(escape(u, USER)));
        if self.user.is_none() {
            self.password = None;
        }
    }

    /// The same URI with the user part `user` (escaped where it needs to
    /// be, [`SipUri::set_user`]).
    ///
    /// ```
    /// use imsip::uri::SipUri;
    ///
    /// let local: std::net::SocketAddr = "192.0.2.1:5060".parse().unwrap();
    /// assert_eq!(SipUri::from(local).with_user("alice").to_string(), "sip:alice@192.0.2.1:5060");
    /// ```
    #[must_use]
    pub fn with_user(mut self, user: &str) -> Self {
        self.set_user(Some(user));
        self
    }

    /// The password as written, escapes included.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The host.
    pub fn host(&self) -> &Host<'a> {
        &self.host_port.host
    }

    /// The port, when written.
    pub fn port(&self) -> Option<u16> {
        self.host_port.port
    }

    /// Sets or removes the port.
    pub fn set_port(&mut self, port: Option<u16>) {
        self.host_port.port = port;
    }

    /// Host and port.
    pub fn host_port(&self) -> &HostPort<'a> {
        &self.host_port
    }

    /// The URI parameters.
    pub fn params(&self) -> &Params<'a> {
        &self.params
    }

    /// The URI parameters, for changing them.
    pub fn params_mut(&mut self) -> &mut Params<'a> {
        &mut self.params
    }

    /// The header part after `?`, as written.
    pub fn headers(&self) -> Option<&str> {
        self.headers.as_deref()
    }

    /// The header fields of the header part as `(name, value)`, escapes
    /// included.
    pub fn header_fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|h| !h.is_empty())
            .map(|h| h.split_once('=').unwrap_or((h, "")))
    }

    /// The `transport` parameter.
    pub fn transport(&self) -> Option<&str> {
        self.params.value("transport")
    }

    /// The `user` parameter (`phone`, `ip`, ...).
    pub fn user_param(&self) -> Option<&str> {
        self.params.value("user")
    }

    /// The `method` parameter.
    pub fn method_param(&self) -> Option<&str> {
        self.params.value("method")
    }

    /// The `ttl` parameter.
    pub fn ttl(&self) -> Option<u8> {
        self.params.value("ttl").and_then(|v| v.parse().ok())
    }

    /// The `maddr` parameter.
    pub fn maddr(&self) -> Option<Host<'_>> {
        self.params.value("maddr").and_then(|v| Host::parse(v).ok())
    }

    /// Whether the `lr` parameter is present (RFC 3261 §19.1.1; `lr=on` is
    /// accepted too).
    pub fn is_loose_route(&self) -> bool {
        self.params.contains("lr")
    }

    /// Writes the URI.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(if self.secure { b"sips:" } else { b"sip:" });
        if let Some(user) = &self.user {
            dst.extend_from_slice(user.as_bytes());
            if let Some(pw) = &self.password {
                dst.push(b':');
                dst.extend_from_slice(pw.as_bytes());
            }
            dst.push(b'@');
        }
        self.host_port.encode(dst);
        self.params.encode(dst);
        if let Some(h) = &self.headers {
            dst.push(b'?');
            dst.extend_from_slice(h.as_bytes());
        }
    }

    /// Whether the two URIs are equivalent by
    /// [RFC 3261 §19.1.4](https://www.rfc-editor.org/rfc/rfc3261#section-19.1.4):
    /// same scheme; user and password equal case-sensitively; host, port and
    /// parameters equal case-insensitively; `user`, `ttl`, `method`, `maddr` and
    /// `transport` present in both or neither; other parameters compared only
    /// when in both; headers all present in both and equal; escapes of
    /// unreserved characters equal to the characters.
    pub fn equivalent(&self, other: &SipUri<'_>) -> bool {
        if self.secure != other.secure
            || self.host_port.host != other.host_port.host
            || self.host_port.port != other.host_port.port
            || !opt_eq(self.user.as_deref(), other.user.as_deref(), false)
            || !opt_eq(self.password.as_deref(), other.password.as_deref(), false)
        {
            return false;
        }
        for name in ["user", "ttl", "method", "maddr", "transport"] {
            match (self.params.get(name), other.params.get(name)) {
                (None, None) => {}
                (Some(a), Some(b)) if opt_eq(a.value, b.value, true) => {}
                _ => return false,
            }
        }
        // Other parameters count only when both URIs have them.
        let params_agree = |x: &SipUri<'_>, y: &SipUri<'_>| {
            x.params.iter().all(|a| {
                let mut same_name = y
                    .params
                    .iter()
                    .filter(|b| escaped_eq(a.name, b.name, true))
                    .peekable();
                same_name.peek().is_none() || same_name.any(|b| opt_eq(a.value, b.value, true))
            })
        };
        if !params_agree(self, other) || !params_agree(other, self) {
            return false;
        }
        let contains_all = |x: &SipUri<'_>, y: &SipUri<'_>| {
            x.header_fields().all(|(n, v)| {
                y.header_fields()
                    .any(|(m, w)| escaped_eq(n, m, true) && escaped_eq(v, w, false))
            })
        };
        contains_all(self, other) && contains_all(other, self)
    }

    /// Copies borrowed text so the URI outlives the input.
    pub fn into_owned(self) -> SipUri<'static> {
        SipUri {
            secure: self.secure,
            user: self.user.map(|u| Cow::Owned(u.into_owned())),
            password: self.password.map(|p| Cow::Owned(p.into_owned())),
            host_port: self.host_port.into_owned(),
            params: self.params.into_owned(),
            headers: self.headers.map(|h| Cow::Owned(h.into_owned())),
        }
    }
}

impl fmt::Display for SipUri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// `sip:` or `sips:` (any case) at the start of `b`: whether it is SIPS,
/// and where the rest starts.
#[inline]
pub(crate) fn sip_scheme(b: &[u8]) -> Option<(bool, usize)> {
    if b.get(..4).is_some_and(|p| syntax::eq_fold(p, b"sip:")) {
        Some((false, 4))
    } else if b.get(..5).is_some_and(|p| syntax::eq_fold(p, b"sips:")) {
        Some((true, 5))
    } else {
        None
    }
}

/// Scans the user part: `user` characters and escapes. A `#` is tolerated too:
/// telephone-subscribers carry it and some elements send it unescaped.
fn scan_user(b: &[u8], pos: usize) -> Result<usize, UriError> {
    let mut p = pos;
    loop {
        p = syntax::scan_escaped(b, p, USER).map_err(|e| UriError::new(UriErrorKind::User, e))?;
        if b.get(p) == Some(&b'#') {
            p += 1;
        } else {
            return Ok(p);
        }
    }
}

/// `headers = "?" header *( "&" header )`, `header = hname "=" hvalue`.
fn scan_headers(b: &[u8], pos: usize) -> Result<usize, UriError> {
    let err = |p| UriError::new(UriErrorKind::Headers, p);
    let mut p = pos;
    loop {
        let name_end = syntax::scan_escaped(b, p, HNV).map_err(err)?;
        if name_end == p || b.get(name_end) != Some(&b'=') {
            return Err(err(name_end));
        }
        p = syntax::scan_escaped(b, name_end + 1, HNV).map_err(err)?;
        if b.get(p) == Some(&b'&') {
            p += 1;
        } else {
            return Ok(p);
        }
    }
}

/// Checks the values of the URI parameters RFC 3261 defines.
fn known_param_ok(name: &str, value: Option<&str>) -> bool {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    let token = || value.is_some_and(|v| syntax::is_token(v.as_bytes()));
    match name.len() {
        9 if is("transport") => token(),
        4 if is("user") => token(),
        6 if is("method") => token(),
        3 if is("ttl") => value.is_some_and(|v| v.len() <= 3 && v.parse::<u8>().is_ok()),
        5 if is("maddr") => value.is_some_and(|v| Host::parse(v).is_ok()),
        _ => true,
    }
}

fn opt_eq(a: Option<&str>, b: Option<&str>, ignore_case: bool) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => escaped_eq(a, b, ignore_case),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> SipUri<'_> {
        SipUri::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// The claim of [`SipUri::fast_check`]: what it accepts parses, as a
    /// SIP URI and as a URI, without headers.
    fn usual_holds(s: &str) -> bool {
        if !SipUri::fast_check(s) {
            return false;
        }
        let parsed = SipUri::parse(s).unwrap_or_else(|e| panic!("usual but {e}: {s:?}"));
        assert!(parsed.headers().is_none(), "{s}");
        assert!(crate::uri::Uri::parse(s).is_ok());
        true
    }

    #[test]
    fn usual_uris_are_checked_without_a_parse() {
        for s in [
            "sip:bob@192.0.2.2",
            "sips:alice@atlanta.example.com:5061",
            "sip:ims.example.com",
            "sip:[2001:db8::1]:5060",
            "SIP:+1-212@h",
            "sip:a@b;transport=tcp",
            "sip:+1212@h;user=phone;lr;x=%41",
            "sip:%61lice@b",
        ] {
            assert!(usual_holds(s), "{s}");
        }
        for s in [
            "sip:a@b?x=y",
            "sip:a:pw@b",
            "tel:+1",
            "sip:@b",
            "sip:a@",
            "sip:a@b:",
        ] {
            assert!(!SipUri::fast_check(s), "{s}");
        }
        // Every octet substituted, deleted or inserted anywhere.
        let mut accepted = 0;
        for base in [
            "sip:bob@192.0.2.2:5060",
            "sips:h.example.com",
            "sip:a@[::1]",
            "sip:a@h;lr;transport=tcp",
        ] {
            for v in syntax::one_octet_edits(base.as_bytes()) {
                if let Ok(s) = std::str::from_utf8(&v) {
                    accepted += usize::from(usual_holds(s));
                }
            }
        }
        assert!(accepted > 500, "{accepted}");
    }

    proptest::proptest! {
        #[test]
        fn usual_implies_parse(s in "(sips?|SIP|tel)?:?[a-c0-2@:;?=.\\[\\]%+-]{0,20}") {
            usual_holds(&s);
        }
    }

    #[test]
    fn sip_scheme_agrees_with_a_case_blind_comparison() {
        fn reference(b: &[u8]) -> Option<(bool, usize)> {
            if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"sip:") {
                Some((false, 4))
            } else if b.len() >= 5 && b[..5].eq_ignore_ascii_case(b"sips:") {
                Some((true, 5))
            } else {
                None
            }
        }
        // Every octet in every position of both prefixes, and short input.
        for base in [&b"sip:a"[..], b"sips:a", b"SIPS:", b"Sip:"] {
            for i in 0..base.len() {
                for o in 0..=255u8 {
                    let mut b = base.to_vec();
                    b[i] = o;
                    assert_eq!(sip_scheme(&b), reference(&b), "{b:?}");
                }
            }
            for n in 0..base.len() {
                assert_eq!(sip_scheme(&base[..n]), reference(&base[..n]));
            }
        }
    }

    #[test]
    fn parts() {
        let u = p(
            "sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?subject=project%20x&priority=urgent",
        );
        assert!(u.is_secure());
        assert_eq!(u.user(), Some("alice"));
        assert_eq!(u.password(), Some("secret"));
        assert_eq!(u.port(), Some(5061));
        assert!(matches!(u.host(), Host::Ipv6(_)));
        assert_eq!(u.transport(), Some("tls"));
        assert!(u.is_loose_route());
        let h: Vec<_> = u.header_fields().collect();
        assert_eq!(h, vec![("subject", "project%20x"), ("priority", "urgent")]);
        let mut out = Vec::new();
        u.encode(&mut out);
        assert_eq!(
            out,
            b"sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?subject=project%20x&priority=urgent"
        );
    }

    #[test]
    fn torture_user_parts() {
        // RFC 4475 §3.1.1.2: user with ; ? / , and a password.
        let u = p(
            "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
        );
        assert_eq!(
            u.user(),
            Some("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        );
        assert_eq!(
            u.password(),
            Some("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        );
        // §3.1.1.9: escaped @ in the user part.
        let u = p("sip:user;par=u%40example.net@example.com");
        assert_eq!(
            u.user_unescaped().unwrap().as_ref(),
            b"user;par=u@example.net"
        );
        assert_eq!(u.host(), &Host::Domain("example.com".into()));
        // §3.1.1.4: escaped NULs are not truncated.
        let u = p("sip:null-%00-null@example.com");
        assert_eq!(u.user_unescaped().unwrap().as_ref(), b"null-\0-null");
        // §3.1.1.3
        let u = p("sip:sips%3Auser%40example.com@example.net");
        assert_eq!(
            u.user_unescaped().unwrap().as_ref(),
            b"sips:user@example.com"
        );
    }

    #[test]
    fn errors() {
        use UriErrorKind::*;
        let kind = |s| SipUri::parse(s).unwrap_err().kind();
        assert_eq!(kind("sip:2001:db8::10"), Host);
        assert_eq!(kind("sip:@example.com"), User);
        assert_eq!(kind("sip:a%4@example.com"), User);
        assert_eq!(kind("sip:example.com;"), Param);
        assert_eq!(kind("sip:example.com;ttl=256"), Param);
        assert_eq!(kind("sip:example.com;maddr=-x"), Param);
        assert_eq!(kind("sip:example.com?"), Headers);
        assert_eq!(kind("sip:example.com x"), Trailing);
        assert_eq!(kind("<sip:example.com>"), Scheme);
        assert_eq!(kind("sip:"), Host);
    }

    #[test]
    fn equivalence_rfc3261_examples() {
        let eq = |a, b| p(a).equivalent(&p(b));
        assert!(eq(
            "sip:%61lice@atlanta.com;transport=TCP",
            "sip:alice@AtLanTa.CoM;Transport=tcp"
        ));
        assert!(eq(
            "sip:carol@chicago.com",
            "sip:carol@chicago.com;newparam=5"
        ));
        assert!(eq(
            "sip:carol@chicago.com",
            "sip:carol@chicago.com;security=on"
        ));
        assert!(eq(
            "sip:carol@chicago.com;newparam=5",
            "sip:carol@chicago.com;security=on"
        ));
        assert!(eq(
            "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
            "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"
        ));
        assert!(eq(
            "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:alice@atlanta.com?priority=urgent&subject=project%20x"
        ));
        assert!(!eq(
            "SIP:ALICE@AtLanTa.CoM;Transport=udp",
            "sip:alice@AtLanTa.CoM;Transport=UDP"
        ));
        assert!(!eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
        assert!(!eq(
            "sip:bob@biloxi.com",
            "sip:bob@biloxi.com;transport=udp"
        ));
        assert!(!eq(
            "sip:bob@biloxi.com",
            "sip:bob@biloxi.com:6000;transport=tcp"
        ));
        assert!(!eq(
            "sip:carol@chicago.com",
            "sip:carol@chicago.com?Subject=next%20meeting"
        ));
        assert!(!eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
        assert!(!eq("sip:alice@example.com", "sips:alice@example.com"));
        // An escaped reserved character is not the character.
        assert!(!eq("sip:a%3Bb@example.com", "sip:a;b@example.com"));
    }

    #[test]
    fn building() {
        let mut u = SipUri::new(Host::Domain("ims.example.net".into()));
        u.set_user(Some("+1 555@x"));
        u.set_port(Some(5060));
        u.params_mut().push("user", Some("phone")).unwrap();
        assert_eq!(
            u.to_string(),
            "sip:+1%20555%40x@ims.example.net:5060;user=phone"
        );
        let back = SipUri::parse("sip:+1%20555%40x@ims.example.net:5060;user=phone").unwrap();
        assert_eq!(back, u);
        assert_eq!(back.user_unescaped().unwrap().as_ref(), b"+1 555@x");
    }
}
