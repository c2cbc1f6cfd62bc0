//! Exact timer schedules of the four transaction machines in virtual time
//! (RFC 3261 §17, Table 4; RFC 6026): what is sent at which instant, and
//! when and why each machine ends. Time only moves when a test moves it.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::transaction::{
    ClientInvite, ClientNonInvite, Disposition, ServerInvite, ServerNonInvite, State, Termination,
    Timer, TimerConfig, Transaction,
};
use imsip::{Message, MessageRef, StatusCode};

const MS: fn(u64) -> Duration = Duration::from_millis;

fn invite() -> Message {
    Message::parse(Bytes::from_static(common::INVITE)).unwrap()
}

fn response(status: u16, to_tag: bool) -> Message {
    let req = invite();
    let mut b = req
        .as_ref()
        .response(StatusCode::new(status).unwrap())
        .unwrap();
    if to_tag {
        b = b.to_tag("a6c85cf");
    }
    b.build().unwrap()
}

/// Drives a machine by jumping to each deadline until it terminates or
/// `horizon` passes; returns the instants (from `t0`) of every transmit.
macro_rules! run {
    ($tx:expr, $t0:expr, $horizon:expr) => {{
        let mut sent = Vec::new();
        while let Some(b) = $tx.poll_transmit() {
            sent.push((Duration::ZERO, b));
        }
        while let Some(at) = $tx.poll_timeout() {
            if at - $t0 > $horizon {
                break;
            }
            $tx.handle_timeout(at);
            while let Some(b) = $tx.poll_transmit() {
                sent.push((at - $t0, b));
            }
        }
        sent
    }};
}

fn millis(sent: &[(Duration, Bytes)]) -> Vec<u128> {
    sent.iter().map(|(d, _)| d.as_millis()).collect()
}

#[test]
fn client_non_invite_over_udp_retransmits_until_timer_f() {
    let t0 = Instant::now();
    let req = Bytes::from_static(common::OPTIONS);
    let bytes = req.clone();
    let mut tx = ClientNonInvite::new(t0, req, false, TimerConfig::default());
    let sent = run!(tx, t0, Duration::from_secs(60));
    // E: 0, 0.5, 1.5, 3.5, 7.5 then every 4 s (T2) until F at 32 s.
    assert_eq!(
        millis(&sent),
        [
            0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500
        ]
    );
    assert!(sent.iter().all(|(_, b)| *b == bytes));
    assert_eq!(tx.state(), State::Terminated);
    assert_eq!(tx.termination(), Some(Termination::Timeout(Timer::F)));
}

#[test]
fn client_non_invite_in_proceeding_retransmits_every_t2() {
    let t0 = Instant::now();
    let req = Bytes::from_static(common::OPTIONS);
    let mut tx = ClientNonInvite::new(t0, req, false, TimerConfig::default());
    let _ = tx.poll_transmit();
    tx.handle_timeout(t0 + MS(500));
    let _ = tx.poll_transmit();
    // A 100 at 1 s: the next E (due at 1.5 s) stays, then T2 apart.
    assert_eq!(
        tx.handle_response(t0 + MS(1000), StatusCode::TRYING),
        Disposition::PassUp
    );
    assert_eq!(tx.state(), State::Proceeding);
    let sent = run!(tx, t0, Duration::from_secs(12));
    assert_eq!(millis(&sent), [1500, 5500, 9500]);
    // The final response at 12 s: Timer K is T4.
    let t = t0 + Duration::from_secs(12);
    assert_eq!(tx.handle_response(t, StatusCode::OK), Disposition::PassUp);
    assert_eq!(tx.state(), State::Completed);
    assert_eq!(tx.poll_timeout(), Some(t + Duration::from_secs(5)));
    // A retransmitted 200 is absorbed.
    assert_eq!(
        tx.handle_response(t + MS(10), StatusCode::OK),
        Disposition::Absorbed
    );
    tx.handle_timeout(t + Duration::from_secs(5));
    assert_eq!(tx.termination(), Some(Termination::Completed));
    assert_eq!(tx.poll_timeout(), None);
}

#[test]
fn client_non_invite_over_tcp_has_no_e_and_no_k() {
    let t0 = Instant::now();
    let req = Bytes::from_static(common::OPTIONS);
    let mut tx = ClientNonInvite::new(t0, req, true, TimerConfig::default());
    assert!(tx.poll_transmit().is_some());
    assert_eq!(tx.poll_timeout(), Some(t0 + Duration::from_secs(32)));
    assert_eq!(
        tx.handle_response(t0 + MS(20), StatusCode::OK),
        Disposition::PassUp
    );
    assert_eq!(tx.state(), State::Terminated);
    assert_eq!(tx.termination(), Some(Termination::Completed));
}

#[test]
fn client_invite_doubles_without_cap_until_timer_b() {
    let t0 = Instant::now();
    let mut tx = ClientInvite::new(t0, invite(), false, TimerConfig::default());
    let sent = run!(tx, t0, Duration::from_secs(60));
    // A: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5; B at 32 s.
    assert_eq!(millis(&sent), [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!(tx.termination(), Some(Termination::Timeout(Timer::B)));
}

#[test]
fn client_invite_acknowledges_a_failure_and_each_retransmission() {
    let t0 = Instant::now();
    let mut tx = ClientInvite::new(t0, invite(), false, TimerConfig::default());
    let _ = tx.poll_transmit();
    let ringing = response(180, true);
    assert_eq!(
        tx.handle_response(t0 + MS(100), &ringing.as_ref()),
        Disposition::PassUp
    );
    // Proceeding: no A, no B.
    assert_eq!(tx.poll_timeout(), None);
    let busy = response(486, true);
    let t = t0 + Duration::from_secs(60);
    assert_eq!(tx.handle_response(t, &busy.as_ref()), Disposition::PassUp);
    assert_eq!(tx.state(), State::Completed);
    let ack = tx.poll_transmit().expect("ACK");
    let ack_msg = MessageRef::parse(&ack).unwrap();
    assert_eq!(ack_msg.method(), Some(imsip::Method::Ack));
    assert_eq!(ack_msg.to_tag().unwrap(), Some("a6c85cf"));
    assert_eq!(
        ack_msg.cseq().unwrap().seq,
        invite().as_ref().cseq().unwrap().seq
    );
    // The 486 again: the same ACK again, nothing up.
    assert_eq!(
        tx.handle_response(t + MS(500), &busy.as_ref()),
        Disposition::Absorbed
    );
    assert_eq!(tx.poll_transmit(), Some(ack));
    // Timer D: 32 s.
    assert_eq!(tx.poll_timeout(), Some(t + Duration::from_secs(32)));
    tx.handle_timeout(t + Duration::from_secs(32));
    assert_eq!(tx.termination(), Some(Termination::Completed));
}

#[test]
fn client_invite_accepted_passes_every_2xx_until_timer_m() {
    let t0 = Instant::now();
    let mut tx = ClientInvite::new(t0, invite(), false, TimerConfig::default());
    let _ = tx.poll_transmit();
    let ok = response(200, true);
    assert_eq!(
        tx.handle_response(t0 + MS(700), &ok.as_ref()),
        Disposition::PassUp
    );
    assert_eq!(tx.state(), State::Accepted);
    // No ACK from the transaction for a 2xx; no more INVITE retransmissions.
    assert_eq!(tx.poll_transmit(), None);
    assert_eq!(
        tx.handle_response(t0 + MS(900), &ok.as_ref()),
        Disposition::PassUp
    );
    let late_ringing = response(180, true);
    assert_eq!(
        tx.handle_response(t0 + MS(950), &late_ringing.as_ref()),
        Disposition::Absorbed
    );
    assert_eq!(
        tx.poll_timeout(),
        Some(t0 + MS(700) + Duration::from_secs(32))
    );
    tx.handle_timeout(t0 + MS(700) + Duration::from_secs(32));
    assert_eq!(tx.termination(), Some(Termination::Completed));
}

#[test]
fn server_invite_sends_100_after_200_ms_and_retransmits_a_failure() {
    let t0 = Instant::now();
    let mut tx = ServerInvite::new(t0, invite(), false, TimerConfig::default());
    assert_eq!(tx.poll_timeout(), Some(t0 + MS(200)));
    tx.handle_timeout(t0 + MS(200));
    let trying = tx.poll_transmit().expect("100 Trying");
    assert_eq!(
        MessageRef::parse(&trying).unwrap().status(),
        Some(StatusCode::TRYING)
    );
    // The INVITE again: the 100 again.
    assert_eq!(tx.handle_request(t0 + MS(300)), Disposition::Absorbed);
    assert_eq!(tx.poll_transmit(), Some(trying));

    let busy = response(486, true);
    let t = t0 + Duration::from_secs(1);
    tx.send_response(t, &busy).unwrap();
    assert_eq!(tx.state(), State::Completed);
    let mut sent = vec![(Duration::ZERO, tx.poll_transmit().unwrap())];
    // G: T1, doubling, capped at T2, until H at 64·T1.
    while let Some(at) = tx.poll_timeout() {
        tx.handle_timeout(at);
        while let Some(b) = tx.poll_transmit() {
            sent.push((at - t, b));
        }
    }
    assert_eq!(
        millis(&sent),
        [
            0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500
        ]
    );
    assert!(sent.iter().all(|(_, b)| b == busy.bytes()));
    assert_eq!(tx.termination(), Some(Termination::Timeout(Timer::H)));
}

#[test]
fn server_invite_ack_confirms_then_timer_i() {
    let t0 = Instant::now();
    let mut tx = ServerInvite::new(t0, invite(), false, TimerConfig::default());
    tx.send_response(t0 + MS(50), &response(180, true)).unwrap();
    // The user answered first: no 100 of the transaction's own.
    tx.handle_timeout(t0 + MS(200));
    assert_eq!(
        tx.poll_transmit().map(|b| b.len()),
        Some(response(180, true).len())
    );
    assert_eq!(tx.poll_transmit(), None);
    tx.send_response(t0 + MS(100), &response(603, true))
        .unwrap();
    let _ = tx.poll_transmit();
    assert!(
        tx.send_response(t0 + MS(150), &response(200, true))
            .is_err()
    );
    assert_eq!(tx.handle_ack(t0 + MS(400)), Disposition::Absorbed);
    assert_eq!(tx.state(), State::Confirmed);
    // No G after the ACK; I is T4.
    assert_eq!(
        tx.poll_timeout(),
        Some(t0 + MS(400) + Duration::from_secs(5))
    );
    assert_eq!(tx.handle_ack(t0 + MS(500)), Disposition::Absorbed);
    tx.handle_timeout(t0 + MS(400) + Duration::from_secs(5));
    assert_eq!(tx.termination(), Some(Termination::Completed));
}

#[test]
fn server_invite_accepted_passes_acks_up_until_timer_l() {
    let t0 = Instant::now();
    let mut tx = ServerInvite::new(t0, invite(), true, TimerConfig::default());
    let ok = response(200, true);
    tx.send_response(t0 + MS(10), &ok).unwrap();
    assert_eq!(tx.state(), State::Accepted);
    assert_eq!(tx.poll_transmit().as_ref(), Some(ok.bytes()));
    // The user's own 2xx retransmission goes out; the INVITE again is absorbed.
    tx.send_response(t0 + MS(510), &ok).unwrap();
    assert_eq!(tx.poll_transmit().as_ref(), Some(ok.bytes()));
    assert_eq!(tx.handle_request(t0 + MS(600)), Disposition::Absorbed);
    assert_eq!(tx.poll_transmit(), None);
    assert_eq!(tx.handle_ack(t0 + MS(700)), Disposition::PassUp);
    assert!(
        tx.send_response(t0 + MS(800), &response(486, true))
            .is_err()
    );
    // L is 64·T1 even over TCP.
    assert_eq!(
        tx.poll_timeout(),
        Some(t0 + MS(10) + Duration::from_secs(32))
    );
    tx.handle_timeout(t0 + MS(10) + Duration::from_secs(32));
    assert_eq!(tx.termination(), Some(Termination::Completed));
}

#[test]
fn server_non_invite_answers_retransmissions_until_timer_j() {
    let t0 = Instant::now();
    let mut tx = ServerNonInvite::new(false, TimerConfig::default());
    assert_eq!(tx.handle_request(t0), Disposition::Absorbed);
    assert_eq!(
        tx.poll_transmit(),
        None,
        "Trying: retransmissions are absorbed"
    );
    let ok = response(200, true);
    tx.send_response(t0 + MS(30), &ok).unwrap();
    assert_eq!(tx.poll_transmit().as_ref(), Some(ok.bytes()));
    assert!(tx.send_response(t0 + MS(40), &ok).is_err());
    assert_eq!(tx.handle_request(t0 + MS(500)), Disposition::Absorbed);
    assert_eq!(tx.poll_transmit().as_ref(), Some(ok.bytes()));
    assert_eq!(
        tx.poll_timeout(),
        Some(t0 + MS(30) + Duration::from_secs(32))
    );
    tx.handle_timeout(t0 + MS(30) + Duration::from_secs(32));
    assert_eq!(tx.termination(), Some(Termination::Completed));

    // Over TCP the final response ends it at once.
    let mut tcp = ServerNonInvite::new(true, TimerConfig::default());
    tcp.send_response(t0, &response(100, false)).unwrap();
    assert_eq!(tcp.state(), State::Proceeding);
    tcp.send_response(t0, &ok).unwrap();
    assert_eq!(tcp.termination(), Some(Termination::Completed));
}

#[test]
fn transport_errors_end_every_machine() {
    let t0 = Instant::now();
    let mut a = ClientInvite::new(t0, invite(), false, TimerConfig::default());
    a.handle_transport_error();
    let mut b = ClientNonInvite::new(
        t0,
        Bytes::from_static(common::OPTIONS),
        false,
        TimerConfig::default(),
    );
    b.handle_transport_error();
    let mut c = ServerInvite::new(t0, invite(), false, TimerConfig::default());
    c.handle_transport_error();
    let mut d = ServerNonInvite::new(false, TimerConfig::default());
    d.handle_transport_error();
    for t in [
        a.termination(),
        b.termination(),
        c.termination(),
        d.termination(),
    ] {
        assert_eq!(t, Some(Termination::TransportError));
    }
    assert_eq!(a.poll_timeout(), None);
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn custom_timers_scale_the_schedule() {
    let t0 = Instant::now();
    let timers = TimerConfig {
        t1: MS(100),
        t2: MS(400),
        t4: MS(1000),
        trying: MS(200),
    };
    let mut tx = ClientNonInvite::new(t0, Bytes::from_static(common::OPTIONS), false, timers);
    let sent = run!(tx, t0, Duration::from_secs(10));
    assert_eq!(
        millis(&sent),
        [
            0, 100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100,
            5500, 5900, 6300
        ]
    );
    assert_eq!(tx.termination(), Some(Termination::Timeout(Timer::F)));
}
