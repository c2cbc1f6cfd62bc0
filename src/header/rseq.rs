//! The RSeq header ([RFC 3262 §7.1](https://www.rfc-editor.org/rfc/rfc3262#section-7.1)).

use std::fmt;

use super::{HeaderError, HeaderErrorKind, HeaderName, TypedHeader, parse_number};
use crate::syntax;

/// `RSeq: 988789`: the sequence number of a reliable provisional response,
/// from 1 to 2³²−1.
///
/// ```
/// use imsip::header::{RSeq, TypedHeader};
///
/// assert_eq!(RSeq::parse("988789").unwrap(), RSeq(988789));
/// assert!(RSeq::parse("0").is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RSeq(pub u32);

impl TypedHeader<'_> for RSeq {
    const NAME: HeaderName = HeaderName::RSeq;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        match parse_number(value)? {
            0 => Err(HeaderError::new(
                HeaderErrorKind::OutOfRange,
                syntax::skip_lws(value.as_bytes(), 0),
            )),
            n => Ok(RSeq(n)),
        }
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.0));
    }
}

impl fmt::Display for RSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3262 §7.1 and §10 (the example flow).
        for (text, n) in [
            ("988789", 988789),
            ("1", 1),
            (" 813520 ", 813520),
            ("4294967295", u32::MAX),
            ("0001", 1),
        ] {
            assert_eq!(RSeq::parse(text).unwrap(), RSeq(n), "{text}");
        }
        assert_eq!(RSeq(42).to_string(), "42");
        let mut out = Vec::new();
        RSeq::parse("0001").unwrap().encode(&mut out);
        assert_eq!(out, b"1");
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("0", HeaderErrorKind::OutOfRange),
            ("4294967296", HeaderErrorKind::OutOfRange),
            ("-1", HeaderErrorKind::Number),
            ("1 2", HeaderErrorKind::Trailing),
            ("12a", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(RSeq::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
