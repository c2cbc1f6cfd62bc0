//! The Accept header ([RFC 3261 §20.1](https://www.rfc-editor.org/rfc/rfc3261#section-20.1),
//! grammar in [§25.1](https://www.rfc-editor.org/rfc/rfc3261#section-25.1)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, MediaType, QValue, TypedHeader};
use crate::params::{Param, Params};

/// One element of an Accept header: a media range (`*/*`, `type/*` or
/// `type/subtype`) with its media parameters and accept parameters such as
/// `q`.
///
/// Parsing checks that `q` is a `qvalue` and refuses `*/subtype`. Type and
/// subtype compare case-insensitively.
///
/// ```
/// use imsip::header::{Accept, QValue, TypedHeader};
///
/// // RFC 3261 §20.1: `Accept: application/sdp;level=1, application/x-private, text/html`
/// let a = Accept::parse("application/sdp;level=1").unwrap();
/// assert_eq!((a.top_level.as_ref(), a.subtype.as_ref()), ("application", "sdp"));
/// assert_eq!(a.params.value("level"), Some("1"));
/// assert_eq!(a.quality(), QValue::from_thousandths(1000).unwrap());
/// let any = Accept::parse("*/*;q=0.5").unwrap();
/// assert!(any.is_any());
/// assert_eq!(any.q(), QValue::from_thousandths(500));
/// ```
#[derive(Clone, Debug, Eq)]
pub struct Accept<'a> {
    /// The top-level type, `*` for any.
    pub top_level: Cow<'a, str>,
    /// The subtype, `*` for any.
    pub subtype: Cow<'a, str>,
    /// Media parameters, then accept parameters (from `q` on).
    pub params: Params<'a>,
}

/// Checks the accept parameters every Accept-* header shares: `q` must be a
/// `qvalue` (RFC 3261 §20.1, §20.2, §20.3).
pub(super) fn q_param_ok(name: &str, value: Option<&str>) -> bool {
    !name.eq_ignore_ascii_case("q") || value.and_then(QValue::parse).is_some()
}

/// A `qvalue` of 1, the preference of a value without `q`.
pub(super) const Q_ONE: QValue = match QValue::from_thousandths(1000) {
    Some(q) => q,
    None => panic!("1000 thousandths is a qvalue"),
};

/// The `q` parameter of a list of accept parameters.
pub(super) fn q_of(params: &Params<'_>) -> Option<QValue> {
    params.value("q").and_then(QValue::parse)
}

impl<'a> Accept<'a> {
    /// `top_level/subtype` without parameters.
    pub fn new(top_level: impl Into<Cow<'a, str>>, subtype: impl Into<Cow<'a, str>>) -> Self {
        Accept {
            top_level: top_level.into(),
            subtype: subtype.into(),
            params: Params::header(),
        }
    }

    /// `*/*` without parameters.
    pub fn any() -> Self {
        Accept::new("*", "*")
    }

    /// Whether the range is `*/*`.
    pub fn is_any(&self) -> bool {
        self.top_level == "*" && self.subtype == "*"
    }

    /// The `q` parameter, if present.
    pub fn q(&self) -> Option<QValue> {
        q_of(&self.params)
    }

    /// The preference: the `q` parameter, 1 when absent (RFC 3261 §20.1).
    pub fn quality(&self) -> QValue {
        self.q().unwrap_or(Q_ONE)
    }

    /// The media parameters: the parameters before `q` (those after it are
    /// accept extensions).
    pub fn media_params(&self) -> impl Iterator<Item = Param<'_>> {
        self.params.iter().take_while(|p| !p.is("q"))
    }

    /// Whether the range covers `media` (type and subtype, ignoring case and
    /// parameters; `*` matches anything).
    pub fn matches(&self, media: &MediaType<'_>) -> bool {
        (self.top_level == "*" || self.top_level.eq_ignore_ascii_case(&media.top_level))
            && (self.subtype == "*" || self.subtype.eq_ignore_ascii_case(&media.subtype))
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Accept<'static> {
        Accept {
            top_level: Cow::Owned(self.top_level.into_owned()),
            subtype: Cow::Owned(self.subtype.into_owned()),
            params: self.params.into_owned(),
        }
    }
}

impl PartialEq for Accept<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.top_level.eq_ignore_ascii_case(&other.top_level)
            && self.subtype.eq_ignore_ascii_case(&other.subtype)
            && self.params == other.params
    }
}

impl<'a> TypedHeader<'a> for Accept<'a> {
    const NAME: HeaderName = HeaderName::Accept;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let top_level = c.token()?;
        c.separator(b'/')?;
        let sub_at = c.pos;
        let subtype = c.token()?;
        if top_level == "*" && subtype != "*" {
            return Err(HeaderError::new(HeaderErrorKind::Token, sub_at));
        }
        let params = c.params_checked(q_param_ok)?;
        c.finish()?;
        Ok(Accept {
            top_level: Cow::Borrowed(top_level),
            subtype: Cow::Borrowed(subtype),
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.top_level.as_bytes());
        dst.push(b'/');
        dst.extend_from_slice(self.subtype.as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for Accept<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: u16) -> Option<QValue> {
        QValue::from_thousandths(n)
    }

    #[test]
    fn examples() {
        // RFC 3261 §20.1 and the OPTIONS response of §11.2.
        for (text, top, sub, quality, canonical) in [
            (
                "application/sdp;level=1",
                "application",
                "sdp",
                None,
                "application/sdp;level=1",
            ),
            (
                "application/x-private",
                "application",
                "x-private",
                None,
                "application/x-private",
            ),
            ("text/html", "text", "html", None, "text/html"),
            (
                "application/sdp",
                "application",
                "sdp",
                None,
                "application/sdp",
            ),
            ("*/*", "*", "*", None, "*/*"),
            ("text/* ; q = 0.3", "text", "*", q(300), "text/*;q=0.3"),
            (
                "application / pidf+xml;q=1",
                "application",
                "pidf+xml",
                q(1000),
                "application/pidf+xml;q=1",
            ),
            (
                "message/sipfrag;version=2.0;q=0.7;ext",
                "message",
                "sipfrag",
                q(700),
                "message/sipfrag;version=2.0;q=0.7;ext",
            ),
        ] {
            let a = Accept::parse(text).unwrap();
            assert_eq!(
                (a.top_level.as_ref(), a.subtype.as_ref()),
                (top, sub),
                "{text}"
            );
            assert_eq!(a.q(), quality, "{text}");
            assert_eq!(a.to_string(), canonical);
        }
        let a = Accept::parse("message/sipfrag;version=2.0;q=0.7;ext").unwrap();
        let media: Vec<_> = a.media_params().map(|p| p.name).collect();
        assert_eq!(media, ["version"]);
        assert_eq!(Accept::parse("*/*").unwrap(), Accept::any());
        assert_eq!(
            Accept::parse("TEXT/HTML").unwrap(),
            Accept::new("text", "html")
        );
        let sdp = MediaType::new("application", "SDP");
        assert!(Accept::parse("application/sdp").unwrap().matches(&sdp));
        assert!(Accept::parse("application/*").unwrap().matches(&sdp));
        assert!(Accept::any().matches(&sdp));
        assert!(!Accept::parse("text/*").unwrap().matches(&sdp));
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("application", HeaderErrorKind::Expected(b'/')),
            ("application/", HeaderErrorKind::Token),
            ("*/sdp", HeaderErrorKind::Token),
            ("text/html;q=2", HeaderErrorKind::ParamValue),
            ("text/html;q=0.1234", HeaderErrorKind::ParamValue),
            ("text/html;q", HeaderErrorKind::ParamValue),
            ("text/html;q=\"0.5\"", HeaderErrorKind::ParamValue),
            ("text/html;", HeaderErrorKind::Param),
            ("text/html extra", HeaderErrorKind::Trailing),
            ("text/html/x", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(Accept::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
