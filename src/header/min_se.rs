//! The Min-SE header ([RFC 4028 §5](https://www.rfc-editor.org/rfc/rfc4028#section-5)).

use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;

/// `Min-SE: 3600`: the smallest session interval, in seconds, that the
/// sender accepts (in requests, and in a 422 response).
///
/// ```
/// use imsip::header::{MinSe, TypedHeader};
///
/// let m = MinSe::parse("3600").unwrap();
/// assert_eq!(m.delta_seconds, 3600);
/// assert!(MinSe::parse("one hour").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinSe<'a> {
    /// The minimum session interval in seconds.
    pub delta_seconds: u32,
    /// Generic parameters (RFC 4028 defines none).
    pub params: Params<'a>,
}

impl<'a> MinSe<'a> {
    /// A minimum without parameters.
    pub fn new(delta_seconds: u32) -> Self {
        MinSe {
            delta_seconds,
            params: Params::header(),
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> MinSe<'static> {
        MinSe {
            delta_seconds: self.delta_seconds,
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for MinSe<'a> {
    const NAME: HeaderName = HeaderName::MinSe;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let delta_seconds = c.number()?;
        let params = c.params()?;
        c.finish()?;
        Ok(MinSe {
            delta_seconds,
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.delta_seconds));
        self.params.encode(dst);
    }
}

impl fmt::Display for MinSe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 4028 §5 (`3600`) and other values of the same shape.
        for (text, delta, params) in [
            ("3600", 3600, ""),
            ("90", 90, ""),
            (" 1800 ", 1800, ""),
            ("600;x-ext=1", 600, ";x-ext=1"),
            ("600 ;\r\n x-ext = \"a b\"", 600, ";x-ext=\"a b\""),
        ] {
            let m = MinSe::parse(text).unwrap();
            assert_eq!(m.delta_seconds, delta, "{text}");
            assert_eq!(m.to_string(), format!("{delta}{params}"), "{text}");
        }
        assert_eq!(MinSe::new(90).to_string(), "90");
        assert_eq!(MinSe::parse("90").unwrap(), MinSe::new(90).into_owned());
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("x", HeaderErrorKind::Number),
            ("-90", HeaderErrorKind::Number),
            ("99999999999", HeaderErrorKind::OutOfRange),
            ("90 s", HeaderErrorKind::Trailing),
            ("90;=1", HeaderErrorKind::Param),
        ] {
            assert_eq!(MinSe::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
