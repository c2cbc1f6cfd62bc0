//! The Timestamp header ([RFC 3261 §20.38](https://www.rfc-editor.org/rfc/rfc3261#section-20.38)).

use std::fmt;
use std::time::Duration;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax::{self, DIGIT};

/// `Timestamp: 54`: when the UAC sent the request, in seconds on its own
/// clock, echoed by the UAS with the delay (seconds) it added, so that the
/// UAC can estimate the round-trip time (RFC 3261 §8.2.6.1).
///
/// Both are decimals (`1*DIGIT ["." *DIGIT]` and `*DIGIT ["." *DIGIT]`)
/// kept to the nanosecond: further digits are dropped. Seconds beyond
/// 2⁶⁴−1 are [`HeaderErrorKind::OutOfRange`].
///
/// ```
/// use std::time::Duration;
/// use imsip::header::{Timestamp, TypedHeader};
///
/// // RFC 3261 §20.38.
/// assert_eq!(Timestamp::parse("54").unwrap().time, Duration::from_secs(54));
/// let t = Timestamp::parse("54.2 0.5").unwrap();
/// assert_eq!(t.time, Duration::from_millis(54_200));
/// assert_eq!(t.delay, Some(Duration::from_millis(500)));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The time the UAC put in the request.
    pub time: Duration,
    /// The delay the UAS added before responding, if any.
    pub delay: Option<Duration>,
}

/// Parses `*DIGIT ["." *DIGIT]` at the cursor (with at least one digit
/// before the dot when `whole_required`).
fn decimal(c: &mut Cursor<'_>, whole_required: bool) -> Result<Duration, HeaderError> {
    let start = c.pos;
    let whole = c.scan(DIGIT);
    if whole.is_empty() && whole_required {
        return Err(c.error(HeaderErrorKind::Number));
    }
    let secs = if whole.is_empty() {
        0
    } else {
        syntax::parse_u64(whole.as_bytes())
            .ok_or(HeaderError::new(HeaderErrorKind::OutOfRange, start))?
    };
    let mut nanos = 0u32;
    if c.eat(b'.') {
        let frac = c.scan(DIGIT).as_bytes();
        for i in 0..9 {
            nanos = nanos * 10 + frac.get(i).map_or(0, |d| u32::from(d - b'0'));
        }
    }
    Ok(Duration::new(secs, nanos))
}

fn write_decimal(dst: &mut Vec<u8>, d: Duration) {
    syntax::write_u64(dst, d.as_secs());
    let nanos = d.subsec_nanos();
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        dst.push(b'.');
        dst.extend_from_slice(digits.trim_end_matches('0').as_bytes());
    }
}

impl Timestamp {
    /// A timestamp without delay.
    pub fn new(time: Duration) -> Self {
        Timestamp { time, delay: None }
    }
}

impl TypedHeader<'_> for Timestamp {
    const NAME: HeaderName = HeaderName::Timestamp;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let time = decimal(&mut c, true)?;
        let after = c.pos;
        c.skip_lws();
        let delay = if c.pos > after && matches!(c.peek(), Some(b'0'..=b'9' | b'.')) {
            Some(decimal(&mut c, false)?)
        } else {
            None
        };
        c.finish()?;
        Ok(Timestamp { time, delay })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        write_decimal(dst, self.time);
        if let Some(delay) = self.delay {
            dst.push(b' ');
            write_decimal(dst, delay);
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn examples() {
        // RFC 3261 §20.38 and §8.2.6.1; the grammar allows `1.` and `.5`.
        for (text, time, delay, canonical) in [
            ("54", ms(54_000), None, "54"),
            ("54 ", ms(54_000), None, "54"),
            ("54.2 0.5", ms(54_200), Some(ms(500)), "54.2 0.5"),
            ("1. .5", ms(1000), Some(ms(500)), "1 0.5"),
            ("1.000 \r\n 2", ms(1000), Some(ms(2000)), "1 2"),
            (
                "0.1234567899 .",
                Duration::new(0, 123_456_789),
                Some(Duration::ZERO),
                "0.123456789 0",
            ),
            (
                "18446744073709551615",
                Duration::from_secs(u64::MAX),
                None,
                "18446744073709551615",
            ),
        ] {
            let t = Timestamp::parse(text).unwrap();
            assert_eq!((t.time, t.delay), (time, delay), "{text:?}");
            assert_eq!(t.to_string(), canonical);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            (".5", HeaderErrorKind::Number),
            ("abc", HeaderErrorKind::Number),
            ("18446744073709551616", HeaderErrorKind::OutOfRange),
            ("1 18446744073709551616", HeaderErrorKind::OutOfRange),
            ("1.2.3", HeaderErrorKind::Trailing),
            ("1 2 3", HeaderErrorKind::Trailing),
            ("1 x", HeaderErrorKind::Trailing),
            ("1,5", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(Timestamp::parse(text).unwrap_err().kind(), kind, "{text:?}");
        }
    }
}
