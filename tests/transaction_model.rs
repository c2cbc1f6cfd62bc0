//! Model-based property tests: each transaction machine against a small
//! reference model written straight from the RFC 3261 §17 text (and RFC
//! 6026), fed the same random sequence of inputs: time passing, responses
//! or requests arriving, the user answering, transport errors. After every
//! step the machine and the model must agree on the state, on what was
//! passed up, on how many messages went out and on how it ended.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::transaction::{
    ClientInvite, ClientNonInvite, Disposition, ServerInvite, ServerNonInvite, State, Termination,
    Timer, TimerConfig, Transaction,
};
use imsip::{Message, StatusCode};
use proptest::prelude::*;

const T1: Duration = Duration::from_millis(500);
const T2: Duration = Duration::from_secs(4);
const T4: Duration = Duration::from_secs(5);

#[derive(Clone, Debug)]
enum Input {
    /// Time passes (milliseconds), then `handle_timeout`.
    Wait(u64),
    /// A response (client) or the user's response (server) with this code.
    Status(u16),
    /// The request again (server).
    Retransmission,
    /// An ACK (server INVITE).
    Ack,
    /// The transport failed.
    TransportError,
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => (1u64..6000).prop_map(Input::Wait),
        3 => prop_oneof![Just(100u16), Just(180), Just(200), Just(202), Just(302), Just(486), Just(503)]
            .prop_map(Input::Status),
        1 => Just(Input::Retransmission),
        1 => Just(Input::Ack),
        1 => Just(Input::TransportError),
    ]
}

fn invite() -> Message {
    Message::parse(Bytes::from_static(common::INVITE)).unwrap()
}

fn response(code: u16) -> Message {
    invite()
        .as_ref()
        .response(StatusCode::new(code).unwrap())
        .unwrap()
        .to_tag("m1")
        .build()
        .unwrap()
}

/// A timer that fires at `at`, then keeps firing at an interval that
/// doubles (capped, when `cap` is set).
#[derive(Clone, Copy, Debug)]
struct Retransmit {
    at: Instant,
    interval: Duration,
    cap: Option<Duration>,
}

impl Retransmit {
    /// How many times it fires up to `now`; moves past them.
    fn fires(&mut self, now: Instant) -> usize {
        let mut n = 0;
        while self.at <= now {
            n += 1;
            self.interval = match self.cap {
                Some(c) => (self.interval * 2).min(c),
                None => self.interval * 2,
            };
            self.at += self.interval;
        }
        n.min(1) // a late call sends once
    }
}

/// The shared shape of the four models.
#[derive(Clone, Debug)]
struct Model {
    state: State,
    end: Option<Termination>,
    retransmit: Option<Retransmit>,
    /// (instant, timer, what ends there).
    deadlines: Vec<(Instant, Timer, Termination)>,
    reliable: bool,
    /// Something to resend on a retransmitted request / final response.
    has_response: bool,
}

impl Model {
    fn new(state: State, reliable: bool) -> Model {
        Model {
            state,
            end: None,
            retransmit: None,
            deadlines: Vec::new(),
            reliable,
            has_response: false,
        }
    }

    fn terminate(&mut self, why: Termination) {
        self.state = State::Terminated;
        self.end = Some(why);
        self.retransmit = None;
        self.deadlines.clear();
    }

    /// Starts a wait that ends the transaction with `why`; zero ends it now.
    fn wait(&mut self, now: Instant, d: Duration, timer: Timer, why: Termination) {
        if d.is_zero() {
            self.terminate(why);
        } else {
            self.deadlines.push((now + d, timer, why));
        }
    }

    /// Deadlines due: the earliest due one ends the transaction.
    fn expire(&mut self, now: Instant) {
        let due = self
            .deadlines
            .iter()
            .filter(|(at, _, _)| *at <= now)
            .min_by_key(|(at, _, _)| *at)
            .copied();
        if let Some((_, _, why)) = due {
            self.terminate(why);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn client_non_invite(reliable in any::<bool>(), inputs in proptest::collection::vec(input(), 1..40)) {
        let t0 = Instant::now();
        let timers = TimerConfig::default();
        let mut tx = ClientNonInvite::new(t0, Bytes::from_static(common::OPTIONS), reliable, timers);
        let mut m = Model::new(State::Trying, reliable);
        if !reliable {
            m.retransmit = Some(Retransmit { at: t0 + T1, interval: T1, cap: Some(T2) });
        }
        m.deadlines.push((t0 + 64 * T1, Timer::F, Termination::Timeout(Timer::F)));
        prop_assert!(tx.poll_transmit().is_some());
        let mut now = t0;
        for i in inputs {
            let mut sends = 0;
            let mut up = None;
            match i {
                Input::Wait(ms) => {
                    now += Duration::from_millis(ms);
                    tx.handle_timeout(now);
                    // A transaction that times out sends nothing more.
                    m.expire(now);
                    if let Some(r) = &mut m.retransmit {
                        sends = r.fires(now);
                    }
                }
                Input::Status(code) => {
                    let s = StatusCode::new(code).unwrap();
                    let d = tx.handle_response(now, s);
                    up = Some(d);
                    match m.state {
                        State::Trying | State::Proceeding if s.is_provisional() => {
                            m.state = State::Proceeding;
                            if let Some(r) = &mut m.retransmit {
                                r.interval = T2;
                                r.cap = Some(T2);
                            }
                            prop_assert_eq!(d, Disposition::PassUp);
                        }
                        State::Trying | State::Proceeding => {
                            m.state = State::Completed;
                            m.retransmit = None;
                            m.deadlines.clear();
                            let k = if m.reliable { Duration::ZERO } else { T4 };
                            m.wait(now, k, Timer::K, Termination::Completed);
                            prop_assert_eq!(d, Disposition::PassUp);
                        }
                        _ => prop_assert_eq!(d, Disposition::Absorbed),
                    }
                }
                Input::TransportError => {
                    tx.handle_transport_error();
                    if m.state != State::Terminated {
                        m.terminate(Termination::TransportError);
                    }
                }
                Input::Retransmission | Input::Ack => continue,
            }
            let mut sent = 0;
            while tx.poll_transmit().is_some() {
                sent += 1;
            }
            prop_assert_eq!(tx.state(), m.state, "after {:?}", up);
            prop_assert_eq!(tx.termination(), m.end);
            prop_assert_eq!(sent, sends);
            if m.state == State::Terminated {
                prop_assert_eq!(tx.poll_timeout(), None);
            }
        }
    }

    #[test]
    fn client_invite(reliable in any::<bool>(), inputs in proptest::collection::vec(input(), 1..40)) {
        let t0 = Instant::now();
        let timers = TimerConfig::default();
        let mut tx = ClientInvite::new(t0, invite(), reliable, timers);
        let mut m = Model::new(State::Calling, reliable);
        if !reliable {
            m.retransmit = Some(Retransmit { at: t0 + T1, interval: T1, cap: None });
        }
        m.deadlines.push((t0 + 64 * T1, Timer::B, Termination::Timeout(Timer::B)));
        prop_assert!(tx.poll_transmit().is_some());
        let mut now = t0;
        for i in inputs {
            let mut sends = 0;
            match i {
                Input::Wait(ms) => {
                    now += Duration::from_millis(ms);
                    tx.handle_timeout(now);
                    m.expire(now);
                    if m.state == State::Calling
                        && let Some(r) = &mut m.retransmit
                    {
                        sends = r.fires(now);
                    }
                }
                Input::Status(code) => {
                    let s = StatusCode::new(code).unwrap();
                    let d = tx.handle_response(now, &response(code).as_ref());
                    match m.state {
                        State::Calling | State::Proceeding => {
                            m.retransmit = None;
                            m.deadlines.clear();
                            if s.is_provisional() {
                                m.state = State::Proceeding;
                            } else if s.is_success() {
                                m.state = State::Accepted;
                                m.wait(now, 64 * T1, Timer::M, Termination::Completed);
                            } else {
                                m.state = State::Completed;
                                sends = 1; // the ACK
                                let dd = if m.reliable { Duration::ZERO } else { 64 * T1 };
                                m.wait(now, dd, Timer::D, Termination::Completed);
                            }
                            prop_assert_eq!(d, Disposition::PassUp);
                        }
                        State::Accepted if s.is_success() => prop_assert_eq!(d, Disposition::PassUp),
                        State::Completed if s.is_final() && !s.is_success() => {
                            sends = 1; // the ACK again
                            prop_assert_eq!(d, Disposition::Absorbed);
                        }
                        _ => prop_assert_eq!(d, Disposition::Absorbed),
                    }
                }
                Input::TransportError => {
                    tx.handle_transport_error();
                    if m.state != State::Terminated {
                        m.terminate(Termination::TransportError);
                    }
                }
                Input::Retransmission | Input::Ack => continue,
            }
            let mut sent = 0;
            while tx.poll_transmit().is_some() {
                sent += 1;
            }
            prop_assert_eq!(tx.state(), m.state);
            prop_assert_eq!(tx.termination(), m.end);
            prop_assert_eq!(sent, sends);
        }
    }

    #[test]
    fn server_non_invite(reliable in any::<bool>(), inputs in proptest::collection::vec(input(), 1..40)) {
        let t0 = Instant::now();
        let mut tx = ServerNonInvite::new(reliable, TimerConfig::default());
        let mut m = Model::new(State::Trying, reliable);
        let mut now = t0;
        for i in inputs {
            let mut sends = 0;
            match i {
                Input::Wait(ms) => {
                    now += Duration::from_millis(ms);
                    tx.handle_timeout(now);
                    m.expire(now);
                }
                Input::Status(code) => {
                    let s = StatusCode::new(code).unwrap();
                    let r = tx.send_response(now, &response(code));
                    match m.state {
                        State::Trying | State::Proceeding => {
                            prop_assert!(r.is_ok());
                            sends = 1;
                            m.has_response = true;
                            if s.is_provisional() {
                                m.state = State::Proceeding;
                            } else {
                                m.state = State::Completed;
                                let j = if m.reliable { Duration::ZERO } else { 64 * T1 };
                                m.wait(now, j, Timer::J, Termination::Completed);
                            }
                        }
                        _ => prop_assert!(r.is_err()),
                    }
                }
                Input::Retransmission => {
                    prop_assert_eq!(tx.handle_request(now), Disposition::Absorbed);
                    if matches!(m.state, State::Proceeding | State::Completed) {
                        sends = 1;
                    }
                }
                Input::TransportError => {
                    tx.handle_transport_error();
                    if m.state != State::Terminated {
                        m.terminate(Termination::TransportError);
                    }
                }
                Input::Ack => continue,
            }
            let mut sent = 0;
            while tx.poll_transmit().is_some() {
                sent += 1;
            }
            prop_assert_eq!(tx.state(), m.state);
            prop_assert_eq!(tx.termination(), m.end);
            prop_assert_eq!(sent, sends);
        }
    }

    #[test]
    fn server_invite(reliable in any::<bool>(), inputs in proptest::collection::vec(input(), 1..40)) {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, invite(), reliable, TimerConfig::default());
        let mut m = Model::new(State::Proceeding, reliable);
        let mut trying_at = Some(t0 + Duration::from_millis(200));
        let mut now = t0;
        for i in inputs {
            let mut sends = 0;
            match i {
                Input::Wait(ms) => {
                    now += Duration::from_millis(ms);
                    tx.handle_timeout(now);
                    if let Some(t) = trying_at
                        && t <= now
                    {
                        trying_at = None;
                        if m.state == State::Proceeding && !m.has_response {
                            sends += 1;
                            m.has_response = true;
                        }
                    }
                    m.expire(now);
                    if m.state == State::Completed
                        && let Some(r) = &mut m.retransmit
                    {
                        sends += r.fires(now);
                    }
                }
                Input::Status(code) => {
                    let s = StatusCode::new(code).unwrap();
                    let r = tx.send_response(now, &response(code));
                    match m.state {
                        State::Proceeding => {
                            prop_assert!(r.is_ok());
                            sends = 1;
                            m.has_response = true;
                            trying_at = None;
                            if s.is_success() {
                                m.state = State::Accepted;
                                m.wait(now, 64 * T1, Timer::L, Termination::Completed);
                            } else if s.is_final() {
                                m.state = State::Completed;
                                if !m.reliable {
                                    m.retransmit = Some(Retransmit { at: now + T1, interval: T1, cap: Some(T2) });
                                }
                                m.deadlines.push((now + 64 * T1, Timer::H, Termination::Timeout(Timer::H)));
                            }
                        }
                        State::Accepted if s.is_success() => {
                            prop_assert!(r.is_ok());
                            sends = 1;
                        }
                        _ => prop_assert!(r.is_err()),
                    }
                }
                Input::Retransmission => {
                    prop_assert_eq!(tx.handle_request(now), Disposition::Absorbed);
                    if matches!(m.state, State::Proceeding | State::Completed) && m.has_response {
                        sends = 1;
                    }
                }
                Input::Ack => {
                    let d = tx.handle_ack(now);
                    match m.state {
                        State::Completed => {
                            prop_assert_eq!(d, Disposition::Absorbed);
                            m.state = State::Confirmed;
                            m.retransmit = None;
                            m.deadlines.clear();
                            let i = if m.reliable { Duration::ZERO } else { T4 };
                            m.wait(now, i, Timer::I, Termination::Completed);
                        }
                        State::Accepted => prop_assert_eq!(d, Disposition::PassUp),
                        _ => prop_assert_eq!(d, Disposition::Absorbed),
                    }
                }
                Input::TransportError => {
                    tx.handle_transport_error();
                    if m.state != State::Terminated {
                        m.terminate(Termination::TransportError);
                    }
                }
            }
            let mut sent = 0;
            while tx.poll_transmit().is_some() {
                sent += 1;
            }
            prop_assert_eq!(tx.state(), m.state);
            prop_assert_eq!(tx.termination(), m.end);
            prop_assert_eq!(sent, sends);
        }
    }
}
