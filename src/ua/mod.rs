//! The user-agent core (RFC 3261 §8, §12–15): INVITE sessions on both
//! sides over the transaction [`Endpoint`], with the same sans-IO verbs.
//!
//! A [`UserAgent`] owns an endpoint. The application decides (call,
//! ring, answer, reject, hang up, which session description); the user
//! agent does what SIP requires around it:
//!
//! - tags, Call-IDs, branches, CSeq numbers, Contact and the dialog
//!   state of [`crate::dialog`] on both sides;
//! - the UAC's ACK for every 2xx (retransmitted 2xx included), the CANCEL
//!   held back until a provisional response arrived (§9.1), the ACK and
//!   BYE of a second 2xx from another fork (§13.2.2.4), the rule that a
//!   response with more than one Via is discarded (§8.1.3.3);
//! - the UAS's 2xx retransmitted until the ACK and a BYE when none comes
//!   (§13.3.1.4), 487 on CANCEL, a BYE held back until the ACK (§15);
//! - requests within a dialog: 481 outside any dialog, 500 for a lower
//!   CSeq, 491 and 500 for overlapping re-INVITEs and the §14.1 glare
//!   retry, target refresh from re-INVITE and UPDATE (RFC 3311);
//! - reliable provisional responses (RFC 3262: RSeq, PRACK, one at a
//!   time, the 2xx held back), session timers (RFC 4028: negotiation, 422,
//!   refresh by the refresher, BYE on expiry);
//! - the RFC 3264 offer/answer state of each session ([`OfferAnswer`]):
//!   the bodies are carried as they are, and with the `sdp` feature the
//!   state hands them out parsed and makes the answer it owes from the
//!   user's capabilities;
//! - the registration client ([`UserAgent::register`]: Digest or IMS AKA,
//!   423, refresh, the binding granted) and RFC 6665 subscriptions on
//!   both sides ([`UserAgent::subscribe`], [`UserAgent::accept_subscription`],
//!   [`UserAgent::notify`]).
//!
//! Drive it like the endpoint: feed [`UserAgent::handle_input`] and
//! [`UserAgent::handle_timeout`], then drain [`UserAgent::poll_transmit`],
//! [`UserAgent::poll_event`] and [`UserAgent::poll_timeout`].
//!
//! ```
//! use std::time::Instant;
//! use imsip::ua::{Body, Call, UaConfig, UaEvent, UserAgent};
//! use imsip::uri::Uri;
//! use imsip::{Flow, Transport};
//!
//! let (a, b) = ("127.0.0.1:5060".parse()?, "127.0.0.1:5062".parse()?);
//! let mut alice = UserAgent::new(UaConfig::default());
//! let mut bob = UserAgent::new(UaConfig::default());
//! let now = Instant::now();
//!
//! let call = alice.call(now, Call::new(
//!     Uri::parse("sip:alice@127.0.0.1")?.into_owned(),
//!     Uri::parse("sip:bob@127.0.0.1:5062")?.into_owned(),
//!     Flow::new(Transport::Udp, a, b),
//! ).body(Body::sdp("v=0\r\n")))?;
//!
//! // Carry what each side sends to the other until nothing moves.
//! let mut answered = false;
//! loop {
//!     let mut moved = false;
//!     while let Some(t) = alice.poll_transmit() {
//!         bob.handle_input(now, Flow::new(t.flow.transport, b, a), t.payload);
//!         moved = true;
//!     }
//!     while let Some(t) = bob.poll_transmit() {
//!         alice.handle_input(now, Flow::new(t.flow.transport, a, b), t.payload);
//!         moved = true;
//!     }
//!     while let Some(event) = bob.poll_event() {
//!         if let UaEvent::IncomingCall { session, .. } = event {
//!             bob.answer(now, session, Some(Body::sdp("v=0\r\n")))?;
//!         }
//!     }
//!     while let Some(event) = alice.poll_event() {
//!         if let UaEvent::Answered { session, .. } = event {
//!             assert_eq!(session, call);
//!             answered = true;
//!         }
//!     }
//!     if !moved { break; }
//! }
//! assert!(answered);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod register;
mod session;
mod subscribe;
mod table;
mod timer;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fmt;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::dialog::{Dialog, DialogError, DialogId, DialogIdRef, Role};
use crate::endpoint::{
    ClientId, Endpoint, EndpointConfig, Event, Flow, RespondError, SendError, ServerId,
    TransactionId, Transmit,
};
use crate::header::{CSeq, CallId, HeaderName, MaxForwards, NameAddr, To, Via};
use crate::message::{BuildError, Message, MessageRef, RequestBuilder, ValidationPolicy};
use crate::method::Method;
use crate::random::{self, Generator, Random};
use crate::status::StatusCode;
use crate::transport::Transport;
use crate::uri::{HostPort, SipUri, Uri};

pub use register::{Authenticator, Binding, Register, RegistrationId};
pub use session::{Body, OfferAnswer, OfferState, Phase};
use session::{Incoming, Outgoing, Reliable, Retransmit, Session};
pub use subscribe::{NotifyState, Subscribe, SubscriptionEnd, SubscriptionId};
use table::DialogTable;
pub use timer::{SessionTimer, SessionTimerConfig};

/// The methods a user agent built on this core allows (its Allow header).
const ALLOW: &str = "INVITE, ACK, CANCEL, BYE, UPDATE, OPTIONS, INFO, MESSAGE, NOTIFY, REFER";

/// The option tags the core implements (RFC 3262, RFC 4028).
const SUPPORTED: &[&str] = &["100rel", "timer"];

/// How a user agent behaves.
#[derive(Clone, Debug)]
pub struct UaConfig {
    /// The endpoint underneath: timers, parsing limits, the seed.
    pub endpoint: EndpointConfig,
    /// The User-Agent (in requests) and Server (in responses) header value,
    /// if any.
    pub user_agent: Option<String>,
    /// Reliable provisional responses (RFC 3262): INVITEs say
    /// `Supported: 100rel`, and provisional responses go reliably to an
    /// INVITE that supports it (always to one that requires it). Default
    /// on.
    pub reliable_provisional: bool,
    /// The most INVITE sessions, and the most subscriptions, alive at once
    /// (default 65 536 each): an INVITE or SUBSCRIBE that would start one
    /// more is answered 503 with Retry-After, and [`UserAgent::call`] or
    /// [`UserAgent::subscribe`] fails with [`UaError::Capacity`].
    pub max_sessions: usize,
    /// Session timers (RFC 4028): INVITEs ask for this interval, incoming
    /// ones are negotiated against it, and the refresher refreshes. `None`
    /// turns them off. On by default (1800 s, Min-SE 90 s).
    pub session_timer: Option<SessionTimerConfig>,
}

impl Default for UaConfig {
    fn default() -> Self {
        UaConfig {
            endpoint: EndpointConfig::default(),
            user_agent: Some(concat!("imsip/", env!("CARGO_PKG_VERSION")).to_owned()),
            reliable_provisional: true,
            max_sessions: 65_536,
            session_timer: Some(SessionTimerConfig::default()),
        }
    }
}

/// One INVITE session of a [`UserAgent`]: the handle of a call made with
/// [`UserAgent::call`] or reported by [`UaEvent::IncomingCall`], valid until
/// its [`UaEvent::Ended`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId {
    index: u32,
    generation: u32,
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "session#{}.{}", self.index, self.generation)
    }
}

/// An outgoing call: who calls whom over which flow, with an optional
/// offer and extra headers.
#[derive(Debug)]
#[must_use]
pub struct Call {
    from: NameAddr<'static>,
    to: NameAddr<'static>,
    request_uri: Uri<'static>,
    flow: Flow,
    body: Option<Body>,
    headers: Vec<(String, String)>,
    auth: Option<Box<crate::auth::digest::DigestClient>>,
}

impl Call {
    /// A call from `from` to `to`, sent on `flow` (the resolved next hop,
    /// RFC 3263 being the caller's).
    pub fn new(from: Uri<'static>, to: Uri<'static>, flow: Flow) -> Call {
        Call {
            from: NameAddr::new(from),
            request_uri: to.clone(),
            to: NameAddr::new(to),
            flow,
            body: None,
            headers: Vec::new(),
            auth: None,
        }
    }

    /// Digest credentials: a 401 or 407 to the INVITE is answered once
    /// per challenge with a new INVITE carrying them (RFC 3261 §22.2).
    pub fn credentials(mut self, username: &str, password: &[u8]) -> Call {
        self.auth = Some(Box::new(crate::auth::digest::DigestClient::new(
            username, password,
        )));
        self
    }

    /// The offer (RFC 3264): without one, the answerer offers in its 2xx
    /// and the offer must be answered with [`UserAgent::acknowledge`].
    pub fn body(mut self, body: Body) -> Call {
        self.body = Some(body);
        self
    }

    /// Display names of the From and To.
    pub fn display_names(mut self, from: Option<&str>, to: Option<&str>) -> Call {
        self.from.display_name = from.map(|s| s.to_owned().into());
        self.to.display_name = to.map(|s| s.to_owned().into());
        self
    }

    /// An extra header (Route, P-Preferred-Identity, Supported, ...).
    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Why a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// The INVITE got this final response (3xx–6xx); 487 after this side
    /// cancelled.
    Rejected(StatusCode),
    /// This side rejected the INVITE with this status.
    Declined(StatusCode),
    /// The caller cancelled before the answer (UAS), or this side did (UAC,
    /// after the 487).
    Cancelled,
    /// The peer sent BYE.
    RemoteBye,
    /// This side's BYE completed; the status of its answer, `None` when it
    /// timed out.
    LocalBye(Option<StatusCode>),
    /// The UAS's 2xx got no ACK within 64·T1 (RFC 3261 §13.3.1.4): a BYE
    /// was sent.
    NoAck,
    /// The INVITE got no final response (Timer B), or the transport failed.
    Timeout,
    /// A reliable provisional response got no PRACK within 64·T1 (RFC
    /// 3262 §3): the INVITE was rejected with 500.
    NoPrack,
    /// The session timer ran out (RFC 4028 §10): not refreshed in time, or
    /// this side's refresh failed; a BYE was sent.
    SessionExpired,
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndReason::Rejected(s) => write!(f, "rejected with {s}"),
            EndReason::Declined(s) => write!(f, "declined with {s}"),
            EndReason::Cancelled => f.write_str("cancelled"),
            EndReason::RemoteBye => f.write_str("the peer hung up"),
            EndReason::LocalBye(Some(s)) => write!(f, "hung up ({s})"),
            EndReason::LocalBye(None) => f.write_str("hung up (no answer to the BYE)"),
            EndReason::NoAck => f.write_str("no ACK for the 2xx"),
            EndReason::Timeout => f.write_str("timed out"),
            EndReason::NoPrack => f.write_str("no PRACK for a reliable provisional response"),
            EndReason::SessionExpired => f.write_str("the session timer expired"),
        }
    }
}

/// What a [`UserAgent`] reports.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum UaEvent {
    /// A new INVITE: answer with [`UserAgent::progress`],
    /// [`UserAgent::answer`] or [`UserAgent::reject`]. Its offer, if any,
    /// is the request's body.
    IncomingCall {
        /// The new session.
        session: SessionId,
        /// The INVITE.
        request: Message,
    },
    /// A provisional response to this side's INVITE (with a To tag it made
    /// an early dialog).
    Progress {
        /// The session.
        session: SessionId,
        /// The response.
        response: Message,
    },
    /// A 2xx to this side's INVITE: the dialog is confirmed and the ACK is
    /// sent (unless the 2xx held an offer: then
    /// [`UserAgent::acknowledge`] with the answer).
    Answered {
        /// The session.
        session: SessionId,
        /// The 2xx.
        response: Message,
    },
    /// The ACK for this side's 2xx arrived: the session is up.
    Confirmed {
        /// The session.
        session: SessionId,
        /// The ACK (its body is the answer when the 2xx held the offer).
        ack: Message,
    },
    /// The peer sent a re-INVITE or an UPDATE (its body, if any, is a new
    /// offer): answer with [`UserAgent::accept_update`] or
    /// [`UserAgent::reject_update`].
    Update {
        /// The session.
        session: SessionId,
        /// The re-INVITE or UPDATE.
        request: Message,
    },
    /// This side's re-INVITE or UPDATE was answered 2xx (its body, if any,
    /// is the answer); the ACK of a re-INVITE is sent.
    Updated {
        /// The session.
        session: SessionId,
        /// The 2xx.
        response: Message,
    },
    /// This side's re-INVITE or UPDATE failed; the session goes on as it
    /// was. A 491 is retried by the user agent itself (RFC 3261 §14.1) and
    /// not reported.
    UpdateFailed {
        /// The session.
        session: SessionId,
        /// The final status (408 when it timed out).
        status: StatusCode,
    },
    /// A request the core does not handle itself (OPTIONS, MESSAGE, INFO,
    /// NOTIFY, ...), inside a session's dialog or outside any: answer it
    /// with [`UserAgent::respond`].
    Request {
        /// The server transaction.
        transaction: ServerId,
        /// The session whose dialog it came in, if any.
        session: Option<SessionId>,
        /// The request.
        request: Message,
        /// The flow it came in on.
        origin: Flow,
    },
    /// A response to a request sent with [`UserAgent::send_request`] or
    /// [`UserAgent::request`].
    Response {
        /// The client transaction.
        transaction: ClientId,
        /// The session, for a request sent in one.
        session: Option<SessionId>,
        /// The response; a 408 the user agent made when the transaction
        /// timed out.
        response: Message,
    },
    /// A registration's REGISTER got a 2xx (the first time, and after each
    /// refresh): what the registrar granted.
    Registered {
        /// The registration.
        registration: RegistrationId,
        /// The granted expiry, Service-Route, P-Associated-URI and contacts.
        binding: Binding,
    },
    /// The registration's bindings were removed ([`UserAgent::unregister`],
    /// or the registrar granted 0 s); its handle is no longer valid.
    Unregistered {
        /// The registration.
        registration: RegistrationId,
    },
    /// A REGISTER failed beyond what the user agent answers itself (a
    /// challenge it cannot answer or answered too often, a 423 without a
    /// usable Min-Expires, any other failure, 408 for a timeout); the
    /// registration ended.
    RegistrationFailed {
        /// The registration.
        registration: RegistrationId,
        /// The final status.
        status: StatusCode,
    },
    /// A SUBSCRIBE outside any dialog: accept it with
    /// [`UserAgent::accept_subscription`] (then notify at once) or reject
    /// it with [`UserAgent::reject_subscription`]. Its Event header names
    /// the package.
    SubscriptionRequest {
        /// The new subscription (notifier side).
        subscription: SubscriptionId,
        /// The SUBSCRIBE.
        request: Message,
    },
    /// This side's SUBSCRIBE (first or refresh) got a 2xx: the duration
    /// granted, in seconds.
    Subscribed {
        /// The subscription.
        subscription: SubscriptionId,
        /// Seconds granted.
        expires: u32,
    },
    /// A NOTIFY for a subscription of this side, answered 200 already: its
    /// body is the package's; its Subscription-State was applied (a
    /// `terminated` one is followed by [`UaEvent::SubscriptionEnded`]).
    Notify {
        /// The subscription.
        subscription: SubscriptionId,
        /// The NOTIFY.
        request: Message,
    },
    /// A NOTIFY came from another fork of this side's SUBSCRIBE: a
    /// subscription of its own (RFC 6665 §4.1.2.4), reported by its
    /// NOTIFYs from now on.
    SubscriptionForked {
        /// The subscription made by the SUBSCRIBE.
        subscription: SubscriptionId,
        /// The new one, for the other fork.
        fork: SubscriptionId,
    },
    /// The subscriber refreshed (notifier side): the new duration.
    SubscriptionRefreshed {
        /// The subscription.
        subscription: SubscriptionId,
        /// Seconds granted.
        expires: u32,
    },
    /// A subscription ended; its handle is no longer valid.
    SubscriptionEnded {
        /// The subscription.
        subscription: SubscriptionId,
        /// Why.
        reason: SubscriptionEnd,
    },
    /// The session ended; its handle is no longer valid.
    Ended {
        /// The session.
        session: SessionId,
        /// Why.
        reason: EndReason,
    },
}

/// A command that does not fit the session's state, or a message that
/// cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum UaError {
    /// No such session (it ended, or never existed).
    #[error("no such session")]
    UnknownSession,
    /// The session is not in a state that allows this.
    #[error("not possible now: {0}")]
    State(&'static str),
    /// The message could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The endpoint refused to send it.
    #[error(transparent)]
    Send(#[from] SendError),
    /// The endpoint refused the response.
    #[error(transparent)]
    Respond(#[from] RespondError),
    /// A dialog could not be made from the messages.
    #[error(transparent)]
    Dialog(#[from] DialogError),
    /// [`UaConfig::max_sessions`] are alive.
    #[error("too many sessions")]
    Capacity,
}

/// What a client transaction of the user agent is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Invite,
    Cancel,
    Bye,
    /// A BYE for a dialog no session keeps (a second 2xx's).
    OrphanBye,
    Update,
    /// The user's own request.
    User,
    Prack,
    /// A REGISTER of the registration with this index and generation.
    Register(u32, u32),
    /// A SUBSCRIBE of the subscription with this index and generation.
    Subscribe(u32, u32),
    /// A NOTIFY this side sent.
    Notify,
}

/// What a dialog belongs to: an INVITE session or a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    Session(SessionId),
    Subscription(SubscriptionId),
}

impl From<SessionId> for Owner {
    fn from(id: SessionId) -> Owner {
        Owner::Session(id)
    }
}

impl From<SubscriptionId> for Owner {
    fn from(id: SubscriptionId) -> Owner {
        Owner::Subscription(id)
    }
}

/// What a timer of the user agent belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TimerKey {
    Session(u32),
    Registration(u32),
    Subscription(u32),
}

/// The user-agent core. See the [module documentation](self).
#[derive(Debug)]
pub struct UserAgent {
    endpoint: Endpoint,
    config: UaConfig,
    rng: Generator,
    sessions: Vec<Option<Session>>,
    free: Vec<u32>,
    next_generation: u32,
    dialogs: DialogTable,
    clients: HashMap<ClientId, (Option<SessionId>, Purpose)>,
    servers: HashMap<ServerId, SessionId>,
    timers: BinaryHeap<Reverse<(Instant, TimerKey)>>,
    registrations: Vec<Option<register::Registration>>,
    free_registrations: Vec<u32>,
    subscriptions: Vec<Option<subscribe::Subscription>>,
    free_subscriptions: Vec<u32>,
    /// Subscriptions whose NOTIFY may come before their dialog, by Call-ID
    /// and From tag.
    pending_subscriptions: HashMap<(String, String), SubscriptionId>,
    /// Subscriptions alive.
    live_subscriptions: usize,
    events: VecDeque<UaEvent>,
    /// Sessions alive.
    live: usize,
}

/// The live session `id` in `sessions`.
fn slot(sessions: &mut [Option<Session>], id: SessionId) -> Result<&mut Session, UaError> {
    sessions
        .get_mut(id.index as usize)
        .and_then(Option::as_mut)
        .filter(|s| s.generation == id.generation)
        .ok_or(UaError::UnknownSession)
}

/// The Via a request sent on `flow` gets: the flow's local address, a new
/// branch, `rport` (RFC 3581).
fn via_for(flow: &Flow, rng: &mut impl Random) -> Via<'static> {
    Via::new(flow.transport, HostPort::from(flow.local))
        .with_branch(rng)
        .with_rport()
}

/// A Contact for `user` at the flow's local address.
fn contact_for(user: Option<&str>, flow: &Flow) -> String {
    let mut uri = SipUri::from(flow.local);
    if let Some(user) = user {
        uri = uri.with_user(user);
    }
    if flow.transport != Transport::Udp {
        let _ = uri
            .params_mut()
            .set("transport", Some(flow.transport.as_str()));
    }
    format!("<{uri}>")
}

/// Whether a provisional response to `invite` goes reliably: always when
/// it requires 100rel, when it supports it and this side prefers it.
fn peer_wants_100rel(invite: &MessageRef<'_>, preferred: bool) -> bool {
    let has = |name| {
        invite
            .values(name)
            .any(|t| t.eq_ignore_ascii_case(b"100rel"))
    };
    has(HeaderName::Require) || (preferred && has(HeaderName::Supported))
}

/// Whether `msg`'s Allow lists UPDATE.
fn allows_update(msg: &MessageRef<'_>) -> bool {
    msg.values(HeaderName::Allow)
        .any(|m| m.eq_ignore_ascii_case(b"UPDATE"))
}

/// The RSeq of a reliable provisional response (RFC 3262: `Require:
/// 100rel` and an RSeq).
fn reliable_rseq(response: &MessageRef<'_>) -> Option<u32> {
    let required = response
        .values(HeaderName::Require)
        .any(|t| t.eq_ignore_ascii_case(b"100rel"));
    if !required {
        return None;
    }
    match response.header::<crate::header::RSeq>() {
        Some(Ok(r)) => Some(r.0),
        _ => None,
    }
}

/// How long to wait before a re-INVITE or UPDATE refused with 491 is sent
/// again (RFC 3261 §14.1): the owner of the Call-ID (the dialog's UAC)
/// waits 2.1–4 s, the other side 0–2 s, chosen in 10 ms units.
fn glare_wait(owner: bool, rng: &mut impl Random) -> Duration {
    let (base, span) = if owner { (210, 191) } else { (0, 201) };
    Duration::from_millis((base + rng.next_u64() % span) * 10)
}

impl UserAgent {
    /// A user agent with its own endpoint.
    pub fn new(config: UaConfig) -> UserAgent {
        let seed = config.endpoint.seed;
        UserAgent {
            endpoint: Endpoint::new(config.endpoint.clone()),
            rng: Generator::from_seed(seed.map(|s| s ^ 0x5541_5541)),
            config,
            sessions: Vec::new(),
            free: Vec::new(),
            next_generation: 1,
            dialogs: DialogTable::default(),
            clients: HashMap::new(),
            servers: HashMap::new(),
            timers: BinaryHeap::new(),
            registrations: Vec::new(),
            free_registrations: Vec::new(),
            subscriptions: Vec::new(),
            free_subscriptions: Vec::new(),
            pending_subscriptions: HashMap::new(),
            live_subscriptions: 0,
            events: VecDeque::new(),
            live: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &UaConfig {
        &self.config
    }

    /// The endpoint underneath (its statistics and transactions).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How many sessions are alive.
    pub fn sessions(&self) -> usize {
        self.live
    }

    /// How many subscriptions are alive (either side).
    pub fn subscriptions(&self) -> usize {
        self.live_subscriptions
    }

    fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions
            .get(id.index as usize)?
            .as_ref()
            .filter(|s| s.generation == id.generation)
    }

    fn session_mut(&mut self, id: SessionId) -> Option<&mut Session> {
        self.sessions
            .get_mut(id.index as usize)?
            .as_mut()
            .filter(|s| s.generation == id.generation)
    }

    fn get(&mut self, id: SessionId) -> Result<&mut Session, UaError> {
        self.session_mut(id).ok_or(UaError::UnknownSession)
    }

    /// The phase of a session.
    pub fn phase(&self, id: SessionId) -> Option<Phase> {
        self.session(id).map(|s| s.phase)
    }

    /// The session's dialog: the confirmed one, or on the UAS the early one.
    pub fn dialog(&self, id: SessionId) -> Option<&Dialog> {
        self.session(id)?.dialog()
    }

    /// The offer/answer state of a session.
    pub fn offer_answer(&self, id: SessionId) -> Option<&OfferAnswer> {
        self.session(id).map(|s| &s.offer_answer)
    }

    /// The session's initial INVITE (sent or received).
    pub fn invite(&self, id: SessionId) -> Option<&Message> {
        self.session(id).map(|s| &s.invite)
    }

    fn insert(&mut self, session: Session) -> SessionId {
        self.live += 1;
        let generation = session.generation;
        let index = match self.free.pop() {
            Some(i) => {
                self.sessions[i as usize] = Some(session);
                i
            }
            None => {
                self.sessions.push(Some(session));
                (self.sessions.len() - 1) as u32
            }
        };
        SessionId { index, generation }
    }

    fn generation(&mut self) -> u32 {
        let g = self.next_generation;
        self.next_generation = self.next_generation.wrapping_add(1).max(1);
        g
    }

    /// Ends a session: reports it and forgets it.
    fn end(&mut self, id: SessionId, reason: EndReason) {
        let Some(slot) = self.sessions.get_mut(id.index as usize) else {
            return;
        };
        if slot.as_ref().is_none_or(|s| s.generation != id.generation) {
            return;
        }
        let session = slot.take().expect("checked above");
        self.live -= 1;
        self.free.push(id.index);
        for d in &session.dialogs {
            self.dialogs.remove(d.id().as_ref(), id);
        }
        if let Some(server) = session.server {
            self.servers.remove(&server);
        }
        self.events.push_back(UaEvent::Ended {
            session: id,
            reason,
        });
    }

    fn schedule(&mut self, id: SessionId) {
        if let Some(at) = self.session(id).and_then(Session::wake) {
            self.timers.push(Reverse((at, TimerKey::Session(id.index))));
        }
    }

    // ----- commands: calls -----

    /// Places a call: sends the INVITE (with a new Call-ID, From tag,
    /// branch and Contact) on the call's flow.
    ///
    /// # Errors
    /// [`UaError::Build`] when an extra header is malformed, or the
    /// endpoint's refusal.
    pub fn call(&mut self, now: Instant, call: Call) -> Result<SessionId, UaError> {
        if self.live >= self.config.max_sessions {
            return Err(UaError::Capacity);
        }
        let flow = call.flow;
        let mut from = crate::header::From::new(call.from.clone());
        from = from.with_tag(&mut self.rng);
        let contact = contact_for(call.from.uri.as_sip().and_then(SipUri::user), &flow);
        let mut b = RequestBuilder::new(Method::Invite, &call.request_uri)
            .header(&via_for(&flow, &mut self.rng))
            .header(&MaxForwards(70))
            .header(&from)
            .header(&To::new(call.to.clone()))
            .header(&CallId::random(&mut self.rng, None))
            .header(&CSeq {
                seq: 1,
                method: Method::Invite,
            })
            .raw_header("Contact", &contact)
            .raw_header("Allow", ALLOW);
        if let Some(ua) = &self.config.user_agent {
            b = b.raw_header("User-Agent", ua);
        }
        match (self.config.reliable_provisional, self.config.session_timer) {
            (true, Some(_)) => b = b.raw_header("Supported", "100rel, timer"),
            (true, None) => b = b.raw_header("Supported", "100rel"),
            (false, Some(_)) => b = b.raw_header("Supported", "timer"),
            (false, None) => {}
        }
        if let Some(st) = self.config.session_timer {
            b = b.raw_header("Session-Expires", &st.interval.to_string());
            if st.min_se != 90 {
                b = b.raw_header("Min-SE", &st.min_se.to_string());
            }
        }
        for (name, value) in &call.headers {
            b = b.raw_header(name, value);
        }
        let mut offer_answer = OfferAnswer::new();
        if let Some(body) = &call.body {
            b = b.body(&body.content_type, body.data.clone());
            offer_answer.sent(&body.data);
        }
        let invite = b.build()?;
        let client = self.endpoint.send_request(now, invite.clone(), flow)?;
        let auth = call.auth;
        let generation = self.generation();
        let mut session = Session::new(generation, Role::Uac, invite, flow, contact);
        session.offer_answer = offer_answer;
        session.auth = auth;
        let id = self.insert(session);
        self.clients.insert(client, (Some(id), Purpose::Invite));
        Ok(id)
    }

    /// Sends the ACK of a 2xx that held an offer, with the `answer` (RFC
    /// 3264): after [`UaEvent::Answered`] or [`UaEvent::Updated`] when the
    /// INVITE had no offer.
    ///
    /// # Errors
    /// [`UaError::State`] when no ACK is owed.
    pub fn acknowledge(
        &mut self,
        now: Instant,
        id: SessionId,
        answer: Option<Body>,
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        if let Some((tag, rseq)) = s.prack_owed.take() {
            return self.send_prack(now, id, &tag, rseq, answer);
        }
        let seq = s.ack_owed.take().ok_or(UaError::State("no ACK is owed"))?;
        self.send_ack(id, seq, answer)
    }

    /// Sends the PRACK of the reliable provisional response `rseq` in the
    /// early dialog with remote tag `tag` (RFC 3262 §4), with the answer
    /// when it held an offer.
    fn send_prack(
        &mut self,
        now: Instant,
        id: SessionId,
        tag: &str,
        rseq: u32,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        let index = s
            .dialogs
            .iter()
            .position(|d| d.id().remote_tag == tag)
            .ok_or(UaError::State("the early dialog is gone"))?;
        let invite_seq = s.invite.as_ref().cseq().map(|c| c.seq).unwrap_or(1);
        if let Some(body) = &body {
            s.offer_answer.sent(&body.data);
        }
        let rack = format!("{rseq} {invite_seq} INVITE");
        let client = self.send_in_dialog_at(
            now,
            id,
            index,
            Method::Prack,
            body.as_ref(),
            &[("RAck", &rack)],
        )?;
        self.clients.insert(client, (Some(id), Purpose::Prack));
        self.get(id)?.prack_client = Some((client, tag.to_owned(), rseq));
        Ok(())
    }

    /// Builds, sends and keeps the ACK for the 2xx of the INVITE with CSeq
    /// number `seq`.
    fn send_ack(&mut self, id: SessionId, seq: u32, body: Option<Body>) -> Result<(), UaError> {
        let s = self.session(id).ok_or(UaError::UnknownSession)?;
        let dialog = s.dialogs.first().ok_or(UaError::State("no dialog"))?;
        let flow = hop_flow(dialog, &s.flow);
        let via = via_for(&flow, &mut self.rng);
        let s = self.get(id)?;
        let mut b = s.dialogs[0].ack(seq, &via);
        if let Some(body) = &body {
            b = b.body(&body.content_type, body.data.clone());
            s.offer_answer.sent(&body.data);
        }
        let ack = b.build()?;
        s.ack = Some(ack.clone());
        self.endpoint.send_stateless(&ack, flow);
        Ok(())
    }

    /// Sends a provisional response (180 Ringing, 183 Session Progress) to
    /// an incoming call, with an optional body (early media), making the
    /// early dialog.
    ///
    /// # Errors
    /// [`UaError::State`] once the call is answered or for a status that
    /// is not 101–199.
    pub fn progress(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        if !(101..=199).contains(&status.as_u16()) {
            return Err(UaError::State("a provisional status is 101–199"));
        }
        let reliable_wanted = self.config.reliable_provisional;
        let s = self.get(id)?;
        if s.role != Role::Uas || !matches!(s.phase, Phase::Initial | Phase::Early) {
            return Err(UaError::State("only an unanswered incoming call rings"));
        }
        if s.answer_pending.is_some() {
            return Err(UaError::State("the answer is already on its way"));
        }
        let reliable = peer_wants_100rel(&s.invite.as_ref(), reliable_wanted);
        if reliable && s.reliable.is_some() {
            // §3: one reliable provisional response at a time.
            s.queued.push_back((status, body));
            return Ok(());
        }
        self.send_progress(now, id, status, body, reliable)
    }

    fn send_progress(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
        body: Option<Body>,
        reliable: bool,
    ) -> Result<(), UaError> {
        let t1 = self.config.endpoint.timers.t1;
        let s = self.get(id)?;
        let rseq = s.rseq;
        let extra: &[(&str, &str)] = if reliable {
            &[("Require", "100rel")]
        } else {
            &[]
        };
        let rseq_text = rseq.to_string();
        let mut headers: Vec<(&str, &str)> = extra.to_vec();
        if reliable {
            headers.push(("RSeq", &rseq_text));
        }
        let response = self.uas_response(id, status, body.as_ref(), &headers)?;
        let s = self.get(id)?;
        let server = s.server.ok_or(UaError::State("no INVITE transaction"))?;
        if reliable {
            s.rseq = s.rseq.wrapping_add(1);
            // Only a reliable provisional response takes part in
            // offer/answer (RFC 3262 §5).
            if let Some(body) = &body {
                s.offer_answer.sent(&body.data);
            }
            s.reliable = Some(Reliable {
                response: response.clone(),
                rseq,
                next: now + t1,
                interval: t1,
                deadline: now + 64 * t1,
            });
        }
        if s.dialogs.is_empty() {
            let dialog = Dialog::uas(&s.invite.as_ref(), &s.local_tag, false)?;
            self.dialogs.insert(dialog.id().clone(), id);
            let s = self.get(id)?;
            s.dialogs.push(dialog);
            s.phase = Phase::Early;
        }
        self.endpoint.respond(now, server, response)?;
        self.schedule(id);
        Ok(())
    }

    /// A response to the session's INVITE with the dialog's To tag,
    /// Contact, Allow and the user agent's Server header.
    fn uas_response(
        &mut self,
        id: SessionId,
        status: StatusCode,
        body: Option<&Body>,
        headers: &[(&str, &str)],
    ) -> Result<Message, UaError> {
        let Self {
            sessions, config, ..
        } = self;
        let s = slot(sessions, id)?;
        let server_header = config.user_agent.as_deref();
        let invite = s.invite.as_ref();
        let mut b = invite.response(status)?.to_tag(&s.local_tag);
        if status.as_u16() > 100 && status.as_u16() < 300 {
            // §12.1.1: a response that makes a dialog carries the
            // request's Record-Route, as received.
            for rr in invite.get_all_known(HeaderName::RecordRoute) {
                if let Some(v) = rr.value_str() {
                    b = b.raw_header("Record-Route", v);
                }
            }
            b = b
                .raw_header("Contact", &s.contact)
                .raw_header("Allow", ALLOW);
        }
        if let Some(server) = server_header {
            b = b.raw_header("Server", server);
        }
        for (name, value) in headers {
            b = b.raw_header(name, value);
        }
        if let Some(body) = body {
            b = b.body(&body.content_type, body.data.clone());
        }
        Ok(b.build()?)
    }

    /// Answers an incoming call with 200 OK and `body` (the answer to the
    /// INVITE's offer, or an offer when it had none). The 2xx is sent
    /// again until the ACK arrives ([`UaEvent::Confirmed`]); without one in
    /// 64·T1 the user agent sends BYE and ends the session.
    ///
    /// # Errors
    /// [`UaError::State`] unless the call is an unanswered incoming one.
    pub fn answer(
        &mut self,
        now: Instant,
        id: SessionId,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        if s.role != Role::Uas
            || !matches!(s.phase, Phase::Initial | Phase::Early)
            || s.answer_pending.is_some()
        {
            return Err(UaError::State(
                "only an unanswered incoming call is answered",
            ));
        }
        if s.reliable.is_some() {
            // RFC 3262 §3: no 2xx before the PRACK of every reliable
            // provisional response.
            s.queued.clear();
            s.answer_pending = Some(body);
            return Ok(());
        }
        self.send_answer(now, id, body)
    }

    fn send_answer(
        &mut self,
        now: Instant,
        id: SessionId,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        let server = s.server.ok_or(UaError::State("no INVITE transaction"))?;
        let timer_offer = s.timer_offer;
        let peer_supports_timer = timer::supports_timer(&s.invite.as_ref());
        let se = timer_offer.map(|(i, r)| format!("{i};refresher={}", r.as_str()));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(se) = &se {
            headers.push(("Session-Expires", se));
            if peer_supports_timer {
                headers.push(("Require", "timer"));
            }
        }
        let response = self.uas_response(id, StatusCode::OK, body.as_ref(), &headers)?;
        let t1 = self.config.endpoint.timers.t1;
        let s = self.get(id)?;
        s.timer = timer_offer.map(|(i, r)| SessionTimer::start(now, i, timer::is_me(r, false)));
        if s.dialogs.is_empty() {
            let dialog = Dialog::uas(&s.invite.as_ref(), &s.local_tag, true)?;
            s.dialogs.push(dialog);
        } else if let Some(d) = s.dialog_mut() {
            d.confirm(None)?;
        }
        if let Some(body) = &body {
            // After an exchange in reliable provisional responses the 2xx
            // repeats the answer; it offers nothing new.
            let repeated =
                s.offer_answer.state() == OfferState::Stable && s.offer_answer.completed() > 0;
            if !repeated {
                s.offer_answer.sent(&body.data);
            }
        }
        let seq = s.invite.as_ref().cseq().map(|c| c.seq).unwrap_or(0);
        s.phase = Phase::Answered;
        s.retransmit = Some(Retransmit {
            server,
            response: response.clone(),
            seq,
            next: now + t1,
            interval: t1,
            deadline: now + 64 * t1,
        });
        let dialog_id = s.dialogs[0].id().clone();
        self.dialogs.insert(dialog_id, id);
        self.endpoint.respond(now, server, response)?;
        self.schedule(id);
        Ok(())
    }

    /// Rejects an incoming call with a final `status` (3xx–6xx); the
    /// session ends.
    ///
    /// # Errors
    /// [`UaError::State`] unless the call is an unanswered incoming one, or
    /// for a status below 300.
    pub fn reject(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
    ) -> Result<(), UaError> {
        if status.as_u16() < 300 {
            return Err(UaError::State("a rejection is 3xx–6xx"));
        }
        self.decline(now, id, status, &[])
    }

    /// Ends an unanswered incoming call with the final `status` and extra
    /// `headers`.
    fn decline(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
        headers: &[(&str, &str)],
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        if s.role != Role::Uas || !matches!(s.phase, Phase::Initial | Phase::Early) {
            return Err(UaError::State(
                "only an unanswered incoming call is rejected or redirected",
            ));
        }
        let server = s.server.ok_or(UaError::State("no INVITE transaction"))?;
        let response = self.uas_response(id, status, None, headers)?;
        self.endpoint.respond(now, server, response)?;
        self.end(id, EndReason::Declined(status));
        Ok(())
    }

    /// Redirects an unanswered incoming call (RFC 3261 §8.3, §21.3): a 3xx
    /// `status` listing `contacts` (with their `q`, `expires`), where the
    /// caller, or a proxy recursing on redirects, tries next. The session
    /// ends as [`EndReason::Declined`].
    ///
    /// # Errors
    /// [`UaError::State`] for a status outside 3xx or a session that is not
    /// an unanswered incoming call.
    pub fn redirect(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
        contacts: &[crate::header::ContactAddress<'_>],
    ) -> Result<(), UaError> {
        if status.class() != 3 {
            return Err(UaError::State("a redirection is 3xx"));
        }
        let values: Vec<String> = contacts
            .iter()
            .map(|c| crate::header::Contact::Address(c.clone()).to_string())
            .collect();
        let headers: Vec<(&str, &str)> = values.iter().map(|v| ("Contact", v.as_str())).collect();
        self.decline(now, id, status, &headers)
    }

    /// Ends a session the way its state allows: CANCEL of an outgoing
    /// INVITE (held back until a provisional response, RFC 3261 §9.1), 603
    /// Decline of an unanswered incoming one, BYE of an established one
    /// (held back until the ACK on the UAS, §15). The session ends with
    /// [`UaEvent::Ended`] when that completes.
    ///
    /// # Errors
    /// [`UaError::UnknownSession`].
    pub fn hangup(&mut self, now: Instant, id: SessionId) -> Result<(), UaError> {
        let s = self.get(id)?;
        match (s.role, s.phase) {
            (_, Phase::Ending) => Ok(()),
            (Role::Uas, Phase::Initial | Phase::Early) => self.reject(now, id, StatusCode::DECLINE),
            (Role::Uas, Phase::Answered) => {
                s.hangup_pending = true;
                Ok(())
            }
            (Role::Uac, Phase::Initial) => {
                s.hangup_pending = true;
                s.cancelled = true;
                Ok(())
            }
            (Role::Uac, Phase::Early) => self.send_cancel(now, id),
            (_, Phase::Confirmed | Phase::Answered) => self.send_bye(now, id),
        }
    }

    fn send_cancel(&mut self, now: Instant, id: SessionId) -> Result<(), UaError> {
        let t1 = self.config.endpoint.timers.t1;
        let s = self.get(id)?;
        // §9.1: without a final response in 64·T1 the INVITE is given up.
        s.cancel_deadline = Some(now + 64 * t1);
        s.cancelled = true;
        s.hangup_pending = false;
        let cancel = s.invite.as_ref().cancel()?.build()?;
        let flow = s.flow;
        let client = self.endpoint.send_request(now, cancel, flow)?;
        self.clients.insert(client, (Some(id), Purpose::Cancel));
        self.schedule(id);
        Ok(())
    }

    fn send_bye(&mut self, now: Instant, id: SessionId) -> Result<(), UaError> {
        let client = self.send_in_dialog(now, id, Method::Bye, None, &[])?;
        self.clients.insert(client, (Some(id), Purpose::Bye));
        let s = self.get(id)?;
        s.phase = Phase::Ending;
        s.retransmit = None;
        s.glare_retry = None;
        Ok(())
    }

    /// Sends a request within the session's dialog.
    fn send_in_dialog(
        &mut self,
        now: Instant,
        id: SessionId,
        method: Method<'_>,
        body: Option<&Body>,
        headers: &[(&str, &str)],
    ) -> Result<ClientId, UaError> {
        self.send_in_dialog_at(now, id, 0, method, body, headers)
    }

    /// Sends a request within the session's dialog number `index` (an
    /// early dialog of a fork on the UAC).
    fn send_in_dialog_at(
        &mut self,
        now: Instant,
        id: SessionId,
        index: usize,
        method: Method<'_>,
        body: Option<&Body>,
        headers: &[(&str, &str)],
    ) -> Result<ClientId, UaError> {
        let Self {
            sessions,
            config,
            rng,
            ..
        } = self;
        let s = slot(sessions, id)?;
        let dialog = s
            .dialogs
            .get_mut(index)
            .ok_or(UaError::State("no dialog"))?;
        let flow = hop_flow(dialog, &s.flow);
        let via = via_for(&flow, rng);
        let refresh = matches!(method, Method::Invite | Method::Update);
        let mut b = dialog.request(method, &via);
        if refresh {
            b = b
                .raw_header("Contact", &s.contact)
                .raw_header("Allow", ALLOW);
        }
        if let Some(ua) = config.user_agent.as_deref() {
            b = b.raw_header("User-Agent", ua);
        }
        for (name, value) in headers {
            b = b.raw_header(name, value);
        }
        if let Some(body) = body {
            b = b.body(&body.content_type, body.data.clone());
        }
        let request = b.build()?;
        Ok(self.endpoint.send_request(now, request, flow)?)
    }

    /// Sends a request of `method` (INFO, MESSAGE, REFER, OPTIONS...)
    /// within the session's dialog; its responses arrive as
    /// [`UaEvent::Response`]. Use [`UserAgent::update`] for re-INVITE and
    /// UPDATE and [`UserAgent::hangup`] for BYE.
    ///
    /// # Errors
    /// [`UaError::State`] without a dialog or for INVITE, UPDATE, BYE, ACK,
    /// CANCEL or PRACK.
    pub fn request(
        &mut self,
        now: Instant,
        id: SessionId,
        method: Method<'_>,
        body: Option<Body>,
    ) -> Result<ClientId, UaError> {
        if matches!(
            method,
            Method::Invite
                | Method::Update
                | Method::Bye
                | Method::Ack
                | Method::Cancel
                | Method::Prack
        ) {
            return Err(UaError::State("this method has its own command"));
        }
        let client = self.send_in_dialog(now, id, method, body.as_ref(), &[])?;
        self.clients.insert(client, (Some(id), Purpose::User));
        Ok(client)
    }

    /// Modifies an established session: a re-INVITE (`invite` true) or an
    /// UPDATE (RFC 3311) with an optional new offer. The answer arrives as
    /// [`UaEvent::Updated`]; a 491 (glare) is retried after the RFC 3261
    /// §14.1 wait.
    ///
    /// # Errors
    /// [`UaError::State`] unless the session is confirmed and has no
    /// modification outstanding in either direction.
    pub fn update(
        &mut self,
        now: Instant,
        id: SessionId,
        invite: bool,
        offer: Option<Body>,
    ) -> Result<(), UaError> {
        let s = self.get(id)?;
        // UPDATE also works in an early dialog (RFC 3311 §5.1).
        let early_update = !invite && s.phase == Phase::Early && !s.dialogs.is_empty();
        if s.phase != Phase::Confirmed && !early_update {
            return Err(UaError::State("the session is not established"));
        }
        if s.outgoing.is_some() || s.incoming.is_some() || s.glare_retry.is_some() {
            return Err(UaError::State("a modification is outstanding"));
        }
        self.send_update(now, id, invite, offer)
    }

    fn send_update(
        &mut self,
        now: Instant,
        id: SessionId,
        invite: bool,
        offer: Option<Body>,
    ) -> Result<(), UaError> {
        self.send_update_with(now, id, invite, offer, false)
    }

    /// Sends a re-INVITE or UPDATE; `refresh` for a session refresh the
    /// core sends itself. A running session timer goes along
    /// (Session-Expires naming this side the refresher).
    fn send_update_with(
        &mut self,
        now: Instant,
        id: SessionId,
        invite: bool,
        offer: Option<Body>,
        refresh: bool,
    ) -> Result<(), UaError> {
        let method = if invite {
            Method::Invite
        } else {
            Method::Update
        };
        let timer = self.get(id)?.timer;
        let se = timer.map(|t| format!("{};refresher=uac", t.interval));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(se) = &se {
            headers.push(("Session-Expires", se));
            headers.push(("Supported", "timer"));
        }
        let client = self.send_in_dialog(now, id, method, offer.as_ref(), &headers)?;
        self.clients.insert(client, (Some(id), Purpose::Update));
        let s = self.get(id)?;
        if let Some(body) = &offer {
            s.offer_answer.sent(&body.data);
        }
        s.outgoing = Some(Outgoing {
            client,
            is_invite: invite,
            body: offer,
            refresh,
        });
        Ok(())
    }

    /// Accepts the peer's re-INVITE or UPDATE ([`UaEvent::Update`]) with a
    /// 2xx carrying `body` (the answer to its offer, or an offer when it
    /// had none). A re-INVITE's 2xx is sent again until its ACK.
    ///
    /// # Errors
    /// [`UaError::State`] without an update to answer.
    pub fn accept_update(
        &mut self,
        now: Instant,
        id: SessionId,
        body: Option<Body>,
    ) -> Result<(), UaError> {
        let server_header = self.config.user_agent.clone();
        let t1 = self.config.endpoint.timers.t1;
        let s = self.get(id)?;
        let incoming = s
            .incoming
            .take()
            .ok_or(UaError::State("no update to answer"))?;
        let request = incoming.request.as_ref();
        let local_tag = s
            .dialog()
            .map(|d| d.id().local_tag.clone())
            .unwrap_or_default();
        let mut b = request
            .response(StatusCode::OK)?
            .to_tag(&local_tag)
            .raw_header("Contact", &s.contact)
            .raw_header("Allow", ALLOW);
        if let Some(server) = &server_header {
            b = b.raw_header("Server", server);
        }
        // A running session timer is refreshed by this exchange: the
        // request's Session-Expires, or the timer as it was.
        if let Some(t) = s.timer
            && request.method() != Some(Method::Prack)
        {
            let (interval, refresher) = match timer::session_expires(&request) {
                Some((i, r)) => (i, r.unwrap_or(crate::header::Refresher::Uac)),
                None => (
                    t.interval,
                    if t.refreshing {
                        crate::header::Refresher::Uas
                    } else {
                        crate::header::Refresher::Uac
                    },
                ),
            };
            b = b.raw_header(
                "Session-Expires",
                &format!("{interval};refresher={}", refresher.as_str()),
            );
            if timer::supports_timer(&request) {
                b = b.raw_header("Require", "timer");
            }
            s.timer = Some(SessionTimer::start(
                now,
                interval,
                timer::is_me(refresher, false),
            ));
        }
        if let Some(body) = &body {
            b = b.body(&body.content_type, body.data.clone());
            s.offer_answer.sent(&body.data);
        }
        let response = b.build()?;
        if request.method() == Some(Method::Invite) {
            s.retransmit = Some(Retransmit {
                server: incoming.server,
                response: response.clone(),
                seq: request.cseq().map(|c| c.seq).unwrap_or(0),
                next: now + t1,
                interval: t1,
                deadline: now + 64 * t1,
            });
        }
        self.endpoint.respond(now, incoming.server, response)?;
        self.schedule(id);
        Ok(())
    }

    /// Rejects the peer's re-INVITE or UPDATE with `status` (488 Not
    /// Acceptable Here for an offer this side cannot take); the session goes
    /// on as before.
    ///
    /// # Errors
    /// [`UaError::State`] without an update to answer, or for a status
    /// below 300.
    pub fn reject_update(
        &mut self,
        now: Instant,
        id: SessionId,
        status: StatusCode,
    ) -> Result<(), UaError> {
        if status.as_u16() < 300 {
            return Err(UaError::State("a rejection is 3xx–6xx"));
        }
        let s = self.get(id)?;
        let incoming = s
            .incoming
            .take()
            .ok_or(UaError::State("no update to answer"))?;
        if !incoming.request.as_ref().body().is_empty() {
            s.offer_answer.rollback();
        }
        let local_tag = s
            .dialog()
            .map(|d| d.id().local_tag.clone())
            .unwrap_or_default();
        let response = incoming
            .request
            .as_ref()
            .response(status)?
            .to_tag(&local_tag)
            .build()?;
        self.endpoint.respond(now, incoming.server, response)?;
        Ok(())
    }

    // ----- commands: plain transactions -----

    /// Sends a request outside any session (OPTIONS, MESSAGE, REGISTER...)
    /// on `flow`; its responses arrive as [`UaEvent::Response`].
    ///
    /// # Errors
    /// The endpoint's refusal.
    pub fn send_request(
        &mut self,
        now: Instant,
        request: Message,
        flow: Flow,
    ) -> Result<ClientId, UaError> {
        let client = self.endpoint.send_request(now, request, flow)?;
        self.clients.insert(client, (None, Purpose::User));
        Ok(client)
    }

    /// Answers a [`UaEvent::Request`].
    ///
    /// # Errors
    /// The endpoint's refusal (no such transaction, a response that does
    /// not fit).
    pub fn respond(
        &mut self,
        now: Instant,
        transaction: ServerId,
        response: Message,
    ) -> Result<(), UaError> {
        Ok(self.endpoint.respond(now, transaction, response)?)
    }

    // ----- inputs -----

    /// A message arrived on `flow` (see [`Endpoint::handle_input`]).
    pub fn handle_input(&mut self, now: Instant, flow: Flow, data: bytes::Bytes) {
        self.endpoint.handle_input(now, flow, data);
        self.pump(now);
    }

    /// Time passed: fires the endpoint's timers and the user agent's (2xx
    /// and reliable 1xx retransmission, ACK and PRACK waits, glare retry,
    /// session timers, registration and subscription refreshes and
    /// expiries).
    pub fn handle_timeout(&mut self, now: Instant) {
        self.endpoint.handle_timeout(now);
        self.pump(now);
        while let Some(Reverse((at, key))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            match key {
                TimerKey::Session(index) => {
                    let Some(Some(s)) = self.sessions.get(index as usize) else {
                        continue;
                    };
                    let id = SessionId {
                        index,
                        generation: s.generation,
                    };
                    self.on_timer(now, id);
                }
                TimerKey::Registration(index) => self.on_registration_timer(now, index),
                TimerKey::Subscription(index) => self.on_subscription_timer(now, index),
            }
            self.pump(now);
        }
    }

    /// The transport failed to send a transmit of `transaction`.
    pub fn handle_transport_error(&mut self, now: Instant, transaction: TransactionId) {
        self.endpoint.handle_transport_error(now, transaction);
        self.pump(now);
    }

    /// The next message to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.endpoint.poll_transmit()
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<UaEvent> {
        self.events.pop_front()
    }

    /// When to call [`UserAgent::handle_timeout`] next.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        // Drop timers of sessions that ended.
        while let Some(Reverse((at, key))) = self.timers.peek() {
            let alive = match *key {
                TimerKey::Session(index) => {
                    matches!(self.sessions.get(index as usize), Some(Some(_)))
                }
                TimerKey::Registration(index) => {
                    self.registration_wake(index).is_some_and(|w| w <= *at)
                }
                TimerKey::Subscription(index) => {
                    self.subscription_wake(index).is_some_and(|w| w <= *at)
                }
            };
            if alive {
                break;
            }
            self.timers.pop();
        }
        let mine = self.timers.peek().map(|Reverse((at, _))| *at);
        match (self.endpoint.poll_timeout(), mine) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn on_timer(&mut self, now: Instant, id: SessionId) {
        let t2 = self.config.endpoint.timers.t2;
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if s.cancel_deadline.is_some_and(|at| now >= at)
            && matches!(s.phase, Phase::Initial | Phase::Early)
        {
            self.end(id, EndReason::Cancelled);
            return;
        }
        if let Some(r) = &mut s.retransmit {
            if now >= r.deadline {
                s.retransmit = None;
                if s.phase == Phase::Answered {
                    // §13.3.1.4: no ACK, the session ends with a BYE.
                    let _ = self.send_bye(now, id);
                    if let Some(s) = self.session_mut(id) {
                        s.phase = Phase::Ending;
                    }
                    self.end(id, EndReason::NoAck);
                    return;
                }
            } else if now >= r.next {
                r.interval = (r.interval * 2).min(t2);
                r.next = now + r.interval;
                let (server, response) = (r.server, r.response.clone());
                let flow = s.flow;
                if self
                    .endpoint
                    .respond(now, server, response.clone())
                    .is_err()
                {
                    self.endpoint.send_stateless(&response, flow);
                }
            }
        }
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if let Some(r) = &mut s.reliable {
            if now >= r.deadline {
                // RFC 3262 §3: no PRACK in 64·T1: reject the INVITE.
                s.reliable = None;
                if let Some(server) = s.server {
                    let invite = s.invite.clone();
                    let tag = s.local_tag.clone();
                    if let Ok(b) = invite.as_ref().response(StatusCode::SERVER_INTERNAL_ERROR)
                        && let Ok(r) = b.to_tag(&tag).build()
                    {
                        let _ = self.endpoint.respond(now, server, r);
                    }
                }
                self.end(id, EndReason::NoPrack);
                return;
            } else if now >= r.next {
                // The interval doubles without a cap (§3).
                r.interval *= 2;
                r.next = now + r.interval;
                let response = r.response.clone();
                if let Some(server) = s.server {
                    let _ = self.endpoint.respond(now, server, response);
                }
            }
        }
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if let Some((at, ..)) = &s.glare_retry
            && now >= *at
        {
            let (_, invite, body, refresh) = s.glare_retry.take().expect("checked");
            let free = s.phase == Phase::Confirmed && s.outgoing.is_none() && s.incoming.is_none();
            let failed = match free {
                true => self
                    .send_update_with(now, id, invite, body, refresh)
                    .err()
                    .map(|_| StatusCode::SERVER_INTERNAL_ERROR),
                false => Some(StatusCode::REQUEST_PENDING),
            };
            if let Some(status) = failed
                && !refresh
            {
                self.events.push_back(UaEvent::UpdateFailed {
                    session: id,
                    status,
                });
            }
        }
        self.session_timer(now, id);
        self.schedule(id);
    }

    /// The session timer (RFC 4028 §10): the refresher refreshes (UPDATE
    /// when the peer allows it, else a re-INVITE repeating the last
    /// description), the other side ends an unrefreshed session with BYE.
    fn session_timer(&mut self, now: Instant, id: SessionId) {
        let Some(s) = self.session_mut(id) else {
            return;
        };
        let Some(t) = s.timer.filter(|t| now >= t.due) else {
            return;
        };
        if s.phase != Phase::Confirmed {
            return;
        }
        if !t.refreshing {
            s.timer = None;
            let _ = self.send_bye(now, id);
            self.end(id, EndReason::SessionExpired);
            return;
        }
        if s.outgoing.is_some() || s.incoming.is_some() || s.glare_retry.is_some() {
            // A modification is under way: it refreshes the session too.
            s.timer = Some(SessionTimer::start(now, t.interval, true));
            return;
        }
        let invite = !s.peer_allows_update;
        let body = if invite {
            s.offer_answer.local().map(|b| Body::sdp(b.clone()))
        } else {
            None
        };
        // Until the refresh is answered, the timer stands; its answer
        // restarts it.
        s.timer = Some(SessionTimer {
            due: now + std::time::Duration::from_secs(u64::from(t.interval)),
            ..t
        });
        if self.send_update_with(now, id, invite, body, true).is_err() {
            let _ = self.send_bye(now, id);
            self.end(id, EndReason::SessionExpired);
        }
    }

    /// Handles everything the endpoint reported.
    fn pump(&mut self, now: Instant) {
        while let Some(event) = self.endpoint.poll_event() {
            match event {
                Event::Request {
                    transaction,
                    request,
                    origin,
                } => self.on_request(now, transaction, request, origin),
                Event::Response {
                    transaction,
                    response,
                    origin,
                } => self.on_response(now, transaction, response, origin),
                Event::Ack { request, .. } => self.on_ack(now, request),
                Event::Cancelled { transaction, .. } => self.on_cancelled(now, transaction),
                Event::StrayResponse { response, .. } => self.on_stray(response),
                Event::Terminated {
                    transaction,
                    reason,
                } => self.on_terminated(now, transaction, reason),
            }
        }
    }

    /// Answers `request` on `server` with `status` (a stateless-looking
    /// answer the core gives itself).
    fn answer_with(
        &mut self,
        now: Instant,
        server: ServerId,
        request: &MessageRef<'_>,
        status: StatusCode,
        extra: Option<(&str, &str)>,
    ) {
        let Ok(mut b) = request.response(status) else {
            return;
        };
        if let Some((name, value)) = extra {
            b = b.raw_header(name, value);
        }
        if let Ok(response) = b.build() {
            let _ = self.endpoint.respond(now, server, response);
        }
    }

    fn on_request(&mut self, now: Instant, server: ServerId, request: Message, origin: Flow) {
        let msg = request.as_ref();
        let policy = ValidationPolicy::user_agent(SUPPORTED);
        if let Err(e) = msg.validate_with(&policy) {
            if let Ok(b) = policy.rejection(&msg, &e)
                && let Ok(r) = b.build()
            {
                let _ = self.endpoint.respond(now, server, r);
            }
            return;
        }
        let method = msg.method();
        match DialogIdRef::of_request(&msg) {
            Some(dialog_id) => match self.dialogs.get(dialog_id) {
                Some(Owner::Session(id)) => self.in_dialog(now, id, server, request, origin),
                Some(Owner::Subscription(id)) => {
                    self.in_subscription(now, id, server, request, origin)
                }
                // A NOTIFY may come before the SUBSCRIBE's 2xx, or from
                // another fork (RFC 6665 §4.1.2.4).
                None if method == Some(Method::Notify)
                    && self.notify_outside_dialog(now, server, &request, origin) => {}
                None => {
                    // §12.2.2: no such dialog.
                    self.answer_with(
                        now,
                        server,
                        &msg,
                        StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        None,
                    );
                }
            },
            None => match method {
                Some(Method::Invite) => self.on_invite(now, server, request, origin),
                Some(Method::Subscribe) => self.on_subscribe(now, server, request, origin),
                // A CANCEL that matched no INVITE (§9.2).
                Some(Method::Cancel) => self.answer_with(
                    now,
                    server,
                    &msg,
                    StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    None,
                ),
                Some(Method::Bye | Method::Update | Method::Prack) => self.answer_with(
                    now,
                    server,
                    &msg,
                    StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    None,
                ),
                _ => self.events.push_back(UaEvent::Request {
                    transaction: server,
                    session: None,
                    request,
                    origin,
                }),
            },
        }
    }

    fn on_invite(&mut self, now: Instant, server: ServerId, request: Message, origin: Flow) {
        let msg = request.as_ref();
        if self.live >= self.config.max_sessions {
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
        // §12.1.1: the UAS needs the remote target.
        if !matches!(
            msg.header::<crate::header::Contact<'_>>(),
            Some(Ok(crate::header::Contact::Address(_)))
        ) {
            self.answer_with(now, server, &msg, StatusCode::BAD_REQUEST, None);
            return;
        }
        let timer_offer = match self
            .config
            .session_timer
            .map(|c| timer::uas_decision(&msg, &c))
        {
            Some(Err(min)) => {
                // RFC 4028 §8.1: too short an interval.
                let min = min.to_string();
                self.answer_with(
                    now,
                    server,
                    &msg,
                    StatusCode::SESSION_INTERVAL_TOO_SMALL,
                    Some(("Min-SE", &min)),
                );
                return;
            }
            Some(Ok(d)) => d,
            None => None,
        };
        let peer_allows_update = allows_update(&msg);
        let user = msg
            .request_uri()
            .and_then(Result::ok)
            .and_then(|u| u.as_sip().and_then(|s| s.user().map(str::to_owned)));
        let contact = contact_for(user.as_deref(), &origin);
        let mut offer_answer = OfferAnswer::new();
        if !msg.body().is_empty() {
            offer_answer.received(&request.body());
        }
        let generation = self.generation();
        let local_tag = random::tag(&mut self.rng);
        // RFC 3262 §3: the first RSeq is random, below 2**31 with room.
        let first_rseq = (self.rng.next_u64() % (1 << 30)) as u32 + 1;
        let mut session = Session::new(generation, Role::Uas, request.clone(), origin, contact);
        session.server = Some(server);
        session.local_tag = local_tag;
        session.offer_answer = offer_answer;
        session.rseq = first_rseq;
        session.timer_offer = timer_offer;
        session.peer_allows_update = peer_allows_update;
        let id = self.insert(session);
        self.servers.insert(server, id);
        self.events.push_back(UaEvent::IncomingCall {
            session: id,
            request,
        });
    }

    fn in_dialog(
        &mut self,
        now: Instant,
        id: SessionId,
        server: ServerId,
        request: Message,
        origin: Flow,
    ) {
        let msg = request.as_ref();
        let dialog_id = DialogIdRef::of_request(&msg);
        let Some(s) = self.session_mut(id) else {
            self.answer_with(
                now,
                server,
                &msg,
                StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                None,
            );
            return;
        };
        let index = dialog_id.and_then(|d| s.find_dialog(d)).unwrap_or(0);
        let Some(dialog) = s.dialogs.get_mut(index) else {
            return;
        };
        if let Err(refusal) = dialog.receive(&msg) {
            self.answer_with(now, server, &msg, refusal.status(), None);
            return;
        }
        match msg.method() {
            Some(Method::Bye) => {
                self.answer_with(now, server, &msg, StatusCode::OK, None);
                let s = self.session_mut(id).expect("found above");
                // A BYE before the answer ends the INVITE too (§15.1.2).
                if s.role == Role::Uas
                    && matches!(s.phase, Phase::Initial | Phase::Early)
                    && let Some(invite_server) = s.server
                {
                    let invite = s.invite.clone();
                    self.answer_with(
                        now,
                        invite_server,
                        &invite.as_ref(),
                        StatusCode::REQUEST_TERMINATED,
                        None,
                    );
                }
                self.end(id, EndReason::RemoteBye);
            }
            Some(Method::Prack) => self.on_prack(now, id, server, request),
            Some(Method::Invite | Method::Update) => {
                let is_invite = msg.method() == Some(Method::Invite);
                if s.outgoing.is_some()
                    || (is_invite && s.retransmit.is_some())
                    || (!msg.body().is_empty() && s.offer_answer.state() == OfferState::OfferSent)
                {
                    // §14.2: our own re-INVITE or offer is outstanding.
                    self.answer_with(now, server, &msg, StatusCode::REQUEST_PENDING, None);
                    return;
                }
                let owes_answer = s.offer_answer.state() == OfferState::OfferReceived;
                if s.incoming.is_some() || (!msg.body().is_empty() && owes_answer) {
                    // §14.2, RFC 3311 §5.2: theirs is outstanding, or an
                    // offer of theirs is not answered yet: 500 with
                    // Retry-After.
                    let wait = (self.rng.next_u64() % 10).to_string();
                    self.answer_with(
                        now,
                        server,
                        &msg,
                        StatusCode::SERVER_INTERNAL_ERROR,
                        Some(("Retry-After", &wait)),
                    );
                    return;
                }
                if !matches!(s.phase, Phase::Confirmed | Phase::Early | Phase::Answered) {
                    self.answer_with(
                        now,
                        server,
                        &msg,
                        StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        None,
                    );
                    return;
                }
                let s = self.session_mut(id).expect("found above");
                if let Some(d) = s.dialogs.get_mut(index) {
                    let _ = d.refresh_target(&msg);
                }
                // A refresh changes nothing the user decides (RFC 4028): an
                // UPDATE without a body, or a re-INVITE whose offer repeats
                // the peer's last description. The core answers it, the
                // second with this side's last description.
                let body = request.body();
                let repeat = s
                    .offer_answer
                    .local()
                    .filter(|_| {
                        is_invite && !body.is_empty() && s.offer_answer.remote() == Some(&body)
                    })
                    .cloned();
                let refresh = s.phase == Phase::Confirmed
                    && ((!is_invite && body.is_empty()) || repeat.is_some());
                if !body.is_empty() {
                    s.offer_answer.received(&body);
                }
                s.incoming = Some(Incoming {
                    server,
                    request: request.clone(),
                });
                if refresh {
                    let _ = self.accept_update(now, id, repeat.map(Body::sdp));
                } else {
                    self.events.push_back(UaEvent::Update {
                        session: id,
                        request,
                    });
                }
            }
            _ => self.events.push_back(UaEvent::Request {
                transaction: server,
                session: Some(id),
                request,
                origin,
            }),
        }
    }

    /// A PRACK in the early dialog (RFC 3262 §3): it acknowledges the
    /// outstanding reliable provisional response or gets 481; then what was
    /// held back goes.
    fn on_prack(&mut self, now: Instant, id: SessionId, server: ServerId, prack: Message) {
        let msg = prack.as_ref();
        let s = self.session_mut(id).expect("the caller found it");
        let invite_seq = s.invite.as_ref().cseq().map(|c| c.seq).ok();
        let matches = match (msg.header::<crate::header::RAck<'_>>(), &s.reliable) {
            (Some(Ok(rack)), Some(r)) => {
                rack.rseq == r.rseq
                    && Some(rack.cseq) == invite_seq
                    && rack.method == Method::Invite
            }
            _ => false,
        };
        if !matches {
            self.answer_with(
                now,
                server,
                &msg,
                StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                None,
            );
            return;
        }
        s.reliable = None;
        if !msg.body().is_empty() {
            if s.offer_answer.state() == OfferState::OfferSent {
                s.offer_answer.received(&prack.body());
            } else {
                // A new offer in the PRACK: the user answers it in the
                // PRACK's 2xx.
                s.offer_answer.received(&prack.body());
                s.incoming = Some(Incoming {
                    server,
                    request: prack.clone(),
                });
                self.events.push_back(UaEvent::Update {
                    session: id,
                    request: prack,
                });
                self.flush_held(now, id);
                return;
            }
        }
        let local_tag = s.local_tag.clone();
        if let Ok(b) = msg.response(StatusCode::OK)
            && let Ok(r) = b.to_tag(&local_tag).build()
        {
            let _ = self.endpoint.respond(now, server, r);
        }
        self.flush_held(now, id);
    }

    /// Sends what waited for a PRACK: the next provisional response, or
    /// the 2xx.
    fn flush_held(&mut self, now: Instant, id: SessionId) {
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if s.reliable.is_some() {
            return;
        }
        if let Some((status, body)) = s.queued.pop_front() {
            let _ = self.send_progress(now, id, status, body, true);
        } else if let Some(body) = s.answer_pending.take() {
            let _ = self.send_answer(now, id, body);
        }
    }

    fn on_ack(&mut self, now: Instant, ack: Message) {
        let msg = ack.as_ref();
        let Some(dialog_id) = DialogIdRef::of_request(&msg) else {
            return;
        };
        let Some(Owner::Session(id)) = self.dialogs.get(dialog_id) else {
            return;
        };
        let seq = msg.cseq().map(|c| c.seq).unwrap_or(0);
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if s.retransmit.as_ref().is_none_or(|r| r.seq != seq) {
            // A retransmitted ACK, or one for a 2xx already acknowledged.
            return;
        }
        s.retransmit = None;
        if !msg.body().is_empty() {
            s.offer_answer.received(&ack.body());
        }
        let was_initial = s.phase == Phase::Answered;
        if was_initial {
            s.phase = Phase::Confirmed;
            self.events
                .push_back(UaEvent::Confirmed { session: id, ack });
            let s = self.session_mut(id).expect("found above");
            if s.hangup_pending {
                s.hangup_pending = false;
                let _ = self.send_bye(now, id);
            }
        }
    }

    fn on_cancelled(&mut self, now: Instant, server: ServerId) {
        let Some(&id) = self.servers.get(&server) else {
            return;
        };
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if !matches!(s.phase, Phase::Initial | Phase::Early) {
            return;
        }
        let invite = s.invite.clone();
        let local_tag = s.local_tag.clone();
        if let Ok(b) = invite.as_ref().response(StatusCode::REQUEST_TERMINATED)
            && let Ok(r) = b.to_tag(&local_tag).build()
        {
            let _ = self.endpoint.respond(now, server, r);
        }
        self.end(id, EndReason::Cancelled);
    }

    fn on_response(&mut self, now: Instant, client: ClientId, response: Message, origin: Flow) {
        let msg = response.as_ref();
        // §8.1.3.3: a response with more than one Via is not ours.
        if msg.values(HeaderName::Via).nth(1).is_some() {
            return;
        }
        let Some(&(session, purpose)) = self.clients.get(&client) else {
            return;
        };
        let Some(status) = msg.status() else {
            return;
        };
        match (purpose, session) {
            (Purpose::Invite, Some(id)) => {
                self.on_invite_response(now, id, response, status, origin)
            }
            (Purpose::Update, Some(id)) => {
                self.on_update_response(now, id, client, response, status)
            }
            (Purpose::Prack, Some(id)) if status.is_final() => {
                let Some(s) = self.session_mut(id) else {
                    return;
                };
                if let Some((_, tag, rseq)) = s.prack_client.take_if(|(c, _, _)| *c == client)
                    && status.is_success()
                {
                    if let Some(entry) =
                        s.rseqs.iter_mut().find(|(t, r, _)| *t == tag && *r == rseq)
                    {
                        entry.2 = true;
                    }
                    // The answer to an offer the PRACK carried.
                    if s.offer_answer.state() == OfferState::OfferSent && !msg.body().is_empty() {
                        s.offer_answer.received(&response.body());
                    }
                }
            }
            (Purpose::Bye, Some(id)) if status.is_final() => {
                self.end(id, EndReason::LocalBye(Some(status)));
            }
            (Purpose::Register(index, generation), _) if status.is_final() => {
                let id = RegistrationId { index, generation };
                self.on_register_response(now, id, client, &response);
            }
            (Purpose::Subscribe(index, generation), _) if status.is_final() => {
                let id = SubscriptionId { index, generation };
                self.on_subscribe_response(now, id, client, &response);
            }
            (Purpose::User, session) => self.events.push_back(UaEvent::Response {
                transaction: client,
                session,
                response,
            }),
            _ => {}
        }
    }

    fn on_invite_response(
        &mut self,
        now: Instant,
        id: SessionId,
        response: Message,
        status: StatusCode,
        origin: Flow,
    ) {
        let msg = response.as_ref();
        let Some(s) = self.session_mut(id) else {
            // The session ended: a late 2xx still gets its ACK and a BYE.
            if status.is_success() {
                self.orphan_2xx(now, &response, origin);
            }
            return;
        };
        let code = status.as_u16();
        if code == 100 {
            // Any provisional response lets a held-back CANCEL go (§9.1).
            if s.phase == Phase::Initial && s.hangup_pending {
                let _ = self.send_cancel(now, id);
            }
            return;
        }
        if code < 200 {
            let mut prack = None;
            if let Some(dialog_id) = DialogIdRef::of_response(&msg) {
                if s.find_dialog(dialog_id).is_none()
                    && let Ok(d) = Dialog::uac(&s.invite.as_ref(), &msg)
                {
                    s.dialogs.push(d);
                    self.dialogs.insert(dialog_id.to_owned(), id);
                }
                let s = self.session_mut(id).expect("found above");
                if let Some(rseq) = reliable_rseq(&msg) {
                    // RFC 3262 §4: in order, once each; a retransmission or
                    // a gap is not reported again.
                    let tag = dialog_id.remote_tag.to_owned();
                    let last = s.rseqs.iter_mut().find(|(t, _, _)| *t == tag);
                    match last {
                        Some((_, last, acked)) if *last == rseq => {
                            // A retransmission: its PRACK again only when
                            // the last one failed (a 500 for a CSeq that
                            // arrived out of order, say).
                            let in_flight = s.prack_client.is_some();
                            if !*acked && !in_flight && s.prack_owed.is_none() {
                                let _ = self.send_prack(now, id, &tag, rseq, None);
                            }
                            return;
                        }
                        Some((_, last, _)) if rseq != last.wrapping_add(1) => return,
                        Some((_, last, acked)) => {
                            *last = rseq;
                            *acked = false;
                        }
                        None => s.rseqs.push((tag.clone(), rseq, false)),
                    }
                    prack = Some((tag, rseq));
                }
            }
            let s = self.session_mut(id).expect("found above");
            if s.phase == Phase::Initial {
                s.phase = Phase::Early;
            }
            let mut answer_owed = false;
            if let Some((tag, rseq)) = &prack {
                if !msg.body().is_empty() && !s.cancelled {
                    if s.offer_answer.state() == OfferState::OfferSent {
                        s.offer_answer.received(&response.body());
                    } else if s.offer_answer.state() == OfferState::Stable
                        && s.offer_answer.completed() == 0
                    {
                        // An offer: the PRACK carries the answer, given by
                        // the user with `acknowledge`.
                        s.offer_answer.received(&response.body());
                        s.prack_owed = Some((tag.clone(), *rseq));
                        answer_owed = true;
                    }
                }
                if !answer_owed {
                    let _ = self.send_prack(now, id, tag, *rseq, None);
                }
            }
            let s = self.session_mut(id).expect("found above");
            if s.hangup_pending {
                let _ = self.send_cancel(now, id);
                return;
            }
            if !s.cancelled {
                self.events.push_back(UaEvent::Progress {
                    session: id,
                    response,
                });
            }
            return;
        }
        if status.is_success() {
            let Some(dialog_id) = DialogIdRef::of_response(&msg) else {
                return;
            };
            let seq = msg.cseq().map(|c| c.seq).unwrap_or(1);
            match s.phase {
                Phase::Initial | Phase::Early => {
                    // The first 2xx: its dialog wins (§13.2.2.4).
                    let dialog = match s.find_dialog(dialog_id) {
                        Some(i) => {
                            let mut d = s.dialogs.remove(i);
                            let _ = d.confirm(Some(&msg));
                            d
                        }
                        None => match Dialog::uac(&s.invite.as_ref(), &msg) {
                            Ok(d) => d,
                            Err(_) => return,
                        },
                    };
                    let forks: Vec<DialogId> =
                        s.dialogs.drain(..).map(|d| d.id().clone()).collect();
                    for fork in forks {
                        self.dialogs.remove(fork.as_ref(), id);
                    }
                    let s = self.session_mut(id).expect("found above");
                    s.dialogs.push(dialog);
                    s.phase = Phase::Confirmed;
                    s.peer_allows_update = allows_update(&msg);
                    // RFC 4028 §7.2: without a refresher parameter the UAC
                    // refreshes; without Session-Expires there is no timer.
                    s.timer = timer::session_expires(&msg).map(|(i, r)| {
                        SessionTimer::start(
                            now,
                            i,
                            timer::is_me(r.unwrap_or(crate::header::Refresher::Uac), true),
                        )
                    });
                    // A body after an exchange in reliable provisional
                    // responses repeats the answer (RFC 3262 §5).
                    let repeated = s.offer_answer.state() == OfferState::Stable
                        && s.offer_answer.completed() > 0;
                    let offer_in_2xx = !repeated
                        && s.offer_answer.state() == OfferState::Stable
                        && !msg.body().is_empty();
                    if !msg.body().is_empty() && !repeated {
                        s.offer_answer.received(&response.body());
                    }
                    self.dialogs.insert(dialog_id.to_owned(), id);
                    let s = self.session_mut(id).expect("found above");
                    if offer_in_2xx && !s.cancelled {
                        s.ack_owed = Some(seq);
                    } else {
                        let _ = self.send_ack(id, seq, None);
                    }
                    let s = self.session_mut(id).expect("found above");
                    if s.cancelled {
                        // The 200 beat the CANCEL: acknowledge and hang up.
                        let _ = self.send_bye(now, id);
                    } else {
                        self.schedule(id);
                        self.events.push_back(UaEvent::Answered {
                            session: id,
                            response,
                        });
                    }
                }
                _ => {
                    if s.find_dialog(dialog_id) == Some(0) {
                        // A retransmission: the same ACK again.
                        if let Some(ack) = s.ack.clone() {
                            let flow = s.dialogs.first().map_or(s.flow, |d| hop_flow(d, &s.flow));
                            self.endpoint.send_stateless(&ack, flow);
                        }
                    } else {
                        let base = s.flow;
                        self.orphan_2xx(now, &response, base);
                    }
                }
            }
            return;
        }
        let cancelled = s.cancelled;
        if code == 422 && !cancelled && self.retry_422(now, id, &msg).is_some() {
            return;
        }
        if matches!(code, 401 | 407) && !cancelled && self.retry_challenged(now, id, &msg).is_some()
        {
            return;
        }
        let Some(s) = self.session_mut(id) else {
            return;
        };
        // 3xx–6xx: the INVITE failed and its early dialogs with it.
        let reason = if s.cancelled && code == 487 {
            EndReason::Cancelled
        } else {
            EndReason::Rejected(status)
        };
        self.end(id, reason);
    }

    /// The INVITE again with credentials after a 401 or 407 (RFC 3261
    /// §22.2), at most twice in a row; `None` without credentials or when
    /// the challenge cannot be answered.
    fn retry_challenged(
        &mut self,
        now: Instant,
        id: SessionId,
        response: &MessageRef<'_>,
    ) -> Option<()> {
        let Self { sessions, rng, .. } = self;
        let s = slot(sessions, id).ok()?;
        if s.challenges >= 2 {
            return None;
        }
        let auth = s.auth.as_mut()?;
        let again = auth.retry(&s.invite.as_ref(), response, rng).ok()?;
        s.challenges += 1;
        let flow = s.flow;
        let client = self.endpoint.send_request(now, again.clone(), flow).ok()?;
        self.clients.insert(client, (Some(id), Purpose::Invite));
        self.restart_invite(id, again);
        Some(())
    }

    /// The session goes on with `invite`, a new INVITE transaction (after
    /// a 422 or a challenge): the early dialogs of the old one are gone.
    fn restart_invite(&mut self, id: SessionId, invite: Message) {
        let Some(s) = self.session_mut(id) else {
            return;
        };
        s.invite = invite;
        s.rseqs.clear();
        let early: Vec<_> = s.dialogs.drain(..).map(|d| d.id().clone()).collect();
        for d in early {
            self.dialogs.remove(d.as_ref(), id);
        }
    }

    /// The INVITE again after a 422 (RFC 4028 §7.4), asking for the
    /// Min-SE of the response; `None` when that asks for nothing larger.
    fn retry_422(&mut self, now: Instant, id: SessionId, response: &MessageRef<'_>) -> Option<()> {
        let min = timer::min_se(response)?;
        let s = self.session(id)?;
        let (invite, flow) = (s.invite.clone(), s.flow);
        let asked = timer::session_expires(&invite.as_ref()).map_or(0, |(i, _)| i);
        if min <= asked {
            return None;
        }
        let mut edit = invite.as_ref().reissue(&mut self.rng).ok()?;
        edit.replace("Session-Expires", &min.to_string());
        edit.replace("Min-SE", &min.to_string());
        let again = edit.finish().ok()?;
        let client = self.endpoint.send_request(now, again.clone(), flow).ok()?;
        self.clients.insert(client, (Some(id), Purpose::Invite));
        self.restart_invite(id, again);
        Some(())
    }

    /// A 2xx of a dialog no session keeps (another fork's, or after the
    /// session ended): ACK it and send BYE (RFC 3261 §13.2.2.4), towards
    /// the response's Contact or else back on `base`.
    fn orphan_2xx(&mut self, now: Instant, response: &Message, base: Flow) {
        let msg = response.as_ref();
        let Some(dialog) = dialog_from_2xx(&msg) else {
            return;
        };
        self.ack_and_bye(now, dialog, msg.cseq().map(|c| c.seq).unwrap_or(1), base);
    }

    fn ack_and_bye(&mut self, now: Instant, mut dialog: Dialog, seq: u32, base: Flow) {
        let flow = hop_flow(&dialog, &base);
        let via = via_for(&flow, &mut self.rng);
        if let Ok(ack) = dialog.ack(seq, &via).build() {
            self.endpoint.send_stateless(&ack, flow);
        }
        let via = via_for(&flow, &mut self.rng);
        if let Ok(bye) = dialog.request(Method::Bye, &via).build()
            && let Ok(client) = self.endpoint.send_request(now, bye, flow)
        {
            self.clients.insert(client, (None, Purpose::OrphanBye));
        }
    }

    fn on_update_response(
        &mut self,
        now: Instant,
        id: SessionId,
        client: ClientId,
        response: Message,
        status: StatusCode,
    ) {
        let Some(s) = self.session_mut(id) else {
            return;
        };
        if !status.is_final() || s.outgoing.as_ref().is_none_or(|o| o.client != client) {
            // A retransmitted 2xx of a re-INVITE: the ACK again.
            if status.is_success()
                && let Some(ack) = s.ack.clone()
                && ack.as_ref().cseq().ok().map(|c| c.seq)
                    == response.as_ref().cseq().ok().map(|c| c.seq)
            {
                let flow = s.dialogs.first().map_or(s.flow, |d| hop_flow(d, &s.flow));
                self.endpoint.send_stateless(&ack, flow);
            }
            return;
        }
        let outgoing = s.outgoing.take().expect("checked above");
        let msg = response.as_ref();
        if status.is_success() {
            if let Some(d) = s.dialog_mut() {
                let _ = d.refresh_target(&msg);
            }
            // Without an offer of ours, a body in the 2xx is the peer's
            // offer (answered in the ACK).
            let offer_in_2xx = outgoing.body.is_none() && !msg.body().is_empty();
            if !msg.body().is_empty() {
                s.offer_answer.received(&response.body());
            }
            // The 2xx's Session-Expires (RFC 4028 §7.2), or the timer as
            // it was, starts again.
            let negotiated = timer::session_expires(&msg);
            if let Some(t) = s.timer {
                s.timer = Some(match negotiated {
                    Some((i, r)) => SessionTimer::start(
                        now,
                        i,
                        timer::is_me(r.unwrap_or(crate::header::Refresher::Uac), true),
                    ),
                    None => SessionTimer::start(now, t.interval, t.refreshing),
                });
            }
            if outgoing.is_invite {
                let seq = msg.cseq().map(|c| c.seq).unwrap_or(1);
                if offer_in_2xx && !outgoing.refresh {
                    s.ack_owed = Some(seq);
                } else {
                    let _ = self.send_ack(id, seq, None);
                }
            }
            self.schedule(id);
            if !outgoing.refresh {
                self.events.push_back(UaEvent::Updated {
                    session: id,
                    response,
                });
            }
            return;
        }
        if outgoing.body.is_some() {
            s.offer_answer.rollback();
        }
        if status == StatusCode::REQUEST_PENDING {
            // §14.1: glare; try again later.
            let owner = s.role == Role::Uac;
            let wait = glare_wait(owner, &mut self.rng);
            let s = self.session_mut(id).expect("found above");
            s.glare_retry = Some((
                now + wait,
                outgoing.is_invite,
                outgoing.body,
                outgoing.refresh,
            ));
            self.schedule(id);
            return;
        }
        if outgoing.refresh {
            // RFC 4028 §10: a failed refresh ends the session.
            let _ = self.send_bye(now, id);
            self.end(id, EndReason::SessionExpired);
            return;
        }
        if status == StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST
            || status == StatusCode::REQUEST_TIMEOUT
        {
            // §12.2.1.2: the dialog is gone.
            let _ = self.send_bye(now, id);
        }
        self.events.push_back(UaEvent::UpdateFailed {
            session: id,
            status,
        });
    }

    fn on_stray(&mut self, response: Message) {
        let msg = response.as_ref();
        if !msg.status().is_some_and(|s| s.is_success())
            || msg.cseq().ok().map(|c| c.method) != Some(Method::Invite)
        {
            return;
        }
        let Some(dialog_id) = DialogIdRef::of_response(&msg) else {
            return;
        };
        let Some(Owner::Session(id)) = self.dialogs.get(dialog_id) else {
            return;
        };
        let Some(s) = self.session(id) else {
            return;
        };
        if let Some(ack) = s.ack.clone() {
            let flow = s.dialogs.first().map_or(s.flow, |d| hop_flow(d, &s.flow));
            self.endpoint.send_stateless(&ack, flow);
        }
    }

    fn on_terminated(
        &mut self,
        now: Instant,
        transaction: TransactionId,
        reason: crate::transaction::Termination,
    ) {
        use crate::transaction::Termination;
        match transaction {
            TransactionId::Client(client) => {
                let Some((session, purpose)) = self.clients.remove(&client) else {
                    return;
                };
                let failed = !matches!(reason, Termination::Completed);
                let Some(id) = session else {
                    match purpose {
                        Purpose::User if failed => self.user_timeout(client, None),
                        Purpose::Register(index, generation) if failed => {
                            self.on_register_timeout(RegistrationId { index, generation }, client)
                        }
                        Purpose::Subscribe(index, generation) if failed => {
                            self.on_subscribe_timeout(SubscriptionId { index, generation }, client)
                        }
                        _ => {}
                    }
                    return;
                };
                if !failed {
                    return;
                }
                match purpose {
                    Purpose::Invite => {
                        if self
                            .session(id)
                            .is_some_and(|s| matches!(s.phase, Phase::Initial | Phase::Early))
                        {
                            self.end(id, EndReason::Timeout);
                        }
                    }
                    Purpose::Bye => self.end(id, EndReason::LocalBye(None)),
                    Purpose::Update => {
                        if let Some(s) = self.session_mut(id)
                            && s.outgoing.as_ref().is_some_and(|o| o.client == client)
                        {
                            let o = s.outgoing.take().expect("checked");
                            if o.body.is_some() {
                                s.offer_answer.rollback();
                            }
                            self.events.push_back(UaEvent::UpdateFailed {
                                session: id,
                                status: StatusCode::REQUEST_TIMEOUT,
                            });
                            let _ = self.send_bye(now, id);
                        }
                    }
                    Purpose::User => self.user_timeout(client, Some(id)),
                    Purpose::Prack => {
                        if let Some(s) = self.session_mut(id) {
                            s.prack_client.take_if(|(c, _, _)| *c == client);
                        }
                    }
                    Purpose::Cancel
                    | Purpose::OrphanBye
                    | Purpose::Register(..)
                    | Purpose::Subscribe(..)
                    | Purpose::Notify => {}
                }
            }
            TransactionId::Server(server) => {
                let Some(id) = self.servers.remove(&server) else {
                    return;
                };
                if !matches!(reason, Termination::Completed)
                    && self
                        .session(id)
                        .is_some_and(|s| matches!(s.phase, Phase::Initial | Phase::Early))
                {
                    self.end(id, EndReason::Timeout);
                }
            }
        }
    }

    /// A user's request timed out: a 408 made from it, as RFC 3261
    /// §8.1.3.1 has the UAC core do.
    fn user_timeout(&mut self, client: ClientId, session: Option<SessionId>) {
        let Some(request) = self.endpoint.request(client) else {
            return;
        };
        if let Ok(b) = request.as_ref().response(StatusCode::REQUEST_TIMEOUT)
            && let Ok(response) = b.build()
        {
            self.events.push_back(UaEvent::Response {
                transaction: client,
                session,
                response,
            });
        }
    }
}

/// A dialog from a 2xx alone (a fork's, after the INVITE is gone): the
/// response carries the From, To, Call-ID, CSeq and Contact it needs.
fn dialog_from_2xx(response: &MessageRef<'_>) -> Option<Dialog> {
    // The response stands in for the request: same From, Call-ID and CSeq.
    Dialog::uac(response, response).ok()
}

/// The flow of the next hop of `dialog`: the next hop's address when it is
/// an IP address, or else `base` (the flow the session runs on).
fn hop_flow(dialog: &Dialog, base: &Flow) -> Flow {
    Flow::direct(dialog.next_hop(), base.transport, base.local).unwrap_or(*base)
}
