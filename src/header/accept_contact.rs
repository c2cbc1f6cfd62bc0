//! The Accept-Contact header ([RFC 3841 §10](https://www.rfc-editor.org/rfc/rfc3841#section-10)),
//! the value shape it shares with Reject-Contact, and the feature parameters
//! of [RFC 3840 §9](https://www.rfc-editor.org/rfc/rfc3840#section-9).

/// The feature tags RFC 3840 §9 encodes without `+` (`base-tags`).
const BASE_TAGS: [&str; 20] = [
    "audio",
    "automata",
    "class",
    "duplex",
    "data",
    "control",
    "mobility",
    "description",
    "events",
    "priority",
    "methods",
    "schemes",
    "application",
    "video",
    "language",
    "type",
    "isfocus",
    "actor",
    "text",
    "extensions",
];

/// Whether `name` is `"+" ftag-name`
/// (`ftag-name = ALPHA *( ALPHA / DIGIT / "!" / "'" / "." / "-" / "%" )`).
pub(crate) fn is_other_tag(name: &str) -> bool {
    let Some(tag) = name.strip_prefix('+') else {
        return false;
    };
    let b = tag.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'!' | b'\'' | b'.' | b'-' | b'%'))
}

/// Whether `name` is an `enc-feature-tag`: a base tag or `+` and a tag name.
pub(crate) fn is_feature_tag(name: &str) -> bool {
    is_other_tag(name) || BASE_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t))
}

/// Checks a feature parameter's value: none (a boolean true) or
/// `LDQUOT (tag-value-list / string-value) RDQUOT`.
pub(crate) fn is_feature_value(value: Option<&str>) -> bool {
    value.is_none_or(|v| v.starts_with('"'))
}

/// Checks `ac-params`: feature parameters, `require` and `explicit` (no
/// value), and generic parameters.
pub(crate) fn ac_param_ok(name: &str, value: Option<&str>) -> bool {
    if name.eq_ignore_ascii_case("require") || name.eq_ignore_ascii_case("explicit") {
        value.is_none()
    } else if is_feature_tag(name) {
        is_feature_value(value)
    } else {
        true
    }
}

/// Checks `rc-params`: feature parameters and generic parameters.
pub(crate) fn rc_param_ok(name: &str, value: Option<&str>) -> bool {
    !is_feature_tag(name) || is_feature_value(value)
}

/// Defines a caller preferences header (`"*" *(SEMI params)`) with the
/// parameter check `$check`.
macro_rules! caller_prefs_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident, check = $check:path) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            /// The parameters after `*`: feature parameters and others.
            pub params: $crate::params::Params<'a>,
        }

        impl<'a> $ty<'a> {
            /// `*` without parameters.
            pub fn new() -> Self {
                $ty {
                    params: $crate::params::Params::header(),
                }
            }

            /// The feature parameters (`audio`, `+sip.instance="<...>"`,
            /// ...), in order.
            pub fn features(&self) -> impl Iterator<Item = $crate::params::Param<'_>> + '_ {
                self.params
                    .iter()
                    .filter(|p| $crate::header::accept_contact::is_feature_tag(p.name))
            }

            /// Whether the feature parameter `tag` is present (`"audio"`,
            /// `"+g.3gpp.icsi-ref"`).
            pub fn has_feature(&self, tag: &str) -> bool {
                self.features().any(|p| p.is(tag))
            }

            /// The value of the feature parameter `tag` without its quotes
            /// (`"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"`); `None` when the
            /// tag is absent or has no value.
            pub fn feature_value(&self, tag: &str) -> Option<std::borrow::Cow<'_, str>> {
                self.features().find(|p| p.is(tag)).and_then(|p| p.unquoted())
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    params: self.params.into_owned(),
                }
            }
        }

        impl Default for $ty<'_> {
            fn default() -> Self {
                $ty::new()
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let params = $crate::header::accept_contact::parse_star(value, $check)?;
                Ok($ty { params })
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.push(b'*');
                self.params.encode(dst);
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
}

pub(crate) use caller_prefs_header;

/// Parses `"*" *(SEMI param)`, checking each parameter with `check`.
pub(crate) fn parse_star<'a>(
    value: &'a str,
    check: fn(&str, Option<&str>) -> bool,
) -> Result<crate::params::Params<'a>, super::HeaderError> {
    let mut c = super::Cursor::new(value);
    if c.peek().is_none() {
        return Err(c.error(super::HeaderErrorKind::Empty));
    }
    if !c.eat(b'*') {
        return Err(c.error(super::HeaderErrorKind::Expected(b'*')));
    }
    let params = c.params_checked(check)?;
    c.finish()?;
    Ok(params)
}

caller_prefs_header! {
    /// One element of an Accept-Contact header (compact form `a`): `*` and
    /// the features the caller wants the callee's contact to have
    /// (`ac-value = "*" *(SEMI ac-params)`), with `require` (contacts
    /// without the features are dropped) and `explicit` (the contact must
    /// have declared them).
    ///
    /// Parsing checks that `require` and `explicit` have no value and that a
    /// feature parameter's value is quoted.
    ///
    /// ```
    /// use imsip::header::{AcceptContact, TypedHeader};
    ///
    /// let a = AcceptContact::parse("*;audio;require").unwrap();
    /// assert!(a.has_feature("audio"));
    /// assert!(a.is_required());
    /// assert!(!a.is_explicit());
    ///
    /// let a = AcceptContact::parse("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"").unwrap();
    /// assert_eq!(a.feature_value("+g.3gpp.icsi-ref").as_deref(), Some("urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"));
    /// ```
    AcceptContact, AcceptContact, check = ac_param_ok
}

impl AcceptContact<'_> {
    /// Whether `require` is present: contacts that do not match are
    /// discarded rather than just ranked lower.
    pub fn is_required(&self) -> bool {
        self.params.contains("require")
    }

    /// Whether `explicit` is present: only features the contact declared
    /// explicitly count.
    pub fn is_explicit(&self) -> bool {
        self.params.contains("explicit")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3841 §9 (and the compact form `a`).
        let msg = MessageRef::parse(
            b"INVITE sip:bob@example.com SIP/2.0\r\nAccept-Contact: *;audio;require\r\na: *;video;explicit, *;methods=\"BYE,INVITE\"\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let v: Vec<_> = msg
            .header_all::<AcceptContact<'_>>()
            .map(Result::unwrap)
            .collect();
        assert_eq!(v.len(), 3);
        assert!(v[0].has_feature("audio") && v[0].is_required() && !v[0].is_explicit());
        assert!(v[1].has_feature("video") && v[1].is_explicit() && !v[1].is_required());
        assert_eq!(v[2].feature_value("methods").as_deref(), Some("BYE,INVITE"));
        assert_eq!(v[2].to_string(), "*;methods=\"BYE,INVITE\"");
        // TS 24.229: the ICSI of MMTel, with white space and a fold.
        let a = AcceptContact::parse(
            "* ;\r\n +g.3gpp.icsi-ref = \"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\" ; require ; explicit",
        )
        .unwrap();
        assert_eq!(
            a.to_string(),
            "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\";require;explicit"
        );
        assert_eq!(a.features().count(), 1);
        assert_eq!(AcceptContact::parse(&a.to_string()).unwrap(), a);
        assert_eq!(AcceptContact::parse("*").unwrap(), AcceptContact::new());
        let g = AcceptContact::parse("*;x-generic=1;+1x=y").unwrap();
        assert_eq!(g.features().count(), 0);
        assert_eq!(g.clone().into_owned(), g);
    }

    #[test]
    fn feature_tags() {
        assert!(is_other_tag("+sip.instance"));
        assert!(is_other_tag("+g.3gpp.icsi-ref"));
        assert!(!is_other_tag("+1x"));
        assert!(!is_other_tag("+"));
        assert!(!is_other_tag("sip.audio"));
        assert!(is_feature_tag("audio") && is_feature_tag("ISFOCUS"));
        assert!(!is_feature_tag("require"));
    }

    #[test]
    fn malformed() {
        let kind = |s| AcceptContact::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("audio"), HeaderErrorKind::Expected(b'*'));
        assert_eq!(kind("*;require=yes"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;explicit=1"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;audio=TRUE"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;+sip.foo=bar"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;"), HeaderErrorKind::Param);
        assert_eq!(kind("* audio"), HeaderErrorKind::Trailing);
        assert_eq!(kind("**"), HeaderErrorKind::Trailing);
    }
}
