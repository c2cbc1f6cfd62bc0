//! The MIME-Version header ([RFC 3261 §20.24](https://www.rfc-editor.org/rfc/rfc3261#section-20.24)).

use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax;

/// `MIME-Version: 1.0` (`1*DIGIT "." 1*DIGIT`).
///
/// ```
/// use imsip::header::{MimeVersion, TypedHeader};
///
/// // RFC 3261 §20.24.
/// assert_eq!(MimeVersion::parse("1.0").unwrap(), MimeVersion { major: 1, minor: 0 });
/// assert!(MimeVersion::parse("1").is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MimeVersion {
    /// The number before the dot.
    pub major: u32,
    /// The number after the dot.
    pub minor: u32,
}

impl MimeVersion {
    /// `1.0`, the only version there is.
    pub const V1_0: MimeVersion = MimeVersion { major: 1, minor: 0 };
}

impl TypedHeader<'_> for MimeVersion {
    const NAME: HeaderName = HeaderName::MimeVersion;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let major = c.number()?;
        if !c.eat(b'.') {
            return Err(c.error(HeaderErrorKind::Expected(b'.')));
        }
        let minor = c.number()?;
        c.finish()?;
        Ok(MimeVersion { major, minor })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.major));
        dst.push(b'.');
        syntax::write_u64(dst, u64::from(self.minor));
    }
}

impl fmt::Display for MimeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3261 §20.24 (`MIME-Version: 1.0`).
        for (text, v, canonical) in [
            ("1.0", MimeVersion::V1_0, "1.0"),
            (" 01.00 ", MimeVersion::V1_0, "1.0"),
            (
                "2.13",
                MimeVersion {
                    major: 2,
                    minor: 13,
                },
                "2.13",
            ),
        ] {
            let p = MimeVersion::parse(text).unwrap();
            assert_eq!(p, v, "{text}");
            assert_eq!(p.to_string(), canonical);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("1", HeaderErrorKind::Expected(b'.')),
            ("1.", HeaderErrorKind::Number),
            (".0", HeaderErrorKind::Number),
            ("1 .0", HeaderErrorKind::Expected(b'.')),
            ("1. 0", HeaderErrorKind::Number),
            ("1.0.1", HeaderErrorKind::Trailing),
            ("99999999999.0", HeaderErrorKind::OutOfRange),
            ("1.0 (comment)", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(MimeVersion::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
