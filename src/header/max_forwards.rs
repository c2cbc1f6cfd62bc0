//! The Max-Forwards header ([RFC 3261 §20.22](https://www.rfc-editor.org/rfc/rfc3261#section-20.22)).

use super::{HeaderError, HeaderErrorKind, HeaderName, TypedHeader, parse_number};
use crate::syntax;

/// `Max-Forwards: 70`: how many more hops the request may take (0–255).
///
/// ```
/// use imsip::header::{MaxForwards, TypedHeader};
///
/// assert_eq!(MaxForwards::parse("0068").unwrap(), MaxForwards(68));
/// assert!(MaxForwards::parse("300").is_err()); // RFC 4475 §3.1.2.4
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct MaxForwards(pub u8);

impl TypedHeader<'_> for MaxForwards {
    const NAME: HeaderName = HeaderName::MaxForwards;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        let n = parse_number(value)?;
        u8::try_from(n)
            .map(MaxForwards)
            .map_err(|_| HeaderError::new(HeaderErrorKind::OutOfRange, 0))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.0));
    }
}
