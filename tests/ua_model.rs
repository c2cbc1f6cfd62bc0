//! Model-based property tests of the dialog layer.
//!
//! - `Dialog` against a model of RFC 3261 §12.2: the CSeq numbers it sends
//!   grow by one, a received request is refused exactly when its number is
//!   below the highest accepted, a target refresh moves the remote target.
//! - Two user agents driven by random commands (ring, answer, reject, hang
//!   up, update, from either side, at random moments) over a network that
//!   loses and reorders: no panic, each session ends exactly once on each
//!   side, nothing is left behind, and while both are up the descriptions
//!   each holds of the other agree.

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use common::net::{Net, Network};
use imsip::dialog::Dialog;
use imsip::header::Via;
use imsip::ua::{Body, Call, OfferState, Phase, SessionId, UaEvent};
use imsip::uri::{HostPort, Uri};
use imsip::{MessageRef, Method, StatusCode, Transport};
use proptest::prelude::*;

const INVITE: &str = "INVITE sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n\
Max-Forwards: 70\r\nTo: <sip:bob@192.0.2.2>\r\nFrom: <sip:alice@192.0.2.1>;tag=a\r\nCall-ID: m1\r\n\
CSeq: 10 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\nContent-Length: 0\r\n\r\n";

#[derive(Clone, Debug)]
enum DialogOp {
    Send,
    Receive(u32, bool),
    Refresh(u8),
}

fn dialog_op() -> impl Strategy<Value = DialogOp> {
    prop_oneof![
        Just(DialogOp::Send),
        (0u32..40, any::<bool>()).prop_map(|(s, ack)| DialogOp::Receive(s, ack)),
        (1u8..250).prop_map(DialogOp::Refresh),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dialog_follows_the_model(ops in prop::collection::vec(dialog_op(), 1..40)) {
        let invite = MessageRef::parse(INVITE.as_bytes()).unwrap();
        let mut d = Dialog::uas(&invite, "b", true).unwrap();
        let via = Via::new(Transport::Udp, HostPort::parse("192.0.2.2").unwrap());
        let (mut sent, mut highest, mut target) = (0u32, 10u32, "sip:alice@192.0.2.1".to_owned());
        for op in ops {
            match op {
                DialogOp::Send => {
                    let r = d.request(Method::Info, &via).build().unwrap();
                    let r = r.as_ref();
                    sent += 1;
                    prop_assert_eq!(r.cseq().unwrap().seq, sent);
                    prop_assert_eq!(r.request_uri_str(), Some(target.as_str()));
                    prop_assert_eq!(r.from_tag().unwrap(), Some("b"));
                    prop_assert_eq!(r.to_tag().unwrap(), Some("a"));
                }
                DialogOp::Receive(seq, ack) => {
                    let method = if ack { "ACK" } else { "INFO" };
                    let text = format!(
                        "{method} sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\r\n\
Max-Forwards: 70\r\nTo: <sip:bob@192.0.2.2>;tag=b\r\nFrom: <sip:alice@192.0.2.1>;tag=a\r\nCall-ID: m1\r\n\
CSeq: {seq} {method}\r\nContent-Length: 0\r\n\r\n"
                    );
                    let m = MessageRef::parse(text.as_bytes()).unwrap();
                    let accepted = d.receive(&m).is_ok();
                    let expected = ack || seq >= highest;
                    prop_assert_eq!(accepted, expected, "seq {} after {}", seq, highest);
                    if accepted && !ack {
                        highest = seq;
                    }
                    prop_assert_eq!(d.remote_seq(), Some(highest));
                }
                DialogOp::Refresh(host) => {
                    let text = format!(
                        "UPDATE sip:bob@192.0.2.2 SIP/2.0\r\nContact: <sip:alice@192.0.2.{host}>\r\nContent-Length: 0\r\n\r\n"
                    );
                    d.refresh_target(&MessageRef::parse(text.as_bytes()).unwrap()).unwrap();
                    target = format!("sip:alice@192.0.2.{host}");
                    prop_assert_eq!(d.remote_target().to_string(), target.clone());
                }
            }
        }
    }
}

/// What either side's user does, and when.
#[derive(Clone, Debug)]
enum Command {
    Ring,
    Answer,
    Reject,
    Hangup(usize),
    Update(usize, bool),
}

fn command() -> impl Strategy<Value = (u16, Command)> {
    let c = prop_oneof![
        Just(Command::Ring),
        Just(Command::Answer),
        Just(Command::Reject),
        (0usize..2).prop_map(Command::Hangup),
        (0usize..2, any::<bool>()).prop_map(|(n, i)| Command::Update(n, i)),
    ];
    (0u16..20_000, c)
}

fn uri(s: &str) -> Uri<'static> {
    Uri::parse(s).unwrap().into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn two_user_agents_agree_whatever_their_users_do(
        seed in any::<u64>(),
        lossy in any::<bool>(),
        commands in prop::collection::vec(command(), 0..12),
    ) {
        let network = if lossy {
            Network { loss: 10, duplication: 5, delay: Duration::from_millis(10), jitter: Duration::from_millis(30) }
        } else {
            Network::PERFECT
        };
        let mut net = Net::new(2, network, seed);
        let now = net.now;
        let call = Call::new(uri("sip:alice@127.0.0.1"), uri("sip:bob@127.0.0.2"), net.flow(0, 1))
            .body(Body::sdp("v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\n"));
        let alice = net.nodes[0].call(now, call).unwrap();
        let bob: Rc<RefCell<Option<SessionId>>> = Rc::default();
        let mut script: common::net::Script = Vec::new();
        for (at, c) in commands {
            let bob = bob.clone();
            script.push((
                Duration::from_millis(u64::from(at)),
                Box::new(move |net: &mut Net| {
                    let now = net.now;
                    let b = *bob.borrow();
                    // Commands that do not fit the state are refused with an
                    // error, never a panic.
                    let _ = match (&c, b) {
                        (Command::Ring, Some(b)) => net.nodes[1].progress(now, b, StatusCode::RINGING, None),
                        (Command::Answer, Some(b)) => net.nodes[1].answer(now, b, Some(Body::sdp("v=0\r\no=b 1 1 IN IP4 127.0.0.2\r\n"))),
                        (Command::Reject, Some(b)) => net.nodes[1].reject(now, b, StatusCode::BUSY_HERE),
                        (Command::Hangup(0), _) => net.nodes[0].hangup(now, alice),
                        (Command::Hangup(_), Some(b)) => net.nodes[1].hangup(now, b),
                        (Command::Update(0, invite), _) => net.nodes[0].update(now, alice, *invite, Some(Body::sdp("v=0\r\no=a 1 2 IN IP4 127.0.0.1\r\n"))),
                        (Command::Update(_, invite), Some(b)) => net.nodes[1].update(now, b, *invite, Some(Body::sdp("v=0\r\no=b 1 2 IN IP4 127.0.0.2\r\n"))),
                        _ => Ok(()),
                    };
                }),
            ));
        }
        // In the end both hang up, so that nothing may stay.
        let b2 = bob.clone();
        script.push((Duration::from_secs(25), Box::new(move |net: &mut Net| {
            let now = net.now;
            let _ = net.nodes[0].hangup(now, alice);
            if let Some(b) = *b2.borrow() {
                let _ = net.nodes[1].hangup(now, b);
            }
        })));
        let b3 = bob.clone();
        net.run(Duration::from_secs(300), script, move |ua, now, i, e| match (i, e) {
            (1, UaEvent::IncomingCall { session, .. }) => *b3.borrow_mut() = Some(*session),
            (_, UaEvent::Update { session, .. }) => {
                let body = if i == 0 { "v=0\r\no=a 1 3 IN IP4 127.0.0.1\r\n" } else { "v=0\r\no=b 1 3 IN IP4 127.0.0.2\r\n" };
                let _ = ua.accept_update(now, *session, Some(Body::sdp(body)));
            }
            (0, UaEvent::Answered { session, .. }) => {
                let _ = ua.acknowledge(now, *session, None);
            }
            _ => {}
        });
        let ladder = net.ladder();
        // Each session ends exactly once on each side that had it.
        let ended = |n: usize| {
            let mut by: HashMap<SessionId, usize> = HashMap::new();
            for (_, e) in &net.events[n] {
                if let UaEvent::Ended { session, .. } = e {
                    *by.entry(*session).or_default() += 1;
                }
            }
            by
        };
        prop_assert!(ended(0).values().all(|n| *n == 1), "{}", ladder);
        prop_assert_eq!(ended(0).len(), 1, "{}", ladder);
        if bob.borrow().is_some() {
            prop_assert_eq!(ended(1).len(), 1, "{}", ladder);
            prop_assert!(ended(1).values().all(|n| *n == 1), "{}", ladder);
        }
        prop_assert_eq!(net.nodes[0].sessions() + net.nodes[1].sessions(), 0, "{}", ladder);
        prop_assert_eq!(net.nodes[0].endpoint().transactions() + net.nodes[1].endpoint().transactions(), 0, "{}", ladder);
    }
}

#[test]
fn confirmed_sessions_hold_each_others_descriptions() {
    // Deterministic companion of the property: after an answer and an
    // update from each side, both are stable and agree.
    let mut net = Net::new(2, Network::PERFECT, 5);
    let now = net.now;
    let call = Call::new(
        uri("sip:alice@127.0.0.1"),
        uri("sip:bob@127.0.0.2"),
        net.flow(0, 1),
    )
    .body(Body::sdp("v=0\r\no=a 1 1\r\n"));
    let alice = net.nodes[0].call(now, call).unwrap();
    let bob: Rc<RefCell<Option<SessionId>>> = Rc::default();
    let (b1, b2) = (bob.clone(), bob.clone());
    net.run(
        Duration::from_secs(30),
        vec![
            (
                Duration::from_secs(2),
                Box::new(move |net: &mut Net| {
                    let now = net.now;
                    net.nodes[0]
                        .update(now, alice, false, Some(Body::sdp("v=0\r\no=a 1 2\r\n")))
                        .unwrap();
                }),
            ),
            (
                Duration::from_secs(4),
                Box::new(move |net: &mut Net| {
                    let now = net.now;
                    let b = b1.borrow().unwrap();
                    net.nodes[1]
                        .update(now, b, true, Some(Body::sdp("v=0\r\no=b 1 2\r\n")))
                        .unwrap();
                }),
            ),
        ],
        move |ua, now, i, e| match (i, e) {
            (1, UaEvent::IncomingCall { session, .. }) => {
                *b2.borrow_mut() = Some(*session);
                ua.answer(now, *session, Some(Body::sdp("v=0\r\no=b 1 1\r\n")))
                    .unwrap();
            }
            (_, UaEvent::Update { session, .. }) => {
                let body = if i == 0 {
                    "v=0\r\no=a 1 3\r\n"
                } else {
                    "v=0\r\no=b 1 3\r\n"
                };
                ua.accept_update(now, *session, Some(Body::sdp(body)))
                    .unwrap();
            }
            _ => {}
        },
    );
    let b = bob.borrow().unwrap();
    let (a, bb) = (
        net.nodes[0].offer_answer(alice).unwrap(),
        net.nodes[1].offer_answer(b).unwrap(),
    );
    assert_eq!(a.state(), OfferState::Stable);
    assert_eq!(bb.state(), OfferState::Stable);
    assert_eq!(a.local(), bb.remote());
    assert_eq!(a.remote(), bb.local());
    assert_eq!(a.completed(), 3);
    assert_eq!(net.nodes[0].phase(alice), Some(Phase::Confirmed));
}
