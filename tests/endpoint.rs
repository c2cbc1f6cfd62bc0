//! The endpoint between two parties over a perfect network: the common
//! exchanges end to end, and what a server does with bad, unmatched or too
//! many requests.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::pair::{Network, Pair};
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow, SendError, ServerId};
use imsip::header::TypedHeader;
use imsip::transaction::{State, Termination, Timer};
use imsip::{Message, MessageRef, Method, StatusCode, Transport, ValidationPolicy};

const UAC: &str = "127.0.0.1:5060";
const UAS: &str = "127.0.0.2:5060";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn request(method: &str, branch: &str, call_id: &str) -> Message {
    let text = format!(
        "{method} sip:bob@127.0.0.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK{branch}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@127.0.0.1>;tag=a1\r\n\
To: <sip:bob@127.0.0.2>\r\n\
Call-ID: {call_id}\r\n\
CSeq: 1 {method}\r\n\
Content-Length: 0\r\n\r\n"
    );
    Message::parse(Bytes::from(text)).unwrap()
}

fn to_uas() -> Flow {
    Flow::new(Transport::Udp, addr(UAC), addr(UAS))
}

fn answer(node: &mut Endpoint, now: Instant, id: ServerId, req: &Message, code: u16) {
    let r = req
        .as_ref()
        .response(StatusCode::new(code).unwrap())
        .unwrap()
        .to_tag("b1")
        .build()
        .unwrap();
    node.respond(now, id, r).unwrap();
}

fn statuses(events: &[(Duration, Event)]) -> Vec<u16> {
    events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Response { response, .. } => response.as_ref().status().map(StatusCode::as_u16),
            _ => None,
        })
        .collect()
}

fn terminations(events: &[(Duration, Event)]) -> Vec<(Duration, Termination)> {
    events
        .iter()
        .filter_map(|(at, e)| match e {
            Event::Terminated { reason, .. } => Some((*at, *reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn options_request_and_answer() {
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 1);
    let now = pair.now;
    let id = pair.nodes[0]
        .send_request(now, request("OPTIONS", "o1", "c1"), to_uas())
        .unwrap();
    // The request as sent, indexed again (a non-INVITE keeps only its
    // octets), for a retry with credentials.
    let sent = pair.nodes[0].request(id).unwrap();
    assert_eq!(sent.bytes(), request("OPTIONS", "o1", "c1").bytes());
    assert_eq!(sent.as_ref().method(), Some(Method::Options));
    pair.run(Duration::from_secs(60), |node, now, i, e| {
        if let (
            1,
            Event::Request {
                transaction,
                request,
                origin,
            },
        ) = (i, e)
        {
            assert_eq!(origin.remote, addr(UAC));
            assert_eq!(origin.local, addr(UAS));
            assert_eq!(request.as_ref().method(), Some(Method::Options));
            answer(node, now, *transaction, request, 200);
        }
    });
    assert_eq!(statuses(&pair.events[0]), [200]);
    // The client lingers T4 (Timer K), the server 64·T1 (Timer J).
    assert_eq!(
        terminations(&pair.events[0]),
        [(
            Duration::from_millis(20) + Duration::from_secs(5),
            Termination::Completed
        )]
    );
    assert_eq!(
        terminations(&pair.events[1]),
        [(
            Duration::from_millis(10) + Duration::from_secs(32),
            Termination::Completed
        )]
    );
    assert_eq!(
        pair.sent[0].len(),
        1,
        "no retransmission on a 20 ms round trip"
    );
    assert_eq!(pair.nodes[0].transaction_state(id), None);
    assert_eq!(
        pair.nodes[0].transactions() + pair.nodes[1].transactions(),
        0
    );
}

#[test]
fn invite_rejected_is_acknowledged_by_the_transactions() {
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 2);
    let now = pair.now;
    pair.nodes[0]
        .send_request(now, request("INVITE", "i1", "c2"), to_uas())
        .unwrap();
    pair.run(Duration::from_secs(60), |node, now, i, e| {
        if let (
            1,
            Event::Request {
                transaction,
                request,
                ..
            },
        ) = (i, e)
        {
            answer(node, now, *transaction, request, 180);
            answer(node, now, *transaction, request, 486);
        }
    });
    assert_eq!(statuses(&pair.events[0]), [180, 486]);
    // The client's ACK reached the server: Confirmed, then Timer I (T4).
    let acks: Vec<_> = pair.sent[0]
        .iter()
        .filter(|s| MessageRef::parse(&s.payload).unwrap().method() == Some(Method::Ack))
        .collect();
    assert_eq!(acks.len(), 1);
    assert!(
        !pair.events[1]
            .iter()
            .any(|(_, e)| matches!(e, Event::Ack { .. }))
    );
    // The ACK arrived at 30 ms.
    assert_eq!(
        terminations(&pair.events[1]),
        [(
            Duration::from_millis(30) + Duration::from_secs(5),
            Termination::Completed
        )]
    );
    // Timer D: 32 s after the 486 arrived.
    assert_eq!(
        terminations(&pair.events[0]),
        [(
            Duration::from_millis(20) + Duration::from_secs(32),
            Termination::Completed
        )]
    );
}

#[test]
fn invite_answered_2xx_ack_goes_to_the_user() {
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 3);
    let now = pair.now;
    let invite = request("INVITE", "i2", "c3");
    pair.nodes[0]
        .send_request(now, invite.clone(), to_uas())
        .unwrap();
    pair.run(Duration::from_secs(60), |node, now, i, e| match (i, e) {
        (1, Event::Request { transaction, request, .. }) => answer(node, now, *transaction, request, 200),
        (0, Event::Response { response, .. }) if response.as_ref().status() == Some(StatusCode::OK) => {
            // The UAC core acknowledges the 2xx itself, outside the transaction.
            let ack: &'static [u8] =
                b"ACK sip:bob@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKack1\r\n\
Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.2>;tag=b1\r\n\
Call-ID: c3\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
            node.send_stateless(&Message::parse(Bytes::from_static(ack)).unwrap(), to_uas());
        }
        _ => {}
    });
    assert_eq!(statuses(&pair.events[0]), [200]);
    // A 2xx ACK has its own branch: it matches no transaction and goes up.
    assert!(pair.events[1].iter().any(|(_, e)| matches!(
        e,
        Event::Ack {
            transaction: None,
            ..
        }
    )));
    // Accepted on both sides until Timers L and M (64·T1).
    assert_eq!(
        terminations(&pair.events[0]),
        [(
            Duration::from_millis(20) + Duration::from_secs(32),
            Termination::Completed
        )]
    );
    assert_eq!(
        terminations(&pair.events[1]),
        [(
            Duration::from_millis(10) + Duration::from_secs(32),
            Termination::Completed
        )]
    );
}

#[test]
fn cancel_is_answered_and_the_invite_left_to_the_user() {
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 4);
    let now = pair.now;
    let invite = request("INVITE", "i3", "c4");
    let client = pair.nodes[0]
        .send_request(now, invite.clone(), to_uas())
        .unwrap();
    let mut cancelled = false;
    pair.run(Duration::from_secs(60), |node, now, i, e| match (i, e) {
        (
            1,
            Event::Request {
                transaction,
                request,
                ..
            },
        ) => answer(node, now, *transaction, request, 180),
        (0, Event::Response { response, .. })
            if response.as_ref().status() == Some(StatusCode::RINGING) =>
        {
            // The CANCEL is built from the request the transaction sent
            // (RFC 3261 §9.1).
            let sent = node.request(client).unwrap();
            assert_eq!(sent.bytes(), invite.bytes());
            let cancel = sent.as_ref().cancel().unwrap().build().unwrap();
            node.send_request(now, cancel, to_uas()).unwrap();
        }
        (
            1,
            Event::Cancelled {
                transaction,
                cancel,
                origin,
            },
        ) => {
            assert_eq!(cancel.as_ref().method(), Some(Method::Cancel));
            assert_eq!(origin.remote, addr(UAC));
            cancelled = true;
            let invite_req = node.transaction_state(*transaction);
            assert_eq!(invite_req, Some(State::Proceeding));
            let terminated = invite
                .as_ref()
                .response(StatusCode::REQUEST_TERMINATED)
                .unwrap()
                .to_tag("b1")
                .build()
                .unwrap();
            node.respond(now, *transaction, terminated).unwrap();
        }
        _ => {}
    });
    assert!(cancelled);
    // The CANCEL got its 200, the INVITE its 487 (acknowledged by the
    // transaction).
    assert_eq!(statuses(&pair.events[0]), [180, 200, 487]);
    assert_eq!(pair.nodes[0].stats().stray_responses, 0);
}

#[test]
fn cancel_without_invite_goes_to_the_user() {
    // A user agent answers a CANCEL that matches no INVITE 481 (RFC 3261
    // §9.2); the endpoint leaves it to the user, as a proxy forwards it.
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 5);
    let now = pair.now;
    pair.nodes[0]
        .send_request(now, request("CANCEL", "x1", "c5"), to_uas())
        .unwrap();
    pair.run(Duration::from_secs(60), |node, now, i, e| {
        if let (
            1,
            Event::Request {
                transaction,
                request,
                ..
            },
        ) = (i, e)
        {
            assert_eq!(request.as_ref().method(), Some(Method::Cancel));
            answer(node, now, *transaction, request, 481);
        }
    });
    assert_eq!(statuses(&pair.events[0]), [481]);
    assert_eq!(pair.nodes[1].stats().stateless_responses, 0);
}

#[test]
fn a_proxy_forwards_an_unmatched_cancel_statelessly() {
    // RFC 3261 §16.10: a proxy with no response context for a CANCEL
    // forwards it statelessly; the answer comes back with the proxy's Via
    // on top, which the proxy pops (§16.7 step 3) before answering the
    // CANCEL's server transaction.
    let downstream = addr("127.0.0.3:5060");
    let mut proxy = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let cancel = request("CANCEL", "x2", "c6");
    feed(&mut proxy, cancel.bytes(), now);
    let Some(Event::Request {
        transaction,
        request,
        origin,
    }) = proxy.poll_event()
    else {
        panic!("the CANCEL goes up")
    };
    assert_eq!(
        request
            .as_ref()
            .validate_with(&ValidationPolicy::proxy(&[])),
        Ok(())
    );
    let mut edit = imsip::Editor::new(request.as_ref());
    edit.push_via(
        &imsip::header::Via::parse("SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKproxy1").unwrap(),
    );
    assert_eq!(edit.decrement_max_forwards(), Some(69));
    let forwarded = edit.finish().unwrap();
    proxy.send_stateless(&forwarded, origin.to(downstream));
    let out = proxy.poll_transmit().unwrap();
    assert_eq!((out.flow.local, out.flow.remote), (addr(UAS), downstream));
    assert_eq!(out.transaction, None);
    let sent = MessageRef::parse(&out.payload).unwrap();
    assert_eq!(sent.via().unwrap().branch(), Some("z9hG4bKproxy1"));
    assert_eq!(sent.values(imsip::header::HeaderName::Via).count(), 2);
    // A retransmission of the CANCEL is absorbed by its server transaction.
    feed(&mut proxy, cancel.bytes(), now);
    assert!(proxy.poll_event().is_none() && proxy.poll_transmit().is_none());

    // Downstream answers 481: no client transaction has that branch, so the
    // response is stray; the proxy pops its Via and answers upstream.
    let answer_481 = sent
        .response(StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST)
        .unwrap()
        .build()
        .unwrap();
    proxy.handle_input(
        now,
        Flow::new(Transport::Udp, addr(UAS), downstream),
        answer_481.bytes().clone(),
    );
    let Some(Event::StrayResponse { response, .. }) = proxy.poll_event() else {
        panic!("a stray response")
    };
    let mut edit = imsip::Editor::new(response.as_ref());
    assert!(edit.pop_via().unwrap().contains("z9hG4bKproxy1"));
    let upstream = edit.finish().unwrap();
    proxy.respond(now, transaction, upstream).unwrap();
    let out = proxy.poll_transmit().unwrap();
    assert_eq!(out.flow.remote, addr(UAC));
    let back = MessageRef::parse(&out.payload).unwrap();
    assert_eq!(back.status().map(StatusCode::as_u16), Some(481));
    assert_eq!(back.via().unwrap().branch(), Some("z9hG4bKx2"));
    assert_eq!(back.values(imsip::header::HeaderName::Via).count(), 1);
}

/// Hands `data` from the UAC's address to `node`.
fn feed(node: &mut Endpoint, data: &[u8], at: Instant) {
    node.handle_input(
        at,
        Flow::new(Transport::Udp, addr(UAS), addr(UAC)),
        Bytes::copy_from_slice(data),
    )
}

/// Feeds `data` to a server and returns what it sent back.
fn serve(config: EndpointConfig, data: &[u8]) -> (Endpoint, Vec<imsip::endpoint::Transmit>) {
    let mut node = Endpoint::new(config);
    node.handle_input(
        Instant::now(),
        Flow::new(Transport::Udp, addr(UAS), addr("192.0.2.1:40000")),
        Bytes::copy_from_slice(data),
    );
    let out = std::iter::from_fn(|| node.poll_transmit()).collect();
    (node, out)
}

fn status_of(t: &imsip::endpoint::Transmit) -> u16 {
    MessageRef::parse(&t.payload)
        .unwrap()
        .status()
        .unwrap()
        .as_u16()
}

#[test]
fn bad_requests_get_stateless_answers() {
    // No Call-ID: still answerable? No: the response needs it. Dropped.
    let (node, out) = serve(
        EndpointConfig::default(),
        b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n",
    );
    assert!(out.is_empty());
    assert_eq!(node.stats().dropped_malformed, 1);

    // CSeq method mismatch: 400, with a To tag, sent to the source address.
    let (_, out) = serve(
        EndpointConfig::default(),
        b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP host.example.com;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n\r\n",
    );
    assert_eq!(out.len(), 1);
    assert_eq!(status_of(&out[0]), 400);
    assert_eq!(out[0].flow.remote, addr("192.0.2.1:5060"));
    assert_eq!(out[0].flow.local, addr(UAS));
    let r = MessageRef::parse(&out[0].payload).unwrap();
    assert!(r.to_tag().unwrap().is_some());
    assert_eq!(
        r.via().unwrap().received(),
        Some("192.0.2.1".parse().unwrap())
    );

    // An unknown Require is the transaction user's to answer (420 with
    // Unsupported), with its policy; the response goes where the request's
    // Via says (rport: back to the source port).
    let (mut node, out) = serve(
        EndpointConfig::default(),
        b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nRequire: foo, bar\r\n\r\n",
    );
    assert!(out.is_empty());
    let Some(Event::Request {
        transaction,
        request,
        ..
    }) = node.poll_event()
    else {
        panic!("the request goes up")
    };
    let policy = ValidationPolicy::user_agent(&["bar"]);
    let error = request.as_ref().validate_with(&policy).unwrap_err();
    let rejection = policy
        .rejection(&request.as_ref(), &error)
        .unwrap()
        .build()
        .unwrap();
    node.respond(Instant::now(), transaction, rejection)
        .unwrap();
    let out: Vec<_> = std::iter::from_fn(|| node.poll_transmit()).collect();
    assert_eq!(status_of(&out[0]), 420);
    let r = MessageRef::parse(&out[0].payload).unwrap();
    assert_eq!(r.get("Unsupported").unwrap().value(), b"foo");
    assert!(r.to_tag().unwrap().is_some());
    assert_eq!(out[0].flow.remote, addr("192.0.2.1:40000"));
    // A proxy's policy ignores Require.
    assert_eq!(
        request
            .as_ref()
            .validate_with(&ValidationPolicy::proxy(&[])),
        Ok(())
    );

    // SIP/3.0: 505.
    let (_, out) = serve(
        EndpointConfig::default(),
        b"OPTIONS sip:b@x SIP/3.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n",
    );
    assert_eq!(status_of(&out[0]), 505);

    // A body shorter than Content-Length: 400 (RFC 3261 §18.3).
    let (_, out) = serve(
        EndpointConfig::default(),
        b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 50\r\n\r\nshort",
    );
    assert_eq!(status_of(&out[0]), 400);

    // Garbage and keep-alives: nothing sent, counted.
    let (node, out) = serve(EndpointConfig::default(), b"\x16\x03\x01garbage");
    assert!(out.is_empty());
    assert_eq!(node.stats().dropped_malformed, 1);
    let (node, out) = serve(EndpointConfig::default(), b"\r\n\r\n");
    assert!(out.is_empty());
    assert_eq!(node.stats().keepalives, 1);

    // A bad ACK is never answered.
    let (node, out) = serve(
        EndpointConfig::default(),
        b"ACK sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n\r\n",
    );
    assert!(out.is_empty());
    assert_eq!(node.stats().dropped_malformed, 1);
}

#[test]
fn too_many_transactions_get_503_with_retry_after() {
    let mut config = EndpointConfig::default();
    config.max_transactions = 2;
    config.retry_after = 7;
    let mut node = Endpoint::new(config);
    let now = Instant::now();
    for i in 0..3 {
        let req = request("OPTIONS", &format!("b{i}"), &format!("c{i}"));
        node.handle_input(
            now,
            Flow::new(Transport::Udp, addr(UAS), addr(UAC)),
            req.bytes().clone(),
        );
    }
    let requests = std::iter::from_fn(|| node.poll_event())
        .filter(|e| matches!(e, Event::Request { .. }))
        .count();
    assert_eq!(requests, 2);
    let out: Vec<_> = std::iter::from_fn(|| node.poll_transmit()).collect();
    assert_eq!(out.len(), 1);
    assert_eq!(status_of(&out[0]), 503);
    let r = MessageRef::parse(&out[0].payload).unwrap();
    assert_eq!(r.get("Retry-After").unwrap().value(), b"7");
    assert_eq!(node.stats().rejected_overload, 1);
    assert_eq!(node.transactions(), 2);
    // The client side is bounded too.
    let err = node
        .send_request(now, request("OPTIONS", "b9", "c9"), to_uas())
        .unwrap_err();
    assert_eq!(err, SendError::Capacity);
}

#[test]
fn a_cancel_at_capacity_is_answered_without_a_transaction() {
    // With max_transactions alive, the CANCEL of a proceeding INVITE still
    // cancels it: its 200 goes statelessly, and the bound holds.
    let mut config = EndpointConfig::default();
    config.max_transactions = 1;
    let mut node = Endpoint::new(config);
    let now = Instant::now();
    let invite = request("INVITE", "cap1", "c1");
    feed(&mut node, invite.bytes(), now);
    let Some(Event::Request { transaction, .. }) = node.poll_event() else {
        panic!()
    };
    assert_eq!(node.transactions(), 1);
    let cancel = invite.as_ref().cancel().unwrap().build().unwrap();
    for _ in 0..2 {
        feed(&mut node, cancel.bytes(), now);
        assert_eq!(node.transactions(), 1);
        let out: Vec<_> = std::iter::from_fn(|| node.poll_transmit()).collect();
        assert_eq!(out.len(), 1);
        assert_eq!(status_of(&out[0]), 200);
        assert_eq!(out[0].transaction, None);
    }
    // Without a transaction to absorb it, the retransmitted CANCEL is
    // reported again while the INVITE is still proceeding.
    for _ in 0..2 {
        assert!(matches!(
            node.poll_event(),
            Some(Event::Cancelled { transaction: t, .. }) if t == transaction
        ));
    }
    assert!(node.poll_event().is_none());
}

#[test]
fn retransmitted_requests_are_absorbed_or_answered() {
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let req = request("OPTIONS", "r1", "c1");
    feed(&mut node, req.bytes(), now);
    let Some(Event::Request { transaction, .. }) = node.poll_event() else {
        panic!()
    };
    feed(&mut node, req.bytes(), now);
    assert!(node.poll_transmit().is_none(), "Trying absorbs it");
    answer(&mut node, now, transaction, &req, 200);
    let first = node.poll_transmit().unwrap();
    feed(&mut node, req.bytes(), now + Duration::from_millis(500));
    assert_eq!(node.poll_transmit().unwrap().payload, first.payload);
    assert!(node.poll_event().is_none());
    assert_eq!(node.stats().retransmitted_requests, 2);
    // A retransmission is matched on its key before validation (the request
    // it repeats passed): one whose other fields went bad still gets the
    // transaction's response, not a 400.
    let text = String::from_utf8(req.bytes().to_vec()).unwrap();
    let damaged = text.replace("Max-Forwards: 70\r\n", "Max-Forwards: lots\r\n");
    assert_ne!(damaged, text);
    feed(
        &mut node,
        damaged.as_bytes(),
        now + Duration::from_millis(600),
    );
    assert_eq!(node.poll_transmit().unwrap().payload, first.payload);
    assert_eq!(node.stats().retransmitted_requests, 3);
    assert_eq!(node.stats().stateless_responses, 0);
}

#[test]
fn rfc2543_requests_match_without_a_branch() {
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let invite = b"INVITE sip:bob@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: old\r\nCSeq: 7 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    let ack = b"ACK sip:bob@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=b1\r\nCall-ID: old\r\nCSeq: 7 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    feed(&mut node, invite, now);
    let Some(Event::Request {
        transaction,
        request,
        ..
    }) = node.poll_event()
    else {
        panic!()
    };
    feed(&mut node, invite, now);
    assert_eq!(node.stats().retransmitted_requests, 1);
    answer(&mut node, now, transaction, &request, 603);
    let _ = node.poll_transmit();
    feed(&mut node, ack, now + Duration::from_millis(10));
    assert_eq!(node.transaction_state(transaction), Some(State::Confirmed));
}

#[test]
fn unanswered_requests_time_out() {
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 6);
    let now = pair.now;
    pair.nodes[0]
        .send_request(now, request("MESSAGE", "m1", "c6"), to_uas())
        .unwrap();
    let invite = pair.nodes[0]
        .send_request(now, request("INVITE", "m2", "c7"), to_uas())
        .unwrap();
    // The server's user never answers. The MESSAGE ends with Timer F; the
    // INVITE got the server transaction's 100 Trying after 200 ms, so it
    // waits in Proceeding, where Timer B no longer runs (RFC 3261 Figure 5;
    // a proxy would run Timer C).
    pair.run(Duration::from_secs(40), |_, _, _, _| {});
    let t = terminations(&pair.events[0]);
    assert_eq!(
        t.iter().map(|(_, r)| *r).collect::<Vec<_>>(),
        [Termination::Timeout(Timer::F)]
    );
    assert_eq!(t[0].0, Duration::from_secs(32));
    assert_eq!(pair.nodes[0].transactions(), 1);
    // The INVITE got 100 Trying from the server transaction after 200 ms.
    let trying = pair.sent[1]
        .iter()
        .filter(|s| MessageRef::parse(&s.payload).unwrap().status() == Some(StatusCode::TRYING))
        .count();
    assert_eq!(trying, 1);
    assert_eq!(
        pair.nodes[0].transaction_state(invite),
        Some(State::Proceeding)
    );
}

#[test]
fn transport_errors_end_the_transaction() {
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let id = node
        .send_request(now, request("OPTIONS", "t1", "c1"), to_uas())
        .unwrap();
    let t = node.poll_transmit().unwrap();
    assert_eq!(t.transaction, Some(id.into()));
    node.handle_transport_error(now, id.into());
    assert!(matches!(
        node.poll_event(),
        Some(Event::Terminated {
            reason: Termination::TransportError,
            ..
        })
    ));
    assert_eq!(node.poll_timeout(), None);
}

#[test]
fn caller_mistakes_are_errors() {
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let ack = request("ACK", "a1", "c1");
    assert_eq!(
        node.send_request(now, ack, to_uas()).unwrap_err(),
        SendError::Ack
    );
    let no_cookie = Message::parse(Bytes::from_static(
        b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=old\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n",
    ))
    .unwrap();
    assert_eq!(
        node.send_request(now, no_cookie, to_uas()).unwrap_err(),
        SendError::NoBranch
    );
    node.send_request(now, request("OPTIONS", "d1", "c1"), to_uas())
        .unwrap();
    assert_eq!(
        node.send_request(now, request("OPTIONS", "d1", "c1"), to_uas())
            .unwrap_err(),
        SendError::DuplicateBranch
    );
    // A response on a client transaction does not compile (ServerId and
    // ClientId are distinct types); on a server transaction that ended, it
    // is refused.
    let mut server = Endpoint::new(EndpointConfig::default());
    let req = request("OPTIONS", "d3", "c3");
    feed(&mut server, req.bytes(), now);
    let Some(Event::Request { transaction, .. }) = server.poll_event() else {
        panic!()
    };
    answer(&mut server, now, transaction, &req, 200);
    let again = req
        .as_ref()
        .response(StatusCode::OK)
        .unwrap()
        .build()
        .unwrap();
    assert!(matches!(
        server.respond(now, transaction, again.clone()),
        Err(imsip::endpoint::RespondError::Transaction(_))
    ));
    server.handle_timeout(now + Duration::from_secs(40));
    assert_eq!(
        server.respond(now, transaction, again),
        Err(imsip::endpoint::RespondError::UnknownTransaction)
    );
}

#[test]
fn responses_for_another_sent_by_are_discarded() {
    // RFC 3261 §18.1.2: the top Via of a response must carry the sent-by
    // the request went out with; host names compare without case and a
    // missing port is the transport's default.
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let text = "OPTIONS sip:bob@127.0.0.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP UAC.example.com;branch=z9hG4bKsb1\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@example.com>;tag=a1\r\n\
To: <sip:bob@127.0.0.2>\r\n\
Call-ID: sb1\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n";
    let id = node
        .send_request(now, Message::parse(Bytes::from(text)).unwrap(), to_uas())
        .unwrap();
    while node.poll_transmit().is_some() {}
    let respond_with = |via: &str| {
        text.replace("OPTIONS sip:bob@127.0.0.2 SIP/2.0", "SIP/2.0 200 OK")
            .replace("Max-Forwards: 70\r\n", "")
            .replace("Via: SIP/2.0/UDP UAC.example.com;branch=z9hG4bKsb1", via)
            .replace("To: <sip:bob@127.0.0.2>", "To: <sip:bob@127.0.0.2>;tag=b1")
    };
    let inbound = |node: &mut Endpoint, data: &str| {
        node.handle_input(
            now,
            Flow::new(Transport::Udp, addr(UAC), addr(UAS)),
            Bytes::copy_from_slice(data.as_bytes()),
        )
    };
    for other in [
        "Via: SIP/2.0/UDP attacker.example.com;branch=z9hG4bKsb1",
        "Via: SIP/2.0/UDP uac.example.com:5070;branch=z9hG4bKsb1",
        "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKsb1",
    ] {
        inbound(&mut node, &respond_with(other));
    }
    assert_eq!(node.stats().misrouted_responses, 3);
    assert!(node.poll_event().is_none());
    assert_eq!(node.transaction_state(id), Some(State::Trying));
    // The same sent-by, another case and the default port written out.
    inbound(
        &mut node,
        &respond_with("Via: SIP/2.0/UDP uac.EXAMPLE.com:5060;branch=z9hG4bKsb1;received=127.0.0.1"),
    );
    assert!(matches!(
        node.poll_event(),
        Some(Event::Response { transaction, .. }) if transaction == id
    ));
    assert_eq!(node.stats().misrouted_responses, 3);
}

#[test]
fn responses_match_whether_or_not_the_via_comes_back_as_sent() {
    // The endpoint matches a response whose top Via is the one sent, octet
    // for octet, without parsing it; any other top Via is parsed. Either
    // way the transaction found is the one the parsed branch and the CSeq
    // method name (RFC 3261 §17.1.3).
    let mut node = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let send = |node: &mut Endpoint, method: &str, via: &str| {
        let text = format!(
            "{method} sip:bob@127.0.0.2 SIP/2.0\r\n\
Via: {via}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@127.0.0.1>;tag=a1\r\n\
To: <sip:bob@127.0.0.2>\r\n\
Call-ID: echo\r\n\
CSeq: 1 {method}\r\n\
Content-Length: 0\r\n\r\n"
        );
        let id = node
            .send_request(now, Message::parse(Bytes::from(text)).unwrap(), to_uas())
            .unwrap();
        while node.poll_transmit().is_some() {}
        id
    };
    let respond = |node: &mut Endpoint, method: &str, via: &str| {
        let text = format!(
            "SIP/2.0 200 OK\r\n\
Via: {via}\r\n\
From: <sip:alice@127.0.0.1>;tag=a1\r\n\
To: <sip:bob@127.0.0.2>;tag=b1\r\n\
Call-ID: echo\r\n\
CSeq: 1 {method}\r\n\
Content-Length: 0\r\n\r\n"
        );
        node.handle_input(
            now,
            Flow::new(Transport::Udp, addr(UAC), addr(UAS)),
            Bytes::from(text),
        );
        match node.poll_event() {
            Some(Event::Response { transaction, .. }) => Some(transaction),
            Some(Event::StrayResponse { .. }) | None => None,
            Some(other) => panic!("unexpected {other:?}"),
        }
    };

    // An INVITE and its CANCEL share a branch: the CSeq method decides,
    // also when the Via is the one sent.
    let via = "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKecho1";
    let invite = send(&mut node, "INVITE", via);
    let cancel = send(&mut node, "CANCEL", via);
    assert_eq!(respond(&mut node, "CANCEL", via), Some(cancel));
    assert_eq!(respond(&mut node, "INVITE", via), Some(invite));

    // Stamped by the server (RFC 3581): parsed, and still found.
    let options = send(
        &mut node,
        "OPTIONS",
        "SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bKecho2",
    );
    let stamped = "SIP/2.0/UDP 127.0.0.1:5060;rport=5060;branch=z9hG4bKecho2;received=127.0.0.1";
    assert_eq!(respond(&mut node, "OPTIONS", stamped), Some(options));

    // A `;branch=` inside a quoted parameter misleads the quick read; the
    // parse finds the real branch.
    let quoted = "SIP/2.0/UDP 127.0.0.1:5060;x=\"a;branch=z9hG4bKecho9\";branch=z9hG4bKecho3";
    let register = send(&mut node, "REGISTER", quoted);
    assert_eq!(respond(&mut node, "REGISTER", quoted), Some(register));

    // The same octets under another method, or a branch no transaction
    // has, are stray.
    let message = send(
        &mut node,
        "MESSAGE",
        "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKecho4",
    );
    let strays = node.stats().stray_responses;
    assert_eq!(
        respond(
            &mut node,
            "INFO",
            "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKecho4"
        ),
        None
    );
    assert_eq!(
        respond(
            &mut node,
            "MESSAGE",
            "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKecho5"
        ),
        None
    );
    assert_eq!(node.stats().stray_responses, strays + 2);
    assert_eq!(node.transaction_state(message), Some(State::Trying));
    // Written differently but the same Via: parsed, and found.
    assert_eq!(
        respond(
            &mut node,
            "MESSAGE",
            "SIP/2.0/UDP 127.0.0.1:5060 ; branch=z9hG4bKecho4"
        ),
        Some(message)
    );
    assert_eq!(node.stats().misrouted_responses, 0);
    assert_eq!(node.stats().dropped_malformed, 0);
}

#[test]
fn extension_methods_have_transactions_like_any_other() {
    // A method the crate does not know is keyed by its name: the request is
    // answered, its retransmission absorbed, the response matched; a known
    // method with the same branch is another transaction.
    let mut pair = Pair::new(EndpointConfig::default(), Network::PERFECT, 5);
    let now = pair.now;
    let foo = pair.nodes[0]
        .send_request(now, request("FOO", "x1", "c9"), to_uas())
        .unwrap();
    let options = pair.nodes[0]
        .send_request(now, request("OPTIONS", "x1", "c9"), to_uas())
        .unwrap();
    assert_ne!(foo, options);
    let mut seen = Vec::new();
    pair.run(Duration::from_secs(60), |node, now, i, e| {
        if let (
            1,
            Event::Request {
                transaction,
                request,
                ..
            },
        ) = (i, e)
        {
            seen.push(request.as_ref().method().unwrap().as_str().to_owned());
            answer(node, now, *transaction, request, 200);
        }
    });
    seen.sort();
    assert_eq!(seen, ["FOO", "OPTIONS"]);
    assert_eq!(statuses(&pair.events[0]), [200, 200]);
    assert_eq!(pair.nodes[0].stats().stray_responses, 0);

    let mut node = Endpoint::new(EndpointConfig::default());
    let req = request("FOO", "x2", "c10");
    feed(&mut node, req.bytes(), now);
    assert!(matches!(node.poll_event(), Some(Event::Request { .. })));
    feed(&mut node, req.bytes(), now);
    assert!(node.poll_event().is_none());
    assert_eq!(node.stats().retransmitted_requests, 1);
}

#[test]
fn a_stateless_answer_is_sent_once_and_forgotten() {
    let mut server = Endpoint::new(EndpointConfig::default());
    let now = Instant::now();
    let req = request("REGISTER", "s1", "c-stateless");
    let from_uac = Flow::new(Transport::Udp, addr(UAS), addr(UAC));
    let next = |server: &mut Endpoint| {
        std::iter::from_fn(|| server.poll_event()).find_map(|e| match e {
            Event::Request { transaction, .. } => Some(transaction),
            _ => None,
        })
    };
    server.handle_input(now, from_uac, req.bytes().clone());
    let id = next(&mut server).unwrap();
    let challenge = req
        .as_ref()
        .response(StatusCode::UNAUTHORIZED)
        .unwrap()
        .to_tag("b1")
        .build()
        .unwrap();
    // A provisional response is not a stateless answer.
    let trying = req
        .as_ref()
        .response(StatusCode::TRYING)
        .unwrap()
        .build()
        .unwrap();
    assert!(matches!(
        server.respond_stateless(now, id, trying),
        Err(imsip::endpoint::RespondError::Unsuitable(_))
    ));
    server.respond_stateless(now, id, challenge).unwrap();
    assert_eq!(status_of(&server.poll_transmit().unwrap()), 401);
    assert_eq!(server.transactions(), 0);
    assert!(server.poll_timeout().is_none(), "nothing to wait for");
    assert!(matches!(
        server.poll_event(),
        Some(Event::Terminated {
            reason: Termination::Completed,
            ..
        })
    ));
    // The retransmission is a new request, answered again.
    server.handle_input(now, from_uac, req.bytes().clone());
    assert!(next(&mut server).is_some());
    assert_eq!(server.stats().retransmitted_requests, 0);
    assert_eq!(server.stats().stateless_responses, 1);
    // An INVITE is refused: its non-2xx response waits for the ACK.
    let invite = request("INVITE", "s2", "c-stateless-2");
    server.handle_input(now, from_uac, invite.bytes().clone());
    let id = next(&mut server).unwrap();
    let busy = invite
        .as_ref()
        .response(StatusCode::BUSY_HERE)
        .unwrap()
        .build()
        .unwrap();
    assert!(matches!(
        server.respond_stateless(now, id, busy),
        Err(imsip::endpoint::RespondError::Unsuitable(_))
    ));
}
