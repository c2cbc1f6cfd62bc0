//! `multipart/*` bodies ([RFC 2046 §5.1](https://www.rfc-editor.org/rfc/rfc2046#section-5.1),
//! as SIP uses them: [RFC 5621](https://www.rfc-editor.org/rfc/rfc5621)).
//!
//! IMS carries SDP next to other payloads this way (an emergency call's SDP
//! and PIDF-LO location, a MESSAGE with several contents). [`Multipart`]
//! reads the parts of a received body without copying them; parts may be
//! binary. [`MultipartBuilder`] writes a body and the Content-Type that goes
//! with it.
//!
//! ```
//! use imsip::multipart::{Multipart, MultipartBuilder};
//! use imsip::header::MediaType;
//!
//! let sdp = MediaType::new("application", "sdp");
//! let pidf = MediaType::new("application", "pidf+xml");
//! let (content_type, body) = MultipartBuilder::new("boundary1")
//!     .unwrap()
//!     .part(&sdp, &[], b"v=0\r\n")
//!     .part(&pidf, &[("Content-ID", "<target123@atlanta.example.com>")], b"<presence/>")
//!     .finish();
//! assert_eq!(content_type.to_string(), "multipart/mixed;boundary=boundary1");
//!
//! let multipart = Multipart::new(&body, "boundary1").unwrap();
//! let parts: Vec<_> = multipart.parts().collect::<Result<_, _>>().unwrap();
//! assert_eq!(parts.len(), 2);
//! assert_eq!(parts[0].body(), b"v=0\r\n");
//! assert!(parts[1].content_type().unwrap().unwrap().is("application", "pidf+xml"));
//! assert_eq!(parts[1].header("content-id"), Some(&b"<target123@atlanta.example.com>"[..]));
//! ```

use std::borrow::Cow;

use bytes::Bytes;
use memchr::memmem;
use thiserror::Error;

use crate::header::{ContentType, HeaderError, MediaType, TypedHeader};
use crate::message::MessageRef;
use crate::syntax;

/// Why a multipart body could not be read or built.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MultipartError {
    /// The boundary is empty, longer than 70 characters, ends in a space or
    /// holds a character RFC 2046 does not allow (`bchars`).
    #[error("invalid boundary")]
    Boundary,
    /// The message is not multipart, or its Content-Type has no boundary.
    #[error("not a multipart body")]
    NotMultipart,
    /// No delimiter line opens the first part.
    #[error("no opening boundary")]
    NoOpening,
    /// The body ends without the closing delimiter (`--boundary--`).
    #[error("no closing boundary")]
    Unterminated,
    /// A delimiter line is followed by something other than a line break.
    #[error("malformed delimiter line at byte {0}")]
    Delimiter(usize),
    /// A part's header section is malformed.
    #[error("malformed part header at byte {0}")]
    PartHeader(usize),
}

/// `bchars := bcharsnospace / " "`, `bcharsnospace := DIGIT / ALPHA / "'" /
/// "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?"`.
fn valid_boundary(b: &str) -> bool {
    !b.is_empty()
        && b.len() <= 70
        && !b.ends_with(' ')
        && b.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"'()+_,-./:=? ".contains(&c))
}

/// A multipart body, borrowed from the message.
#[derive(Clone, Debug)]
pub struct Multipart<'a> {
    body: &'a [u8],
    boundary: &'a str,
}

impl<'a> Multipart<'a> {
    /// The multipart `body` with `boundary` (the Content-Type's `boundary`
    /// parameter, unquoted).
    ///
    /// # Errors
    /// [`MultipartError::Boundary`] for a boundary RFC 2046 does not allow.
    pub fn new(body: &'a [u8], boundary: &'a str) -> Result<Self, MultipartError> {
        if !valid_boundary(boundary) {
            return Err(MultipartError::Boundary);
        }
        Ok(Multipart { body, boundary })
    }

    /// The body of `msg`, when its Content-Type is `multipart/*` with a
    /// boundary.
    ///
    /// # Errors
    /// [`MultipartError::NotMultipart`] otherwise, or
    /// [`MultipartError::Boundary`].
    pub fn from_message(msg: &MessageRef<'a>) -> Result<Self, MultipartError> {
        let ct = msg
            .header::<ContentType<'a>>()
            .and_then(Result::ok)
            .ok_or(MultipartError::NotMultipart)?;
        if !ct.0.top_level.eq_ignore_ascii_case("multipart") {
            return Err(MultipartError::NotMultipart);
        }
        let boundary =
            ct.0.params
                .borrowed_value("boundary")
                .ok_or(MultipartError::NotMultipart)?;
        let boundary = boundary
            .strip_prefix('"')
            .and_then(|b| b.strip_suffix('"'))
            .unwrap_or(boundary);
        Multipart::new(msg.body(), boundary)
    }

    /// The boundary.
    pub fn boundary(&self) -> &'a str {
        self.boundary
    }

    /// The parts in order. The iteration ends with an error when the body is
    /// malformed (then nothing more is read).
    pub fn parts(&self) -> Parts<'a> {
        Parts {
            body: self.body,
            boundary: self.boundary.as_bytes(),
            pos: None,
            done: false,
        }
    }

    /// The text before the first delimiter (to be ignored, RFC 2046).
    pub fn preamble(&self) -> &'a [u8] {
        match first_delimiter(self.body, self.boundary.as_bytes()) {
            Some(d) => &self.body[..d.saturating_sub(2).min(d)],
            None => self.body,
        }
    }
}

/// Whether a delimiter line `--boundary` starts at `d`: what follows the
/// boundary must be `--`, white space, a CR or the end.
fn delimiter_at(body: &[u8], boundary: &[u8], d: usize) -> bool {
    let after = d + 2 + boundary.len();
    body.get(d..d + 2) == Some(b"--")
        && body.get(d + 2..after) == Some(boundary)
        && matches!(body.get(after), None | Some(b'-' | b' ' | b'\t' | b'\r'))
}

/// The position of the first `--boundary` that starts a line.
fn first_delimiter(body: &[u8], boundary: &[u8]) -> Option<usize> {
    if delimiter_at(body, boundary, 0) {
        return Some(0);
    }
    next_delimiter(body, boundary, 0)
}

/// The position of the next `--boundary` after a CRLF, at or after `from`.
fn next_delimiter(body: &[u8], boundary: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let hit = memmem::find(body.get(at..)?, b"\r\n--")?;
        let d = at + hit + 2;
        if delimiter_at(body, boundary, d) {
            return Some(d);
        }
        at = d;
    }
}

/// Iterator over the parts of a [`Multipart`].
#[derive(Clone, Debug)]
pub struct Parts<'a> {
    body: &'a [u8],
    boundary: &'a [u8],
    /// Position of the delimiter line that opens the next part.
    pos: Option<usize>,
    done: bool,
}

impl<'a> Iterator for Parts<'a> {
    type Item = Result<Part<'a>, MultipartError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let fail = |s: &mut Self, e| {
            s.done = true;
            Some(Err(e))
        };
        let d = match self.pos {
            Some(d) => d,
            None => match first_delimiter(self.body, self.boundary) {
                Some(d) => d,
                None => return fail(self, MultipartError::NoOpening),
            },
        };
        let mut p = d + 2 + self.boundary.len();
        if self.body[p..].starts_with(b"--") {
            if self.pos.is_none() {
                // A body must open with a part, not close at once.
                return fail(self, MultipartError::NoOpening);
            }
            // The close delimiter: what follows is the epilogue.
            self.done = true;
            return None;
        }
        p = syntax::skip_wsp(self.body, p);
        if !self.body[p..].starts_with(b"\r\n") {
            return fail(self, MultipartError::Delimiter(p));
        }
        let start = p + 2;
        let Some(end_delim) = next_delimiter(self.body, self.boundary, start) else {
            return fail(self, MultipartError::Unterminated);
        };
        self.pos = Some(end_delim);
        let part = &self.body[start..end_delim - 2];
        // The part's header section ends at its first empty line; a part
        // that starts with an empty line has no headers.
        let (head, body) = if part.is_empty() {
            (part, part)
        } else if part.starts_with(b"\r\n") {
            (&part[..0], &part[2..])
        } else if let Some(e) = memmem::find(part, b"\r\n\r\n") {
            (&part[..e + 2], &part[e + 4..])
        } else {
            return fail(self, MultipartError::PartHeader(start));
        };
        let part = Part { head, body };
        if let Some(bad) = part.header_lines().find_map(Result::err) {
            return fail(self, MultipartError::PartHeader(start + bad));
        }
        Some(Ok(part))
    }
}

/// One part: its header fields and body, borrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    head: &'a [u8],
    body: &'a [u8],
}

impl<'a> Part<'a> {
    /// The part's body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The part's header fields as `(name, value)`, value trimmed, folds
    /// kept.
    pub fn headers(&self) -> impl Iterator<Item = (&'a str, &'a [u8])> + '_ {
        self.header_lines().filter_map(Result::ok)
    }

    fn header_lines(&self) -> impl Iterator<Item = Result<(&'a str, &'a [u8]), usize>> + 'a {
        let head = self.head;
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= head.len() {
                return None;
            }
            // A field runs to a CRLF not followed by white space.
            let mut end = pos;
            loop {
                let nl = memmem::find(&head[end..], b"\r\n").map_or(head.len(), |i| end + i);
                if matches!(head.get(nl + 2), Some(b' ' | b'\t')) {
                    end = nl + 2;
                } else {
                    end = nl;
                    break;
                }
            }
            let line = &head[pos..end];
            let start = pos;
            pos = end + 2;
            let name_end = syntax::scan(line, 0, syntax::TOKEN);
            let colon = syntax::skip_wsp(line, name_end);
            if name_end == 0 || line.get(colon) != Some(&b':') {
                return Some(Err(start));
            }
            let v = syntax::skip_lws(line, colon + 1);
            let value =
                &line[v.min(line.len())..syntax::trim_lws_end(line, v.min(line.len()), line.len())];
            let name = std::str::from_utf8(&line[..name_end]).unwrap_or_default();
            Some(Ok((name, value)))
        })
    }

    /// The value of the first field named `name` (ASCII case-insensitive;
    /// `c` finds Content-Type).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers()
            .find(|(n, _)| crate::message::same_header_name(n, name))
            .map(|(_, v)| v)
    }

    /// The part's Content-Type; `None` when it has none (RFC 2046 then
    /// means `text/plain`).
    pub fn content_type(&self) -> Option<Result<MediaType<'a>, HeaderError>> {
        let v = self.header("Content-Type")?;
        Some(
            std::str::from_utf8(v)
                .map_err(|_| HeaderError::new(crate::header::HeaderErrorKind::Utf8, 0))
                .and_then(ContentType::parse)
                .map(|c| c.0),
        )
    }
}

/// Writes a multipart body.
#[derive(Clone, Debug)]
#[must_use]
pub struct MultipartBuilder {
    boundary: String,
    subtype: Cow<'static, str>,
    out: Vec<u8>,
}

impl MultipartBuilder {
    /// A `multipart/mixed` body with `boundary`.
    ///
    /// # Errors
    /// [`MultipartError::Boundary`] for a boundary RFC 2046 does not allow.
    pub fn new(boundary: &str) -> Result<Self, MultipartError> {
        if !valid_boundary(boundary) {
            return Err(MultipartError::Boundary);
        }
        Ok(MultipartBuilder {
            boundary: boundary.to_owned(),
            subtype: Cow::Borrowed("mixed"),
            out: Vec::new(),
        })
    }

    /// A builder with a random boundary of 24 letters and digits.
    pub fn with_random_boundary(rng: &mut impl crate::random::Random) -> Self {
        let boundary = crate::random::call_id(rng, None);
        MultipartBuilder {
            boundary,
            subtype: Cow::Borrowed("mixed"),
            out: Vec::new(),
        }
    }

    /// Uses another subtype than `mixed` (`alternative`, `related`, ...).
    pub fn subtype(mut self, subtype: &'static str) -> Self {
        self.subtype = Cow::Borrowed(subtype);
        self
    }

    /// Appends a part with its Content-Type, other header fields and body.
    /// The body must not contain the delimiter line (`--boundary` after a
    /// line break); choose the boundary so.
    pub fn part(
        mut self,
        content_type: &MediaType<'_>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Self {
        if !self.out.is_empty() {
            self.out.extend_from_slice(b"\r\n");
        }
        self.out.extend_from_slice(b"--");
        self.out.extend_from_slice(self.boundary.as_bytes());
        self.out.extend_from_slice(b"\r\nContent-Type: ");
        content_type.encode(&mut self.out);
        self.out.extend_from_slice(b"\r\n");
        for (name, value) in headers {
            self.out.extend_from_slice(name.as_bytes());
            self.out.extend_from_slice(b": ");
            self.out.extend_from_slice(value.as_bytes());
            self.out.extend_from_slice(b"\r\n");
        }
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(body);
        self
    }

    /// The Content-Type for the message (with the boundary) and the body.
    pub fn finish(mut self) -> (MediaType<'static>, Bytes) {
        self.out.extend_from_slice(b"\r\n--");
        self.out.extend_from_slice(self.boundary.as_bytes());
        self.out.extend_from_slice(b"--\r\n");
        let mut ct = MediaType {
            top_level: Cow::Borrowed("multipart"),
            subtype: self.subtype,
            params: crate::params::Params::header(),
        };
        let simple = self.boundary.bytes().all(|b| syntax::is(b, syntax::TOKEN));
        let pushed = if simple {
            ct.params.push("boundary", Some(&self.boundary))
        } else {
            ct.params.push_quoted("boundary", &self.boundary)
        };
        debug_assert!(pushed.is_ok());
        (ct, Bytes::from(self.out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5621_example() {
        // RFC 5621 §3.1 shape: SDP and a second part, preamble and epilogue.
        let body = b"preamble text\r\n--boundary1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=alice 2890844526 2890842807 IN IP4 atlanta.example.com\r\n\r\n--boundary1\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<?xml version=\"1.0\"?>\r\n--boundary1--\r\nepilogue";
        let m = Multipart::new(body, "boundary1").unwrap();
        assert_eq!(m.preamble(), b"preamble text");
        let parts: Vec<Part<'_>> = m.parts().collect::<Result<_, _>>().unwrap();
        assert_eq!(parts.len(), 2);
        assert!(parts[0].body().ends_with(b"atlanta.example.com\r\n"));
        assert_eq!(
            parts[1].header("Content-Disposition"),
            Some(&b"recipient-list"[..])
        );
        assert_eq!(parts[1].body(), b"<?xml version=\"1.0\"?>");
    }

    #[test]
    fn malformed_bodies_fail_without_panicking() {
        let m = Multipart::new(b"--b\r\nContent-Type: a/b\r\n\r\nx", "b").unwrap();
        assert_eq!(m.parts().last(), Some(Err(MultipartError::Unterminated)));
        let m = Multipart::new(b"no boundary here", "b").unwrap();
        assert_eq!(m.parts().next(), Some(Err(MultipartError::NoOpening)));
        let m = Multipart::new(b"--bX\r\n\r\nx\r\n--b--", "b").unwrap();
        assert_eq!(m.parts().next(), Some(Err(MultipartError::NoOpening)));
        let m = Multipart::new(b"--b junk\r\n\r\nx\r\n--b--", "b").unwrap();
        assert!(matches!(
            m.parts().next(),
            Some(Err(MultipartError::Delimiter(_)))
        ));
        assert!(Multipart::new(b"", "").is_err());
        assert!(Multipart::new(b"", "has space at end ").is_err());
        assert!(Multipart::new(b"", &"x".repeat(71)).is_err());
        for cut in 0..60 {
            let body = b"--b\r\nContent-Type: a/b\r\n\r\nxy\r\n--b\r\n\r\nz\r\n--b--";
            let m = Multipart::new(&body[..cut.min(body.len())], "b").unwrap();
            let _ = m.parts().count();
        }
    }

    #[test]
    fn an_empty_part() {
        let m = Multipart::new(b"--b\r\n\r\n--b--", "b").unwrap();
        let p = m.parts().next().unwrap().unwrap();
        assert!(p.body().is_empty() && p.headers().count() == 0);
    }

    #[test]
    fn a_part_without_headers() {
        let m = Multipart::new(b"--b\r\n\r\nplain\r\n--b--", "b").unwrap();
        let p = m.parts().next().unwrap().unwrap();
        assert_eq!(p.headers().count(), 0);
        assert_eq!(p.body(), b"plain");
        assert!(p.content_type().is_none());
    }
}
