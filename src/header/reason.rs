//! The Reason header ([RFC 3326 §2](https://www.rfc-editor.org/rfc/rfc3326#section-2)),
//! with the `location` parameter of [RFC 8606](https://www.rfc-editor.org/rfc/rfc8606)
//! and several values per protocol as [RFC 9366](https://www.rfc-editor.org/rfc/rfc9366)
//! allows.

use std::borrow::Cow;
use std::fmt;

use super::param_check::{self, number, number_value, quoted, token};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;

/// One element of a Reason header: `SIP;cause=200;text="Call completed
/// elsewhere"`, why a request was issued (a CANCEL or BYE) or why a call
/// failed, as a protocol and a cause.
///
/// Parsing checks that `cause` is digits fitting in 32 bits, that `text` is
/// a quoted string and that `location` is a token (each at most once).
///
/// ```
/// use imsip::header::{Reason, ReasonProtocol, TypedHeader};
///
/// let r = Reason::parse("Q.850;cause=16;text=\"Terminated\"").unwrap();
/// assert_eq!(r.protocol, ReasonProtocol::Q850);
/// assert_eq!(r.cause(), Some(16));
/// assert_eq!(r.text().as_deref(), Some("Terminated"));
///
/// let r = Reason::parse("SIP ;cause=200 ;text=\"Call completed elsewhere\"").unwrap();
/// assert_eq!(r.to_string(), "SIP;cause=200;text=\"Call completed elsewhere\"");
/// assert!(Reason::parse("SIP;cause=two hundred").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason<'a> {
    /// The protocol the cause belongs to.
    pub protocol: ReasonProtocol<'a>,
    /// The parameters (`cause`, `text`, `location`, others).
    pub params: Params<'a>,
}

/// The protocol of a Reason value. `SIP` and `Q.850` are recognised ignoring
/// ASCII case and written as shown; others (`Preemption` of RFC 4411, `STIR`
/// of RFC 8224, `RELEASE_CAUSE` and `FAILURE_CAUSE` of TS 24.229 §7.2A.18,
/// ...) are kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReasonProtocol<'a> {
    /// `SIP`: the cause is a SIP status code.
    Sip,
    /// `Q.850`: the cause is an ISDN cause value.
    Q850,
    /// Any other protocol (a token). Build it with [`ReasonProtocol::parse`].
    Other(Cow<'a, str>),
}

impl<'a> ReasonProtocol<'a> {
    /// The protocol named by `token`, or `None` when it is not a token.
    pub fn parse(token: &'a str) -> Option<ReasonProtocol<'a>> {
        if token.eq_ignore_ascii_case("SIP") {
            Some(ReasonProtocol::Sip)
        } else if token.eq_ignore_ascii_case("Q.850") {
            Some(ReasonProtocol::Q850)
        } else if crate::syntax::is_token(token.as_bytes()) {
            Some(ReasonProtocol::Other(Cow::Borrowed(token)))
        } else {
            None
        }
    }

    /// The protocol as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ReasonProtocol::Sip => "SIP",
            ReasonProtocol::Q850 => "Q.850",
            ReasonProtocol::Other(s) => s,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> ReasonProtocol<'static> {
        match self {
            ReasonProtocol::Sip => ReasonProtocol::Sip,
            ReasonProtocol::Q850 => ReasonProtocol::Q850,
            ReasonProtocol::Other(s) => ReasonProtocol::Other(Cow::Owned(s.into_owned())),
        }
    }
}

impl fmt::Display for ReasonProtocol<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'a> Reason<'a> {
    /// A value of `protocol` without parameters; add `cause` with
    /// [`Params::push`] and `text` with [`Params::push_quoted`].
    pub fn new(protocol: ReasonProtocol<'a>) -> Self {
        Reason {
            protocol,
            params: Params::header(),
        }
    }

    /// The `cause` parameter: a SIP status code for `SIP`, a cause value
    /// for `Q.850`.
    pub fn cause(&self) -> Option<u32> {
        number_value(self.params.value("cause"))
    }

    /// The `text` parameter, unquoted (borrowed unless it has quoted-pairs
    /// or folds).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        self.params.get("text").and_then(|p| p.unquoted())
    }

    /// The `location` parameter of RFC 8606: where in the PSTN a Q.850
    /// cause arose (`U`, `LPN`, `LN`, `TN`, `RLN`, `RPN`, `INTL`, `BI`, or another token).
    pub fn location(&self) -> Option<&str> {
        self.params.value("location")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Reason<'static> {
        Reason {
            protocol: self.protocol.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for Reason<'a> {
    const NAME: HeaderName = HeaderName::Reason;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        let protocol = ReasonProtocol::parse(c.token()?)
            .ok_or(HeaderError::new(HeaderErrorKind::Token, start))?;
        let params =
            param_check::params(
                &mut c,
                &["cause", "text", "location"],
                |name, v| match name {
                    "cause" => number(v),
                    "text" => quoted(v),
                    _ => token(v),
                },
            )?;
        c.finish()?;
        Ok(Reason { protocol, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.protocol.as_str().as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3326 §2, RFC 4411 (preemption), RFC 8606 (location), TS 24.229
        // §7.2A.18 (RELEASE_CAUSE).
        for (text, protocol, cause, reason_text, location) in [
            (
                "SIP ;cause=200 ;text=\"Call completed elsewhere\"",
                ReasonProtocol::Sip,
                Some(200),
                Some("Call completed elsewhere"),
                None,
            ),
            (
                "Q.850 ;cause=16 ;text=\"Terminated\"",
                ReasonProtocol::Q850,
                Some(16),
                Some("Terminated"),
                None,
            ),
            (
                "SIP;cause=600;text=\"Busy Everywhere\"",
                ReasonProtocol::Sip,
                Some(600),
                Some("Busy Everywhere"),
                None,
            ),
            (
                "preemption ;cause=1 ;text=\"UA Preemption\"",
                ReasonProtocol::Other("preemption".into()),
                Some(1),
                Some("UA Preemption"),
                None,
            ),
            (
                "Q.850;cause=1;text=\"Unallocated (unassigned) number\";location=LN",
                ReasonProtocol::Q850,
                Some(1),
                Some("Unallocated (unassigned) number"),
                Some("LN"),
            ),
            (
                "RELEASE_CAUSE;cause=1;text=\"User ends call\"",
                ReasonProtocol::Other("RELEASE_CAUSE".into()),
                Some(1),
                Some("User ends call"),
                None,
            ),
            ("q.850;cause=31", ReasonProtocol::Q850, Some(31), None, None),
            (
                "SIP;text=\"say \\\"bye\\\"\"",
                ReasonProtocol::Sip,
                None,
                Some("say \"bye\""),
                None,
            ),
        ] {
            let r = Reason::parse(text).unwrap();
            assert_eq!(r.protocol, protocol, "{text}");
            assert_eq!(r.cause(), cause, "{text}");
            assert_eq!(r.text().as_deref(), reason_text, "{text}");
            assert_eq!(r.location(), location, "{text}");
        }
    }

    #[test]
    fn canonical() {
        let r = Reason::parse("sip ;\r\n cause = 487 ; text=\"Request Terminated\"").unwrap();
        assert_eq!(r.to_string(), "SIP;cause=487;text=\"Request Terminated\"");
        let mut built = Reason::new(ReasonProtocol::Sip);
        built.params.push("cause", Some("487")).unwrap();
        built
            .params
            .push_quoted("text", "Request Terminated")
            .unwrap();
        assert_eq!(built, r);
        assert_eq!(r.clone().into_owned(), r);
    }

    #[test]
    fn list() {
        // RFC 9366: several values, here of one protocol, in one field.
        let msg = crate::MessageRef::parse(
            b"BYE sip:a@b SIP/2.0\r\nReason: SIP;cause=200, Q.850;cause=16,STIR;cause=438\r\n\r\n",
        )
        .unwrap();
        let causes: Vec<_> = msg
            .header_all::<Reason<'_>>()
            .map(|r| r.unwrap().cause().unwrap())
            .collect();
        assert_eq!(causes, [200, 16, 438]);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            (";cause=1", HeaderErrorKind::Token),
            ("SIP cause=1", HeaderErrorKind::Trailing),
            ("SIP;cause=abc", HeaderErrorKind::ParamValue),
            ("SIP;cause", HeaderErrorKind::ParamValue),
            ("SIP;cause=99999999999", HeaderErrorKind::OutOfRange),
            ("SIP;text=Terminated", HeaderErrorKind::ParamValue),
            ("Q.850;location=\"LN\"", HeaderErrorKind::ParamValue),
            ("SIP;cause=1;cause=2", HeaderErrorKind::DuplicateParam),
            ("SIP;text=\"open", HeaderErrorKind::Param),
        ] {
            assert_eq!(Reason::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
