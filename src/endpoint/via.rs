//! What the transport layer does with the top Via: `received` and `rport`
//! on requests received ([RFC 3261 §18.2.1](https://www.rfc-editor.org/rfc/rfc3261#section-18.2.1),
//! [RFC 3581 §4](https://www.rfc-editor.org/rfc/rfc3581#section-4)), and
//! where responses go ([§18.2.2](https://www.rfc-editor.org/rfc/rfc3261#section-18.2.2),
//! RFC 3581 §4).

use std::net::{IpAddr, SocketAddr};

use super::Flow;
use crate::Transport;
use crate::header::via::Noted;
use crate::header::{HeaderName, Rport, Via};
use crate::message::{Editor, Message, ParseConfig};
use crate::uri::Host;
use smallvec::SmallVec;

/// A request received on `origin` as the transport layer hands it on
/// (§18.2.1, RFC 3581): the copy with its top Via (`top`, whose parse
/// noted `noted`) stamped with `received` and `rport`, `None` when the Via
/// needs neither; and the flow its responses go back on (§18.2.2). `None`
/// when the stamped copy does not parse under `parse`. The stamp is
/// written as text into the Via as received when it can be (no parse, no
/// encode), else from the typed Via; what the checks recorded of `msg`
/// carries over, as only `received` and `rport` change.
pub(crate) fn receive(
    msg: &Message,
    top: &Via<'_>,
    noted: &Noted<'_>,
    origin: &Flow,
    parse: &ParseConfig,
) -> Option<(Option<Message>, Flow)> {
    let (stamped_text, stamped) = if needs_stamp(top, noted, origin.remote) {
        let raw_top = msg
            .as_ref()
            .values(HeaderName::Via)
            .next()
            .and_then(|v| std::str::from_utf8(v).ok())
            .unwrap_or("");
        match stamp_text(raw_top, top, noted, origin.remote) {
            Some(text) => (Some(text), None),
            None => (None, stamp(top, noted, origin.remote)),
        }
    } else {
        (None, None)
    };
    let destination = response_destination(
        top,
        noted,
        stamped_text.is_some() || stamped.is_some(),
        origin.remote,
        origin.transport,
    );
    let copy = match (stamped_text, stamped) {
        (None, None) => None,
        (text, typed) => {
            let checked = msg.checked();
            let mut edit = Editor::new(msg.as_ref());
            match (text, typed) {
                (Some(text), _) => {
                    edit.set_top_via_value(text);
                }
                (None, Some(typed)) => edit.set_top_via(&typed),
                (None, None) => {}
            }
            let edited = edit.finish_with(parse).ok()?;
            edited.mark_checked(checked);
            Some(edited)
        }
    };
    Some((copy, origin.to(destination)))
}

/// The value of the first `branch` parameter of a Via value, read without
/// parsing it ([`crate::params::plain_lookup`] over what follows the first
/// `;`), when it is not empty. Only a guess to look a transaction up with;
/// the endpoint trusts it only when the whole Via is the one the
/// transaction sent.
pub(crate) fn plain_branch(value: &[u8]) -> Option<&[u8]> {
    let semi = memchr::memchr(b';', value)?;
    let params = &value[semi..];
    let (_, (start, end)) =
        crate::params::plain_lookup(params, false, b"branch").and_then(|(at, v)| Some((at, v?)))?;
    (end > start).then(|| &params[start..end])
}

fn host_ip(host: &Host<'_>) -> Option<IpAddr> {
    match host {
        Host::Ipv4(a) => Some(IpAddr::V4(*a)),
        Host::Ipv6(a) => Some(IpAddr::V6(*a)),
        Host::Domain(_) => None,
    }
}

/// The top Via with `received` and `rport` filled in for a request that
/// came from `source`, or `None` when it needs no change: `received` when
/// the sent-by host is not the source address, or when `rport` was asked
/// for; `rport` with the source port when asked for. `noted` is what the
/// parse of `via` noted.
pub(crate) fn stamp(via: &Via<'_>, noted: &Noted<'_>, source: SocketAddr) -> Option<Via<'static>> {
    if !needs_stamp(via, noted, source) {
        return None;
    }
    let rport_requested = noted.rport == Some(Rport::Requested);
    let mut v = via.clone().into_owned();
    let ip = source.ip().to_string();
    // The values are an IP address and a port: always valid parameters.
    let _ = v.params.set("received", Some(&ip));
    if rport_requested {
        let _ = v.params.set("rport", Some(&source.port().to_string()));
    }
    Some(v)
}

/// Whether [`stamp`] changes the Via: the sent-by host is not the source
/// address, or `rport` was asked for.
pub(crate) fn needs_stamp(via: &Via<'_>, noted: &Noted<'_>, source: SocketAddr) -> bool {
    noted.rport == Some(Rport::Requested) || host_ip(&via.sent_by.host) != Some(source.ip())
}

/// [`stamp`] as text: `value`, the top Via value as written, with
/// `received` (in place of any) appended and a bare `rport` given the
/// source port, everything else as written; the parse of `value` gave `via`
/// and `noted`. `None` when nothing changes, or when `via`'s parameters are
/// not a slice of `value` (they were unfolded): then use [`stamp`].
pub(crate) fn stamp_text(
    value: &str,
    via: &Via<'_>,
    noted: &Noted<'_>,
    source: SocketAddr,
) -> Option<String> {
    use std::fmt::Write;
    if !needs_stamp(via, noted, source) {
        return None;
    }
    let rport_requested = noted.rport == Some(Rport::Requested);
    let params = via.params.as_str();
    let off = (params.as_ptr() as usize).checked_sub(value.as_ptr() as usize)?;
    if value.get(off..off + params.len()) != Some(params) {
        return None;
    }
    let mut out = String::with_capacity(value.len() + 40);
    out.push_str(&value[..off]);
    for p in via.params.iter() {
        if p.is("received") {
            continue;
        }
        out.push(';');
        out.push_str(p.name);
        if rport_requested && p.value.is_none() && p.is("rport") {
            let _ = write!(out, "={}", source.port());
        } else if let Some(v) = p.value {
            out.push('=');
            out.push_str(v);
        }
    }
    let _ = write!(out, ";received={}", source.ip());
    out.push_str(&value[off + params.len()..]);
    Some(out)
}

/// Where responses to a request with top Via `via` (whose parse noted
/// `noted`), received from `source` over `transport`, are sent; `stamped`
/// says whether [`stamp`] changed the Via. Over a reliable transport: back
/// to the source (the same connection). Otherwise to `maddr` when it is an
/// address, else to the source address (which `received` records), at the
/// `rport` port when one was asked for, else the sent-by port.
pub(crate) fn response_destination(
    via: &Via<'_>,
    noted: &Noted<'_>,
    stamped: bool,
    source: SocketAddr,
    transport: Transport,
) -> SocketAddr {
    if transport.is_reliable() {
        return source;
    }
    if !stamped {
        // The Via is its own authority (its sent-by is the source).
        return via_destination(via, noted, transport).unwrap_or(source);
    }
    // A stamped Via has `received` set to the source address and a
    // requested `rport` set to the source port.
    let sent_by_port = via.sent_by.port.unwrap_or_else(|| transport.default_port());
    if let Some(maddr) = noted.maddr().as_ref().and_then(host_ip) {
        return SocketAddr::new(maddr, sent_by_port);
    }
    let port = match noted.rport {
        Some(Rport::Requested) => source.port(),
        Some(Rport::Port(p)) => p,
        None => sent_by_port,
    };
    SocketAddr::new(source.ip(), port)
}

/// Where a response goes by the Via value `via` alone, over an unreliable
/// transport (§18.2.2, RFC 3581): to `maddr` when it is an address (at the
/// sent-by port), else to `received` or the sent-by address, at the
/// `rport` port or the sent-by port. `None` when the sent-by is a name and
/// no `received` says where it was. A proxy forwarding a response
/// statelessly uses it on the Via below its own.
pub(crate) fn via_destination(
    via: &Via<'_>,
    noted: &Noted<'_>,
    transport: Transport,
) -> Option<SocketAddr> {
    let sent_by_port = via.sent_by.port.unwrap_or_else(|| transport.default_port());
    if let Some(maddr) = noted.maddr().as_ref().and_then(host_ip) {
        return Some(SocketAddr::new(maddr, sent_by_port));
    }
    let port = match noted.rport {
        Some(Rport::Port(p)) => p,
        _ => sent_by_port,
    };
    let ip = noted.received.or_else(|| host_ip(&via.sent_by.host))?;
    Some(SocketAddr::new(ip, port))
}

/// The sent-by of a Via as matching compares it, written into `key`: the
/// kind of host (name, IPv4, IPv6), the host (a name in lower case, an
/// address as its octets) and the port with the transport's default, as two
/// octets. Not text: only equality matters, and this form needs no
/// formatting.
pub(crate) fn sent_by_key(via: &Via<'_>, key: &mut SmallVec<[u8; 64]>) {
    let port = via
        .sent_by
        .port
        .unwrap_or_else(|| via.transport.default_port());
    key.clear();
    match &via.sent_by.host {
        Host::Domain(name) => {
            key.push(b'd');
            key.extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        }
        Host::Ipv4(a) => {
            key.push(b'4');
            key.extend_from_slice(&a.octets());
        }
        Host::Ipv6(a) => {
            key.push(b'6');
            key.extend_from_slice(&a.octets());
        }
    }
    key.extend_from_slice(&port.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    /// The text stamp and the typed one agree: the same Via once parsed.
    #[test]
    fn stamp_text_is_the_typed_stamp() {
        let vias = [
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1",
            "SIP/2.0/UDP host.example.com;branch=z9hG4bK1",
            "SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK1;received=10.0.0.1;rport",
            "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;RPORT;x=\"a;b\"",
            "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=7",
            "SIP / 2.0 / UDP 192.0.2.1 ; branch=z9hG4bK1 ; rport",
        ];
        for source in ["192.0.2.1:5060", "198.51.100.7:40000", "[2001:db8::9]:5099"] {
            let source = addr(source);
            for text in vias {
                let mut noted = Noted::default();
                let via = crate::header::via::parse_noting(text, &mut noted).unwrap();
                let typed = stamp(&via, &noted, source);
                match stamp_text(text, &via, &noted, source) {
                    Some(t) => {
                        let again = Via::parse(&t).unwrap_or_else(|e| panic!("{t}: {e}"));
                        let typed = typed.expect("both stamp");
                        // The same Via, parameters in any order (the text
                        // keeps `rport` where it was).
                        let sorted = |v: &Via<'_>| {
                            let mut p: Vec<(String, Option<String>)> = v
                                .params
                                .iter()
                                .map(|p| (p.name.to_ascii_lowercase(), p.value.map(str::to_owned)))
                                .collect();
                            p.sort();
                            (v.sent_by.to_string(), v.transport.to_string(), p)
                        };
                        assert_eq!(sorted(&again), sorted(&typed), "{text} from {source}: {t}");
                    }
                    None => {
                        // Nothing to stamp, or parameters that were
                        // unfolded: the typed stamp decides.
                        let unchanged = typed.is_none();
                        let unfolded = via.params.as_str().as_ptr() < text.as_ptr()
                            || via.params.as_str().as_ptr() > text[text.len()..].as_ptr();
                        assert!(unchanged || unfolded, "{text} from {source}");
                    }
                }
            }
        }
    }

    #[test]
    fn plain_branch_reads_the_first_branch_as_written() {
        fn read(v: &str) -> Option<&str> {
            plain_branch(v.as_bytes()).map(|b| std::str::from_utf8(b).unwrap())
        }
        assert_eq!(read("SIP/2.0/UDP h;branch=z9hG4bK1"), Some("z9hG4bK1"));
        assert_eq!(
            read("SIP/2.0/UDP h;rport;branch=z9hG4bK1;received=1.2.3.4"),
            Some("z9hG4bK1")
        );
        assert_eq!(read("SIP/2.0/UDP h;branch=a;branch=b"), Some("a"));
        // Names in any case, as the parse reads them; white space is left to
        // the parser.
        assert_eq!(read("SIP/2.0/UDP h;Branch=z9hG4bK1"), Some("z9hG4bK1"));
        assert_eq!(read("SIP/2.0/UDP h; branch=z9hG4bK1"), None);
        assert_eq!(read("SIP/2.0/UDP h;branch="), None);
        assert_eq!(read("SIP/2.0/UDP h;branch=;rport"), None);
        assert_eq!(read("SIP/2.0/UDP h;xbranch=1"), None);
        assert_eq!(read("SIP/2.0/UDP h"), None);
        // Not a parse: a quoted `;branch=` is read too.
        assert_eq!(read("SIP/2.0/UDP h;x=\"a;branch=q\";branch=r"), Some("q\""));
    }

    fn noted(s: &str) -> (Via<'_>, Noted<'_>) {
        let mut noted = Noted::default();
        let via = crate::header::via::parse_noting(s, &mut noted).unwrap();
        (via, noted)
    }

    fn stamped(s: &str, src: SocketAddr) -> Option<Via<'static>> {
        let (via, n) = noted(s);
        stamp(&via, &n, src)
    }

    #[test]
    fn received_and_rport() {
        let src = addr("192.0.2.7:40000");
        assert!(stamped("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1", src).is_none());
        let v = stamped("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1", src).unwrap();
        assert_eq!(v.received(), Some(src.ip()));
        assert_eq!(v.rport(), None);
        let v = stamped("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1", src).unwrap();
        assert_eq!(
            v.to_string(),
            "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.7;rport=40000"
        );
        // rport asked for by a host that is not behind a NAT: received too.
        let direct = stamped("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1", src);
        assert_eq!(direct.unwrap().received(), Some(src.ip()));
    }

    /// §18.2.2 and RFC 3581 read from the stamped Via itself, as the RFCs
    /// say it: what [`response_destination`] computes from the received
    /// Via and its noted parameters must be the same.
    fn reference(via: &Via<'_>, source: SocketAddr, transport: Transport) -> SocketAddr {
        if transport.is_reliable() {
            return source;
        }
        let port = match via.rport() {
            Some(Rport::Requested) => source.port(),
            Some(Rport::Port(p)) => p,
            None => via.sent_by.port.unwrap_or_else(|| transport.default_port()),
        };
        if let Some(maddr) = via.maddr().as_ref().and_then(host_ip) {
            let port = via.sent_by.port.unwrap_or_else(|| transport.default_port());
            return SocketAddr::new(maddr, port);
        }
        let ip = via
            .received()
            .or_else(|| host_ip(&via.sent_by.host))
            .unwrap_or(source.ip());
        SocketAddr::new(ip, port)
    }

    #[test]
    fn where_responses_go() {
        let src = addr("192.0.2.7:40000");
        let udp = Transport::Udp;
        let dest = |s: &'static str, transport: Transport| {
            let (via, n) = noted(s);
            let st = stamp(&via, &n, src);
            let got = response_destination(&via, &n, st.is_some(), src, transport);
            let expected = reference(st.as_ref().unwrap_or(&via), src, transport);
            assert_eq!(got, expected, "{s}");
            got
        };
        // §18.2.2: received, sent-by port.
        assert_eq!(
            dest("SIP/2.0/UDP pc33.example.com:5070;branch=z9hG4bK1", udp),
            addr("192.0.2.7:5070")
        );
        assert_eq!(
            dest("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1", udp),
            addr("192.0.2.7:5060")
        );
        // RFC 3581: the source port.
        assert_eq!(
            dest("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1", udp),
            src
        );
        // maddr.
        assert_eq!(
            dest(
                "SIP/2.0/UDP pc33.example.com;maddr=239.255.255.1;ttl=1;branch=z9hG4bK1",
                udp
            ),
            addr("239.255.255.1:5060")
        );
        // Parameters the client wrote itself, a name as maddr, a second
        // rport: the first of each counts, as the accessors read them.
        for s in [
            "SIP/2.0/UDP 192.0.2.7:5070;received=198.51.100.1;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.7;rport=5090;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.7;rport=5090;rport;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.0.1;maddr=proxy.example.com;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.0.1 ; rport ; maddr=192.0.2.200 ; branch=z9hG4bK1",
            "SIP/2.0/UDP [2001:db8::1]:5062;received=2001:db8::9;branch=z9hG4bK1",
        ] {
            dest(s, udp);
        }
        // Reliable: the connection it came on.
        assert_eq!(
            dest(
                "SIP/2.0/TCP pc33.example.com;branch=z9hG4bK1",
                Transport::Tcp
            ),
            src
        );
        fn v(s: &'static str) -> Via<'static> {
            Via::parse(s).unwrap()
        }
        let key = |text: &'static str| {
            let mut k = SmallVec::<[u8; 64]>::new();
            sent_by_key(&v(text), &mut k);
            k
        };
        let same = |a: &'static str, b: &'static str| assert_eq!(key(a), key(b), "{a} / {b}");
        let differ = |a: &'static str, b: &'static str| assert_ne!(key(a), key(b), "{a} / {b}");
        // Host names ignore case; TLS defaults to 5061, the others to 5060.
        same(
            "SIP/2.0/TLS PC33.Example.com;branch=z9hG4bK1",
            "SIP/2.0/TLS pc33.example.com:5061;branch=z9hG4bK2",
        );
        same(
            "SIP/2.0/UDP h;branch=z9hG4bK1",
            "SIP/2.0/UDP H:5060;branch=z9hG4bK1",
        );
        differ(
            "SIP/2.0/TLS h;branch=z9hG4bK1",
            "SIP/2.0/TLS h:5060;branch=z9hG4bK1",
        );
        differ(
            "SIP/2.0/UDP h:0;branch=z9hG4bK1",
            "SIP/2.0/UDP h;branch=z9hG4bK1",
        );
        // Addresses compare as addresses.
        same(
            "SIP/2.0/UDP 010.000.255.1;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.255.1:5060;branch=z9hG4bK1",
        );
        same(
            "SIP/2.0/UDP [2001:DB8::1];branch=z9hG4bK1",
            "SIP/2.0/UDP [2001:db8:0::1]:5060;branch=z9hG4bK1",
        );
        differ(
            "SIP/2.0/UDP 192.0.2.1:65535;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.1:65534;branch=z9hG4bK1",
        );
        // A name is not an address, whatever it spells.
        differ(
            "SIP/2.0/UDP [::c000:201];branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1",
        );
        differ(
            "SIP/2.0/UDP a.example;branch=z9hG4bK1",
            "SIP/2.0/UDP a.example.;branch=z9hG4bK1",
        );
    }
}
