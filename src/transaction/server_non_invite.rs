//! The non-INVITE server transaction ([RFC 3261 §17.2.2](https://www.rfc-editor.org/rfc/rfc3261#section-17.2.2)).
//!
//! ```text
//!                                   |Request received
//!                                   |pass to TU
//!                                   V
//!                             +-----------+
//!                             |           |
//!                             | Trying    |-------------+
//!                             |           |             |
//!                             +-----------+             |200-699 from TU
//!                                   |                   |send response
//!                                   |1xx from TU        |
//!                                   |send response      |
//!                                   |                   |
//!                Request            V      1xx from TU  |
//!                send response+-----------+send response|
//!                    +--------|           |--------+    |
//!                    |        | Proceeding|        |    |
//!                    +------->|           |<-------+    |
//!             +<--------------|           |             |
//!             |Trnsprt Err    +-----------+             |
//!             |Inform TU            |                   |
//!             |                     |                   |
//!             |                     |200-699 from TU    |
//!             |                     |send response      |
//!             |  Request            V                   |
//!             |  send response+-----------+             |
//!             |      +--------|           |             |
//!             |      |        | Completed |<------------+
//!             |      +------->|           |
//!             +<--------------|           |
//!             |Trnsprt Err    +-----------+
//!             |Inform TU            |
//!             |                     |Timer J fires
//!             |                     |-
//!             |                     |
//!             |                     V
//!             |               +-----------+
//!             |               |           |
//!             +-------------->| Terminated|
//!                             |           |
//!                             +-----------+
//! ```
//!
//! A retransmitted request is absorbed in Trying and answered with the last
//! response in Proceeding and Completed; Timer J (64·T1, zero over reliable
//! transports) keeps the final response for the retransmissions.

use std::time::Instant;

use bytes::Bytes;

use super::{Disposition, Outbox, ResponseError, State, Termination, TimerConfig, after};
use crate::Message;

/// A non-INVITE server transaction.
#[derive(Clone, Debug)]
pub struct ServerNonInvite {
    state: State,
    reliable: bool,
    timers: TimerConfig,
    last_response: Option<Bytes>,
    /// Timer J.
    linger: Option<Instant>,
    termination: Option<Termination>,
    outbox: Outbox,
}

impl ServerNonInvite {
    /// A transaction for a request just received (the request goes to the
    /// user; the transaction waits in Trying for its response).
    pub fn new(reliable: bool, timers: TimerConfig) -> Self {
        ServerNonInvite {
            state: State::Trying,
            reliable,
            timers,
            last_response: None,
            linger: None,
            termination: None,
            outbox: Outbox::default(),
        }
    }

    /// The state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Why the transaction ended, once [`State::Terminated`].
    pub fn termination(&self) -> Option<Termination> {
        self.termination
    }

    /// The request was received again: answered with the last response, if
    /// there is one, and absorbed.
    pub fn handle_request(&mut self, _now: Instant) -> Disposition {
        if matches!(self.state, State::Proceeding | State::Completed)
            && let Some(r) = &self.last_response
        {
            self.outbox.push(r.clone());
        }
        Disposition::Absorbed
    }

    /// The user's response: queued for sending.
    ///
    /// # Errors
    /// [`ResponseError`] once a final response was sent, or for a message
    /// that is not a response.
    pub fn send_response(&mut self, now: Instant, response: &Message) -> Result<(), ResponseError> {
        let status = response
            .as_ref()
            .status()
            .ok_or(ResponseError::NotAResponse)?;
        if !matches!(self.state, State::Trying | State::Proceeding) {
            return Err(ResponseError::InvalidState(self.state));
        }
        let bytes = response.bytes().clone();
        self.outbox.push(bytes.clone());
        self.last_response = Some(bytes);
        if status.is_provisional() {
            self.state = State::Proceeding;
        } else {
            self.state = State::Completed;
            let j = if self.reliable {
                Default::default()
            } else {
                self.timers.t1x64()
            };
            match after(now, j) {
                Some(at) => self.linger = Some(at),
                None => self.terminate(Termination::Completed),
            }
        }
        Ok(())
    }

    /// Acts on the timers due at `now`; early or repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.linger.is_some_and(|j| j <= now) {
            self.terminate(Termination::Completed);
        }
    }

    /// The transport could not send a response (RFC 3261 §17.2.4).
    pub fn handle_transport_error(&mut self) {
        if self.state != State::Terminated {
            self.terminate(Termination::TransportError);
        }
    }

    /// The next message to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        self.outbox.pop()
    }

    /// When to call [`ServerNonInvite::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.linger
    }

    fn terminate(&mut self, why: Termination) {
        self.state = State::Terminated;
        self.termination = Some(why);
        self.linger = None;
    }
}
