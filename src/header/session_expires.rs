//! The Session-Expires header ([RFC 4028 §4](https://www.rfc-editor.org/rfc/rfc4028#section-4)).

use std::fmt;

use super::param_check;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;

/// `Session-Expires: 4000;refresher=uac` (compact form `x`): the session
/// interval of a session timer in seconds, and which side refreshes it.
///
/// Parsing checks that the interval fits in 32 bits and that `refresher`,
/// if present, is `uac` or `uas` (once). It does not apply the 90-second
/// minimum of RFC 4028 §4, which is the receiver's decision (a 422
/// response).
///
/// ```
/// use imsip::header::{Refresher, SessionExpires, TypedHeader};
///
/// let se = SessionExpires::parse("4000;refresher=uac").unwrap();
/// assert_eq!(se.delta_seconds, 4000);
/// assert_eq!(se.refresher(), Some(Refresher::Uac));
/// assert!(SessionExpires::parse("1800;refresher=proxy").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionExpires<'a> {
    /// The session interval in seconds.
    pub delta_seconds: u32,
    /// The parameters (`refresher`, others).
    pub params: Params<'a>,
}

/// Which side of the session refreshes it: the `refresher` parameter.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Refresher {
    /// `uac`: the user agent client of the refreshing transaction.
    Uac,
    /// `uas`: the user agent server.
    Uas,
}

impl Refresher {
    /// `uac` or `uas`, ignoring ASCII case.
    pub fn parse(s: &str) -> Option<Refresher> {
        if s.eq_ignore_ascii_case("uac") {
            Some(Refresher::Uac)
        } else if s.eq_ignore_ascii_case("uas") {
            Some(Refresher::Uas)
        } else {
            None
        }
    }

    /// `"uac"` or `"uas"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refresher::Uac => "uac",
            Refresher::Uas => "uas",
        }
    }
}

impl fmt::Display for Refresher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'a> SessionExpires<'a> {
    /// An interval, with `refresher` when given.
    pub fn new(delta_seconds: u32, refresher: Option<Refresher>) -> Self {
        let mut params = Params::header();
        if let Some(r) = refresher {
            // A token name and value: push cannot refuse them.
            let _ = params.push("refresher", Some(r.as_str()));
        }
        SessionExpires {
            delta_seconds,
            params,
        }
    }

    /// The `refresher` parameter.
    pub fn refresher(&self) -> Option<Refresher> {
        self.params.value("refresher").and_then(Refresher::parse)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> SessionExpires<'static> {
        SessionExpires {
            delta_seconds: self.delta_seconds,
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for SessionExpires<'a> {
    const NAME: HeaderName = HeaderName::SessionExpires;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let delta_seconds = c.number()?;
        let params = param_check::params(&mut c, &["refresher"], |_, v| {
            match v.and_then(Refresher::parse) {
                Some(_) => Ok(()),
                None => Err(HeaderErrorKind::ParamValue),
            }
        })?;
        c.finish()?;
        Ok(SessionExpires {
            delta_seconds,
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        syntax::write_u64(dst, u64::from(self.delta_seconds));
        self.params.encode(dst);
    }
}

impl fmt::Display for SessionExpires<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 4028 §4 (`4000;refresher=uac`) and the usual values.
        for (text, delta, refresher) in [
            ("4000;refresher=uac", 4000, Some(Refresher::Uac)),
            ("1800;refresher=uas", 1800, Some(Refresher::Uas)),
            ("1800", 1800, None),
            ("90", 90, None),
            ("3600 ; refresher = UAS", 3600, Some(Refresher::Uas)),
            ("1800;refresher=uac;x-ext=1", 1800, Some(Refresher::Uac)),
        ] {
            let se = SessionExpires::parse(text).unwrap();
            assert_eq!(
                (se.delta_seconds, se.refresher()),
                (delta, refresher),
                "{text}"
            );
        }
    }

    #[test]
    fn canonical() {
        let se = SessionExpires::parse(" 0001800\r\n ;refresher=uac").unwrap();
        assert_eq!(se.to_string(), "1800;refresher=uac");
        let built = SessionExpires::new(1800, Some(Refresher::Uac));
        assert_eq!(built, se);
        assert_eq!(SessionExpires::new(90, None).to_string(), "90");
        assert_eq!(se.clone().into_owned(), se);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("soon", HeaderErrorKind::Number),
            ("4294967296", HeaderErrorKind::OutOfRange),
            ("1800;refresher", HeaderErrorKind::ParamValue),
            ("1800;refresher=both", HeaderErrorKind::ParamValue),
            ("1800;refresher=\"uac\"", HeaderErrorKind::ParamValue),
            (
                "1800;refresher=uac;refresher=uas",
                HeaderErrorKind::DuplicateParam,
            ),
            ("1800 uac", HeaderErrorKind::Trailing),
            ("1800;", HeaderErrorKind::Param),
        ] {
            assert_eq!(
                SessionExpires::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
