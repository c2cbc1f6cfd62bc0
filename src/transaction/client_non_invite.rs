//! The non-INVITE client transaction ([RFC 3261 §17.1.2](https://www.rfc-editor.org/rfc/rfc3261#section-17.1.2)).
//!
//! ```text
//!                                    |Request from TU
//!                                    |send request
//!                Timer E             V
//!                send request  +-----------+
//!                    +---------|           |-------------------+
//!                    |         |  Trying   |  Timer F          |
//!                    +-------->|           |  or Transport Err.|
//!                              +-----------+  inform TU        |
//!                 200-699         |  |                         |
//!                 resp. to TU     |  |1xx                      |
//!                 +---------------+  |resp. to TU              |
//!                 |                  |                         |
//!                 |   Timer E        V       Timer F           |
//!                 |   send req +-----------+ or Transp. Err.   |
//!                 |  +---------|           | inform TU         |
//!                 |  |         |Proceeding |------------------>|
//!                 |  +-------->|           |-----+             |
//!                 |            +-----------+     |1xx          |
//!                 |              |      ^        |resp to TU   |
//!                 | 200-699      |      +--------+             |
//!                 | resp. to TU  |                             |
//!                 |              |                             |
//!                 |              V                             |
//!                 |            +-----------+                   |
//!                 |            |           |                   |
//!                 |            | Completed |                   |
//!                 |            |           |                   |
//!                 |            +-----------+                   |
//!                 |              ^   |                         |
//!                 |              |   | Timer K                 |
//!                 +--------------+   | -                       |
//!                                    |                         |
//!                                    V                         |
//!              NOTE:           +-----------+                   |
//!                              |           |                   |
//!          transitions         | Terminated|<------------------+
//!          labeled with        |           |
//!          the event           +-----------+
//!          over the action
//!          to take
//! ```
//!
//! Timer E retransmits over unreliable transports at T1, 2·T1, 4·T1, ...
//! capped at T2, and every T2 once a provisional response came (§17.1.2.2);
//! Timer F (64·T1) ends the wait; Timer K (T4, zero over reliable
//! transports) absorbs retransmitted finals.

use std::time::Instant;

use bytes::Bytes;

use super::{Backoff, Core, Disposition, State, Termination, Timer, TimerConfig, after, earliest};
use crate::StatusCode;

/// A non-INVITE client transaction.
#[derive(Clone, Debug)]
pub struct ClientNonInvite {
    core: Core,
    request: Bytes,
    reliable: bool,
    timers: TimerConfig,
    /// Timer E; `None` over reliable transports and once completed.
    retransmit: Option<Backoff>,
    /// Timer F.
    timeout: Option<Instant>,
    /// Timer K.
    linger: Option<Instant>,
}

impl ClientNonInvite {
    /// Starts the transaction at `now`: `request` (encoded, top Via with a
    /// unique branch) is queued for sending, and over an unreliable
    /// transport (`reliable == false`) Timer E is started.
    pub fn new(now: Instant, request: Bytes, reliable: bool, timers: TimerConfig) -> Self {
        let mut core = Core::new(State::Trying);
        core.outbox.push(request.clone());
        ClientNonInvite {
            core,
            request,
            reliable,
            timers,
            retransmit: (!reliable).then(|| Backoff::new(now, timers.t1, Some(timers.t2))),
            timeout: Some(now + timers.t1x64()),
            linger: None,
        }
    }

    /// The encoded request.
    pub fn request(&self) -> &Bytes {
        &self.request
    }

    /// A response with `status` matched this transaction (RFC 3261
    /// §17.1.3). Provisional and the first final response go up; a final
    /// response retransmitted in Completed is absorbed.
    pub fn handle_response(&mut self, now: Instant, status: StatusCode) -> Disposition {
        match self.core.state {
            State::Trying | State::Proceeding if status.is_provisional() => {
                self.core.state = State::Proceeding;
                // §17.1.2.2: in Proceeding, Timer E fires every T2.
                if let Some(r) = &mut self.retransmit {
                    r.interval = self.timers.t2;
                    r.cap = Some(self.timers.t2);
                }
                Disposition::PassUp
            }
            State::Trying | State::Proceeding => {
                self.core.state = State::Completed;
                self.retransmit = None;
                self.timeout = None;
                let k = if self.reliable {
                    Default::default()
                } else {
                    self.timers.t4
                };
                match after(now, k) {
                    Some(k) => self.linger = Some(k),
                    None => self.core.terminate(Termination::Completed),
                }
                Disposition::PassUp
            }
            _ => Disposition::Absorbed,
        }
    }
}

impl super::sealed::Machine for ClientNonInvite {
    super::machine_core!();

    fn next_timer(&self) -> Option<Instant> {
        earliest([self.retransmit.map(|r| r.at), self.timeout, self.linger])
    }

    fn on_timeout(&mut self, now: Instant) {
        if self.timeout.is_some_and(|f| f <= now) {
            self.core.terminate(Termination::Timeout(Timer::F));
        }
        if self.linger.is_some_and(|k| k <= now) {
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
            self.core.outbox.push(self.request.clone());
        }
    }
}
