//! Requests the user sends and the responses that come back: new client
//! transactions, and matching responses to them (RFC 3261 §17.1.3), after
//! discarding those whose top Via is not the request's (§18.1.2).

use std::time::Instant;

use super::key::{KeyRef, Parts};
use super::machine::{Entry, Handle, Machine, Sent};
use super::{ClientId, Endpoint, Event, Flow, SendError, via};
use crate::transaction::{ClientInvite, ClientNonInvite, Disposition};
use crate::{Message, MessageRef, Method};

/// What [`Endpoint::echoed`] found for a response.
#[derive(Clone, Copy)]
enum Echo<'m> {
    /// The top Via is a request's, as sent: the response is that
    /// transaction's.
    Same(Handle),
    /// The branch read without a parse, and what it found; the Via is not
    /// the one sent, so it must be parsed.
    Differs {
        branch: &'m [u8],
        found: Option<Handle>,
    },
    /// No branch could be read without a parse.
    Unknown,
}

impl Endpoint {
    /// Starts a client transaction for `request` on `flow` (from its local
    /// address to its remote one) and queues the request. The request must
    /// carry a top Via whose branch starts with `z9hG4bK` (build it with
    /// [`crate::random::branch`]).
    ///
    /// # Errors
    /// A [`SendError`] for a response, an ACK, a missing branch, a branch
    /// already in use, or when too many transactions are alive.
    pub fn send_request(
        &mut self,
        now: Instant,
        request: Message,
        flow: Flow,
    ) -> Result<ClientId, SendError> {
        let m = request.as_ref();
        let method = m.method().ok_or(SendError::NotARequest)?;
        if method == Method::Ack {
            return Err(SendError::Ack);
        }
        let (top, noted) = m.via_noted().map_err(|_| SendError::NoBranch)?;
        let branch = noted.rfc3261_branch().ok_or(SendError::NoBranch)?;
        let key = KeyRef {
            parts: Parts::Client {
                branch: branch.as_bytes(),
            },
            method: &method,
        };
        let hash = self.keys.hash(&key);
        if self.find(&key, hash).is_some() {
            return Err(SendError::DuplicateBranch);
        }
        if self.entries.len() >= self.config.max_transactions {
            return Err(SendError::Capacity);
        }
        let key = key.to_owned();
        let sent = Sent {
            host: top.sent_by.host.clone().into_owned(),
            port: top
                .sent_by
                .port
                .unwrap_or_else(|| top.transport.default_port()),
            via: m
                .top_via_plain()
                .and_then(|(at, v)| Some((u16::try_from(at).ok()?, u16::try_from(v.len()).ok()?))),
        };
        let reliable = flow.transport.is_reliable();
        let machine = if method == Method::Invite {
            Machine::ClientInvite(Box::new(ClientInvite::new(
                now,
                request,
                reliable,
                self.config.timers,
            )))
        } else {
            Machine::ClientNonInvite(ClientNonInvite::new(
                now,
                request.bytes().clone(),
                reliable,
                self.config.timers,
            ))
        };
        let h = self.insert(Entry {
            machine,
            key,
            hash,
            flow,
            deadline: None,
            to_tag: None,
            sent: Some(sent),
        });
        self.after_step(now, h);
        Ok(ClientId(h))
    }

    /// A response arrived on `origin`.
    pub(super) fn on_response(&mut self, now: Instant, msg: Message, origin: Flow) {
        let m = msg.as_ref();
        let Ok(cseq) = m.cseq() else {
            self.stats.dropped_malformed += 1;
            return;
        };
        // Usually the top Via comes back as it was sent: then it matches
        // without a parse, and its sent-by is the one the request carried.
        let echo = self.echoed(&m, &cseq.method);
        let h = match echo {
            Echo::Same(h) => h,
            Echo::Unknown | Echo::Differs { .. } => {
                let Ok((top, noted)) = m.via_noted() else {
                    self.stats.dropped_malformed += 1;
                    return;
                };
                let matched = match (echo, noted.branch) {
                    // The same branch was looked up already.
                    (Echo::Differs { branch, found }, Some(b)) if b.as_bytes() == branch => found,
                    (_, branch) => branch.and_then(|branch| {
                        self.find_key(&KeyRef {
                            parts: Parts::Client {
                                branch: branch.as_bytes(),
                            },
                            method: &cseq.method,
                        })
                    }),
                };
                let Some(h) = matched else {
                    self.stats.stray_responses += 1;
                    self.events.push_back(Event::StrayResponse {
                        response: msg.clone(),
                        origin,
                    });
                    return;
                };
                // §18.1.2: a response whose top Via does not carry the
                // sent-by the request went out with is not for this
                // transport: discarded.
                if let Some(sent) = self.entries.get(h).and_then(|e| e.sent.as_ref()) {
                    let their_port = top
                        .sent_by
                        .port
                        .unwrap_or_else(|| top.transport.default_port());
                    if top.sent_by.host != sent.host || their_port != sent.port {
                        self.stats.misrouted_responses += 1;
                        return;
                    }
                }
                h
            }
        };
        let disposition = match self.entries.get_mut(h).map(|e| &mut e.machine) {
            Some(Machine::ClientInvite(tx)) => tx.handle_response(now, &m),
            Some(Machine::ClientNonInvite(tx)) => match m.status() {
                Some(s) => tx.handle_response(now, s),
                None => Disposition::Absorbed,
            },
            _ => Disposition::Absorbed,
        };
        if disposition == Disposition::PassUp {
            self.events.push_back(Event::Response {
                transaction: ClientId(h),
                response: msg,
                origin,
            });
        }
        self.after_step(now, h);
    }

    /// Whether the top Via of response `m` is, octet for octet, the one a
    /// client transaction's request went out with (found by the branch read
    /// without a parse). Then it is the transaction a parse of the Via would
    /// find, since that parse gave the transaction its key, and its sent-by
    /// is the request's.
    fn echoed<'m>(&self, m: &MessageRef<'m>, method: &Method<'_>) -> Echo<'m> {
        let Some((_, value)) = m.top_via_plain() else {
            return Echo::Unknown;
        };
        let Some(branch) = via::plain_branch(value) else {
            return Echo::Unknown;
        };
        let found = self.find_key(&KeyRef {
            parts: Parts::Client { branch },
            method,
        });
        let same = found
            .and_then(|h| self.entries.get(h))
            .and_then(|e| {
                let (at, len) = e.sent.as_ref()?.via?;
                let request = e.machine.client_request()?;
                request.get(usize::from(at)..usize::from(at) + usize::from(len))
            })
            .is_some_and(|sent| sent == value);
        match found {
            Some(h) if same => Echo::Same(h),
            _ => Echo::Differs { branch, found },
        }
    }
}
