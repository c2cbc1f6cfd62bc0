//! SIP messages: the borrowed [`MessageRef`], the owned [`Message`], stream
//! framing and semantic validation
//! ([RFC 3261 §7](https://www.rfc-editor.org/rfc/rfc3261#section-7),
//! [§18.3](https://www.rfc-editor.org/rfc/rfc3261#section-18.3)).

mod build;
mod config;
mod edit;
mod error;
mod framing;
mod parse;
mod validate;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

pub use build::{BuildError, RequestBuilder, ResponseBuilder};
pub use config::ParseConfig;
pub use edit::Editor;
pub use error::{ParseError, ParseErrorKind};
pub use framing::{FlowSide, Frame, frame};
pub use validate::{ValidationError, ValidationMode, ValidationPolicy};

use crate::header::{
    self, CSeq, CallId, HeaderError, HeaderErrorKind, HeaderName, To, TypedHeader, Via, via,
};
use crate::method::Method;
use crate::status::StatusCode;
use crate::syntax::ListElements;
use crate::version::Version;
use parse::{Entry, Index, Mode, Start};

/// The start line of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartLine<'a> {
    /// `INVITE sip:bob@biloxi.example.com SIP/2.0`
    Request(RequestLine<'a>),
    /// `SIP/2.0 200 OK`
    Response(StatusLine<'a>),
}

/// A Request-Line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The method.
    pub method: Method<'a>,
    /// The Request-URI as written; parse it with [`crate::uri::Uri::parse`]
    /// or [`MessageRef::request_uri`].
    pub uri: &'a str,
    /// The version.
    pub version: Version,
}

/// A Status-Line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusLine<'a> {
    /// The version.
    pub version: Version,
    /// The status code.
    pub code: StatusCode,
    /// The reason phrase as received (UTF-8 text in a well-formed message;
    /// may be empty).
    pub reason: &'a [u8],
}

/// One header field as received: its name as written and its value with
/// surrounding white space removed (folds inside it kept).
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct HeaderRef<'a> {
    name: &'a [u8],
    value: &'a [u8],
    known: Option<HeaderName>,
}

impl<'a> HeaderRef<'a> {
    /// The name as written (`v`, `VIA`, `Via`...).
    pub fn name(&self) -> &'a str {
        // Header names are tokens, hence ASCII.
        std::str::from_utf8(self.name).unwrap_or_default()
    }

    /// The known header this field is, compact forms resolved.
    pub fn known(&self) -> Option<HeaderName> {
        self.known
    }

    /// Whether the field's name is `name`: known names match in any case and
    /// form (`"Call-ID"` matches `i:`); other names match ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        match HeaderName::from_bytes(name.as_bytes()) {
            Some(n) => self.known == Some(n),
            None => self.name.eq_ignore_ascii_case(name.as_bytes()),
        }
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The value as text, when it is UTF-8.
    pub fn value_str(&self) -> Option<&'a str> {
        std::str::from_utf8(self.value).ok()
    }

    /// The elements of the value: split at top-level commas for list headers
    /// ([`HeaderName::is_list`]), the whole value otherwise.
    pub fn elements(&self) -> ListOrSingle<'a> {
        if self.known.is_some_and(HeaderName::is_list) {
            ListOrSingle::List(ListElements::new(self.value))
        } else {
            ListOrSingle::Single(Some(self.value))
        }
    }

    /// The first of [`HeaderRef::elements`]: the whole value unless the
    /// header is a list and the value holds a comma.
    pub(crate) fn first_element(&self) -> &'a [u8] {
        if self.known.is_some_and(HeaderName::is_list) && crate::syntax::has_byte(self.value, b',')
        {
            self.elements().next().unwrap_or_default()
        } else {
            self.value
        }
    }
}

/// Whether a field named `written` is a `wanted` field: known names match in
/// any case and form, other names ignoring ASCII case.
pub(crate) fn same_header_name(written: &str, wanted: &str) -> bool {
    match HeaderName::from_bytes(wanted.as_bytes()) {
        Some(n) => HeaderName::from_bytes(written.as_bytes()) == Some(n),
        None => written.eq_ignore_ascii_case(wanted),
    }
}

/// Headers whose values carry credentials or keys: `Debug` leaves them out.
fn is_sensitive(name: Option<HeaderName>) -> bool {
    matches!(
        name,
        Some(
            HeaderName::Authorization
                | HeaderName::ProxyAuthorization
                | HeaderName::WwwAuthenticate
                | HeaderName::ProxyAuthenticate
                | HeaderName::AuthenticationInfo
        )
    )
}

impl fmt::Debug for HeaderRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_sensitive(self.known) {
            write!(f, "{}: <redacted>", self.name())
        } else {
            write!(
                f,
                "{}: {}",
                self.name(),
                String::from_utf8_lossy(self.value)
            )
        }
    }
}

/// The elements of one header field (see [`HeaderRef::elements`]).
#[derive(Clone, Debug)]
pub enum ListOrSingle<'a> {
    /// The elements of a list header.
    List(ListElements<'a>),
    /// The whole value of any other header.
    Single(Option<&'a [u8]>),
}

impl<'a> Iterator for ListOrSingle<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        match self {
            ListOrSingle::List(l) => l.next(),
            ListOrSingle::Single(s) => s.take(),
        }
    }
}

/// A parsed SIP message that borrows the buffer it was parsed from.
///
/// Parsing finds the start line, each header field and the body, and reads
/// Content-Length; nothing is copied and, up to 32 header fields, nothing is
/// allocated. Typed headers are parsed when asked for
/// ([`MessageRef::header`], [`MessageRef::via`], ...), each time they are
/// asked for.
///
/// ```
/// use imsip::{MessageRef, Method};
///
/// let data = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
/// Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n\
/// Max-Forwards: 70\r\n\
/// To: Bob <sip:bob@biloxi.example.com>\r\n\
/// From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
/// Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n\
/// CSeq: 314159 INVITE\r\n\
/// Content-Length: 0\r\n\r\n";
/// let msg = MessageRef::parse(data).unwrap();
/// assert_eq!(msg.method(), Some(Method::Invite));
/// assert_eq!(msg.via().unwrap().branch(), Some("z9hG4bK776asdhds"));
/// assert_eq!(msg.from().unwrap().tag(), Some("1928301774"));
/// assert_eq!(msg.cseq().unwrap().seq, 314159);
/// assert!(msg.validate().is_ok());
/// ```
#[derive(Clone)]
pub struct MessageRef<'a> {
    buf: &'a [u8],
    index: Cow<'a, Index>,
}

impl<'a> MessageRef<'a> {
    /// Parses one message from a datagram with the default [`ParseConfig`].
    ///
    /// Line breaks before the start line are skipped. When Content-Length is
    /// present it bounds the body and octets after it are ignored (RFC 3261
    /// §18.3); without it the body is the rest of the datagram.
    ///
    /// # Errors
    /// A [`ParseError`] when the message is malformed, exceeds a limit, or
    /// holds fewer body octets than its Content-Length.
    pub fn parse(buf: &'a [u8]) -> Result<MessageRef<'a>, ParseError> {
        MessageRef::parse_with(buf, &ParseConfig::DEFAULT)
    }

    /// Parses one message from a datagram with `config`. See
    /// [`MessageRef::parse`].
    ///
    /// # Errors
    /// As [`MessageRef::parse`].
    pub fn parse_with(buf: &'a [u8], config: &ParseConfig) -> Result<MessageRef<'a>, ParseError> {
        MessageRef::parse_mode(buf, config, Mode::Datagram)
    }

    /// Parses the start line and header fields and takes everything after
    /// them as the body, without checking Content-Length.
    ///
    /// This is for answering a request whose body framing is broken
    /// ([`ParseError::is_framing`]): the header fields a response copies are
    /// still there.
    ///
    /// # Errors
    /// A [`ParseError`] when the start line or a header field is malformed.
    pub fn parse_head(buf: &'a [u8], config: &ParseConfig) -> Result<MessageRef<'a>, ParseError> {
        MessageRef::parse_mode(buf, config, Mode::Head)
    }

    fn parse_mode(
        buf: &'a [u8],
        config: &ParseConfig,
        mode: Mode,
    ) -> Result<MessageRef<'a>, ParseError> {
        let skip = parse::leading_line_breaks(buf);
        let rest = &buf[skip..];
        let mut msg = MessageRef {
            buf: rest,
            index: Cow::Owned(Index::new()),
        };
        let index = msg.index.to_mut();
        parse::parse(rest, skip, config, mode, index)?;
        msg.buf = &rest[..index.len as usize];
        Ok(msg)
    }

    /// The start line.
    pub fn start_line(&self) -> StartLine<'a> {
        match self.index.start {
            Start::Request {
                uri_start,
                uri_len,
                version,
                ..
            } => StartLine::Request(RequestLine {
                method: self.method_unchecked(),
                uri: self.str_at(uri_start as usize, uri_len as usize),
                version,
            }),
            Start::Response {
                version,
                code,
                reason_start,
                reason_len,
            } => StatusLine {
                version,
                code: StatusCode::new(code).unwrap_or(StatusCode::SERVER_INTERNAL_ERROR),
                reason: &self.buf[reason_start as usize..(reason_start + reason_len) as usize],
            }
            .into(),
        }
    }

    fn str_at(&self, start: usize, len: usize) -> &'a str {
        // Spans handed here were checked to be ASCII by the scanner.
        std::str::from_utf8(&self.buf[start..start + len]).unwrap_or_default()
    }

    fn method_unchecked(&self) -> Method<'a> {
        let Start::Request { method_len, .. } = self.index.start else {
            return Method::Extension(Cow::Borrowed(""));
        };
        let token = &self.buf[..method_len as usize];
        Method::known(token)
            .unwrap_or_else(|| Method::Extension(Cow::Borrowed(self.str_at(0, token.len()))))
    }

    /// Whether this is a request.
    pub fn is_request(&self) -> bool {
        matches!(self.index.start, Start::Request { .. })
    }

    /// Whether this is a response.
    pub fn is_response(&self) -> bool {
        !self.is_request()
    }

    /// The method of a request.
    pub fn method(&self) -> Option<Method<'a>> {
        self.is_request().then(|| self.method_unchecked())
    }

    /// The method of a request as written on its request line.
    pub fn method_text(&self) -> Option<&'a str> {
        match self.index.start {
            Start::Request { method_len, .. } => Some(self.str_at(0, method_len as usize)),
            Start::Response { .. } => None,
        }
    }

    /// The Request-URI of a request, as written.
    pub fn request_uri_str(&self) -> Option<&'a str> {
        match self.index.start {
            Start::Request {
                uri_start, uri_len, ..
            } => Some(self.str_at(uri_start as usize, uri_len as usize)),
            Start::Response { .. } => None,
        }
    }

    /// The Request-URI of a request, parsed.
    pub fn request_uri(&self) -> Option<Result<crate::uri::Uri<'a>, crate::uri::UriError>> {
        self.request_uri_str().map(crate::uri::Uri::parse)
    }

    /// The status code of a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self.index.start {
            Start::Response { code, .. } => StatusCode::new(code),
            Start::Request { .. } => None,
        }
    }

    /// The version of the start line.
    pub fn version(&self) -> Version {
        match self.index.start {
            Start::Request { version, .. } | Start::Response { version, .. } => version,
        }
    }

    /// The number of header fields.
    pub fn header_count(&self) -> usize {
        self.index.headers.len()
    }

    #[inline]
    fn header_ref(&self, e: &Entry) -> HeaderRef<'a> {
        HeaderRef {
            name: e.name(self.buf),
            value: e.value(self.buf),
            known: header_name_from_id(e.id),
        }
    }

    /// The header fields in order.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = HeaderRef<'a>> + '_ {
        self.index.headers.iter().map(|e| self.header_ref(e))
    }

    /// The `i`-th header field.
    pub fn header_at(&self, i: usize) -> Option<HeaderRef<'a>> {
        self.index.headers.get(i).map(|e| self.header_ref(e))
    }

    /// Position of the first field of a known header.
    #[inline]
    fn first_known(&self, name: HeaderName) -> Option<usize> {
        if let Some(slot) = parse::hot_slot(name as u8) {
            return match self.index.hot[slot] {
                0 => None,
                p => Some(usize::from(p) - 1),
            };
        }
        let id = name as u8;
        self.index.headers.iter().position(|e| e.id == id)
    }

    /// The first field of a known header.
    pub fn get_known(&self, name: HeaderName) -> Option<HeaderRef<'a>> {
        // One look through the `Cow`; the entry found is `name`'s.
        let index: &Index = &self.index;
        let i = match parse::hot_slot(name as u8) {
            Some(slot) => usize::from(index.hot[slot]).checked_sub(1)?,
            None => index.headers.iter().position(|e| e.id == name as u8)?,
        };
        let e = index.headers.get(i)?;
        Some(HeaderRef {
            name: e.name(self.buf),
            value: e.value(self.buf),
            known: Some(name),
        })
    }

    /// Every field of a known header, in order.
    pub fn get_all_known(&self, name: HeaderName) -> impl Iterator<Item = HeaderRef<'a>> + '_ {
        let id = name as u8;
        let from = self.first_known(name).unwrap_or(self.index.headers.len());
        self.index.headers[from..]
            .iter()
            .filter(move |e| e.id == id)
            .map(|e| self.header_ref(e))
    }

    /// The first field named `name` (any case; compact forms resolved for
    /// known headers).
    pub fn get(&self, name: &str) -> Option<HeaderRef<'a>> {
        match HeaderName::from_bytes(name.as_bytes()) {
            Some(n) => self.get_known(n),
            None => self.headers().find(|h| h.is(name)),
        }
    }

    /// Every field named `name`, in order.
    pub fn get_all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = HeaderRef<'a>> + 's {
        self.headers().filter(move |h| h.is(name))
    }

    /// The elements of a known header across all its fields: list headers
    /// split at commas, others one element per field.
    pub fn values(&self, name: HeaderName) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.get_all_known(name).flat_map(|h| h.elements())
    }

    /// The first value of typed header `H` (the first element for a list
    /// header), parsed; `None` when the message has no such header.
    ///
    /// ```
    /// use imsip::MessageRef;
    /// use imsip::header::{Contact, MaxForwards};
    ///
    /// let msg = MessageRef::parse(b"OPTIONS sip:a@b SIP/2.0\r\nm: <sip:a@192.0.2.1>, <sip:a@192.0.2.2>\r\nMax-Forwards: 70\r\n\r\n").unwrap();
    /// assert_eq!(msg.header::<MaxForwards>().unwrap().unwrap(), MaxForwards(70));
    /// assert_eq!(msg.header_all::<Contact>().count(), 2);
    /// ```
    pub fn header<H: TypedHeader<'a>>(&self) -> Option<Result<H, HeaderError>> {
        Some(parse_typed::<H>(self.get_known(H::NAME)?.first_element()))
    }

    /// Every value of typed header `H` across all its fields (list headers
    /// split at commas), each parsed.
    pub fn header_all<H: TypedHeader<'a> + 'a>(
        &self,
    ) -> impl Iterator<Item = Result<H, HeaderError>> + '_ {
        self.values(H::NAME).map(parse_typed::<H>)
    }

    /// Typed header `H` that the message must have: a [`HeaderError`] of kind
    /// [`HeaderErrorKind::Missing`] when it has none.
    fn required<H: TypedHeader<'a>>(&self) -> Result<H, HeaderError> {
        self.header::<H>()
            .unwrap_or_else(|| Err(HeaderError::missing(H::NAME)))
    }

    /// The topmost Via value.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without a Via, or why it does not parse.
    pub fn via(&self) -> Result<Via<'a>, HeaderError> {
        self.via_noted().map(|(top, _)| top)
    }

    /// The From header.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without one, or why it does not parse.
    pub fn from(&self) -> Result<header::From<'a>, HeaderError> {
        self.required()
    }

    /// The To header.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without one, or why it does not parse.
    pub fn to(&self) -> Result<To<'a>, HeaderError> {
        self.required()
    }

    /// The `tag` of the From header, found without parsing its URI (what a
    /// transaction or dialog layer reads on every message). Use
    /// [`MessageRef::from`] or [`MessageRef::validate`] to check the URI too.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without a From header, or why its address
    /// or parameters do not parse.
    pub fn from_tag(&self) -> Result<Option<&'a str>, HeaderError> {
        self.tag_of(HeaderName::From)
    }

    /// The `tag` of the To header, found without parsing its URI; see
    /// [`MessageRef::from_tag`].
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without a To header, or why its address
    /// or parameters do not parse.
    pub fn to_tag(&self) -> Result<Option<&'a str>, HeaderError> {
        self.tag_of(HeaderName::To)
    }

    fn tag_of(&self, name: HeaderName) -> Result<Option<&'a str>, HeaderError> {
        let h = self.get_known(name).ok_or(HeaderError::missing(name))?;
        let text = std::str::from_utf8(h.value()).map_err(|e| {
            HeaderError::new(HeaderErrorKind::Utf8, e.valid_up_to()).in_header(name)
        })?;
        header::tag_of(text).map_err(|e| e.in_header(name))
    }

    /// The Call-ID.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without one, or why it does not parse.
    pub fn call_id(&self) -> Result<CallId<'a>, HeaderError> {
        self.required()
    }

    /// The CSeq.
    ///
    /// # Errors
    /// [`HeaderErrorKind::Missing`] without one, or why it does not parse.
    pub fn cseq(&self) -> Result<CSeq<'a>, HeaderError> {
        // The usual value needs no UTF-8 check (CSeq is not a list: the
        // first element is the value).
        if let Some(h) = self.get_known(HeaderName::CSeq)
            && let Some(cseq) = CSeq::fast_parse(h.value)
        {
            return Ok(cseq);
        }
        self.required()
    }

    /// The Content-Length value read while parsing, if the header is present.
    pub fn content_length(&self) -> Option<u32> {
        self.index.content_length
    }

    /// The body.
    pub fn body(&self) -> &'a [u8] {
        &self.buf[self.index.body_start as usize..]
    }

    /// The whole message as received: start line, headers and body, without
    /// line breaks before it or octets after its body.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The length of the message in octets.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Always `false`: a parsed message has at least a start line.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Writes the message exactly as it was received.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.buf);
    }

    /// Checks the message against RFC 3261 §8.2 with the default
    /// [`ValidationPolicy`]: a user agent that supports no extension (see
    /// [`MessageRef::validate_with`]).
    ///
    /// # Errors
    /// The first [`ValidationError`] found; it knows the status code to answer
    /// a request with.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate(self, &ValidationPolicy::default())
    }

    /// Checks the message with `policy`: version, Request-URI, mandatory and
    /// single-valued headers, the typed core headers, CSeq method, and the
    /// policy's extension and hop checks (RFC 3261 §8.2 for a user agent,
    /// §16.3 for a proxy).
    ///
    /// The message remembers which of the checks that do not depend on the
    /// policy passed, in the index shared with the [`Message`] this view
    /// borrows from: validating again, with any policy, runs only the
    /// policy's checks, and a response built from the request with
    /// [`MessageRef::response`] does not re-check the fields it copies. A
    /// request handed up by the [`Endpoint`](crate::endpoint::Endpoint) has
    /// passed them already, so its transaction user pays only for its
    /// policy.
    ///
    /// # Errors
    /// The first [`ValidationError`] found; answer a request with
    /// [`ValidationPolicy::rejection`].
    pub fn validate_with(&self, policy: &ValidationPolicy<'_>) -> Result<(), ValidationError> {
        validate::validate(self, policy)
    }

    /// Copies the message into an owned [`Message`] (one allocation for the
    /// bytes; the index is reused, not rebuilt).
    pub fn to_message(&self) -> Message {
        Message {
            bytes: Bytes::copy_from_slice(self.buf),
            index: Arc::new(self.index.clone().into_owned()),
        }
    }
}

impl<'a> From<StatusLine<'a>> for StartLine<'a> {
    fn from(s: StatusLine<'a>) -> Self {
        StartLine::Response(s)
    }
}

pub(super) fn parse_typed<'a, H: TypedHeader<'a>>(value: &'a [u8]) -> Result<H, HeaderError> {
    H::parse(header_text(value, H::NAME)?).map_err(|e| e.in_header(H::NAME))
}

/// A value of header `name` as text: a UTF-8 error says where, in `name`.
fn header_text(value: &[u8], name: HeaderName) -> Result<&str, HeaderError> {
    std::str::from_utf8(value)
        .map_err(|e| HeaderError::new(HeaderErrorKind::Utf8, e.valid_up_to()).in_header(name))
}

fn header_name_from_id(id: u8) -> Option<HeaderName> {
    id.checked_sub(1)
        .and_then(|i| header::ALL_NAMES.get(usize::from(i)))
        .copied()
}

/// The crate-internal interface the transaction layer's hot path uses: what
/// the endpoint reads once and this layer then need not read again. Each
/// piece pays on the transaction benchmark (`docs/performance.md`): the
/// top Via's parameters noted while it is parsed (no second walk for the
/// branch, `rport`, `received`, `maddr`), the index's note that the first
/// Via field holds one value (no comma search, and a response's top Via
/// compared as octets), and the policy-free checks recorded in the message
/// (a stamped copy and the transaction user's `validate_with` do not
/// repeat them, and the endpoint's checks do not parse the top Via again).
impl<'a> MessageRef<'a> {
    /// The value of the first Via field when it holds one Via value (no
    /// comma), unparsed, with its offset in the message.
    pub(crate) fn top_via_plain(&self) -> Option<(usize, &'a [u8])> {
        if !self.index.top_via_plain {
            return None;
        }
        let h = self.get_known(HeaderName::Via)?;
        let at = (h.value.as_ptr() as usize).wrapping_sub(self.buf.as_ptr() as usize);
        Some((at, h.value))
    }

    /// [`MessageRef::via`], with the parameters the endpoint reads noted
    /// while they were checked.
    pub(crate) fn via_noted(&self) -> Result<(Via<'a>, via::Noted<'a>), HeaderError> {
        let h = self
            .get_known(HeaderName::Via)
            .ok_or(HeaderError::missing(HeaderName::Via))?;
        // The parser noted whether the first field holds a comma.
        let first = if self.index.top_via_plain {
            h.value
        } else {
            h.first_element()
        };
        let text = header_text(first, HeaderName::Via)?;
        let mut noted = via::Noted::default();
        let top = via::parse_noting(text, &mut noted).map_err(|e| e.in_header(HeaderName::Via))?;
        Ok((top, noted))
    }

    /// The checks of [`MessageRef::validate_with`] that do not depend on a
    /// policy (structure, and a request's start line), for the endpoint,
    /// which answers their failures for every transaction user alike; with
    /// `top_via_parsed` the caller parsed the top Via without error and it
    /// is not parsed again. What passed is recorded, so the transaction
    /// user's [`MessageRef::validate_with`] runs only its policy's checks.
    pub(crate) fn check_common(&self, top_via_parsed: bool) -> Result<(), ValidationError> {
        validate::check_common(self, top_via_parsed)
    }
}

/// The owned side of the same interface.
impl Message {
    /// Records that the policy-free checks passed up to `level` (see
    /// [`validate::check_common`]; for the crate's own validation and
    /// builders only, on a message made from one that passed them), so
    /// [`MessageRef::validate_with`] and a response built from this request
    /// need not repeat them.
    pub(crate) fn mark_checked(&self, level: u8) {
        self.index.checked.set(level);
    }

    /// How far the policy-free checks got ([`Message::mark_checked`]).
    pub(crate) fn checked(&self) -> u8 {
        self.index.checked.get()
    }
}

impl fmt::Debug for MessageRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = match self.start_line() {
            StartLine::Request(r) => format!("{} {} {}", r.method, r.uri, r.version),
            StartLine::Response(s) => format!(
                "{} {} {}",
                s.version,
                s.code.as_u16(),
                String::from_utf8_lossy(s.reason)
            ),
        };
        f.debug_struct("Message")
            .field("start_line", &start)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .field("body_len", &self.body().len())
            .finish()
    }
}

/// The message as text for people and logs: the start line, each header
/// field as `Name: value` with the name and value as received, the empty
/// line and the body (a body that is not UTF-8 as `<n octets>`). The
/// values of the credential headers (Authorization, Proxy-Authorization,
/// WWW-Authenticate, Proxy-Authenticate, Authentication-Info) are shown as
/// `<redacted>`: an IMS 401 carries CK and IK in WWW-Authenticate. The
/// exact octets are [`MessageRef::as_bytes`].
///
/// ```
/// use imsip::MessageRef;
///
/// let m = MessageRef::parse(b"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\", ck=\"00\"\r\nContent-Length: 0\r\n\r\n").unwrap();
/// assert_eq!(m.to_string(), "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: <redacted>\r\nContent-Length: 0\r\n\r\n");
/// ```
impl fmt::Display for MessageRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = self
            .index
            .headers
            .first()
            .map_or(self.index.head_end as usize, |e| e.name_start as usize);
        let line = &self.buf[..first];
        f.write_str(String::from_utf8_lossy(line).trim_end())?;
        f.write_str("\r\n")?;
        for h in self.headers() {
            if is_sensitive(h.known) {
                write!(f, "{}: <redacted>\r\n", h.name())?;
            } else {
                write!(f, "{}: {}\r\n", h.name(), String::from_utf8_lossy(h.value))?;
            }
        }
        f.write_str("\r\n")?;
        match std::str::from_utf8(self.body()) {
            Ok(text) => f.write_str(text),
            Err(_) => write!(f, "<{} octets>", self.body().len()),
        }
    }
}

/// As [`MessageRef`]'s: the text with credentials redacted.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_ref(), f)
    }
}

/// An owned SIP message: one shared [`Bytes`] buffer and the offsets of its
/// parts.
///
/// Cloning or keeping a `Message` never copies the message: the buffer is
/// reference-counted and [`Message::as_ref`] gives the [`MessageRef`] view
/// back without parsing again.
///
/// ```
/// use bytes::Bytes;
/// use imsip::Message;
///
/// let datagram = Bytes::from_static(b"SIP/2.0 180 Ringing\r\nContent-Length: 4\r\n\r\nbodytrailing noise");
/// let msg = Message::parse(datagram).unwrap();
/// assert_eq!(msg.as_ref().status().unwrap().as_u16(), 180);
/// assert_eq!(&msg.body()[..], b"body");
/// assert_eq!(msg.bytes().len(), 46); // trailing octets are not part of the message
/// ```
#[derive(Clone)]
pub struct Message {
    bytes: Bytes,
    /// Shared: a `Message` is moved through queues and events and kept by
    /// transactions and dialogs; a clone shares the 370-octet index (whose
    /// only mutable part, the validation level, is atomic) as it shares the
    /// octets.
    index: Arc<Index>,
}

impl Message {
    /// Parses one message from a datagram with the default [`ParseConfig`];
    /// the message keeps (a slice of) `bytes` without copying.
    ///
    /// # Errors
    /// As [`MessageRef::parse`].
    pub fn parse(bytes: Bytes) -> Result<Message, ParseError> {
        Message::parse_with(bytes, &ParseConfig::DEFAULT)
    }

    /// Parses one message from a datagram with `config`.
    ///
    /// # Errors
    /// As [`MessageRef::parse`].
    pub fn parse_with(bytes: Bytes, config: &ParseConfig) -> Result<Message, ParseError> {
        Message::parse_keeping(bytes, config).map_err(|(e, _)| e)
    }

    /// [`Message::parse_with`], handing the octets back with the error (the
    /// endpoint answers a request whose head it can still read).
    pub(crate) fn parse_keeping(
        bytes: Bytes,
        config: &ParseConfig,
    ) -> Result<Message, (ParseError, Bytes)> {
        let skip = parse::leading_line_breaks(&bytes);
        // Built in place: the index is not moved after parsing.
        let mut msg = Message {
            bytes,
            index: Arc::new(Index::new()),
        };
        let index = Arc::get_mut(&mut msg.index).expect("a new Arc is not shared");
        if let Err(e) = parse::parse(&msg.bytes[skip..], skip, config, Mode::Datagram, index) {
            return Err((e, msg.bytes));
        }
        let end = skip + msg.index.len as usize;
        // Usually the datagram is the message: slicing would clone, and
        // cloning a `Bytes` made from a `Vec` allocates its shared header.
        if skip != 0 || end != msg.bytes.len() {
            msg.bytes = msg.bytes.slice(skip..end);
        }
        Ok(msg)
    }

    /// The borrowed view, without parsing again.
    #[allow(clippy::should_implement_trait)]
    pub fn as_ref(&self) -> MessageRef<'_> {
        MessageRef {
            buf: &self.bytes,
            index: Cow::Borrowed(&self.index),
        }
    }

    /// The message octets.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The body, sharing the message buffer.
    pub fn body(&self) -> Bytes {
        self.bytes.slice(self.index.body_start as usize..)
    }

    /// A part of this message's bytes (a header value, say) as shared
    /// [`Bytes`], without copying; `None` when `part` does not borrow from
    /// this message's buffer (the slices of [`Message::as_ref`] do).
    pub fn share(&self, part: &[u8]) -> Option<Bytes> {
        let start = self.bytes.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        let inside = p >= start && p + part.len() <= start + self.bytes.len();
        inside.then(|| self.bytes.slice_ref(part))
    }

    /// Writes the message exactly as it was received.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&self.bytes);
    }

    /// The length in octets.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: a parsed message has at least a start line.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

impl From<MessageRef<'_>> for Message {
    fn from(m: MessageRef<'_>) -> Message {
        m.to_message()
    }
}
