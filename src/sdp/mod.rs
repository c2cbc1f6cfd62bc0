//! SDP (RFC 8866, compatible with RFC 4566): a zero-copy view of a session
//! description, typed lines and attributes, preconditions (RFC 3312), the
//! builder and the minimal-diff editor, and offer/answer (RFC 3264).
//!
//! [`Sdp::parse`] checks the line structure and order of RFC 8866 §5 and
//! indexes the lines without copying (nor allocating, for up to
//! [`INLINE_LINES`] lines and [`INLINE_MEDIA`] media descriptions);
//! values are parsed when asked for. The text stays as received:
//! [`Sdp::as_str`] is the input, octet for octet.
//!
//! ```
//! use imsip::sdp::{Attribute, Direction, Sdp};
//!
//! let offer = Sdp::parse(
//!     "v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n\
//! m=audio 49152 RTP/AVP 116 97\r\nb=AS:41\r\na=rtpmap:116 AMR-WB/16000/1\r\n\
//! a=fmtp:116 mode-change-capability=2;max-red=0\r\na=rtpmap:97 telephone-event/16000\r\n\
//! a=curr:qos local none\r\na=des:qos mandatory local sendrecv\r\na=sendrecv\r\n",
//! )?;
//! let audio = offer.media().next().unwrap();
//! assert_eq!(audio.line()?.port, 49152);
//! assert_eq!(audio.formats().collect::<Vec<_>>(), ["116", "97"]);
//! let Attribute::Rtpmap(amr) = audio.attribute("rtpmap").unwrap().typed()? else {
//!     unreachable!()
//! };
//! assert_eq!((amr.payload, amr.encoding, amr.clock), (116, "AMR-WB", 16000));
//! assert_eq!(audio.direction(), Direction::SendRecv);
//! assert_eq!(audio.connection().unwrap()?.address.to_string(), "2001:db8::1");
//! assert_eq!(offer.to_string(), offer.as_str()); // as received
//! # Ok::<(), imsip::sdp::SdpError>(())
//! ```

mod attr;
mod build;
mod edit;
mod error;
mod lines;
mod offer_answer;
mod precondition;

pub use attr::{Attribute, Direction, Fmtp, Group, Rtcp, Rtpmap};
pub use build::{AttributeLine, MediaDescription, SessionDescription};
pub use edit::{Part, SdpEditor};
pub use error::{SdpError, SdpErrorKind};
pub use lines::{
    Bandwidth, BandwidthType, Connection, ConnectionAddress, MediaLine, Origin, Timing,
};
pub use offer_answer::{
    Capabilities, Codec, OfferAnswerError, StreamConfig, answer, check_answer, hold, offer, resume,
};
pub use precondition::{PreconditionStatus, PreconditionTable, QosDirection, StatusType, Strength};

use std::fmt;

use smallvec::SmallVec;

/// Lines indexed without allocating.
pub const INLINE_LINES: usize = 40;
/// Media descriptions indexed without allocating.
pub const INLINE_MEDIA: usize = 4;

/// Limits on what [`Sdp::parse_with`] accepts: a peer cannot make the parse
/// take unbounded memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SdpLimits {
    /// Lines in all (default 512; at most 65 535).
    pub max_lines: usize,
    /// Media descriptions (default 32).
    pub max_media: usize,
    /// Octets in one line, its end aside (default 4 096).
    pub max_line: usize,
}

impl Default for SdpLimits {
    fn default() -> Self {
        SdpLimits {
            max_lines: 512,
            max_media: 32,
            max_line: 4096,
        }
    }
}

/// One line: its type letter and value, and where it is in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// The type letter (`v`, `o`, `m`, `a`...).
    pub kind: u8,
    /// What follows the `=`, without the line end.
    pub value: &'a str,
    start: u32,
    number: u32,
}

impl<'a> Line<'a> {
    /// The line's 1-based number in the input.
    pub fn number(&self) -> usize {
        self.number as usize
    }

    /// The byte offset of the line in the input.
    pub fn offset(&self) -> usize {
        self.start as usize
    }

    /// An error about this line's value.
    pub(crate) fn error(&self, kind: SdpErrorKind) -> SdpError {
        SdpError::new(kind, self.number(), self.offset() + 2)
    }
}

/// A parsed session description: the input and an index of its lines.
/// See the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Sdp<'a> {
    text: &'a str,
    lines: SmallVec<[Line<'a>; INLINE_LINES]>,
    /// The index in `lines` of each `m=` line.
    media: SmallVec<[u16; INLINE_MEDIA]>,
}

/// Where each type letter may appear (RFC 8866 §5): its rank in the
/// session part, `None` for letters only a media description has.
fn session_rank(kind: u8) -> Option<u8> {
    Some(match kind {
        b'v' => 0,
        b'o' => 1,
        b's' => 2,
        b'i' => 3,
        b'u' => 4,
        b'e' => 5,
        b'p' => 6,
        b'c' => 7,
        b'b' => 8,
        // t and r repeat as a group; z, k and a follow.
        b't' | b'r' => 9,
        b'z' => 10,
        b'k' => 11,
        b'a' => 12,
        _ => return None,
    })
}

/// The rank of a letter in a media description (after `m=`).
fn media_rank(kind: u8) -> Option<u8> {
    Some(match kind {
        b'i' => 1,
        b'c' => 2,
        b'b' => 3,
        b'k' => 4,
        b'a' => 5,
        _ => return None,
    })
}

impl<'a> Sdp<'a> {
    /// Parses `text` with the default [`SdpLimits`].
    ///
    /// # Errors
    /// An [`SdpError`] with the line and offset of the first problem.
    pub fn parse(text: &'a str) -> Result<Sdp<'a>, SdpError> {
        Sdp::parse_with(text, &SdpLimits::default())
    }

    /// Parses a body: `body` must be UTF-8.
    ///
    /// # Errors
    /// As [`Sdp::parse`], and [`SdpErrorKind::NotUtf8`].
    pub fn parse_bytes(body: &'a [u8]) -> Result<Sdp<'a>, SdpError> {
        let text = std::str::from_utf8(body).map_err(|e| {
            let line = body[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            SdpError::new(SdpErrorKind::NotUtf8, line, e.valid_up_to())
        })?;
        Sdp::parse(text)
    }

    /// Parses `text` within `limits`: every line `<letter>=<value>` ended
    /// by CRLF (or a bare LF; the last line may lack its end, or be
    /// followed by empty lines), the letters
    /// RFC 8866 knows in the order of its §5 (`t`/`r` groups repeat, `c`
    /// and `b` repeat in a media description), `v=0` first, one `o=` and
    /// one `s=`, at least one `t=`.
    ///
    /// # Errors
    /// An [`SdpError`] with the line and offset of the first problem.
    pub fn parse_with(text: &'a str, limits: &SdpLimits) -> Result<Sdp<'a>, SdpError> {
        if text.is_empty() {
            return Err(SdpError::new(SdpErrorKind::Empty, 0, 0));
        }
        let bytes = text.as_bytes();
        // The index keeps line numbers in 16 bits.
        let max_lines = limits.max_lines.min(usize::from(u16::MAX));
        let mut lines: SmallVec<[Line<'a>; INLINE_LINES]> = SmallVec::new();
        let mut media: SmallVec<[u16; INLINE_MEDIA]> = SmallVec::new();
        let mut at = 0usize;
        // Rank of the last line in the current part (session or media).
        let mut rank = 0u8;
        let mut seen = [false; 26];
        let mut timing = false;
        while at < bytes.len() {
            // Empty lines at the very end (some stacks add one) end it.
            if bytes[at..].iter().all(|b| matches!(b, b'\r' | b'\n')) && !lines.is_empty() {
                break;
            }
            let number = lines.len() + 1;
            if lines.len() >= max_lines {
                return Err(SdpError::new(SdpErrorKind::TooManyLines, number, at));
            }
            // One scan finds the line end and any NUL or bare CR.
            let (end, next) = match memchr::memchr3(b'\n', b'\r', 0, &bytes[at..]) {
                Some(i) => {
                    let stop = at + i;
                    match bytes[stop] {
                        b'\n' => (stop, stop + 1),
                        b'\r' if bytes.get(stop + 1) == Some(&b'\n') => (stop, stop + 2),
                        _ => {
                            return Err(SdpError::new(SdpErrorKind::BadCharacter, number, stop));
                        }
                    }
                }
                None => (bytes.len(), bytes.len()),
            };
            let raw = &bytes[at..end];
            if raw.len() > limits.max_line {
                return Err(SdpError::new(SdpErrorKind::LineTooLong, number, at));
            }
            if raw.len() < 2 || raw[1] != b'=' {
                return Err(SdpError::new(SdpErrorKind::BadLine, number, at));
            }
            let kind = raw[0];
            if !kind.is_ascii_lowercase() {
                return Err(SdpError::new(SdpErrorKind::BadLine, number, at));
            }
            // Both ends are at ASCII octets: char boundaries.
            let value = &text[at + 2..end];
            let start = u32::try_from(at).unwrap_or(u32::MAX);
            let error = |kind| SdpError::new(kind, number, at);
            if lines.is_empty() {
                if kind != b'v' || value != "0" {
                    return Err(error(SdpErrorKind::BadVersion));
                }
            } else if kind == b'm' {
                if media.len() == limits.max_media {
                    return Err(error(SdpErrorKind::TooManyMedia));
                }
                if media.is_empty() {
                    if !seen[usize::from(b'o' - b'a')] {
                        return Err(error(SdpErrorKind::MissingOrigin));
                    }
                    if !seen[usize::from(b's' - b'a')] {
                        return Err(error(SdpErrorKind::MissingSessionName));
                    }
                    if !timing {
                        return Err(error(SdpErrorKind::MissingTiming));
                    }
                }
                media.push(u16::try_from(lines.len()).unwrap_or(u16::MAX));
                rank = 0;
            } else if media.is_empty() {
                let Some(r) = session_rank(kind) else {
                    return Err(error(SdpErrorKind::UnknownType));
                };
                let again = r == rank && !matches!(kind, b'e' | b'p' | b'b' | b't' | b'r' | b'a');
                // `c` may not repeat at session level; `v`, `o`, `s`, `i`,
                // `u`, `z`, `k` appear once.
                if r < rank {
                    return Err(error(SdpErrorKind::OutOfOrder));
                }
                if again {
                    return Err(error(SdpErrorKind::Duplicate));
                }
                if kind == b'r' && !timing {
                    return Err(error(SdpErrorKind::OutOfOrder));
                }
                timing |= kind == b't';
                seen[usize::from(kind - b'a')] = true;
                rank = r;
            } else {
                let Some(r) = media_rank(kind) else {
                    return Err(error(if session_rank(kind).is_some() {
                        SdpErrorKind::OutOfOrder
                    } else {
                        SdpErrorKind::UnknownType
                    }));
                };
                if r < rank {
                    return Err(error(SdpErrorKind::OutOfOrder));
                }
                if r == rank && matches!(kind, b'i' | b'k') {
                    return Err(error(SdpErrorKind::Duplicate));
                }
                rank = r;
            }
            lines.push(Line {
                kind,
                value,
                start,
                number: u32::try_from(number).unwrap_or(u32::MAX),
            });
            at = next;
        }
        if !seen[usize::from(b'o' - b'a')] {
            return Err(SdpError::new(SdpErrorKind::MissingOrigin, 0, text.len()));
        }
        if !seen[usize::from(b's' - b'a')] {
            return Err(SdpError::new(
                SdpErrorKind::MissingSessionName,
                0,
                text.len(),
            ));
        }
        if !timing {
            return Err(SdpError::new(SdpErrorKind::MissingTiming, 0, text.len()));
        }
        Ok(Sdp { text, lines, media })
    }

    /// The input, as received.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Every line, in order.
    pub fn lines(&self) -> &[Line<'a>] {
        &self.lines
    }

    /// The lines of the session part (before the first `m=`).
    pub fn session_lines(&self) -> &[Line<'a>] {
        &self.lines[self.range(None)]
    }

    /// The line indexes of the session part (`None`) or of media
    /// description `i` (empty past the last).
    pub(crate) fn range(&self, media: Option<usize>) -> std::ops::Range<usize> {
        let start = |i: usize| {
            self.media
                .get(i)
                .map_or(self.lines.len(), |&m| usize::from(m))
        };
        match media {
            None => 0..start(0),
            Some(i) => start(i)..start(i + 1),
        }
    }

    fn session_line(&self, kind: u8) -> Option<&Line<'a>> {
        self.session_lines().iter().find(|l| l.kind == kind)
    }

    /// The `o=` line.
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] when it does not follow its grammar.
    pub fn origin(&self) -> Result<Origin<'a>, SdpError> {
        let line =
            self.session_line(b'o')
                .ok_or(SdpError::new(SdpErrorKind::MissingOrigin, 0, 0))?;
        Origin::parse(line.value).ok_or_else(|| line.error(SdpErrorKind::BadValue))
    }

    /// The session name (`s=`).
    pub fn session_name(&self) -> &'a str {
        self.session_line(b's').map_or("", |l| l.value)
    }

    /// The session-level connection (`c=`), when there is one.
    pub fn connection(&self) -> Option<Result<Connection<'a>, SdpError>> {
        self.session_line(b'c')
            .map(|l| Connection::parse(l.value).ok_or_else(|| l.error(SdpErrorKind::BadValue)))
    }

    /// The session-level bandwidths (`b=`).
    pub fn bandwidths(&self) -> impl Iterator<Item = Result<Bandwidth<'a>, SdpError>> + '_ {
        bandwidths(self.session_lines())
    }

    /// The timings (`t=`).
    pub fn timings(&self) -> impl Iterator<Item = Result<Timing, SdpError>> + '_ {
        self.session_lines()
            .iter()
            .filter(|l| l.kind == b't')
            .map(|l| Timing::parse(l.value).ok_or_else(|| l.error(SdpErrorKind::BadValue)))
    }

    /// The session-level attributes (`a=`), as written.
    pub fn attributes(&self) -> impl Iterator<Item = RawAttribute<'a>> + '_ {
        attributes(self.session_lines())
    }

    /// The first session-level attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<RawAttribute<'a>> {
        self.attributes().find(|a| a.name == name)
    }

    /// The session-level direction attribute, when there is one.
    pub fn session_direction(&self) -> Option<Direction> {
        direction_in(self.session_lines())
    }

    /// The media descriptions, in order.
    pub fn media(&self) -> impl ExactSizeIterator<Item = Media<'a, '_>> + '_ {
        (0..self.media.len()).map(move |i| Media {
            sdp: self,
            index: i,
        })
    }

    /// The `i`-th media description (from 0).
    pub fn media_at(&self, i: usize) -> Option<Media<'a, '_>> {
        (i < self.media.len()).then_some(Media {
            sdp: self,
            index: i,
        })
    }

    /// How many media descriptions there are.
    pub fn media_count(&self) -> usize {
        self.media.len()
    }

    fn media_lines(&self, i: usize) -> &[Line<'a>] {
        &self.lines[self.range(Some(i))]
    }
}

impl fmt::Display for Sdp<'_> {
    /// The input, as received.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// An attribute as written: `a=<name>` or `a=<name>:<value>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawAttribute<'a> {
    /// The name.
    pub name: &'a str,
    /// The value after the `:`, when there is one.
    pub value: Option<&'a str>,
    line: Line<'a>,
}

impl<'a> RawAttribute<'a> {
    /// The line it is on.
    pub fn line(&self) -> &Line<'a> {
        &self.line
    }

    /// The typed attribute ([`Attribute::Other`] for one this crate does
    /// not type).
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] when a typed attribute's value does not
    /// follow its grammar.
    pub fn typed(&self) -> Result<Attribute<'a>, SdpError> {
        Attribute::parse(self.name, self.value)
            .ok_or_else(|| self.line.error(SdpErrorKind::BadValue))
    }
}

fn attributes<'a, 's>(lines: &'s [Line<'a>]) -> impl Iterator<Item = RawAttribute<'a>> + 's {
    lines.iter().filter(|l| l.kind == b'a').map(|l| {
        let (name, value) = split_attribute(l.value);
        RawAttribute {
            name,
            value,
            line: *l,
        }
    })
}

/// The name and value of an attribute line's value (`name:value`, or a
/// name alone).
pub(crate) fn split_attribute(value: &str) -> (&str, Option<&str>) {
    match memchr::memchr(b':', value.as_bytes()) {
        // `:` is ASCII: both sides are `str`s.
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    }
}

fn bandwidths<'a, 's>(
    lines: &'s [Line<'a>],
) -> impl Iterator<Item = Result<Bandwidth<'a>, SdpError>> + 's {
    lines
        .iter()
        .filter(|l| l.kind == b'b')
        .map(|l| Bandwidth::parse(l.value).ok_or_else(|| l.error(SdpErrorKind::BadValue)))
}

fn direction_in(lines: &[Line<'_>]) -> Option<Direction> {
    lines
        .iter()
        .filter(|l| l.kind == b'a')
        .find_map(|l| Direction::from_name(l.value))
}

/// One media description of an [`Sdp`]: its `m=` line and the lines up to
/// the next.
#[derive(Clone, Copy, Debug)]
pub struct Media<'a, 's> {
    sdp: &'s Sdp<'a>,
    index: usize,
}

impl<'a, 's> Media<'a, 's> {
    /// Its position among the media descriptions (from 0).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Its lines, the `m=` line first.
    pub fn lines(&self) -> &'s [Line<'a>] {
        self.sdp.media_lines(self.index)
    }

    /// The `m=` line.
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] when it does not follow its grammar.
    pub fn line(&self) -> Result<MediaLine<'a>, SdpError> {
        let l = &self.lines()[0];
        MediaLine::parse(l.value).ok_or_else(|| l.error(SdpErrorKind::BadValue))
    }

    /// The media type (`audio`, `video`...), as written.
    pub fn kind(&self) -> &'a str {
        self.lines()[0].value.split(' ').next().unwrap_or("")
    }

    /// The formats of the `m=` line (payload types for RTP), as written.
    pub fn formats(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let value = self.lines()[0].value;
        value.split(' ').filter(|s| !s.is_empty()).skip(3)
    }

    /// The connection that applies: its own `c=`, else the session's.
    pub fn connection(&self) -> Option<Result<Connection<'a>, SdpError>> {
        match self.lines().iter().find(|l| l.kind == b'c') {
            Some(l) => {
                Some(Connection::parse(l.value).ok_or_else(|| l.error(SdpErrorKind::BadValue)))
            }
            None => self.sdp.connection(),
        }
    }

    /// Its bandwidths (`b=`).
    pub fn bandwidths(&self) -> impl Iterator<Item = Result<Bandwidth<'a>, SdpError>> + 's {
        bandwidths(self.lines())
    }

    /// Its attributes, as written.
    pub fn attributes(&self) -> impl Iterator<Item = RawAttribute<'a>> + 's {
        attributes(self.lines())
    }

    /// Its first attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<RawAttribute<'a>> {
        self.attributes().find(|a| a.name == name)
    }

    /// The direction that applies (RFC 3264 §5.1): its own attribute, else
    /// the session's, else `sendrecv`.
    pub fn direction(&self) -> Direction {
        direction_in(self.lines())
            .or_else(|| self.sdp.session_direction())
            .unwrap_or(Direction::SendRecv)
    }

    /// The `rtpmap` of payload type `payload`.
    pub fn rtpmap(&self, payload: u8) -> Option<Rtpmap<'a>> {
        self.attributes()
            .filter(|a| a.name == "rtpmap")
            .filter_map(|a| Rtpmap::parse(a.value?))
            .find(|r| r.payload == payload)
    }

    /// The `fmtp` of format `format`.
    pub fn fmtp(&self, format: &str) -> Option<Fmtp<'a>> {
        self.attributes()
            .filter(|a| a.name == "fmtp")
            .filter_map(|a| Fmtp::parse(a.value?))
            .find(|f| f.format == format)
    }

    /// Whether the stream is rejected or disabled: port 0 (RFC 3264 §6).
    pub fn is_rejected(&self) -> bool {
        self.line().is_ok_and(|m| m.port == 0)
    }
}

#[cfg(test)]
mod tests;
