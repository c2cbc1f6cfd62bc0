//! The Call-Info header ([RFC 3261 §20.9](https://www.rfc-editor.org/rfc/rfc3261#section-20.9)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;
use crate::uri::Uri;

/// One element of a Call-Info header: `<http://www.example.com/alice/photo.jpg>;purpose=icon`,
/// a URI with more information about the caller or callee and what it is
/// for.
///
/// Parsing checks that `purpose` has a token value.
///
/// ```
/// use imsip::header::{CallInfo, CallInfoPurpose, TypedHeader};
///
/// // RFC 3261 §20.9.
/// let i = CallInfo::parse("<http://wwww.example.com/alice/photo.jpg> ;purpose=icon").unwrap();
/// assert_eq!(i.uri.scheme(), "http");
/// assert_eq!(i.purpose(), Some(CallInfoPurpose::Icon));
/// assert_eq!(i.to_string(), "<http://wwww.example.com/alice/photo.jpg>;purpose=icon");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo<'a> {
    /// The URI (any scheme).
    pub uri: Uri<'a>,
    /// The parameters (`purpose` and others).
    pub params: Params<'a>,
}

/// The `purpose` of a [`CallInfo`] (RFC 3261 §20.9).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CallInfoPurpose<'a> {
    /// `icon`: an image of the caller or callee.
    Icon,
    /// `info`: a description of the caller or callee (a web page).
    Info,
    /// `card`: a business card (vCard, LDIF).
    Card,
    /// Any other token, as written.
    Other(Cow<'a, str>),
}

impl<'a> CallInfoPurpose<'a> {
    /// The purpose a token stands for (known ones case-insensitively).
    pub fn from_token(token: &'a str) -> Self {
        if token.eq_ignore_ascii_case("icon") {
            CallInfoPurpose::Icon
        } else if token.eq_ignore_ascii_case("info") {
            CallInfoPurpose::Info
        } else if token.eq_ignore_ascii_case("card") {
            CallInfoPurpose::Card
        } else {
            CallInfoPurpose::Other(Cow::Borrowed(token))
        }
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        match self {
            CallInfoPurpose::Icon => "icon",
            CallInfoPurpose::Info => "info",
            CallInfoPurpose::Card => "card",
            CallInfoPurpose::Other(t) => t,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> CallInfoPurpose<'static> {
        match self {
            CallInfoPurpose::Icon => CallInfoPurpose::Icon,
            CallInfoPurpose::Info => CallInfoPurpose::Info,
            CallInfoPurpose::Card => CallInfoPurpose::Card,
            CallInfoPurpose::Other(t) => CallInfoPurpose::Other(Cow::Owned(t.into_owned())),
        }
    }
}

impl fmt::Display for CallInfoPurpose<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn param_ok(name: &str, value: Option<&str>) -> bool {
    !name.eq_ignore_ascii_case("purpose") || value.is_some_and(|v| syntax::is_token(v.as_bytes()))
}

impl<'a> CallInfo<'a> {
    /// A value without parameters.
    pub fn new(uri: Uri<'a>) -> Self {
        CallInfo {
            uri,
            params: Params::header(),
        }
    }

    /// The `purpose` parameter.
    pub fn purpose(&self) -> Option<CallInfoPurpose<'_>> {
        self.params
            .value("purpose")
            .filter(|v| syntax::is_token(v.as_bytes()))
            .map(CallInfoPurpose::from_token)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> CallInfo<'static> {
        CallInfo {
            uri: self.uri.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for CallInfo<'a> {
    const NAME: HeaderName = HeaderName::CallInfo;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let uri = c.angle_uri()?;
        let params = c.params_checked(param_ok)?;
        c.finish()?;
        Ok(CallInfo { uri, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.push(b'<');
        self.uri.encode(dst);
        dst.push(b'>');
        self.params.encode(dst);
    }
}

impl fmt::Display for CallInfo<'_> {
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
        // RFC 3261 §20.9; RFC 6910 §12.4 adds `call-completion` (with `m`).
        for (text, purpose, canonical) in [
            (
                "<http://wwww.example.com/alice/photo.jpg> ;purpose=icon",
                Some(CallInfoPurpose::Icon),
                "<http://wwww.example.com/alice/photo.jpg>;purpose=icon",
            ),
            (
                "<http://www.example.com/alice/> ;purpose=info",
                Some(CallInfoPurpose::Info),
                "<http://www.example.com/alice/>;purpose=info",
            ),
            (
                "<http://www.example.com/alice/card.vcf>;purpose=CARD",
                Some(CallInfoPurpose::Card),
                "<http://www.example.com/alice/card.vcf>;purpose=CARD",
            ),
            (
                "<sip:456@z.b.com>;purpose=call-completion;m=NR",
                Some(CallInfoPurpose::Other("call-completion".into())),
                "<sip:456@z.b.com>;purpose=call-completion;m=NR",
            ),
            ("<urn:x:y>", None, "<urn:x:y>"),
        ] {
            let i = CallInfo::parse(text).unwrap();
            assert_eq!(i.purpose(), purpose, "{text}");
            assert_eq!(i.to_string(), canonical);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::AngleBracket),
            ("http://www.example.com/", HeaderErrorKind::AngleBracket),
            ("<http://x.example/>;purpose", HeaderErrorKind::ParamValue),
            (
                "<http://x.example/>;purpose=\"icon\"",
                HeaderErrorKind::ParamValue,
            ),
            ("<http://x.example/>;;", HeaderErrorKind::Param),
            ("<http://x.example/> x", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(CallInfo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
