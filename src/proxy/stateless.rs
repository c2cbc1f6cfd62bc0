//! The stateless proxy (RFC 3261 §16.11): no transactions, no response
//! context. A request is checked (§16.3) and reported; the caller forwards
//! it (or answers it) at once; a response whose top Via is this proxy's
//! loses that Via and goes where the next Via says. Retransmissions are
//! forwarded again, each time with the same branch, which is all that makes
//! them retransmissions downstream.
//!
//! For elements on a high-volume path that keep no state (a load balancer,
//! a front door); a proxy that forks, recurses, cancels or must choose the
//! best response is the stateful [`Proxy`](super::Proxy).

use std::collections::VecDeque;

use bytes::Bytes;

use crate::endpoint::{Flow, Transmit, via};
use crate::message::{BuildError, Editor, Message, ParseConfig, ValidationPolicy};
use crate::method::Method;
use crate::uri::Uri;

use super::{ProxyIdentity, Target, check, copy, next_hop, upstream_flow};

/// What a [`StatelessProxy`] reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum StatelessEvent {
    /// A request that passed the §16.3 checks (its top Via stamped with
    /// `received`/`rport`): forward it with [`StatelessProxy::forward`] or
    /// [`StatelessProxy::forward_route`], or answer it with
    /// [`StatelessProxy::respond`] (never an ACK), or drop it. Every
    /// retransmission is reported again and must be routed the same way
    /// (§16.11: the routing decision must be a function of the request).
    Request {
        /// The request.
        request: Message,
        /// The flow it came in on.
        origin: Flow,
        /// The flow a response to it goes back on (§18.2.2).
        reply: Flow,
        /// Where it goes next without a routing decision
        /// ([`super::next_hop`]).
        next_hop: Option<Box<Uri<'static>>>,
    },
}

/// Counters of a [`StatelessProxy`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatelessStats {
    /// Requests forwarded.
    pub forwarded_requests: u64,
    /// Responses forwarded.
    pub forwarded_responses: u64,
    /// Requests answered by the §16.3 checks.
    pub refused: u64,
    /// Messages dropped: unparsable, a response not for this proxy, or one
    /// with nowhere to go.
    pub dropped: u64,
}

/// A stateless proxy (RFC 3261 §16.11). Feed it whole messages (a datagram,
/// or one message cut from a stream with [`crate::message::frame`]);
/// route what it reports; send what it queues.
///
/// ```
/// use imsip::proxy::{ProxyIdentity, StatelessEvent, StatelessProxy, Target};
/// use imsip::uri::{HostPort, Uri};
/// use imsip::{Flow, Transport};
///
/// let me = ProxyIdentity::new(
///     Uri::parse("sip:192.0.2.10;lr")?.into_owned(),
///     HostPort::parse("192.0.2.10")?.into_owned(),
///     [7; 16],
/// );
/// let mut proxy = StatelessProxy::new(me);
/// let local = "192.0.2.10:5060".parse()?;
/// let alice = Flow::new(Transport::Udp, local, "192.0.2.1:5060".parse()?);
/// proxy.handle_input(alice, bytes::Bytes::from_static(b"OPTIONS sip:bob@example.com SIP/2.0\r\n\
/// Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\r\nMax-Forwards: 70\r\n\
/// From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n\
/// Call-ID: s1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));
/// let Some(StatelessEvent::Request { request, origin, .. }) = proxy.poll_event() else {
///     panic!("a request");
/// };
/// // The location service says: bob is at 192.0.2.20.
/// let bob = Target::direct(Uri::parse("sip:bob@192.0.2.20")?.into_owned(), Transport::Udp, local)
///     .unwrap();
/// proxy.forward(&request, &origin, &bob)?;
/// let out = proxy.poll_transmit().unwrap();
/// assert_eq!(out.flow.remote, "192.0.2.20:5060".parse()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct StatelessProxy {
    identity: ProxyIdentity,
    supported: Vec<String>,
    record_route: bool,
    parse: ParseConfig,
    events: VecDeque<StatelessEvent>,
    transmits: VecDeque<Transmit>,
    stats: StatelessStats,
}

impl StatelessProxy {
    /// A stateless proxy named by `identity`, supporting no Proxy-Require
    /// option, not record-routing, with the default parse limits.
    pub fn new(identity: ProxyIdentity) -> StatelessProxy {
        StatelessProxy {
            identity,
            supported: Vec::new(),
            record_route: false,
            parse: ParseConfig::default(),
            events: VecDeque::new(),
            transmits: VecDeque::new(),
            stats: StatelessStats::default(),
        }
    }

    /// The Proxy-Require option tags it supports.
    pub fn with_supported(mut self, tags: &[&str]) -> StatelessProxy {
        self.supported = tags.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    /// Record-routes dialog-creating requests (the proxy stays on the path
    /// of the dialog, still without state).
    pub fn with_record_route(mut self, yes: bool) -> StatelessProxy {
        self.record_route = yes;
        self
    }

    /// The parse limits for what arrives.
    pub fn with_parse_config(mut self, parse: ParseConfig) -> StatelessProxy {
        self.parse = parse;
        self
    }

    /// The counters.
    pub fn stats(&self) -> StatelessStats {
        self.stats
    }

    /// One message arrived on `flow`.
    pub fn handle_input(&mut self, flow: Flow, data: Bytes) {
        let Ok(msg) = Message::parse_with(data, &self.parse) else {
            self.stats.dropped += 1;
            return;
        };
        if msg.as_ref().is_request() {
            self.on_request(msg, flow);
        } else {
            self.on_response(&msg, flow);
        }
    }

    fn on_request(&mut self, msg: Message, origin: Flow) {
        let Ok((top, noted)) = msg.as_ref().via_noted() else {
            self.stats.dropped += 1;
            return;
        };
        let Some((stamped, reply)) = via::receive(&msg, &top, &noted, &origin, &self.parse) else {
            self.stats.dropped += 1;
            return;
        };
        let request = stamped.unwrap_or_else(|| msg.clone());
        let m = request.as_ref();
        let supported: Vec<&str> = self.supported.iter().map(String::as_str).collect();
        if let Err(refusal) = check(&m, &self.identity, &ValidationPolicy::proxy(&supported)) {
            // An ACK is never answered.
            if m.method() != Some(Method::Ack)
                && let Ok(r) = refusal.response.build()
            {
                self.stats.refused += 1;
                self.send(r, reply);
            } else {
                self.stats.dropped += 1;
            }
            return;
        }
        let next_hop = next_hop(&m, &self.identity).map(Box::new);
        self.events.push_back(StatelessEvent::Request {
            request,
            origin,
            reply,
            next_hop,
        });
    }

    /// A response for this proxy: its Via goes, and it follows the next
    /// one (§16.11, [`upstream_flow`]).
    fn on_response(&mut self, msg: &Message, origin: Flow) {
        let m = msg.as_ref();
        let ours = m
            .via()
            .is_ok_and(|top| self.identity.sends_as(&top.sent_by));
        if !ours {
            self.stats.dropped += 1;
            return;
        }
        let mut edit = Editor::new(m);
        edit.pop_via();
        let Ok(out) = edit.finish() else {
            self.stats.dropped += 1;
            return;
        };
        match upstream_flow(&self.identity, &out.as_ref(), &origin) {
            Some(flow) => {
                self.stats.forwarded_responses += 1;
                self.send(out, flow);
            }
            None => self.stats.dropped += 1,
        }
    }

    /// Forwards `request` (of a [`StatelessEvent::Request`] that came in on
    /// `origin`) to `target`: its URI as the Request-URI, the §16.4 route
    /// preprocessing, Max-Forwards lowered, this proxy's Via with the
    /// §16.11 branch ([`ProxyIdentity::stateless_branch`]), and
    /// Record-Route when configured (two across interfaces or transports).
    ///
    /// # Errors
    /// [`BuildError`] when the copy cannot be made.
    pub fn forward(
        &mut self,
        request: &Message,
        origin: &Flow,
        target: &Target,
    ) -> Result<(), BuildError> {
        self.forward_to(request, origin, Some(&target.uri), target.flow)
    }

    /// Forwards `request` by its Route set or Request-URI to `next_hop` (of
    /// its event), when that is an IP address; `false` when it is not
    /// (resolve it and use [`StatelessProxy::forward`]).
    pub fn forward_route(&mut self, request: &Message, origin: &Flow, next_hop: &Uri<'_>) -> bool {
        let Some(flow) = Flow::direct(next_hop, origin.transport, origin.local) else {
            return false;
        };
        self.forward_to(request, origin, None, flow).is_ok()
    }

    fn forward_to(
        &mut self,
        request: &Message,
        origin: &Flow,
        uri: Option<&Uri<'_>>,
        flow: Flow,
    ) -> Result<(), BuildError> {
        let m = request.as_ref();
        let record_route = self.record_route
            && m.to_tag().ok().flatten().is_none()
            && matches!(
                m.method(),
                Some(Method::Invite | Method::Subscribe | Method::Refer)
            );
        let routes = if record_route {
            self.identity.record_routes(origin, &flow)
        } else {
            Vec::new()
        };
        let out = copy(
            &m,
            &self.identity,
            uri,
            &routes,
            self.identity.sent_by_on(&flow),
            flow.transport,
            self.identity.stateless_branch(&m),
        )?;
        self.stats.forwarded_requests += 1;
        self.send(out, flow);
        Ok(())
    }

    /// Answers a reported request (a redirect server's 302, a 404, a 403)
    /// on its `reply` flow. Nothing remembers it: a retransmission of the
    /// request is reported again and answered again.
    pub fn respond(&mut self, reply: Flow, response: Message) {
        self.send(response, reply);
    }

    fn send(&mut self, message: Message, flow: Flow) {
        self.transmits.push_back(Transmit {
            flow,
            payload: message.bytes().clone(),
            transaction: None,
        });
    }

    /// The next message to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<StatelessEvent> {
        self.events.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;
    use crate::Transport;
    use crate::header::Via;
    use crate::uri::HostPort;
    use std::net::SocketAddr;

    const LOCAL: &str = "192.0.2.10:5060";

    fn proxy() -> StatelessProxy {
        StatelessProxy::new(ProxyIdentity::new(
            Uri::parse("sip:192.0.2.10;lr").unwrap().into_owned(),
            HostPort::parse("192.0.2.10").unwrap().into_owned(),
            [2; 16],
        ))
        .with_record_route(true)
    }

    fn flow(remote: &str) -> Flow {
        Flow::new(
            Transport::Udp,
            LOCAL.parse().unwrap(),
            remote.parse().unwrap(),
        )
    }

    fn invite(method: &str, to_tag: &str, extra: &str) -> Bytes {
        Bytes::from(format!(
            "{method} sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKs1;rport\r\nMax-Forwards: 70\r\n{extra}\
From: <sip:alice@example.com>;tag=a\r\nTo: <sip:bob@example.com>{to_tag}\r\n\
Call-ID: st1\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n"
        ))
    }

    fn bob() -> Target {
        Target::direct(
            Uri::parse("sip:bob@192.0.2.20").unwrap().into_owned(),
            Transport::Udp,
            LOCAL.parse().unwrap(),
        )
        .unwrap()
    }

    /// Feeds `data` from alice and forwards what is reported to bob;
    /// returns what was sent.
    fn through(p: &mut StatelessProxy, data: Bytes) -> Message {
        p.handle_input(flow("192.0.2.1:5060"), data);
        let Some(StatelessEvent::Request {
            request, origin, ..
        }) = p.poll_event()
        else {
            panic!("a request");
        };
        p.forward(&request, &origin, &bob()).unwrap();
        let t = p.poll_transmit().unwrap();
        assert_eq!(
            t.flow.remote,
            "192.0.2.20:5060".parse::<SocketAddr>().unwrap()
        );
        Message::parse(t.payload).unwrap()
    }

    fn top_branch(m: &Message) -> String {
        m.as_ref().via().unwrap().branch().unwrap().to_owned()
    }

    #[test]
    fn retransmissions_cancel_and_the_non_2xx_ack_share_the_invites_branch() {
        let mut p = proxy();
        let first = through(&mut p, invite("INVITE", "", ""));
        let again = through(&mut p, invite("INVITE", "", ""));
        assert_eq!(top_branch(&first), top_branch(&again));
        let cancel = through(&mut p, invite("CANCEL", "", ""));
        assert_eq!(top_branch(&cancel), top_branch(&first));
        let ack = through(&mut p, invite("ACK", ";tag=b", ""));
        assert_eq!(top_branch(&ack), top_branch(&first));
        // Credentials on the INVITE (after a 407) are not on its CANCEL;
        // a re-INVITE's To tag is on its ACK too: the branches still match.
        let auth = "Proxy-Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", \
uri=\"sip:bob@example.com\", response=\"00\"\r\n";
        let with_credentials = through(&mut p, invite("INVITE", "", auth));
        let cancel = through(&mut p, invite("CANCEL", "", ""));
        assert_eq!(top_branch(&cancel), top_branch(&with_credentials));
        let reinvite = through(&mut p, invite("INVITE", ";tag=b", ""));
        let ack = through(&mut p, invite("ACK", ";tag=b", ""));
        assert_eq!(top_branch(&ack), top_branch(&reinvite));
        // The INVITE was record-routed, the others not; the received Via
        // was stamped (rport) below the proxy's.
        let m = first.as_ref();
        assert_eq!(
            m.get("Record-Route").unwrap().value_str(),
            Some("<sip:192.0.2.10;lr>")
        );
        assert!(cancel.as_ref().get("Record-Route").is_none());
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(|v| v.unwrap()).collect();
        assert_eq!(vias[1].params.value("rport"), Some("5060"));
        assert_eq!(m.request_uri_str(), Some("sip:bob@192.0.2.20"));
        // Another transaction: another branch.
        let other = through(
            &mut p,
            Bytes::from(
                String::from_utf8(invite("INVITE", "", "").to_vec())
                    .unwrap()
                    .replace("z9hG4bKs1", "z9hG4bKs2"),
            ),
        );
        assert_ne!(top_branch(&other), top_branch(&first));
        assert_eq!(p.stats().forwarded_requests, 9);
    }

    #[test]
    fn responses_lose_the_proxys_via_and_follow_the_next() {
        let mut p = proxy();
        let out = through(&mut p, invite("INVITE", "", ""));
        let ok = out
            .as_ref()
            .response(StatusCode::OK)
            .unwrap()
            .to_tag("b")
            .build()
            .unwrap();
        p.handle_input(flow("192.0.2.20:5060"), ok.bytes().clone());
        let t = p.poll_transmit().unwrap();
        // rport=5060 and received: back to alice.
        assert_eq!(
            t.flow.remote,
            "192.0.2.1:5060".parse::<SocketAddr>().unwrap()
        );
        let up = Message::parse(t.payload).unwrap();
        assert_eq!(up.as_ref().header_all::<Via<'_>>().count(), 1);
        // A response whose top Via is not this proxy's is dropped.
        let stray = invite("INVITE", "", "");
        let stray = Message::parse(stray)
            .unwrap()
            .as_ref()
            .response(StatusCode::OK)
            .unwrap()
            .build()
            .unwrap();
        p.handle_input(flow("192.0.2.20:5060"), stray.bytes().clone());
        assert!(p.poll_transmit().is_none());
        assert_eq!(p.stats().forwarded_responses, 1);
        assert_eq!(p.stats().dropped, 1);
    }

    #[test]
    fn checks_answer_statelessly_and_loops_are_caught() {
        let mut p = proxy();
        p.handle_input(
            flow("192.0.2.1:5060"),
            Bytes::from(
                String::from_utf8(invite("INVITE", "", "").to_vec())
                    .unwrap()
                    .replace("Max-Forwards: 70", "Max-Forwards: 0"),
            ),
        );
        assert!(p.poll_event().is_none());
        let t = p.poll_transmit().unwrap();
        let r = Message::parse(t.payload).unwrap();
        assert_eq!(r.as_ref().status(), Some(StatusCode::TOO_MANY_HOPS));
        assert_eq!(
            t.flow.remote,
            "192.0.2.1:5060".parse::<SocketAddr>().unwrap()
        );
        // What the proxy forwarded, coming back unchanged, is a loop.
        let out = through(&mut p, invite("OPTIONS", "", ""));
        let back = Bytes::from(
            String::from_utf8(out.bytes().to_vec())
                .unwrap()
                .replace("sip:bob@192.0.2.20", "sip:bob@example.com"),
        );
        p.handle_input(flow("192.0.2.20:5060"), back);
        assert!(p.poll_event().is_none());
        let r = Message::parse(p.poll_transmit().unwrap().payload).unwrap();
        assert_eq!(r.as_ref().status(), Some(StatusCode::LOOP_DETECTED));
        assert_eq!(p.stats().refused, 2);
        // Garbage is counted, not answered.
        p.handle_input(flow("192.0.2.1:5060"), Bytes::from_static(b"\x00\x01"));
        assert!(p.poll_transmit().is_none());
        assert_eq!(p.stats().dropped, 1);
    }

    #[test]
    fn requests_of_a_dialog_follow_their_route() {
        let mut p = proxy();
        p.handle_input(
            flow("192.0.2.1:5060"),
            invite(
                "BYE",
                ";tag=b",
                "Route: <sip:192.0.2.10;lr>, <sip:192.0.2.30;lr>\r\n",
            ),
        );
        let Some(StatelessEvent::Request {
            request,
            origin,
            next_hop,
            ..
        }) = p.poll_event()
        else {
            panic!("a request");
        };
        let hop = next_hop.unwrap();
        assert_eq!(hop.to_string(), "sip:192.0.2.30;lr");
        assert!(p.forward_route(&request, &origin, &hop));
        let t = p.poll_transmit().unwrap();
        assert_eq!(
            t.flow.remote,
            "192.0.2.30:5060".parse::<SocketAddr>().unwrap()
        );
        let m = Message::parse(t.payload).unwrap();
        let routes: Vec<_> = m
            .as_ref()
            .get_all("Route")
            .map(|h| h.value_str().unwrap().to_owned())
            .collect();
        assert_eq!(routes, ["<sip:192.0.2.30;lr>"]);
        assert_eq!(m.as_ref().request_uri_str(), Some("sip:bob@example.com"));
    }
}
