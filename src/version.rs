//! The protocol version of a start line.

use std::fmt;

/// A `SIP/major.minor` version. Only SIP/2.0 is processed; a parsed message
/// with another version is still readable so that a server can answer it with
/// 505 (Version Not Supported).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    /// The major version.
    pub major: u16,
    /// The minor version.
    pub minor: u16,
}

impl Version {
    /// `SIP/2.0`.
    pub const SIP_2_0: Version = Version { major: 2, minor: 0 };

    /// Parses `"SIP" "/" 1*DIGIT "." 1*DIGIT` (the literal case-insensitively).
    pub(crate) fn parse(b: &[u8]) -> Option<Version> {
        if b == b"SIP/2.0" {
            return Some(Version::SIP_2_0);
        }
        if b.len() < 7 || !crate::syntax::eq_fold(&b[..4], b"SIP/") {
            return None;
        }
        let rest = &b[4..];
        let dot = rest.iter().position(|&c| c == b'.')?;
        let major = crate::syntax::parse_u64(&rest[..dot])?;
        let minor = crate::syntax::parse_u64(&rest[dot + 1..])?;
        Some(Version {
            major: u16::try_from(major).ok()?,
            minor: u16::try_from(minor).ok()?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIP/{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(Version::parse(b"SIP/2.0"), Some(Version::SIP_2_0));
        assert_eq!(Version::parse(b"sip/2.0"), Some(Version::SIP_2_0));
        assert_eq!(
            Version::parse(b"SIP/7.0"),
            Some(Version { major: 7, minor: 0 })
        );
        for bad in [
            &b"SIP/2.0 "[..],
            b"SIP/2",
            b"HTTP/1.1",
            b"SIP/.0",
            b"SIP/2.",
            b"SIP/2.0x",
        ] {
            assert_eq!(Version::parse(bad), None);
        }
    }
}
