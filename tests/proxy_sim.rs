//! The stateful proxy core between user agents, in virtual time: a call
//! through a record-routing proxy with the BYE following the route set;
//! parallel forking (200 + 486, 486 + 603); sequential forking by q-value;
//! CANCEL of a forked INVITE; a loop detected; Max-Forwards 0 answered
//! 483; a proxy that record-routes as a strict router (RFC 2543) on the
//! path of a call; Timer C.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::header::QValue;
use imsip::proxy::{Forking, Proxy, ProxyConfig, ProxyEvent, ProxyIdentity, Target};
use imsip::ua::{Body, Call, EndReason, UaConfig, UaEvent, UserAgent};
use imsip::uri::{HostPort, Uri};
use imsip::{Flow, StatusCode, Transport};

enum Node {
    Ua(Box<UserAgent>),
    Proxy(Box<Proxy>),
}

impl Node {
    fn handle_input(&mut self, now: Instant, flow: Flow, data: Bytes) {
        match self {
            Node::Ua(u) => u.handle_input(now, flow, data),
            Node::Proxy(p) => p.handle_input(now, flow, data),
        }
    }
    fn handle_timeout(&mut self, now: Instant) {
        match self {
            Node::Ua(u) => u.handle_timeout(now),
            Node::Proxy(p) => p.handle_timeout(now),
        }
    }
    fn poll_transmit(&mut self) -> Option<imsip::Transmit> {
        match self {
            Node::Ua(u) => u.poll_transmit(),
            Node::Proxy(p) => p.poll_transmit(),
        }
    }
    fn poll_timeout(&mut self) -> Option<Instant> {
        match self {
            Node::Ua(u) => u.poll_timeout(),
            Node::Proxy(p) => p.poll_timeout(),
        }
    }
    fn ua(&mut self) -> &mut UserAgent {
        match self {
            Node::Ua(u) => u,
            Node::Proxy(_) => panic!("not a user agent"),
        }
    }
}

/// A command at a moment of virtual time.
type Step = (Duration, Box<dyn FnMut(&mut World)>);

/// Who answers how: (ring, then answer with this status after this delay).
type Behaviour = Vec<Option<(Duration, StatusCode)>>;

struct World {
    t0: Instant,
    now: Instant,
    nodes: Vec<Node>,
    addrs: Vec<SocketAddr>,
    flight: Vec<(Instant, u64, usize, SocketAddr, Bytes)>,
    seq: u64,
    wire: Vec<(Duration, usize, usize, String)>,
    events: Vec<Vec<(Duration, UaEvent)>>,
    completed: Vec<(String, StatusCode)>,
    /// bob's targets: (node, q) and how they fork.
    bob: Vec<(usize, u16)>,
    forking: Forking,
    behaviour: Behaviour,
    pending_answers: Vec<(Instant, usize, imsip::ua::SessionId, StatusCode)>,
    /// Where a node answering 3xx redirects to.
    redirect_to: Vec<Option<usize>>,
    /// The proxy's Digest server and users, when it authenticates calls.
    digest: Option<(imsip::auth::digest::DigestServer, Vec<(String, String)>)>,
    /// The users it authenticated.
    verified: Vec<String>,
    /// Redirects held back instead of answered at once (answered later by
    /// a step).
    hold_redirects: bool,
    held: Vec<(imsip::proxy::RequestId, Vec<Target>)>,
}

const PROXY: usize = 1;

impl World {
    fn new(uas: usize) -> World {
        World::with_record_route(uas, "sip:127.0.0.2:5060;lr")
    }

    fn with_record_route(uas: usize, record_route: &str) -> World {
        World::build(uas, record_route, false)
    }

    fn build(uas: usize, record_route: &str, recurse: bool) -> World {
        let addrs: Vec<SocketAddr> = (0..uas + 1)
            .map(|i| format!("127.0.0.{}:5060", i + 1).parse().unwrap())
            .collect();
        let mut nodes = Vec::new();
        for (i, addr) in addrs.iter().enumerate() {
            if i == PROXY {
                let identity = ProxyIdentity::new(
                    Uri::parse(record_route).unwrap().into_owned(),
                    HostPort::from(*addr).into_owned(),
                    [3; 16],
                );
                let mut config = ProxyConfig::new(identity);
                config.endpoint.seed = Some(9);
                config.recurse = recurse;
                nodes.push(Node::Proxy(Box::new(Proxy::new(config))));
            } else {
                let mut c = UaConfig::default();
                c.endpoint.seed = Some(i as u64);
                c.reliable_provisional = false;
                nodes.push(Node::Ua(Box::new(UserAgent::new(c))));
            }
        }
        let t0 = Instant::now();
        World {
            t0,
            now: t0,
            nodes,
            events: (0..=uas).map(|_| Vec::new()).collect(),
            addrs,
            flight: Vec::new(),
            seq: 0,
            wire: Vec::new(),
            completed: Vec::new(),
            bob: Vec::new(),
            forking: Forking::Parallel,
            behaviour: (0..=uas).map(|_| None).collect(),
            pending_answers: Vec::new(),
            redirect_to: (0..=uas).map(|_| None).collect(),
            digest: None,
            verified: Vec::new(),
            hold_redirects: false,
            held: Vec::new(),
        }
    }

    fn call(&mut self) -> imsip::ua::SessionId {
        self.call_with(None)
    }

    /// alice calls bob, with Digest `credentials` when given.
    fn call_with(&mut self, credentials: Option<(&str, &str)>) -> imsip::ua::SessionId {
        let flow = Flow::new(Transport::Udp, self.addrs[0], self.addrs[PROXY]);
        let now = self.now;
        let mut call = Call::new(
            Uri::parse("sip:alice@example.com").unwrap().into_owned(),
            Uri::parse("sip:bob@example.com").unwrap().into_owned(),
            flow,
        )
        .body(Body::sdp("v=0\r\n"));
        if let Some((user, password)) = credentials {
            call = call.credentials(user, password.as_bytes());
        }
        self.nodes[0].ua().call(now, call).unwrap()
    }

    fn drain(&mut self, i: usize) {
        loop {
            let mut moved = false;
            while let Some(t) = self.nodes[i].poll_transmit() {
                moved = true;
                let to = self
                    .addrs
                    .iter()
                    .position(|a| *a == t.flow.remote)
                    .expect("a node");
                let line = String::from_utf8_lossy(&t.payload)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                self.wire.push((self.now - self.t0, i, to, line));
                self.seq += 1;
                self.flight.push((
                    self.now + Duration::from_millis(5),
                    self.seq,
                    to,
                    self.addrs[i],
                    t.payload,
                ));
            }
            match &mut self.nodes[i] {
                Node::Proxy(p) => {
                    while let Some(e) = p.poll_event() {
                        moved = true;
                        match e {
                            ProxyEvent::Request {
                                id,
                                request,
                                origin,
                                next_hop,
                            } => {
                                let m = request.as_ref();
                                if let Some(hop) = next_hop {
                                    assert!(p.forward_route(self.now, id, &hop, origin));
                                    continue;
                                }
                                if let Some((server, users)) = &mut self.digest {
                                    let verified =
                                        p.authenticate(self.now, id, server, |user, alg| {
                                            let (u, pw) = users.iter().find(|(u, _)| u == user)?;
                                            Some(imsip::auth::digest::ha1(
                                                alg,
                                                u,
                                                "example.com",
                                                pw.as_bytes(),
                                            ))
                                        });
                                    match verified {
                                        Some(v) => self.verified.push(v.username.clone()),
                                        None => continue,
                                    }
                                }
                                let user = m
                                    .request_uri()
                                    .unwrap()
                                    .unwrap()
                                    .as_sip()
                                    .and_then(|s| s.user().map(str::to_owned));
                                if user.as_deref() == Some("bob") {
                                    let targets = self
                                        .bob
                                        .iter()
                                        .map(|(n, q)| {
                                            let uri =
                                                Uri::parse(&format!("sip:bob@{}", self.addrs[*n]))
                                                    .unwrap()
                                                    .into_owned();
                                            let mut t = Target::direct(
                                                uri,
                                                Transport::Udp,
                                                self.addrs[PROXY],
                                            )
                                            .unwrap();
                                            t.q = QValue::from_thousandths(*q).unwrap();
                                            t
                                        })
                                        .collect();
                                    p.forward(self.now, id, targets, self.forking);
                                } else {
                                    let r =
                                        m.response(StatusCode::NOT_FOUND).unwrap().build().unwrap();
                                    p.respond(self.now, id, r).unwrap();
                                }
                            }
                            ProxyEvent::Redirect { id, contacts, .. } => {
                                let targets = contacts
                                    .into_iter()
                                    .filter_map(|(uri, q)| {
                                        let mut t =
                                            Target::direct(uri, Transport::Udp, self.addrs[PROXY])?;
                                        t.q = q;
                                        Some(t)
                                    })
                                    .collect();
                                if self.hold_redirects {
                                    self.held.push((id, targets));
                                } else {
                                    p.forward(self.now, id, targets, Forking::Parallel);
                                }
                            }
                            ProxyEvent::Completed { method, status, .. } => {
                                self.completed.push((method, status))
                            }
                            _ => {}
                        }
                    }
                }
                Node::Ua(u) => {
                    while let Some(e) = u.poll_event() {
                        moved = true;
                        if let UaEvent::IncomingCall { session, .. } = &e
                            && let Some((after, status)) = self.behaviour[i]
                        {
                            u.progress(self.now, *session, StatusCode::RINGING, None)
                                .unwrap();
                            self.pending_answers
                                .push((self.now + after, i, *session, status));
                        }
                        self.events[i].push((self.now - self.t0, e));
                    }
                }
            }
            if !moved {
                break;
            }
        }
    }

    fn run(&mut self, limit: Duration, mut at: Vec<Step>) {
        at.sort_by_key(|(d, _)| *d);
        let mut at = std::collections::VecDeque::from(at);
        for i in 0..self.nodes.len() {
            self.drain(i);
        }
        loop {
            let timers = self.nodes.iter_mut().filter_map(|n| n.poll_timeout()).min();
            let next = [
                self.flight.iter().map(|f| f.0).min(),
                timers,
                at.front().map(|(d, _)| self.t0 + *d),
                self.pending_answers.iter().map(|p| p.0).min(),
            ]
            .into_iter()
            .flatten()
            .min();
            let Some(next) = next else { break };
            if next - self.t0 > limit {
                break;
            }
            self.now = self.now.max(next);
            while at.front().is_some_and(|(d, _)| self.t0 + *d <= self.now) {
                let (_, mut f) = at.pop_front().unwrap();
                f(self);
            }
            let due: Vec<_> = self
                .pending_answers
                .iter()
                .filter(|p| p.0 <= self.now)
                .cloned()
                .collect();
            self.pending_answers.retain(|p| p.0 > self.now);
            for (_, i, s, status) in due {
                let now = self.now;
                let ua = self.nodes[i].ua();
                let _ = if status.is_success() {
                    ua.answer(now, s, Some(Body::sdp("v=0\r\n")))
                } else if status.class() == 3 {
                    let to = self.redirect_to[i].expect("a redirect target");
                    let text = format!("sip:bob@{}", self.addrs[to]);
                    let uri = Uri::parse(&text).unwrap().into_owned();
                    let contact =
                        imsip::header::ContactAddress::new(imsip::header::NameAddr::new(uri));
                    ua.redirect(now, s, status, &[contact])
                } else {
                    ua.reject(now, s, status)
                };
            }
            let now = self.now;
            let mut due: Vec<_> = Vec::new();
            self.flight.retain(|f| {
                if f.0 <= now {
                    due.push(f.clone());
                    false
                } else {
                    true
                }
            });
            due.sort_by_key(|f| (f.0, f.1));
            for (_, _, to, from, payload) in due {
                let flow = Flow::new(Transport::Udp, self.addrs[to], from);
                self.nodes[to].handle_input(now, flow, payload);
            }
            for i in 0..self.nodes.len() {
                self.nodes[i].handle_timeout(now);
            }
            for i in 0..self.nodes.len() {
                self.drain(i);
            }
        }
    }

    /// Where node `from` sent lines starting with `start`, in order.
    fn sent_to(&self, from: usize, start: &str) -> Vec<usize> {
        self.wire
            .iter()
            .filter(|(_, f, _, l)| *f == from && l.starts_with(start))
            .map(|(_, _, t, _)| *t)
            .collect()
    }

    /// Whether node `from` sent node `to` a line containing `text`.
    fn sent(&self, from: usize, to: usize, text: &str) -> bool {
        self.wire
            .iter()
            .any(|(_, f, t, l)| *f == from && *t == to && l.contains(text))
    }

    fn ladder(&self) -> String {
        self.wire
            .iter()
            .map(|(at, f, t, l)| format!("{:>8.3}s {f} -> {t}: {l}\n", at.as_secs_f64()))
            .collect()
    }

    fn ended(&self, node: usize) -> Vec<EndReason> {
        self.events[node]
            .iter()
            .filter_map(|(_, e)| match e {
                UaEvent::Ended { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .collect()
    }

    fn hangup(at: Duration, node: usize, s: imsip::ua::SessionId) -> Step {
        (
            at,
            Box::new(move |w: &mut World| {
                let now = w.now;
                let _ = w.nodes[node].ua().hangup(now, s);
            }),
        )
    }
}

#[test]
fn a_call_through_a_record_routing_proxy() {
    let mut w = World::new(2);
    w.bob = vec![(2, 1000)];
    w.behaviour[2] = Some((Duration::from_millis(500), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    let path: Vec<(usize, usize, String)> = w
        .wire
        .iter()
        .map(|(_, f, t, l)| (*f, *t, l.split(' ').next().unwrap().to_owned()))
        .collect();
    let hops = |m: &str| -> Vec<(usize, usize)> {
        path.iter()
            .filter(|(_, _, l)| l == m)
            .map(|(f, t, _)| (*f, *t))
            .collect()
    };
    assert_eq!(hops("INVITE"), [(0, 1), (1, 2)], "{ladder}");
    // The ACK and the BYE follow the route set through the proxy.
    assert_eq!(hops("ACK"), [(0, 1), (1, 2)], "{ladder}");
    assert_eq!(hops("BYE"), [(0, 1), (1, 2)], "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
    assert_eq!(w.ended(2), [EndReason::RemoteBye], "{ladder}");
    let rs = w.nodes[0].ua().dialog(s);
    assert!(rs.is_none(), "ended");
    // The proxy forwarded and forgot both transactions.
    assert_eq!(
        w.completed,
        [
            ("INVITE".to_owned(), StatusCode::OK),
            ("BYE".to_owned(), StatusCode::OK)
        ],
        "{ladder}"
    );
    match &mut w.nodes[PROXY] {
        Node::Proxy(p) => assert_eq!(p.contexts(), 0),
        _ => unreachable!(),
    }
    // The callee saw the Record-Route.
    let invite_at_bob = w.events[2].iter().find_map(|(_, e)| match e {
        UaEvent::IncomingCall { request, .. } => Some(request.clone()),
        _ => None,
    });
    let invite = invite_at_bob.unwrap();
    assert_eq!(
        invite.as_ref().get("Record-Route").unwrap().value_str(),
        Some("<sip:127.0.0.2:5060;lr>")
    );
    assert_eq!(
        invite
            .as_ref()
            .header::<imsip::header::MaxForwards>()
            .unwrap()
            .unwrap()
            .0,
        69
    );
}

#[test]
fn parallel_fork_one_200_one_486() {
    let mut w = World::new(3);
    w.bob = vec![(2, 1000), (3, 1000)];
    w.behaviour[2] = Some((Duration::from_millis(300), StatusCode::BUSY_HERE));
    w.behaviour[3] = Some((Duration::from_millis(800), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    assert_eq!(
        w.events[0]
            .iter()
            .filter(|(_, e)| matches!(e, UaEvent::Answered { .. }))
            .count(),
        1,
        "{ladder}"
    );
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
    assert_eq!(
        w.ended(2),
        [EndReason::Declined(StatusCode::BUSY_HERE)],
        "{ladder}"
    );
    assert_eq!(w.ended(3), [EndReason::RemoteBye], "{ladder}");
    // The 486 never reached the caller: the 200 did.
    assert!(!w.sent(1, 0, "486"), "{ladder}");
}

#[test]
fn parallel_fork_all_fail_the_6xx_wins() {
    let mut w = World::new(3);
    w.bob = vec![(2, 1000), (3, 1000)];
    w.behaviour[2] = Some((Duration::from_millis(300), StatusCode::BUSY_HERE));
    w.behaviour[3] = Some((Duration::from_millis(800), StatusCode::DECLINE));
    w.call();
    w.run(Duration::from_secs(60), Vec::new());
    let ladder = w.ladder();
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::DECLINE)],
        "{ladder}"
    );
}

#[test]
fn sequential_fork_by_q_value() {
    let mut w = World::new(3);
    w.bob = vec![(3, 500), (2, 1000)];
    w.forking = Forking::Sequential;
    w.behaviour[2] = Some((Duration::from_millis(300), StatusCode::BUSY_HERE));
    w.behaviour[3] = Some((Duration::from_millis(300), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    let invites: Vec<(Duration, usize)> = w
        .wire
        .iter()
        .filter(|(_, f, _, l)| *f == 1 && l.starts_with("INVITE"))
        .map(|(at, _, t, _)| (*at, *t))
        .collect();
    // q=1.0 (node 2) first; node 3 only after its 486.
    assert_eq!(
        invites.iter().map(|i| i.1).collect::<Vec<_>>(),
        [2, 3],
        "{ladder}"
    );
    assert!(invites[1].0 >= Duration::from_millis(300), "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
}

#[test]
fn cancel_of_a_forked_invite() {
    let mut w = World::new(3);
    w.bob = vec![(2, 1000), (3, 1000)];
    w.behaviour[2] = Some((Duration::from_secs(30), StatusCode::OK));
    w.behaviour[3] = Some((Duration::from_secs(30), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(1), 0, s)],
    );
    let ladder = w.ladder();
    assert_eq!(w.ended(0), [EndReason::Cancelled], "{ladder}");
    assert_eq!(w.ended(2), [EndReason::Cancelled], "{ladder}");
    assert_eq!(w.ended(3), [EndReason::Cancelled], "{ladder}");
    let cancels = w.sent_to(1, "CANCEL").len();
    assert_eq!(cancels, 2, "{ladder}");
}

#[test]
fn a_request_routed_back_to_the_proxy_is_a_loop() {
    let mut w = World::new(2);
    // bob's "contact" is the proxy itself.
    w.bob = vec![(PROXY, 1000)];
    w.call();
    w.run(Duration::from_secs(60), Vec::new());
    let ladder = w.ladder();
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::LOOP_DETECTED)],
        "{ladder}"
    );
}

#[test]
fn timer_c_cancels_a_branch_that_rings_too_long() {
    let mut w = World::new(2);
    w.bob = vec![(2, 1000)];
    // Bob rings and would answer only after 10 minutes.
    w.behaviour[2] = Some((Duration::from_secs(600), StatusCode::OK));
    w.call();
    w.run(Duration::from_secs(300), Vec::new());
    let ladder = w.ladder();
    let cancel = w
        .wire
        .iter()
        .find(|(_, f, _, l)| *f == PROXY && l.starts_with("CANCEL"))
        .unwrap_or_else(|| panic!("{ladder}"));
    // Timer C (181 s) from the 180's arrival at the proxy (15 ms).
    assert_eq!(cancel.0, Duration::from_millis(181_015), "{ladder}");
    assert_eq!(w.ended(2), [EndReason::Cancelled], "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::REQUEST_TERMINATED)],
        "{ladder}"
    );
}

#[test]
fn max_forwards_0_is_answered_483_and_not_forwarded() {
    let mut w = World::new(2);
    w.bob = vec![(2, 1000)];
    let options = imsip::Message::parse(Bytes::from_static(
        b"OPTIONS sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKmf0\r\nMax-Forwards: 0\r\n\
From: <sip:alice@example.com>;tag=m\r\nTo: <sip:bob@example.com>\r\n\
Call-ID: mf0\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
    ))
    .unwrap();
    let flow = Flow::new(Transport::Udp, w.addrs[0], w.addrs[PROXY]);
    let now = w.now;
    w.nodes[0].ua().send_request(now, options, flow).unwrap();
    w.run(Duration::from_secs(60), Vec::new());
    let ladder = w.ladder();
    let status = w.events[0].iter().find_map(|(_, e)| match e {
        UaEvent::Response { response, .. } => response.as_ref().status(),
        _ => None,
    });
    assert_eq!(status, Some(StatusCode::TOO_MANY_HOPS), "{ladder}");
    assert!(
        !w.wire.iter().any(|(_, _, t, _)| *t == 2),
        "nothing reached bob: {ladder}"
    );
    assert_eq!(
        w.completed,
        [("OPTIONS".to_owned(), StatusCode::TOO_MANY_HOPS)],
        "{ladder}"
    );
}

#[test]
fn a_strict_routing_record_route_on_the_path_of_a_call() {
    // The proxy's Record-Route has no `lr`: to both user agents it is a
    // strict router (RFC 3261 §12.2.1.1), so requests of the dialog carry
    // it as Request-URI and the remote target last in Route; the proxy
    // puts the target back (§16.4) and forwards.
    let mut w = World::with_record_route(2, "sip:127.0.0.2:5060");
    w.bob = vec![(2, 1000)];
    w.behaviour[2] = Some((Duration::from_millis(500), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    let lines = |from: usize, to: usize, m: &str| -> Vec<String> {
        w.wire
            .iter()
            .filter(|(_, f, t, l)| *f == from && *t == to && l.starts_with(m))
            .map(|(_, _, _, l)| l.clone())
            .collect()
    };
    // Caller to proxy: the proxy's URI as Request-URI.
    assert_eq!(
        lines(0, 1, "ACK"),
        ["ACK sip:127.0.0.2:5060 SIP/2.0"],
        "{ladder}"
    );
    assert_eq!(
        lines(0, 1, "BYE"),
        ["BYE sip:127.0.0.2:5060 SIP/2.0"],
        "{ladder}"
    );
    // Proxy to callee: the callee's contact again.
    let contact = format!("sip:bob@{}", w.addrs[2]);
    for m in ["ACK", "BYE"] {
        assert_eq!(
            lines(1, 2, m),
            [format!("{m} {contact} SIP/2.0")],
            "{ladder}"
        );
    }
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
    assert_eq!(w.ended(2), [EndReason::RemoteBye], "{ladder}");
}

#[test]
fn a_redirect_is_recursed_on() {
    let mut w = World::build(3, "sip:127.0.0.2:5060;lr", true);
    w.bob = vec![(2, 1000)];
    // Node 2 redirects to node 3, which answers.
    w.behaviour[2] = Some((Duration::from_millis(200), StatusCode::MOVED_TEMPORARILY));
    w.redirect_to[2] = Some(3);
    w.behaviour[3] = Some((Duration::from_millis(300), StatusCode::OK));
    let s = w.call();
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    let invites = w.sent_to(PROXY, "INVITE");
    assert_eq!(invites, [2, 3], "{ladder}");
    // The 302 stayed in the proxy.
    assert!(!w.sent(PROXY, 0, "302"), "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
    assert_eq!(w.ended(3), [EndReason::RemoteBye], "{ladder}");
    assert_eq!(
        w.ended(2),
        [EndReason::Declined(StatusCode::MOVED_TEMPORARILY)],
        "{ladder}"
    );
}

#[test]
fn a_redirect_to_a_target_already_tried_goes_upstream() {
    let mut w = World::build(2, "sip:127.0.0.2:5060;lr", true);
    w.bob = vec![(2, 1000)];
    // Node 2 redirects to itself: nothing new for the target set.
    w.behaviour[2] = Some((Duration::from_millis(200), StatusCode::MOVED_TEMPORARILY));
    w.redirect_to[2] = Some(2);
    w.call();
    w.run(Duration::from_secs(60), Vec::new());
    let ladder = w.ladder();
    let invites = w.sent_to(PROXY, "INVITE").len();
    assert_eq!(invites, 1, "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::MOVED_TEMPORARILY)],
        "{ladder}"
    );
    assert_eq!(
        w.completed,
        [("INVITE".to_owned(), StatusCode::MOVED_TEMPORARILY)],
        "{ladder}"
    );
}

#[test]
fn the_proxy_challenges_a_call_and_forwards_it_with_credentials() {
    let users = vec![("alice".to_owned(), "secret".to_owned())];
    let server = || {
        imsip::auth::digest::DigestServer::new(
            imsip::auth::digest::ServerConfig::new("example.com"),
            [4; 32],
            Instant::now(),
        )
    };
    // Right password: 407, INVITE again with Proxy-Authorization, call.
    let mut w = World::new(2);
    w.digest = Some((server(), users.clone()));
    w.bob = vec![(2, 1000)];
    w.behaviour[2] = Some((Duration::from_millis(300), StatusCode::OK));
    let s = w.call_with(Some(("alice", "secret")));
    w.run(
        Duration::from_secs(60),
        vec![World::hangup(Duration::from_secs(3), 0, s)],
    );
    let ladder = w.ladder();
    assert!(w.sent(PROXY, 0, "407"), "{ladder}");
    assert_eq!(w.verified, ["alice"], "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::LocalBye(Some(StatusCode::OK))],
        "{ladder}"
    );
    // The INVITE that reached bob carried the credentials; one INVITE did.
    assert_eq!(w.sent_to(PROXY, "INVITE"), [2], "{ladder}");

    // Wrong password: 407, then 403, nothing reaches bob.
    let mut w = World::new(2);
    w.digest = Some((server(), users));
    w.bob = vec![(2, 1000)];
    w.call_with(Some(("alice", "wrong")));
    w.run(Duration::from_secs(60), Vec::new());
    let ladder = w.ladder();
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::FORBIDDEN)],
        "{ladder}"
    );
    assert!(!w.wire.iter().any(|(_, _, t, _)| *t == 2), "{ladder}");
    assert!(w.verified.is_empty());
}

#[test]
fn a_6xx_settles_a_redirect_the_caller_has_not_answered() {
    let mut w = World::build(4, "sip:127.0.0.2:5060;lr", true);
    w.bob = vec![(2, 1000), (3, 1000)];
    w.hold_redirects = true;
    // Node 2 redirects to node 4; node 3 declines before the caller's
    // routing answers the redirect.
    w.behaviour[2] = Some((Duration::from_millis(200), StatusCode::MOVED_TEMPORARILY));
    w.redirect_to[2] = Some(4);
    w.behaviour[3] = Some((Duration::from_millis(800), StatusCode::DECLINE));
    w.call();
    let answer: Step = (
        Duration::from_secs(2),
        Box::new(|w: &mut World| {
            let now = w.now;
            let held = std::mem::take(&mut w.held);
            if let Node::Proxy(p) = &mut w.nodes[PROXY] {
                for (id, targets) in held {
                    p.forward(now, id, targets, Forking::Parallel);
                }
            }
        }),
    );
    w.run(Duration::from_secs(60), vec![answer]);
    let ladder = w.ladder();
    // The 6xx ended the forking: the late answer starts nothing.
    assert_eq!(w.sent_to(PROXY, "INVITE"), [2, 3], "{ladder}");
    assert_eq!(
        w.ended(0),
        [EndReason::Rejected(StatusCode::DECLINE)],
        "{ladder}"
    );
    match &mut w.nodes[PROXY] {
        Node::Proxy(p) => assert_eq!(p.contexts(), 0, "{ladder}"),
        _ => unreachable!(),
    }
}
