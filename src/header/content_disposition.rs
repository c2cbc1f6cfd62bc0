//! The Content-Disposition header ([RFC 3261 §20.11](https://www.rfc-editor.org/rfc/rfc3261#section-20.11)).

use std::borrow::Cow;
use std::fmt;

use super::shapes::token_params_header;
use crate::syntax;

token_params_header! {
    /// `Content-Disposition: session;handling=optional`: how to interpret the
    /// body (or a body part), and what to do when it is not understood.
    ///
    /// Parsing checks that `handling` has a token value.
    ///
    /// ```
    /// use imsip::header::{ContentDisposition, DispositionType, Handling, TypedHeader};
    ///
    /// // RFC 3261 §20.11: `Content-Disposition: session`
    /// let d = ContentDisposition::parse("session").unwrap();
    /// assert_eq!(d.disposition_type(), DispositionType::Session);
    /// assert!(d.is_required());
    /// let d = ContentDisposition::parse("icon;handling=optional").unwrap();
    /// assert_eq!(d.handling(), Some(Handling::Optional));
    /// assert!(!d.is_required());
    /// ```
    ContentDisposition, ContentDisposition,
    value = "The disposition type as written (`session`, `render`, ...); see [`ContentDisposition::disposition_type`].",
    check = handling_ok
}

fn handling_ok(name: &str, value: Option<&str>) -> bool {
    !name.eq_ignore_ascii_case("handling") || value.is_some_and(|v| syntax::is_token(v.as_bytes()))
}

/// A disposition type (`disp-type`, RFC 3261 §20.11).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DispositionType<'a> {
    /// `render`: show the body to the user.
    Render,
    /// `session`: a session description (SDP).
    Session,
    /// `icon`: an image to show as an icon of the caller or callee.
    Icon,
    /// `alert`: a ring tone or other alerting sound.
    Alert,
    /// Any other token (`signal`, `by-reference`, `recipient-list`, ...),
    /// as written.
    Other(Cow<'a, str>),
}

impl<'a> DispositionType<'a> {
    /// The disposition type a token stands for (known ones
    /// case-insensitively).
    pub fn from_token(token: &'a str) -> Self {
        const KNOWN: [(&str, DispositionType<'static>); 4] = [
            ("render", DispositionType::Render),
            ("session", DispositionType::Session),
            ("icon", DispositionType::Icon),
            ("alert", DispositionType::Alert),
        ];
        KNOWN
            .into_iter()
            .find(|(name, _)| token.eq_ignore_ascii_case(name))
            .map_or(DispositionType::Other(Cow::Borrowed(token)), |(_, t)| t)
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        match self {
            DispositionType::Render => "render",
            DispositionType::Session => "session",
            DispositionType::Icon => "icon",
            DispositionType::Alert => "alert",
            DispositionType::Other(t) => t,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> DispositionType<'static> {
        match self {
            DispositionType::Render => DispositionType::Render,
            DispositionType::Session => DispositionType::Session,
            DispositionType::Icon => DispositionType::Icon,
            DispositionType::Alert => DispositionType::Alert,
            DispositionType::Other(t) => DispositionType::Other(Cow::Owned(t.into_owned())),
        }
    }
}

impl fmt::Display for DispositionType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `handling` parameter of a Content-Disposition (RFC 3261 §20.11).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Handling<'a> {
    /// `optional`: the body may be ignored when not understood.
    Optional,
    /// `required`: the request fails (415) when the body is not understood.
    Required,
    /// Any other token, as written.
    Other(Cow<'a, str>),
}

impl<'a> Handling<'a> {
    /// The handling a token stands for (known ones case-insensitively).
    pub fn from_token(token: &'a str) -> Self {
        if token.eq_ignore_ascii_case("optional") {
            Handling::Optional
        } else if token.eq_ignore_ascii_case("required") {
            Handling::Required
        } else {
            Handling::Other(Cow::Borrowed(token))
        }
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        match self {
            Handling::Optional => "optional",
            Handling::Required => "required",
            Handling::Other(t) => t,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Handling<'static> {
        match self {
            Handling::Optional => Handling::Optional,
            Handling::Required => Handling::Required,
            Handling::Other(t) => Handling::Other(Cow::Owned(t.into_owned())),
        }
    }
}

impl fmt::Display for Handling<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ContentDisposition<'_> {
    /// The disposition type.
    pub fn disposition_type(&self) -> DispositionType<'_> {
        DispositionType::from_token(&self.value)
    }

    /// The `handling` parameter.
    pub fn handling(&self) -> Option<Handling<'_>> {
        self.params
            .value("handling")
            .filter(|v| syntax::is_token(v.as_bytes()))
            .map(Handling::from_token)
    }

    /// Whether a recipient that does not understand the body must fail the
    /// request: unless `handling=optional`, as RFC 3261 §20.11 has
    /// `required` as the default.
    pub fn is_required(&self) -> bool {
        self.handling() != Some(Handling::Optional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.11; RFC 5363 (`recipient-list`) and RFC 5621
        // (`by-reference`) register other types.
        for (text, disp, handling, canonical) in [
            ("session", DispositionType::Session, None, "session"),
            ("render", DispositionType::Render, None, "render"),
            (
                "Icon ; handling = optional",
                DispositionType::Icon,
                Some(Handling::Optional),
                "Icon;handling=optional",
            ),
            (
                "alert;handling=required",
                DispositionType::Alert,
                Some(Handling::Required),
                "alert;handling=required",
            ),
            (
                "recipient-list;handling=x-maybe",
                DispositionType::Other("recipient-list".into()),
                Some(Handling::Other("x-maybe".into())),
                "recipient-list;handling=x-maybe",
            ),
            (
                "by-reference;handling=optional",
                DispositionType::Other("by-reference".into()),
                Some(Handling::Optional),
                "by-reference;handling=optional",
            ),
        ] {
            let d = ContentDisposition::parse(text).unwrap();
            assert_eq!(d.disposition_type(), disp, "{text}");
            assert_eq!(d.handling(), handling, "{text}");
            assert_eq!(d.to_string(), canonical);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("session;handling", HeaderErrorKind::ParamValue),
            ("session;handling=\"optional\"", HeaderErrorKind::ParamValue),
            ("session render", HeaderErrorKind::Trailing),
            ("session;", HeaderErrorKind::Param),
        ] {
            assert_eq!(
                ContentDisposition::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
