//! The proxy core (RFC 3261 §16): the rules a proxy applies to a request
//! before it forwards it, as functions over the message and the minimal-diff
//! [`Editor`].
//!
//! - [`ProxyIdentity`]: the URIs that name this proxy, the sent-by of its
//!   Via, and the key of its loop-detection hash.
//! - [`check`]: request validation (§16.3) with a proxy's
//!   [`ValidationPolicy`] (URI scheme 416, Max-Forwards 483, Proxy-Require
//!   420) and loop detection (§16.3 item 4, RFC 5393): 482.
//! - [`forward`]: routing information preprocessing (§16.4: this proxy's
//!   Route entry removed, the strict-router fix-up) and the copy to forward
//!   (§16.6: new Request-URI, Max-Forwards decremented, Record-Route, the
//!   proxy's Via with a branch that carries the loop hash), every
//!   untouched octet as received.
//!
//! ```
//! use imsip::proxy::{self, ProxyIdentity};
//! use imsip::uri::{HostPort, Uri};
//! use imsip::{MessageRef, Transport, ValidationPolicy};
//!
//! let invite = MessageRef::parse(b"INVITE sip:bob@example.com SIP/2.0\r\n\
//! Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\r\nMax-Forwards: 70\r\n\
//! Route: <sip:proxy.example.com;lr>\r\nFrom: <sip:alice@example.com>;tag=1\r\n\
//! To: <sip:bob@example.com>\r\nCall-ID: p1\r\nCSeq: 1 INVITE\r\n\
//! Contact: <sip:alice@192.0.2.1>\r\nContent-Length: 0\r\n\r\n")?;
//! let me = ProxyIdentity::new(
//!     Uri::parse("sip:proxy.example.com;lr")?.into_owned(),
//!     HostPort::parse("192.0.2.10:5060")?.into_owned(),
//!     [7; 16],
//! );
//! proxy::check(&invite, &me, &ValidationPolicy::proxy(&[])).unwrap();
//! let target = Uri::parse("sip:bob@192.0.2.20")?;
//! let out = proxy::forward(&invite, &me, Some(&target), true, Transport::Udp, 1)?;
//! let m = out.as_ref();
//! assert_eq!(m.request_uri_str(), Some("sip:bob@192.0.2.20"));
//! assert_eq!(m.header::<imsip::header::MaxForwards>().unwrap()?.0, 69);
//! assert!(m.get("Route").is_none()); // its own Route entry is gone
//! assert_eq!(m.get("Record-Route").unwrap().value_str(), Some("<sip:proxy.example.com;lr>"));
//! assert_eq!(m.via()?.sent_by.to_string(), "192.0.2.10:5060");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod core;
mod stateless;

pub use self::core::{Forking, Proxy, ProxyConfig, ProxyEvent, RequestId, Target};
pub use self::stateless::{StatelessEvent, StatelessProxy, StatelessStats};

use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;

use crate::endpoint::Flow;

use crate::header::{HeaderName, NameAddr, RecordRoute, Route, Via};
use crate::message::{BuildError, Editor, Message, MessageRef, ValidationPolicy};
use crate::random::MAGIC_COOKIE;
use crate::status::StatusCode;
use crate::transport::Transport;
use crate::uri::{HostPort, Uri};

/// What names this proxy: its Record-Route URI and any other URI that
/// reaches it (for Route and Request-URI recognition, §16.4), the sent-by
/// of its Via, and the key of its loop-detection hash.
#[derive(Clone, Debug)]
pub struct ProxyIdentity {
    record_route: Uri<'static>,
    addresses: Vec<Uri<'static>>,
    sent_by: HostPort<'static>,
    interfaces: Vec<Interface>,
    key: [u8; 16],
}

/// One network interface of a proxy that has several (a private and a
/// public network, UDP and TCP listeners on different addresses): where it
/// is, the Record-Route URI that reaches the proxy there and the sent-by of
/// the Vias it sends from there. A request that leaves on another interface
/// than it came in on is record-routed twice (RFC 5658): the URI of the
/// side it came from under the URI of the side it leaves on, so each end of
/// the dialog reaches the proxy on its own side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// The transport.
    pub transport: Transport,
    /// The local address of its socket.
    pub local: SocketAddr,
    /// The Record-Route URI that reaches the proxy on it (with `;lr`).
    pub record_route: Uri<'static>,
    /// The sent-by of the Vias sent from it.
    pub sent_by: HostPort<'static>,
}

/// The branch prefix of this crate's proxies: the magic cookie and `P`,
/// then the loop hash, a `.` and a per-forward number.
const BRANCH_MARK: &str = "P";

impl ProxyIdentity {
    /// A proxy that record-routes with `record_route` (put `;lr` on it),
    /// sends from `sent_by`, and hashes with `key` (random per deployment:
    /// [`crate::random::Random::fill_bytes`]).
    pub fn new(record_route: Uri<'static>, sent_by: HostPort<'static>, key: [u8; 16]) -> Self {
        let mut addresses = vec![record_route.clone()];
        if let Ok(u) = Uri::parse(&format!("sip:{sent_by}")) {
            addresses.push(u.into_owned());
        }
        ProxyIdentity {
            record_route,
            addresses,
            sent_by,
            interfaces: Vec::new(),
            key,
        }
    }

    /// An interface of this proxy (its URIs reach the proxy; see
    /// [`Interface`]).
    pub fn add_interface(&mut self, interface: Interface) {
        self.addresses.push(interface.record_route.clone());
        if let Ok(u) = Uri::parse(&format!("sip:{}", interface.sent_by)) {
            self.addresses.push(u.into_owned());
        }
        self.interfaces.push(interface);
    }

    /// The interface of `transport` on `local`, when one was added.
    pub fn interface(&self, transport: Transport, local: SocketAddr) -> Option<&Interface> {
        self.interfaces
            .iter()
            .find(|i| i.transport == transport && i.local == local)
    }

    /// Whether `sent_by` is one this proxy sends its Vias with.
    fn sends_as(&self, sent_by: &HostPort<'_>) -> bool {
        *sent_by == self.sent_by || self.interfaces.iter().any(|i| i.sent_by == *sent_by)
    }

    /// The Record-Route URIs for a request from `inbound` to `outbound`,
    /// bottom first (RFC 5658): one when both are the same side, else the
    /// inbound side's under the outbound side's. A side is its interface
    /// when one was added, else the transport: this proxy's Record-Route
    /// URI with the `transport` parameter of each side.
    pub fn record_routes(&self, inbound: &Flow, outbound: &Flow) -> Vec<Uri<'static>> {
        let find = |f: &Flow| self.interface(f.transport, f.local);
        match (find(inbound), find(outbound)) {
            (Some(a), Some(b)) if a == b => vec![b.record_route.clone()],
            (None, None) if inbound.transport == outbound.transport => {
                vec![self.record_route.clone()]
            }
            (a, b) => {
                let side = |i: Option<&Interface>, t: Transport| {
                    i.map_or_else(|| self.record_route_over(t), |i| i.record_route.clone())
                };
                vec![side(a, inbound.transport), side(b, outbound.transport)]
            }
        }
    }

    /// This proxy's Record-Route URI with `transport` named (kept as is for
    /// UDP when it names none).
    fn record_route_over(&self, transport: Transport) -> Uri<'static> {
        let mut uri = self.record_route.clone();
        if let Uri::Sip(s) = &mut uri {
            let named = s.transport().and_then(Transport::from_token);
            if named.unwrap_or(Transport::Udp) != transport {
                let _ = s
                    .params_mut()
                    .set("transport", Some(&transport.as_str().to_ascii_lowercase()));
            }
        }
        uri
    }

    /// The sent-by for a Via sent over `flow`: its interface's, else this
    /// proxy's.
    pub fn sent_by_on(&self, flow: &Flow) -> &HostPort<'static> {
        self.interface(flow.transport, flow.local)
            .map_or(&self.sent_by, |i| &i.sent_by)
    }

    /// Another URI that reaches this proxy (a domain name, another
    /// interface).
    pub fn add_address(&mut self, uri: Uri<'static>) {
        self.addresses.push(uri);
    }

    /// The Record-Route URI.
    pub fn record_route(&self) -> &Uri<'static> {
        &self.record_route
    }

    /// The sent-by of this proxy's Via.
    pub fn sent_by(&self) -> &HostPort<'static> {
        &self.sent_by
    }

    /// Whether `uri` names this proxy: a SIP URI with one of its hosts and
    /// ports (the user part and parameters aside).
    pub fn is_me(&self, uri: &Uri<'_>) -> bool {
        let Some(s) = uri.as_sip() else {
            return false;
        };
        self.addresses
            .iter()
            .filter_map(Uri::as_sip)
            .any(|a| a.host() == s.host() && a.port().unwrap_or(5060) == s.port().unwrap_or(5060))
    }

    /// The loop-detection hash of a request as received (RFC 3261 §16.6
    /// step 8): its Request-URI, To and From tags, Call-ID, CSeq number,
    /// Proxy-Require and Proxy-Authorization. Not the topmost Via, which
    /// changes on every hop, nor the Route, from which each proxy removes
    /// its own entry: either would make every loop look like a spiral. A
    /// request this proxy retargets comes back with the new Request-URI, a
    /// spiral once, and is caught the round after.
    pub fn loop_hash(&self, request: &MessageRef<'_>) -> String {
        self.loop_hash_of(request, true)
    }

    /// The loop hash a stateless proxy puts in its branches
    /// ([`ProxyIdentity::stateless_branch`]): the Request-URI, the From
    /// tag, the Call-ID and the CSeq number; not the To tag nor
    /// Proxy-Require or Proxy-Authorization, which the CANCEL or the ACK of
    /// a non-2xx need not repeat from their INVITE.
    pub fn stateless_loop_hash(&self, request: &MessageRef<'_>) -> String {
        self.loop_hash_of(request, false)
    }

    /// A hasher keyed with this proxy's key: another deployment's hashes
    /// differ.
    fn hasher(&self) -> impl Hasher {
        let mut h =
            std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
                .build_hasher();
        h.write(&self.key);
        h
    }

    /// [`ProxyIdentity::loop_hash`] (`full`), or
    /// [`ProxyIdentity::stateless_loop_hash`].
    fn loop_hash_of(&self, request: &MessageRef<'_>, full: bool) -> String {
        let mut h = self.hasher();
        h.write(request.request_uri_str().unwrap_or("").as_bytes());
        h.write_u8(0);
        let to = if full { request.to_tag() } else { Ok(None) };
        for tag in [to, request.from_tag()] {
            h.write(tag.ok().flatten().unwrap_or("").as_bytes());
            h.write_u8(0);
        }
        h.write(
            request
                .call_id()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default()
                .as_bytes(),
        );
        h.write_u32(request.cseq().map_or(0, |c| c.seq));
        if full {
            for name in [HeaderName::ProxyRequire, HeaderName::ProxyAuthorization] {
                for v in request.values(name) {
                    h.write(v);
                    h.write_u8(0);
                }
            }
        }
        format!("{:016x}", h.finish())
    }

    /// The branch of the `n`-th forward of `request`: the magic cookie,
    /// this crate's mark, the loop hash and `n`.
    pub fn branch(&self, request: &MessageRef<'_>, n: u32) -> String {
        format!("{MAGIC_COOKIE}{BRANCH_MARK}{}.{n}", self.loop_hash(request))
    }

    /// The branch a stateless proxy gives `request` (RFC 3261 §16.11): the
    /// same for every retransmission, and for a CANCEL or the ACK of a
    /// non-2xx the same as for their INVITE (or re-INVITE), so that the
    /// next hop matches them to its transaction. The
    /// [`ProxyIdentity::stateless_loop_hash`], then a hash of the received
    /// branch when it has the magic cookie, else of the whole top Via:
    /// unique per transaction, as the received branch is.
    pub fn stateless_branch(&self, request: &MessageRef<'_>) -> String {
        let mut h = self.hasher();
        let top = request.values(HeaderName::Via).next().unwrap_or_default();
        match crate::endpoint::via::plain_branch(top) {
            Some(b) if b.starts_with(MAGIC_COOKIE.as_bytes()) => h.write(b),
            _ => h.write(top),
        }
        let n = h.finish() as u32;
        format!(
            "{MAGIC_COOKIE}{BRANCH_MARK}{}.{n:08x}",
            self.stateless_loop_hash(request)
        )
    }
}

/// Where `request` goes next without a routing decision (RFC 3261 §16.4,
/// §16.5), when that is known: the first Route value that is not this
/// proxy's (a request of a record-routed dialog, a preloaded route), else,
/// for a request within a dialog (a To tag), its Request-URI, the remote
/// target, which a proxy does not retarget. `None`: the caller decides (a
/// location lookup).
pub fn next_hop(request: &MessageRef<'_>, identity: &ProxyIdentity) -> Option<Uri<'static>> {
    request
        .header_all::<Route<'_>>()
        .filter_map(Result::ok)
        .map(|r| r.name_addr.uri.into_owned())
        .find(|u| !identity.is_me(u))
        .or_else(|| {
            request.to_tag().ok().flatten()?;
            request
                .request_uri()
                .and_then(Result::ok)
                .filter(|u| !identity.is_me(u))
                .map(Uri::into_owned)
        })
}

/// Where a response goes once this proxy's Via is gone (`response` is the
/// copy without it; RFC 3261 §16.7 step 9, §18.2.2, RFC 3581): to the
/// address the Via now on top names, over that Via's transport, from the
/// interface of that transport (the one the response `arrived` on when it
/// has the same transport, else the first interface added for it, else
/// the address it arrived on). Over a stream transport the caller maps the
/// flow to its connection. `None` when the Via names no known transport or
/// no address.
pub(crate) fn upstream_flow(
    identity: &ProxyIdentity,
    response: &MessageRef<'_>,
    arrived: &Flow,
) -> Option<Flow> {
    let (via, noted) = response.via_noted().ok()?;
    let transport = via.transport.known()?;
    let remote = crate::endpoint::via::via_destination(&via, &noted, transport)?;
    let local = if transport == arrived.transport {
        arrived.local
    } else {
        identity
            .interfaces
            .iter()
            .find(|i| i.transport == transport)
            .map_or(arrived.local, |i| i.local)
    };
    Some(Flow::new(transport, local, remote))
}

/// Why [`check`] refuses a request: the status and the response to send.
#[derive(Debug)]
pub struct Refusal {
    /// The status.
    pub status: StatusCode,
    /// The response (416, 420 with Unsupported, 482, 483, 400).
    pub response: Box<crate::message::ResponseBuilder>,
}

/// Request validation (RFC 3261 §16.3): the checks of a proxy's `policy`
/// (URI scheme → 416, Max-Forwards 0 → 483, Proxy-Require → 420 with
/// Unsupported) and loop detection (item 4): a Via of this proxy whose
/// branch carries this request's loop hash means the request came back
/// unchanged: 482. (A branch of this proxy with another hash is a spiral,
/// which is allowed.) Proxy-Authorization is the caller's (item 6).
///
/// # Errors
/// A [`Refusal`] with the response to send.
pub fn check(
    request: &MessageRef<'_>,
    identity: &ProxyIdentity,
    policy: &ValidationPolicy<'_>,
) -> Result<(), Refusal> {
    if let Err(e) = request.validate_with(policy) {
        let status = e.status_code();
        let response = policy
            .rejection(request, &e)
            .unwrap_or_else(|_| crate::message::ResponseBuilder::new(status));
        return Err(Refusal {
            status,
            response: Box::new(response),
        });
    }
    let prefix = format!("{MAGIC_COOKIE}{BRANCH_MARK}");
    // A stateful forward carries the full loop hash, a stateless one the
    // stateless form.
    let mut hashes = None;
    for via in request.header_all::<Via<'_>>() {
        let Ok(via) = via else { continue };
        if !identity.sends_as(&via.sent_by) {
            continue;
        }
        let Some(rest) = via.branch().and_then(|b| b.strip_prefix(prefix.as_str())) else {
            continue;
        };
        let (full, stateless) = hashes.get_or_insert_with(|| {
            (
                identity.loop_hash(request),
                identity.stateless_loop_hash(request),
            )
        });
        let first = rest.split('.').next();
        if first == Some(full.as_str()) || first == Some(stateless.as_str()) {
            let status = StatusCode::LOOP_DETECTED;
            let response = request
                .response(status)
                .unwrap_or_else(|_| crate::message::ResponseBuilder::new(status));
            return Err(Refusal {
                status,
                response: Box::new(response),
            });
        }
    }
    Ok(())
}

/// The copy of `request` to forward (RFC 3261 §16.4, §16.6 steps 1–8)
/// over `transport`:
///
/// 1. routing preprocessing: a Request-URI naming this proxy (a strict
///    router sent it) is replaced by the last Route value, which is
///    removed; a first Route value naming this proxy is removed;
/// 2. the Request-URI becomes `target` (for a request this proxy
///    retargets; `None` to route by the Route set or the Request-URI);
/// 3. Max-Forwards one lower (70 when missing);
/// 4. this proxy's Record-Route on top when `record_route`;
/// 5. this proxy's Via on top, with the branch for forward number `n`
///    ([`ProxyIdentity::branch`], computed on the request as received).
///
/// Everything else is copied as received.
///
/// # Errors
/// [`BuildError::Unsuitable`] when Max-Forwards is 0 (check first) or the
/// request cannot be edited.
pub fn forward(
    request: &MessageRef<'_>,
    identity: &ProxyIdentity,
    target: Option<&Uri<'_>>,
    record_route: bool,
    transport: Transport,
    n: u32,
) -> Result<Message, BuildError> {
    let routes = if record_route {
        std::slice::from_ref(&identity.record_route)
    } else {
        &[]
    };
    copy(
        request,
        identity,
        target,
        routes,
        &identity.sent_by,
        transport,
        identity.branch(request, n),
    )
}

/// [`forward`] for a proxy with several interfaces or transports: the
/// request came in on `inbound` and leaves on `outbound`. The Via names the
/// outbound side ([`ProxyIdentity::sent_by_on`]); a request record-routed
/// across sides gets two Record-Route values
/// ([`ProxyIdentity::record_routes`], RFC 5658); both are this proxy's
/// Route entries when a request of the dialog comes back, and both go.
///
/// # Errors
/// As [`forward`].
pub fn forward_between(
    request: &MessageRef<'_>,
    identity: &ProxyIdentity,
    target: Option<&Uri<'_>>,
    record_route: bool,
    inbound: &Flow,
    outbound: &Flow,
    n: u32,
) -> Result<Message, BuildError> {
    let routes = if record_route {
        identity.record_routes(inbound, outbound)
    } else {
        Vec::new()
    };
    copy(
        request,
        identity,
        target,
        &routes,
        identity.sent_by_on(outbound),
        outbound.transport,
        identity.branch(request, n),
    )
}

/// The copy to forward: `record_routes` inserted bottom first, a Via of
/// `sent_by` over `transport` with `branch`.
fn copy(
    request: &MessageRef<'_>,
    identity: &ProxyIdentity,
    target: Option<&Uri<'_>>,
    record_routes: &[Uri<'static>],
    sent_by: &HostPort<'static>,
    transport: Transport,
    branch: String,
) -> Result<Message, BuildError> {
    let mut edit = Editor::new(request.clone());
    // Each Route value as written, with its URI when it parses.
    let routes: Vec<(&str, Option<Uri<'_>>)> = request
        .values(HeaderName::Route)
        .filter_map(|v| std::str::from_utf8(v).ok())
        .map(|v| {
            let uri = <Route<'_> as crate::header::TypedHeader<'_>>::parse(v).ok();
            (v, uri.map(|r| r.name_addr.uri))
        })
        .collect();
    let mine = |r: &(&str, Option<Uri<'_>>)| r.1.as_ref().is_some_and(|u| identity.is_me(u));
    // This proxy's entries on top (two when it record-routed across
    // interfaces) go (§16.4).
    let own = routes.iter().take_while(|r| mine(r)).count();
    match (request.request_uri(), routes.split_last()) {
        // §16.4: a strict router put this proxy in the Request-URI; the
        // last Route value is the Request-URI meant.
        (Some(Ok(uri)), Some(((_, Some(last)), rest))) if identity.is_me(&uri) => {
            edit.set_request_uri(last);
            edit.remove("Route");
            for (value, _) in rest.iter().skip_while(|r| mine(r)) {
                edit.add("Route", value);
            }
        }
        _ => {
            for _ in 0..own {
                edit.pop_route();
            }
        }
    }
    if let Some(target) = target {
        edit.set_request_uri(target);
    }
    if edit.decrement_max_forwards().is_none() {
        return Err(BuildError::Unsuitable("Max-Forwards is 0"));
    }
    for uri in record_routes {
        edit.insert_record_route(&RecordRoute::new(NameAddr::new(uri.clone())));
    }
    let mut via = Via::new(transport, sent_by.clone());
    via.set_branch(&branch)
        .map_err(|_| BuildError::Unsuitable("the branch is not a token"))?;
    edit.push_via(&via);
    edit.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> ProxyIdentity {
        ProxyIdentity::new(
            Uri::parse("sip:p.example.com;lr").unwrap().into_owned(),
            HostPort::parse("192.0.2.10:5060").unwrap().into_owned(),
            [1; 16],
        )
    }

    fn request(uri: &str, extra: &str) -> Message {
        let text = format!(
            "INVITE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\r\n{extra}\
From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: p1\r\n\
CSeq: 1 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\nContent-Length: 0\r\n\r\n"
        );
        Message::parse(bytes::Bytes::from(text)).unwrap()
    }

    const POLICY: ValidationPolicy<'static> = ValidationPolicy::proxy(&[]);

    #[test]
    fn validation_answers_as_a_proxy() {
        let mf0 = request("sip:bob@example.com", "Max-Forwards: 0\r\n");
        assert_eq!(
            check(&mf0.as_ref(), &me(), &POLICY).unwrap_err().status,
            StatusCode::TOO_MANY_HOPS
        );
        let scheme = request("mailto:bob@example.com", "Max-Forwards: 70\r\n");
        assert_eq!(
            check(&scheme.as_ref(), &me(), &POLICY).unwrap_err().status,
            StatusCode::UNSUPPORTED_URI_SCHEME
        );
        let pr = request(
            "sip:bob@example.com",
            "Max-Forwards: 70\r\nProxy-Require: foo\r\n",
        );
        let refused = check(&pr.as_ref(), &me(), &POLICY).unwrap_err();
        assert_eq!(refused.status, StatusCode::BAD_EXTENSION);
        let r = refused.response.build().unwrap();
        assert_eq!(
            r.as_ref().get("Unsupported").unwrap().value_str(),
            Some("foo")
        );
        // A user agent's Require is not a proxy's business.
        let req = request(
            "sip:bob@example.com",
            "Max-Forwards: 70\r\nRequire: foo\r\n",
        );
        assert!(check(&req.as_ref(), &me(), &POLICY).is_ok());
    }

    #[test]
    fn a_request_that_comes_back_unchanged_is_a_loop_a_retargeted_one_a_spiral() {
        let p = me();
        let r = request("sip:bob@example.com", "Max-Forwards: 70\r\n");
        assert!(check(&r.as_ref(), &p, &POLICY).is_ok());
        // Forwarded by its Request-URI, it comes back: a loop.
        let out = forward(&r.as_ref(), &p, None, false, Transport::Udp, 1).unwrap();
        let refused = check(&out.as_ref(), &p, &POLICY).unwrap_err();
        assert_eq!(refused.status, StatusCode::LOOP_DETECTED);
        // Retargeted, it comes back with another Request-URI: a spiral,
        // forwarded again; the round after, the loop shows.
        let target = Uri::parse("sip:bob@192.0.2.20").unwrap();
        let out = forward(&r.as_ref(), &p, Some(&target), false, Transport::Udp, 2).unwrap();
        assert!(check(&out.as_ref(), &p, &POLICY).is_ok());
        let again = forward(&out.as_ref(), &p, Some(&target), false, Transport::Udp, 3).unwrap();
        assert_eq!(
            check(&again.as_ref(), &p, &POLICY).unwrap_err().status,
            StatusCode::LOOP_DETECTED
        );
        // Another proxy's Via with the same branch shape is not ours.
        let other = ProxyIdentity::new(
            Uri::parse("sip:q.example.com;lr").unwrap().into_owned(),
            HostPort::parse("192.0.2.11").unwrap().into_owned(),
            [1; 16],
        );
        let out = forward(&r.as_ref(), &other, None, false, Transport::Udp, 1).unwrap();
        assert!(check(&out.as_ref(), &p, &POLICY).is_ok());
    }

    #[test]
    fn forwarding_copies_with_minimal_changes() {
        let p = me();
        let r = request(
            "sip:bob@example.com",
            "Max-Forwards: 10\r\nRoute: <sip:p.example.com;lr>, <sip:q.example.com;lr>\r\nX-Keep:  as   written \r\n",
        );
        let out = forward(&r.as_ref(), &p, None, true, Transport::Tcp, 7).unwrap();
        let m = out.as_ref();
        assert_eq!(m.request_uri_str(), Some("sip:bob@example.com"));
        let routes: Vec<_> = m.get_all("Route").map(|h| h.value_str().unwrap()).collect();
        assert_eq!(routes, ["<sip:q.example.com;lr>"]);
        assert_eq!(
            m.header::<crate::header::MaxForwards>().unwrap().unwrap().0,
            9
        );
        let vias: Vec<_> = m.header_all::<Via<'_>>().map(|v| v.unwrap()).collect();
        assert_eq!(vias.len(), 2);
        assert_eq!(
            vias[0].to_string(),
            format!(
                "SIP/2.0/TCP 192.0.2.10:5060;branch={}",
                p.branch(&r.as_ref(), 7)
            )
        );
        assert_eq!(vias[1].branch(), Some("z9hG4bKa"));
        assert_eq!(
            m.get("Record-Route").unwrap().value_str(),
            Some("<sip:p.example.com;lr>")
        );
        // What the proxy does not touch stays byte for byte.
        assert!(
            std::str::from_utf8(m.as_bytes())
                .unwrap()
                .contains("X-Keep:  as   written \r\n")
        );
        assert!(m.validate().is_ok());
        // Max-Forwards 0 is not forwarded.
        let dead = request("sip:bob@example.com", "Max-Forwards: 0\r\n");
        assert!(forward(&dead.as_ref(), &p, None, false, Transport::Udp, 1).is_err());
        // Without Max-Forwards the copy gets 70.
        let none = request("sip:bob@example.com", "");
        let out = forward(&none.as_ref(), &p, None, false, Transport::Udp, 1).unwrap();
        assert_eq!(
            out.as_ref()
                .header::<crate::header::MaxForwards>()
                .unwrap()
                .unwrap()
                .0,
            70
        );
    }

    #[test]
    fn a_strict_router_before_us_is_fixed_up() {
        let p = me();
        // The previous hop was a strict router: it put this proxy in the
        // Request-URI and the real target last in the Route.
        let r = request(
            "sip:p.example.com",
            "Max-Forwards: 70\r\nRoute: <sip:q.example.com;lr>, <sip:bob@192.0.2.20>\r\n",
        );
        let out = forward(&r.as_ref(), &p, None, false, Transport::Udp, 1).unwrap();
        let m = out.as_ref();
        assert_eq!(m.request_uri_str(), Some("sip:bob@192.0.2.20"));
        let routes: Vec<_> = m.get_all("Route").map(|h| h.value_str().unwrap()).collect();
        assert_eq!(routes, ["<sip:q.example.com;lr>"]);
        // With this proxy's second Record-Route entry (double
        // record-routing) left on top: it goes too.
        let r = request(
            "sip:p.example.com",
            "Max-Forwards: 70\r\nRoute: <sip:p.example.com;transport=tcp;lr>\r\n\
Route: <sip:q.example.com;lr>, <sip:bob@192.0.2.20>\r\n",
        );
        let out = forward(&r.as_ref(), &p, None, false, Transport::Udp, 1).unwrap();
        let m = out.as_ref();
        assert_eq!(m.request_uri_str(), Some("sip:bob@192.0.2.20"));
        let routes: Vec<_> = m.get_all("Route").map(|h| h.value_str().unwrap()).collect();
        assert_eq!(routes, ["<sip:q.example.com;lr>"]);
    }

    #[test]
    fn across_transports_or_interfaces_it_record_routes_twice() {
        let mut p = me();
        let local: SocketAddr = "192.0.2.10:5060".parse().unwrap();
        let remote: SocketAddr = "192.0.2.1:5060".parse().unwrap();
        let udp = Flow::new(Transport::Udp, local, remote);
        let tcp = Flow::new(Transport::Tcp, local, remote);
        let r = request("sip:bob@example.com", "Max-Forwards: 70\r\n");
        let rr = |m: &Message| -> Vec<String> {
            m.as_ref()
                .get_all("Record-Route")
                .map(|h| h.value_str().unwrap().to_owned())
                .collect()
        };
        // Same side: one.
        let out = forward_between(&r.as_ref(), &p, None, true, &udp, &udp, 1).unwrap();
        assert_eq!(rr(&out), ["<sip:p.example.com;lr>"]);
        // UDP in, TCP out: the TCP side's URI on top of the UDP side's.
        let out = forward_between(&r.as_ref(), &p, None, true, &udp, &tcp, 1).unwrap();
        assert_eq!(
            rr(&out),
            [
                "<sip:p.example.com;lr;transport=tcp>",
                "<sip:p.example.com;lr>"
            ]
        );
        assert_eq!(out.as_ref().via().unwrap().transport, Transport::Tcp);
        // The callee's request of the dialog names both; both go.
        let back = request(
            "sip:alice@192.0.2.1",
            "Max-Forwards: 70\r\nRoute: <sip:p.example.com;lr;transport=tcp>, <sip:p.example.com;lr>, <sip:q.example.com;lr>\r\n",
        );
        let out = forward_between(&back.as_ref(), &p, None, false, &tcp, &udp, 1).unwrap();
        let routes: Vec<_> = out
            .as_ref()
            .get_all("Route")
            .map(|h| h.value_str().unwrap().to_owned())
            .collect();
        assert_eq!(routes, ["<sip:q.example.com;lr>"]);
        // Two interfaces: each its own URI and sent-by.
        let inside: SocketAddr = "10.0.0.1:5060".parse().unwrap();
        p.add_interface(Interface {
            transport: Transport::Udp,
            local,
            record_route: Uri::parse("sip:192.0.2.10;lr").unwrap().into_owned(),
            sent_by: HostPort::parse("192.0.2.10").unwrap().into_owned(),
        });
        p.add_interface(Interface {
            transport: Transport::Udp,
            local: inside,
            record_route: Uri::parse("sip:10.0.0.1;lr").unwrap().into_owned(),
            sent_by: HostPort::parse("10.0.0.1").unwrap().into_owned(),
        });
        let private = Flow::new(Transport::Udp, inside, "10.0.0.2:5060".parse().unwrap());
        let out = forward_between(&r.as_ref(), &p, None, true, &udp, &private, 1).unwrap();
        assert_eq!(rr(&out), ["<sip:10.0.0.1;lr>", "<sip:192.0.2.10;lr>"]);
        assert_eq!(out.as_ref().via().unwrap().sent_by.to_string(), "10.0.0.1");
        assert!(p.is_me(&Uri::parse("sip:10.0.0.1;lr").unwrap()));
        // The loop check knows the interface's Via.
        assert_eq!(
            check(&out.as_ref(), &p, &POLICY).unwrap_err().status,
            StatusCode::LOOP_DETECTED
        );
    }

    #[test]
    fn identity_recognises_its_uris() {
        let mut p = me();
        assert!(p.is_me(&Uri::parse("sip:p.example.com;lr").unwrap()));
        assert!(p.is_me(&Uri::parse("sip:anyone@192.0.2.10").unwrap()));
        assert!(!p.is_me(&Uri::parse("sip:192.0.2.10:5070").unwrap()));
        assert!(!p.is_me(&Uri::parse("sip:example.com").unwrap()));
        p.add_address(Uri::parse("sip:example.com").unwrap().into_owned());
        assert!(p.is_me(&Uri::parse("sip:example.com").unwrap()));
        assert!(!p.is_me(&Uri::parse("tel:+1555").unwrap()));
    }
}
