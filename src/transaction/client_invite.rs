//! The INVITE client transaction ([RFC 3261 §17.1.1](https://www.rfc-editor.org/rfc/rfc3261#section-17.1.1)),
//! with the Accepted state of [RFC 6026 §7.2](https://www.rfc-editor.org/rfc/rfc6026#section-7.2).
//!
//! ```text
//!                                |INVITE from TU
//!              Timer A fires     |INVITE sent
//!              Reset A,          V                      Timer B fires
//!              INVITE sent +-----------+                or Transport Err.
//!                +---------|           |---------------+inform TU
//!                |         |  Calling  |               |
//!                +-------->|           |-------------->|
//!                          +-----------+ 2xx           |
//!                             |  |       2xx to TU     |
//!                             |  |1xx                  |
//!     300-699 +---------------+  |1xx to TU            |
//!    ACK sent |                  |                     |
//! resp. to TU |  1xx             V                     |
//!             |  1xx to TU  -----------+               |
//!             |  +---------|           |               |
//!             |  |         |Proceeding |-------------->|
//!             |  +-------->|           | 2xx           |
//!             |            +-----------+ 2xx to TU     |
//!             |       300-699    |                     |
//!             |       ACK sent,  |                     |
//!             |       resp. to TU|                     |
//!             |                  |                     |
//!             |                  V                     |
//!             |            +-----------+               |
//!             |            |           |               |
//!             |            | Completed |               |
//!             |            |           |               |
//!             |            +-----------+               |
//!             |              ^   |                     |
//!             |              |   | Timer D fires       |
//!             +--------------+   | -                   |
//!                                |                     |
//!          (RFC 6026)            V                     |
//!        +-----------+     +-----------+               |
//!        |           |     |           |               |
//!        | Accepted  |---->| Terminated|<--------------+
//!        |           |  Timer M fires
//!        +-----------+
//!          ^  |  2xx to TU (retransmissions and other branches)
//!          +--+
//! ```
//!
//! Timer A retransmits the INVITE over unreliable transports at T1, 2·T1,
//! 4·T1, ... without a cap, until Timer B (64·T1). A 3xx–6xx is
//! acknowledged by the transaction itself (§17.1.1.3) and the ACK is sent
//! again for each retransmission of the response, until Timer D (at least
//! 32 s; zero over reliable transports). A 2xx moves to Accepted: the ACK
//! for a 2xx belongs to the dialog layer, and every 2xx seen until Timer M
//! (64·T1) goes up.

use std::time::Instant;

use bytes::Bytes;

use super::{Backoff, Core, Disposition, State, Termination, Timer, TimerConfig, after, earliest};
use crate::{Message, MessageRef};

/// An INVITE client transaction.
#[derive(Clone, Debug)]
pub struct ClientInvite {
    core: Core,
    request: Message,
    reliable: bool,
    timers: TimerConfig,
    /// Timer A.
    retransmit: Option<Backoff>,
    /// Timer B.
    timeout: Option<Instant>,
    /// Timer D or M.
    linger: Option<(Instant, Timer)>,
    /// The ACK for the non-2xx final response.
    ack: Option<Bytes>,
}

impl ClientInvite {
    /// Starts the transaction at `now` with `request` (an INVITE whose top
    /// Via has a unique branch): the INVITE is queued for sending, Timer B
    /// starts, and Timer A too over an unreliable transport.
    pub fn new(now: Instant, request: Message, reliable: bool, timers: TimerConfig) -> Self {
        let mut core = Core::new(State::Calling);
        core.outbox.push(request.bytes().clone());
        ClientInvite {
            core,
            request,
            reliable,
            timers,
            retransmit: (!reliable).then(|| Backoff::new(now, timers.t1, None)),
            timeout: Some(now + timers.t1x64()),
            linger: None,
            ack: None,
        }
    }

    /// The INVITE.
    pub fn request(&self) -> &Message {
        &self.request
    }

    /// The ACK this transaction sent for a non-2xx final response.
    pub fn ack(&self) -> Option<&Bytes> {
        self.ack.as_ref()
    }

    /// A response matched this transaction (RFC 3261 §17.1.3).
    ///
    /// Provisional responses and the first final response go up; a 3xx–6xx
    /// is acknowledged here. In Accepted every 2xx goes up (RFC 6026 §8.4);
    /// in Completed a retransmitted final response is acknowledged again and
    /// absorbed.
    pub fn handle_response(&mut self, now: Instant, response: &MessageRef<'_>) -> Disposition {
        let Some(status) = response.status() else {
            return Disposition::Absorbed;
        };
        match self.core.state {
            State::Calling | State::Proceeding => {
                self.retransmit = None;
                if status.is_provisional() {
                    // Timer B guards Calling only (Figure 5).
                    self.timeout = None;
                    self.core.state = State::Proceeding;
                } else if status.is_success() {
                    self.timeout = None;
                    self.core.state = State::Accepted;
                    self.linger = Some((now + self.timers.t1x64(), Timer::M));
                } else {
                    self.timeout = None;
                    self.core.state = State::Completed;
                    self.ack = self
                        .request
                        .as_ref()
                        .ack(response)
                        .and_then(|b| b.build())
                        .ok()
                        .map(|m| m.bytes().clone());
                    if let Some(ack) = &self.ack {
                        self.core.outbox.push(ack.clone());
                    }
                    let d = if self.reliable {
                        Default::default()
                    } else {
                        self.timers.timer_d()
                    };
                    match after(now, d) {
                        Some(at) => self.linger = Some((at, Timer::D)),
                        None => self.core.terminate(Termination::Completed),
                    }
                }
                Disposition::PassUp
            }
            State::Accepted if status.is_success() => Disposition::PassUp,
            State::Completed if status.is_final() && !status.is_success() => {
                if let Some(ack) = &self.ack {
                    self.core.outbox.push(ack.clone());
                }
                Disposition::Absorbed
            }
            _ => Disposition::Absorbed,
        }
    }
}

impl super::sealed::Machine for ClientInvite {
    super::machine_core!();

    fn next_timer(&self) -> Option<Instant> {
        earliest([
            self.retransmit.map(|r| r.at),
            self.timeout,
            self.linger.map(|(at, _)| at),
        ])
    }

    fn on_timeout(&mut self, now: Instant) {
        if self.timeout.is_some_and(|b| b <= now) {
            self.core.terminate(Termination::Timeout(Timer::B));
        }
        if self.linger.is_some_and(|(at, _)| at <= now) {
            self.core.terminate(Termination::Completed);
        }
        if self.core.state == State::Terminated {
            return;
        }
        if let Some(r) = &mut self.retransmit
            && r.at <= now
            && self.core.state == State::Calling
        {
            while r.at <= now {
                r.advance();
            }
            self.core.outbox.push(self.request.bytes().clone());
        }
    }
}
