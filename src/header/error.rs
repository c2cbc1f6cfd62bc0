use std::fmt;

use super::HeaderName;
use crate::uri::{UriError, UriErrorKind};

/// What was wrong with a header value.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeaderErrorKind {
    /// The message has no such header.
    Missing,
    /// The value is empty where the grammar needs something.
    Empty,
    /// The value is not UTF-8.
    Utf8,
    /// A token was expected.
    Token,
    /// A character was expected and something else found.
    Expected(u8),
    /// A quoted string is not closed or holds a character it cannot hold.
    QuotedString,
    /// A display name has characters that need quotes (`Bell, Alexander`).
    DisplayName,
    /// A URI that must be in `<...>` is not, or a `<` is not closed.
    AngleBracket,
    /// A URI outside `<...>` contains `?`, `,` or `;` that RFC 3261 §20.10
    /// only allows inside them.
    AddrSpec,
    /// The URI is malformed.
    Uri(UriErrorKind),
    /// A number was expected.
    Number,
    /// A number is larger than its field allows (CSeq above 2³²−1,
    /// Max-Forwards above 255, ...).
    OutOfRange,
    /// A parameter is malformed.
    Param,
    /// A parameter this crate knows has a value its grammar does not allow.
    ParamValue,
    /// A parameter appears twice where that is not allowed.
    DuplicateParam,
    /// A parameter the header requires is missing.
    MissingParam,
    /// More parameters than the parser accepts in one value.
    TooManyParams,
    /// The sent-protocol of a Via is malformed.
    Protocol,
    /// The host of a Via sent-by is malformed.
    Host,
    /// A port is not a number from 0 to 65535.
    Port,
    /// A method name is not a token.
    Method,
    /// The `*` Contact has parameters or other values with it.
    Wildcard,
    /// Characters are left after the value.
    Trailing,
}

impl fmt::Display for HeaderErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderErrorKind::Missing => f.write_str("header missing"),
            HeaderErrorKind::Empty => f.write_str("empty value"),
            HeaderErrorKind::Utf8 => f.write_str("value is not UTF-8"),
            HeaderErrorKind::Token => f.write_str("token expected"),
            HeaderErrorKind::Expected(c) => write!(f, "'{}' expected", char::from(*c)),
            HeaderErrorKind::QuotedString => f.write_str("malformed quoted string"),
            HeaderErrorKind::DisplayName => f.write_str("display name needs quotes"),
            HeaderErrorKind::AngleBracket => f.write_str("URI must be enclosed in <>"),
            HeaderErrorKind::AddrSpec => f.write_str("URI with ',', ';' or '?' outside <>"),
            HeaderErrorKind::Uri(k) => write!(f, "{k}"),
            HeaderErrorKind::Number => f.write_str("number expected"),
            HeaderErrorKind::OutOfRange => f.write_str("number out of range"),
            HeaderErrorKind::Param => f.write_str("malformed parameter"),
            HeaderErrorKind::ParamValue => f.write_str("invalid parameter value"),
            HeaderErrorKind::DuplicateParam => f.write_str("duplicate parameter"),
            HeaderErrorKind::MissingParam => f.write_str("required parameter missing"),
            HeaderErrorKind::TooManyParams => f.write_str("too many parameters"),
            HeaderErrorKind::Protocol => f.write_str("malformed sent-protocol"),
            HeaderErrorKind::Host => f.write_str("invalid host"),
            HeaderErrorKind::Port => f.write_str("invalid port"),
            HeaderErrorKind::Method => f.write_str("invalid method"),
            HeaderErrorKind::Wildcard => f.write_str("'*' must stand alone"),
            HeaderErrorKind::Trailing => f.write_str("unexpected characters after the value"),
        }
    }
}

/// A header value failed to parse: what was wrong, the byte offset in the
/// value, and which header when known.
///
/// Small and `Copy`, so failing is cheap.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeaderError {
    kind: HeaderErrorKind,
    offset: u32,
    name: Option<HeaderName>,
}

impl HeaderError {
    /// An error of `kind` at byte `offset` of the value.
    pub fn new(kind: HeaderErrorKind, offset: usize) -> Self {
        HeaderError {
            kind,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            name: None,
        }
    }

    /// The error for a header the message lacks.
    pub fn missing(name: HeaderName) -> Self {
        HeaderError::new(HeaderErrorKind::Missing, 0).in_header(name)
    }

    pub(crate) fn from_uri(e: UriError, base: usize) -> Self {
        HeaderError::new(HeaderErrorKind::Uri(e.kind()), base + e.offset())
    }

    /// What was wrong.
    pub fn kind(&self) -> HeaderErrorKind {
        self.kind
    }

    /// The byte offset in the header value where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The header, when known.
    pub fn header(&self) -> Option<HeaderName> {
        self.name
    }

    /// The same error, attributed to header `name`.
    pub fn in_header(mut self, name: HeaderName) -> Self {
        self.name = Some(name);
        self
    }

    pub(crate) fn shifted(mut self, by: usize) -> Self {
        self.offset = self
            .offset
            .saturating_add(u32::try_from(by).unwrap_or(u32::MAX));
        self
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name {
            Some(n) => write!(f, "{n}: {} at byte {}", self.kind, self.offset),
            None => write!(f, "{} at byte {}", self.kind, self.offset),
        }
    }
}

impl std::error::Error for HeaderError {}
