//! The Privacy header ([RFC 3323 §4.2](https://www.rfc-editor.org/rfc/rfc3323#section-4.2)),
//! with the `id` value of [RFC 3325 §9.3](https://www.rfc-editor.org/rfc/rfc3325#section-9.3)
//! and the `history` value of [RFC 7044 §9.2](https://www.rfc-editor.org/rfc/rfc7044#section-9.2).

use std::borrow::Cow;
use std::fmt;

use super::keyword::keyword_enum;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax;

keyword_enum! {
    /// One `priv-value` of a Privacy header.
    PrivValue {
        /// `header`: hide the headers that could identify the user.
        Header => "header",
        /// `session`: hide the session description (media anonymisation).
        Session => "session",
        /// `user`: user-level privacy, applied by the user agent.
        User => "user",
        /// `none`: no privacy function is to be applied.
        None => "none",
        /// `critical`: fail the request rather than not apply the privacy
        /// asked for.
        Critical => "critical",
        /// `id` (RFC 3325): withhold the asserted identity from untrusted
        /// parties.
        Id => "id",
        /// `history` (RFC 7044): hide the History-Info entries.
        History => "history",
    }
}

/// `Privacy: id;critical`: the privacy a user asks for
/// (`priv-value *(";" priv-value)`). One header value holds every
/// `priv-value`; the header is not a comma-separated list.
///
/// Parsing accepts white space around `;` (folded headers), which the
/// grammar does not, and encodes without it. The values are read from the
/// parsed text on demand, so parsing allocates nothing.
///
/// ```
/// use imsip::header::{PrivValue, Privacy, TypedHeader};
///
/// let p = Privacy::parse("id;critical").unwrap();
/// assert!(p.contains(&PrivValue::Id));
/// assert!(!p.contains(&PrivValue::Header));
/// assert_eq!(p.values().collect::<Vec<_>>(), [PrivValue::Id, PrivValue::Critical]);
/// assert_eq!(p.to_string(), "id;critical");
/// ```
#[derive(Clone)]
pub struct Privacy<'a> {
    /// The values as parsed (`id;critical`), each a token, maybe with white
    /// space around the `;`.
    raw: Cow<'a, str>,
}

impl<'a> Privacy<'a> {
    /// A header of `values`; `None` when there are none or one is an
    /// `Other` that is not a token.
    pub fn from_values<'v>(
        values: impl IntoIterator<Item = PrivValue<'v>>,
    ) -> Option<Privacy<'static>> {
        let mut raw = String::new();
        for v in values {
            if !syntax::is_token(v.as_str().as_bytes()) {
                return None;
            }
            if !raw.is_empty() {
                raw.push(';');
            }
            raw.push_str(v.as_str());
        }
        if raw.is_empty() {
            None
        } else {
            Some(Privacy {
                raw: Cow::Owned(raw),
            })
        }
    }

    /// The values in order.
    pub fn values(&self) -> impl Iterator<Item = PrivValue<'_>> + '_ {
        self.raw
            .split(';')
            .map(|v| PrivValue::from_token(v.trim_matches([' ', '\t', '\r', '\n'])))
    }

    /// Whether `value` is one of the values (`Other` values compare
    /// without regard to ASCII case, as tokens do).
    pub fn contains(&self, value: &PrivValue<'_>) -> bool {
        self.values()
            .any(|v| v.as_str().eq_ignore_ascii_case(value.as_str()))
    }

    /// Whether the value is `none` alone or has `none`: no privacy is to be
    /// applied (RFC 3323 §4.2).
    pub fn is_none(&self) -> bool {
        self.contains(&PrivValue::None)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Privacy<'static> {
        Privacy {
            raw: Cow::Owned(self.raw.into_owned()),
        }
    }
}

impl PartialEq for Privacy<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.values().eq(other.values())
    }
}

impl Eq for Privacy<'_> {}

impl fmt::Debug for Privacy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Privacy")
            .field(&self.values().collect::<Vec<_>>())
            .finish()
    }
}

impl<'a> TypedHeader<'a> for Privacy<'a> {
    const NAME: HeaderName = HeaderName::Privacy;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        let end = loop {
            c.token()?;
            let end = c.pos;
            c.skip_lws();
            if !c.eat(b';') {
                c.pos = end;
                break end;
            }
            c.skip_lws();
        };
        c.finish()?;
        Ok(Privacy {
            raw: Cow::Borrowed(&value[start..end]),
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        for (i, v) in self.values().enumerate() {
            if i > 0 {
                dst.push(b';');
            }
            dst.extend_from_slice(v.as_str().as_bytes());
        }
    }
}

impl fmt::Display for Privacy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        for (text, values, canonical) in [
            // RFC 3325 §10 (the example INVITEs).
            ("id", &[PrivValue::Id][..], "id"),
            // RFC 3323 §4.2: several values in one header.
            (
                "header;session;user",
                &[PrivValue::Header, PrivValue::Session, PrivValue::User][..],
                "header;session;user",
            ),
            // RFC 3323 §4.2: `critical` and `none`.
            ("none", &[PrivValue::None][..], "none"),
            (
                "Header ; ID ;\r\n critical",
                &[PrivValue::Header, PrivValue::Id, PrivValue::Critical][..],
                "header;id;critical",
            ),
            // RFC 7044 §9.2.
            ("history", &[PrivValue::History][..], "history"),
            (
                "id;x-private",
                &[PrivValue::Id, PrivValue::Other("x-private".into())][..],
                "id;x-private",
            ),
        ] {
            let p = Privacy::parse(text).unwrap();
            assert_eq!(p.values().collect::<Vec<_>>(), values, "{text}");
            assert_eq!(p.to_string(), canonical);
            assert_eq!(Privacy::parse(canonical).unwrap(), p);
        }
        let p = Privacy::parse("id;X-Private").unwrap();
        assert!(p.contains(&PrivValue::Other("x-private".into())));
        assert!(Privacy::parse("none").unwrap().is_none());
        assert!(!p.is_none());
    }

    #[test]
    fn built() {
        let p = Privacy::from_values([PrivValue::Id, PrivValue::Critical]).unwrap();
        assert_eq!(p.to_string(), "id;critical");
        assert_eq!(p, Privacy::parse("id; critical").unwrap());
        assert!(Privacy::from_values([]).is_none());
        assert!(Privacy::from_values([PrivValue::Other("a b".into())]).is_none());
        assert_eq!(p.clone().into_owned(), p);
    }

    #[test]
    fn malformed() {
        let kind = |s| Privacy::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("  "), HeaderErrorKind::Empty);
        assert_eq!(kind("id;"), HeaderErrorKind::Token);
        assert_eq!(kind(";id"), HeaderErrorKind::Token);
        assert_eq!(kind("id;;user"), HeaderErrorKind::Token);
        assert_eq!(kind("id user"), HeaderErrorKind::Trailing);
        assert_eq!(kind("id, user"), HeaderErrorKind::Trailing);
        assert_eq!(kind("\"id\""), HeaderErrorKind::Token);
    }
}
