//! Parameter checks shared by the extension headers (Subscription-State,
//! Session-Expires, Reason, Replaces, History-Info, Identity, ...): each
//! header names the parameters its RFC defines, and a refused value carries
//! the error kind that says why (a number too large is
//! [`HeaderErrorKind::OutOfRange`], a second `expires` is
//! [`HeaderErrorKind::DuplicateParam`], anything else
//! [`HeaderErrorKind::ParamValue`]).

use super::{Cursor, HeaderError, HeaderErrorKind};
use crate::params::Params;
use crate::syntax;

/// What a parameter check returns: `Err(kind)` refuses the parameter.
pub(super) type Check = Result<(), HeaderErrorKind>;

/// Parses `*( SEMI generic-param )` at the cursor. A parameter whose name is
/// in `known` (ASCII case-insensitive, at most 32 names) may appear once
/// ([`HeaderErrorKind::DuplicateParam`]) and is passed to `check` under its
/// name as spelled in `known`, with its value as written; other parameters
/// are accepted as generic parameters.
pub(super) fn params<'a>(
    c: &mut Cursor<'a>,
    known: &'static [&'static str],
    mut check: impl FnMut(&'static str, Option<&'a str>) -> Check,
) -> Result<Params<'a>, HeaderError> {
    let mut seen = 0u32;
    let mut fault = HeaderErrorKind::ParamValue;
    let result = c.params_checked(|name, value| {
        let Some(i) = known.iter().position(|k| k.eq_ignore_ascii_case(name)) else {
            return true;
        };
        let bit = 1u32 << (i % 32);
        let verdict = if seen & bit != 0 {
            Err(HeaderErrorKind::DuplicateParam)
        } else {
            seen |= bit;
            check(known[i], value)
        };
        match verdict {
            Ok(()) => true,
            Err(kind) => {
                fault = kind;
                false
            }
        }
    });
    result.map_err(|e| {
        if e.kind() == HeaderErrorKind::ParamValue {
            HeaderError::new(fault, e.offset())
        } else {
            e
        }
    })
}

/// `delta-seconds` or another `1*DIGIT` that must fit in 32 bits.
pub(super) fn number(value: Option<&str>) -> Check {
    match value.map(|v| syntax::parse_u32(v.as_bytes())) {
        Some(Ok(_)) => Ok(()),
        Some(Err(true)) => Err(HeaderErrorKind::OutOfRange),
        _ => Err(HeaderErrorKind::ParamValue),
    }
}

/// A checked number parameter's value (`None` when absent or not a number).
pub(super) fn number_value(value: Option<&str>) -> Option<u32> {
    value.and_then(|v| syntax::parse_u32(v.as_bytes()).ok())
}

/// A `token` value.
pub(super) fn token(value: Option<&str>) -> Check {
    match value {
        Some(v) if syntax::is_token(v.as_bytes()) => Ok(()),
        _ => Err(HeaderErrorKind::ParamValue),
    }
}

/// A `token`, or a quoted string holding one (`ppt="shaken"`, as SHAKEN
/// writes it although RFC 8224 says token).
pub(super) fn token_maybe_quoted(value: Option<&str>) -> Check {
    token(value.map(strip_quotes))
}

/// The value without the quotes around it, if it has them.
pub(super) fn strip_quotes(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(v)
}

/// A `quoted-string` value.
pub(super) fn quoted(value: Option<&str>) -> Check {
    match value {
        Some(v) if v.starts_with('"') => Ok(()),
        _ => Err(HeaderErrorKind::ParamValue),
    }
}

/// A flag: a parameter without value.
pub(super) fn flag(value: Option<&str>) -> Check {
    match value {
        None => Ok(()),
        Some(_) => Err(HeaderErrorKind::ParamValue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Result<usize, HeaderErrorKind> {
        let mut c = Cursor::new(s);
        let p = params(&mut c, &["n", "t", "f"], |name, v| match name {
            "n" => number(v),
            "t" => token(v),
            _ => flag(v),
        })
        .map_err(|e| e.kind())?;
        Ok(p.len())
    }

    #[test]
    fn kinds() {
        assert_eq!(run(";n=1;T=x;f;other=\"q\""), Ok(4));
        assert_eq!(run(";n=4294967296"), Err(HeaderErrorKind::OutOfRange));
        assert_eq!(run(";n=x"), Err(HeaderErrorKind::ParamValue));
        assert_eq!(run(";n"), Err(HeaderErrorKind::ParamValue));
        assert_eq!(run(";t=\"x\""), Err(HeaderErrorKind::ParamValue));
        assert_eq!(run(";f=1"), Err(HeaderErrorKind::ParamValue));
        assert_eq!(run(";n=1;N=2"), Err(HeaderErrorKind::DuplicateParam));
        assert_eq!(run(";n=1;;"), Err(HeaderErrorKind::Param));
        assert_eq!(token_maybe_quoted(Some("\"shaken\"")), Ok(()));
        assert_eq!(
            token_maybe_quoted(Some("\"a b\"")),
            Err(HeaderErrorKind::ParamValue)
        );
        assert_eq!(quoted(Some("x")), Err(HeaderErrorKind::ParamValue));
    }
}
