//! The Min-Expires header ([RFC 3261 §20.23](https://www.rfc-editor.org/rfc/rfc3261#section-20.23)).

use std::fmt;

use super::{HeaderError, HeaderName, TypedHeader, parse_number};
use crate::syntax;

/// `Min-Expires: 60`: the shortest registration or subscription interval,
/// in seconds, that a registrar or notifier accepts (sent in a 423
/// Interval Too Brief).
///
/// ```
/// use imsip::header::{MinExpires, TypedHeader};
///
/// // RFC 3261 §20.23.
/// assert_eq!(MinExpires::parse("60").unwrap(), MinExpires(60));
/// assert!(MinExpires::parse("-1").is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MinExpires(pub u32);

impl TypedHeader<'_> for MinExpires {
    const NAME: HeaderName = HeaderName::MinExpires;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        parse_number(value).map(MinExpires)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.0));
    }
}

impl fmt::Display for MinExpires {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderErrorKind;

    #[test]
    fn examples() {
        // RFC 3261 §20.23, and §10.3 (a 423 response carries Min-Expires).
        for (text, v) in [("60", 60), (" 600000 ", 600_000), ("4294967295", u32::MAX)] {
            let m = MinExpires::parse(text).unwrap();
            assert_eq!(m, MinExpires(v));
            assert_eq!(m.to_string(), v.to_string());
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("4294967296", HeaderErrorKind::OutOfRange),
            ("sixty", HeaderErrorKind::Number),
            ("60 s", HeaderErrorKind::Trailing),
            ("6 0", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(MinExpires::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
