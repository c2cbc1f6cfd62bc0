//! `tel:` URIs ([RFC 3966](https://www.rfc-editor.org/rfc/rfc3966)).

use std::borrow::Cow;
use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, satisfy};
use nom::combinator::{opt, recognize, verify};
use nom::multi::{many0_count, many1_count};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::error::{UriError, UriErrorKind};
use super::host::valid_hostname;
use crate::params::Params;
use crate::syntax::{self, PARAM};

/// A telephone number URI: `tel:+1-201-555-0123;ext=1234` or a local number
/// with its `phone-context`.
///
/// The number and parameters are kept as written; [`TelUri::digits`] drops the
/// visual separators, and [`TelUri::equivalent`] compares by the rules of
/// [RFC 3966 §4](https://www.rfc-editor.org/rfc/rfc3966#section-4).
///
/// ```
/// use imsip::uri::TelUri;
///
/// let tel = TelUri::parse("tel:+1-201-555-0123;ext=1234").unwrap();
/// assert!(tel.is_global());
/// assert_eq!(tel.digits().collect::<String>(), "+12015550123");
/// assert_eq!(tel.extension(), Some("1234"));
/// assert!(TelUri::parse("tel:7042").is_err()); // a local number needs phone-context
/// assert!(TelUri::parse("tel:7042;phone-context=example.com").is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TelUri<'a> {
    number: Cow<'a, str>,
    params: Params<'a>,
}

pub(super) fn is_visual(c: char) -> bool {
    matches!(c, '-' | '.' | '(' | ')')
}

fn is_phonedigit(c: char) -> bool {
    c.is_ascii_digit() || is_visual(c)
}

fn is_phonedigit_hex(c: char) -> bool {
    c.is_ascii_hexdigit() || c == '*' || c == '#' || is_visual(c)
}

/// Whether two numbers are the same once visual separators are removed
/// (hex digits case-insensitively).
fn same_digits(a: &str, b: &str) -> bool {
    fn clean(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|&c| !is_visual(c))
            .map(|c| c.to_ascii_lowercase())
    }
    clean(a).eq(clean(b))
}

/// `global-number-digits = "+" *phonedigit DIGIT *phonedigit`
fn global_number_digits(i: &str) -> IResult<&str, &str> {
    recognize(preceded(
        char('+'),
        verify(take_while1(is_phonedigit), |s: &str| {
            s.bytes().any(|b| b.is_ascii_digit())
        }),
    ))
    .parse(i)
}

/// `local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex`
fn local_number_digits(i: &str) -> IResult<&str, &str> {
    verify(take_while1(is_phonedigit_hex), |s: &str| {
        !s.chars().all(is_visual)
    })
    .parse(i)
}

/// `pct-encoded = "%" HEXDIG HEXDIG`
fn pct_encoded(i: &str) -> IResult<&str, &str> {
    recognize((
        char('%'),
        satisfy(|c| c.is_ascii_hexdigit()),
        satisfy(|c| c.is_ascii_hexdigit()),
    ))
    .parse(i)
}

/// `1*paramchar`
fn paramchars(i: &str) -> IResult<&str, &str> {
    recognize(many1_count(alt((
        take_while1(|c: char| c.is_ascii() && c != '%' && syntax::is(c as u8, PARAM)),
        pct_encoded,
    ))))
    .parse(i)
}

/// `par = ";" pname ["=" pvalue]` (extension and isdn-subaddress have the same
/// shape; their values are checked afterwards).
fn par(i: &str) -> IResult<&str, &str> {
    recognize((
        char(';'),
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-'),
        opt(preceded(char('='), paramchars)),
    ))
    .parse(i)
}

/// `telephone-subscriber`, returning the number and the raw parameters.
fn telephone_subscriber(i: &str) -> IResult<&str, (&str, &str)> {
    (
        alt((global_number_digits, local_number_digits)),
        recognize(many0_count(par)),
    )
        .parse(i)
}

impl<'a> TelUri<'a> {
    /// Parses a whole `tel:` URI (scheme case-insensitive).
    ///
    /// # Errors
    /// [`UriErrorKind::Scheme`] when the scheme is not `tel`, and
    /// [`UriErrorKind::Tel`] when the rest is not a `telephone-subscriber` (a
    /// local number without `phone-context` included).
    pub fn parse(s: &'a str) -> Result<TelUri<'a>, UriError> {
        if !s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:")) {
            return Err(UriError::new(UriErrorKind::Scheme, 0));
        }
        let body = &s[4..];
        let (rest, (number, raw_params)) =
            telephone_subscriber(body).map_err(|_| UriError::new(UriErrorKind::Tel, 4))?;
        if !rest.is_empty() {
            return Err(UriError::new(UriErrorKind::Tel, s.len() - rest.len()));
        }
        let params_at = 4 + number.len();
        let (params, _) = Params::parse_uri_at(s, params_at, crate::params::any)
            .map_err(|f| UriError::new(UriErrorKind::Tel, f.position()))?;
        debug_assert_eq!(params.as_str(), raw_params);
        let tel = TelUri {
            number: Cow::Borrowed(number),
            params,
        };
        tel.check_params()
            .map_err(|()| UriError::new(UriErrorKind::Tel, params_at))?;
        Ok(tel)
    }

    fn check_params(&self) -> Result<(), ()> {
        for p in self.params.iter() {
            let ok = if p.is("ext") {
                p.value.is_some_and(|v| v.chars().all(is_phonedigit))
            } else if p.is("phone-context") {
                p.value.is_some_and(|v| {
                    global_number_digits(v).is_ok_and(|(rest, _)| rest.is_empty())
                        || valid_hostname(v.as_bytes())
                })
            } else if p.is("isub") {
                p.value.is_some()
            } else {
                true
            };
            if !ok {
                return Err(());
            }
        }
        if !self.is_global() && self.phone_context().is_none() {
            return Err(());
        }
        Ok(())
    }

    /// The number as written, visual separators included.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// Whether the number is global (`+` and a country code).
    pub fn is_global(&self) -> bool {
        self.number.starts_with('+')
    }

    /// The number without visual separators (`-`, `.`, `(`, `)`).
    pub fn digits(&self) -> impl Iterator<Item = char> + '_ {
        self.number.chars().filter(|&c| !is_visual(c))
    }

    /// The `ext` parameter.
    pub fn extension(&self) -> Option<&str> {
        self.params.value("ext")
    }

    /// The `phone-context` parameter.
    pub fn phone_context(&self) -> Option<&str> {
        self.params.value("phone-context")
    }

    /// The `isub` parameter.
    pub fn isdn_subaddress(&self) -> Option<&str> {
        self.params.value("isub")
    }

    /// All parameters.
    pub fn params(&self) -> &Params<'a> {
        &self.params
    }

    /// Writes the URI.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(b"tel:");
        dst.extend_from_slice(self.number.as_bytes());
        self.params.encode(dst);
    }

    /// Whether the two URIs are equal by
    /// [RFC 3966 §4](https://www.rfc-editor.org/rfc/rfc3966#section-4): both
    /// global or both local, the same digits once visual separators are
    /// removed, and the same set of parameters whatever their order, compared
    /// case-insensitively (`ext` and a numeric `phone-context` without visual
    /// separators).
    pub fn equivalent(&self, other: &TelUri<'_>) -> bool {
        if self.is_global() != other.is_global() || !same_digits(&self.number, &other.number) {
            return false;
        }
        if self.params.len() != other.params.len() {
            return false;
        }
        self.params.iter().all(|a| {
            other.params.iter().any(|b| {
                a.name.eq_ignore_ascii_case(b.name)
                    && match (a.value, b.value) {
                        (None, None) => true,
                        (Some(x), Some(y)) if a.is("ext") || a.is("phone-context") => {
                            same_digits(x, y)
                        }
                        (Some(x), Some(y)) => crate::syntax::escaped_eq(x, y, true),
                        _ => false,
                    }
            })
        })
    }

    /// Copies borrowed text so the URI outlives the input.
    pub fn into_owned(self) -> TelUri<'static> {
        TelUri {
            number: Cow::Owned(self.number.into_owned()),
            params: self.params.into_owned(),
        }
    }
}

impl fmt::Display for TelUri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3966_examples() {
        for s in [
            "tel:+1-201-555-0123",
            "tel:7042;phone-context=example.com",
            "tel:863-1234;phone-context=+1-914-555",
            "tel:+1-201-555-0123;ext=1234",
            "tel:+358-555-1234567;isub=1411;postd=pp22",
            "tel:*123#;phone-context=ims.example.net",
        ] {
            let t = TelUri::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(t.to_string(), s);
        }
        for s in [
            "tel:",
            "tel:+",
            "tel:+-",
            "tel:7042",
            "tel:+1 201",
            "tel:+1;ext=12a",
            "tel:+1;phone-context=-bad",
            "tel:+1;",
            "sip:+1",
        ] {
            assert!(TelUri::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn comparison() {
        let eq = |a, b| {
            TelUri::parse(a)
                .unwrap()
                .equivalent(&TelUri::parse(b).unwrap())
        };
        assert!(eq("tel:+1-201-555-0123", "tel:+1(201)5550123"));
        assert!(eq(
            "tel:7042;phone-context=example.com",
            "tel:7042;PHONE-CONTEXT=Example.COM"
        ));
        assert!(eq("tel:+1;a=1;b=2", "tel:+1;b=2;a=1"));
        assert!(!eq("tel:+1;a=1", "tel:+1"));
        assert!(!eq("tel:+1-201-555-0123", "tel:+1-201-555-0124"));
        assert!(eq("tel:+1;ext=1-2", "tel:+1;ext=12"));
    }
}
