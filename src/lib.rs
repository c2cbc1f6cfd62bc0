//! # imsip
//!
//! Building blocks for SIP and IMS network elements: a zero-copy SIP parser,
//! typed headers and URIs, Digest and IMS AKA authentication, the RFC 3261
//! transaction layer with a sans-IO endpoint, dialogs and the user-agent
//! core, and (as the crate grows) the P-, I- and S-CSCF and HSS roles.
//!
//! ```
//! use imsip::{MessageRef, Method};
//! use imsip::header::Contact;
//!
//! let datagram = b"REGISTER sip:ims.example.net SIP/2.0\r\n\
//! Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKnashds7;rport\r\n\
//! Max-Forwards: 70\r\n\
//! From: <sip:alice@ims.example.net>;tag=4fa3\r\n\
//! To: <sip:alice@ims.example.net>\r\n\
//! Contact: <sip:alice@[2001:db8::1]:5060>;expires=600000\r\n\
//! Call-ID: apb03a0s09dkjdfglkj49111\r\n\
//! CSeq: 1 REGISTER\r\n\
//! Content-Length: 0\r\n\r\n";
//!
//! let msg = MessageRef::parse(datagram)?;          // borrows, copies nothing
//! assert_eq!(msg.method(), Some(Method::Register));
//! msg.validate()?;                                // RFC 3261 §8.2 checks
//!
//! let via = msg.via()?;                           // typed headers parse on demand
//! assert_eq!(via.branch(), Some("z9hG4bKnashds7"));
//! assert_eq!(msg.from()?.tag(), Some("4fa3"));
//! for contact in msg.header_all::<Contact>() {
//!     if let Contact::Address(c) = contact? {
//!         assert_eq!(c.expires(), Some(600000));
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## This crate does no I/O
//!
//! imsip is *sans-IO*: it owns no socket, reads no clock, spawns nothing and
//! never blocks. Parsing takes the caller's bytes; the stateful layers (from
//! the transaction layer up) take the current time as an argument and hand
//! back what to send and when to wake them. Any runtime, or none, can drive
//! it.
//!
//! ## Parsing
//!
//! - [`MessageRef::parse`] parses one datagram into a view that borrows it:
//!   start line, header names and values, and the body are slices of the
//!   input, found in one pass. Typed headers ([`header`]) and URIs ([`uri`])
//!   are parsed only when asked for.
//! - [`Message::parse`] does the same over a shared [`bytes::Bytes`] buffer so
//!   the message can be kept; [`Message::as_ref`] gives the view back without
//!   parsing again.
//! - [`frame`] cuts messages out of a stream (TCP, TLS, WebSocket) and
//!   recognises CRLF keep-alives.
//! - [`MessageRef::validate`] applies the semantic checks of RFC 3261 §8.2 and
//!   §16.3 and says which status code to answer with.
//! - Malformed input is a small `Copy` error with a byte offset, never a panic;
//!   every size and count is bounded by [`ParseConfig`].
//!
//! Parsing a typical INVITE and reading its transaction key (top Via branch
//! and sent-by, CSeq, Call-ID, From and To tags) allocates nothing.
//!
//! ## Layers
//!
//! Bottom up: a module uses only the layers above it in this table
//! (`tests/layers.rs` checks it); modules of one row stand beside each
//! other.
//!
//! | layer | modules | what |
//! | --- | --- | --- |
//! | grammar | `syntax` (private), [`random`], status codes | RFC 3261 §25 character classes, tokens, quoted strings, escapes and the one case fold; identifiers and secrets from the operating system's generator; [`StatusCode`] |
//! | values | [`params`], methods, versions, transports | parameter lists shared by URIs and headers; [`Method`], [`Version`], [`Transport`] |
//! | URIs | [`uri`] | SIP, SIPS and tel URIs, hosts, comparison rules, the canonical [`uri::AddressOfRecord`] |
//! | headers | [`header`] | header names (one table) and typed header values |
//! | messages | [`message`] | [`MessageRef`], [`Message`], framing, validation per request ([`ValidationPolicy`]), builders, the minimal-diff [`Editor`] |
//! | beside each other | [`multipart`], [`auth`], [`transaction`], [`dialog`], `sdp` | multipart bodies; Milenage, AKA, Digest (client and server, on SIP messages); the four RFC 3261 §17 / RFC 6026 state machines; the RFC 3261 §12 dialog state and in-dialog requests; SDP (RFC 8866) with preconditions and offer/answer (feature `sdp`, on by default) |
//! | endpoint | [`endpoint`] | the sans-IO driver: matching, retransmission, §18 routing, flows |
//! | user agent, registrar, proxy | [`ua`], [`registrar`], [`proxy`] | the user-agent core over an endpoint: INVITE sessions on both sides, forking, CANCEL, 2xx/ACK, re-INVITE and UPDATE with glare, 100rel/PRACK, session timers, offer/answer state; the registration client; RFC 6665 subscriptions; the RFC 3261 §10.3 registrar and the location service; the §16 proxy rules (validation, loop detection, route preprocessing, forwarding) |
//!
//! ## Driving the stateful layers
//!
//! Every stateful type ([`Endpoint`], each transaction machine,
//! [`ua::UserAgent`]) has the same
//! four kinds of methods: `handle_*` inputs that take the current
//! `Instant`, commands (`send_request`, `respond`) that fail only for a
//! caller's mistake, `poll_*` outputs to drain after every input or command
//! (`poll_transmit`, then `poll_event`, then `poll_timeout`), and getters.
//! See [`endpoint`] for the run loop over a UDP socket, and `examples/` for
//! whole programs.
//!
//! The endpoint checks what every element checks; the checks that depend
//! on the element (a user agent's Require, a proxy's Max-Forwards and
//! Proxy-Require, the URI schemes it takes) are the transaction user's,
//! per request, with a [`ValidationPolicy`]. Secrets and identifiers come
//! from the operating system's generator unless a test passes a seed.
//!
//! A user agent wraps an endpoint and keeps its verbs: it passes the
//! endpoint's transmits through, consumes the endpoint's events inside its
//! own `handle_*` and reports its own ([`ua::UaEvent`]), and wakes at the
//! earlier of the two timers. The proxy core and the IMS roles build on
//! these and arrive in later releases (see the changelog).
//!
//! ## Feature flags
//!
//! - `http`: the Digest client and server over the `http` crate's request
//!   and response types ([`auth::http`]).

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

pub mod auth;
pub mod dialog;
pub mod endpoint;
pub mod header;
pub mod message;
mod method;
pub mod multipart;
pub mod params;
pub mod proxy;
pub mod random;
pub mod registrar;
#[cfg(feature = "sdp")]
pub mod sdp;
mod status;
mod syntax;
pub mod transaction;
mod transport;
pub mod ua;
pub mod uri;
mod version;

pub use endpoint::{
    ClientId, Endpoint, EndpointConfig, Event, Flow, ServerId, TransactionId, Transmit,
};
pub use message::{
    BuildError, Editor, FlowSide, Frame, HeaderRef, ListOrSingle, Message, MessageRef, ParseConfig,
    ParseError, ParseErrorKind, RequestBuilder, RequestLine, ResponseBuilder, StartLine,
    StatusLine, ValidationError, ValidationMode, ValidationPolicy, frame,
};
pub use method::Method;
pub use params::{Param, Params};
pub use status::StatusCode;
pub use syntax::ListElements;
pub use transport::{Transport, TransportName};
pub use version::Version;
