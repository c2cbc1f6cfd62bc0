use std::fmt;

/// What was wrong with a message as a whole.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Nothing but line breaks.
    Empty,
    /// The start line is neither a Request-Line nor a Status-Line (extra or
    /// missing spaces included, RFC 4475 §3.1.2.9 and §3.1.2.10).
    StartLine,
    /// The method is not a token.
    Method,
    /// The Request-URI is empty or holds white space, control or non-ASCII
    /// characters.
    RequestUri,
    /// The version is not `SIP/<digits>.<digits>`.
    Version,
    /// The status code is not three digits from 100 to 699.
    StatusCode,
    /// The reason phrase holds a control character.
    ReasonPhrase,
    /// A header line does not start with a token name, or the name is longer
    /// than 255 octets.
    HeaderName,
    /// A header name is not followed by `:`.
    MissingColon,
    /// The header section does not end with an empty line.
    UnterminatedHeaders,
    /// A line ends in LF without CR and the configuration does not allow it.
    BareLineFeed,
    /// Content-Length is not a non-negative number (RFC 4475 §3.1.2.3).
    InvalidContentLength,
    /// Content-Length appears with two different values (RFC 4475 §3.3.9).
    ConflictingContentLength,
    /// The datagram holds fewer body octets than Content-Length says (RFC
    /// 4475 §3.1.2.2).
    BodyTruncated,
    /// The message is larger than the configured limit.
    MessageTooLarge,
    /// More header fields than the configured limit.
    TooManyHeaders,
    /// A header line (with its folds) is longer than the configured limit.
    LineTooLong,
    /// More Via values than the configured limit.
    TooManyVia,
    /// The start line and header fields take more than 65 535 octets
    /// (whatever the configured message size; the body may be larger).
    HeaderSectionTooLarge,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseErrorKind::Empty => "empty message",
            ParseErrorKind::StartLine => "malformed start line",
            ParseErrorKind::Method => "invalid method",
            ParseErrorKind::RequestUri => "invalid Request-URI",
            ParseErrorKind::Version => "invalid SIP version",
            ParseErrorKind::StatusCode => "invalid status code",
            ParseErrorKind::ReasonPhrase => "invalid reason phrase",
            ParseErrorKind::HeaderName => "invalid header name",
            ParseErrorKind::MissingColon => "header name not followed by ':'",
            ParseErrorKind::UnterminatedHeaders => "header section not terminated",
            ParseErrorKind::BareLineFeed => "line ends without CR",
            ParseErrorKind::InvalidContentLength => "invalid Content-Length",
            ParseErrorKind::ConflictingContentLength => "conflicting Content-Length values",
            ParseErrorKind::BodyTruncated => "body shorter than Content-Length",
            ParseErrorKind::MessageTooLarge => "message too large",
            ParseErrorKind::TooManyHeaders => "too many header fields",
            ParseErrorKind::LineTooLong => "header line too long",
            ParseErrorKind::TooManyVia => "too many Via values",
            ParseErrorKind::HeaderSectionTooLarge => "header section over 65 535 octets",
        })
    }
}

/// A message failed to parse: what was wrong and the byte offset in the input.
///
/// Eight bytes and `Copy`: failing costs nothing on the hot path.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: u32,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, offset: usize) -> Self {
        ParseError {
            kind,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The status code a server answers a request with when it can (after
    /// [`crate::MessageRef::parse_head`] recovered the headers a response
    /// needs): 513 for a message or header section over the size limit, 400
    /// otherwise.
    pub fn status_code(&self) -> crate::StatusCode {
        match self.kind {
            ParseErrorKind::MessageTooLarge | ParseErrorKind::HeaderSectionTooLarge => {
                crate::StatusCode::MESSAGE_TOO_LARGE
            }
            _ => crate::StatusCode::BAD_REQUEST,
        }
    }

    /// Whether the error concerns only the body's framing (Content-Length),
    /// so that the header section is intact and [`crate::MessageRef::parse_head`]
    /// can read it to answer.
    pub fn is_framing(&self) -> bool {
        matches!(
            self.kind,
            ParseErrorKind::InvalidContentLength
                | ParseErrorKind::ConflictingContentLength
                | ParseErrorKind::BodyTruncated
        )
    }
}
