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

use super::{Core, Disposition, ResponseError, State, Termination, TimerConfig, after};
use crate::Message;

/// A non-INVITE server transaction.
#[derive(Clone, Debug)]
pub struct ServerNonInvite {
    core: Core,
    reliable: bool,
    timers: TimerConfig,
    last_response: Option<Bytes>,
    /// Timer J.
    linger: Option<Instant>,
}

impl ServerNonInvite {
    /// A transaction for a request just received (the request goes to the
    /// user; the transaction waits in Trying for its response).
    pub fn new(reliable: bool, timers: TimerConfig) -> Self {
        ServerNonInvite {
            core: Core::new(State::Trying),
            reliable,
            timers,
            last_response: None,
            linger: None,
        }
    }

    /// The request was received again: answered with the last response, if
    /// there is one, and absorbed.
    pub fn handle_request(&mut self, _now: Instant) -> Disposition {
        if matches!(self.core.state, State::Proceeding | State::Completed)
            && let Some(r) = &self.last_response
        {
            self.core.outbox.push(r.clone());
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
        if !matches!(self.core.state, State::Trying | State::Proceeding) {
            return Err(ResponseError::InvalidState(self.core.state));
        }
        let bytes = response.bytes().clone();
        self.core.outbox.push(bytes.clone());
        self.last_response = Some(bytes);
        if status.is_provisional() {
            self.core.state = State::Proceeding;
        } else {
            self.core.state = State::Completed;
            let j = if self.reliable {
                Default::default()
            } else {
                self.timers.t1x64()
            };
            match after(now, j) {
                Some(at) => self.linger = Some(at),
                None => self.core.terminate(Termination::Completed),
            }
        }
        Ok(())
    }
}

impl super::sealed::Machine for ServerNonInvite {
    super::machine_core!();

    fn next_timer(&self) -> Option<Instant> {
        self.linger
    }

    fn on_timeout(&mut self, now: Instant) {
        if self.linger.is_some_and(|j| j <= now) {
            self.core.terminate(Termination::Completed);
        }
    }
}
