//! Why a session description does not parse.

use thiserror::Error;

/// What was wrong with a session description.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SdpErrorKind {
    /// The input is empty.
    Empty,
    /// The input is not UTF-8.
    NotUtf8,
    /// A line is not `<letter>=<value>`.
    BadLine,
    /// A type letter this crate does not know (RFC 8866 §5: such a
    /// description is rejected).
    UnknownType,
    /// A line where the order of RFC 8866 §5 does not allow it.
    OutOfOrder,
    /// The first line is not `v=0`.
    BadVersion,
    /// No `o=` line.
    MissingOrigin,
    /// No `s=` line.
    MissingSessionName,
    /// No `t=` line.
    MissingTiming,
    /// A line that may appear once appears again.
    Duplicate,
    /// A value does not follow its line's grammar.
    BadValue,
    /// A NUL, or a CR not followed by LF, inside a line.
    BadCharacter,
    /// More lines than [`SdpLimits::max_lines`](super::SdpLimits).
    TooManyLines,
    /// More media descriptions than
    /// [`SdpLimits::max_media`](super::SdpLimits).
    TooManyMedia,
    /// A line longer than [`SdpLimits::max_line`](super::SdpLimits).
    LineTooLong,
}

impl SdpErrorKind {
    fn describe(self) -> &'static str {
        match self {
            SdpErrorKind::Empty => "empty session description",
            SdpErrorKind::NotUtf8 => "not UTF-8",
            SdpErrorKind::BadLine => "not a <type>=<value> line",
            SdpErrorKind::UnknownType => "unknown line type",
            SdpErrorKind::OutOfOrder => "line out of order",
            SdpErrorKind::BadVersion => "the first line is not v=0",
            SdpErrorKind::MissingOrigin => "no o= line",
            SdpErrorKind::MissingSessionName => "no s= line",
            SdpErrorKind::MissingTiming => "no t= line",
            SdpErrorKind::Duplicate => "a line that appears once appears again",
            SdpErrorKind::BadValue => "malformed value",
            SdpErrorKind::BadCharacter => "NUL or bare CR in a line",
            SdpErrorKind::TooManyLines => "too many lines",
            SdpErrorKind::TooManyMedia => "too many media descriptions",
            SdpErrorKind::LineTooLong => "line too long",
        }
    }
}

/// A session description that does not parse, or a value that does not
/// follow its grammar: what, on which line (1-based), at which byte offset.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Error)]
#[error("SDP line {line} (offset {offset}): {}", kind.describe())]
pub struct SdpError {
    kind: SdpErrorKind,
    line: u32,
    offset: u32,
}

impl SdpError {
    pub(crate) fn new(kind: SdpErrorKind, line: usize, offset: usize) -> SdpError {
        SdpError {
            kind,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> SdpErrorKind {
        self.kind
    }

    /// The line (1-based; 0 when no line is to blame).
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The byte offset in the input.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }
}
