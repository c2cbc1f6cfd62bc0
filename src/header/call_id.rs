//! The Call-ID header ([RFC 3261 §20.8](https://www.rfc-editor.org/rfc/rfc3261#section-20.8)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax::{self, WORD};

/// `Call-ID: a84b4c76e66710@pc33.atlanta.example.com` (`word ["@" word]`).
/// Compared case-sensitively.
///
/// ```
/// use imsip::header::{CallId, TypedHeader};
///
/// let id = CallId::parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com").unwrap();
/// assert_eq!(id.as_str(), "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
/// assert!(CallId::parse("two words").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallId<'a>(Cow<'a, str>);

impl<'a> CallId<'a> {
    /// The Call-ID `id`, if it is `word ["@" word]`.
    pub fn new(id: impl Into<Cow<'a, str>>) -> Option<CallId<'a>> {
        let id = id.into();
        valid(id.as_bytes()).then_some(CallId(id))
    }

    /// A new Call-ID from `rng` ([`crate::random::call_id`]: 24 random
    /// characters, and `@host` when given, RFC 3261 §8.1.1.4).
    ///
    /// ```
    /// use imsip::header::CallId;
    /// use imsip::random::OsRandom;
    ///
    /// let id = CallId::random(&mut OsRandom::new(), Some("pcscf.ims.example.net"));
    /// assert!(id.as_str().ends_with("@pcscf.ims.example.net"));
    /// ```
    pub fn random(rng: &mut impl crate::random::Random, host: Option<&str>) -> CallId<'static> {
        // Letters and digits, then `@` and a host: `word@word` when the
        // host is one.
        let id = crate::random::call_id(
            rng,
            host.filter(|h| !h.is_empty() && syntax::scan(h.as_bytes(), 0, WORD) == h.len()),
        );
        CallId(Cow::Owned(id))
    }

    /// The Call-ID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> CallId<'static> {
        CallId(Cow::Owned(self.0.into_owned()))
    }
}

/// Whether `b` is `word ["@" word]` (RFC 3261 §25.1 `callid`) and nothing
/// else.
fn valid(b: &[u8]) -> bool {
    let end = syntax::scan(b, 0, WORD);
    if end == 0 {
        return false;
    }
    if end == b.len() {
        return true;
    }
    b[end] == b'@' && end + 1 < b.len() && syntax::scan(b, end + 1, WORD) == b.len()
}

impl<'a> TypedHeader<'a> for CallId<'a> {
    const NAME: HeaderName = HeaderName::CallId;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        // The usual value, `word` or `word@word` and nothing else (what
        // `CallId::new` takes), in two scans; the cursor below for the rest
        // (white space around it) and to say what is wrong.
        if valid(value.as_bytes()) {
            return Ok(CallId(Cow::Borrowed(value)));
        }
        let mut c = Cursor::new(value);
        let start = c.pos;
        c.scan(WORD);
        if c.pos == start {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        if c.eat(b'@') {
            let host_start = c.pos;
            c.scan(WORD);
            if c.pos == host_start {
                return Err(c.error(HeaderErrorKind::Token));
            }
        }
        let end = c.pos;
        c.finish()?;
        Ok(CallId(Cow::Borrowed(&value[start..end])))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.0.as_bytes());
    }
}

impl fmt::Display for CallId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torture() {
        let v = "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{";
        assert_eq!(CallId::parse(v).unwrap().as_str(), v);
        assert!(CallId::parse("a@").is_err());
        assert!(CallId::parse("a@b@c").is_err());
        assert!(CallId::new("a b").is_none());
        assert!(CallId::new("x@y").is_some());
    }

    #[test]
    fn the_usual_path_agrees_with_the_cursor() {
        // The general reading, as a reference for the two-scan path.
        fn reference(value: &str) -> Option<&str> {
            let mut c = Cursor::new(value);
            let start = c.pos;
            c.scan(WORD);
            if c.pos == start {
                return None;
            }
            if c.eat(b'@') {
                let host_start = c.pos;
                c.scan(WORD);
                if c.pos == host_start {
                    return None;
                }
            }
            let end = c.pos;
            c.finish().ok()?;
            Some(&value[start..end])
        }
        for base in ["ab@cd", "abc", "a@b "] {
            for v in syntax::one_octet_edits(base.as_bytes()) {
                let Ok(s) = std::str::from_utf8(&v) else {
                    continue;
                };
                let got = CallId::parse(s).ok();
                assert_eq!(got.as_ref().map(CallId::as_str), reference(s), "{s:?}");
            }
        }
    }
}
