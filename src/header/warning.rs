//! The Warning header ([RFC 3261 §20.43](https://www.rfc-editor.org/rfc/rfc3261#section-20.43)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax::{self, DIGIT};
use crate::uri::HostPort;

/// Who added a [`Warning`]: a host (and port), or a pseudonym.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WarnAgent<'a> {
    /// `hostport`. A bare name such as `isi.edu` or `overture` reads as a
    /// host, since it is one.
    HostPort(HostPort<'a>),
    /// A `pseudonym` token that is not a host.
    Pseudonym(Cow<'a, str>),
}

impl WarnAgent<'_> {
    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> WarnAgent<'static> {
        match self {
            WarnAgent::HostPort(h) => WarnAgent::HostPort(h.into_owned()),
            WarnAgent::Pseudonym(p) => WarnAgent::Pseudonym(Cow::Owned(p.into_owned())),
        }
    }

    /// Writes the host and port, or the pseudonym.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        match self {
            WarnAgent::HostPort(h) => h.encode(dst),
            WarnAgent::Pseudonym(p) => dst.extend_from_slice(p.as_bytes()),
        }
    }
}

impl fmt::Display for WarnAgent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// One element of a Warning header: `307 isi.edu "Session parameter 'foo' not understood"`,
/// a three-digit code, the agent that added it and a text for people.
///
/// The code must be exactly three digits (a longer number is
/// [`HeaderErrorKind::OutOfRange`], RFC 4475 §3.1.2.5); the parts are
/// separated by single spaces, as the grammar has `SP`. The text is the
/// quoted string's content (quoted-pairs resolved).
///
/// ```
/// use imsip::header::{TypedHeader, WarnAgent, Warning};
///
/// // RFC 3261 §20.43.
/// let w = Warning::parse("307 isi.edu \"Session parameter 'foo' not understood\"").unwrap();
/// assert_eq!(w.code, 307);
/// assert_eq!(w.agent.to_string(), "isi.edu");
/// assert_eq!(w.text, "Session parameter 'foo' not understood");
/// assert!(Warning::parse("1812 overture \"In Progress\"").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Warning<'a> {
    /// The warn-code, 0 to 999 (RFC 3261 defines 300 to 399).
    pub code: u16,
    /// Who added the warning.
    pub agent: WarnAgent<'a>,
    /// The warning text.
    pub text: Cow<'a, str>,
}

impl<'a> Warning<'a> {
    /// `300 Incompatible network protocol`.
    pub const INCOMPATIBLE_NETWORK_PROTOCOL: u16 = 300;
    /// `301 Incompatible network address formats`.
    pub const INCOMPATIBLE_NETWORK_ADDRESS_FORMATS: u16 = 301;
    /// `302 Incompatible transport protocol`.
    pub const INCOMPATIBLE_TRANSPORT_PROTOCOL: u16 = 302;
    /// `303 Incompatible bandwidth units`.
    pub const INCOMPATIBLE_BANDWIDTH_UNITS: u16 = 303;
    /// `304 Media type not available`.
    pub const MEDIA_TYPE_NOT_AVAILABLE: u16 = 304;
    /// `305 Incompatible media format`.
    pub const INCOMPATIBLE_MEDIA_FORMAT: u16 = 305;
    /// `306 Attribute not understood`.
    pub const ATTRIBUTE_NOT_UNDERSTOOD: u16 = 306;
    /// `307 Session description parameter not understood`.
    pub const SESSION_PARAMETER_NOT_UNDERSTOOD: u16 = 307;
    /// `330 Multicast not available`.
    pub const MULTICAST_NOT_AVAILABLE: u16 = 330;
    /// `331 Unicast not available`.
    pub const UNICAST_NOT_AVAILABLE: u16 = 331;
    /// `370 Insufficient bandwidth`.
    pub const INSUFFICIENT_BANDWIDTH: u16 = 370;
    /// `399 Miscellaneous warning`.
    pub const MISCELLANEOUS: u16 = 399;

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Warning<'static> {
        Warning {
            code: self.code,
            agent: self.agent.into_owned(),
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

impl<'a> TypedHeader<'a> for Warning<'a> {
    const NAME: HeaderName = HeaderName::Warning;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        let digits = c.scan(DIGIT).as_bytes();
        let code = match digits {
            [a, b, d] => [a, b, d]
                .iter()
                .fold(0, |v, x| v * 10 + u16::from(*x - b'0')),
            [_, _, _, ..] => return Err(HeaderError::new(HeaderErrorKind::OutOfRange, start)),
            _ => return Err(HeaderError::new(HeaderErrorKind::Number, start)),
        };
        if !c.eat(b' ') {
            return Err(c.error(HeaderErrorKind::Expected(b' ')));
        }
        let agent = match HostPort::parse_at(c.s, c.pos) {
            Ok((hp, end)) if c.bytes().get(end) == Some(&b' ') => {
                c.pos = end;
                WarnAgent::HostPort(hp)
            }
            _ => WarnAgent::Pseudonym(Cow::Borrowed(c.token()?)),
        };
        if !c.eat(b' ') {
            return Err(c.error(HeaderErrorKind::Expected(b' ')));
        }
        if c.peek() != Some(b'"') {
            return Err(c.error(HeaderErrorKind::QuotedString));
        }
        let open = c.pos;
        let end = syntax::quoted_string_end(c.bytes(), open)
            .map_err(|p| HeaderError::new(HeaderErrorKind::QuotedString, p))?;
        c.pos = end;
        c.finish()?;
        Ok(Warning {
            code,
            agent,
            text: syntax::unquote(&value[open..end]),
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        let code = self.code % 1000;
        syntax::write_u64(dst, u64::from(code / 100));
        syntax::write_u64(dst, u64::from(code / 10 % 10));
        syntax::write_u64(dst, u64::from(code % 10));
        dst.push(b' ');
        self.agent.encode(dst);
        dst.push(b' ');
        syntax::write_quoted(dst, &self.text);
    }
}

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uri::Host;

    #[test]
    fn examples() {
        // RFC 3261 §20.43; RFC 4475 §3.1.2.5 shows the agent `overture`.
        for (text, code, agent, warn_text, canonical) in [
            (
                "307 isi.edu \"Session parameter 'foo' not understood\"",
                307,
                "isi.edu",
                "Session parameter 'foo' not understood",
                "307 isi.edu \"Session parameter 'foo' not understood\"",
            ),
            (
                "301 isi.edu \"Incompatible network address type 'E.164'\"",
                301,
                "isi.edu",
                "Incompatible network address type 'E.164'",
                "301 isi.edu \"Incompatible network address type 'E.164'\"",
            ),
            (
                "399 [2001:db8::1]:5060 \"a \\\"quoted\\\" word\"",
                399,
                "[2001:db8::1]:5060",
                "a \"quoted\" word",
                "399 [2001:db8::1]:5060 \"a \\\"quoted\\\" word\"",
            ),
            (
                "370 192.0.2.1 \"\"",
                370,
                "192.0.2.1",
                "",
                "370 192.0.2.1 \"\"",
            ),
            (
                "399 p_cscf-1 \"x, y\"",
                399,
                "p_cscf-1",
                "x, y",
                "399 p_cscf-1 \"x, y\"",
            ),
        ] {
            let w = Warning::parse(text).unwrap();
            assert_eq!(
                (w.code, w.agent.to_string(), w.text.as_ref()),
                (code, agent.to_owned(), warn_text),
                "{text}"
            );
            assert_eq!(w.to_string(), canonical);
        }
        let w = Warning::parse("307 isi.edu \"x\"").unwrap();
        assert_eq!(
            w.agent,
            WarnAgent::HostPort(HostPort {
                host: Host::Domain("ISI.edu".into()),
                port: None
            })
        );
        assert_eq!(w.code, Warning::SESSION_PARAMETER_NOT_UNDERSTOOD);
        let w = Warning::parse("399 - \"x\"").unwrap();
        assert_eq!(w.agent, WarnAgent::Pseudonym("-".into()));
        let w = Warning::parse("399 1.2.3 \"x\"").unwrap();
        assert_eq!(w.agent, WarnAgent::Pseudonym("1.2.3".into()));
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            // RFC 4475 §3.1.2.5 (scalarlg): a four-digit warn-code.
            ("1812 overture \"In Progress\"", HeaderErrorKind::OutOfRange),
            ("30 isi.edu \"x\"", HeaderErrorKind::Number),
            ("abc isi.edu \"x\"", HeaderErrorKind::Number),
            ("", HeaderErrorKind::Empty),
            ("307  isi.edu \"x\"", HeaderErrorKind::Token),
            ("307 isi.edu  \"x\"", HeaderErrorKind::QuotedString),
            ("307 isi.edu", HeaderErrorKind::Expected(b' ')),
            ("307 isi.edu:x \"x\"", HeaderErrorKind::Expected(b' ')),
            ("307 isi.edu x", HeaderErrorKind::QuotedString),
            ("307 isi.edu \"unclosed", HeaderErrorKind::QuotedString),
            ("307 isi.edu \"x\" y", HeaderErrorKind::Trailing),
            ("307\"x\"", HeaderErrorKind::Expected(b' ')),
        ] {
            assert_eq!(Warning::parse(text).unwrap_err().kind(), kind, "{text:?}");
        }
    }
}
