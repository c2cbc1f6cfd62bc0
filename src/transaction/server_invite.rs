//! The INVITE server transaction ([RFC 3261 §17.2.1](https://www.rfc-editor.org/rfc/rfc3261#section-17.2.1)),
//! with the Accepted state of [RFC 6026 §7.1](https://www.rfc-editor.org/rfc/rfc6026#section-7.1).
//!
//! ```text
//!                                |INVITE
//!                                |pass INV to TU
//!             INVITE             V send 100 if TU won't in 200 ms
//!             send response+-----------+
//!                 +--------|           |--------+ 101-199 from TU
//!                 |        |           |        | send response
//!                 +------->|           |<-------+
//!                          | Proceeding|
//!                          |           |--------+ Transport Err.
//!                          |           |        | Inform TU
//!                          |           |<-------+
//!                          +-----------+
//!             300-699 from TU |     |2xx from TU
//!             send response   |     |send response
//!                             |     +------------------+
//!                             |                        |
//!             INVITE          V          Timer G fires |
//!             send response+-----------+ send response |
//!                 +--------|           |--------+      |
//!                 |        |           |        |      |
//!                 +------->| Completed |<-------+      V
//!                          |           |         +-----------+
//!                          +-----------+         |           | 2xx from TU:
//!                             |     |            | Accepted  | send response;
//!                         ACK |     |            |           | ACK: to TU;
//!                         -   |     +----------->+-----------+ INVITE: absorb
//!                             |  Timer H fires         |
//!                             V  or Transport Err.     | Timer L fires
//!                          +-----------+  Inform TU    | -
//!                          |           |               |
//!                          | Confirmed |               |
//!                          |           |               |
//!                          +-----------+               |
//!                                |                     |
//!                                |Timer I fires        |
//!                                |-                    |
//!                                V                     |
//!                          +-----------+               |
//!                          |           |               |
//!                          | Terminated|<--------------+
//!                          |           |
//!                          +-----------+
//! ```
//!
//! Unless the user answers first, the transaction sends 100 Trying itself
//! 200 ms after the INVITE arrived (§17.2.1). Timer G retransmits a 3xx–6xx
//! over unreliable transports at T1, 2·T1, ... capped at T2, until the ACK
//! or Timer H (64·T1); Timer I (T4, zero over reliable transports) absorbs
//! ACK retransmissions. After a 2xx the transaction waits in Accepted for
//! Timer L (64·T1) and passes the user's 2xx retransmissions down and the
//! ACKs up (RFC 6026).

use std::time::Instant;

use bytes::Bytes;

use super::{
    Backoff, Core, Disposition, ResponseError, State, Termination, Timer, TimerConfig, after,
    earliest,
};
use crate::{Message, StatusCode};

/// An INVITE server transaction.
#[derive(Clone, Debug)]
pub struct ServerInvite {
    core: Core,
    request: Message,
    reliable: bool,
    timers: TimerConfig,
    /// When to send 100 Trying unless the user has answered.
    trying: Option<Instant>,
    last_response: Option<Bytes>,
    /// Timer G.
    retransmit: Option<Backoff>,
    /// Timer H.
    timeout: Option<Instant>,
    /// Timer I or L.
    linger: Option<(Instant, Timer)>,
}

impl ServerInvite {
    /// A transaction for the INVITE `request` received at `now`; it goes to
    /// the user, and the 200 ms 100 Trying timer starts.
    pub fn new(now: Instant, request: Message, reliable: bool, timers: TimerConfig) -> Self {
        ServerInvite {
            core: Core::new(State::Proceeding),
            request,
            reliable,
            timers,
            trying: Some(now + timers.trying),
            last_response: None,
            retransmit: None,
            timeout: None,
            linger: None,
        }
    }

    /// The INVITE.
    pub fn request(&self) -> &Message {
        &self.request
    }

    /// The last response sent, if any.
    pub fn last_response(&self) -> Option<&Bytes> {
        self.last_response.as_ref()
    }

    /// The INVITE was received again: answered with the last response in
    /// Proceeding and Completed, absorbed in any case.
    pub fn handle_request(&mut self, _now: Instant) -> Disposition {
        if matches!(self.core.state, State::Proceeding | State::Completed)
            && let Some(r) = &self.last_response
        {
            self.core.outbox.push(r.clone());
        }
        Disposition::Absorbed
    }

    /// An ACK matched this transaction. In Completed it ends the
    /// retransmissions (to Confirmed) and is absorbed; in Accepted it is the
    /// ACK for the 2xx and goes up (RFC 6026 §8.5).
    pub fn handle_ack(&mut self, now: Instant) -> Disposition {
        match self.core.state {
            State::Completed => {
                self.retransmit = None;
                self.timeout = None;
                self.core.state = State::Confirmed;
                let i = if self.reliable {
                    Default::default()
                } else {
                    self.timers.t4
                };
                match after(now, i) {
                    Some(at) => self.linger = Some((at, Timer::I)),
                    None => self.core.terminate(Termination::Completed),
                }
                Disposition::Absorbed
            }
            State::Accepted => Disposition::PassUp,
            _ => Disposition::Absorbed,
        }
    }

    /// The user's response: queued for sending. After a 2xx only further
    /// 2xx responses are accepted (the user's retransmissions, RFC 6026).
    ///
    /// # Errors
    /// [`ResponseError`] in a state that takes no such response, or for a
    /// message that is not a response.
    pub fn send_response(&mut self, now: Instant, response: &Message) -> Result<(), ResponseError> {
        let status = response
            .as_ref()
            .status()
            .ok_or(ResponseError::NotAResponse)?;
        match self.core.state {
            State::Proceeding => {}
            State::Accepted if status.is_success() => {}
            s => return Err(ResponseError::InvalidState(s)),
        }
        let bytes = response.bytes().clone();
        self.core.outbox.push(bytes.clone());
        self.last_response = Some(bytes);
        self.trying = None;
        if status.is_success() {
            if self.core.state == State::Proceeding {
                self.core.state = State::Accepted;
                self.linger = Some((now + self.timers.t1x64(), Timer::L));
            }
        } else if status.is_final() {
            self.core.state = State::Completed;
            if !self.reliable {
                self.retransmit = Some(Backoff::new(now, self.timers.t1, Some(self.timers.t2)));
            }
            self.timeout = Some(now + self.timers.t1x64());
        }
        Ok(())
    }
}

impl super::sealed::Machine for ServerInvite {
    super::machine_core!();

    fn next_timer(&self) -> Option<Instant> {
        earliest([
            self.trying,
            self.retransmit.map(|r| r.at),
            self.timeout,
            self.linger.map(|(at, _)| at),
        ])
    }

    fn on_timeout(&mut self, now: Instant) {
        if self.trying.is_some_and(|t| t <= now) {
            self.trying = None;
            if self.core.state == State::Proceeding && self.last_response.is_none() {
                let trying = self
                    .request
                    .as_ref()
                    .response(StatusCode::TRYING)
                    .and_then(|b| b.build());
                if let Ok(t) = trying {
                    self.core.outbox.push(t.bytes().clone());
                    self.last_response = Some(t.bytes().clone());
                }
            }
        }
        if self.timeout.is_some_and(|h| h <= now) {
            self.core.terminate(Termination::Timeout(Timer::H));
        }
        if self.linger.is_some_and(|(at, _)| at <= now) {
            self.core.terminate(Termination::Completed);
        }
        if self.core.state == State::Terminated {
            return;
        }
        if let Some(r) = &mut self.retransmit
            && r.at <= now
        {
            while r.at <= now {
                r.advance();
            }
            if let Some(last) = &self.last_response {
                self.core.outbox.push(last.clone());
            }
        }
    }
}
