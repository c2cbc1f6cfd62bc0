//! The P-Served-User header ([RFC 5502 §6](https://www.rfc-editor.org/rfc/rfc5502#section-6),
//! with `orig-cdiv` and the corrected grammar of
//! [RFC 8498 §6.2](https://www.rfc-editor.org/rfc/rfc8498#section-6.2)).

use std::fmt;

use super::keyword::{self, keyword_enum};
use super::name_addr::{self, NameAddr};
use super::{Cursor, HeaderError, HeaderName, TypedHeader};
use crate::params::Params;
use crate::uri::Uri;

keyword_enum! {
    /// The `sescase` parameter of P-Served-User: which side of the session
    /// the served user is on.
    SessionCase {
        /// `orig`: the served user originates the session.
        Orig => "orig",
        /// `term`: the session terminates at the served user.
        Term => "term",
    }
}

keyword_enum! {
    /// The `regstate` parameter of P-Served-User: whether the served user
    /// is registered.
    RegState {
        /// `unreg`: not registered (services for unregistered users apply).
        Unreg => "unreg",
        /// `reg`: registered.
        Reg => "reg",
    }
}

/// Checks `sescase`, `regstate` (a token each) and `orig-cdiv` (no value).
fn served_user_param_ok(name: &str, value: Option<&str>) -> bool {
    if name.eq_ignore_ascii_case("sescase") || name.eq_ignore_ascii_case("regstate") {
        keyword::is_token_value(value)
    } else if name.eq_ignore_ascii_case("orig-cdiv") {
        keyword::is_flag(value)
    } else {
        true
    }
}

/// `P-Served-User: <sip:user@example.com>; sescase=orig; regstate=reg`:
/// the user an application server is serving (which may differ from the
/// caller or callee), with the session case and registration state, sent by
/// the S-CSCF to the AS.
///
/// `PServedUser-value = name-addr / addr-spec`: as in From and Contact, the
/// `;` parameters after an `addr-spec` are header parameters. Parsing checks
/// that `sescase` and `regstate` are tokens and that `orig-cdiv` has no
/// value.
///
/// ```
/// use imsip::header::{PServedUser, RegState, SessionCase, TypedHeader};
///
/// let p = PServedUser::parse("<sip:user@example.com>; sescase=orig; regstate=reg").unwrap();
/// assert_eq!(p.sescase(), Some(SessionCase::Orig));
/// assert_eq!(p.regstate(), Some(RegState::Reg));
/// assert!(!p.is_orig_cdiv());
/// assert_eq!(p.to_string(), "<sip:user@example.com>;sescase=orig;regstate=reg");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PServedUser<'a> {
    /// Display name and URI of the served user.
    pub name_addr: NameAddr<'a>,
    /// `sescase`, `regstate`, `orig-cdiv` and generic parameters.
    pub params: Params<'a>,
}

impl<'a> PServedUser<'a> {
    /// A served user without parameters.
    pub fn new(name_addr: NameAddr<'a>) -> Self {
        PServedUser {
            name_addr,
            params: Params::header(),
        }
    }

    /// The served user's URI.
    pub fn uri(&self) -> &Uri<'a> {
        &self.name_addr.uri
    }

    /// The `sescase` parameter.
    pub fn sescase(&self) -> Option<SessionCase<'_>> {
        self.params.value("sescase").map(SessionCase::from_token)
    }

    /// The `regstate` parameter.
    pub fn regstate(&self) -> Option<RegState<'_>> {
        self.params.value("regstate").map(RegState::from_token)
    }

    /// Whether the `orig-cdiv` parameter is present: an originating session
    /// after call diversion (RFC 8498).
    pub fn is_orig_cdiv(&self) -> bool {
        self.params.contains("orig-cdiv")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> PServedUser<'static> {
        PServedUser {
            name_addr: self.name_addr.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for PServedUser<'a> {
    const NAME: HeaderName = HeaderName::PServedUser;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let name_addr = name_addr::parse(&mut c, true)?;
        let params = c.params_checked(served_user_param_ok)?;
        c.finish()?;
        Ok(PServedUser { name_addr, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.name_addr.encode(dst);
        self.params.encode(dst);
    }
}

impl fmt::Display for PServedUser<'_> {
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
        for (text, sescase, regstate, cdiv, canonical) in [
            // RFC 5502 §6.
            (
                "<sip:user@example.com>; sescase=orig; regstate=reg",
                Some(SessionCase::Orig),
                Some(RegState::Reg),
                false,
                "<sip:user@example.com>;sescase=orig;regstate=reg",
            ),
            (
                "<sip:user@example.com>;sescase=term;regstate=unreg",
                Some(SessionCase::Term),
                Some(RegState::Unreg),
                false,
                "<sip:user@example.com>;sescase=term;regstate=unreg",
            ),
            // RFC 8498 §6.1.
            (
                "<sip:user@example.com>; orig-cdiv",
                None,
                None,
                true,
                "<sip:user@example.com>;orig-cdiv",
            ),
            // An addr-spec: the parameters belong to the header.
            (
                "sip:user@example.com;sescase=ORIG",
                Some(SessionCase::Orig),
                None,
                false,
                "<sip:user@example.com>;sescase=ORIG",
            ),
            (
                "\"User\" <tel:+1-212-555-1111>;regstate=x-new",
                None,
                Some(RegState::Other("x-new".into())),
                false,
                "\"User\" <tel:+1-212-555-1111>;regstate=x-new",
            ),
        ] {
            let p = PServedUser::parse(text).unwrap();
            assert_eq!(p.sescase(), sescase, "{text}");
            assert_eq!(p.regstate(), regstate, "{text}");
            assert_eq!(p.is_orig_cdiv(), cdiv, "{text}");
            assert_eq!(p.to_string(), canonical);
            assert_eq!(PServedUser::parse(canonical).unwrap(), p);
        }
        let p = PServedUser::parse("sip:user@example.com").unwrap();
        assert_eq!(p.uri().to_string(), "sip:user@example.com");
        assert_eq!(p.clone().into_owned(), p);
    }

    #[test]
    fn malformed() {
        let kind = |s| PServedUser::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(
            kind("<sip:user@example.com>;sescase"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("<sip:user@example.com>;sescase=\"orig\""),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("<sip:user@example.com>;regstate=[::1]"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("<sip:user@example.com>;orig-cdiv=1"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("<sip:user@example.com>, <sip:b@example.com>"),
            HeaderErrorKind::Trailing
        );
        assert_eq!(kind("sip:user@example.com?x=y"), HeaderErrorKind::AddrSpec);
    }
}
