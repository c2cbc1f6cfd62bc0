//! Requests that arrive: matching to server transactions (RFC 3261
//! §17.2.3), the checks every element makes, new server transactions, the
//! ACK and CANCEL rules (§17.2.1, §9.2), and the answers the endpoint sends
//! without its user.

use std::time::Instant;

use super::key::{self, HashedKey, KeyScratch};
use super::machine::{Entry, Handle, Machine};
use super::{Endpoint, Event, Flow, RespondError, ServerId, Transmit, via};
use crate::header::RetryAfter;
use crate::message::{Editor, ParseError, ResponseBuilder};
use crate::random;
use crate::transaction::{Disposition, ServerInvite, ServerNonInvite, State};
use crate::{Message, MessageRef, Method, StatusCode};

impl Endpoint {
    /// A request arrived on `origin`.
    pub(super) fn on_request(&mut self, now: Instant, msg: Message, origin: Flow) {
        let m = msg.as_ref();
        // The key comes first (top Via, method; it is read before the Via is
        // stamped, as neither `received` nor `rport` is part of it): a
        // retransmission (of a request or of a CANCEL) goes to its
        // transaction without being checked again, since the request it
        // repeats was; nothing is re-stamped.
        let top = m.via_noted().ok();
        let method = m.method();
        let mut scratch = KeyScratch::default();
        let key = top
            .as_ref()
            .zip(method.as_ref())
            .and_then(|((top, noted), method)| {
                key::server_key(&m, top, noted, method, &mut scratch)
            })
            .map(|k| {
                let hash = self.keys.hash(&k);
                (k, hash)
            });
        if method != Some(Method::Ack)
            && let Some(h) = key.as_ref().and_then(|(k, hash)| self.find(k, *hash))
        {
            self.retransmission(now, h);
            return;
        }
        // The key parsed the top Via: the checks do not again.
        if let Err(e) = m.check_common(top.is_some()) {
            // An ACK is never answered.
            if m.method() == Some(Method::Ack)
                || !self.answer_stateless(&m, e.status_code(), &origin, |b| b)
            {
                self.stats.dropped_malformed += 1;
            }
            return;
        }
        // The checks parsed the top Via, so only a key the RFC 2543 fallback
        // cannot read is missing here.
        let key = key.map(|(k, hash)| HashedKey {
            key: k.to_owned(),
            hash,
        });
        let method = method.map(Method::into_owned);
        let (Some((top, noted)), Some(method), Some(key)) = (top, method, key) else {
            self.stats.dropped_malformed += 1;
            return;
        };
        let Some((stamped, reply)) = via::receive(&msg, &top, &noted, &origin, &self.config.parse)
        else {
            self.stats.dropped_malformed += 1;
            return;
        };
        let msg = stamped.unwrap_or(msg);
        match method {
            Method::Ack => self.on_ack(now, &msg, key, origin),
            Method::Cancel => self.on_cancel(now, msg, key, origin, reply),
            _ => self.new_server_transaction(now, msg, key, origin, reply, method),
        }
    }

    /// A message that did not parse: a request whose head can be read is
    /// answered (RFC 3261 §18.3: a bad Content-Length gets 400).
    pub(super) fn on_unparsable(&mut self, data: &[u8], e: ParseError, origin: Flow) {
        match MessageRef::parse_head(data, &self.config.parse) {
            Ok(m) if m.is_request() && m.method() != Some(Method::Ack) => {
                if !self.answer_stateless(&m, e.status_code(), &origin, |b| b) {
                    self.stats.dropped_malformed += 1;
                }
            }
            _ => self.stats.dropped_malformed += 1,
        }
    }

    fn retransmission(&mut self, now: Instant, h: Handle) {
        self.stats.retransmitted_requests += 1;
        if let Some(e) = self.entries.get_mut(h) {
            let _ = match &mut e.machine {
                Machine::ServerInvite(m) => m.handle_request(now),
                Machine::ServerNonInvite(m) => m.handle_request(now),
                _ => Disposition::Absorbed,
            };
        }
        self.after_step(now, h);
    }

    fn on_ack(&mut self, now: Instant, msg: &Message, key: HashedKey, origin: Flow) {
        let invite_key = key.key.as_ref().with_method(&Method::Invite);
        let matched = self.find_key(&invite_key).filter(|&h| {
            // RFC 2543 ACKs match on the To tag of the response too.
            match (&key.key, self.entries.get(h)) {
                (key, Some(e)) if key.is_legacy() => {
                    e.to_tag.as_deref() == msg.as_ref().to_tag().ok().flatten()
                }
                _ => true,
            }
        });
        let Some(h) = matched else {
            self.events.push_back(Event::Ack {
                transaction: None,
                request: msg.clone(),
                origin,
            });
            return;
        };
        let disposition = match self.entries.get_mut(h).map(|e| &mut e.machine) {
            Some(Machine::ServerInvite(m)) => m.handle_ack(now),
            _ => Disposition::Absorbed,
        };
        if disposition == Disposition::PassUp {
            self.events.push_back(Event::Ack {
                transaction: Some(ServerId(h)),
                request: msg.clone(),
                origin,
            });
        }
        self.after_step(now, h);
    }

    /// A CANCEL (RFC 3261 §9.2): when it matches an INVITE server
    /// transaction, its own transaction answers 200 and the user hears of
    /// it if the INVITE is still proceeding; otherwise it goes up as a
    /// request (a user agent answers 481, a proxy forwards it, §16.10).
    fn on_cancel(&mut self, now: Instant, msg: Message, key: HashedKey, origin: Flow, reply: Flow) {
        let invite = self.find_key(&key.key.as_ref().with_method(&Method::Invite));
        let Some(invite) = invite else {
            self.new_server_transaction(now, msg, key, origin, reply, Method::Cancel);
            return;
        };
        let proceeding = self
            .entries
            .get(invite)
            .is_some_and(|e| e.machine.state() == State::Proceeding);
        // The CANCEL's own transaction answers 200 (§9.2); with
        // `max_transactions` alive, the 200 goes without one (a
        // retransmitted CANCEL is then answered again the same way).
        if self.entries.len() >= self.config.max_transactions {
            self.answer_stateless(&msg.as_ref(), StatusCode::OK, &origin, |b| b);
        } else {
            let ok = msg
                .as_ref()
                .response(StatusCode::OK)
                .and_then(|b| self.tagged(b).build());
            let Ok(ok) = ok else {
                // Not for a CANCEL that passed the checks.
                self.stats.dropped_malformed += 1;
                return;
            };
            let machine = Machine::ServerNonInvite(ServerNonInvite::new(
                origin.transport.is_reliable(),
                self.config.timers,
            ));
            let cancel = self.insert(new_entry(machine, key, reply));
            let _ = self.respond(now, ServerId(cancel), ok);
        }
        if proceeding {
            self.events.push_back(Event::Cancelled {
                transaction: ServerId(invite),
                cancel: msg,
                origin,
            });
        }
    }

    fn new_server_transaction(
        &mut self,
        now: Instant,
        msg: Message,
        key: HashedKey,
        origin: Flow,
        reply: Flow,
        method: Method<'static>,
    ) {
        if self.entries.len() >= self.config.max_transactions {
            self.stats.rejected_overload += 1;
            let retry = RetryAfter::new(self.config.retry_after);
            self.answer_stateless(
                &msg.as_ref(),
                StatusCode::SERVICE_UNAVAILABLE,
                &origin,
                |b| b.header(&retry),
            );
            return;
        }
        let reliable = origin.transport.is_reliable();
        let machine = if method == Method::Invite {
            Machine::ServerInvite(Box::new(ServerInvite::new(
                now,
                msg.clone(),
                reliable,
                self.config.timers,
            )))
        } else {
            Machine::ServerNonInvite(ServerNonInvite::new(reliable, self.config.timers))
        };
        let h = self.insert(new_entry(machine, key, reply));
        self.events.push_back(Event::Request {
            transaction: ServerId(h),
            request: msg,
            origin,
        });
        self.after_step(now, h);
    }

    /// Sends `response` on the server transaction `id`, on the flow its
    /// request came in on, to where RFC 3261 §18.2.2 says (computed when
    /// the request arrived).
    ///
    /// # Errors
    /// [`RespondError::UnknownTransaction`] for a transaction that ended, or
    /// [`RespondError::Transaction`] when the transaction refuses the
    /// response in its state.
    pub fn respond(
        &mut self,
        now: Instant,
        id: ServerId,
        response: Message,
    ) -> Result<(), RespondError> {
        let h = id.0;
        let entry = self
            .entries
            .get_mut(h)
            .ok_or(RespondError::UnknownTransaction)?;
        match &mut entry.machine {
            Machine::ServerInvite(m) => m.send_response(now, &response)?,
            Machine::ServerNonInvite(m) => m.send_response(now, &response)?,
            _ => return Err(RespondError::UnknownTransaction),
        }
        // Only an RFC 2543 ACK is matched on the To tag of the final
        // response (RFC 3261 §17.2.3); other keys need no copy of it.
        let r = response.as_ref();
        if entry.key.is_legacy() && r.status().is_some_and(StatusCode::is_final) {
            entry.to_tag = r.to_tag().ok().flatten().map(Box::from);
        }
        self.after_step(now, h);
        Ok(())
    }

    /// Answers non-INVITE server transaction `id` with a final `response`
    /// and forgets it at once, as a stateless UAS does (RFC 3261 §8.2.7):
    /// the response is sent once and nothing absorbs a retransmission of
    /// the request, which arrives as a new request and is answered again.
    /// For answers that may be repeated and should cost no state while the
    /// transaction would wait out Timer J (32 s over UDP): a challenge to
    /// an unauthenticated request (§26.3.2.4 advises challenging
    /// statelessly), a 404, a redirect. The transaction ends with
    /// [`Event::Terminated`] as any other. Not for a response whose request
    /// must not be applied twice (a registrar's 200: the same REGISTER
    /// again fails the CSeq rule), and not for INVITE, whose non-2xx
    /// response waits for an ACK.
    ///
    /// # Errors
    /// [`RespondError::UnknownTransaction`] for no such server transaction,
    /// [`RespondError::Unsuitable`] for an INVITE or a provisional
    /// response, or the transaction's refusal.
    pub fn respond_stateless(
        &mut self,
        now: Instant,
        id: ServerId,
        response: Message,
    ) -> Result<(), RespondError> {
        let entry = self
            .entries
            .get(id.0)
            .ok_or(RespondError::UnknownTransaction)?;
        if !matches!(entry.machine, Machine::ServerNonInvite(_)) {
            return Err(RespondError::Unsuitable(
                "not a non-INVITE server transaction",
            ));
        }
        if !response.as_ref().status().is_some_and(StatusCode::is_final) {
            return Err(RespondError::Unsuitable("not a final response"));
        }
        self.respond(now, id, response)?;
        self.remove(id.0, crate::transaction::Termination::Completed);
        self.stats.stateless_responses += 1;
        Ok(())
    }

    /// `builder` with a To tag from the endpoint's generator, unless the
    /// request's To has one ([`ResponseBuilder::to_tag`] keeps it): what
    /// the endpoint answers itself is reproducible under a seed, where the
    /// builder's own tags are keyed per process.
    fn tagged(&mut self, builder: ResponseBuilder) -> ResponseBuilder {
        builder.to_tag(&random::tag(&mut self.rng))
    }

    /// Answers `request` without a transaction, on the flow it came in on
    /// (a To tag is added unless the request had one). Returns whether a
    /// response could be built.
    fn answer_stateless(
        &mut self,
        request: &MessageRef<'_>,
        status: StatusCode,
        origin: &Flow,
        extra: impl FnOnce(ResponseBuilder) -> ResponseBuilder,
    ) -> bool {
        let Ok(builder) = request.response(status) else {
            return false;
        };
        let builder = self.tagged(builder);
        let Ok(mut response) = extra(builder).build() else {
            return false;
        };
        let destination = match request.via_noted() {
            Ok((top, noted)) => {
                let stamped = via::stamp(&top, &noted, origin.remote);
                if let Some(v) = &stamped {
                    // The response's Via shows the client its address
                    // (received, rport), as for stateful responses.
                    let mut edit = Editor::new(response.as_ref());
                    edit.set_top_via(v);
                    if let Ok(r) = edit.finish() {
                        response = r;
                    }
                }
                via::response_destination(
                    &top,
                    &noted,
                    stamped.is_some(),
                    origin.remote,
                    origin.transport,
                )
            }
            Err(_) => origin.remote,
        };
        self.stats.stateless_responses += 1;
        self.transmits.push_back(Transmit {
            flow: origin.to(destination),
            payload: response.bytes().clone(),
            transaction: None,
        });
        true
    }
}

/// A server transaction's entry: `machine` with its key, sending on
/// `reply`.
fn new_entry(machine: Machine, key: HashedKey, reply: Flow) -> Entry {
    Entry {
        machine,
        key: key.key,
        hash: key.hash,
        flow: reply,
        deadline: None,
        to_tag: None,
        sent: None,
    }
}
