//! The Expires header ([RFC 3261 §20.19](https://www.rfc-editor.org/rfc/rfc3261#section-20.19)).

use super::{HeaderError, HeaderName, TypedHeader, parse_number};
use crate::syntax;

/// `Expires: 3600`: a relative time in seconds (0 to 2³²−1).
///
/// A value beyond 2³²−1 is an error here; RFC 3261 lets a registrar treat a
/// malformed value as 3600 instead, which the caller can do on `Err`.
///
/// ```
/// use imsip::header::{Expires, TypedHeader};
///
/// assert_eq!(Expires::parse("600000").unwrap(), Expires(600000));
/// assert!(Expires::parse("10000000000000000000").is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expires(pub u32);

impl TypedHeader<'_> for Expires {
    const NAME: HeaderName = HeaderName::Expires;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        parse_number(value).map(Expires)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.0));
    }
}
