//! Building messages: requests and responses from scratch, and the messages a
//! stack derives from others (RFC 3261 §8.2.6, §9.1, §17.1.1.3).
//!
//! Builders write the message once into one buffer, add Content-Length, parse
//! the result into a [`Message`] and check it the way a receiver would
//! (mandatory headers present, single-valued ones once, core headers well
//! formed, CSeq method matching), so a built message is never one imsip would
//! reject.

use bytes::Bytes;
use smallvec::SmallVec;
use thiserror::Error;

use super::parse::{self, Checked, Index, Start};
use super::validate::{self, ValidationError};
use super::{Editor, Message, MessageRef, ParseConfig, ParseError};
use crate::header::{ContentType, HeaderName, MediaType, TypedHeader};
use crate::method::Method;
use crate::random::Random;
use crate::status::StatusCode;
use crate::syntax;
use crate::uri::Uri;
use crate::version::Version;

/// Why a message could not be built.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A header the message must carry is missing (RFC 3261 §8.1.1).
    #[error("missing {0} header")]
    MissingHeader(HeaderName),
    /// A header name is not a token.
    #[error("invalid header name {0:?}")]
    InvalidName(String),
    /// A header value or reason phrase holds a line break, which would start
    /// a new line.
    #[error("line break in the value of {0}")]
    LineBreak(String),
    /// Content-Length is the builder's to write.
    #[error("Content-Length is computed by the builder")]
    ContentLength,
    /// The message parses but a receiver would reject it.
    #[error("the message would be rejected: {0}")]
    Invalid(ValidationError),
    /// The message does not parse (a value broke the message structure).
    #[error("the message does not parse: {0}")]
    Parse(ParseError),
    /// The message to derive from does not allow it (a CANCEL of a request
    /// other than INVITE, a response to a response, ...).
    #[error("cannot derive: {0}")]
    Unsuitable(&'static str),
}

/// Header fields in order, as written: `Name: value\r\n` lines in one
/// buffer, with where each line's name, value and end are. The buffer may
/// start with the message's start line (`base` octets), so that it becomes
/// the message without a copy; line positions are relative to `base`.
#[derive(Clone, Debug, Default)]
struct Fields {
    buf: Vec<u8>,
    base: usize,
    lines: SmallVec<[Line; 12]>,
    error: Option<BuildError>,
}

/// Where a field is in [`Fields::buf`] (from [`Fields::base`]): the start
/// of its name, the start and end of its value, and the name's
/// [`HeaderName`] (`0` for others, as in the parser's index).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: u32,
    value: u32,
    end: u32,
    id: u8,
}

impl Fields {
    fn push_raw(&mut self, name: &str, value: &str) {
        if self.error.is_some() {
            return;
        }
        if !syntax::is_token(name.as_bytes()) {
            self.error = Some(BuildError::InvalidName(name.to_owned()));
        } else if has_bad_line_break(value.as_bytes()) {
            self.error = Some(BuildError::LineBreak(name.to_owned()));
        } else {
            // A token, checked above.
            match HeaderName::from_token(name.as_bytes()) {
                Some(HeaderName::ContentLength) => self.error = Some(BuildError::ContentLength),
                id => self.append(name.as_bytes(), id, value.trim().as_bytes()),
            }
        }
    }

    /// Appends a field copied from a message that passed the structural
    /// checks: a known name, and a value the parser delimited and trimmed
    /// and validation parsed, so none of [`Fields::push_raw`]'s checks can
    /// fail.
    fn push_checked(&mut self, name: HeaderName, value: &[u8]) {
        if self.error.is_none() {
            self.append(name.as_str().as_bytes(), Some(name), value);
        }
    }

    /// Writes `name: value` CRLF and records where its parts are.
    fn append(&mut self, name: &[u8], id: Option<HeaderName>, value: &[u8]) {
        if self.buf.len() + name.len() + value.len() + 4 > u32::MAX as usize {
            self.error = Some(BuildError::Unsuitable("header fields exceed 4 GiB"));
            return;
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve(256);
        }
        let at = |buf: &Vec<u8>| (buf.len() - self.base) as u32;
        let start = at(&self.buf);
        self.buf.extend_from_slice(name);
        self.buf.extend_from_slice(b": ");
        let value_start = at(&self.buf);
        self.buf.extend_from_slice(value);
        let end = at(&self.buf);
        self.buf.extend_from_slice(b"\r\n");
        self.lines.push(Line {
            start,
            value: value_start,
            end,
            id: id.map_or(0, |n| n as u8),
        });
    }

    /// Appends a typed header, encoded straight into the buffer. The
    /// canonical encoding has no surrounding whitespace; a value that holds
    /// a line break (a display name given one, say) is refused as
    /// [`Fields::push_raw`] would.
    fn push_typed<'h, H: TypedHeader<'h>>(&mut self, value: &H) {
        if self.error.is_some() {
            return;
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve(256);
        }
        let name = H::NAME.as_str().as_bytes();
        let start = self.buf.len();
        self.buf.extend_from_slice(name);
        self.buf.extend_from_slice(b": ");
        let value_start = self.buf.len();
        value.encode(&mut self.buf);
        let end = self.buf.len();
        let written = &self.buf[value_start..end];
        let bad = has_bad_line_break(written);
        let untrimmed = written.trim_ascii().len() != written.len();
        if bad || untrimmed || end - self.base > u32::MAX as usize - 2 {
            let value = String::from_utf8_lossy(&self.buf[value_start..end]).into_owned();
            self.buf.truncate(start);
            if bad {
                self.error = Some(BuildError::LineBreak(H::NAME.as_str().to_owned()));
            } else {
                // The checked path trims, and bounds the size.
                self.push_raw(H::NAME.as_str(), &value);
            }
            return;
        }
        self.buf.extend_from_slice(b"\r\n");
        let at = |o: usize| (o - self.base) as u32;
        self.lines.push(Line {
            start: at(start),
            value: at(value_start),
            end: at(end),
            id: H::NAME as u8,
        });
    }

    /// The first field named `name`: its value and where the value ends
    /// (from `base`).
    fn find(&self, name: HeaderName) -> Option<(&[u8], usize)> {
        let line = self.lines.iter().find(|l| l.id == name as u8)?;
        let (value, end) = (line.value as usize, line.end as usize);
        Some((&self.buf[self.base + value..self.base + end], end))
    }

    /// Inserts the concatenation of `parts` at `at` (from `base`), the end
    /// of a field's value.
    fn insert_at_value_end(&mut self, at: usize, parts: &[&[u8]]) {
        let before = self.buf.len();
        for part in parts {
            self.buf.extend_from_slice(part);
        }
        let grow = self.buf.len() - before;
        self.buf[self.base + at..].rotate_right(grow);
        let grow = grow as u32;
        for line in &mut self.lines {
            if line.end as usize >= at {
                if line.start as usize > at {
                    line.start += grow;
                    line.value += grow;
                }
                line.end += grow;
            }
        }
    }

    /// Fields after the status line of `status` with its standard reason
    /// phrase, written straight into the buffer.
    fn status(status: StatusCode) -> Fields {
        let mut buf = Vec::with_capacity(256);
        write_status_line(status, status.reason_phrase(), |part| {
            buf.extend_from_slice(part);
        });
        Fields {
            base: buf.len(),
            buf,
            ..Fields::default()
        }
    }

    /// Fields after the request line `method uri SIP/2.0`, written
    /// straight into the buffer (`uri` writes the URI).
    fn request_line(method: &str, uri: impl FnOnce(&mut Vec<u8>)) -> Fields {
        let mut buf = Vec::with_capacity(256);
        buf.extend_from_slice(method.as_bytes());
        buf.push(b' ');
        uri(&mut buf);
        buf.extend_from_slice(b" SIP/2.0\r\n");
        Fields {
            base: buf.len(),
            buf,
            ..Fields::default()
        }
    }

    /// Replaces the start line.
    fn set_start(&mut self, start: &[u8]) {
        self.buf.splice(..self.base, start.iter().copied());
        self.base = start.len();
    }
}

/// A line break is allowed only as a fold (CRLF followed by SP or HT).
fn has_bad_line_break(v: &[u8]) -> bool {
    memchr::memchr2_iter(b'\r', b'\n', v).any(|i| match v[i] {
        b'\r' => v.get(i + 1) != Some(&b'\n') || !matches!(v.get(i + 2), Some(b' ' | b'\t')),
        _ => i == 0 || v[i - 1] != b'\r',
    })
}

/// Builds a request.
///
/// The request must end up with Via, From, To, Call-ID, CSeq (with the
/// request's method) and Max-Forwards; Content-Length is written by
/// [`RequestBuilder::build`].
///
/// ```
/// use imsip::header::{CSeq, MaxForwards, NameAddr, To};
/// use imsip::message::RequestBuilder;
/// use imsip::random::{self, SeededRandom};
/// use imsip::uri::Uri;
/// use imsip::{Method, StatusCode};
///
/// let mut rng = SeededRandom::new(1);
/// let uri = Uri::parse("sip:bob@biloxi.example.com").unwrap();
/// let branch = random::branch(&mut rng);
/// let tag = random::tag(&mut rng);
/// let call_id = random::call_id(&mut rng, Some("atlanta.example.com"));
/// let invite = RequestBuilder::new(Method::Invite, &uri)
///     .raw_header("Via", &format!("SIP/2.0/UDP pc33.atlanta.example.com;branch={branch}"))
///     .header(&MaxForwards(70))
///     .raw_header("From", &format!("Alice <sip:alice@atlanta.example.com>;tag={tag}"))
///     .header(&To::new(NameAddr::new(uri.clone())))
///     .raw_header("Call-ID", &call_id)
///     .header(&CSeq { seq: 1, method: Method::Invite })
///     .build()
///     .unwrap();
/// assert_eq!(invite.as_ref().via().unwrap().branch(), Some(branch.as_str()));
///
/// // The UAS answers (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied,
/// // a To tag added.
/// let ringing = invite.as_ref().response(StatusCode::RINGING).unwrap()
///     .to_tag(&random::tag(&mut rng))
///     .build()
///     .unwrap();
/// assert_eq!(ringing.as_ref().cseq().unwrap(), invite.as_ref().cseq().unwrap());
/// assert!(ringing.as_ref().to_tag().unwrap().is_some());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct RequestBuilder {
    /// The request line, then the fields.
    fields: Fields,
    body: Bytes,
}

impl RequestBuilder {
    /// A request of `method` to `uri`, without headers yet.
    pub fn new(method: Method<'_>, uri: &Uri<'_>) -> Self {
        RequestBuilder {
            fields: Fields::request_line(method.as_str(), |buf| uri.encode(buf)),
            body: Bytes::new(),
        }
    }

    /// Appends a typed header, in canonical form.
    pub fn header<'h, H: TypedHeader<'h>>(mut self, value: &H) -> Self {
        self.fields.push_typed(value);
        self
    }

    /// Appends a header field as text. Checked when built: the name must be a
    /// token and the value must not break the line.
    pub fn raw_header(mut self, name: &str, value: &str) -> Self {
        self.fields.push_raw(name, value);
        self
    }

    /// Sets the body and its Content-Type.
    pub fn body(mut self, content_type: &MediaType<'_>, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self.fields.push_typed(&ContentType(content_type.clone()));
        self
    }

    /// Writes, indexes and checks the request.
    ///
    /// # Errors
    /// A [`BuildError`] when a header is missing or malformed, or the message
    /// would not pass [`MessageRef::validate`]'s structural checks.
    pub fn build(self) -> Result<Message, BuildError> {
        let mut this = self;
        if let Some(e) = this.fields.error {
            return Err(e);
        }
        // The request line is in front of the fields: their buffer becomes
        // the message.
        let fields_at = this.fields.base;
        let mut out = std::mem::take(&mut this.fields.buf);
        out.reserve(24 + this.body.len());
        finish(
            out,
            &this.fields,
            fields_at,
            &this.body,
            Written::Request,
            0,
        )
    }
}

/// Builds a response.
///
/// The response must end up with Via, From, To, Call-ID and CSeq, usually
/// copied from the request by [`MessageRef::response`].
#[derive(Clone, Debug)]
#[must_use]
pub struct ResponseBuilder {
    status: StatusCode,
    reason: Option<String>,
    fields: Fields,
    body: Bytes,
    /// How many leading fields were copied from a request that passed the
    /// structural checks, so need not be checked again.
    trusted: usize,
    /// Whether [`ResponseBuilder::build`] adds a To tag unless one is there
    /// by then (a response [`MessageRef::response`] started).
    auto_tag: bool,
}

impl ResponseBuilder {
    /// A response with `status` and its standard reason phrase, without
    /// headers yet.
    pub fn new(status: StatusCode) -> Self {
        ResponseBuilder {
            status,
            reason: None,
            fields: Fields::status(status),
            body: Bytes::new(),
            trusted: 0,
            auto_tag: false,
        }
    }

    /// Replaces the standard reason phrase.
    pub fn reason(mut self, reason: &str) -> Self {
        if reason.bytes().any(|b| b == b'\r' || b == b'\n') {
            self.fields.error = Some(BuildError::LineBreak("reason phrase".into()));
        }
        self.fields.set_start(&status_line(self.status, reason));
        self.reason = Some(reason.to_owned());
        self
    }

    /// Appends a typed header, in canonical form.
    pub fn header<'h, H: TypedHeader<'h>>(mut self, value: &H) -> Self {
        self.fields.push_typed(value);
        self
    }

    /// Appends a header field as text.
    pub fn raw_header(mut self, name: &str, value: &str) -> Self {
        self.fields.push_raw(name, value);
        self
    }

    /// Adds `;tag=<tag>` to the To header when it has no tag yet (RFC 3261
    /// §8.2.6.2: a UAS tags every response but 100 Trying). A To that has a
    /// tag keeps it. Without this call, a response started with
    /// [`MessageRef::response`] gets a random tag when it is built.
    pub fn to_tag(mut self, tag: &str) -> Self {
        self.auto_tag = false;
        if !syntax::is_token(tag.as_bytes()) {
            self.fields.error = Some(BuildError::Invalid(ValidationError::InvalidHeader(
                crate::header::HeaderError::new(crate::header::HeaderErrorKind::Token, 0)
                    .in_header(HeaderName::To),
            )));
            return self;
        }
        if let Some(end) = self.untagged_to() {
            self.fields
                .insert_at_value_end(end, &[b";tag=", tag.as_bytes()]);
        }
        self
    }

    /// The To tag of every response to the request this response was
    /// started from: keyed by its top Via, From, Call-ID and CSeq
    /// ([`crate::random`]'s response tags), so a provisional response and
    /// the final one after it carry the same tag.
    fn request_tag(&self) -> String {
        let part = |name| self.fields.find(name).map_or(&b""[..], |(v, _)| v);
        crate::random::response_tag(&[
            part(HeaderName::Via),
            part(HeaderName::From),
            part(HeaderName::CallId),
            part(HeaderName::CSeq),
        ])
    }

    /// Where the value of the To field ends, when it has no tag.
    fn untagged_to(&self) -> Option<usize> {
        self.fields.find(HeaderName::To).and_then(|(value, end)| {
            // Without a `;` there are no parameters at all.
            if memchr::memchr(b';', value).is_none() {
                return Some(end);
            }
            let value = std::str::from_utf8(value).ok()?;
            crate::header::tag_of(value)
                .ok()
                .flatten()
                .is_none()
                .then_some(end)
        })
    }

    /// Sets the body and its Content-Type.
    pub fn body(mut self, content_type: &MediaType<'_>, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self.fields.push_typed(&ContentType(content_type.clone()));
        self
    }

    /// Writes, indexes and checks the response. A response started with
    /// [`MessageRef::response`] whose To has no tag by now gets one (RFC
    /// 3261 §8.2.6.2; not 100 Trying), unless [`ResponseBuilder::to_tag`]
    /// was called: unpredictable, and the same for every response to the
    /// same request, so a 180 and the 200 after it belong to one dialog.
    ///
    /// # Errors
    /// A [`BuildError`] when a header is missing or malformed.
    pub fn build(mut self) -> Result<Message, BuildError> {
        if let Some(e) = self.fields.error {
            return Err(e);
        }
        if self.auto_tag
            && let Some(end) = self.untagged_to()
        {
            let tag = self.request_tag();
            self.fields
                .insert_at_value_end(end, &[b";tag=", tag.as_bytes()]);
        }
        // The status line is in front of the fields: their buffer becomes
        // the message.
        let fields_at = self.fields.base;
        let out = std::mem::take(&mut self.fields.buf);
        // A standard reason phrase and a code the parser accepts: the
        // status line is known, not read back.
        let code = self.status.as_u16();
        let start = match (&self.reason, code) {
            (None, 100..=699) => Written::Response(Some(Start::Response {
                version: Version::SIP_2_0,
                code,
                reason_start: 12,
                reason_len: (fields_at - 14) as u32,
            })),
            _ => Written::Response(None),
        };
        finish(
            out,
            &self.fields,
            fields_at,
            &self.body,
            start,
            self.trusted,
        )
    }
}

/// `SIP/2.0 <code> <reason>` CRLF.
fn status_line(status: StatusCode, reason: &str) -> SmallVec<[u8; 64]> {
    let mut line = SmallVec::new();
    write_status_line(status, reason, |part| line.extend_from_slice(part));
    line
}

/// Writes `SIP/2.0 <code> <reason>` CRLF, part by part.
#[inline(always)]
fn write_status_line(status: StatusCode, reason: &str, mut put: impl FnMut(&[u8])) {
    let code = status.as_u16();
    // A status code has three digits (100–699).
    put(&[
        b'S',
        b'I',
        b'P',
        b'/',
        b'2',
        b'.',
        b'0',
        b' ',
        b'0' + (code / 100) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
        b' ',
    ]);
    put(reason.as_bytes());
    put(b"\r\n");
}

/// What a builder wrote before the header fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Written {
    Request,
    /// A status line, with its index entry when the builder knows it.
    Response(Option<Start>),
}

/// Adds Content-Length and the body, indexes, and checks. `out` holds the
/// start line and then, from `fields_at`, the `fields`. The first `trusted`
/// fields were copied from a checked message and are not parsed again.
fn finish(
    mut out: Vec<u8>,
    fields: &Fields,
    fields_at: usize,
    body: &[u8],
    written: Written,
    trusted: usize,
) -> Result<Message, BuildError> {
    let request = written == Written::Request;
    let cl_at = out.len();
    out.extend_from_slice(b"Content-Length: ");
    syntax::write_u64(&mut out, body.len() as u64);
    let cl_end = out.len();
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
    // The builder knows where everything is; it indexes what it wrote
    // instead of parsing it, unless a parser limit or a start-line rule is
    // in play, when the parser decides (and reports).
    let index = index_written(&out, fields, fields_at, (cl_at, cl_end), written);
    let msg = match index {
        Some(index) => {
            let msg = Message {
                bytes: Bytes::from(out),
                index,
            };
            debug_assert_eq!(
                Message::parse(msg.bytes.clone()).map(|m| m.index).as_ref(),
                Ok(&msg.index),
                "the builder's index differs from the parser's"
            );
            msg
        }
        None => Message::parse(Bytes::from(out)).map_err(BuildError::Parse)?,
    };
    {
        let m = msg.as_ref();
        if request && m.get_known(HeaderName::MaxForwards).is_none() {
            return Err(BuildError::MissingHeader(HeaderName::MaxForwards));
        }
        // A response whose every field was copied from a checked request
        // (`MessageRef::response`: the mandatory fields once each, no
        // duplicates, a To tag that is a token) and whose status line and
        // Content-Length the builder wrote cannot fail the check.
        if request || trusted < fields.lines.len() {
            validate::check_structure(&m, trusted).map_err(|e| match e {
                ValidationError::MissingHeader(h) => BuildError::MissingHeader(h),
                other => BuildError::Invalid(other),
            })?;
        } else {
            debug_assert_eq!(validate::check_structure(&m, 0), Ok(()));
        }
        if request {
            validate::check_request_line(&m).map_err(BuildError::Invalid)?;
        }
    }
    msg.index.checked.set(if request {
        Checked::REQUEST_LINE
    } else {
        Checked::STRUCTURE
    });
    Ok(msg)
}

/// The [`Index`] the parser would produce for what a builder wrote: the
/// start line read by the parser's own functions, one entry per field from
/// where [`Fields`] put it, and the Content-Length field at `cl`. `None`
/// when the parser should look (a limit of [`ParseConfig::DEFAULT`] could
/// be reached, or the start line does not read back).
fn index_written(
    out: &[u8],
    fields: &Fields,
    fields_at: usize,
    cl: (usize, usize),
    written: Written,
) -> Option<std::sync::Arc<Index>> {
    let config = &ParseConfig::DEFAULT;
    if out.len() > config.max_message_size || fields.lines.len() + 1 > config.max_headers {
        return None;
    }
    let line = &out[..fields_at.checked_sub(2)?];
    let mut shared = std::sync::Arc::new(Index::new());
    let index = std::sync::Arc::get_mut(&mut shared).expect("a new Arc is not shared");
    index.start = match written {
        Written::Request => parse::request_line(line).ok()?,
        Written::Response(Some(start)) => start,
        Written::Response(None) => parse::status_line(line).ok()?,
    };
    let max_line = config.max_line_length.min(usize::from(u16::MAX));
    let mut via_count = 0;
    let lines = fields
        .lines
        .iter()
        .map(|l| {
            let at = |o: u32| fields_at + o as usize;
            (at(l.start), at(l.value), at(l.end), l.id)
        })
        .chain(std::iter::once((
            cl.0,
            cl.0 + "Content-Length: ".len(),
            cl.1,
            HeaderName::ContentLength as u8,
        )));
    for (start, value, end, id) in lines {
        let name = &out[start..value - 2];
        // `end` is the CR of the field's CRLF; the parser measures to the LF.
        if name.len() > usize::from(u8::MAX) || end + 1 - start > max_line {
            return None;
        }
        if id == HeaderName::Via as u8 {
            let (values, comma) = parse::via_values(&out[value..end]);
            if via_count == 0 {
                index.top_via_plain = !comma;
            }
            via_count += values;
            if via_count > config.max_via {
                return None;
            }
        }
        index.push_field(start, name.len(), id, value, end);
    }
    index.head_end = (cl.1 + 2) as u32;
    index.body_start = (cl.1 + 4) as u32;
    index.len = out.len() as u32;
    index.content_length = Some((out.len() - (cl.1 + 4)) as u32);
    Some(shared)
}

/// Header values of `name` in `msg`, each field's value as written.
fn values<'m, 'a>(msg: &'m MessageRef<'a>, name: HeaderName) -> impl Iterator<Item = &'a str> + 'm {
    msg.get_all_known(name)
        .filter_map(|h| std::str::from_utf8(h.value()).ok())
}

fn required<'a>(msg: &MessageRef<'a>, name: HeaderName) -> Result<&'a str, BuildError> {
    values(msg, name)
        .next()
        .ok_or(BuildError::MissingHeader(name))
}

/// The top Via value of `msg` (the first element of the first Via field).
fn top_via<'a>(msg: &MessageRef<'a>) -> Result<&'a str, BuildError> {
    let first = msg
        .values(HeaderName::Via)
        .next()
        .ok_or(BuildError::MissingHeader(HeaderName::Via))?;
    std::str::from_utf8(first).map_err(|_| BuildError::MissingHeader(HeaderName::Via))
}

impl<'a> MessageRef<'a> {
    /// Starts the response to this request with `status` (RFC 3261 §8.2.6):
    /// every Via field in order, From, To, Call-ID and CSeq are copied as
    /// received, and a 100 Trying copies Timestamp (§8.2.6.1). A To without
    /// a tag gets one (§8.2.6.2): the one given to
    /// [`ResponseBuilder::to_tag`] (a dialog's), or else, when the response
    /// is built, one that every response to this request gets (see
    /// [`ResponseBuilder::build`]); 100 Trying gets none.
    ///
    /// # Errors
    /// [`BuildError::Unsuitable`] for a response, or
    /// [`BuildError::MissingHeader`] when one of those headers is missing.
    pub fn response(&self, status: StatusCode) -> Result<ResponseBuilder, BuildError> {
        if !self.is_request() {
            return Err(BuildError::Unsuitable("a response cannot be answered"));
        }
        let mut b = ResponseBuilder::new(status);
        const COPIED: [HeaderName; 4] = [
            HeaderName::From,
            HeaderName::To,
            HeaderName::CallId,
            HeaderName::CSeq,
        ];
        if self.index.checked.get() >= Checked::STRUCTURE {
            // Checked fields are copied as they are.
            for via in self.get_all_known(HeaderName::Via) {
                b.fields.push_checked(HeaderName::Via, via.value());
            }
            for name in COPIED {
                let h = self
                    .get_known(name)
                    .ok_or(BuildError::MissingHeader(name))?;
                b.fields.push_checked(name, h.value());
            }
        } else {
            for via in values(self, HeaderName::Via) {
                b.fields.push_raw("Via", via);
            }
            for name in COPIED {
                b.fields.push_raw(name.as_str(), required(self, name)?);
            }
        }
        if status == StatusCode::TRYING
            && let Some(ts) = values(self, HeaderName::Timestamp).next()
        {
            b.fields.push_raw("Timestamp", ts);
        }
        if self.index.checked.get() >= Checked::STRUCTURE && b.fields.error.is_none() {
            b.trusted = b.fields.lines.len();
        }
        b.auto_tag = status != StatusCode::TRYING;
        Ok(b)
    }

    /// Builds the CANCEL for this INVITE (RFC 3261 §9.1): same Request-URI,
    /// Call-ID, From, To and CSeq number, a single Via equal to the top Via,
    /// the Route fields, and Max-Forwards 70.
    ///
    /// # Errors
    /// [`BuildError::Unsuitable`] unless this is an INVITE request, or
    /// [`BuildError::MissingHeader`].
    pub fn cancel(&self) -> Result<RequestBuilder, BuildError> {
        if self.method() != Some(Method::Invite) {
            return Err(BuildError::Unsuitable("only an INVITE can be cancelled"));
        }
        self.derived(Method::Cancel, None)
    }

    /// Builds the ACK that the INVITE client transaction sends for a non-2xx
    /// final `response` to this INVITE (RFC 3261 §17.1.1.3): Request-URI,
    /// Call-ID, From, CSeq number and Route from the INVITE, To from the
    /// response (with its tag), a single Via equal to the INVITE's top Via,
    /// and Max-Forwards 70.
    ///
    /// # Errors
    /// [`BuildError::Unsuitable`] unless this is an INVITE and `response` a
    /// final non-2xx response, or [`BuildError::MissingHeader`].
    pub fn ack(&self, response: &MessageRef<'_>) -> Result<RequestBuilder, BuildError> {
        if self.method() != Some(Method::Invite) {
            return Err(BuildError::Unsuitable("only an INVITE is acknowledged"));
        }
        match response.status() {
            Some(s) if s.is_final() && !s.is_success() => {}
            _ => {
                return Err(BuildError::Unsuitable(
                    "the transaction acknowledges non-2xx final responses only",
                ));
            }
        }
        let to = required(response, HeaderName::To)?;
        self.derived(Method::Ack, Some(to))
    }

    /// This request again, as a new transaction (RFC 3261 §8.1.3.5): the
    /// same request with a new branch in the top Via and the CSeq number one
    /// higher, everything else as it was. Sent after a 401 or 407 with
    /// credentials (§22.2, what
    /// [`DigestClient::retry`](crate::auth::digest::DigestClient::retry)
    /// does), after a 423 with a longer expiry, after a 491 later. Make the
    /// change on the returned [`Editor`] and finish it.
    ///
    /// ```
    /// use imsip::MessageRef;
    /// use imsip::random::OsRandom;
    ///
    /// let register = MessageRef::parse(b"REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\nCSeq: 7 REGISTER\r\nExpires: 60\r\nContent-Length: 0\r\n\r\n")?;
    /// let mut again = register.reissue(&mut OsRandom::new())?;
    /// again.replace("Expires", "3600");
    /// let again = again.finish()?;
    /// let m = again.as_ref();
    /// assert_eq!(m.cseq()?.seq, 8);
    /// assert_ne!(m.via()?.branch(), register.via()?.branch());
    /// assert_eq!(m.call_id()?, register.call_id()?);
    /// assert!(m.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BuildError::Unsuitable`] for a response, an ACK or a CANCEL (they
    /// are not sent again this way, §22.1), or a CSeq at 2³¹ − 1;
    /// [`BuildError::MissingHeader`] without a CSeq or Via that parses.
    pub fn reissue(&self, rng: &mut impl Random) -> Result<Editor<'a>, BuildError> {
        let method = self
            .method()
            .ok_or(BuildError::Unsuitable("a response is not sent again"))?;
        if matches!(method, Method::Ack | Method::Cancel) {
            return Err(BuildError::Unsuitable(
                "ACK and CANCEL are not sent again as new transactions",
            ));
        }
        let cseq = self
            .cseq()
            .map_err(|_| BuildError::MissingHeader(HeaderName::CSeq))?;
        // RFC 3261 §8.1.1.5: the number stays below 2**31.
        let seq = cseq
            .seq
            .checked_add(1)
            .filter(|s| *s < 1 << 31)
            .ok_or(BuildError::Unsuitable("the CSeq number is at its maximum"))?;
        let via = self
            .via()
            .map_err(|_| BuildError::MissingHeader(HeaderName::Via))?
            .with_branch(rng);
        let mut edit = Editor::new(self.clone());
        edit.set_top_via(&via);
        edit.replace("CSeq", &format!("{seq} {method}"));
        Ok(edit)
    }

    /// CANCEL and ACK: the same Request-URI, Call-ID, From, To (or `to`),
    /// CSeq number with `method`, top Via and Routes.
    fn derived(&self, method: Method<'_>, to: Option<&str>) -> Result<RequestBuilder, BuildError> {
        let cseq = self
            .cseq()
            .map_err(|_| BuildError::MissingHeader(HeaderName::CSeq))?;
        let uri = self.request_uri_str().unwrap_or_default();
        let mut b = RequestBuilder {
            fields: Fields::request_line(method.as_str(), |buf| {
                buf.extend_from_slice(uri.as_bytes())
            }),
            body: Bytes::new(),
        }
        .raw_header("Via", top_via(self)?)
        .raw_header("Max-Forwards", "70")
        .raw_header("From", required(self, HeaderName::From)?)
        .raw_header(
            "To",
            match to {
                Some(t) => t,
                None => required(self, HeaderName::To)?,
            },
        )
        .raw_header("Call-ID", required(self, HeaderName::CallId)?)
        .raw_header("CSeq", &format!("{} {}", cseq.seq, method));
        for route in values(self, HeaderName::Route) {
            b = b.raw_header("Route", route);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{CSeq, ContentType, NameAddr, To};

    const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;received=192.0.2.1\r\n\
Via: SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1, SIP/2.0/UDP p1.example.com;branch=z9hG4bKx\r\n\
Max-Forwards: 70\r\n\
Route: <sip:p2.example.com;lr>\r\n\
Route: <sip:p3.example.com;lr>\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\n\
CSeq: 314159 INVITE\r\n\
Timestamp: 54\r\n\
Contact: <sip:alice@pc33.atlanta.example.com>\r\n\
Content-Length: 0\r\n\r\n";

    #[test]
    fn response_copies_what_8_2_6_says() {
        let req = MessageRef::parse(INVITE).unwrap();
        let trying = req.response(StatusCode::TRYING).unwrap().build().unwrap();
        let t = trying.as_ref();
        assert_eq!(t.status(), Some(StatusCode::TRYING));
        let vias: Vec<&[u8]> = t.values(HeaderName::Via).collect();
        let req_vias: Vec<&[u8]> = req.values(HeaderName::Via).collect();
        assert_eq!(vias, req_vias);
        assert_eq!(t.get("Timestamp").unwrap().value(), b"54");
        assert_eq!(t.to_tag().unwrap(), None);
        let ok = req
            .response(StatusCode::OK)
            .unwrap()
            .to_tag("a6c85cf")
            .build()
            .unwrap();
        let o = ok.as_ref();
        assert_eq!(o.to_tag().unwrap(), Some("a6c85cf"));
        assert!(o.get("Timestamp").is_none());
        assert_eq!(o.from_tag().unwrap(), Some("1928301774"));
        assert_eq!(o.cseq().unwrap(), req.cseq().unwrap());
        assert!(o.validate().is_ok());
        // An existing To tag is kept.
        let again = ok.as_ref();
        let b = ResponseBuilder::new(StatusCode::OK)
            .raw_header("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")
            .raw_header("From", "<sip:a@b>;tag=1")
            .raw_header("To", "<sip:c@d>;tag=keep")
            .raw_header("Call-ID", "x")
            .raw_header("CSeq", "1 INVITE")
            .to_tag("other")
            .build()
            .unwrap();
        assert_eq!(b.as_ref().to_tag().unwrap(), Some("keep"));
        assert!(again.response(StatusCode::OK).is_err());
    }

    #[test]
    fn responses_to_one_request_share_their_tag() {
        // RFC 3261 §8.2.6.2: a To tag on every response but 100 Trying; the
        // 180 and the 486 after it belong to one early dialog.
        let req = MessageRef::parse(INVITE).unwrap();
        let tag_of = |m: &MessageRef<'_>, code: u16| {
            let r = m
                .response(StatusCode::new(code).unwrap())
                .unwrap()
                .build()
                .unwrap();
            r.as_ref().to_tag().unwrap().map(str::to_owned)
        };
        let ringing = tag_of(&req, 180).unwrap();
        assert_eq!(tag_of(&req, 486).as_deref(), Some(ringing.as_str()));
        assert_eq!(tag_of(&req, 100), None);
        assert!(syntax::is_token(ringing.as_bytes()) && ringing.len() == 16);
        // Validated (fields copied as they are) or not: the same tag.
        let checked = Message::parse(Bytes::from_static(INVITE)).unwrap();
        checked.as_ref().validate().unwrap();
        assert_eq!(
            tag_of(&checked.as_ref(), 200).as_deref(),
            Some(ringing.as_str())
        );
        // Another request (a new branch): another tag.
        let text = String::from_utf8(INVITE.to_vec())
            .unwrap()
            .replace("z9hG4bKnashds8", "z9hG4bKnashds9");
        let other = MessageRef::parse(text.as_bytes()).unwrap();
        assert_ne!(tag_of(&other, 180).unwrap(), ringing);
        // A tag given, or one the request had, is kept.
        let given = req
            .response(StatusCode::OK)
            .unwrap()
            .to_tag("mine")
            .build()
            .unwrap();
        assert_eq!(given.as_ref().to_tag().unwrap(), Some("mine"));
        let in_dialog = given.as_ref().to_tag().unwrap();
        assert!(in_dialog.is_some());
    }

    #[test]
    fn to_tag_keeps_the_fields_around_it() {
        let b = ResponseBuilder::new(StatusCode::OK)
            .raw_header("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")
            .raw_header("To", "  <sip:c@d>  ")
            .raw_header("From", "<sip:a@b>;tag=1")
            .to_tag("t1")
            .raw_header("Call-ID", "x")
            .raw_header("CSeq", "1 INVITE")
            .to_tag("t2")
            .build()
            .unwrap();
        let m = b.as_ref();
        assert_eq!(m.get("To").unwrap().value(), b"<sip:c@d>;tag=t1");
        assert_eq!(m.get("From").unwrap().value(), b"<sip:a@b>;tag=1");
        assert_eq!(m.get("Call-ID").unwrap().value(), b"x");
        assert_eq!(m.get("CSeq").unwrap().value(), b"1 INVITE");
        let names: Vec<&str> = m.headers().map(|h| h.name()).collect();
        let expected = ["Via", "To", "From", "Call-ID", "CSeq", "Content-Length"];
        assert_eq!(names, expected);
    }

    #[test]
    fn to_tag_reads_parameters_not_the_uri() {
        let to = |value: &str| {
            let b = ResponseBuilder::new(StatusCode::OK)
                .raw_header("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")
                .raw_header("To", value)
                .raw_header("From", "<sip:a@b>;tag=1")
                .raw_header("Call-ID", "x")
                .raw_header("CSeq", "1 INVITE")
                .to_tag("t9")
                .build()
                .unwrap();
            let v = b.as_ref().get("To").unwrap().value().to_vec();
            assert_eq!(b.as_ref().get("Call-ID").unwrap().value(), b"x");
            String::from_utf8(v).unwrap()
        };
        // A `;tag=` inside the URI is a URI parameter: the tag is added.
        assert_eq!(to("<sip:c@d;tag=u>"), "<sip:c@d;tag=u>;tag=t9");
        assert_eq!(to("<sip:c@d;lr>;x=1"), "<sip:c@d;lr>;x=1;tag=t9");
        // A tag already there is kept.
        assert_eq!(to("<sip:c@d>;tag=old;x=1"), "<sip:c@d>;tag=old;x=1");
        assert_eq!(to("sip:c@d;TAG=old"), "sip:c@d;TAG=old");
    }

    #[test]
    fn a_checked_request_still_gets_its_added_fields_checked() {
        let req = Message::parse(Bytes::from_static(INVITE)).unwrap();
        let plain = req.as_ref().response(StatusCode::OK).unwrap().to_tag("x1");
        // Validating through a view records the result in the message.
        req.as_ref().validate().unwrap();
        assert!(req.index.checked.get() >= Checked::STRUCTURE);
        let trusted = req.as_ref().response(StatusCode::OK).unwrap().to_tag("x1");
        // The same bytes either way, and both marked as checked.
        let (a, b) = (
            plain.clone().build().unwrap(),
            trusted.clone().build().unwrap(),
        );
        assert_eq!(a.bytes(), b.bytes());
        assert!(
            a.index.checked.get() >= Checked::STRUCTURE
                && b.index.checked.get() >= Checked::STRUCTURE
        );
        assert!(b.as_ref().validate().is_ok());
        // Fields the user adds are checked as before.
        for builder in [plain, trusted] {
            let bad_contact = builder.clone().raw_header("Contact", "<sip:a@b").build();
            assert!(
                matches!(bad_contact, Err(BuildError::Invalid(ValidationError::InvalidHeader(ref e))) if e.header() == Some(HeaderName::Contact)),
                "{bad_contact:?}"
            );
            let twice = builder.raw_header("CSeq", "2 INVITE").build();
            assert!(
                matches!(
                    twice,
                    Err(BuildError::Invalid(ValidationError::DuplicateHeader(
                        HeaderName::CSeq
                    )))
                ),
                "{twice:?}"
            );
        }
    }

    mod indexing {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => Just("Via".to_owned()),
                1 => Just("v".to_owned()),
                1 => Just("Contact".to_owned()),
                1 => Just("X-Long".repeat(50)),
                2 => "[A-Za-z0-9!%*_+`'~.-]{1,12}",
                12 => "X-[A-Za-z0-9-]{1,10}",
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[ -~]{0,40}",
                2 => "[a-z]{1,8}(\r\n[ \t][a-z]{1,8}){0,3}",
                2 => "[a-z]{1,4}(, [a-z]{1,4}){0,80}",
                2 => "\\PC{0,20}",
                1 => Just("x".repeat(20_000)),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            /// What the builders index is what the parser would find.
            #[test]
            fn the_builders_index_is_the_parsers(
                fields in proptest::collection::vec((name(), value()), 0..6),
                reason in proptest::option::of("[ -~\t]{0,12}"),
                code in 100u16..700,
                body in proptest::collection::vec(any::<u8>(), 0..40),
                request in any::<bool>(),
            ) {
                let mut base = vec![
                    ("Via", "SIP/2.0/UDP h;branch=z9hG4bK1"),
                    ("From", "<sip:a@b>;tag=1"),
                    ("To", "<sip:c@d>"),
                    ("Call-ID", "x"),
                    ("CSeq", "1 OPTIONS"),
                ];
                if request {
                    base.push(("Max-Forwards", "70"));
                }
                let ct = MediaType::new("application", "x");
                let built = if request {
                    let uri = Uri::parse("sip:b@example.com").unwrap();
                    let mut b = RequestBuilder::new(Method::Options, &uri);
                    for (n, v) in &base {
                        b = b.raw_header(n, v);
                    }
                    for (n, v) in &fields {
                        b = b.raw_header(n, v);
                    }
                    b.body(&ct, body.clone()).build()
                } else {
                    // Without a reason of its own the builder writes the
                    // standard one (empty for codes without one) and knows
                    // the status line without reading it back.
                    let mut b = ResponseBuilder::new(StatusCode::new(code).unwrap());
                    if let Some(reason) = &reason {
                        b = b.reason(reason);
                    }
                    for (n, v) in &base {
                        b = b.raw_header(n, v);
                    }
                    for (n, v) in &fields {
                        b = b.raw_header(n, v);
                    }
                    b.body(&ct, body.clone()).build()
                };
                // The builders check what they wrote; whatever they accept
                // must index as the parser reads it.
                if let Ok(msg) = built {
                    let parsed = Message::parse(msg.bytes().clone()).unwrap();
                    prop_assert_eq!(&parsed.index.headers, &msg.index.headers);
                    prop_assert_eq!(parsed.index.start, msg.index.start);
                    prop_assert_eq!(parsed.index.hot, msg.index.hot);
                    prop_assert_eq!(
                        (parsed.index.head_end, parsed.index.body_start, parsed.index.len),
                        (msg.index.head_end, msg.index.body_start, msg.index.len)
                    );
                    prop_assert_eq!(parsed.index.content_length, msg.index.content_length);
                    prop_assert_eq!(parsed.index.top_via_plain, msg.index.top_via_plain);
                    prop_assert_eq!(&msg.body()[..], &body[..]);
                }
            }
        }
    }

    #[test]
    fn reason_replaced_after_the_fields() {
        // The status line shares the fields' buffer: replacing it after
        // fields were copied and a tag inserted keeps every field in place.
        let req = MessageRef::parse(INVITE).unwrap();
        for validated in [false, true] {
            if validated {
                req.validate().unwrap();
            }
            let r = req
                .response(StatusCode::new(486).unwrap())
                .unwrap()
                .to_tag("t1")
                .reason("Busy Here, Really")
                .raw_header("Retry-After", "30")
                .build()
                .unwrap();
            let text = std::str::from_utf8(r.bytes()).unwrap();
            assert!(
                text.starts_with("SIP/2.0 486 Busy Here, Really\r\nVia: "),
                "{text}"
            );
            let parsed = Message::parse(r.bytes().clone()).unwrap();
            assert_eq!(parsed.index.headers, r.index.headers);
            assert_eq!(parsed.index.start, r.index.start);
            assert_eq!(r.as_ref().to_tag().unwrap(), Some("t1"));
            assert_eq!(r.as_ref().status(), StatusCode::new(486));
        }
    }

    #[test]
    fn cancel_and_ack() {
        let req = MessageRef::parse(INVITE).unwrap();
        let cancel = req.cancel().unwrap().build().unwrap();
        let c = cancel.as_ref();
        assert_eq!(c.method(), Some(Method::Cancel));
        assert_eq!(c.request_uri_str(), req.request_uri_str());
        assert_eq!(c.values(HeaderName::Via).count(), 1);
        assert_eq!(c.via().unwrap(), req.via().unwrap());
        assert_eq!(
            c.cseq().unwrap(),
            CSeq {
                seq: 314159,
                method: Method::Cancel
            }
        );
        assert_eq!(c.get_all_known(HeaderName::Route).count(), 2);
        assert!(c.validate().is_ok());

        let busy = req
            .response(StatusCode::BUSY_HERE)
            .unwrap()
            .to_tag("8321234356")
            .build()
            .unwrap();
        let ack = req.ack(&busy.as_ref()).unwrap().build().unwrap();
        let a = ack.as_ref();
        assert_eq!(a.method(), Some(Method::Ack));
        assert_eq!(a.to_tag().unwrap(), Some("8321234356"));
        assert_eq!(a.cseq().unwrap().seq, 314159);
        assert_eq!(a.values(HeaderName::Via).count(), 1);
        assert!(a.validate().is_ok());

        let ok = req
            .response(StatusCode::OK)
            .unwrap()
            .to_tag("x")
            .build()
            .unwrap();
        assert!(matches!(
            req.ack(&ok.as_ref()),
            Err(BuildError::Unsuitable(_))
        ));
        assert!(matches!(a.cancel(), Err(BuildError::Unsuitable(_))));
    }

    #[test]
    fn builders_refuse_incomplete_or_broken_requests() {
        let uri = Uri::parse("sip:bob@example.com").unwrap();
        let base = || {
            RequestBuilder::new(Method::Options, &uri)
                .raw_header("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")
                .raw_header("From", "<sip:a@b>;tag=1")
                .header(&To::new(NameAddr::new(uri.clone())))
                .raw_header("Call-ID", "x@y")
        };
        assert_eq!(
            base().raw_header("CSeq", "1 OPTIONS").build().unwrap_err(),
            BuildError::MissingHeader(HeaderName::MaxForwards)
        );
        assert_eq!(
            base().raw_header("Max-Forwards", "70").build().unwrap_err(),
            BuildError::MissingHeader(HeaderName::CSeq)
        );
        assert_eq!(
            base()
                .raw_header("Max-Forwards", "70")
                .raw_header("CSeq", "1 INVITE")
                .build()
                .unwrap_err(),
            BuildError::Invalid(ValidationError::CSeqMethodMismatch)
        );
        assert_eq!(
            base()
                .raw_header("X-Evil", "a\r\nVia: injected")
                .build()
                .unwrap_err(),
            BuildError::LineBreak("X-Evil".into())
        );
        assert_eq!(
            base().raw_header("Bad Name", "x").build().unwrap_err(),
            BuildError::InvalidName("Bad Name".into())
        );
        assert_eq!(
            base().raw_header("l", "5").build().unwrap_err(),
            BuildError::ContentLength
        );
        let sdp = ContentType::parse("application/sdp").unwrap().0;
        let msg = base()
            .raw_header("Max-Forwards", "70")
            .raw_header("CSeq", "1 OPTIONS")
            .body(&sdp, &b"v=0\r\n"[..])
            .build()
            .unwrap();
        assert_eq!(msg.as_ref().content_length(), Some(5));
        assert_eq!(&msg.body()[..], b"v=0\r\n");
        assert!(msg.as_ref().validate().is_ok());
    }
}
