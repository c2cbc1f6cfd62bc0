//! The Organization header ([RFC 3261 §20.25](https://www.rfc-editor.org/rfc/rfc3261#section-20.25)).

use std::borrow::Cow;
use std::fmt;

use super::{HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax;

/// Parses `[TEXT-UTF8-TRIM]`: free text without control characters, white
/// space around it dropped. Folds (and the white space around them) become
/// one space, which is the only case that allocates; other white space is
/// kept as written.
///
/// A control character is [`HeaderErrorKind::Trailing`], at its position.
pub(super) fn parse_text(value: &str) -> Result<Cow<'_, str>, HeaderError> {
    let b = value.as_bytes();
    let start = syntax::skip_lws(b, 0);
    let end = syntax::trim_lws_end(b, start, b.len());
    let mut folded = false;
    let mut i = start;
    while i < end {
        match b[i] {
            b'\r' | b'\n' => {
                let after = syntax::skip_lws(b, i);
                if after == i {
                    return Err(HeaderError::new(HeaderErrorKind::Trailing, i));
                }
                folded = true;
                i = after;
            }
            b'\t' => i += 1,
            c if c < 0x20 || c == 0x7f => {
                return Err(HeaderError::new(HeaderErrorKind::Trailing, i));
            }
            _ => i += 1,
        }
    }
    let text = &value[start..end];
    Ok(if folded {
        Cow::Owned(unfold(text, false))
    } else {
        Cow::Borrowed(text)
    })
}

/// Replaces each run of linear white space that holds a line break with
/// one space, keeping other runs as they are. With `quoted_pairs`, a `\`
/// and the character after it are copied as they are (for comments).
pub(super) fn unfold(text: &str, quoted_pairs: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if quoted_pairs => i += 2,
            b' ' | b'\t' | b'\r' | b'\n' => {
                let mut end = i;
                while end < b.len() && matches!(b[end], b' ' | b'\t' | b'\r' | b'\n') {
                    end += 1;
                }
                if b[i..end].iter().any(|&c| c == b'\r' || c == b'\n') {
                    out.push_str(text.get(copied..i).unwrap_or_default());
                    out.push(' ');
                    copied = end;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Writes free text, control characters (which a parsed value never has)
/// as spaces so that the header stays on one line.
pub(super) fn write_text(dst: &mut Vec<u8>, text: &str) {
    dst.extend(text.bytes().map(|c| {
        if (c < 0x20 && c != b'\t') || c == 0x7f {
            b' '
        } else {
            c
        }
    }));
}

/// `Organization: Boxes by Bob`: the organization the sender belongs to, as
/// free text (possibly empty).
///
/// Surrounding white space is dropped; a folded value is unfolded.
///
/// ```
/// use imsip::header::{Organization, TypedHeader};
///
/// // RFC 3261 §20.25.
/// let o = Organization::parse("Boxes by Bob").unwrap();
/// assert_eq!(o.as_str(), "Boxes by Bob");
/// assert_eq!(Organization::parse("").unwrap().as_str(), "");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Organization<'a>(pub Cow<'a, str>);

impl Organization<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Organization<'static> {
        Organization(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TypedHeader<'a> for Organization<'a> {
    const NAME: HeaderName = HeaderName::Organization;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        parse_text(value).map(Organization)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        write_text(dst, &self.0);
    }
}

impl fmt::Display for Organization<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 3261 §20.25, and free text with UTF-8 and odd spacing.
        for (text, org) in [
            ("Boxes by Bob", "Boxes by Bob"),
            ("", ""),
            ("   ", ""),
            (" Ericsson\tAB  ", "Ericsson\tAB"),
            ("Dépôt \"central\" (Paris)", "Dépôt \"central\" (Paris)"),
            ("Boxes\r\n by  \r\n\tBob", "Boxes by Bob"),
            ("a\\ \r\n b", "a\\ b"),
        ] {
            let o = Organization::parse(text).unwrap();
            assert_eq!(o.as_str(), org, "{text:?}");
            assert_eq!(o.to_string(), org);
        }
        assert!(matches!(
            Organization::parse("Boxes by Bob").unwrap().0,
            Cow::Borrowed(_)
        ));
        for (text, at) in [("Boxes\0Bob", 5), ("a\r\nb", 1), ("x\x7f", 1), ("a\nb", 1)] {
            let e = Organization::parse(text).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (HeaderErrorKind::Trailing, at),
                "{text:?}"
            );
        }
        let mut out = Vec::new();
        Organization(Cow::Borrowed("a\r\nb")).encode(&mut out);
        assert_eq!(out, b"a  b");
        assert_eq!(unfold("(a\\ \r\n b)", true), "(a\\  b)");
    }
}
