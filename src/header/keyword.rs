//! `keyword_enum!`: an enum of the values a grammar names for a token
//! (`"sendrecv" / "sendonly" / ... / token`), with `Other` for any other
//! token. Known values match without regard to ASCII case (ABNF literal
//! strings are case-insensitive) and are written in the spelling of their
//! RFC; `Other` keeps the text as written.

/// Defines `pub enum $ty<'a> { $variant, ..., Other(Cow<'a, str>) }` with
/// `from_token`, `as_str`, `into_owned` and `Display`.
macro_rules! keyword_enum {
    (
        $(#[$doc:meta])*
        $ty:ident {
            $( $(#[$vdoc:meta])* $variant:ident => $text:literal, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $ty<'a> {
            $( $(#[$vdoc])* $variant, )*
            /// Any other value, as written.
            Other(std::borrow::Cow<'a, str>),
        }

        impl<'a> $ty<'a> {
            /// The value `text` stands for: a known value whatever its ASCII
            /// case, or `Other` (borrowing `text`).
            pub fn from_token(text: &'a str) -> Self {
                $(
                    if text.eq_ignore_ascii_case($text) {
                        return $ty::$variant;
                    }
                )*
                $ty::Other(std::borrow::Cow::Borrowed(text))
            }

            /// The value as written on the wire (the RFC's spelling for known
            /// values).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $ty::$variant => $text, )*
                    $ty::Other(s) => s,
                }
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                match self {
                    $( $ty::$variant => $ty::$variant, )*
                    $ty::Other(s) => $ty::Other(std::borrow::Cow::Owned(s.into_owned())),
                }
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Defines a list header whose every element is one value of a
/// [`keyword_enum!`] type (P-Early-Media, Request-Disposition): the enum
/// itself implements [`super::TypedHeader`].
macro_rules! keyword_header {
    ($ty:ident, $name:ident) => {
        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let mut c = $crate::header::Cursor::new(value);
                if c.peek().is_none() {
                    return Err(c.error($crate::header::HeaderErrorKind::Empty));
                }
                let token = c.token()?;
                c.finish()?;
                Ok($ty::from_token(token))
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.extend_from_slice(self.as_str().as_bytes());
            }
        }
    };
}

/// Checks a flag parameter (`;require`, `;network-provided`): it has no
/// value.
pub(crate) fn is_flag(value: Option<&str>) -> bool {
    value.is_none()
}

/// Checks a parameter whose value is one token (a closed or extensible set
/// of keywords, `d-alg`, ...).
pub(crate) fn is_token_value(value: Option<&str>) -> bool {
    value.is_some_and(|v| crate::syntax::is_token(v.as_bytes()))
}

/// Checks a parameter whose value is `token / quoted-string`.
pub(crate) fn is_token_or_quoted(value: Option<&str>) -> bool {
    value.is_some_and(|v| crate::syntax::is_token(v.as_bytes()) || v.starts_with('"'))
}

/// Checks a parameter whose value is a `quoted-string`.
pub(crate) fn is_quoted(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.starts_with('"'))
}

/// Whether a parameter value is decimal digits of at most `max`; a value
/// above `max` (or beyond `u32`) sets `overflow`, so that the caller can
/// report [`super::HeaderErrorKind::OutOfRange`] rather than a bad value.
pub(crate) fn number_value(value: Option<&str>, max: u32, overflow: &mut bool) -> bool {
    match value.map(|v| crate::syntax::parse_u32(v.as_bytes())) {
        Some(Ok(n)) if n <= max => true,
        Some(Ok(_)) | Some(Err(true)) => {
            *overflow = true;
            false
        }
        _ => false,
    }
}

/// Turns the [`super::HeaderErrorKind::ParamValue`] of a number check that
/// overflowed into [`super::HeaderErrorKind::OutOfRange`] at the same place.
pub(crate) fn overflow_error(e: super::HeaderError, overflow: bool) -> super::HeaderError {
    if overflow && e.kind() == super::HeaderErrorKind::ParamValue {
        super::HeaderError::new(super::HeaderErrorKind::OutOfRange, e.offset())
    } else {
        e
    }
}

pub(crate) use {keyword_enum, keyword_header};
