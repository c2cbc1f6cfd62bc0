//! The transaction layer of [RFC 3261 §17](https://www.rfc-editor.org/rfc/rfc3261#section-17),
//! with the corrections of [RFC 6026](https://www.rfc-editor.org/rfc/rfc6026)
//! (the Accepted state and Timers L and M).
//!
//! Four state machines, one per file, each the RFC figure in code:
//!
//! | machine | RFC | timers |
//! |---|---|---|
//! | [`ClientInvite`] | Figure 5, RFC 6026 Figure 3 | A, B, D, M |
//! | [`ClientNonInvite`] | Figure 6 | E, F, K |
//! | [`ServerInvite`] | Figure 7, RFC 6026 Figure 5 | G, H, I, L, and the 200 ms 100 Trying |
//! | [`ServerNonInvite`] | Figure 8 | J |
//!
//! Each machine is sans-IO like the rest of the crate: it owns the encoded
//! messages it may have to send again (as [`bytes::Bytes`], so a
//! retransmission is a reference-count bump), takes the time as an argument,
//! and is drained with the same verbs as every stateful layer, those of
//! the [`Transaction`] trait the four share: `handle_timeout` and
//! `handle_transport_error` for inputs, `poll_transmit` for what to send,
//! `poll_timeout` for when to call `handle_timeout` next, and `state` /
//! `termination` to see where it stands; each adds the inputs of its kind
//! (`handle_response`, `send_response`, ...). The
//! [`endpoint`](crate::endpoint) matches messages to machines and drives
//! them; a vendor with its own transport layer can drive them directly.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use bytes::Bytes;
//! use imsip::transaction::{ClientNonInvite, State, Termination, Timer, TimerConfig, Transaction};
//!
//! let t0 = Instant::now();
//! let request = Bytes::from_static(b"OPTIONS sip:b@example.com SIP/2.0\r\n...");
//! let sent = request.clone();
//! // Over UDP: sent now, again after T1, 2·T1, 4·T1, ... capped at T2.
//! let mut tx = ClientNonInvite::new(t0, request, false, TimerConfig::default());
//! assert_eq!(tx.poll_transmit(), Some(sent.clone()));
//! assert_eq!(tx.poll_timeout(), Some(t0 + Duration::from_millis(500)));
//! tx.handle_timeout(t0 + Duration::from_millis(500));
//! assert_eq!(tx.poll_transmit(), Some(sent));
//! assert_eq!(tx.poll_timeout(), Some(t0 + Duration::from_millis(1500)));
//!
//! // No answer for 64·T1: Timer F.
//! tx.handle_timeout(t0 + Duration::from_secs(32));
//! assert_eq!(tx.state(), State::Terminated);
//! assert_eq!(tx.termination(), Some(Termination::Timeout(Timer::F)));
//! assert_eq!(tx.poll_timeout(), None);
//! ```

mod client_invite;
mod client_non_invite;
mod server_invite;
mod server_non_invite;

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;

use sealed::Core;

/// The part of [`sealed::Machine`] that is the same for every machine:
/// where its [`Core`] is.
macro_rules! machine_core {
    () => {
        fn core(&self) -> &Core {
            &self.core
        }

        fn core_mut(&mut self) -> &mut Core {
            &mut self.core
        }
    };
}

use machine_core;

pub use client_invite::ClientInvite;
pub use client_non_invite::ClientNonInvite;
pub use server_invite::ServerInvite;
pub use server_non_invite::ServerNonInvite;

/// The timer values of RFC 3261 §17.1.1.1 and Table 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerConfig {
    /// T1, the round-trip time estimate: 500 ms by default.
    pub t1: Duration,
    /// T2, the longest retransmission interval for non-INVITE requests and
    /// INVITE responses: 4 s by default.
    pub t2: Duration,
    /// T4, the longest time a message stays in the network: 5 s by default.
    pub t4: Duration,
    /// How long a server INVITE transaction waits for the user's first
    /// response before it sends 100 Trying itself (RFC 3261 §17.2.1): 200 ms.
    pub trying: Duration,
}

impl TimerConfig {
    /// The values RFC 3261 recommends.
    pub const RFC3261: TimerConfig = TimerConfig {
        t1: Duration::from_millis(500),
        t2: Duration::from_secs(4),
        t4: Duration::from_secs(5),
        trying: Duration::from_millis(200),
    };

    /// 64·T1: Timers B, F, H, J, L and M.
    pub fn t1x64(&self) -> Duration {
        self.t1.saturating_mul(64)
    }

    /// Timer D for an unreliable transport: at least 32 s (RFC 3261
    /// Table 4), and never shorter than 64·T1.
    pub fn timer_d(&self) -> Duration {
        self.t1x64().max(Duration::from_secs(32))
    }
}

impl Default for TimerConfig {
    fn default() -> Self {
        TimerConfig::RFC3261
    }
}

/// The timers of RFC 3261 §17 and RFC 6026 (Table 4 of RFC 3261).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Timer {
    /// INVITE request retransmission (client, unreliable transports).
    A,
    /// INVITE transaction timeout (client).
    B,
    /// Wait time for response retransmissions (client INVITE, Completed).
    D,
    /// Non-INVITE request retransmission (client, unreliable transports).
    E,
    /// Non-INVITE transaction timeout (client).
    F,
    /// INVITE final response retransmission (server, unreliable transports).
    G,
    /// Wait time for the ACK (server INVITE, Completed).
    H,
    /// Wait time for ACK retransmissions (server INVITE, Confirmed).
    I,
    /// Wait time for request retransmissions (server non-INVITE, Completed).
    J,
    /// Wait time for response retransmissions (client non-INVITE, Completed).
    K,
    /// Wait time for INVITE retransmissions after a 2xx (server, Accepted;
    /// RFC 6026).
    L,
    /// Wait time for 2xx retransmissions (client, Accepted; RFC 6026).
    M,
}

impl fmt::Display for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timer {self:?}")
    }
}

/// The states of the four machines (each uses some of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// Client INVITE: the request is out, no response yet.
    Calling,
    /// Non-INVITE: the request is out (client) or in (server), no
    /// response yet.
    Trying,
    /// A provisional response was received (client) or sent (server).
    Proceeding,
    /// A 2xx to an INVITE was received or sent (RFC 6026).
    Accepted,
    /// A final response (non-2xx for INVITE) was received or sent.
    Completed,
    /// Server INVITE: the ACK for a non-2xx final response arrived.
    Confirmed,
    /// Done: the transaction is to be forgotten.
    Terminated,
}

/// Why a transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Termination {
    /// The exchange finished as the RFC describes (including the wait for
    /// retransmissions after the final response).
    Completed,
    /// A timer ran out before the peer answered: Timer B or F on a client
    /// (the user sees it as 408, RFC 3261 §8.1.3.1), Timer H on a server
    /// INVITE (no ACK came).
    Timeout(Timer),
    /// The transport reported that a message could not be sent (RFC 3261
    /// §17.1.4, §17.2.4).
    TransportError,
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Termination::Completed => f.write_str("completed"),
            Termination::Timeout(t) => write!(f, "timed out ({t})"),
            Termination::TransportError => f.write_str("transport error"),
        }
    }
}

/// What the machine did with a message handed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Disposition {
    /// Hand the message to the user (transaction user, RFC 3261 §17).
    PassUp,
    /// The machine absorbed it (a retransmission, or a message the RFC
    /// says to discard in this state).
    Absorbed,
}

/// Why a server transaction refused a response from its user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The transaction has already sent its final response (for an INVITE:
    /// only 2xx may follow a 2xx, RFC 6026), or has terminated.
    #[error("the transaction is in state {0:?} and cannot send this response")]
    InvalidState(State),
    /// The message is not a response (or has no status code).
    #[error("not a response")]
    NotAResponse,
}

/// A retransmission timer: fires at `at`, then after an interval that
/// doubles, up to `cap` when there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Backoff {
    at: Instant,
    interval: Duration,
    cap: Option<Duration>,
}

impl Backoff {
    fn new(now: Instant, first: Duration, cap: Option<Duration>) -> Backoff {
        Backoff {
            at: now + first,
            interval: first,
            cap,
        }
    }

    /// Moves to the next expiry: interval doubled (capped).
    fn advance(&mut self) {
        let doubled = self.interval.saturating_mul(2);
        self.interval = match self.cap {
            Some(cap) => doubled.min(cap),
            None => doubled,
        };
        self.at += self.interval;
    }
}

/// Messages waiting to be sent, in order: `first`, then `rest`. A machine
/// usually has one at a time, which needs no allocation; `first` is empty
/// only when `rest` is.
#[derive(Clone, Debug, Default)]
struct Outbox {
    first: Option<Bytes>,
    rest: VecDeque<Bytes>,
}

impl Outbox {
    fn push(&mut self, b: Bytes) {
        if self.first.is_none() {
            self.first = Some(b);
        } else {
            self.rest.push_back(b);
        }
    }

    fn pop(&mut self) -> Option<Bytes> {
        let out = self.first.take();
        if out.is_some() {
            self.first = self.rest.pop_front();
        }
        out
    }
}

/// The verbs every transaction machine speaks, the same for the four of
/// them: where it stands, what it has to send, when it wants to be woken,
/// and the inputs that do not depend on its kind (timers and transport
/// errors). Each machine adds its own inputs (`handle_response`,
/// `handle_request`, `handle_ack`, `send_response`).
///
/// The trait is sealed: the four machines of this module are its only
/// implementations.
pub trait Transaction: sealed::Machine {
    /// The state.
    fn state(&self) -> State {
        self.core().state
    }

    /// Why the transaction ended, once [`State::Terminated`].
    fn termination(&self) -> Option<Termination> {
        self.core().termination
    }

    /// Acts on the timers due at `now`; early, repeated or late calls (after
    /// the transaction ended) do nothing.
    fn handle_timeout(&mut self, now: Instant) {
        if self.core().state != State::Terminated {
            self.on_timeout(now);
        }
    }

    /// The transport could not send a message of this transaction (RFC 3261
    /// §17.1.4, §17.2.4): it ends with [`Termination::TransportError`].
    fn handle_transport_error(&mut self) {
        self.core_mut().terminate(Termination::TransportError);
    }

    /// The next message to send.
    #[must_use]
    fn poll_transmit(&mut self) -> Option<Bytes> {
        self.core_mut().outbox.pop()
    }

    /// When to call [`Transaction::handle_timeout`] next; `None` once
    /// terminated.
    #[must_use]
    fn poll_timeout(&self) -> Option<Instant> {
        if self.core().state == State::Terminated {
            None
        } else {
            self.next_timer()
        }
    }
}

impl<M: sealed::Machine> Transaction for M {}

mod sealed {
    use std::time::Instant;

    use super::{Outbox, State, Termination};

    /// What every machine keeps besides its timers.
    #[derive(Clone, Debug)]
    pub struct Core {
        pub(super) state: State,
        pub(super) termination: Option<Termination>,
        pub(super) outbox: Outbox,
    }

    impl Core {
        pub(super) fn new(state: State) -> Core {
            Core {
                state,
                termination: None,
                outbox: Outbox::default(),
            }
        }

        /// Ends the transaction for `why`; the first reason stays.
        pub(super) fn terminate(&mut self, why: Termination) {
            if self.state != State::Terminated {
                self.state = State::Terminated;
                self.termination = Some(why);
            }
        }
    }

    /// What each machine writes for [`super::Transaction`].
    pub trait Machine {
        /// Its state, termination and outbox.
        fn core(&self) -> &Core;
        /// The same, to change.
        fn core_mut(&mut self) -> &mut Core;
        /// The earliest of its running timers (asked only before it
        /// terminated).
        fn next_timer(&self) -> Option<Instant>;
        /// Fires the timers due at `now` (called only before it
        /// terminated).
        fn on_timeout(&mut self, now: Instant);
    }
}

/// The earliest of some optional instants.
fn earliest(times: impl IntoIterator<Item = Option<Instant>>) -> Option<Instant> {
    times.into_iter().flatten().min()
}

/// `now + d` when `d` is not zero; `None` stands for "at once".
fn after(now: Instant, d: Duration) -> Option<Instant> {
    (!d.is_zero()).then(|| now + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_keeps_order() {
        let mut o = Outbox::default();
        assert_eq!(o.pop(), None);
        for round in 0..3u8 {
            for i in 0..=round {
                o.push(Bytes::from(vec![round, i]));
            }
            for i in 0..=round {
                assert_eq!(o.pop().as_deref(), Some(&[round, i][..]));
            }
            assert_eq!(o.pop(), None);
        }
        o.push(Bytes::from_static(b"a"));
        o.push(Bytes::from_static(b"b"));
        assert_eq!(o.pop().as_deref(), Some(&b"a"[..]));
        o.push(Bytes::from_static(b"c"));
        assert_eq!(o.pop().as_deref(), Some(&b"b"[..]));
        assert_eq!(o.pop().as_deref(), Some(&b"c"[..]));
        assert_eq!(o.pop(), None);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let t0 = Instant::now();
        let t1 = Duration::from_millis(500);
        let mut b = Backoff::new(t0, t1, Some(Duration::from_secs(4)));
        let mut at = vec![b.at - t0];
        for _ in 0..6 {
            b.advance();
            at.push(b.at - t0);
        }
        let ms: Vec<u128> = at.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [500, 1500, 3500, 7500, 11500, 15500, 19500]);

        let mut b = Backoff::new(t0, t1, None);
        for _ in 0..6 {
            b.advance();
        }
        assert_eq!((b.at - t0).as_millis(), 500 * 127);
    }

    #[test]
    fn timer_values() {
        let t = TimerConfig::default();
        assert_eq!(t.t1x64(), Duration::from_secs(32));
        assert_eq!(t.timer_d(), Duration::from_secs(32));
        let slow = TimerConfig {
            t1: Duration::from_secs(1),
            ..t
        };
        assert_eq!(slow.timer_d(), Duration::from_secs(64));
    }
}
