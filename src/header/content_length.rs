//! The Content-Length header ([RFC 3261 §20.14](https://www.rfc-editor.org/rfc/rfc3261#section-20.14)).

use super::{HeaderError, HeaderName, TypedHeader, parse_number};
use crate::syntax;

/// `Content-Length: 349`: the size of the body in octets.
///
/// ```
/// use imsip::header::{ContentLength, TypedHeader};
///
/// assert_eq!(ContentLength::parse("150").unwrap(), ContentLength(150));
/// assert!(ContentLength::parse("-999").is_err()); // RFC 4475 §3.1.2.3
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContentLength(pub u32);

impl TypedHeader<'_> for ContentLength {
    const NAME: HeaderName = HeaderName::ContentLength;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        parse_number(value).map(ContentLength)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.0));
    }
}
