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
//! - getters: [`Endpoint::stats`], [`Endpoint::transaction_state`], ...
//!
//! Nothing here reads a clock, touches a socket or blocks. A peer's fault is
//! never an `Err`: a request that does not parse or validate is answered
//! statelessly (400, 420, 505, ...) when it can be, otherwise dropped and
//! counted in [`Stats`].
//!
//! ```no_run
//! use std::net::UdpSocket;
//! use std::time::Instant;
//! use imsip::endpoint::{Endpoint, EndpointConfig, Event, Received};
//! use imsip::Transport;
//!
//! let socket = UdpSocket::bind("127.0.0.1:5060")?;
//! let local = socket.local_addr()?;
//! let mut endpoint = Endpoint::new(EndpointConfig::default());
//! let mut buf = vec![0u8; 65_535];
//! loop {
//!     // Sleep until the next timer, or until a datagram comes.
//!     let timeout = endpoint.poll_timeout().map(|at| at.saturating_duration_since(Instant::now()));
//!     socket.set_read_timeout(timeout.filter(|d| !d.is_zero()).or(Some(std::time::Duration::from_millis(1))))?;
//!     match socket.recv_from(&mut buf) {
//!         Ok((n, source)) => endpoint.handle_input(Instant::now(), Received {
//!             transport: Transport::Udp, source, local, data: &buf[..n],
//!         }),
//!         Err(_) => endpoint.handle_timeout(Instant::now()),
//!     }
//!     while let Some(t) = endpoint.poll_transmit() {
//!         socket.send_to(&t.payload, t.destination)?;
//!     }
//!     while let Some(event) = endpoint.poll_event() {
//!         if let Event::Request { transaction, request, .. } = event {
//!             let ok = request.as_ref().response(imsip::StatusCode::OK)?.to_tag("x1").build()?;
//!             endpoint.respond(Instant::now(), transaction, ok)?;
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

mod via;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use hashbrown::HashTable;
use smallvec::SmallVec;
use thiserror::Error;

use crate::header::via::Noted;
use crate::header::{HeaderName, RetryAfter, Via};
use crate::message::Editor;
use crate::random::{self, SeededRandom};
use crate::transaction::{
    ClientInvite, ClientNonInvite, Disposition, ResponseError, ServerInvite, ServerNonInvite,
    State, Termination, TimerConfig,
};
use crate::uri::Host;
use crate::{Message, MessageRef, Method, ParseConfig, Policy, Role, StatusCode, Transport};

/// Settings of an [`Endpoint`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EndpointConfig {
    /// T1, T2, T4 and the 100 Trying delay.
    pub timers: TimerConfig,
    /// Limits for parsing what arrives.
    pub parse: ParseConfig,
    /// How received requests are validated (role, supported option tags,
    /// URI schemes).
    pub policy: Policy<'static>,
    /// The most transactions alive at once (default 65 536). A request that
    /// would start one more is answered 503.
    pub max_transactions: usize,
    /// The Retry-After, in seconds, of those 503 responses (default 5).
    pub retry_after: u32,
    /// The seed of the random source for tags of stateless responses.
    pub seed: u64,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            timers: TimerConfig::default(),
            parse: ParseConfig::default(),
            policy: Policy::default(),
            max_transactions: 65_536,
            retry_after: 5,
            seed: 0x5eed,
        }
    }
}

/// A message that arrived: a datagram, or one message framed out of a
/// stream (see [`crate::frame`]).
#[derive(Clone, Debug)]
pub struct Received<'a> {
    /// The transport it came over.
    pub transport: Transport<'static>,
    /// The peer's address.
    pub source: SocketAddr,
    /// The local address it arrived at.
    pub local: SocketAddr,
    /// The bytes of the message.
    pub data: &'a [u8],
}

/// Where a request goes: an already resolved address (DNS is the caller's,
/// RFC 3263).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The transport to use.
    pub transport: Transport<'static>,
    /// The peer's address.
    pub destination: SocketAddr,
}

/// Where a message came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The transport.
    pub transport: Transport<'static>,
    /// The peer's address.
    pub source: SocketAddr,
    /// The local address it arrived at.
    pub local: SocketAddr,
}

/// A message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// The transport to send over.
    pub transport: Transport<'static>,
    /// The peer's address.
    pub destination: SocketAddr,
    /// The local address to send from, when it matters (a response goes
    /// out where its request came in).
    pub local: Option<SocketAddr>,
    /// The encoded message (shared: a retransmission copies nothing).
    pub payload: Bytes,
    /// The transaction that sends it; report a failure to send with
    /// [`Endpoint::handle_transport_error`].
    pub transaction: Option<TransactionId>,
}

/// A transaction handle, valid until its [`Event::Terminated`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransactionId(u64);

impl fmt::Debug for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tx#{}.{}", self.0 & 0xffff_ffff, self.0 >> 32)
    }
}

impl TransactionId {
    fn new(index: u32, generation: u32) -> TransactionId {
        TransactionId(u64::from(generation) << 32 | u64::from(index))
    }

    fn index(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }

    fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// What happened, for the user of the endpoint (the transaction user of RFC
/// 3261: a UA core, a proxy core, a CSCF).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event {
    /// A new request: a server transaction was created for it. Answer with
    /// [`Endpoint::respond`].
    Request {
        /// The server transaction.
        transaction: TransactionId,
        /// The request, with `received` and `rport` added to its top Via
        /// where RFC 3261 §18.2.1 and RFC 3581 ask for them.
        request: Message,
        /// Where it came from.
        origin: Origin,
    },
    /// A response on a client transaction: provisional, final, and for an
    /// INVITE every 2xx (retransmissions and other forks) until Timer M.
    Response {
        /// The client transaction.
        transaction: TransactionId,
        /// The response.
        response: Message,
        /// Where it came from.
        origin: Origin,
    },
    /// An ACK for a 2xx: matched to its INVITE server transaction in
    /// Accepted, or to no transaction at all (the dialog layer's).
    Ack {
        /// The INVITE server transaction, when the ACK matched one.
        transaction: Option<TransactionId>,
        /// The ACK.
        request: Message,
        /// Where it came from.
        origin: Origin,
    },
    /// A CANCEL matched this INVITE server transaction while it was still
    /// proceeding (RFC 3261 §9.2). The CANCEL has been answered 200; answer
    /// the INVITE yourself (usually 487).
    Cancelled {
        /// The INVITE server transaction.
        transaction: TransactionId,
        /// The CANCEL.
        cancel: Message,
    },
    /// A response that matches no client transaction (for example a 2xx
    /// retransmitted after Timer M): the dialog layer may want it.
    StrayResponse {
        /// The response.
        response: Message,
        /// Where it came from.
        origin: Origin,
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
    /// Requests answered without a transaction (400, 420, 481, 503, 505...).
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
    /// A client transaction does not send responses.
    #[error("not a server transaction")]
    NotAServerTransaction,
    /// The transaction refused it.
    #[error(transparent)]
    Transaction(#[from] ResponseError),
}

#[derive(Clone, Debug)]
#[allow(clippy::enum_variant_names)] // the RFC's names
enum Machine {
    // The INVITE machines keep the parsed INVITE (for the ACK and for
    // CANCEL); boxed, so a slot is sized for the small non-INVITE ones.
    ClientInvite(Box<ClientInvite>),
    ClientNonInvite(ClientNonInvite),
    ServerInvite(Box<ServerInvite>),
    ServerNonInvite(ServerNonInvite),
}

impl Machine {
    fn state(&self) -> State {
        match self {
            Machine::ClientInvite(m) => m.state(),
            Machine::ClientNonInvite(m) => m.state(),
            Machine::ServerInvite(m) => m.state(),
            Machine::ServerNonInvite(m) => m.state(),
        }
    }

    fn termination(&self) -> Option<Termination> {
        match self {
            Machine::ClientInvite(m) => m.termination(),
            Machine::ClientNonInvite(m) => m.termination(),
            Machine::ServerInvite(m) => m.termination(),
            Machine::ServerNonInvite(m) => m.termination(),
        }
    }

    /// A client transaction's request, as sent.
    fn client_request(&self) -> Option<&[u8]> {
        match self {
            Machine::ClientInvite(m) => Some(m.request().bytes()),
            Machine::ClientNonInvite(m) => Some(m.request()),
            _ => None,
        }
    }

    fn poll_transmit(&mut self) -> Option<Bytes> {
        match self {
            Machine::ClientInvite(m) => m.poll_transmit(),
            Machine::ClientNonInvite(m) => m.poll_transmit(),
            Machine::ServerInvite(m) => m.poll_transmit(),
            Machine::ServerNonInvite(m) => m.poll_transmit(),
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match self {
            Machine::ClientInvite(m) => m.poll_timeout(),
            Machine::ClientNonInvite(m) => m.poll_timeout(),
            Machine::ServerInvite(m) => m.poll_timeout(),
            Machine::ServerNonInvite(m) => m.poll_timeout(),
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        match self {
            Machine::ClientInvite(m) => m.handle_timeout(now),
            Machine::ClientNonInvite(m) => m.handle_timeout(now),
            Machine::ServerInvite(m) => m.handle_timeout(now),
            Machine::ServerNonInvite(m) => m.handle_timeout(now),
        }
    }

    fn handle_transport_error(&mut self) {
        match self {
            Machine::ClientInvite(m) => m.handle_transport_error(),
            Machine::ClientNonInvite(m) => m.handle_transport_error(),
            Machine::ServerInvite(m) => m.handle_transport_error(),
            Machine::ServerNonInvite(m) => m.handle_transport_error(),
        }
    }
}

/// What a transaction is found by, borrowed from a message or from the
/// transaction's own [`Key`]: looking a message up allocates nothing.
#[derive(Debug, PartialEq, Eq)]
struct KeyRef<'a> {
    parts: Parts<'a>,
    /// The CSeq method for a client transaction; the request method for a
    /// server transaction (an ACK looks for its INVITE's).
    method: &'a Method<'a>,
}

/// A key apart from its method. Octets, not text: they are compared as
/// octets, and a stored key hands them back without a UTF-8 check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parts<'a> {
    /// A client transaction (RFC 3261 §17.1.3): the branch.
    Client { branch: &'a [u8] },
    /// A server transaction of an RFC 3261 request (§17.2.3): branch and
    /// sent-by ([`via::sent_by_key`]).
    Branch { branch: &'a [u8], sent_by: &'a [u8] },
    /// A server transaction of an RFC 2543 request (no magic cookie):
    /// Request-URI, From tag, Call-ID, CSeq number, top Via.
    Legacy {
        request_uri: &'a [u8],
        from_tag: &'a [u8],
        call_id: &'a [u8],
        cseq: u32,
        top_via: &'a [u8],
    },
}

/// Octets of a key's buffer kept inline: a branch of up to ~48 octets and a
/// binary sent-by fit, so the usual key allocates nothing.
const KEY_INLINE: usize = 56;

impl std::hash::Hash for KeyRef<'_> {
    /// One `write` of the parts, each after its length: SipHash costs per
    /// call as well as per octet, and the lengths keep two keys that
    /// concatenate to the same octets apart (equal keys hash alike; a
    /// known method by its one-octet code, an extension by its name).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut buf = [0u8; 128];
        let mut n = 0;
        let mut put = |part: &[u8]| {
            let len = (part.len() as u32).to_le_bytes();
            if let Some(dst) = buf.get_mut(n..n + 4 + part.len()) {
                dst[..4].copy_from_slice(&len);
                dst[4..].copy_from_slice(part);
                n += 4 + part.len();
            } else {
                // Longer keys (rare): the same octets, written as they
                // come.
                state.write(&buf[..n]);
                n = 0;
                state.write(&len);
                state.write(part);
            }
        };
        let (shape, parts) = self.layout();
        match self.method.code() {
            0 => put(self.method.as_str().as_bytes()),
            code => put(&[code]),
        }
        if let Shape::Legacy { cseq, .. } = shape {
            put(&cseq.to_le_bytes());
        }
        for part in &parts[..shape.parts()] {
            put(part);
        }
        state.write(&buf[..n]);
    }
}

impl<'a> KeyRef<'a> {
    /// The same key with another method (an ACK's or CANCEL's key turned
    /// into its INVITE's).
    fn with_method<'b>(&self, method: &'b Method<'b>) -> KeyRef<'b>
    where
        'a: 'b,
    {
        KeyRef {
            parts: self.parts,
            method,
        }
    }

    /// The parts in their stored order (unused ones empty) and the shape
    /// that says where each ends once they are stored one after another.
    fn layout(&self) -> (Shape, [&'a [u8]; 4]) {
        match self.parts {
            Parts::Client { branch } => (Shape::Client, [branch, &[], &[], &[]]),
            Parts::Branch { branch, sent_by } => (
                Shape::Branch {
                    branch: branch.len() as u32,
                },
                [branch, sent_by, &[], &[]],
            ),
            Parts::Legacy {
                request_uri,
                from_tag,
                call_id,
                cseq,
                top_via,
            } => {
                let uri = request_uri.len() as u32;
                let tag = uri + from_tag.len() as u32;
                (
                    Shape::Legacy {
                        ends: [uri, tag, tag + call_id.len() as u32],
                        cseq,
                    },
                    [request_uri, from_tag, call_id, top_via],
                )
            }
        }
    }

    fn to_owned(&self) -> Key {
        let (shape, parts) = self.layout();
        // Only the parts the shape has: a copy of an empty part still
        // costs a call.
        let parts = &parts[..shape.parts()];
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let buf = if len <= KEY_INLINE {
            let mut inline = [0u8; KEY_INLINE];
            let mut n = 0;
            for part in parts {
                inline[n..n + part.len()].copy_from_slice(part);
                n += part.len();
            }
            SmallVec::from_buf_and_len(inline, n)
        } else {
            SmallVec::from_vec(parts.concat())
        };
        Key {
            shape,
            buf,
            method: self.method.clone().into_owned(),
        }
    }
}

/// A transaction's key, owned by its entry (the key table holds only
/// transaction ids): the parts one after another in one buffer, where
/// `shape` says they end.
#[derive(Clone, Debug)]
struct Key {
    shape: Shape,
    buf: SmallVec<[u8; KEY_INLINE]>,
    method: Method<'static>,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Client,
    Branch {
        /// Where the branch ends and the sent-by starts.
        branch: u32,
    },
    Legacy {
        /// Where the Request-URI, the From tag and the Call-ID end; the
        /// top Via is the rest (a message is at most `u32::MAX` octets).
        ends: [u32; 3],
        cseq: u32,
    },
}

impl Shape {
    /// How many of [`KeyRef::layout`]'s parts a key of this shape has.
    fn parts(self) -> usize {
        match self {
            Shape::Client => 1,
            Shape::Branch { .. } => 2,
            Shape::Legacy { .. } => 4,
        }
    }
}

impl Key {
    fn as_ref(&self) -> KeyRef<'_> {
        let b = &self.buf[..];
        let parts = match self.shape {
            Shape::Client => Parts::Client { branch: b },
            Shape::Branch { branch } => {
                let (branch, sent_by) = b.split_at(branch as usize);
                Parts::Branch { branch, sent_by }
            }
            Shape::Legacy {
                ends: [uri, tag, call_id],
                cseq,
            } => {
                let [uri, tag, call_id] = [uri, tag, call_id].map(|e| e as usize);
                Parts::Legacy {
                    request_uri: &b[..uri],
                    from_tag: &b[uri..tag],
                    call_id: &b[tag..call_id],
                    cseq,
                    top_via: &b[call_id..],
                }
            }
        };
        KeyRef {
            parts,
            method: &self.method,
        }
    }

    fn is_legacy(&self) -> bool {
        matches!(self.shape, Shape::Legacy { .. })
    }
}

/// A key with its hash, computed once when the message is looked up and
/// kept for the insertion and the removal.
struct HashedKey {
    key: Key,
    hash: u64,
}

/// The parts of a server key that are computed rather than borrowed from
/// the message: the normalised sent-by; the Call-ID and top Via of an
/// RFC 2543 request (rare enough to be copied).
#[derive(Default)]
struct KeyScratch {
    sent_by: SmallVec<[u8; 64]>,
    call_id: String,
    top_via: String,
}

#[derive(Clone, Debug)]
struct Entry {
    machine: Machine,
    key: Key,
    /// `key`'s hash in the key table.
    hash: u64,
    transport: Transport<'static>,
    /// The destination of what the transaction sends.
    peer: SocketAddr,
    local: Option<SocketAddr>,
    /// The deadline in the timer heap.
    deadline: Option<Instant>,
    /// Server, RFC 2543 key: the To tag of the final response sent (ACK
    /// matching).
    to_tag: Option<Box<str>>,
    /// Client: what the request's top Via said.
    sent: Option<Sent>,
}

/// What [`Endpoint::echoed`] found for a response.
#[derive(Clone, Copy)]
enum Echo<'m> {
    /// The top Via is a request's, as sent: the response is that
    /// transaction's.
    Same(TransactionId),
    /// The branch read without a parse, and what it found; the Via is not
    /// the one sent, so it must be parsed.
    Differs {
        branch: &'m [u8],
        found: Option<TransactionId>,
    },
    /// No branch could be read without a parse.
    Unknown,
}

/// The top Via of a client transaction's request.
#[derive(Clone, Debug)]
struct Sent {
    /// Its `sent-by`, host and port with the transport's default (RFC 3261
    /// §18.1.2).
    host: Host<'static>,
    port: u16,
    /// Where its value is in the request (offset, length: within the
    /// header section, so 16 bits each), when the first Via field holds
    /// that value alone: a response whose top Via is the same octets
    /// matches without a parse ([`Endpoint::echoed`]).
    via: Option<(u16, u16)>,
}

#[derive(Clone, Debug, Default)]
struct Slot {
    generation: u32,
    entry: Option<Entry>,
}

/// The transaction endpoint. See the [module documentation](self).
#[derive(Debug)]
pub struct Endpoint {
    config: EndpointConfig,
    rng: SeededRandom,
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
    /// The live transactions by key: ids hashed by their entry's key
    /// (keyed SipHash: the keys come from the network).
    keys: HashTable<TransactionId>,
    hasher: RandomState,
    timers: BinaryHeap<Reverse<(Instant, TransactionId)>>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: Stats,
}

impl Endpoint {
    /// An endpoint with `config` and no transactions.
    pub fn new(config: EndpointConfig) -> Self {
        Endpoint {
            rng: SeededRandom::new(config.seed),
            config,
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            keys: HashTable::new(),
            hasher: RandomState::new(),
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
        self.live
    }

    /// The state of a live transaction.
    pub fn transaction_state(&self, id: TransactionId) -> Option<State> {
        self.entry(id).map(|e| e.machine.state())
    }

    fn entry(&self, id: TransactionId) -> Option<&Entry> {
        let slot = self.slots.get(id.index())?;
        (slot.generation == id.generation())
            .then_some(slot.entry.as_ref())
            .flatten()
    }

    fn entry_mut(&mut self, id: TransactionId) -> Option<&mut Entry> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation != id.generation() {
            return None;
        }
        slot.entry.as_mut()
    }

    fn insert(&mut self, entry: Entry) -> TransactionId {
        self.live += 1;
        self.stats.transactions_created += 1;
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(Slot::default());
                (self.slots.len() - 1) as u32
            }
        };
        let hash = entry.hash;
        let slot = &mut self.slots[index as usize];
        slot.entry = Some(entry);
        let id = TransactionId::new(index, slot.generation);
        let slots = &self.slots;
        self.keys.insert_unique(hash, id, |id| {
            slots[id.index()].entry.as_ref().map_or(0, |e| e.hash)
        });
        id
    }

    /// The live transaction with `key`, hashed to `hash`.
    fn find(&self, key: &KeyRef<'_>, hash: u64) -> Option<TransactionId> {
        self.keys
            .find(hash, |&id| {
                self.entry(id).is_some_and(|e| e.key.as_ref() == *key)
            })
            .copied()
    }

    /// [`Endpoint::find`], hashing `key`.
    fn find_key(&self, key: &KeyRef<'_>) -> Option<TransactionId> {
        self.find(key, self.hasher.hash_one(key))
    }

    /// A message arrived. Requests start or continue server transactions,
    /// responses continue client transactions; what cannot be matched or
    /// parsed is answered, passed up or dropped as the RFC says. Drain the
    /// outputs afterwards.
    pub fn handle_input(&mut self, now: Instant, input: Received<'_>) {
        self.stats.received += 1;
        if input
            .data
            .iter()
            .all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        {
            self.stats.keepalives += 1;
            return;
        }
        let origin = Origin {
            transport: input.transport,
            source: input.source,
            local: input.local,
        };
        // One copy, not cloned: a clone of a `Bytes` made from a `Vec`
        // allocates its shared header. The error path reads `input.data`.
        let bytes = Bytes::copy_from_slice(input.data);
        match Message::parse_with(bytes, &self.config.parse) {
            Ok(msg) if msg.as_ref().is_request() => self.on_request(now, msg, origin),
            Ok(msg) => self.on_response(now, msg, origin),
            Err(e) => {
                // Answer a request whose head can be read (RFC 3261 §18.3:
                // a bad Content-Length gets 400).
                let head = MessageRef::parse_head(input.data, &self.config.parse);
                match head {
                    Ok(m) if m.is_request() && m.method() != Some(Method::Ack) => {
                        let status = e.status_code();
                        if !self.answer_stateless(&m, status, &origin, |b| b) {
                            self.stats.dropped_malformed += 1;
                        }
                    }
                    _ => self.stats.dropped_malformed += 1,
                }
            }
        }
    }

    fn on_request(&mut self, now: Instant, msg: Message, origin: Origin) {
        let m = msg.as_ref();
        // The key comes first (top Via, method; it is read before the Via is
        // stamped, as neither `received` nor `rport` is part of it): a
        // retransmission (of a request or of a CANCEL) goes to its
        // transaction without being validated again, since the request it
        // repeats was; nothing is re-stamped.
        let top = m.via_noted().ok();
        let method = m.method();
        let mut scratch = KeyScratch::default();
        let key = top
            .as_ref()
            .zip(method.as_ref())
            .and_then(|((top, noted), method)| server_key(&m, top, noted, method, &mut scratch))
            .map(|k| {
                let hash = self.hasher.hash_one(&k);
                (k, hash)
            });
        if method != Some(Method::Ack)
            && let Some(id) = key.as_ref().and_then(|(k, hash)| self.find(k, *hash))
        {
            self.retransmission(now, id);
            return;
        }
        let valid = if top.is_some() {
            // The key parsed the top Via: validation does not again.
            m.validate_with_top_via(&self.config.policy)
        } else {
            m.validate_with(&self.config.policy)
        };
        if let Err(e) = valid {
            if m.method() == Some(Method::Ack) {
                self.stats.dropped_malformed += 1;
                return;
            }
            let status = e.status_code();
            let unsupported: Vec<String> = if status == StatusCode::BAD_EXTENSION {
                self.config
                    .policy
                    .unsupported(&m)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            } else {
                Vec::new()
            };
            let answered = self.answer_stateless(&m, status, &origin, |b| {
                if unsupported.is_empty() {
                    b
                } else {
                    b.raw_header("Unsupported", &unsupported.join(", "))
                }
            });
            if !answered {
                self.stats.dropped_malformed += 1;
            }
            return;
        }
        // Validation parsed the top Via, so only a key the RFC 2543 fallback
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
        let stamped = via::stamp(&top, &noted, origin.source);
        let destination = via::response_destination(
            &top,
            &noted,
            stamped.is_some(),
            origin.source,
            &origin.transport,
        );
        // `validate_with` recorded the passed structure check in `msg`; the
        // stamped copy is a new message, with only `received` and `rport`
        // added to a Via that passed.
        let msg = match stamped {
            None => msg,
            Some(stamped) => {
                let mut edit = Editor::new(m);
                edit.set_top_via(&stamped);
                match edit.finish_with(&self.config.parse) {
                    Ok(edited) => {
                        edited.set_structure_checked();
                        edited
                    }
                    Err(_) => {
                        self.stats.dropped_malformed += 1;
                        return;
                    }
                }
            }
        };
        match method {
            Method::Ack => self.on_ack(now, &msg, key, origin),
            Method::Cancel => self.on_cancel(now, msg, key, origin, destination),
            _ => self.new_server_transaction(now, msg, key, origin, destination, method),
        }
    }

    fn retransmission(&mut self, now: Instant, id: TransactionId) {
        self.stats.retransmitted_requests += 1;
        if let Some(e) = self.entry_mut(id) {
            let _ = match &mut e.machine {
                Machine::ServerInvite(m) => m.handle_request(now),
                Machine::ServerNonInvite(m) => m.handle_request(now),
                _ => Disposition::Absorbed,
            };
        }
        self.after_step(now, id);
    }

    fn on_ack(&mut self, now: Instant, msg: &Message, key: HashedKey, origin: Origin) {
        let invite_key = key.key.as_ref().with_method(&Method::Invite);
        let matched = self.find_key(&invite_key).filter(|&id| {
            // RFC 2543 ACKs match on the To tag of the response too.
            match (&key.key, self.entry(id)) {
                (key, Some(e)) if key.is_legacy() => {
                    e.to_tag.as_deref() == msg.as_ref().to_tag().ok().flatten()
                }
                _ => true,
            }
        });
        let Some(id) = matched else {
            self.events.push_back(Event::Ack {
                transaction: None,
                request: msg.clone(),
                origin,
            });
            return;
        };
        let disposition = match self.entry_mut(id).map(|e| &mut e.machine) {
            Some(Machine::ServerInvite(m)) => m.handle_ack(now),
            _ => Disposition::Absorbed,
        };
        if disposition == Disposition::PassUp {
            self.events.push_back(Event::Ack {
                transaction: Some(id),
                request: msg.clone(),
                origin,
            });
        }
        self.after_step(now, id);
    }

    fn on_cancel(
        &mut self,
        now: Instant,
        msg: Message,
        key: HashedKey,
        origin: Origin,
        destination: SocketAddr,
    ) {
        let invite = self.find_key(&key.key.as_ref().with_method(&Method::Invite));
        let Some(invite) = invite else {
            if self.config.policy.role == Role::Proxy {
                // §16.10: a proxy forwards a CANCEL it has no transaction
                // for statelessly; the proxy core decides.
                self.new_server_transaction(now, msg, key, origin, destination, Method::Cancel);
            } else {
                self.answer_stateless(
                    &msg.as_ref(),
                    StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    &origin,
                    |b| b,
                );
            }
            return;
        };
        let proceeding = self.transaction_state(invite) == Some(State::Proceeding);
        // The CANCEL's own transaction answers 200 (§9.2).
        let Some(cancel_id) =
            self.new_server_transaction_quiet(now, msg.clone(), key, &origin, destination)
        else {
            return;
        };
        let ok = msg.as_ref().response(StatusCode::OK).and_then(|b| {
            let tag = msg.as_ref().to_tag().ok().flatten().map(str::to_owned);
            match tag {
                Some(_) => b.build(),
                None => b.to_tag(&random::tag(&mut self.rng)).build(),
            }
        });
        if let Ok(ok) = ok {
            let _ = self.respond(now, cancel_id, ok);
        }
        if proceeding {
            self.events.push_back(Event::Cancelled {
                transaction: invite,
                cancel: msg,
            });
        }
    }

    fn new_server_transaction(
        &mut self,
        now: Instant,
        msg: Message,
        key: HashedKey,
        origin: Origin,
        destination: SocketAddr,
        method: Method<'static>,
    ) {
        if self.live >= self.config.max_transactions {
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
        let id = self.insert(Entry {
            machine,
            key: key.key,
            hash: key.hash,
            transport: origin.transport.clone(),
            peer: destination,
            local: Some(origin.local),
            deadline: None,
            to_tag: None,
            sent: None,
        });
        self.events.push_back(Event::Request {
            transaction: id,
            request: msg,
            origin,
        });
        self.after_step(now, id);
    }

    /// A server transaction that the endpoint answers itself (a CANCEL's).
    fn new_server_transaction_quiet(
        &mut self,
        now: Instant,
        _msg: Message,
        key: HashedKey,
        origin: &Origin,
        destination: SocketAddr,
    ) -> Option<TransactionId> {
        let reliable = origin.transport.is_reliable();
        let id = self.insert(Entry {
            machine: Machine::ServerNonInvite(ServerNonInvite::new(reliable, self.config.timers)),
            key: key.key,
            hash: key.hash,
            transport: origin.transport.clone(),
            peer: destination,
            local: Some(origin.local),
            deadline: None,
            to_tag: None,
            sent: None,
        });
        self.after_step(now, id);
        Some(id)
    }

    fn on_response(&mut self, now: Instant, msg: Message, origin: Origin) {
        let m = msg.as_ref();
        let Ok(cseq) = m.cseq() else {
            self.stats.dropped_malformed += 1;
            return;
        };
        // Usually the top Via comes back as it was sent: then it matches
        // without a parse, and its sent-by is the one the request carried.
        let echo = self.echoed(&m, &cseq.method);
        let id = match echo {
            Echo::Same(id) => id,
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
                let Some(id) = matched else {
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
                if let Some(sent) = self.entry(id).and_then(|e| e.sent.as_ref()) {
                    let their_port = top
                        .sent_by
                        .port
                        .unwrap_or_else(|| via::default_port(&top.transport));
                    if top.sent_by.host != sent.host || their_port != sent.port {
                        self.stats.misrouted_responses += 1;
                        return;
                    }
                }
                id
            }
        };
        let disposition = match self.entry_mut(id).map(|e| &mut e.machine) {
            Some(Machine::ClientInvite(tx)) => tx.handle_response(now, &m),
            Some(Machine::ClientNonInvite(tx)) => match m.status() {
                Some(s) => tx.handle_response(now, s),
                None => Disposition::Absorbed,
            },
            _ => Disposition::Absorbed,
        };
        if disposition == Disposition::PassUp {
            self.events.push_back(Event::Response {
                transaction: id,
                response: msg,
                origin,
            });
        }
        self.after_step(now, id);
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
            .and_then(|id| self.entry(id))
            .and_then(|e| {
                let (at, len) = e.sent.as_ref()?.via?;
                let request = e.machine.client_request()?;
                request.get(usize::from(at)..usize::from(at) + usize::from(len))
            })
            .is_some_and(|sent| sent == value);
        match found {
            Some(id) if same => Echo::Same(id),
            _ => Echo::Differs { branch, found },
        }
    }

    /// Answers `request` without a transaction (RFC 3261 §8.2.6.2: a To
    /// tag is added unless the request had one). Returns whether a response
    /// could be built.
    fn answer_stateless(
        &mut self,
        request: &MessageRef<'_>,
        status: StatusCode,
        origin: &Origin,
        extra: impl FnOnce(crate::message::ResponseBuilder) -> crate::message::ResponseBuilder,
    ) -> bool {
        let Ok(mut builder) = request.response(status) else {
            return false;
        };
        if request.to_tag().ok().flatten().is_none() {
            builder = builder.to_tag(&random::tag(&mut self.rng));
        }
        let Ok(mut response) = extra(builder).build() else {
            return false;
        };
        let destination = match request.via_noted() {
            Ok((top, noted)) => {
                let stamped = via::stamp(&top, &noted, origin.source);
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
                    origin.source,
                    &origin.transport,
                )
            }
            Err(_) => origin.source,
        };
        self.stats.stateless_responses += 1;
        self.transmits.push_back(Transmit {
            transport: origin.transport.clone(),
            destination,
            local: Some(origin.local),
            payload: response.bytes().clone(),
            transaction: None,
        });
        true
    }

    /// Starts a client transaction for `request` towards `target` and
    /// queues the request. The request must carry a top Via whose branch
    /// starts with `z9hG4bK` (build it with [`crate::random::branch`]).
    ///
    /// # Errors
    /// A [`SendError`] for a response, an ACK, a missing branch, a branch
    /// already in use, or when too many transactions are alive.
    pub fn send_request(
        &mut self,
        now: Instant,
        request: Message,
        target: Target,
    ) -> Result<TransactionId, SendError> {
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
        let hash = self.hasher.hash_one(&key);
        if self.find(&key, hash).is_some() {
            return Err(SendError::DuplicateBranch);
        }
        if self.live >= self.config.max_transactions {
            return Err(SendError::Capacity);
        }
        let key = key.to_owned();
        let sent = Sent {
            host: top.sent_by.host.clone().into_owned(),
            port: top
                .sent_by
                .port
                .unwrap_or_else(|| via::default_port(&top.transport)),
            via: m
                .top_via_plain()
                .and_then(|(at, v)| Some((u16::try_from(at).ok()?, u16::try_from(v.len()).ok()?))),
        };
        let reliable = target.transport.is_reliable();
        let machine = if method == Method::Invite {
            Machine::ClientInvite(Box::new(ClientInvite::new(
                now,
                request.clone(),
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
        let id = self.insert(Entry {
            machine,
            key,
            hash,
            transport: target.transport,
            peer: target.destination,
            local: None,
            deadline: None,
            to_tag: None,
            sent: Some(sent),
        });
        self.after_step(now, id);
        Ok(id)
    }

    /// Sends a message outside any transaction: the ACK for a 2xx (RFC 3261
    /// §13.2.2.4), or what a stateless proxy forwards.
    pub fn send_stateless(&mut self, message: &Message, target: Target) {
        self.transmits.push_back(Transmit {
            transport: target.transport,
            destination: target.destination,
            local: None,
            payload: message.bytes().clone(),
            transaction: None,
        });
    }

    /// Sends `response` on the server transaction `id`, to where RFC 3261
    /// §18.2.2 says (computed when the request arrived).
    ///
    /// # Errors
    /// A [`RespondError`] for an unknown or client transaction, or when the
    /// transaction refuses the response in its state.
    pub fn respond(
        &mut self,
        now: Instant,
        id: TransactionId,
        response: Message,
    ) -> Result<(), RespondError> {
        let entry = self.entry_mut(id).ok_or(RespondError::UnknownTransaction)?;
        match &mut entry.machine {
            Machine::ServerInvite(m) => m.send_response(now, &response)?,
            Machine::ServerNonInvite(m) => m.send_response(now, &response)?,
            _ => return Err(RespondError::NotAServerTransaction),
        }
        // Only an RFC 2543 ACK is matched on the To tag of the final
        // response (RFC 3261 §17.2.3); other keys need no copy of it.
        let r = response.as_ref();
        if entry.key.is_legacy() && r.status().is_some_and(StatusCode::is_final) {
            entry.to_tag = r.to_tag().ok().flatten().map(Box::from);
        }
        self.after_step(now, id);
        Ok(())
    }

    /// Sending a message of transaction `id` failed (RFC 3261 §17.1.4,
    /// §17.2.4): the transaction ends with [`Termination::TransportError`].
    pub fn handle_transport_error(&mut self, now: Instant, id: TransactionId) {
        if let Some(e) = self.entry_mut(id) {
            e.machine.handle_transport_error();
            self.after_step(now, id);
        }
    }

    /// Fires the timers due at `now`. Early or repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(&Reverse((at, id))) = self.timers.peek() {
            if at > now {
                break;
            }
            self.timers.pop();
            let Some(e) = self.entry_mut(id) else {
                continue;
            };
            if e.deadline != Some(at) {
                continue;
            }
            e.deadline = None;
            e.machine.handle_timeout(now);
            self.after_step(now, id);
        }
    }

    /// After a transaction moved: queue what it sends, reschedule its timer,
    /// and forget it once terminated.
    fn after_step(&mut self, now: Instant, id: TransactionId) {
        let _ = now;
        // The slot and the transmit queue are borrowed apart, so each
        // message goes out as the machine hands it over.
        let Some(slot) = self.slots.get_mut(id.index()) else {
            return;
        };
        if slot.generation != id.generation() {
            return;
        }
        let Some(e) = slot.entry.as_mut() else {
            return;
        };
        while let Some(payload) = e.machine.poll_transmit() {
            self.transmits.push_back(Transmit {
                transport: e.transport.clone(),
                destination: e.peer,
                local: e.local,
                payload,
                transaction: Some(id),
            });
        }
        if let Some(reason) = e.machine.termination() {
            self.remove(id, reason);
            return;
        }
        let next = e.machine.poll_timeout();
        if next != e.deadline {
            e.deadline = next;
            if let Some(at) = next {
                self.timers.push(Reverse((at, id)));
            }
        }
    }

    fn remove(&mut self, id: TransactionId, reason: Termination) {
        let Some(slot) = self.slots.get_mut(id.index()) else {
            return;
        };
        let Some(hash) = slot.entry.as_ref().map(|e| e.hash) else {
            return;
        };
        // Dropped where it lies: an entry is a few hundred octets.
        slot.entry = None;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index() as u32);
        self.live -= 1;
        if let Ok(found) = self.keys.find_entry(hash, |&x| x == id) {
            found.remove();
        }
        self.events.push_back(Event::Terminated {
            transaction: id,
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
        while let Some(&Reverse((at, id))) = self.timers.peek() {
            if self.entry(id).is_some_and(|e| e.deadline == Some(at)) {
                return Some(at);
            }
            self.timers.pop();
        }
        None
    }
}

/// The key a request is matched on (RFC 3261 §17.2.3), with `method` (an
/// ACK's key names ACK; [`KeyRef::with_method`] turns it into its
/// INVITE's). Borrowed from the message and `scratch`.
fn server_key<'s>(
    m: &'s MessageRef<'_>,
    top: &'s Via<'_>,
    noted: &'s Noted<'_>,
    method: &'s Method<'_>,
    scratch: &'s mut KeyScratch,
) -> Option<KeyRef<'s>> {
    if let Some(branch) = noted.rfc3261_branch() {
        via::sent_by_key(top, &mut scratch.sent_by);
        return Some(KeyRef {
            parts: Parts::Branch {
                branch: branch.as_bytes(),
                sent_by: &scratch.sent_by,
            },
            method,
        });
    }
    let cseq = m.cseq().ok()?;
    scratch.call_id = m.call_id().ok()?.as_str().to_owned();
    scratch.top_via = String::from_utf8_lossy(m.values(HeaderName::Via).next()?).into_owned();
    Some(KeyRef {
        parts: Parts::Legacy {
            request_uri: m.request_uri_str()?.as_bytes(),
            from_tag: m.from_tag().ok()?.unwrap_or_default().as_bytes(),
            call_id: scratch.call_id.as_bytes(),
            cseq: cseq.seq,
            top_via: scratch.top_via.as_bytes(),
        },
        method,
    })
}
