//! The Identity header ([RFC 8224 §4.1](https://www.rfc-editor.org/rfc/rfc8224#section-4.1)).

use std::borrow::Cow;
use std::fmt;

use super::param_check::{self, strip_quotes, token_maybe_quoted};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::uri::Uri;

/// `Identity: eyJhbGciOiJFUzI1NiIs...;info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=shaken`
/// (compact form `y`): a signed PASSporT asserting the caller's identity
/// (STIR, SHAKEN), with where to get the signer's certificate.
///
/// The value is `signed-identity-digest SEMI ident-info *(SEMI
/// ident-info-params)`: the digest comes first, then `info` with the
/// certificate URI in `<>`, then other parameters. One Identity header field
/// carries one value, but a request may carry several fields (one per
/// PASSporT type); [`crate::MessageRef::header_all`] gives one value per
/// field.
///
/// Parsing accepts the digest as base64url text with dots (the PASSporT in
/// JWS compact form; the RFC 8224 grammar lists the base64 characters `+`
/// and `/`, which are accepted too), and checks that `alg` and `ppt` are
/// tokens, also when quoted (`ppt="shaken"` is how ATIS-1000074 writes it).
///
/// ```
/// use imsip::header::{Identity, TypedHeader};
///
/// let id = Identity::parse("eyJhbGciOiJFUzI1NiJ9.eyJvcmlnIjp7fX0.c2ln;info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=\"shaken\"").unwrap();
/// assert_eq!(id.info.to_string(), "https://cert.example.org/passport.cer");
/// assert_eq!(id.alg(), Some("ES256"));
/// assert_eq!(id.ppt(), Some("shaken"));
/// assert_eq!(id.jws_parts(), Some(("eyJhbGciOiJFUzI1NiJ9", "eyJvcmlnIjp7fX0", "c2ln")));
/// assert!(Identity::parse("eyJhbGciOiJFUzI1NiJ9..c2ln;alg=ES256").is_err()); // no info
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity<'a> {
    /// The signed identity digest: the PASSporT (`header.payload.signature`,
    /// or `header..signature` in compact form).
    pub digest: Cow<'a, str>,
    /// The `info` parameter: where the signer's certificate is.
    pub info: Uri<'a>,
    /// The parameters after `info` (`alg`, `ppt`, others).
    pub params: Params<'a>,
}

/// A character of the digest: base64url, base64 and `.`.
fn is_digest_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'.')
}

impl<'a> Identity<'a> {
    /// A value of `digest` with certificate at `info`, without other
    /// parameters; `None` when `digest` has characters a digest cannot have.
    pub fn new(digest: impl Into<Cow<'a, str>>, info: Uri<'a>) -> Option<Self> {
        let digest = digest.into();
        if digest.is_empty() || !digest.bytes().all(is_digest_char) {
            return None;
        }
        Some(Identity {
            digest,
            info,
            params: Params::header(),
        })
    }

    /// The `alg` parameter (`ES256`), without quotes.
    pub fn alg(&self) -> Option<&str> {
        self.params.value("alg").map(strip_quotes)
    }

    /// The `ppt` parameter, the PASSporT extension (`shaken`, `div`,
    /// `rcd`), without quotes.
    pub fn ppt(&self) -> Option<&str> {
        self.params.value("ppt").map(strip_quotes)
    }

    /// The three parts of the PASSporT in JWS compact serialization:
    /// header, payload (empty in the compact form) and
    /// signature, still base64url-encoded. `None` unless the digest has
    /// exactly two dots.
    pub fn jws_parts(&self) -> Option<(&str, &str, &str)> {
        let mut parts = self.digest.split('.');
        let header = parts.next()?;
        let payload = parts.next()?;
        let signature = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        Some((header, payload, signature))
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Identity<'static> {
        Identity {
            digest: Cow::Owned(self.digest.into_owned()),
            info: self.info.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for Identity<'a> {
    const NAME: HeaderName = HeaderName::Identity;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        while c.peek().is_some_and(is_digest_char) {
            c.pos += 1;
        }
        if c.pos == start {
            return Err(c.error(HeaderErrorKind::Token));
        }
        let digest = &value[start..c.pos];
        c.skip_lws();
        if !c.eat(b';') {
            let kind = if c.peek().is_none() {
                HeaderErrorKind::MissingParam
            } else {
                HeaderErrorKind::Expected(b';')
            };
            return Err(c.error(kind));
        }
        c.skip_lws();
        let name_at = c.pos;
        let name = c.token()?;
        if !name.eq_ignore_ascii_case("info") {
            return Err(HeaderError::new(HeaderErrorKind::MissingParam, name_at));
        }
        c.separator(b'=')?;
        let info = c.angle_uri()?;
        let params = param_check::params(&mut c, &["alg", "ppt", "info"], |name, v| match name {
            "info" => Err(HeaderErrorKind::DuplicateParam),
            _ => token_maybe_quoted(v),
        })?;
        c.finish()?;
        Ok(Identity {
            digest: Cow::Borrowed(digest),
            info,
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.digest.as_bytes());
        dst.extend_from_slice(b";info=<");
        self.info.encode(dst);
        dst.push(b'>');
        self.params.encode(dst);
    }
}

impl fmt::Display for Identity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PASSporT shaped like the examples of RFC 8225 (ES256, `x5u`, `orig`, `dest`).
    const PASSPORT: &str = "eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9.eyJkZXN0Ijp7InVyaSI6WyJzaXA6YWxpY2VAZXhhbXBsZS5jb20iXX0sImlhdCI6IjE0NDMyMDgzNDUiLCJvcmlnIjp7InRuIjoiMTIxNTU1NTEyMTIifX0.rq3pjT1hoRwakEGjHCnWSwUnshd0-zJ6F1VOgFWSjHBr8Qjpjlk-cpFYpFYsojNCpTzO3QfPOlckGaS6hEck7w";

    #[test]
    fn examples() {
        // RFC 8224 §4.1; RFC 8588 and ATIS-1000074 (SHAKEN, `ppt` quoted).
        for (text, info, alg, ppt) in [
            (
                format!("{PASSPORT};info=<https://biloxi.example.org/biloxi.cer>"),
                "https://biloxi.example.org/biloxi.cer",
                None,
                None,
            ),
            (
                format!(
                    "{PASSPORT};info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=\"shaken\""
                ),
                "https://cert.example.org/passport.cer",
                Some("ES256"),
                Some("shaken"),
            ),
            (
                format!(
                    "{PASSPORT} ;\r\n info = <https://cert.example.org/passport.cer> ; alg = ES256 ; ppt = div"
                ),
                "https://cert.example.org/passport.cer",
                Some("ES256"),
                Some("div"),
            ),
            (
                "eyJhbGciOiJFUzI1NiJ9..c2ln;info=<sip:cert@example.org>".to_owned(),
                "sip:cert@example.org",
                None,
                None,
            ),
        ] {
            let id = Identity::parse(&text).unwrap();
            assert_eq!(id.info.to_string(), info, "{text}");
            assert_eq!((id.alg(), id.ppt()), (alg, ppt), "{text}");
            assert!(id.jws_parts().is_some(), "{text}");
            assert_eq!(Identity::parse(&id.to_string()).unwrap(), id, "{text}");
        }
        let text = format!("{PASSPORT};info=<https://x.example/c>");
        let id = Identity::parse(&text).unwrap();
        let (h, p, s) = id.jws_parts().unwrap();
        assert!(h.starts_with("eyJhbGci") && p.starts_with("eyJkZXN0") && s.ends_with("ck7w"));
    }

    #[test]
    fn canonical() {
        let id =
            Identity::parse("a.b.c ;\r\n INFO = <https://x.example/c> ; ppt = shaken").unwrap();
        assert_eq!(
            id.to_string(),
            "a.b.c;info=<https://x.example/c>;ppt=shaken"
        );
        let built = Identity::new("a.b.c", Uri::parse("https://x.example/c").unwrap()).unwrap();
        assert_eq!(built.to_string(), "a.b.c;info=<https://x.example/c>");
        assert!(Identity::new("a b", Uri::parse("https://x.example/c").unwrap()).is_none());
        assert!(Identity::new("", Uri::parse("https://x.example/c").unwrap()).is_none());
        assert_eq!(id.clone().into_owned(), id);
        assert_eq!(
            Identity::parse("a.b;info=<https://x/c>")
                .unwrap()
                .jws_parts(),
            None
        );
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            (";info=<https://x.example/c>", HeaderErrorKind::Token),
            (
                "\"a.b.c\";info=<https://x.example/c>",
                HeaderErrorKind::Token,
            ),
            ("a.b.c", HeaderErrorKind::MissingParam),
            ("a.b.c;alg=ES256", HeaderErrorKind::MissingParam),
            (
                "a.b.c;alg=ES256;info=<https://x.example/c>",
                HeaderErrorKind::MissingParam,
            ),
            (
                "a.b.c info=<https://x.example/c>",
                HeaderErrorKind::Expected(b';'),
            ),
            (
                "a.b=c;info=<https://x.example/c>",
                HeaderErrorKind::Expected(b';'),
            ),
            (
                "a.b.c;info=https://x.example/c",
                HeaderErrorKind::AngleBracket,
            ),
            (
                "a.b.c;info=<https://x.example/c",
                HeaderErrorKind::AngleBracket,
            ),
            ("a.b.c;info", HeaderErrorKind::Expected(b'=')),
            (
                "a.b.c;info=<x>",
                HeaderErrorKind::Uri(crate::uri::UriErrorKind::Scheme),
            ),
            (
                "a.b.c;info=<https://x.example/c>;info=<https://x.example/d>",
                HeaderErrorKind::Param,
            ),
            (
                "a.b.c;info=<https://x.example/c>;info=d",
                HeaderErrorKind::DuplicateParam,
            ),
            (
                "a.b.c;info=<https://x.example/c>;alg=\"ES 256\"",
                HeaderErrorKind::ParamValue,
            ),
            (
                "a.b.c;info=<https://x.example/c>;ppt=a;ppt=b",
                HeaderErrorKind::DuplicateParam,
            ),
            (
                "a.b.c;info=<https://x.example/c> x",
                HeaderErrorKind::Trailing,
            ),
        ] {
            assert_eq!(Identity::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
