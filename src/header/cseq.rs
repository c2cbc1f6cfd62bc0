//! The CSeq header ([RFC 3261 §20.16](https://www.rfc-editor.org/rfc/rfc3261#section-20.16)).

use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::method::Method;
use crate::syntax;

/// `CSeq: 4711 INVITE`: a sequence number up to 2³²−1 and the
/// request method.
///
/// ```
/// use imsip::header::{CSeq, TypedHeader};
/// use imsip::Method;
///
/// let cseq = CSeq::parse("0009\r\n  INVITE").unwrap();
/// assert_eq!((cseq.seq, cseq.method), (9, Method::Invite));
/// assert!(CSeq::parse("36893488147419103232 REGISTER").is_err()); // RFC 4475 §3.1.2.4
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CSeq<'a> {
    /// The sequence number.
    pub seq: u32,
    /// The method of the request.
    pub method: Method<'a>,
}

impl<'a> TypedHeader<'a> for CSeq<'a> {
    const NAME: HeaderName = HeaderName::CSeq;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        if let Some(cseq) = CSeq::fast_parse(value.as_bytes()) {
            return Ok(cseq);
        }
        parse_general(value)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.seq));
        dst.push(b' ');
        dst.extend_from_slice(self.method.as_str().as_bytes());
    }
}

/// `CSeq = 1*DIGIT LWS Method` as the grammar reads it, white space and
/// all (RFC 3261 §20.16).
fn parse_general(value: &str) -> Result<CSeq<'_>, HeaderError> {
    let mut c = Cursor::new(value);
    let seq = c.number()?;
    let before = c.pos;
    c.skip_lws();
    if c.pos == before {
        return Err(c.error(HeaderErrorKind::Expected(b' ')));
    }
    let start = c.pos;
    let token = c
        .token()
        .map_err(|e| HeaderError::new(HeaderErrorKind::Method, e.offset()))?;
    let method = Method::parse(token).ok_or(HeaderError::new(HeaderErrorKind::Method, start))?;
    c.finish()?;
    Ok(CSeq { seq, method })
}

impl CSeq<'_> {
    /// Fast path: the usual shape, digits, one space and a known method,
    /// read from octets (no UTF-8 check needed); `None` for anything else,
    /// which [`TypedHeader::parse`] then reads (or rejects).
    #[inline]
    pub(crate) fn fast_parse(b: &[u8]) -> Option<CSeq<'static>> {
        // A short value: a byte loop finds the space sooner than a search.
        let sp = b.iter().position(|&c| c == b' ')?;
        let seq = syntax::parse_u32(&b[..sp]).ok()?;
        let method = Method::known(&b[sp + 1..])?;
        Some(CSeq { seq, method })
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> CSeq<'static> {
        CSeq {
            seq: self.seq,
            method: self.method.into_owned(),
        }
    }
}

impl fmt::Display for CSeq<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.seq, self.method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path is the general reading on every value it takes.
    fn agrees(b: &[u8]) -> bool {
        let Some(fast) = CSeq::fast_parse(b) else {
            return false;
        };
        let text = std::str::from_utf8(b).expect("a fast CSeq is ASCII");
        assert_eq!(parse_general(text), Ok(fast), "{text:?}");
        true
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        let mut taken = 0;
        for base in ["314159 INVITE", "1 OPTIONS", "4294967295 REGISTER", "7 FOO"] {
            for v in crate::syntax::one_octet_edits(base.as_bytes()) {
                taken += usize::from(agrees(&v));
            }
        }
        assert!(taken > 100, "{taken}");
    }

    proptest::proptest! {
        #[test]
        fn fast_implies_general(s in "[0-9 ]{0,12}(INVITE|ACK|BYE|CANCEL|[A-Z]{1,6}| |\\t)*") {
            agrees(s.as_bytes());
        }
    }
}
