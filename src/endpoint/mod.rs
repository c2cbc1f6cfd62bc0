//! The sans-IO endpoint: one object that takes datagrams and stream
//! messages in, matches them to transactions (RFC 3261 §17.1.3, §17.2.3),
//! drives the [`crate::transaction`] machines and hands back what to send,
//! what happened and when to wake it. It also does the transport's share of
//! RFC 3261 §18: `received`/`rport` on requests (§18.2.1, RFC 3581), where
//! responses go (§18.2.2), and discarding responses whose top Via `sent-by`
//! is not the request's (§18.1.2).
//!
//! # Driving it
//!
//! [`Endpoint`] has four kinds of methods, as every stateful layer of this
//! crate:
//!
//! - inputs: [`Endpoint::handle_input`], [`Endpoint::handle_timeout`],
//!   [`Endpoint::handle_transport_error`];
//! - commands: [`Endpoint::send_request`], [`Endpoint::respond`],
//!   [`Endpoint::send_stateless`] (these return `Err` only for a caller's
//!   mistake);
//! - outputs, to drain after every input or command, in this order:
//!   [`Endpoint::poll_transmit`], [`Endpoint::poll_event`], then
//!   [`Endpoint::poll_timeout`] to know when to call `handle_timeout`;
//! - getters: [`Endpoint::stats`], [`Endpoint::transaction_state`],
//!   [`Endpoint::request`], ...
//!
//! Nothing here reads a clock, touches a socket or blocks. A peer's fault is
//! never an `Err`: a request that does not parse or fails the checks every
//! element makes is answered statelessly (400, 505, 503) when it can be,
//! otherwise dropped and counted in [`Stats`].
//!
//! # Flows
//!
//! A [`Flow`] is a transport with the local and the remote address: where
//! a message came in, where one goes out. An element with several sockets
//! (a P-CSCF's protected ports of TS 33.203 toward a UE and its Mw
//! interface, an RFC 5626 flow, two networks) says which one a request
//! leaves from in the flow it passes to [`Endpoint::send_request`];
//! responses leave on the flow their request came in on.
//!
//! # Validation is the transaction user's
//!
//! The endpoint checks what matching and its own answers need, the same for
//! every element: the message parses, and the checks of
//! [`MessageRef::validate_with`](crate::MessageRef::validate_with) that do not depend on a policy (version,
//! mandatory and single headers, the core headers' syntax, the
//! Request-URI, the CSeq method). A request that passes goes up as
//! [`Event::Request`]; the checks that depend on the element (the
//! Request-URI scheme, Require or Proxy-Require, Max-Forwards) are the
//! transaction user's, per request, with its
//! [`ValidationPolicy`](crate::ValidationPolicy): one element can be a
//! registrar for REGISTER and a proxy for INVITE. The endpoint recorded what
//! passed, so `validate_with` then costs only the policy's checks.
//!
//! ```no_run
//! use std::net::UdpSocket;
//! use std::time::{Duration, Instant};
//! use bytes::Bytes;
//! use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
//! use imsip::{StatusCode, Transport, ValidationPolicy};
//!
//! let socket = UdpSocket::bind("127.0.0.1:5060")?;
//! let local = socket.local_addr()?;
//! let mut endpoint = Endpoint::new(EndpointConfig::default());
//! let policy = ValidationPolicy::user_agent(&[]);
//! let mut buf = vec![0u8; 65_535];
//! loop {
//!     // Sleep until the next timer, or until a datagram comes.
//!     let timeout = endpoint.poll_timeout().map(|at| at.saturating_duration_since(Instant::now()));
//!     socket.set_read_timeout(timeout.filter(|d| !d.is_zero()).or(Some(Duration::from_millis(1))))?;
//!     match socket.recv_from(&mut buf) {
//!         Ok((n, remote)) => endpoint.handle_input(
//!             Instant::now(),
//!             Flow { transport: Transport::Udp, local, remote },
//!             Bytes::copy_from_slice(&buf[..n]),
//!         ),
//!         Err(_) => endpoint.handle_timeout(Instant::now()),
//!     }
//!     while let Some(t) = endpoint.poll_transmit() {
//!         socket.send_to(&t.payload, t.flow.remote)?;
//!     }
//!     while let Some(event) = endpoint.poll_event() {
//!         if let Event::Request { transaction, request, .. } = event {
//!             let request = request.as_ref();
//!             let answer = match request.validate_with(&policy) {
//!                 Ok(()) => request.response(StatusCode::OK)?,
//!                 Err(e) => policy.rejection(&request, &e)?,
//!             };
//!             // The builder adds the To tag RFC 3261 §8.2.6.2 asks for.
//!             endpoint.respond(Instant::now(), transaction, answer.build()?)?;
//!         }
//!     }
//! }
//! # #[allow(unreachable_code)] Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Memory
//!
//! Live transactions are bounded by [`EndpointConfig::max_transactions`];
//! beyond it new requests are answered 503 with Retry-After. A transaction
//! keeps the messages it may resend as shared [`Bytes`] (no copies) and a
//! few hundred bytes of state; see `docs/performance.md` for the measured
//! figure.

mod client;
mod key;
mod machine;
mod server;
pub(crate) mod via;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use thiserror::Error;

use crate::message::ParseConfig;
use crate::random::Generator;
use crate::transaction::{ResponseError, State, Termination, TimerConfig};
use crate::{Message, Transport};
use key::KeyTable;
use machine::{Handle, Slab};

/// Settings of an [`Endpoint`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EndpointConfig {
    /// T1, T2, T4 and the 100 Trying delay.
    pub timers: TimerConfig,
    /// Limits for parsing what arrives.
    pub parse: ParseConfig,
    /// The most transactions alive at once (default 65 536). A request that
    /// would start one more is answered 503.
    pub max_transactions: usize,
    /// The Retry-After, in seconds, of those 503 responses (default 5).
    pub retry_after: u32,
    /// The random source for the To tags of stateless responses: `None`
    /// (the default) for the operating system's generator, a seed for a
    /// reproducible one in tests and simulations (predictable: never in
    /// production).
    pub seed: Option<u64>,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            timers: TimerConfig::default(),
            parse: ParseConfig::default(),
            max_transactions: 65_536,
            retry_after: 5,
            seed: None,
        }
    }
}

/// A transport with the local and the remote address: where a message came
/// in (the local address it arrived at, the peer that sent it) or where one
/// goes out (the local address or socket to send from, the peer to send
/// to). Addresses are resolved: DNS is the caller's (RFC 3263).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    /// The transport.
    pub transport: Transport,
    /// The local address: the socket, connection or IPsec protected port
    /// of this side.
    pub local: SocketAddr,
    /// The peer's address.
    pub remote: SocketAddr,
}

impl Flow {
    /// A flow over `transport` between `local` and `remote`.
    pub const fn new(transport: Transport, local: SocketAddr, remote: SocketAddr) -> Flow {
        Flow {
            transport,
            local,
            remote,
        }
    }

    /// The same flow towards another remote address.
    pub const fn to(self, remote: SocketAddr) -> Flow {
        Flow { remote, ..self }
    }

    /// A flow from `local` to the address a SIP or SIPS URI names when
    /// its host is an IP address: over its `transport` parameter (else
    /// `transport`), to its port (else the transport's default). `None`
    /// for a host name (RFC 3263 resolution is the caller's) or another
    /// scheme.
    ///
    /// ```
    /// use imsip::{Flow, Transport};
    /// use imsip::uri::Uri;
    ///
    /// let local = "192.0.2.1:5060".parse().unwrap();
    /// let uri = Uri::parse("sip:bob@192.0.2.4;transport=tcp").unwrap();
    /// let flow = Flow::direct(&uri, Transport::Udp, local).unwrap();
    /// assert_eq!((flow.transport, flow.remote.to_string()), (Transport::Tcp, "192.0.2.4:5060".to_owned()));
    /// assert!(Flow::direct(&Uri::parse("sip:bob@example.com").unwrap(), Transport::Udp, local).is_none());
    /// ```
    pub fn direct(
        uri: &crate::uri::Uri<'_>,
        transport: Transport,
        local: SocketAddr,
    ) -> Option<Flow> {
        let sip = uri.as_sip()?;
        let ip = sip.host().ip()?;
        let transport = sip
            .transport()
            .and_then(Transport::from_token)
            .unwrap_or(transport);
        let port = sip.port().unwrap_or_else(|| transport.default_port());
        Some(Flow::new(transport, local, SocketAddr::new(ip, port)))
    }
}

/// A message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// The transport, the local address to send from and the peer to send
    /// to.
    pub flow: Flow,
    /// The encoded message (shared: a retransmission copies nothing).
    pub payload: Bytes,
    /// The transaction that sends it; report a failure to send with
    /// [`Endpoint::handle_transport_error`].
    pub transaction: Option<TransactionId>,
}

/// A client transaction: the handle [`Endpoint::send_request`] returns,
/// valid until its [`Event::Terminated`]. Responses are never sent on it:
///
/// ```compile_fail
/// # fn f(endpoint: &mut imsip::Endpoint, id: imsip::ClientId, response: imsip::Message) {
/// // A ClientId is not a ServerId.
/// let _ = endpoint.respond(std::time::Instant::now(), id, response);
/// # }
/// ```
///
/// ```
/// # fn f(endpoint: &mut imsip::Endpoint, id: imsip::ServerId, response: imsip::Message) {
/// let _ = endpoint.respond(std::time::Instant::now(), id, response);
/// # }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(Handle);

/// A server transaction: the handle of an [`Event::Request`], valid until
/// its [`Event::Terminated`]; answer it with [`Endpoint::respond`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerId(Handle);

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client{:?}", self.0)
    }
}

impl fmt::Debug for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server{:?}", self.0)
    }
}

/// A transaction of either kind, where both can appear: which one
/// terminated, which one a [`Transmit`] belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TransactionId {
    /// A client transaction.
    Client(ClientId),
    /// A server transaction.
    Server(ServerId),
}

impl TransactionId {
    fn handle(self) -> Handle {
        match self {
            TransactionId::Client(ClientId(h)) | TransactionId::Server(ServerId(h)) => h,
        }
    }
}

impl From<ClientId> for TransactionId {
    fn from(id: ClientId) -> Self {
        TransactionId::Client(id)
    }
}

impl From<ServerId> for TransactionId {
    fn from(id: ServerId) -> Self {
        TransactionId::Server(id)
    }
}

/// What happened, for the user of the endpoint (the transaction user of RFC
/// 3261: a UA core, a proxy core, a CSCF).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event {
    /// A new request: a server transaction was created for it. Validate it
    /// with your policy ([`crate::MessageRef::validate_with`]) and answer
    /// with [`Endpoint::respond`].
    ///
    /// A CANCEL that matches no INVITE server transaction comes up this
    /// way too: a user agent answers it 481 (RFC 3261 §9.2), a proxy
    /// forwards it statelessly (§16.10). A CANCEL that matches one is
    /// answered by the endpoint and reported as [`Event::Cancelled`].
    Request {
        /// The server transaction.
        transaction: ServerId,
        /// The request, with `received` and `rport` added to its top Via
        /// where RFC 3261 §18.2.1 and RFC 3581 ask for them.
        request: Message,
        /// The flow it came in on (responses go back on it).
        origin: Flow,
    },
    /// A response on a client transaction: provisional, final, and for an
    /// INVITE every 2xx (retransmissions and other forks) until Timer M.
    Response {
        /// The client transaction.
        transaction: ClientId,
        /// The response.
        response: Message,
        /// The flow it came in on.
        origin: Flow,
    },
    /// An ACK for a 2xx: matched to its INVITE server transaction in
    /// Accepted, or to no transaction at all (the dialog layer's).
    Ack {
        /// The INVITE server transaction, when the ACK matched one.
        transaction: Option<ServerId>,
        /// The ACK.
        request: Message,
        /// The flow it came in on.
        origin: Flow,
    },
    /// A CANCEL matched this INVITE server transaction while it was still
    /// proceeding (RFC 3261 §9.2). The CANCEL has been answered 200; answer
    /// the INVITE yourself (usually 487), and a proxy cancels its branches
    /// (§16.10). With [`EndpointConfig::max_transactions`] alive the 200
    /// goes without a transaction, so a retransmitted CANCEL is reported
    /// again while the INVITE proceeds.
    Cancelled {
        /// The INVITE server transaction.
        transaction: ServerId,
        /// The CANCEL.
        cancel: Message,
        /// The flow the CANCEL came in on.
        origin: Flow,
    },
    /// A response that matches no client transaction (for example a 2xx
    /// retransmitted after Timer M): the dialog layer may want it.
    StrayResponse {
        /// The response.
        response: Message,
        /// The flow it came in on.
        origin: Flow,
    },
    /// A transaction ended and its handle is no longer valid.
    Terminated {
        /// The transaction.
        transaction: TransactionId,
        /// Why.
        reason: Termination,
    },
}

/// Counters of what the endpoint saw and did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Messages handed to [`Endpoint::handle_input`].
    pub received: u64,
    /// Keep-alives (only line breaks) ignored.
    pub keepalives: u64,
    /// Messages dropped because they did not parse, or failed validation
    /// and could not be answered.
    pub dropped_malformed: u64,
    /// Requests answered without a transaction (400, 503, 505...) or
    /// with [`Endpoint::respond_stateless`].
    pub stateless_responses: u64,
    /// Requests refused with 503 because too many transactions were alive.
    pub rejected_overload: u64,
    /// Retransmissions of requests that matched a server transaction.
    pub retransmitted_requests: u64,
    /// Responses that matched no client transaction.
    pub stray_responses: u64,
    /// Responses whose top Via `sent-by` is not the one the request was
    /// sent with, discarded (RFC 3261 §18.1.2).
    pub misrouted_responses: u64,
    /// Transactions created.
    pub transactions_created: u64,
}

/// Why [`Endpoint::send_request`] refused a request.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SendError {
    /// The message is not a request.
    #[error("not a request")]
    NotARequest,
    /// An ACK is not sent in a transaction: ACK for a 2xx goes with
    /// [`Endpoint::send_stateless`], ACK for a non-2xx is the transaction's.
    #[error("ACK is not sent in a transaction")]
    Ack,
    /// The top Via has no branch starting with the magic cookie `z9hG4bK`.
    #[error("the top Via has no RFC 3261 branch")]
    NoBranch,
    /// A client transaction with the same branch and method is alive.
    #[error("a transaction with this branch and method exists")]
    DuplicateBranch,
    /// [`EndpointConfig::max_transactions`] are alive.
    #[error("too many transactions")]
    Capacity,
}

/// Why [`Endpoint::respond`] refused a response.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RespondError {
    /// No such transaction (it terminated, or never existed).
    #[error("no such transaction")]
    UnknownTransaction,
    /// The transaction refused it.
    #[error(transparent)]
    Transaction(#[from] ResponseError),
    /// Not a response this call sends (see
    /// [`Endpoint::respond_stateless`]).
    #[error("unsuitable: {0}")]
    Unsuitable(&'static str),
}

/// The transaction endpoint. See the [module documentation](self).
#[derive(Debug)]
pub struct Endpoint {
    config: EndpointConfig,
    rng: Generator,
    entries: Slab,
    keys: KeyTable<Handle>,
    /// Deadlines with lazy deletion: a transaction that reschedules pushes
    /// a new one, and the old one is skipped when it surfaces.
    timers: BinaryHeap<Reverse<(Instant, Handle)>>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: Stats,
}

impl Endpoint {
    /// An endpoint with `config` and no transactions.
    pub fn new(config: EndpointConfig) -> Self {
        Endpoint {
            rng: Generator::from_seed(config.seed),
            config,
            entries: Slab::default(),
            keys: KeyTable::new(),
            timers: BinaryHeap::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: Stats::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &EndpointConfig {
        &self.config
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// How many transactions are alive.
    pub fn transactions(&self) -> usize {
        self.entries.len()
    }

    /// The state of a live transaction.
    pub fn transaction_state(&self, id: impl Into<TransactionId>) -> Option<State> {
        let id = id.into();
        self.entry(id).map(|e| e.machine.state())
    }

    /// The request of a live client transaction, as it was sent: to build
    /// its CANCEL ([`crate::MessageRef::cancel`], RFC 3261 §9.1) or to send
    /// it again with credentials after a 401 or 407. The octets are shared;
    /// a non-INVITE transaction keeps only them, so its request is indexed
    /// again here.
    pub fn request(&self, id: ClientId) -> Option<Message> {
        self.entries.get(id.0)?.machine.client_message()
    }

    /// The entry of `id`, when it is live and of the kind `id` says.
    fn entry(&self, id: TransactionId) -> Option<&machine::Entry> {
        let h = id.handle();
        self.entries.get(h).filter(|e| e.id(h) == id)
    }

    /// [`Endpoint::entry`], to change.
    fn entry_mut(&mut self, id: TransactionId) -> Option<&mut machine::Entry> {
        let h = id.handle();
        self.entries.get_mut(h).filter(|e| e.id(h) == id)
    }

    /// Puts a new transaction in the slab and its key in the table.
    fn insert(&mut self, entry: machine::Entry) -> Handle {
        self.stats.transactions_created += 1;
        let hash = entry.hash;
        let handle = self.entries.insert(entry);
        let entries = &self.entries;
        self.keys.insert(hash, handle, |h| entries.hash_of(h));
        handle
    }

    /// The live transaction with `key`, hashed to `hash`.
    fn find(&self, key: &key::KeyRef<'_>, hash: u64) -> Option<Handle> {
        self.keys.find(hash, |h| {
            self.entries.get(h).is_some_and(|e| e.key.as_ref() == *key)
        })
    }

    /// [`Endpoint::find`], hashing `key`.
    fn find_key(&self, key: &key::KeyRef<'_>) -> Option<Handle> {
        self.find(key, self.keys.hash(key))
    }

    /// A message arrived on `flow`: a datagram, or one message framed out
    /// of a stream (see [`crate::frame`]), kept without a copy. Requests
    /// start or continue server transactions, responses continue client
    /// transactions; what cannot be matched or parsed is answered, passed
    /// up or dropped as the RFC says. Drain the outputs afterwards.
    pub fn handle_input(&mut self, now: Instant, flow: Flow, data: Bytes) {
        self.stats.received += 1;
        if data
            .iter()
            .all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        {
            self.stats.keepalives += 1;
            return;
        }
        match Message::parse_keeping(data, &self.config.parse) {
            Ok(msg) if msg.as_ref().is_request() => self.on_request(now, msg, flow),
            Ok(msg) => self.on_response(now, msg, flow),
            Err((e, data)) => self.on_unparsable(&data, e, flow),
        }
    }

    /// Sends a message outside any transaction on `flow`: the ACK for a
    /// 2xx (RFC 3261 §13.2.2.4), or what a stateless proxy forwards.
    pub fn send_stateless(&mut self, message: &Message, flow: Flow) {
        self.transmits.push_back(Transmit {
            flow,
            payload: message.bytes().clone(),
            transaction: None,
        });
    }

    /// Sending a message of transaction `id` failed (RFC 3261 §17.1.4,
    /// §17.2.4): the transaction ends with [`Termination::TransportError`].
    pub fn handle_transport_error(&mut self, now: Instant, id: TransactionId) {
        if let Some(e) = self.entry_mut(id) {
            e.machine.handle_transport_error();
            self.after_step(now, id.handle());
        }
    }

    /// Fires the timers due at `now`. Early or repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(&Reverse((at, h))) = self.timers.peek() {
            if at > now {
                break;
            }
            self.timers.pop();
            let Some(e) = self.entries.get_mut(h) else {
                continue;
            };
            if e.deadline != Some(at) {
                continue;
            }
            e.deadline = None;
            e.machine.handle_timeout(now);
            self.after_step(now, h);
        }
    }

    /// After a transaction moved: queue what it sends, reschedule its timer,
    /// and forget it once terminated.
    fn after_step(&mut self, _now: Instant, h: Handle) {
        let Some(e) = self.entries.get_mut(h) else {
            return;
        };
        let id = e.id(h);
        let flow = e.flow;
        let machine = &mut e.machine;
        while let Some(payload) = machine.poll_transmit() {
            self.transmits.push_back(Transmit {
                flow,
                payload,
                transaction: Some(id),
            });
        }
        if let Some(reason) = machine.termination() {
            self.remove(h, reason);
            return;
        }
        let next = machine.poll_timeout();
        if next != e.deadline {
            e.deadline = next;
            if let Some(at) = next {
                self.timers.push(Reverse((at, h)));
            }
        }
    }

    fn remove(&mut self, h: Handle, reason: Termination) {
        let Some((hash, transaction)) = self.entries.remove(h) else {
            return;
        };
        self.keys.remove(hash, h);
        self.events.push_back(Event::Terminated {
            transaction,
            reason,
        });
    }

    /// The next message to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`Endpoint::handle_timeout`] next; `None` when no timer
    /// runs.
    #[must_use]
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        while let Some(&Reverse((at, h))) = self.timers.peek() {
            if self.entries.get(h).is_some_and(|e| e.deadline == Some(at)) {
                return Some(at);
            }
            self.timers.pop();
        }
        None
    }
}
