//! The Priority header ([RFC 3261 §20.26](https://www.rfc-editor.org/rfc/rfc3261#section-20.26)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderName, TypedHeader};

/// `Priority: emergency`: the urgency of a request as the caller sees it.
///
/// The four values of RFC 3261 are recognised case-insensitively and
/// encoded in lower case; any other token is kept as written.
///
/// ```
/// use imsip::header::{Priority, TypedHeader};
///
/// // RFC 3261 §20.26.
/// assert_eq!(Priority::parse("emergency").unwrap(), Priority::Emergency);
/// assert_eq!(Priority::parse("non-urgent").unwrap(), Priority::NonUrgent);
/// assert_eq!(Priority::parse("x-high").unwrap(), Priority::Other("x-high".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Priority<'a> {
    /// `emergency`.
    Emergency,
    /// `urgent`.
    Urgent,
    /// `normal`.
    Normal,
    /// `non-urgent`.
    NonUrgent,
    /// Any other token (`other-priority`), as written.
    Other(Cow<'a, str>),
}

impl<'a> Priority<'a> {
    /// The priority a token stands for (known ones case-insensitively).
    pub fn from_token(token: &'a str) -> Self {
        const KNOWN: [(&str, Priority<'static>); 4] = [
            ("emergency", Priority::Emergency),
            ("urgent", Priority::Urgent),
            ("normal", Priority::Normal),
            ("non-urgent", Priority::NonUrgent),
        ];
        KNOWN
            .into_iter()
            .find(|(name, _)| token.eq_ignore_ascii_case(name))
            .map_or(Priority::Other(Cow::Borrowed(token)), |(_, p)| p)
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        match self {
            Priority::Emergency => "emergency",
            Priority::Urgent => "urgent",
            Priority::Normal => "normal",
            Priority::NonUrgent => "non-urgent",
            Priority::Other(t) => t,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Priority<'static> {
        match self {
            Priority::Emergency => Priority::Emergency,
            Priority::Urgent => Priority::Urgent,
            Priority::Normal => Priority::Normal,
            Priority::NonUrgent => Priority::NonUrgent,
            Priority::Other(t) => Priority::Other(Cow::Owned(t.into_owned())),
        }
    }
}

impl<'a> TypedHeader<'a> for Priority<'a> {
    const NAME: HeaderName = HeaderName::Priority;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let token = c.token()?;
        c.finish()?;
        Ok(Priority::from_token(token))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.as_str().as_bytes());
    }
}

impl fmt::Display for Priority<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderErrorKind;

    #[test]
    fn examples() {
        // RFC 3261 §20.26.
        for (text, p, canonical) in [
            ("emergency", Priority::Emergency, "emergency"),
            ("urgent", Priority::Urgent, "urgent"),
            ("Normal", Priority::Normal, "normal"),
            (" NON-URGENT ", Priority::NonUrgent, "non-urgent"),
            (
                "psap-callback",
                Priority::Other("psap-callback".into()),
                "psap-callback",
            ),
        ] {
            let parsed = Priority::parse(text).unwrap();
            assert_eq!(parsed, p, "{text}");
            assert_eq!(parsed.to_string(), canonical);
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("non urgent", HeaderErrorKind::Trailing),
            ("urgent;x=1", HeaderErrorKind::Trailing),
            ("\"urgent\"", HeaderErrorKind::Token),
        ] {
            assert_eq!(Priority::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
