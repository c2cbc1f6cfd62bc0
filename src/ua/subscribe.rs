//! Subscriptions (RFC 6665) on both sides: SUBSCRIBE and NOTIFY dialogs,
//! refresh, expiry, termination, Subscription-State, NOTIFYs that arrive
//! before the 2xx or from other forks. The event package and its bodies
//! are the caller's.

use std::fmt;
use std::time::{Duration, Instant};

use crate::dialog::{Dialog, Role};
use crate::endpoint::{ClientId, Flow, ServerId};
use crate::header::{
    CSeq, CallId, Event, Expires, HeaderName, MaxForwards, MinExpires, NameAddr, SubscriptionState,
    Substate, To,
};
use crate::message::{Message, RequestBuilder};
use crate::method::Method;
use crate::status::StatusCode;
use crate::uri::Uri;

use super::{Body, Purpose, TimerKey, UaError, UaEvent, UserAgent, contact_for, via_for};

/// A subscription to make: who subscribes to what event of whom, for how
/// long, over which flow.
#[derive(Clone, Debug)]
#[must_use]
pub struct Subscribe {
    from: Uri<'static>,
    target: Uri<'static>,
    event: String,
    expires: u32,
    flow: Flow,
    accept: Option<String>,
    body: Option<Body>,
    headers: Vec<(String, String)>,
}

impl Subscribe {
    /// `from` subscribes to `event` (an Event header value: `presence`,
    /// `reg`, `dialog;id=7`) of `target`, for 3600 s, sent on `flow`.
    pub fn new(from: Uri<'static>, target: Uri<'static>, event: &str, flow: Flow) -> Subscribe {
        Subscribe {
            from,
            target,
            event: event.to_owned(),
            expires: 3600,
            flow,
            accept: None,
            body: None,
            headers: Vec::new(),
        }
    }

    /// The duration asked for, in seconds.
    pub fn expires(mut self, seconds: u32) -> Subscribe {
        self.expires = seconds;
        self
    }

    /// The Accept header (the body types the subscriber understands).
    pub fn accept(mut self, types: &str) -> Subscribe {
        self.accept = Some(types.to_owned());
        self
    }

    /// A body (a filter, for packages that take one).
    pub fn body(mut self, body: Body) -> Subscribe {
        self.body = Some(body);
        self
    }

    /// An extra header (Route, P-Asserted-Identity, ...).
    pub fn header(mut self, name: &str, value: &str) -> Subscribe {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// One subscription of a [`UserAgent`], either side; valid until its
/// [`UaEvent::SubscriptionEnded`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriptionId {
    pub(super) index: u32,
    pub(super) generation: u32,
}

impl fmt::Debug for SubscriptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subscription#{}.{}", self.index, self.generation)
    }
}

/// The state a notifier reports in a NOTIFY (RFC 6665 §8.2.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotifyState {
    /// `active;expires=<remaining>`.
    Active,
    /// `pending;expires=<remaining>`: waiting for authorization.
    Pending,
    /// `terminated;reason=<reason>`: the subscription ends with this NOTIFY
    /// (`deactivated`, `probation`, `rejected`, `timeout`, `giveup`,
    /// `noresource`, `invariant`).
    Terminated(String),
}

/// Why a subscription ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubscriptionEnd {
    /// The SUBSCRIBE got this final response (or 408 when it timed out).
    Rejected(StatusCode),
    /// The notifier sent a NOTIFY with `terminated`, with its `reason` and
    /// `retry-after` when given.
    Terminated {
        /// The `reason` parameter.
        reason: Option<String>,
        /// The `retry-after` parameter, in seconds.
        retry_after: Option<u32>,
    },
    /// This side ended it ([`UserAgent::unsubscribe`], a terminating
    /// [`UserAgent::notify`], [`UserAgent::reject_subscription`]) or the
    /// subscriber unsubscribed (notifier side; a final NOTIFY was sent).
    Ended,
    /// It was not refreshed in time (a final NOTIFY was sent by a
    /// notifier).
    Expired,
}

/// The state of one subscription.
#[derive(Debug)]
pub(super) struct Subscription {
    pub(super) generation: u32,
    pub(super) role: Role,
    pub(super) event: String,
    pub(super) dialog: Option<Dialog>,
    pub(super) flow: Flow,
    /// The SUBSCRIBE that made it (sent or received).
    pub(super) request: Message,
    pub(super) call_id: String,
    pub(super) local_tag: String,
    pub(super) contact: String,
    pub(super) expires: u32,
    pub(super) expires_at: Option<Instant>,
    pub(super) refresh_at: Option<Instant>,
    /// The subscriber's SUBSCRIBE in flight.
    pub(super) pending: Option<ClientId>,
    /// The notifier's SUBSCRIBE waiting for the user.
    pub(super) server: Option<ServerId>,
    pub(super) unsubscribing: bool,
    pub(super) accept: Option<String>,
}

impl Subscription {
    fn wake(&self) -> Option<Instant> {
        [self.expires_at, self.refresh_at]
            .into_iter()
            .flatten()
            .min()
    }
}

/// The live subscription `id` in `subscriptions`.
fn sub_slot(
    subscriptions: &mut [Option<Subscription>],
    id: SubscriptionId,
) -> Result<&mut Subscription, UaError> {
    subscriptions
        .get_mut(id.index as usize)
        .and_then(Option::as_mut)
        .filter(|s| s.generation == id.generation)
        .ok_or(UaError::UnknownSession)
}

/// Refresh a subscription granted for `granted` seconds: at 90 % of it
/// for long ones, halfway for short ones.
fn refresh_after(granted: u32) -> Duration {
    let s = if granted > 600 {
        granted - granted / 10
    } else {
        granted / 2
    };
    Duration::from_secs(u64::from(s.max(1)))
}

fn event_matches(a: &str, b: &str) -> bool {
    match (
        crate::header::TypedHeader::parse(a),
        crate::header::TypedHeader::parse(b),
    ) {
        (Ok(x), Ok(y)) => Event::matches(&x, &y),
        _ => a.eq_ignore_ascii_case(b),
    }
}

impl UserAgent {
    fn subscription(&self, id: SubscriptionId) -> Option<&Subscription> {
        self.subscriptions
            .get(id.index as usize)?
            .as_ref()
            .filter(|s| s.generation == id.generation)
    }

    fn subscription_mut(&mut self, id: SubscriptionId) -> Option<&mut Subscription> {
        self.subscriptions
            .get_mut(id.index as usize)?
            .as_mut()
            .filter(|s| s.generation == id.generation)
    }

    fn insert_subscription(&mut self, sub: Subscription) -> SubscriptionId {
        self.live_subscriptions += 1;
        let generation = sub.generation;
        let index = match self.free_subscriptions.pop() {
            Some(i) => {
                self.subscriptions[i as usize] = Some(sub);
                i
            }
            None => {
                self.subscriptions.push(Some(sub));
                (self.subscriptions.len() - 1) as u32
            }
        };
        SubscriptionId { index, generation }
    }

    fn end_subscription(&mut self, id: SubscriptionId, reason: SubscriptionEnd) {
        let Some(sub) = self.subscription_mut(id) else {
            return;
        };
        if let Some(d) = sub.dialog.take() {
            self.dialogs.remove(d.id().as_ref(), id);
        }
        let sub = self.subscription(id).expect("found above");
        let key = (sub.call_id.clone(), sub.local_tag.clone());
        if self.pending_subscriptions.get(&key) == Some(&id) {
            self.pending_subscriptions.remove(&key);
        }
        self.subscriptions[id.index as usize] = None;
        self.free_subscriptions.push(id.index);
        self.live_subscriptions -= 1;
        self.events.push_back(UaEvent::SubscriptionEnded {
            subscription: id,
            reason,
        });
    }

    fn schedule_subscription(&mut self, id: SubscriptionId) {
        if let Some(at) = self.subscription(id).and_then(Subscription::wake) {
            self.timers
                .push(std::cmp::Reverse((at, TimerKey::Subscription(id.index))));
        }
    }

    /// The subscription's dialog, once there is one.
    pub fn subscription_dialog(&self, id: SubscriptionId) -> Option<&Dialog> {
        self.subscription(id)?.dialog.as_ref()
    }

    // ----- the subscriber -----

    /// Subscribes (RFC 6665 §4.1): sends the SUBSCRIBE, then refreshes it
    /// before it expires. NOTIFYs are answered and reported as
    /// [`UaEvent::Notify`]; one that comes before the 2xx makes the dialog,
    /// one from another fork a new subscription
    /// ([`UaEvent::SubscriptionForked`]).
    ///
    /// # Errors
    /// [`UaError::Build`] for a malformed extra header, or the endpoint's
    /// refusal.
    pub fn subscribe(&mut self, now: Instant, spec: Subscribe) -> Result<SubscriptionId, UaError> {
        if self.live_subscriptions >= self.config.max_sessions {
            return Err(UaError::Capacity);
        }
        let flow = spec.flow;
        let from =
            crate::header::From::new(NameAddr::new(spec.from.clone())).with_tag(&mut self.rng);
        let local_tag = from.tag().unwrap_or_default().to_owned();
        let call_id = CallId::random(&mut self.rng, None);
        let contact = contact_for(spec.from.as_sip().and_then(|s| s.user()), &flow);
        let mut b = RequestBuilder::new(Method::Subscribe, &spec.target)
            .header(&via_for(&flow, &mut self.rng))
            .header(&MaxForwards(70))
            .header(&from)
            .header(&To::new(NameAddr::new(spec.target.clone())))
            .header(&call_id)
            .header(&CSeq {
                seq: 1,
                method: Method::Subscribe,
            })
            .raw_header("Contact", &contact)
            .raw_header("Event", &spec.event)
            .header(&Expires(spec.expires));
        if let Some(accept) = &spec.accept {
            b = b.raw_header("Accept", accept);
        }
        for (name, value) in &spec.headers {
            b = b.raw_header(name, value);
        }
        if let Some(body) = &spec.body {
            b = b.body(&body.content_type, body.data.clone());
        }
        let request = b.build()?;
        let client = self.endpoint.send_request(now, request.clone(), flow)?;
        let generation = self.generation();
        let id = self.insert_subscription(Subscription {
            generation,
            role: Role::Uac,
            event: spec.event,
            dialog: None,
            flow,
            request,
            call_id: call_id.as_str().to_owned(),
            local_tag: local_tag.clone(),
            contact,
            expires: spec.expires,
            expires_at: None,
            refresh_at: None,
            pending: Some(client),
            server: None,
            unsubscribing: false,
            accept: spec.accept,
        });
        self.pending_subscriptions
            .insert((call_id.as_str().to_owned(), local_tag), id);
        self.clients
            .insert(client, (None, Purpose::Subscribe(id.index, id.generation)));
        Ok(id)
    }

    /// Ends a subscription this side made: a SUBSCRIBE with Expires 0 in
    /// its dialog; it ends when the notifier's final NOTIFY arrives (or 32
    /// s later).
    ///
    /// # Errors
    /// [`UaError::UnknownSession`] for an unknown subscription,
    /// [`UaError::State`] on the notifier's side.
    pub fn unsubscribe(&mut self, now: Instant, id: SubscriptionId) -> Result<(), UaError> {
        let sub = self.subscription_mut(id).ok_or(UaError::UnknownSession)?;
        if sub.role != Role::Uac {
            return Err(UaError::State("a notifier ends with notify(Terminated)"));
        }
        sub.unsubscribing = true;
        sub.refresh_at = None;
        sub.expires_at = Some(now + Duration::from_secs(32));
        if sub.dialog.is_some() && sub.pending.is_none() {
            self.send_subscribe_in_dialog(now, id, 0)?;
        }
        self.schedule_subscription(id);
        Ok(())
    }

    /// A SUBSCRIBE within the subscription's dialog with `expires`.
    fn send_subscribe_in_dialog(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        expires: u32,
    ) -> Result<(), UaError> {
        let Self {
            subscriptions,
            rng,
            config,
            ..
        } = self;
        let sub = sub_slot(subscriptions, id)?;
        let dialog = sub.dialog.as_mut().ok_or(UaError::State("no dialog yet"))?;
        let flow = super::hop_flow(dialog, &sub.flow);
        let via = via_for(&flow, rng);
        let mut b = dialog
            .request(Method::Subscribe, &via)
            .raw_header("Contact", &sub.contact)
            .raw_header("Event", &sub.event)
            .header(&Expires(expires));
        if let Some(accept) = &sub.accept {
            b = b.raw_header("Accept", accept);
        }
        if let Some(ua) = config.user_agent.as_deref() {
            b = b.raw_header("User-Agent", ua);
        }
        let request = b.build()?;
        let client = self.endpoint.send_request(now, request.clone(), flow)?;
        self.clients
            .insert(client, (None, Purpose::Subscribe(id.index, id.generation)));
        let sub = self.subscription_mut(id).ok_or(UaError::UnknownSession)?;
        sub.pending = Some(client);
        sub.request = request;
        Ok(())
    }

    /// A final response to a SUBSCRIBE of this side.
    pub(super) fn on_subscribe_response(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        client: ClientId,
        response: &Message,
    ) {
        let Some(sub) = self.subscription_mut(id) else {
            return;
        };
        if sub.pending != Some(client) {
            return;
        }
        sub.pending = None;
        let msg = response.as_ref();
        let Some(status) = msg.status() else {
            return;
        };
        if status.is_success() {
            if sub.dialog.is_none() {
                match Dialog::uac(&sub.request.as_ref(), &msg) {
                    Ok(d) => {
                        let key = d.id().clone();
                        sub.dialog = Some(d);
                        self.dialogs.insert(key, id);
                    }
                    Err(_) => return self.end_subscription(id, SubscriptionEnd::Rejected(status)),
                }
            }
            let sub = self.subscription_mut(id).expect("found above");
            if let Some(d) = &mut sub.dialog {
                let _ = d.refresh_target(&msg);
            }
            if sub.unsubscribing {
                // The Expires 0 was accepted: the final NOTIFY follows; a
                // 2xx to the first SUBSCRIBE lets the unsubscribe go now.
                let asked = sub
                    .request
                    .as_ref()
                    .header::<Expires>()
                    .and_then(Result::ok)
                    .map(|e| e.0);
                if asked != Some(0) {
                    let _ = self.send_subscribe_in_dialog(now, id, 0);
                }
                return;
            }
            let granted = msg
                .header::<Expires>()
                .and_then(Result::ok)
                .map_or(sub.expires, |e| e.0);
            sub.expires_at = Some(now + Duration::from_secs(u64::from(granted)));
            sub.refresh_at = Some(now + refresh_after(granted));
            self.schedule_subscription(id);
            self.events.push_back(UaEvent::Subscribed {
                subscription: id,
                expires: granted,
            });
            return;
        }
        if status == StatusCode::INTERVAL_TOO_BRIEF
            && let Some(Ok(MinExpires(min))) = msg.header::<MinExpires>()
            && min > sub.expires
        {
            sub.expires = min;
            let retry = if sub.dialog.is_some() {
                self.send_subscribe_in_dialog(now, id, min)
            } else {
                self.resend_initial_subscribe(now, id, min)
            };
            if retry.is_ok() {
                return;
            }
        }
        // A refresh that fails ends the subscription (RFC 6665 §4.1.2.2).
        self.end_subscription(id, SubscriptionEnd::Rejected(status));
    }

    /// The first SUBSCRIBE again (after a 423), with a longer expiry.
    fn resend_initial_subscribe(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        expires: u32,
    ) -> Result<(), UaError> {
        let Self {
            subscriptions, rng, ..
        } = self;
        let sub = sub_slot(subscriptions, id)?;
        let mut edit = sub.request.as_ref().reissue(rng)?;
        edit.replace("Expires", &expires.to_string());
        let request = edit.finish()?;
        let flow = sub.flow;
        let client = self.endpoint.send_request(now, request.clone(), flow)?;
        self.clients
            .insert(client, (None, Purpose::Subscribe(id.index, id.generation)));
        let sub = self.subscription_mut(id).ok_or(UaError::UnknownSession)?;
        sub.pending = Some(client);
        sub.request = request;
        Ok(())
    }

    /// The SUBSCRIBE's transaction ended without a final response.
    pub(super) fn on_subscribe_timeout(&mut self, id: SubscriptionId, client: ClientId) {
        if self
            .subscription(id)
            .is_some_and(|s| s.pending == Some(client))
        {
            self.end_subscription(id, SubscriptionEnd::Rejected(StatusCode::REQUEST_TIMEOUT));
        }
    }

    /// A NOTIFY that matches no dialog: the first one of a subscription
    /// whose 2xx has not come, or one from another fork. `true` when it was
    /// taken.
    pub(super) fn notify_outside_dialog(
        &mut self,
        now: Instant,
        server: ServerId,
        request: &Message,
        origin: Flow,
    ) -> bool {
        let msg = request.as_ref();
        let (Ok(call_id), Ok(Some(local))) = (msg.call_id(), msg.to_tag()) else {
            return false;
        };
        let key = (call_id.as_str().to_owned(), local.to_owned());
        let Some(&id) = self.pending_subscriptions.get(&key) else {
            return false;
        };
        let Some(sub) = self.subscription(id) else {
            return false;
        };
        let event = msg
            .get_known(HeaderName::Event)
            .and_then(|h| h.value_str())
            .unwrap_or("");
        if !event_matches(event, &sub.event) {
            return false;
        }
        let Ok(mut dialog) = Dialog::uas(&msg, local, true) else {
            return false;
        };
        // This side's requests continue after its SUBSCRIBE's number.
        let sent = sub.request.as_ref().cseq().map_or(1, |c| c.seq);
        dialog.set_local_seq(sent);
        let target = if sub.dialog.is_none() {
            id
        } else if self.live_subscriptions >= self.config.max_sessions {
            return false;
        } else {
            // Another fork: a subscription of its own (RFC 6665 §4.1.2.4).
            let generation = self.generation();
            let sub = self.subscription(id).expect("found above");
            let fork = Subscription {
                generation,
                role: Role::Uac,
                event: sub.event.clone(),
                dialog: None,
                flow: origin,
                request: sub.request.clone(),
                call_id: sub.call_id.clone(),
                local_tag: sub.local_tag.clone(),
                contact: sub.contact.clone(),
                expires: sub.expires,
                expires_at: sub.expires_at,
                refresh_at: sub.refresh_at,
                pending: None,
                server: None,
                unsubscribing: false,
                accept: sub.accept.clone(),
            };
            let fork = self.insert_subscription(fork);
            self.events.push_back(UaEvent::SubscriptionForked {
                subscription: id,
                fork,
            });
            fork
        };
        self.dialogs.insert(dialog.id().clone(), target);
        if let Some(sub) = self.subscription_mut(target) {
            sub.dialog = Some(dialog);
            // The dialog is made by the NOTIFY: its CSeq is recorded.
        }
        self.on_notify(now, target, server, request.clone());
        true
    }

    /// A request within a subscription's dialog.
    pub(super) fn in_subscription(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        server: ServerId,
        request: Message,
        _origin: Flow,
    ) {
        let msg = request.as_ref();
        let Some(sub) = self.subscription_mut(id) else {
            return;
        };
        let Some(dialog) = &mut sub.dialog else {
            return;
        };
        if let Err(refusal) = dialog.receive(&msg) {
            self.answer_with(now, server, &msg, refusal.status(), None);
            return;
        }
        match (msg.method(), sub.role) {
            (Some(Method::Notify), Role::Uac) => self.on_notify(now, id, server, request),
            (Some(Method::Subscribe), Role::Uas) => self.on_refresh(now, id, server, &request),
            _ => self.answer_with(now, server, &msg, StatusCode::METHOD_NOT_ALLOWED, None),
        }
    }

    /// A NOTIFY for subscription `id` (its CSeq checked by the dialog, or
    /// recorded by the dialog it made): answered 200, reported, and its
    /// Subscription-State applied.
    fn on_notify(&mut self, now: Instant, id: SubscriptionId, server: ServerId, request: Message) {
        let msg = request.as_ref();
        let state = match msg.header::<SubscriptionState<'_>>() {
            Some(Ok(s)) => s.into_owned(),
            _ => {
                self.answer_with(now, server, &msg, StatusCode::BAD_REQUEST, None);
                return;
            }
        };
        self.answer_with(now, server, &msg, StatusCode::OK, None);
        let Some(sub) = self.subscription_mut(id) else {
            return;
        };
        if let Some(d) = &mut sub.dialog {
            let _ = d.refresh_target(&msg);
        }
        self.events.push_back(UaEvent::Notify {
            subscription: id,
            request: request.clone(),
        });
        let sub = self.subscription_mut(id).expect("found above");
        match state.state {
            Substate::Terminated => {
                let reason = state.reason().map(|r| r.as_str().to_owned());
                let retry_after = state.retry_after();
                let end = if sub.unsubscribing {
                    SubscriptionEnd::Ended
                } else {
                    SubscriptionEnd::Terminated {
                        reason,
                        retry_after,
                    }
                };
                self.end_subscription(id, end);
            }
            _ => {
                // The notifier may shorten the subscription (§4.1.2.3).
                if let Some(left) = state.expires()
                    && !sub.unsubscribing
                {
                    let at = now + Duration::from_secs(u64::from(left));
                    if sub.expires_at.is_none_or(|e| at < e) {
                        sub.expires_at = Some(at);
                        sub.refresh_at = Some(now + refresh_after(left));
                    }
                }
                self.schedule_subscription(id);
            }
        }
    }

    // ----- the notifier -----

    /// A SUBSCRIBE outside any dialog: a subscription waiting for the user
    /// ([`UaEvent::SubscriptionRequest`]).
    pub(super) fn on_subscribe(
        &mut self,
        now: Instant,
        server: ServerId,
        request: Message,
        origin: Flow,
    ) {
        let msg = request.as_ref();
        let Some(event) = msg
            .get_known(HeaderName::Event)
            .and_then(|h| h.value_str())
            .map(str::to_owned)
        else {
            // RFC 6665 §8.2.1: no Event header, no package.
            self.answer_with(now, server, &msg, StatusCode::BAD_EVENT, None);
            return;
        };
        let Ok(call_id) = msg.call_id() else {
            return;
        };
        if self.live_subscriptions >= self.config.max_sessions {
            let retry = self.config.endpoint.retry_after.to_string();
            self.answer_with(
                now,
                server,
                &msg,
                StatusCode::SERVICE_UNAVAILABLE,
                Some(("Retry-After", &retry)),
            );
            return;
        }
        let user = msg
            .request_uri()
            .and_then(Result::ok)
            .and_then(|u| u.as_sip().and_then(|s| s.user().map(str::to_owned)));
        let generation = self.generation();
        let local_tag = crate::random::tag(&mut self.rng);
        let id = self.insert_subscription(Subscription {
            generation,
            role: Role::Uas,
            event,
            dialog: None,
            flow: origin,
            request: request.clone(),
            call_id: call_id.as_str().to_owned(),
            local_tag,
            contact: contact_for(user.as_deref(), &origin),
            expires: msg
                .header::<Expires>()
                .and_then(Result::ok)
                .map_or(3600, |e| e.0),
            expires_at: None,
            refresh_at: None,
            pending: None,
            server: Some(server),
            unsubscribing: false,
            accept: None,
        });
        self.events.push_back(UaEvent::SubscriptionRequest {
            subscription: id,
            request,
        });
    }

    /// Accepts a [`UaEvent::SubscriptionRequest`] with 200 and a duration
    /// of at most `expires` seconds (less when the subscriber asked for
    /// less). Send the first NOTIFY at once with [`UserAgent::notify`]
    /// (RFC 6665 §4.2.1.2).
    ///
    /// # Errors
    /// [`UaError::State`] when the request was answered already.
    pub fn accept_subscription(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        expires: u32,
    ) -> Result<(), UaError> {
        let sub = self.subscription_mut(id).ok_or(UaError::UnknownSession)?;
        let server = sub
            .server
            .take()
            .ok_or(UaError::State("answered already"))?;
        let granted = sub.expires.min(expires);
        let request = sub.request.clone();
        let msg = request.as_ref();
        let dialog = Dialog::uas(&msg, &sub.local_tag, true)?;
        let response = msg
            .response(StatusCode::OK)?
            .to_tag(&sub.local_tag)
            .raw_header("Contact", &sub.contact)
            .header(&Expires(granted))
            .build()?;
        sub.expires = granted;
        if granted == 0 {
            // A fetch (RFC 6665 §4.4.3): one NOTIFY, then it ends.
            sub.expires_at = Some(now + Duration::from_secs(32));
        } else {
            sub.expires_at = Some(now + Duration::from_secs(u64::from(granted)));
        }
        let key = dialog.id().clone();
        sub.dialog = Some(dialog);
        self.dialogs.insert(key, id);
        self.endpoint.respond(now, server, response)?;
        self.schedule_subscription(id);
        Ok(())
    }

    /// Rejects a [`UaEvent::SubscriptionRequest`] with a final `status`
    /// (403, 489 Bad Event, ...); the subscription ends.
    ///
    /// # Errors
    /// [`UaError::State`] when the request was answered already or for a
    /// status below 300.
    pub fn reject_subscription(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        status: StatusCode,
    ) -> Result<(), UaError> {
        if status.as_u16() < 300 {
            return Err(UaError::State("a rejection is 3xx–6xx"));
        }
        let sub = self.subscription_mut(id).ok_or(UaError::UnknownSession)?;
        let server = sub
            .server
            .take()
            .ok_or(UaError::State("answered already"))?;
        let response = sub.request.as_ref().response(status)?.build()?;
        self.endpoint.respond(now, server, response)?;
        self.end_subscription(id, SubscriptionEnd::Ended);
        Ok(())
    }

    /// Sends a NOTIFY with `state` and `body` (the event package's) in an
    /// accepted subscription; with [`NotifyState::Terminated`] the
    /// subscription ends.
    ///
    /// # Errors
    /// [`UaError::State`] before [`UserAgent::accept_subscription`] or on
    /// the subscriber's side.
    pub fn notify(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        state: NotifyState,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let sub = self.subscription(id).ok_or(UaError::UnknownSession)?;
        if sub.role != Role::Uas || sub.dialog.is_none() {
            return Err(UaError::State("no accepted subscription to notify"));
        }
        let terminated = matches!(state, NotifyState::Terminated(_));
        self.send_notify(now, id, state, body)?;
        if terminated {
            self.end_subscription(id, SubscriptionEnd::Ended);
        }
        Ok(())
    }

    fn send_notify(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        state: NotifyState,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let Self {
            subscriptions,
            rng,
            config,
            ..
        } = self;
        let sub = sub_slot(subscriptions, id)?;
        let left = sub
            .expires_at
            .map_or(0, |at| at.saturating_duration_since(now).as_secs());
        let state_value = match &state {
            NotifyState::Active => format!("active;expires={left}"),
            NotifyState::Pending => format!("pending;expires={left}"),
            NotifyState::Terminated(reason) => format!("terminated;reason={reason}"),
        };
        let dialog = sub.dialog.as_mut().ok_or(UaError::State("no dialog"))?;
        let flow = super::hop_flow(dialog, &sub.flow);
        let via = via_for(&flow, rng);
        let mut b = dialog
            .request(Method::Notify, &via)
            .raw_header("Contact", &sub.contact)
            .raw_header("Event", &sub.event)
            .raw_header("Subscription-State", &state_value);
        if let Some(ua) = config.user_agent.as_deref() {
            b = b.raw_header("User-Agent", ua);
        }
        if let Some(body) = &body {
            b = b.body(&body.content_type, body.data.clone());
        }
        let request = b.build()?;
        let client = self.endpoint.send_request(now, request, flow)?;
        self.clients.insert(client, (None, Purpose::Notify));
        Ok(())
    }

    /// A refreshing (or ending) SUBSCRIBE in the notifier's dialog.
    fn on_refresh(
        &mut self,
        now: Instant,
        id: SubscriptionId,
        server: ServerId,
        request: &Message,
    ) {
        let msg = request.as_ref();
        let Some(sub) = self.subscription_mut(id) else {
            return;
        };
        // No longer than first granted (this side's ceiling).
        let asked = msg
            .header::<Expires>()
            .and_then(Result::ok)
            .map_or(sub.expires, |e| e.0);
        let granted = asked.min(sub.expires);
        if let Some(d) = &mut sub.dialog {
            let _ = d.refresh_target(&msg);
        }
        let local_tag = sub.local_tag.clone();
        let contact = sub.contact.clone();
        if let Ok(b) = msg.response(StatusCode::OK)
            && let Ok(r) = b
                .to_tag(&local_tag)
                .raw_header("Contact", &contact)
                .header(&Expires(granted))
                .build()
        {
            let _ = self.endpoint.respond(now, server, r);
        }
        if granted == 0 {
            // Unsubscribed: the final NOTIFY (RFC 6665 §4.2.1.4).
            let _ = self.send_notify(now, id, NotifyState::Terminated("timeout".into()), None);
            self.end_subscription(id, SubscriptionEnd::Ended);
            return;
        }
        let sub = self.subscription_mut(id).expect("found above");
        sub.expires_at = Some(now + Duration::from_secs(u64::from(granted)));
        self.schedule_subscription(id);
        self.events.push_back(UaEvent::SubscriptionRefreshed {
            subscription: id,
            expires: granted,
        });
    }

    /// The timer of subscription number `index`: a subscriber refreshes or
    /// gives up, a notifier ends an expired subscription with a final
    /// NOTIFY.
    pub(super) fn on_subscription_timer(&mut self, now: Instant, index: u32) {
        let Some(Some(sub)) = self.subscriptions.get(index as usize) else {
            return;
        };
        let id = SubscriptionId {
            index,
            generation: sub.generation,
        };
        if sub.expires_at.is_some_and(|at| now >= at) {
            let notify = sub.role == Role::Uas && sub.dialog.is_some();
            let end = if sub.unsubscribing {
                SubscriptionEnd::Ended
            } else {
                SubscriptionEnd::Expired
            };
            if notify {
                let _ = self.send_notify(now, id, NotifyState::Terminated("timeout".into()), None);
            }
            self.end_subscription(id, end);
            return;
        }
        if sub.refresh_at.is_some_and(|at| now >= at) && sub.pending.is_none() {
            let expires = sub.expires;
            if let Some(sub) = self.subscription_mut(id) {
                sub.refresh_at = None;
            }
            let _ = self.send_subscribe_in_dialog(now, id, expires);
        }
        self.schedule_subscription(id);
    }

    /// When subscription number `index` wants its timer.
    pub(super) fn subscription_wake(&self, index: u32) -> Option<Instant> {
        self.subscriptions.get(index as usize)?.as_ref()?.wake()
    }
}
