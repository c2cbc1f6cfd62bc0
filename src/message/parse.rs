//! The scanner: one pass over a message that records where the start line,
//! each header name and value, and the body are, and nothing else.
//!
//! The result is an [`Index`] of byte offsets. Header names are matched to
//! [`HeaderName`]s on the way (a length-and-first-byte switch), the first
//! occurrence of the headers every layer reads is remembered, and
//! Content-Length is read because framing needs it. Everything else waits until
//! someone asks.

use std::sync::atomic::{AtomicU8, Ordering};

use memchr::memchr;
use smallvec::SmallVec;

use super::config::ParseConfig;
use super::error::{ParseError, ParseErrorKind};
use crate::header::HeaderName;
use crate::syntax::{self, TOKEN};
use crate::version::Version;

/// How many header fields an [`Index`] holds without allocating.
pub(crate) const INLINE_HEADERS: usize = 32;

/// The longest header section (start line and header fields) the index can
/// describe: its offsets are 16 bits, which keeps an [`Entry`] at 8 octets
/// and a parsed message small to move.
pub(crate) const MAX_HEAD: usize = u16::MAX as usize;

/// Where one header field is, relative to the start of the message (which
/// is within the first [`MAX_HEAD`] octets).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name_start: u16,
    pub(crate) name_len: u8,
    /// `HeaderName as u8`, or 0 for a name the crate does not know.
    pub(crate) id: u8,
    /// Value start minus name start.
    pub(crate) value_off: u16,
    pub(crate) value_len: u16,
}

impl Entry {
    const EMPTY: Entry = Entry {
        name_start: 0,
        name_len: 0,
        id: 0,
        value_off: 0,
        value_len: 0,
    };

    #[inline(always)]
    fn new(
        name_start: usize,
        name_len: usize,
        id: u8,
        value_start: usize,
        value_end: usize,
    ) -> Self {
        debug_assert!(value_end <= MAX_HEAD);
        Entry {
            name_start: name_start as u16,
            name_len: name_len as u8,
            id,
            value_off: (value_start - name_start) as u16,
            value_len: (value_end - value_start) as u16,
        }
    }

    #[inline]
    pub(crate) fn name<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        let s = self.name_start as usize;
        &buf[s..s + usize::from(self.name_len)]
    }

    #[inline]
    pub(crate) fn value<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        let s = self.name_start as usize + usize::from(self.value_off);
        &buf[s..s + self.value_len as usize]
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    Request {
        method_len: u32,
        uri_start: u32,
        uri_len: u32,
        version: Version,
    },
    Response {
        version: Version,
        code: u16,
        reason_start: u32,
        reason_len: u32,
    },
}

/// Headers whose first occurrence the index remembers, so that reading them
/// needs no search.
pub(crate) const HOT: [HeaderName; 16] = [
    HeaderName::Via,
    HeaderName::From,
    HeaderName::To,
    HeaderName::CallId,
    HeaderName::CSeq,
    HeaderName::MaxForwards,
    HeaderName::ContentLength,
    HeaderName::ContentType,
    HeaderName::Contact,
    HeaderName::Route,
    HeaderName::RecordRoute,
    HeaderName::Expires,
    HeaderName::Require,
    HeaderName::ProxyRequire,
    HeaderName::Authorization,
    HeaderName::ProxyAuthorization,
];

const fn hot_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < HOT.len() {
        t[HOT[i] as usize] = i as u8 + 1;
        i += 1;
    }
    t
}

/// `HeaderName as u8` to hot slot + 1 (0: not hot).
static HOT_SLOT: [u8; 256] = hot_table();

#[inline]
pub(crate) fn hot_slot(id: u8) -> Option<usize> {
    match HOT_SLOT[usize::from(id)] {
        0 => None,
        s => Some(usize::from(s) - 1),
    }
}

/// Byte offsets of one parsed message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Index {
    pub(crate) start: Start,
    pub(crate) headers: SmallVec<[Entry; INLINE_HEADERS]>,
    /// Position + 1 in `headers` of the first field of each [`HOT`] header.
    pub(crate) hot: [u16; HOT.len()],
    /// Where the empty line that ends the header section starts (the end of
    /// the last header field).
    pub(crate) head_end: u32,
    pub(crate) body_start: u32,
    /// Length of the message: start line, headers and body.
    pub(crate) len: u32,
    pub(crate) content_length: Option<u32>,
    /// Whether the first Via field holds no comma, so that its value is the
    /// top Via value (read without a search for the comma).
    pub(crate) top_via_plain: bool,
    /// Which of the policy-free checks
    /// ([`super::validate::check_common`]) passed on this message: set by
    /// validation (through any view of the message) and by the builders.
    pub(crate) checked: Checked,
}

/// How far the policy-free checks got on a message, a level that views
/// sharing an [`Index`] can raise: the index is otherwise immutable, and the
/// level only ever goes up for the same octets.
#[derive(Debug, Default)]
pub(crate) struct Checked(AtomicU8);

impl Checked {
    /// The structural checks passed ([`super::validate::check_structure`]).
    pub(crate) const STRUCTURE: u8 = 1;
    /// ... and those of a request's start line
    /// ([`super::validate::check_request_line`]).
    pub(crate) const REQUEST_LINE: u8 = 2;

    pub(crate) fn get(&self) -> u8 {
        self.0.load(Ordering::Relaxed)
    }

    /// Raises the level to `level` (never lowers it).
    pub(crate) fn set(&self, level: u8) {
        self.0.fetch_max(level, Ordering::Relaxed);
    }
}

impl Clone for Checked {
    fn clone(&self) -> Self {
        Checked(AtomicU8::new(self.get()))
    }
}

impl PartialEq for Checked {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Checked {}

/// What to do with the body.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A datagram: Content-Length, when present, bounds the body and must fit
    /// (RFC 3261 §18.3); without it the body is the rest of the datagram.
    Datagram,
    /// Only the header section matters; the body is whatever follows and
    /// Content-Length is not checked.
    Head,
}

/// Skips CRLFs before the start line (RFC 3261 §7.5). Returns the offset of the
/// start line.
#[inline]
pub(crate) fn leading_line_breaks(buf: &[u8]) -> usize {
    let mut p = 0;
    while p < buf.len() && (buf[p] == b'\r' || buf[p] == b'\n') {
        p += 1;
    }
    p
}

#[inline]
fn err<T>(kind: ParseErrorKind, at: usize) -> Result<T, ParseError> {
    Err(ParseError::new(kind, at))
}

impl Index {
    /// Records one header field (offsets from the start of the message) and,
    /// for a [`HOT`] header seen for the first time, where it is. Returns
    /// whether the header is a hot one.
    #[inline(always)]
    pub(crate) fn push_field(
        &mut self,
        name_start: usize,
        name_len: usize,
        id: u8,
        value_start: usize,
        value_end: usize,
    ) -> bool {
        let n = self.headers.len();
        self.headers
            .push(Entry::new(name_start, name_len, id, value_start, value_end));
        self.note_hot(id, n)
    }

    /// Remembers field `n` when it is the first of a [`HOT`] header. Returns
    /// whether the header is a hot one.
    #[inline(always)]
    fn note_hot(&mut self, id: u8, n: usize) -> bool {
        let Some(slot) = hot_slot(id) else {
            return false;
        };
        if self.hot[slot] == 0 {
            self.hot[slot] = (n + 1) as u16;
        }
        true
    }

    pub(crate) fn new() -> Index {
        Index {
            start: Start::Response {
                version: Version::SIP_2_0,
                code: 0,
                reason_start: 0,
                reason_len: 0,
            },
            headers: SmallVec::new(),
            hot: [0; HOT.len()],
            head_end: 0,
            body_start: 0,
            len: 0,
            content_length: None,
            top_via_plain: false,
            checked: Checked::default(),
        }
    }
}

/// Parses the message that starts at the beginning of `buf` (leading line
/// breaks already skipped by the caller) into `index`, which must be new.
/// Offsets in the index are relative to `buf`; `base` is added to offsets in
/// errors.
pub(crate) fn parse(
    buf: &[u8],
    base: usize,
    config: &ParseConfig,
    mode: Mode,
    index: &mut Index,
) -> Result<(), ParseError> {
    if buf.len() > config.max_message_size || buf.len() > u32::MAX as usize {
        return err(
            ParseErrorKind::MessageTooLarge,
            base + config.max_message_size,
        );
    }
    if buf.is_empty() {
        return err(ParseErrorKind::Empty, base);
    }
    let at = |p: usize| base + p;

    // Start line.
    let nl = memchr(b'\n', buf).ok_or(ParseError::new(ParseErrorKind::StartLine, at(buf.len())))?;
    let line_end = if nl > 0 && buf[nl - 1] == b'\r' {
        nl - 1
    } else if config.allow_bare_lf {
        nl
    } else {
        return err(ParseErrorKind::BareLineFeed, at(nl));
    };
    let line = &buf[..line_end];
    index.start = if line.len() >= 4 && syntax::eq_fold(&line[..4], b"SIP/") {
        status_line(line).map_err(|(k, p)| ParseError::new(k, at(p)))?
    } else {
        request_line(line).map_err(|(k, p)| ParseError::new(k, at(p)))?
    };

    // Header fields.
    let max_line = config.max_line_length.min(usize::from(u16::MAX));
    let mut via_count = 0usize;
    // The fields go to a local array first, moved into the index at the
    // end: cheaper than a push each (which the compiler does not inline
    // here). The index takes over from the 33rd field on.
    let mut fields = [Entry::EMPTY; INLINE_HEADERS];
    let mut count = 0usize;
    let mut pos = nl + 1;
    let body_start;
    loop {
        match buf.get(pos) {
            None => {
                if config.allow_unterminated_datagram {
                    body_start = pos;
                    break;
                }
                return err(ParseErrorKind::UnterminatedHeaders, at(pos));
            }
            Some(b'\r') => {
                if buf.get(pos + 1) == Some(&b'\n') {
                    body_start = pos + 2;
                    break;
                }
                return err(ParseErrorKind::HeaderName, at(pos));
            }
            Some(b'\n') => {
                if config.allow_bare_lf {
                    body_start = pos + 1;
                    break;
                }
                return err(ParseErrorKind::BareLineFeed, at(pos));
            }
            Some(_) => {}
        }

        let name_start = pos;
        let name_end = syntax::scan(buf, pos, TOKEN);
        let name_len = name_end - name_start;
        if name_len == 0 || name_len > usize::from(u8::MAX) {
            return err(ParseErrorKind::HeaderName, at(name_start));
        }
        let colon = match buf.get(name_end) {
            Some(b':') => name_end,
            _ => syntax::skip_wsp(buf, name_end),
        };
        if buf.get(colon) != Some(&b':') {
            return err(ParseErrorKind::MissingColon, at(colon));
        }

        // The end of the field: the first line break not followed by SP/HT.
        let mut search = colon + 1;
        let (nl, cr) = loop {
            let Some(off) = memchr(b'\n', &buf[search..]) else {
                return err(ParseErrorKind::UnterminatedHeaders, at(name_start));
            };
            let nl = search + off;
            if nl - name_start > max_line {
                return err(ParseErrorKind::LineTooLong, at(name_start));
            }
            if nl > MAX_HEAD {
                return err(ParseErrorKind::HeaderSectionTooLarge, at(name_start));
            }
            let cr = buf[nl - 1] == b'\r';
            if !cr && !config.allow_bare_lf {
                return err(ParseErrorKind::BareLineFeed, at(nl));
            }
            match buf.get(nl + 1) {
                Some(b' ' | b'\t') => search = nl + 1,
                _ => break (nl, cr),
            }
        };
        let raw_end = nl - usize::from(cr);
        // Usually one space after the colon and none before the line break.
        let value_start = match buf.get(colon + 1..colon + 3) {
            Some(&[b' ', c]) if !matches!(c, b' ' | b'\t' | b'\r' | b'\n') => colon + 2,
            _ => syntax::skip_lws(buf, colon + 1),
        }
        .min(raw_end);
        let value_end = match buf.get(raw_end.wrapping_sub(1)) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => syntax::trim_lws_end(buf, value_start, raw_end),
            _ => raw_end,
        }
        .max(value_start);

        if count >= config.max_headers {
            return err(ParseErrorKind::TooManyHeaders, at(name_start));
        }
        let id = HeaderName::from_token(&buf[name_start..name_end]).map_or(0, |n| n as u8);
        let entry = Entry::new(name_start, name_len, id, value_start, value_end);
        match fields.get_mut(count) {
            Some(slot) => *slot = entry,
            None => {
                if index.headers.is_empty() {
                    index.headers.extend_from_slice(&fields);
                }
                index.headers.push(entry);
            }
        }
        count += 1;
        if index.note_hot(id, count - 1) {
            let value = &buf[value_start..value_end];
            if id == HeaderName::ContentLength as u8 {
                let cl = content_length(value).ok_or(ParseError::new(
                    ParseErrorKind::InvalidContentLength,
                    at(value_start),
                ))?;
                match index.content_length {
                    Some(prev) if prev != cl => {
                        return err(ParseErrorKind::ConflictingContentLength, at(name_start));
                    }
                    _ => index.content_length = Some(cl),
                }
            } else if id == HeaderName::Via as u8 {
                let (values, comma) = via_values(value);
                if via_count == 0 {
                    index.top_via_plain = !comma;
                }
                via_count += values;
                if via_count > config.max_via {
                    return err(ParseErrorKind::TooManyVia, at(name_start));
                }
            }
        }
        pos = nl + 1;
    }

    // Body.
    let len = match (mode, index.content_length) {
        (Mode::Datagram, Some(cl)) => {
            let end = body_start as u64 + u64::from(cl);
            if end > buf.len() as u64 {
                if end > config.max_message_size as u64 {
                    return err(ParseErrorKind::MessageTooLarge, at(body_start));
                }
                return err(ParseErrorKind::BodyTruncated, at(buf.len()));
            }
            end as usize
        }
        _ => buf.len(),
    };
    if count <= INLINE_HEADERS {
        index.headers = SmallVec::from_buf_and_len(fields, count);
    }
    index.head_end = pos as u32;
    index.body_start = body_start as u32;
    index.len = len as u32;
    Ok(())
}

/// How many Via values a Via field's `value` holds, for the `max_via` limit,
/// and whether it holds a comma.
#[inline(always)]
pub(crate) fn via_values(value: &[u8]) -> (usize, bool) {
    if memchr(b',', value).is_none() {
        (1, false)
    } else {
        (syntax::count_elements(value), true)
    }
}

/// `Content-Length = 1*DIGIT`, at most `u32::MAX`.
#[inline]
pub(crate) fn content_length(value: &[u8]) -> Option<u32> {
    syntax::parse_u32(value).ok()
}

/// `Request-Line = Method SP Request-URI SP SIP-Version`
pub(crate) fn request_line(line: &[u8]) -> Result<Start, (ParseErrorKind, usize)> {
    let method_end = syntax::scan(line, 0, TOKEN);
    if method_end == 0 {
        return Err((ParseErrorKind::Method, 0));
    }
    if line.get(method_end) != Some(&b' ') {
        let kind = if method_end == line.len() || line[method_end] == b'\t' {
            ParseErrorKind::StartLine
        } else {
            ParseErrorKind::Method
        };
        return Err((kind, method_end));
    }
    let uri_start = method_end + 1;
    let uri_end = memchr(b' ', &line[uri_start..])
        .map(|off| uri_start + off)
        .ok_or((ParseErrorKind::StartLine, line.len()))?;
    if uri_end == uri_start {
        return Err((ParseErrorKind::StartLine, uri_start));
    }
    let uri = &line[uri_start..uri_end];
    if !syntax::all_visible(uri)
        && let Some(bad) = uri.iter().position(|&b| b <= b' ' || b >= 0x7f)
    {
        return Err((ParseErrorKind::RequestUri, uri_start + bad));
    }
    let version =
        Version::parse(&line[uri_end + 1..]).ok_or((ParseErrorKind::Version, uri_end + 1))?;
    Ok(Start::Request {
        method_len: method_end as u32,
        uri_start: uri_start as u32,
        uri_len: (uri_end - uri_start) as u32,
        version,
    })
}

/// `Status-Line = SIP-Version SP Status-Code SP Reason-Phrase`. A missing SP
/// before an empty reason phrase is tolerated.
pub(crate) fn status_line(line: &[u8]) -> Result<Start, (ParseErrorKind, usize)> {
    let sp = memchr(b' ', line).ok_or((ParseErrorKind::StartLine, line.len()))?;
    let version = Version::parse(&line[..sp]).ok_or((ParseErrorKind::Version, 0))?;
    let code_start = sp + 1;
    let code_end = syntax::scan(line, code_start, syntax::DIGIT);
    let code = match &line[code_start..code_end] {
        &[a, b, c] => u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'),
        _ => return Err((ParseErrorKind::StatusCode, code_start)),
    };
    if !(100..=699).contains(&code) {
        return Err((ParseErrorKind::StatusCode, code_start));
    }
    let reason_start = match line.get(code_end) {
        None => code_end,
        Some(b' ') => code_end + 1,
        Some(_) => return Err((ParseErrorKind::StatusCode, code_end)),
    };
    if let Some(bad) = line[reason_start..]
        .iter()
        .position(|&b| (b < b' ' && b != b'\t') || b == 0x7f)
    {
        return Err((ParseErrorKind::ReasonPhrase, reason_start + bad));
    }
    Ok(Start::Response {
        version,
        code,
        reason_start: reason_start as u32,
        reason_len: (line.len() - reason_start) as u32,
    })
}

#[cfg(test)]
mod tests {
    use crate::MessageRef;
    use crate::header::HeaderName;

    #[test]
    fn more_fields_than_the_inline_array_keep_their_order_and_first_positions() {
        // 40 fields: the index takes over from the local array at the 33rd,
        // where the first Contact and a second Via are.
        let mut text =
            String::from("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n");
        for i in 1..32 {
            text.push_str(&format!("X-{i}: {i}\r\n"));
        }
        text.push_str("Contact: <sip:c@d>\r\nVia: SIP/2.0/UDP i;branch=z9hG4bK2\r\n");
        for i in 34..40 {
            text.push_str(&format!("X-{i}: {i}\r\n"));
        }
        text.push_str("\r\n");
        let m = MessageRef::parse(text.as_bytes()).unwrap();
        assert_eq!(m.headers().count(), 40);
        for (i, h) in m.headers().enumerate() {
            match i {
                0 | 33 => assert_eq!(h.known(), Some(HeaderName::Via)),
                32 => assert_eq!(h.value(), b"<sip:c@d>"),
                _ => assert_eq!(h.value(), i.to_string().as_bytes()),
            }
        }
        assert_eq!(
            m.get_known(HeaderName::Contact).unwrap().value(),
            b"<sip:c@d>"
        );
        assert_eq!(m.get_all_known(HeaderName::Via).count(), 2);
        assert_eq!(m.get("X-39").unwrap().value(), b"39");
    }
}
