//! Framing messages on stream transports (TCP, TLS, WebSocket-style byte
//! streams): RFC 3261 §18.3 and the CRLF keep-alives of RFC 5626 §3.5.1.

use memchr::memmem;

use super::config::ParseConfig;
use super::error::{ParseError, ParseErrorKind};
use super::parse;
use crate::syntax;

/// Which end of a connection the caller is, for the CRLF keep-alives of
/// RFC 5626 §3.5.1: the client of a flow sends pings (CRLF CRLF), the server
/// answers each with a pong (CRLF).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FlowSide {
    /// The end that opened the connection (a UE, an outbound proxy's client
    /// side): it receives pongs, never pings.
    Client,
    /// The end that accepted the connection: it receives pings, and a lone
    /// CRLF may be the first half of one.
    Server,
}

/// What [`frame`] found at the start of a stream buffer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message of this many octets is at the start of the buffer;
    /// parse `&buf[..len]` and then drop those octets.
    Message {
        /// The message length, header section and body.
        len: usize,
    },
    /// A keep-alive "ping" (CRLF CRLF, RFC 5626 §3.5.1), seen by the server
    /// side: drop the 4 octets and answer with a pong (CRLF).
    Ping,
    /// A CRLF to drop: on the client side the "pong" that answers a ping; on
    /// the server side a line break before a start line, which RFC 3261 §7.5
    /// says to ignore.
    Pong,
    /// Not enough data yet: read more and call again.
    Partial,
}

impl Frame {
    /// How many octets to drop from the front of the buffer (0 for
    /// [`Frame::Partial`]).
    pub fn consumed(&self) -> usize {
        match self {
            Frame::Message { len } => *len,
            Frame::Ping => 4,
            Frame::Pong => 2,
            Frame::Partial => 0,
        }
    }
}

/// Finds the first message, or keep-alive, at the start of a stream buffer.
///
/// The message ends where its header section ends plus Content-Length octets;
/// a message without Content-Length (which RFC 3261 §18.3 forbids on streams)
/// is taken to have no body. Only the header section is scanned; call
/// [`crate::MessageRef::parse`] on the framed octets to parse them.
///
/// On the server side a lone CRLF is [`Frame::Partial`] until the next octets
/// tell a ping (CRLF CRLF) from a line break before a message.
///
/// ```
/// use imsip::{FlowSide, Frame, ParseConfig, frame};
///
/// let config = ParseConfig::default();
/// let stream = b"\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\nhi";
/// assert_eq!(frame(stream, FlowSide::Server, &config), Ok(Frame::Ping));
/// assert_eq!(frame(&stream[..2], FlowSide::Server, &config), Ok(Frame::Partial));
/// assert_eq!(frame(&stream[..2], FlowSide::Client, &config), Ok(Frame::Pong));
/// assert_eq!(frame(&stream[4..20], FlowSide::Server, &config), Ok(Frame::Partial));
/// assert_eq!(frame(&stream[4..], FlowSide::Server, &config), Ok(Frame::Message { len: 48 }));
/// ```
///
/// # Errors
/// A [`ParseError`] when the stream cannot be framed and the connection
/// should be closed: an invalid or conflicting Content-Length (RFC 4475
/// §3.1.2.3, §3.3.9), a stray CR, or a message over
/// [`ParseConfig::max_message_size`] (also when no end of the header section
/// is in sight within that size).
pub fn frame(buf: &[u8], side: FlowSide, config: &ParseConfig) -> Result<Frame, ParseError> {
    match (buf, side) {
        ([], _) => return Ok(Frame::Partial),
        ([b'\r'], _) => return Ok(Frame::Partial),
        ([b'\r', b'\n', ..], FlowSide::Client) => return Ok(Frame::Pong),
        ([b'\r', b'\n', b'\r', b'\n', ..], FlowSide::Server) => return Ok(Frame::Ping),
        ([b'\r', b'\n'] | [b'\r', b'\n', b'\r'], FlowSide::Server) => return Ok(Frame::Partial),
        ([b'\r', b'\n', ..], FlowSide::Server) => return Ok(Frame::Pong),
        ([b'\r', ..], _) => return Err(ParseError::new(ParseErrorKind::StartLine, 0)),
        _ => {}
    }
    let Some(end) = header_end(buf, config) else {
        if buf.len() > config.max_message_size {
            return Err(ParseError::new(
                ParseErrorKind::MessageTooLarge,
                config.max_message_size,
            ));
        }
        return Ok(Frame::Partial);
    };
    let content_length = find_content_length(&buf[..end])?;
    let len = end as u64 + u64::from(content_length.unwrap_or(0));
    if len > config.max_message_size as u64 {
        return Err(ParseError::new(ParseErrorKind::MessageTooLarge, end));
    }
    let len = len as usize;
    if buf.len() < len {
        return Ok(Frame::Partial);
    }
    Ok(Frame::Message { len })
}

/// The offset just after the empty line that ends the header section.
fn header_end(buf: &[u8], config: &ParseConfig) -> Option<usize> {
    let limit = buf.len().min(config.max_message_size.saturating_add(4));
    let hay = &buf[..limit];
    let crlf = memmem::find(hay, b"\r\n\r\n").map(|p| p + 4);
    if !config.allow_bare_lf {
        return crlf;
    }
    let lf = memmem::find(hay, b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Reads Content-Length (or `l`) from a header section, folds included,
/// checking that all its occurrences agree.
fn find_content_length(head: &[u8]) -> Result<Option<u32>, ParseError> {
    let mut found: Option<u32> = None;
    let mut pos = memchr::memchr(b'\n', head).map_or(head.len(), |p| p + 1);
    while pos < head.len() {
        // One header field: up to a line break not followed by SP or HT.
        let mut end = pos;
        loop {
            end = memchr::memchr(b'\n', &head[end..]).map_or(head.len(), |p| end + p);
            match head.get(end + 1) {
                Some(b' ' | b'\t') => end += 1,
                _ => break,
            }
        }
        let field = &head[pos..end];
        let name_end = syntax::scan(field, 0, syntax::TOKEN);
        let colon = syntax::skip_wsp(field, name_end);
        let name = &field[..name_end];
        if field.get(colon) == Some(&b':')
            && (name.eq_ignore_ascii_case(b"content-length") || name.eq_ignore_ascii_case(b"l"))
        {
            let start = syntax::skip_lws(field, colon + 1);
            let value = &field[start..syntax::trim_lws_end(field, start, field.len())];
            let cl = parse::content_length(value)
                .ok_or(ParseError::new(ParseErrorKind::InvalidContentLength, pos))?;
            match found {
                Some(prev) if prev != cl => {
                    return Err(ParseError::new(
                        ParseErrorKind::ConflictingContentLength,
                        pos,
                    ));
                }
                _ => found = Some(cl),
            }
        }
        pos = end + 1;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(b: &[u8]) -> Result<Frame, ParseErrorKind> {
        frame(b, FlowSide::Server, &ParseConfig::default()).map_err(|e| e.kind())
    }

    #[test]
    fn keep_alives() {
        assert_eq!(f(b""), Ok(Frame::Partial));
        assert_eq!(f(b"\r"), Ok(Frame::Partial));
        assert_eq!(f(b"\r\n"), Ok(Frame::Partial));
        let client = |b: &[u8]| frame(b, FlowSide::Client, &ParseConfig::default());
        assert_eq!(client(b"\r\n"), Ok(Frame::Pong));
        assert_eq!(client(b"\r\n\r\n"), Ok(Frame::Pong));
        assert_eq!(client(b"\r"), Ok(Frame::Partial));
        assert_eq!(f(b"\r\n\r"), Ok(Frame::Partial));
        assert_eq!(f(b"\r\n\r\n"), Ok(Frame::Ping));
        assert_eq!(f(b"\r\nINVITE"), Ok(Frame::Pong));
        assert_eq!(f(b"\rX"), Err(ParseErrorKind::StartLine));
    }

    #[test]
    fn content_length_forms() {
        let m = b"SIP/2.0 200 OK\r\nl :  3\r\nContent-LENGTH: 3\r\n\r\nabcSIP/2.0";
        assert_eq!(f(m), Ok(Frame::Message { len: m.len() - 7 }));
        assert_eq!(
            f(b"SIP/2.0 200 OK\r\nContent-Length: -999\r\n\r\n"),
            Err(ParseErrorKind::InvalidContentLength)
        );
        assert_eq!(
            f(b"SIP/2.0 200 OK\r\nContent-Length: 13\r\nContent-Length: 5\r\n\r\n"),
            Err(ParseErrorKind::ConflictingContentLength)
        );
        assert_eq!(
            f(b"SIP/2.0 200 OK\r\nContent-Length: 9999\r\n\r\nv=0"),
            Ok(Frame::Partial)
        );
        assert_eq!(
            f(b"SIP/2.0 200 OK\r\nContent-Length: 99999999\r\n\r\n"),
            Err(ParseErrorKind::MessageTooLarge)
        );
        // A folded value.
        let m = b"SIP/2.0 200 OK\r\nContent-Length:\r\n 2\r\n\r\nab";
        assert_eq!(f(m), Ok(Frame::Message { len: m.len() }));
        // Names that merely start like Content-Length are other headers.
        let m = b"SIP/2.0 200 OK\r\nLength: x\r\nl-extra: y\r\n\r\n";
        assert_eq!(f(m), Ok(Frame::Message { len: m.len() }));
    }

    #[test]
    fn unbounded_header_section_is_refused() {
        let config = ParseConfig {
            max_message_size: 100,
            ..ParseConfig::default()
        };
        let big = vec![b'a'; 200];
        assert_eq!(
            frame(&big, FlowSide::Server, &config).map_err(|e| e.kind()),
            Err(ParseErrorKind::MessageTooLarge)
        );
        assert_eq!(
            frame(&big[..50], FlowSide::Server, &config),
            Ok(Frame::Partial)
        );
    }
}
