//! The RAck header ([RFC 3262 §7.2](https://www.rfc-editor.org/rfc/rfc3262#section-7.2)).

use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::method::Method;
use crate::syntax;

/// `RAck: 776656 1 INVITE`: the PRACK's acknowledgement of a reliable
/// provisional response, by its RSeq (1 to 2³²−1) and the CSeq number and
/// method of the request it answered.
///
/// ```
/// use imsip::header::{RAck, TypedHeader};
/// use imsip::Method;
///
/// let r = RAck::parse("776656 1 INVITE").unwrap();
/// assert_eq!((r.rseq, r.cseq, r.method), (776656, 1, Method::Invite));
/// assert!(RAck::parse("776656 INVITE").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RAck<'a> {
    /// The RSeq of the response acknowledged (`response-num`).
    pub rseq: u32,
    /// The CSeq number of the request the response answered.
    pub cseq: u32,
    /// The method of that request.
    pub method: Method<'a>,
}

impl RAck<'_> {
    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> RAck<'static> {
        RAck {
            rseq: self.rseq,
            cseq: self.cseq,
            method: self.method.into_owned(),
        }
    }
}

/// Requires at least one white space (`LWS`) at the cursor and skips it.
fn lws(c: &mut Cursor<'_>) -> Result<(), HeaderError> {
    let before = c.pos;
    c.skip_lws();
    if c.pos == before {
        return Err(c.error(HeaderErrorKind::Expected(b' ')));
    }
    Ok(())
}

impl<'a> TypedHeader<'a> for RAck<'a> {
    const NAME: HeaderName = HeaderName::RAck;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        let rseq = c.number()?;
        if rseq == 0 {
            return Err(HeaderError::new(HeaderErrorKind::OutOfRange, start));
        }
        lws(&mut c)?;
        let cseq = c.number()?;
        lws(&mut c)?;
        let start = c.pos;
        let token = c
            .token()
            .map_err(|e| HeaderError::new(HeaderErrorKind::Method, e.offset()))?;
        let method =
            Method::parse(token).ok_or(HeaderError::new(HeaderErrorKind::Method, start))?;
        c.finish()?;
        Ok(RAck { rseq, cseq, method })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.rseq));
        dst.push(b' ');
        syntax::write_u64(dst, u64::from(self.cseq));
        dst.push(b' ');
        dst.extend_from_slice(self.method.as_str().as_bytes());
    }
}

impl fmt::Display for RAck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3262 §7.2, and other values of the same shape.
        for (text, rseq, cseq, method) in [
            ("776656 1 INVITE", 776656, 1, Method::Invite),
            ("914 314159 INVITE", 914, 314159, Method::Invite),
            ("1\r\n 0 INVITE", 1, 0, Method::Invite),
            (
                " 5\t\t7   NEWMETHOD ",
                5,
                7,
                Method::Extension("NEWMETHOD".into()),
            ),
        ] {
            let r = RAck::parse(text).unwrap();
            assert_eq!((r.rseq, r.cseq, &r.method), (rseq, cseq, &method), "{text}");
        }
        let r = RAck::parse("0776656 \r\n 01 INVITE").unwrap();
        assert_eq!(r.to_string(), "776656 1 INVITE");
        assert_eq!(r.clone().into_owned(), r);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("0 1 INVITE", HeaderErrorKind::OutOfRange),
            ("4294967296 1 INVITE", HeaderErrorKind::OutOfRange),
            ("1 4294967296 INVITE", HeaderErrorKind::OutOfRange),
            ("776656 INVITE", HeaderErrorKind::Number),
            ("776656 1", HeaderErrorKind::Expected(b' ')),
            ("776656 1INVITE", HeaderErrorKind::Expected(b' ')),
            ("776656 1 INV;ITE", HeaderErrorKind::Trailing),
            ("776656 1 \"INVITE\"", HeaderErrorKind::Method),
            ("776656 1 INVITE x", HeaderErrorKind::Trailing),
            ("x 1 INVITE", HeaderErrorKind::Number),
        ] {
            assert_eq!(RAck::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
