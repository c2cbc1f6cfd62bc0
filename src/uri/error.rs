use thiserror::Error;

/// What was wrong with a URI.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UriErrorKind {
    /// The URI is empty.
    Empty,
    /// The scheme is missing or has characters a scheme cannot have.
    Scheme,
    /// The user part has a character outside `user` or a bad escape.
    User,
    /// The password has a character outside `password` or a bad escape.
    Password,
    /// The host is missing or is neither a host name nor an IPv4 address.
    Host,
    /// An IPv6 reference is malformed or not closed with `]`.
    Ipv6,
    /// The port is not a number from 0 to 65535.
    Port,
    /// A URI parameter is malformed, or a known one has a bad value.
    Param,
    /// The `?` header part is malformed.
    Headers,
    /// A `tel` URI is malformed (RFC 3966).
    Tel,
    /// The part after the scheme of another URI has characters a URI cannot
    /// have, or is empty.
    Opaque,
    /// Characters are left after the end of the URI.
    Trailing,
}

impl UriErrorKind {
    fn describe(self) -> &'static str {
        match self {
            UriErrorKind::Empty => "empty URI",
            UriErrorKind::Scheme => "invalid URI scheme",
            UriErrorKind::User => "invalid user part",
            UriErrorKind::Password => "invalid password",
            UriErrorKind::Host => "invalid host",
            UriErrorKind::Ipv6 => "invalid IPv6 reference",
            UriErrorKind::Port => "invalid port",
            UriErrorKind::Param => "invalid URI parameter",
            UriErrorKind::Headers => "invalid URI headers",
            UriErrorKind::Tel => "invalid tel URI",
            UriErrorKind::Opaque => "invalid URI",
            UriErrorKind::Trailing => "unexpected characters after the URI",
        }
    }
}

impl std::fmt::Display for UriErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// A URI failed to parse: what was wrong and the byte offset in the URI text.
///
/// Small and `Copy`, so failing is cheap.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Error)]
#[error("{kind} at byte {offset}")]
pub struct UriError {
    kind: UriErrorKind,
    offset: u32,
}

impl UriError {
    pub(crate) fn new(kind: UriErrorKind, offset: usize) -> Self {
        UriError {
            kind,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> UriErrorKind {
        self.kind
    }

    /// The byte offset in the URI text where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }
}
