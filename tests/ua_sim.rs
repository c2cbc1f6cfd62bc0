//! The user-agent core in virtual time, over a network that loses,
//! duplicates and reorders (RFC 3261 §12–15): calls end the way both sides
//! agree whatever the network does.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::net::{Net, Network, Step};
use imsip::dialog::DialogId;
use imsip::ua::{Body, Call, EndReason, OfferState, Phase, SessionId, UaEvent, UserAgent};
use imsip::uri::Uri;
use imsip::{Message, MessageRef, Method, StatusCode};

const OFFER: &str = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER: &str = "v=0\r\no=bob 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

fn uri(s: &str) -> Uri<'static> {
    Uri::parse(s).unwrap().into_owned()
}

/// Node 0 calls node 1 with an offer.
fn call(net: &mut Net, offer: bool) -> SessionId {
    let mut c = Call::new(
        uri("sip:alice@127.0.0.1"),
        uri("sip:bob@127.0.0.2"),
        net.flow(0, 1),
    );
    if offer {
        c = c.body(Body::sdp(OFFER));
    }
    let now = net.now;
    net.nodes[0].call(now, c).unwrap()
}

fn ended(net: &Net, node: usize) -> Vec<EndReason> {
    net.events[node]
        .iter()
        .filter_map(|(_, e)| match e {
            UaEvent::Ended { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn count(net: &Net, node: usize, pred: impl Fn(&UaEvent) -> bool) -> usize {
    net.events[node].iter().filter(|(_, e)| pred(e)).count()
}

#[test]
fn basic_call_on_a_perfect_network() {
    // Without 100rel: the 180 is sent once, unreliably.
    let mut net = Net::with_config(2, Network::PERFECT, 1, |_, c| {
        c.reliable_provisional = false
    });
    let alice = call(&mut net, true);
    let bob_session: Rc<RefCell<Option<SessionId>>> = Rc::default();
    let b = bob_session.clone();
    net.run(
        Duration::from_secs(60),
        vec![
            (
                Duration::from_millis(500),
                Box::new(move |net: &mut Net| {
                    let s = b.borrow().unwrap();
                    let now = net.now;
                    net.nodes[1]
                        .answer(now, s, Some(Body::sdp(ANSWER)))
                        .unwrap();
                }),
            ),
            (
                Duration::from_millis(2000),
                Box::new(move |net: &mut Net| {
                    let now = net.now;
                    assert_eq!(net.nodes[0].phase(alice), Some(Phase::Confirmed));
                    let oa = net.nodes[0].offer_answer(alice).unwrap();
                    assert_eq!(oa.state(), OfferState::Stable);
                    assert_eq!(oa.remote().unwrap(), ANSWER.as_bytes());
                    assert_eq!(oa.completed(), 1);
                    net.nodes[0].hangup(now, alice).unwrap();
                }),
            ),
        ],
        |ua, now, i, e| {
            if i == 1
                && let UaEvent::IncomingCall { session, request } = e
            {
                assert_eq!(request.as_ref().body(), OFFER.as_bytes());
                ua.progress(now, *session, StatusCode::RINGING, None)
                    .unwrap();
                *bob_session.borrow_mut() = Some(*session);
            }
        },
    );
    let ladder = net.ladder();
    let lines: Vec<String> = net.wire.iter().map(|w| w.line()).collect();
    assert_eq!(
        lines,
        [
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "ACK sip:bob@127.0.0.2:5060 SIP/2.0",
            "BYE sip:bob@127.0.0.2:5060 SIP/2.0",
            "SIP/2.0 200 OK",
        ],
        "{ladder}"
    );
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
    assert_eq!(ended(&net, 1), [EndReason::RemoteBye]);
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Progress { .. })), 1);
    assert_eq!(
        count(&net, 1, |e| matches!(e, UaEvent::Confirmed { .. })),
        1
    );
    // The ACK is a request within the dialog: it goes to the Contact.
    let ack = net.wire[3].message();
    assert_eq!(ack.cseq().unwrap().seq, 1);
    assert_eq!(
        DialogId::of_request(&ack).unwrap().remote_tag,
        net.wire[0].message().from_tag().unwrap().unwrap()
    );
    assert_eq!(net.nodes[0].sessions(), 0);
    assert_eq!(net.nodes[1].sessions(), 0);
}

/// Node 1 rings and answers at once; node 0 hangs up at `hangup`.
fn auto_answer(ua: &mut UserAgent, now: std::time::Instant, i: usize, e: &UaEvent) {
    if i == 1
        && let UaEvent::IncomingCall { session, .. } = e
    {
        ua.progress(now, *session, StatusCode::RINGING, None)
            .unwrap();
        ua.answer(now, *session, Some(Body::sdp(ANSWER))).unwrap();
    }
}

fn hangup_at(at: Duration, node: usize, session: SessionId) -> Step {
    (
        at,
        Box::new(move |net: &mut Net| {
            let now = net.now;
            // The session may have ended already (a lost race).
            let _ = net.nodes[node].hangup(now, session);
        }),
    )
}

#[test]
fn calls_survive_loss_duplication_and_reordering() {
    let network = Network {
        loss: 10,
        duplication: 10,
        delay: Duration::from_millis(10),
        jitter: Duration::from_millis(40),
    };
    for seed in 0..200 {
        let mut net = Net::new(2, network, seed);
        let alice = call(&mut net, true);
        net.run(
            Duration::from_secs(120),
            vec![hangup_at(Duration::from_secs(5), 0, alice)],
            auto_answer,
        );
        let ladder = net.ladder();
        assert_eq!(
            count(&net, 1, |e| matches!(e, UaEvent::IncomingCall { .. })),
            1,
            "seed {seed}\n{ladder}"
        );
        assert_eq!(
            count(&net, 0, |e| matches!(e, UaEvent::Answered { .. })),
            1,
            "seed {seed}\n{ladder}"
        );
        assert!(
            count(&net, 1, |e| matches!(e, UaEvent::Confirmed { .. })) <= 1,
            "seed {seed}"
        );
        assert_eq!(
            ended(&net, 0),
            [EndReason::LocalBye(Some(StatusCode::OK))],
            "seed {seed}\n{ladder}"
        );
        assert_eq!(
            ended(&net, 1),
            [EndReason::RemoteBye],
            "seed {seed}\n{ladder}"
        );
        assert_eq!(net.nodes[0].sessions() + net.nodes[1].sessions(), 0);
        // Every ACK the caller sent is the same message (one per 2xx
        // received, §13.2.2.4), and every 2xx the callee sent is too.
        let acks: Vec<_> = net
            .wire
            .iter()
            .filter(|w| w.message().method() == Some(Method::Ack))
            .map(|w| w.payload.clone())
            .collect();
        assert!(
            !acks.is_empty() && acks.iter().all(|a| *a == acks[0]),
            "seed {seed}"
        );
    }
}

#[test]
fn cancel_waits_for_a_provisional_response() {
    let mut net = Net::new(2, Network::PERFECT, 3);
    let alice = call(&mut net, true);
    // The caller gives up before anything came back.
    net.run(
        Duration::from_secs(60),
        vec![hangup_at(Duration::from_millis(5), 0, alice)],
        |_, _, _, _| {},
    );
    let ladder = net.ladder();
    let lines: Vec<String> = net.wire.iter().map(|w| w.line()).collect();
    assert_eq!(
        lines,
        [
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            // The callee's transaction sends 100 Trying after 200 ms; only
            // then may the CANCEL go.
            "SIP/2.0 100 Trying",
            "CANCEL sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 200 OK",
            "SIP/2.0 487 Request Terminated",
            "ACK sip:bob@127.0.0.2 SIP/2.0",
        ],
        "{ladder}"
    );
    assert!(net.wire[2].at >= Duration::from_millis(210), "{ladder}");
    assert_eq!(ended(&net, 0), [EndReason::Cancelled]);
    assert_eq!(ended(&net, 1), [EndReason::Cancelled]);
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Progress { .. })), 0);
}

#[test]
fn cancel_racing_the_200_ends_in_ack_and_bye() {
    // The callee answers at 1 s; the caller hangs up just before the 200
    // reaches it, and at other offsets around it.
    for offset_ms in [0u64, 3, 5, 9, 10, 11, 15, 20, 30] {
        for seed in 0..20 {
            let network = Network {
                jitter: Duration::from_millis(8),
                ..Network::PERFECT
            };
            let mut net = Net::new(2, network, seed);
            let alice = call(&mut net, true);
            let bob: Rc<RefCell<Option<SessionId>>> = Rc::default();
            let b = bob.clone();
            net.run(
                Duration::from_secs(120),
                vec![
                    (
                        Duration::from_secs(1),
                        Box::new(move |net: &mut Net| {
                            let now = net.now;
                            let s = b.borrow().unwrap();
                            net.nodes[1]
                                .answer(now, s, Some(Body::sdp(ANSWER)))
                                .unwrap();
                        }),
                    ),
                    hangup_at(Duration::from_millis(1000 + offset_ms), 0, alice),
                ],
                |ua, now, i, e| {
                    if i == 1
                        && let UaEvent::IncomingCall { session, .. } = e
                    {
                        ua.progress(now, *session, StatusCode::RINGING, None)
                            .unwrap();
                        *bob.borrow_mut() = Some(*session);
                    }
                },
            );
            let ladder = net.ladder();
            let (a, b) = (ended(&net, 0), ended(&net, 1));
            assert_eq!(a.len(), 1, "offset {offset_ms} seed {seed}\n{ladder}");
            assert_eq!(b.len(), 1, "offset {offset_ms} seed {seed}\n{ladder}");
            // The 200 won: the caller acknowledged it and hung up.
            assert_eq!(a[0], EndReason::LocalBye(Some(StatusCode::OK)), "{ladder}");
            assert_eq!(b[0], EndReason::RemoteBye, "{ladder}");
            assert_eq!(net.nodes[0].sessions() + net.nodes[1].sessions(), 0);
            // A caller that cancelled never reports the answer it hangs
            // up on.
            let cancelled = net
                .wire
                .iter()
                .any(|w| w.message().method() == Some(Method::Cancel));
            let answered = count(&net, 0, |e| matches!(e, UaEvent::Answered { .. }));
            assert_eq!(answered, usize::from(!cancelled), "{ladder}");
        }
    }
}

#[test]
fn without_an_ack_the_2xx_is_retransmitted_then_bye() {
    let mut net = Net::with_config(2, Network::PERFECT, 4, |_, c| {
        c.reliable_provisional = false
    });
    net.filter = Some(Box::new(|from, m| {
        from == 0 && m.method() == Some(Method::Ack)
    }));
    let _alice = call(&mut net, true);
    net.run(Duration::from_secs(120), Vec::new(), auto_answer);
    let ladder = net.ladder();
    let oks: Vec<Duration> = net
        .wire
        .iter()
        .filter(|w| w.from == 1 && w.message().status() == Some(StatusCode::OK))
        .filter(|w| w.message().cseq().unwrap().method == Method::Invite)
        .map(|w| w.at)
        .collect();
    // The INVITE arrives at 10 ms; T1 doubling capped at T2 until 64·T1.
    let expected: Vec<Duration> = [
        0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]
    .iter()
    .map(|ms| Duration::from_millis(10 + ms))
    .collect();
    assert_eq!(oks, expected, "{ladder}");
    assert_eq!(ended(&net, 1), [EndReason::NoAck], "{ladder}");
    assert_eq!(ended(&net, 0), [EndReason::RemoteBye], "{ladder}");
    let bye = net
        .wire
        .iter()
        .find(|w| w.message().method() == Some(Method::Bye))
        .unwrap();
    assert_eq!(bye.from, 1);
    assert_eq!(bye.at, Duration::from_millis(10 + 32_000));
}

#[test]
fn late_offer_in_the_2xx_is_answered_in_the_ack() {
    let mut net = Net::new(2, Network::PERFECT, 5);
    let alice = call(&mut net, false);
    net.run(
        Duration::from_secs(10),
        vec![hangup_at(Duration::from_secs(3), 0, alice)],
        |ua, now, i, e| match (i, e) {
            (1, UaEvent::IncomingCall { session, request }) => {
                assert!(request.as_ref().body().is_empty());
                ua.answer(now, *session, Some(Body::sdp(ANSWER))).unwrap();
                assert_eq!(
                    ua.offer_answer(*session).unwrap().state(),
                    OfferState::OfferSent
                );
            }
            (0, UaEvent::Answered { session, .. }) => {
                assert_eq!(
                    ua.offer_answer(*session).unwrap().state(),
                    OfferState::OfferReceived
                );
                ua.acknowledge(now, *session, Some(Body::sdp(OFFER)))
                    .unwrap();
                assert_eq!(ua.offer_answer(*session).unwrap().completed(), 1);
            }
            (1, UaEvent::Confirmed { session, ack }) => {
                assert_eq!(ack.as_ref().body(), OFFER.as_bytes());
                let oa = ua.offer_answer(*session).unwrap();
                assert_eq!(oa.state(), OfferState::Stable);
                assert_eq!(oa.completed(), 1);
            }
            _ => {}
        },
    );
    assert_eq!(
        count(&net, 1, |e| matches!(e, UaEvent::Confirmed { .. })),
        1
    );
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
}

#[test]
fn glare_is_resolved_by_the_section_14_1_timers() {
    let mut net = Net::new(2, Network::PERFECT, 6);
    let alice = call(&mut net, true);
    let bob: Rc<RefCell<Option<SessionId>>> = Rc::default();
    let b = bob.clone();
    let b2 = bob.clone();
    net.run(
        Duration::from_secs(60),
        vec![
            (
                Duration::from_secs(2),
                Box::new(move |net: &mut Net| {
                    // Both sides put the call on hold at the same moment.
                    let now = net.now;
                    let s = b.borrow().unwrap();
                    net.nodes[0]
                        .update(now, alice, true, Some(Body::sdp("v=0\r\na=sendonly\r\n")))
                        .unwrap();
                    net.nodes[1]
                        .update(now, s, true, Some(Body::sdp("v=0\r\na=sendonly\r\n")))
                        .unwrap();
                }),
            ),
            hangup_at(Duration::from_secs(20), 0, alice),
        ],
        move |ua, now, i, e| match e {
            UaEvent::IncomingCall { session, .. } if i == 1 => {
                *b2.borrow_mut() = Some(*session);
                ua.answer(now, *session, Some(Body::sdp(ANSWER))).unwrap();
            }
            UaEvent::Update { session, .. } => {
                ua.accept_update(now, *session, Some(Body::sdp("v=0\r\na=recvonly\r\n")))
                    .unwrap();
            }
            _ => {}
        },
    );
    let ladder = net.ladder();
    let pending: Vec<_> = net
        .wire
        .iter()
        .filter(|w| w.message().status() == Some(StatusCode::REQUEST_PENDING))
        .collect();
    assert_eq!(pending.len(), 2, "{ladder}");
    for node in 0..2 {
        assert_eq!(
            count(&net, node, |e| matches!(e, UaEvent::Updated { .. })),
            1,
            "node {node}\n{ladder}"
        );
        assert_eq!(
            count(&net, node, |e| matches!(e, UaEvent::Update { .. })),
            1,
            "node {node}\n{ladder}"
        );
        assert_eq!(
            count(&net, node, |e| matches!(e, UaEvent::UpdateFailed { .. })),
            0
        );
    }
    // The callee (not the Call-ID's owner) retries first, within 2 s; the
    // caller after 2.1–4 s.
    let reinvites: Vec<(usize, Duration)> = net
        .wire
        .iter()
        .filter(|w| w.message().method() == Some(Method::Invite) && w.at > Duration::from_secs(1))
        .map(|w| (w.from, w.at))
        .collect();
    assert_eq!(reinvites.len(), 4, "{ladder}");
    let retry_b = reinvites
        .iter()
        .find(|(f, at)| *f == 1 && *at > Duration::from_secs(2))
        .unwrap();
    let retry_a = reinvites
        .iter()
        .find(|(f, at)| *f == 0 && *at > Duration::from_secs(2))
        .unwrap();
    assert!(
        retry_b.1 <= Duration::from_millis(2000 + 20 + 2000),
        "{ladder}"
    );
    assert!(
        retry_a.1 >= Duration::from_millis(2000 + 20 + 2100),
        "{ladder}"
    );
    // Each 2xx is acknowledged by the user agent, each 491 by the
    // transaction: 1 + 2 + 2.
    let acks = net
        .wire
        .iter()
        .filter(|w| w.message().method() == Some(Method::Ack))
        .count();
    assert_eq!(acks, 5, "{ladder}");
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
}

/// Feeds one user agent a message and returns what it sent back.
fn exchange(ua: &mut UserAgent, now: std::time::Instant, text: &str) -> Vec<Message> {
    let flow = imsip::Flow::new(
        imsip::Transport::Udp,
        "127.0.0.1:5060".parse().unwrap(),
        "127.0.0.9:5060".parse().unwrap(),
    );
    ua.handle_input(now, flow, bytes::Bytes::copy_from_slice(text.as_bytes()));
    let mut out = Vec::new();
    while let Some(t) = ua.poll_transmit() {
        out.push(Message::parse(t.payload).unwrap());
    }
    out
}

fn request(method: &str, to_tag: &str, from_tag: &str, seq: u32, call_id: &str) -> String {
    format!(
        "{method} sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bK{method}{seq}\r\n\
Max-Forwards: 70\r\nTo: <sip:alice@127.0.0.1>{to_tag}\r\nFrom: <sip:bob@127.0.0.9>;tag={from_tag}\r\n\
Call-ID: {call_id}\r\nCSeq: {seq} {method}\r\nContact: <sip:bob@127.0.0.9>\r\nContent-Length: 0\r\n\r\n"
    )
}

#[test]
fn requests_outside_a_dialog_get_481_and_old_cseq_500() {
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let now = std::time::Instant::now();
    let out = exchange(&mut ua, now, &request("BYE", ";tag=nope", "b", 5, "c1"));
    assert_eq!(
        out[0].as_ref().status(),
        Some(StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST)
    );
    // An incoming call, answered and acknowledged.
    exchange(&mut ua, now, &request("INVITE", "", "b", 10, "c2"));
    let Some(UaEvent::IncomingCall { session, .. }) = ua.poll_event() else {
        panic!()
    };
    ua.answer(now, session, None).unwrap();
    let ok = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    let tag = ok.as_ref().to_tag().unwrap().unwrap().to_owned();
    exchange(
        &mut ua,
        now,
        &request("ACK", &format!(";tag={tag}"), "b", 10, "c2"),
    );
    assert!(matches!(ua.poll_event(), Some(UaEvent::Confirmed { .. })));
    // INFO with a higher CSeq goes up; one with a lower CSeq gets 500.
    exchange(
        &mut ua,
        now,
        &request("INFO", &format!(";tag={tag}"), "b", 12, "c2"),
    );
    assert!(
        matches!(ua.poll_event(), Some(UaEvent::Request { session: Some(s), .. }) if s == session)
    );
    let out = exchange(
        &mut ua,
        now,
        &request("INFO", &format!(";tag={tag}"), "b", 11, "c2"),
    );
    assert_eq!(
        out[0].as_ref().status(),
        Some(StatusCode::SERVER_INTERNAL_ERROR)
    );
    // A BYE with the wrong remote tag is outside the dialog.
    let out = exchange(
        &mut ua,
        now,
        &request("BYE", &format!(";tag={tag}"), "x", 13, "c2"),
    );
    assert_eq!(
        out[0].as_ref().status(),
        Some(StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST)
    );
    let out = exchange(
        &mut ua,
        now,
        &request("BYE", &format!(";tag={tag}"), "b", 14, "c2"),
    );
    assert_eq!(out[0].as_ref().status(), Some(StatusCode::OK));
    assert!(matches!(
        ua.poll_event(),
        Some(UaEvent::Ended {
            reason: EndReason::RemoteBye,
            ..
        })
    ));
    // An INVITE without Contact cannot make a dialog.
    let no_contact =
        request("INVITE", "", "b", 1, "c3").replace("Contact: <sip:bob@127.0.0.9>\r\n", "");
    let out = exchange(&mut ua, now, &no_contact);
    assert_eq!(out[0].as_ref().status(), Some(StatusCode::BAD_REQUEST));
}

fn response_to(
    invite: &MessageRef<'_>,
    status: &str,
    tag: &str,
    host: &str,
    extra_via: bool,
) -> String {
    let via = invite
        .get_known(imsip::header::HeaderName::Via)
        .unwrap()
        .value_str()
        .unwrap();
    let extra = if extra_via {
        "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKother\r\n"
    } else {
        ""
    };
    format!(
        "SIP/2.0 {status}\r\nVia: {via}\r\n{extra}From: {}\r\nTo: <sip:bob@127.0.0.2>;tag={tag}\r\nCall-ID: {}\r\n\
CSeq: 1 INVITE\r\nContact: <sip:bob@{host}>\r\nContent-Length: 0\r\n\r\n",
        invite
            .get_known(imsip::header::HeaderName::From)
            .unwrap()
            .value_str()
            .unwrap(),
        invite.call_id().unwrap().as_str(),
    )
}

#[test]
fn forked_invite_keeps_early_dialogs_and_byes_the_late_2xx() {
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let now = std::time::Instant::now();
    let flow = imsip::Flow::new(
        imsip::Transport::Udp,
        "127.0.0.1:5060".parse().unwrap(),
        "127.0.0.9:5060".parse().unwrap(),
    );
    let session = ua
        .call(
            now,
            Call::new(uri("sip:alice@127.0.0.1"), uri("sip:bob@127.0.0.2"), flow)
                .body(Body::sdp(OFFER)),
        )
        .unwrap();
    let invite = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    let inv = invite.as_ref();
    exchange(
        &mut ua,
        now,
        &response_to(&inv, "180 Ringing", "f1", "127.0.0.3:5060", false),
    );
    exchange(
        &mut ua,
        now,
        &response_to(&inv, "183 Session Progress", "f2", "127.0.0.4:5060", false),
    );
    // A response with two Vias is not for this UAC (§8.1.3.3).
    exchange(
        &mut ua,
        now,
        &response_to(&inv, "180 Ringing", "f3", "127.0.0.5:5060", true),
    );
    let progress: Vec<String> = std::iter::from_fn(|| ua.poll_event())
        .filter_map(|e| match e {
            UaEvent::Progress { response, .. } => {
                Some(response.as_ref().to_tag().unwrap().unwrap().to_owned())
            }
            _ => None,
        })
        .collect();
    assert_eq!(progress, ["f1", "f2"]);
    assert_eq!(ua.phase(session), Some(Phase::Early));
    // The second fork answers first: its dialog wins.
    let out = exchange(
        &mut ua,
        now,
        &response_to(&inv, "200 OK", "f2", "127.0.0.4:5060", false),
    );
    let ack = out
        .iter()
        .find(|m| m.as_ref().method() == Some(Method::Ack))
        .unwrap()
        .clone();
    assert_eq!(
        ack.as_ref().request_uri_str(),
        Some("sip:bob@127.0.0.4:5060")
    );
    assert!(matches!(ua.poll_event(), Some(UaEvent::Answered { .. })));
    assert_eq!(ua.dialog(session).unwrap().id().remote_tag, "f2");
    // Its retransmission gets the same ACK.
    let again = exchange(
        &mut ua,
        now,
        &response_to(&inv, "200 OK", "f2", "127.0.0.4:5060", false),
    );
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].bytes(), ack.bytes());
    // The first fork answers late: ACK and BYE for it (§13.2.2.4).
    let late = exchange(
        &mut ua,
        now,
        &response_to(&inv, "200 OK", "f1", "127.0.0.3:5060", false),
    );
    let methods: Vec<_> = late
        .iter()
        .map(|m| {
            (
                m.as_ref().method().unwrap().as_str().to_owned(),
                m.as_ref().request_uri_str().unwrap().to_owned(),
                m.as_ref().to_tag().unwrap().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            (
                "ACK".to_owned(),
                "sip:bob@127.0.0.3:5060".to_owned(),
                "f1".to_owned()
            ),
            (
                "BYE".to_owned(),
                "sip:bob@127.0.0.3:5060".to_owned(),
                "f1".to_owned()
            ),
        ]
    );
    assert!(ua.poll_event().is_none(), "the late fork is not reported");
    assert_eq!(ua.phase(session), Some(Phase::Confirmed));
}

/// The callee of a preconditions-style call: a reliable 183 with the
/// answer, an UPDATE answered, then 180 and 200 at once (the 200 waits for
/// the 180's PRACK).
fn preconditions_callee(ua: &mut UserAgent, now: std::time::Instant, i: usize, e: &UaEvent) {
    if i != 1 {
        return;
    }
    match e {
        UaEvent::IncomingCall { session, .. } => {
            ua.progress(
                now,
                *session,
                StatusCode::SESSION_PROGRESS,
                Some(Body::sdp(ANSWER)),
            )
            .unwrap();
        }
        UaEvent::Update { session, request } => {
            assert_eq!(request.as_ref().method(), Some(Method::Update));
            ua.accept_update(
                now,
                *session,
                Some(Body::sdp("v=0\r\na=curr:qos local sendrecv\r\n")),
            )
            .unwrap();
            ua.progress(now, *session, StatusCode::RINGING, None)
                .unwrap();
            ua.answer(now, *session, None).unwrap();
        }
        _ => {}
    }
}

/// The caller: an UPDATE with a new offer once the 183 came.
fn preconditions_caller(ua: &mut UserAgent, now: std::time::Instant, i: usize, e: &UaEvent) {
    if i == 0
        && let UaEvent::Progress { session, response } = e
        && response.as_ref().status() == Some(StatusCode::SESSION_PROGRESS)
    {
        assert_eq!(
            ua.offer_answer(*session).unwrap().state(),
            OfferState::Stable
        );
        ua.update(
            now,
            *session,
            false,
            Some(Body::sdp("v=0\r\na=curr:qos local sendrecv\r\n")),
        )
        .unwrap();
    }
}

#[test]
fn reliable_provisional_responses_prack_and_update() {
    let mut net = Net::new(2, Network::PERFECT, 7);
    let alice = call(&mut net, true);
    net.run(
        Duration::from_secs(60),
        vec![hangup_at(Duration::from_secs(5), 0, alice)],
        |ua, now, i, e| {
            preconditions_callee(ua, now, i, e);
            preconditions_caller(ua, now, i, e);
        },
    );
    let ladder = net.ladder();
    let lines: Vec<String> = net.wire.iter().map(|w| w.line()).collect();
    assert_eq!(
        lines,
        [
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 183 Session Progress",
            "PRACK sip:bob@127.0.0.2:5060 SIP/2.0",
            "UPDATE sip:bob@127.0.0.2:5060 SIP/2.0",
            "SIP/2.0 200 OK",
            "SIP/2.0 200 OK",
            "SIP/2.0 180 Ringing",
            "PRACK sip:bob@127.0.0.2:5060 SIP/2.0",
            "SIP/2.0 200 OK",
            // The 2xx waited for the 180's PRACK (RFC 3262 §3).
            "SIP/2.0 200 OK",
            "ACK sip:bob@127.0.0.2:5060 SIP/2.0",
            "BYE sip:bob@127.0.0.2:5060 SIP/2.0",
            "SIP/2.0 200 OK",
        ],
        "{ladder}"
    );
    let m183 = net.wire[1].message();
    let m180 = net.wire[6].message();
    let rseq = |m: &MessageRef<'_>| m.header::<imsip::header::RSeq>().unwrap().unwrap().0;
    assert_eq!(rseq(&m180), rseq(&m183) + 1);
    let prack = net.wire[2].message();
    let rack = prack.header::<imsip::header::RAck<'_>>().unwrap().unwrap();
    assert_eq!(
        (rack.rseq, rack.cseq, rack.method),
        (rseq(&m183), 1, Method::Invite)
    );
    assert_eq!(prack.cseq().unwrap().seq, 2);
    assert!(net.wire[0].message().get("Supported").is_some());
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Updated { .. })), 1);
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Progress { .. })), 2);
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
    assert_eq!(ended(&net, 1), [EndReason::RemoteBye]);
}

#[test]
fn reliable_provisional_responses_survive_a_lossy_network() {
    let network = Network {
        loss: 10,
        duplication: 10,
        delay: Duration::from_millis(10),
        jitter: Duration::from_millis(40),
    };
    for seed in 0..200 {
        let mut net = Net::new(2, network, seed);
        let alice = call(&mut net, true);
        net.run(
            Duration::from_secs(120),
            vec![hangup_at(Duration::from_secs(20), 0, alice)],
            |ua, now, i, e| {
                preconditions_callee(ua, now, i, e);
                preconditions_caller(ua, now, i, e);
            },
        );
        let ladder = net.ladder();
        // Each reliable provisional response reaches the caller's user
        // once, whatever was retransmitted or duplicated; the 180 is
        // dropped when the 2xx is ready before the 183 was acknowledged.
        let progress = count(&net, 0, |e| matches!(e, UaEvent::Progress { .. }));
        assert!((1..=2).contains(&progress), "seed {seed}\n{ladder}");
        assert_eq!(
            count(&net, 1, |e| matches!(e, UaEvent::Update { .. })),
            1,
            "seed {seed}\n{ladder}"
        );
        assert_eq!(
            count(&net, 0, |e| matches!(e, UaEvent::Answered { .. })),
            1,
            "seed {seed}\n{ladder}"
        );
        assert_eq!(
            ended(&net, 0),
            [EndReason::LocalBye(Some(StatusCode::OK))],
            "seed {seed}\n{ladder}"
        );
        assert_eq!(
            ended(&net, 1),
            [EndReason::RemoteBye],
            "seed {seed}\n{ladder}"
        );
    }
}

#[test]
fn without_a_prack_the_reliable_provisional_is_retransmitted_then_500() {
    let mut net = Net::new(2, Network::PERFECT, 8);
    net.filter = Some(Box::new(|from, m| {
        from == 0 && m.method() == Some(Method::Prack)
    }));
    let _alice = call(&mut net, true);
    net.run(Duration::from_secs(120), Vec::new(), |ua, now, i, e| {
        if i == 1
            && let UaEvent::IncomingCall { session, .. } = e
        {
            ua.progress(now, *session, StatusCode::RINGING, None)
                .unwrap();
            // The 2xx waits for a PRACK that never comes.
            ua.answer(now, *session, Some(Body::sdp(ANSWER))).unwrap();
        }
    });
    let ladder = net.ladder();
    let ringing: Vec<Duration> = net
        .wire
        .iter()
        .filter(|w| w.message().status() == Some(StatusCode::RINGING))
        .map(|w| w.at)
        .collect();
    // T1 doubling without a cap (RFC 3262 §3) until 64·T1.
    let expected: Vec<Duration> = [0, 500, 1500, 3500, 7500, 15500, 31500]
        .iter()
        .map(|ms| Duration::from_millis(10 + ms))
        .collect();
    assert_eq!(ringing, expected, "{ladder}");
    assert_eq!(ended(&net, 1), [EndReason::NoPrack], "{ladder}");
    assert_eq!(
        ended(&net, 0),
        [EndReason::Rejected(StatusCode::SERVER_INTERNAL_ERROR)],
        "{ladder}"
    );
    assert!(
        !net.wire
            .iter()
            .any(|w| w.from == 1 && w.message().status() == Some(StatusCode::OK))
    );
}

#[test]
fn a_cancelled_invite_without_a_final_response_is_given_up() {
    let mut net = Net::new(2, Network::PERFECT, 9);
    // The callee's final responses (the CANCEL's 200, the 487) are lost.
    net.filter = Some(Box::new(|from, m| {
        from == 1 && m.status().is_some_and(|s| s.is_final())
    }));
    let alice = call(&mut net, true);
    net.run(
        Duration::from_secs(100),
        vec![hangup_at(Duration::from_secs(1), 0, alice)],
        |ua, now, i, e| {
            if i == 1
                && let UaEvent::IncomingCall { session, .. } = e
            {
                ua.progress(now, *session, StatusCode::RINGING, None)
                    .unwrap();
            }
        },
    );
    let ladder = net.ladder();
    let ended_at: Vec<Duration> = net.events[0]
        .iter()
        .filter(|(_, e)| matches!(e, UaEvent::Ended { .. }))
        .map(|(at, _)| *at)
        .collect();
    assert_eq!(ended(&net, 0), [EndReason::Cancelled], "{ladder}");
    // 64·T1 after the CANCEL (sent at 1 s).
    assert_eq!(ended_at, [Duration::from_secs(33)], "{ladder}");
}

#[test]
fn an_offer_while_one_is_unanswered_gets_500_with_retry_after() {
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let now = std::time::Instant::now();
    let invite = request("INVITE", "", "b", 1, "c4").replace(
        "Content-Length: 0\r\n\r\n",
        "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n",
    );
    exchange(&mut ua, now, &invite);
    let Some(UaEvent::IncomingCall { session, .. }) = ua.poll_event() else {
        panic!()
    };
    // Ringing without an answer (unreliable: the INVITE has no 100rel).
    ua.progress(now, session, StatusCode::RINGING, None)
        .unwrap();
    let ringing = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    let tag = ringing.as_ref().to_tag().unwrap().unwrap().to_owned();
    let update = request("UPDATE", &format!(";tag={tag}"), "b", 2, "c4").replace(
        "Content-Length: 0\r\n\r\n",
        "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n",
    );
    let out = exchange(&mut ua, now, &update);
    let r = out[0].as_ref();
    assert_eq!(r.status(), Some(StatusCode::SERVER_INTERNAL_ERROR));
    assert!(r.get("Retry-After").is_some());
    assert_eq!(
        ua.offer_answer(session).unwrap().state(),
        OfferState::OfferReceived
    );
}

fn short_timers(_: usize, c: &mut imsip::ua::UaConfig) {
    c.session_timer = Some(imsip::ua::SessionTimerConfig {
        interval: 90,
        min_se: 90,
    });
}

#[test]
fn the_refresher_refreshes_with_update_at_half_the_interval() {
    let mut net = Net::with_config(2, Network::PERFECT, 10, short_timers);
    let alice = call(&mut net, true);
    net.run(
        Duration::from_secs(400),
        vec![hangup_at(Duration::from_secs(300), 0, alice)],
        auto_answer,
    );
    let ladder = net.ladder();
    let ok = net
        .wire
        .iter()
        .find(|w| {
            let m = w.message();
            w.from == 1
                && m.status() == Some(StatusCode::OK)
                && m.cseq().unwrap().method == Method::Invite
        })
        .unwrap()
        .message();
    assert_eq!(
        ok.get("Session-Expires").unwrap().value_str(),
        Some("90;refresher=uac"),
        "{ladder}"
    );
    assert_eq!(ok.get("Require").unwrap().value_str(), Some("timer"));
    let updates: Vec<Duration> = net
        .wire
        .iter()
        .filter(|w| w.message().method() == Some(Method::Update))
        .map(|w| {
            assert_eq!(w.from, 0, "the caller refreshes");
            w.at
        })
        .collect();
    // Every 45 s after the 2xx (at 20 ms), each answered 10 ms later... the
    // next one 45 s after that answer.
    assert_eq!(updates.len(), 6, "{ladder}");
    assert!(updates[0] >= Duration::from_secs(45) && updates[0] < Duration::from_secs(46));
    // Refreshes are the core's: neither user saw them.
    assert_eq!(count(&net, 1, |e| matches!(e, UaEvent::Update { .. })), 0);
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Updated { .. })), 0);
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
    assert_eq!(ended(&net, 1), [EndReason::RemoteBye]);
}

#[test]
fn an_unrefreshed_session_expires_with_bye() {
    let mut net = Net::with_config(2, Network::PERFECT, 11, short_timers);
    // The refresher's UPDATEs are lost.
    net.filter = Some(Box::new(|from, m| {
        from == 0 && m.method() == Some(Method::Update)
    }));
    let _alice = call(&mut net, true);
    net.run(Duration::from_secs(400), Vec::new(), auto_answer);
    let ladder = net.ladder();
    let bye = net
        .wire
        .iter()
        .find(|w| w.message().method() == Some(Method::Bye))
        .unwrap_or_else(|| panic!("{ladder}"));
    assert_eq!(bye.from, 1, "{ladder}");
    // 90 s less a third (30 s) after the 2xx left, at 30 ms (after the
    // PRACK of the reliable 180).
    assert_eq!(bye.at, Duration::from_millis(60_030), "{ladder}");
    assert_eq!(ended(&net, 1), [EndReason::SessionExpired]);
    assert_eq!(ended(&net, 0), [EndReason::RemoteBye]);
}

#[test]
fn interval_too_small_is_retried_with_the_min_se() {
    let mut net = Net::with_config(2, Network::PERFECT, 12, |i, c| {
        c.reliable_provisional = false;
        c.session_timer = Some(imsip::ua::SessionTimerConfig {
            interval: if i == 0 { 90 } else { 1800 },
            min_se: if i == 0 { 90 } else { 120 },
        });
    });
    let alice = call(&mut net, true);
    net.run(
        Duration::from_secs(30),
        vec![hangup_at(Duration::from_secs(10), 0, alice)],
        auto_answer,
    );
    let ladder = net.ladder();
    let lines: Vec<String> = net.wire.iter().map(|w| w.line()).collect();
    assert_eq!(
        lines[..7],
        [
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 422 Session Interval Too Small",
            "ACK sip:bob@127.0.0.2 SIP/2.0",
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "ACK sip:bob@127.0.0.2:5060 SIP/2.0",
        ],
        "{ladder}"
    );
    let first = net.wire[0].message();
    let again = net.wire[3].message();
    assert_eq!(again.cseq().unwrap().seq, 2);
    assert_eq!(again.call_id().unwrap(), first.call_id().unwrap());
    assert_eq!(again.from_tag().unwrap(), first.from_tag().unwrap());
    assert_eq!(
        again.get("Session-Expires").unwrap().value_str(),
        Some("120")
    );
    assert_eq!(again.get("Min-SE").unwrap().value_str(), Some("120"));
    assert_eq!(
        net.wire[1].message().get("Min-SE").unwrap().value_str(),
        Some("120")
    );
    assert_eq!(
        count(&net, 1, |e| matches!(e, UaEvent::IncomingCall { .. })),
        1
    );
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
}

#[test]
fn a_challenged_invite_is_sent_again_with_credentials() {
    use imsip::auth::digest::{Challenger, DigestServer, ServerConfig};
    let now = std::time::Instant::now();
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let flow = imsip::Flow::new(
        imsip::Transport::Udp,
        "127.0.0.1:5060".parse().unwrap(),
        "127.0.0.9:5060".parse().unwrap(),
    );
    let session = ua
        .call(
            now,
            Call::new(uri("sip:alice@127.0.0.1"), uri("sip:bob@example.com"), flow)
                .body(Body::sdp(OFFER))
                .credentials("alice", b"secret"),
        )
        .unwrap();
    let invite = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    // A proxy challenges it.
    let mut proxy = DigestServer::new(ServerConfig::new("example.com"), [7; 32], now);
    let challenge = proxy
        .challenge(
            now,
            &invite.as_ref(),
            Challenger::Proxy,
            &mut imsip::random::SeededRandom::new(1),
            false,
        )
        .unwrap()
        .build()
        .unwrap();
    let out = exchange(
        &mut ua,
        now,
        std::str::from_utf8(challenge.bytes()).unwrap(),
    );
    // The transaction's ACK for the 407, then the INVITE again.
    let methods: Vec<_> = out
        .iter()
        .map(|m| m.as_ref().method().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(methods, ["ACK", "INVITE"]);
    let again = out[1].as_ref();
    assert_eq!(again.cseq().unwrap().seq, 2);
    assert_eq!(again.call_id().unwrap(), invite.as_ref().call_id().unwrap());
    assert!(again.get("Proxy-Authorization").is_some());
    assert_eq!(again.body(), OFFER.as_bytes());
    let verified = proxy.verify_request(now, &again, Challenger::Proxy, |user, alg| {
        (user == "alice").then(|| imsip::auth::digest::ha1(alg, "alice", "example.com", b"secret"))
    });
    assert!(verified.is_ok());
    // The answer to the second INVITE confirms the session.
    let ok = out[1]
        .as_ref()
        .response(StatusCode::OK)
        .unwrap()
        .raw_header("Contact", "<sip:bob@127.0.0.9>")
        .build()
        .unwrap();
    let acked = exchange(&mut ua, now, std::str::from_utf8(ok.bytes()).unwrap());
    assert_eq!(acked[0].as_ref().method(), Some(Method::Ack));
    assert_eq!(ua.phase(session), Some(Phase::Confirmed));
    // Challenged again and again: given up after two answers.
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let s2 = ua
        .call(
            now,
            Call::new(uri("sip:alice@127.0.0.1"), uri("sip:bob@example.com"), flow)
                .credentials("alice", b"wrong"),
        )
        .unwrap();
    let mut last = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    let mut sent = 1;
    loop {
        let c = proxy
            .challenge(
                now,
                &last.as_ref(),
                Challenger::Proxy,
                &mut imsip::random::SeededRandom::new(sent),
                true,
            )
            .unwrap()
            .build()
            .unwrap();
        let out = exchange(&mut ua, now, std::str::from_utf8(c.bytes()).unwrap());
        match out
            .iter()
            .find(|m| m.as_ref().method() == Some(Method::Invite))
        {
            Some(m) => {
                last = m.clone();
                sent += 1;
            }
            None => break,
        }
    }
    assert_eq!(sent, 3);
    let ended: Vec<_> = std::iter::from_fn(|| ua.poll_event())
        .filter_map(|e| match e {
            UaEvent::Ended { session, reason } => Some((session, reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ended,
        [(
            s2,
            EndReason::Rejected(StatusCode::PROXY_AUTHENTICATION_REQUIRED)
        )]
    );
}

/// A forked INVITE: nodes 1 and 2 both get it (node 2 as another branch of
/// a forking proxy would); both ring, node 2 answers first, node 1 later.
fn forked_callee(ua: &mut UserAgent, now: std::time::Instant, i: usize, e: &UaEvent) {
    if i > 0
        && let UaEvent::IncomingCall { session, .. } = e
    {
        ua.progress(now, *session, StatusCode::RINGING, None)
            .unwrap();
    }
}

fn answer_at(at: Duration, node: usize) -> Step {
    (
        at,
        Box::new(move |net: &mut Net| {
            let now = net.now;
            let calls: Vec<SessionId> = net.events[node]
                .iter()
                .filter_map(|(_, e)| match e {
                    UaEvent::IncomingCall { session, .. } => Some(*session),
                    _ => None,
                })
                .collect();
            for s in calls {
                let _ = net.nodes[node].answer(now, s, Some(Body::sdp(ANSWER)));
            }
        }),
    )
}

#[test]
fn a_forked_invite_with_two_early_dialogs_and_a_late_2xx() {
    let network = Network {
        loss: 10,
        duplication: 10,
        delay: Duration::from_millis(10),
        jitter: Duration::from_millis(30),
    };
    for seed in 0..100 {
        let net_network = if seed == 0 { Network::PERFECT } else { network };
        let mut net = Net::with_config(3, net_network, seed, |_, c| c.reliable_provisional = false);
        net.fork = Some((0, 1, 2));
        let alice = call(&mut net, true);
        net.run(
            Duration::from_secs(120),
            vec![
                answer_at(Duration::from_secs(1), 2),
                answer_at(Duration::from_secs(3), 1),
                hangup_at(Duration::from_secs(10), 0, alice),
            ],
            forked_callee,
        );
        let ladder = net.ladder();
        // Both forks rang: two early dialogs (when their 180 got through).
        let tags: std::collections::HashSet<String> = net.events[0]
            .iter()
            .filter_map(|(_, e)| match e {
                UaEvent::Progress { response, .. } => {
                    Some(response.as_ref().to_tag().unwrap().unwrap().to_owned())
                }
                _ => None,
            })
            .collect();
        assert!(tags.len() <= 2, "seed {seed}\n{ladder}");
        if seed == 0 {
            assert_eq!(tags.len(), 2, "{ladder}");
        }
        // One 2xx won (node 2's, answered first, unless every copy of the
        // INVITE to it was lost: the caller stops retransmitting once a 2xx
        // is in, where a forking proxy would have gone on hop by hop).
        assert_eq!(
            count(&net, 0, |e| matches!(e, UaEvent::Answered { .. })),
            1,
            "seed {seed}\n{ladder}"
        );
        assert_eq!(net.nodes[0].sessions(), 0, "seed {seed}\n{ladder}");
        assert_eq!(
            ended(&net, 0),
            [EndReason::LocalBye(Some(StatusCode::OK))],
            "seed {seed}\n{ladder}"
        );
        // Each callee that got the INVITE ended once: hung up by the caller
        // (the winner at the end, the late one at once, its 2xx ACKed), or
        // on its own for want of an ACK.
        for node in [1, 2] {
            if count(&net, node, |e| matches!(e, UaEvent::IncomingCall { .. })) == 1 {
                let end = ended(&net, node);
                assert!(
                    end == [EndReason::RemoteBye] || end == [EndReason::NoAck],
                    "seed {seed} node {node}: {end:?}\n{ladder}"
                );
                assert!(count(&net, node, |e| matches!(e, UaEvent::Confirmed { .. })) <= 1);
            } else {
                assert_ne!(seed, 0);
            }
            assert_eq!(net.nodes[node].sessions(), 0, "seed {seed}\n{ladder}");
        }
        if seed == 0 {
            // Node 1's late 2xx was acknowledged, then hung up at once.
            assert_eq!(
                count(&net, 1, |e| matches!(e, UaEvent::Confirmed { .. })),
                1,
                "{ladder}"
            );
            let bye_to_1 = net
                .wire
                .iter()
                .find(|w| w.to == Some(1) && w.message().method() == Some(Method::Bye))
                .unwrap();
            assert!(bye_to_1.at < Duration::from_secs(4), "{ladder}");
        }
        let dialog = net.nodes[0].dialog(alice);
        assert!(dialog.is_none(), "ended");
    }
}
