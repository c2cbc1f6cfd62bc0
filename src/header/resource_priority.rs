//! The Resource-Priority header ([RFC 4412 §3.1](https://www.rfc-editor.org/rfc/rfc4412#section-3.1)).

use super::{Cursor, HeaderError, HeaderErrorKind};
use crate::syntax::{self, TOKEN};

/// Defines a header whose value is one `r-value` (`namespace.priority`):
/// the struct, `new`, `into_owned`, [`TypedHeader`] and `Display`.
macro_rules! r_value_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $ty<'a> {
            /// The namespace (`wps`, `dsn`, `ets`, ...).
            pub namespace: std::borrow::Cow<'a, str>,
            /// The priority value within the namespace (`3`, `flash`, ...).
            pub priority: std::borrow::Cow<'a, str>,
        }

        impl<'a> $ty<'a> {
            /// `namespace.priority`, if both are tokens without `.`.
            pub fn new(
                namespace: impl Into<std::borrow::Cow<'a, str>>,
                priority: impl Into<std::borrow::Cow<'a, str>>,
            ) -> Option<Self> {
                let (namespace, priority) = (namespace.into(), priority.into());
                $crate::header::resource_priority::valid_r_value(&namespace, &priority)
                    .then_some($ty { namespace, priority })
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    namespace: std::borrow::Cow::Owned(self.namespace.into_owned()),
                    priority: std::borrow::Cow::Owned(self.priority.into_owned()),
                }
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let (namespace, priority) =
                    $crate::header::resource_priority::parse_r_value(value)?;
                Ok($ty {
                    namespace: std::borrow::Cow::Borrowed(namespace),
                    priority: std::borrow::Cow::Borrowed(priority),
                })
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                $crate::header::resource_priority::encode_r_value(
                    &self.namespace,
                    &self.priority,
                    dst,
                );
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
}

pub(super) use r_value_header;

r_value_header!(
    /// One element of a Resource-Priority header: `wps.3`, a resource priority
    /// as a namespace and a priority value within it (`dsn.flash`, `ets.0`,
    /// `esnet.1`, `mcpttp.5`, ...).
    ///
    /// Both parts are `token-nodot`: a token without `.`.
    ///
    /// ```
    /// use imsip::header::{ResourcePriority, TypedHeader};
    /// use imsip::MessageRef;
    ///
    /// let r = ResourcePriority::parse("dsn.flash").unwrap();
    /// assert_eq!((r.namespace.as_ref(), r.priority.as_ref()), ("dsn", "flash"));
    /// assert!(ResourcePriority::parse("dsn").is_err());
    ///
    /// let msg = MessageRef::parse(b"INVITE sip:a@b SIP/2.0\r\nResource-Priority: wps.3, dsn.flash\r\n\r\n").unwrap();
    /// assert_eq!(msg.header_all::<ResourcePriority>().count(), 2);
    /// ```
    ResourcePriority,
    ResourcePriority
);

/// Whether `s` is a `token-nodot`.
fn is_token_nodot(s: &str) -> bool {
    syntax::is_token(s.as_bytes()) && !s.contains('.')
}

/// Parses `r-value = namespace "." r-priority`, the whole value.
pub(super) fn parse_r_value(value: &str) -> Result<(&str, &str), HeaderError> {
    let mut c = Cursor::new(value);
    let start = c.pos;
    let r = c.scan(TOKEN);
    if r.is_empty() {
        let kind = if c.peek().is_none() {
            HeaderErrorKind::Empty
        } else {
            HeaderErrorKind::Token
        };
        return Err(c.error(kind));
    }
    c.finish()?;
    let Some(dot) = r.find('.') else {
        return Err(HeaderError::new(
            HeaderErrorKind::Expected(b'.'),
            start + r.len(),
        ));
    };
    let (namespace, priority) = (&r[..dot], &r[dot + 1..]);
    if namespace.is_empty() {
        return Err(HeaderError::new(HeaderErrorKind::Token, start));
    }
    if let Some(second) = priority.find('.').or(priority.is_empty().then_some(0)) {
        return Err(HeaderError::new(
            HeaderErrorKind::Token,
            start + dot + 1 + second,
        ));
    }
    Ok((namespace, priority))
}

/// Writes `namespace "." r-priority`.
pub(super) fn encode_r_value(namespace: &str, priority: &str, dst: &mut Vec<u8>) {
    dst.extend_from_slice(namespace.as_bytes());
    dst.push(b'.');
    dst.extend_from_slice(priority.as_bytes());
}

/// Checks a built `namespace` and `priority`.
pub(super) fn valid_r_value(namespace: &str, priority: &str) -> bool {
    is_token_nodot(namespace) && is_token_nodot(priority)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    #[test]
    fn examples() {
        // RFC 4412 §3.1 and §4 (namespaces), RFC 7135 (esnet), TS 24.379
        // (MCPTT namespaces).
        for (text, ns, prio) in [
            ("dsn.flash", "dsn", "flash"),
            ("wps.3", "wps", "3"),
            ("q735.1", "q735", "1"),
            ("ets.0", "ets", "0"),
            ("esnet.1", "esnet", "1"),
            (" dsn.flash-override ", "dsn", "flash-override"),
            ("mcpttp.5", "mcpttp", "5"),
        ] {
            let r = ResourcePriority::parse(text).unwrap();
            assert_eq!(
                (r.namespace.as_ref(), r.priority.as_ref()),
                (ns, prio),
                "{text}"
            );
            assert_eq!(r.to_string(), text.trim());
            assert_eq!(ResourcePriority::parse(&r.to_string()).unwrap(), r);
        }
        let built = ResourcePriority::new("wps", "3").unwrap();
        assert_eq!(
            built,
            ResourcePriority::parse("wps.3").unwrap().into_owned()
        );
        assert!(ResourcePriority::new("w.ps", "3").is_none());
        assert!(ResourcePriority::new("wps", "").is_none());
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("dsn", HeaderErrorKind::Expected(b'.')),
            (".flash", HeaderErrorKind::Token),
            ("dsn.", HeaderErrorKind::Token),
            ("dsn.flash.override", HeaderErrorKind::Token),
            ("dsn..flash", HeaderErrorKind::Token),
            ("dsn. flash", HeaderErrorKind::Trailing),
            ("dsn.flash;x=1", HeaderErrorKind::Trailing),
            ("\"dsn.flash\"", HeaderErrorKind::Token),
        ] {
            assert_eq!(
                ResourcePriority::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
