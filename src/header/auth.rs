//! Authentication headers: WWW-Authenticate, Proxy-Authenticate,
//! Authorization, Proxy-Authorization ([RFC 3261 §20.7, §20.27, §20.28,
//! §20.44](https://www.rfc-editor.org/rfc/rfc3261#section-20.7)) and
//! Authentication-Info (§20.6), for any scheme.
//!
//! A challenge or credentials value is a scheme and either a comma-separated
//! list of `name=value` parameters or a `token68` (RFC 7235, used by `Bearer`,
//! RFC 8898). The parameters are kept as written and read by name; the
//! accessors cover Digest (RFC 7616, RFC 8760), Digest AKA (RFC 3310, RFC 4169)
//! and the IMS additions of TS 24.229 (`ck`, `ik`, `integrity-protected`).
//!
//! Each of these headers carries one value per header field: commas separate
//! parameters, not values.

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::syntax::{self, TOKEN};

/// At most this many parameters in one value, so that the duplicate check
/// stays cheap on hostile input.
pub(crate) const MAX_AUTH_PARAMS: usize = 64;

/// The parameters of a challenge or credentials: `realm="x", nonce="y", qop=auth`.
///
/// Names compare case-insensitively; a name appears at most once.
#[derive(Clone, Default)]
pub struct AuthParams<'a> {
    raw: Cow<'a, str>,
}

/// The position after the closing quote of a quoted string whose opening
/// quote ends before `i`, in text already known to be well formed.
fn skip_quoted(b: &[u8], mut i: usize) -> usize {
    while let Some(off) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += off;
        if b[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    b.len()
}

/// Characters of an unquoted parameter value. RFC 7235 says `token`, but
/// base64 nonces and URIs are seen unquoted in the field; anything but white
/// space, `,` and `"` is accepted, except that a value cannot start with `=`
/// (`name==` would read back as a token68).
fn is_bare_value(b: u8) -> bool {
    b > b' ' && b != b',' && b != b'"' && b != 0x7f
}

impl<'a> AuthParams<'a> {
    /// An empty list.
    pub const fn new() -> Self {
        AuthParams {
            raw: Cow::Borrowed(""),
        }
    }

    /// Parses `s` from `pos` to its end as `auth-param *(COMMA
    /// auth-param)`; empty elements between commas are skipped.
    pub(crate) fn parse_at(s: &'a str, pos: usize) -> Result<AuthParams<'a>, HeaderError> {
        let b = s.as_bytes();
        let mut p = pos;
        let mut count = 0;
        let mut seen: smallvec::SmallVec<[&str; 16]> = smallvec::SmallVec::new();
        loop {
            p = syntax::skip_lws(b, p);
            while b.get(p) == Some(&b',') {
                p = syntax::skip_lws(b, p + 1);
            }
            if p >= b.len() {
                break;
            }
            let name_start = p;
            p = syntax::scan(b, p, TOKEN);
            if p == name_start {
                return Err(HeaderError::new(HeaderErrorKind::Token, p));
            }
            let name = &s[name_start..p];
            p = syntax::skip_lws(b, p);
            if b.get(p) != Some(&b'=') {
                return Err(HeaderError::new(HeaderErrorKind::Expected(b'='), p));
            }
            p = syntax::skip_lws(b, p + 1);
            if b.get(p) == Some(&b'"') {
                p = syntax::quoted_string_end(b, p)
                    .map_err(|e| HeaderError::new(HeaderErrorKind::QuotedString, e))?;
            } else {
                let v = p;
                while p < b.len() && is_bare_value(b[p]) {
                    p += 1;
                }
                if p == v || b[v] == b'=' {
                    return Err(HeaderError::new(HeaderErrorKind::ParamValue, v));
                }
            }
            count += 1;
            if count > MAX_AUTH_PARAMS {
                return Err(HeaderError::new(HeaderErrorKind::TooManyParams, name_start));
            }
            if seen
                .iter()
                .any(|n: &&str| n.len() == name.len() && n.eq_ignore_ascii_case(name))
            {
                return Err(HeaderError::new(
                    HeaderErrorKind::DuplicateParam,
                    name_start,
                ));
            }
            seen.push(name);
            p = syntax::skip_lws(b, p);
            match b.get(p) {
                None => break,
                Some(b',') => {}
                Some(_) => return Err(HeaderError::new(HeaderErrorKind::Expected(b','), p)),
            }
        }
        Ok(AuthParams {
            raw: Cow::Borrowed(&s[pos..]),
        })
    }

    /// The parameters in order as `(name, value as written)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let s: &str = &self.raw;
        let b = s.as_bytes();
        let mut p = 0;
        std::iter::from_fn(move || {
            p = syntax::skip_lws(b, p);
            while b.get(p) == Some(&b',') {
                p = syntax::skip_lws(b, p + 1);
            }
            if p >= b.len() {
                return None;
            }
            let name_start = p;
            p = syntax::scan(b, p, TOKEN);
            let name = s.get(name_start..p)?;
            p = syntax::skip_lws(b, p);
            if b.get(p) == Some(&b'=') {
                p = syntax::skip_lws(b, p + 1);
            }
            let v = p;
            if b.get(p) == Some(&b'"') {
                // The text was checked when parsed or built: only the end
                // of the quoted string is needed.
                p = skip_quoted(b, p + 1);
            } else {
                while p < b.len() && is_bare_value(b[p]) {
                    p += 1;
                }
            }
            let value = s.get(v..p)?;
            if p == name_start {
                p += 1;
            }
            Some((name, value))
        })
    }

    /// The value of `name` as written (quoted values keep their quotes).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The value of `name` with quotes removed and quoted-pairs resolved.
    pub fn unquoted(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|v| {
            if v.starts_with('"') {
                syntax::unquote(v)
            } else {
                Cow::Borrowed(v)
            }
        })
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Appends `name="text"` (quoting `text`).
    ///
    /// # Errors
    /// [`HeaderErrorKind::Token`] when `name` is not a token, and
    /// [`HeaderErrorKind::DuplicateParam`] when it is already present.
    pub fn push_quoted(&mut self, name: &str, text: &str) -> Result<(), HeaderError> {
        let mut q = Vec::with_capacity(text.len() + 2);
        syntax::write_quoted(&mut q, text);
        self.push_raw(name, &String::from_utf8_lossy(&q))
    }

    /// Appends `name=token` without quotes (`algorithm=MD5`, `nc=00000001`).
    ///
    /// # Errors
    /// As [`AuthParams::push_quoted`], and [`HeaderErrorKind::ParamValue`]
    /// when `value` has white space, `,` or `"`.
    pub fn push_token(&mut self, name: &str, value: &str) -> Result<(), HeaderError> {
        if value.is_empty() || value.starts_with('=') || !value.bytes().all(is_bare_value) {
            return Err(HeaderError::new(HeaderErrorKind::ParamValue, 0));
        }
        self.push_raw(name, value)
    }

    /// Removes the parameter `name` (ASCII case ignored); whether it was
    /// there. The others keep their order and their text.
    pub fn remove(&mut self, name: &str) -> bool {
        if self.get(name).is_none() {
            return false;
        }
        let mut kept = String::with_capacity(self.raw.len());
        for (n, v) in self.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(name)) {
            if !kept.is_empty() {
                kept.push_str(", ");
            }
            kept.push_str(n);
            kept.push('=');
            kept.push_str(v);
        }
        self.raw = Cow::Owned(kept);
        true
    }

    fn push_raw(&mut self, name: &str, value: &str) -> Result<(), HeaderError> {
        if !syntax::is_token(name.as_bytes()) {
            return Err(HeaderError::new(HeaderErrorKind::Token, 0));
        }
        if self.get(name).is_some() {
            return Err(HeaderError::new(HeaderErrorKind::DuplicateParam, 0));
        }
        let raw = self.raw.to_mut();
        if !raw.is_empty() {
            raw.push_str(", ");
        }
        raw.push_str(name);
        raw.push('=');
        raw.push_str(value);
        Ok(())
    }

    /// Writes `name=value, name=value` (values as written).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        for (i, (n, v)) in self.iter().enumerate() {
            if i > 0 {
                dst.extend_from_slice(b", ");
            }
            dst.extend_from_slice(n.as_bytes());
            dst.push(b'=');
            dst.extend_from_slice(v.as_bytes());
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> AuthParams<'static> {
        AuthParams {
            raw: Cow::Owned(self.raw.into_owned()),
        }
    }
}

impl PartialEq for AuthParams<'_> {
    fn eq(&self, other: &Self) -> bool {
        let mut a = self.iter();
        let mut b = other.iter();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some((n, v)), Some((m, w))) if n.eq_ignore_ascii_case(m) && v == w => {}
                _ => return false,
            }
        }
    }
}

impl Eq for AuthParams<'_> {}

/// Parameters that carry secrets or values derived from them, which `Debug`
/// does not print.
const SECRET_PARAMS: [&str; 5] = ["response", "rspauth", "ck", "ik", "auts"];

impl fmt::Debug for AuthParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (n, v) in self.iter() {
            if SECRET_PARAMS.iter().any(|s| n.eq_ignore_ascii_case(s)) {
                m.entry(&n, &"<redacted>");
            } else {
                m.entry(&n, &v);
            }
        }
        m.finish()
    }
}

/// Scheme plus parameters or token68: the shape shared by challenges and
/// credentials.
fn parse_scheme_value<'a>(
    value: &'a str,
) -> Result<(&'a str, Option<&'a str>, AuthParams<'a>), HeaderError> {
    let mut c = Cursor::new(value);
    let scheme = c.token()?;
    let before = c.pos;
    c.skip_lws();
    if c.pos == c.s.len() {
        return Ok((scheme, None, AuthParams::new()));
    }
    if c.pos == before {
        return Err(c.error(HeaderErrorKind::Expected(b' ')));
    }
    let end = syntax::trim_lws_end(c.bytes(), c.pos, c.s.len());
    let rest = &value[c.pos..end];
    if is_token68(rest.as_bytes()) {
        return Ok((scheme, Some(rest), AuthParams::new()));
    }
    let params = AuthParams::parse_at(rest, 0).map_err(|e| e.shifted(c.pos))?;
    Ok((scheme, None, params))
}

/// `token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
fn is_token68(b: &[u8]) -> bool {
    let body = b.iter().rposition(|&c| c != b'=').map_or(0, |i| i + 1);
    body > 0
        && b[..body]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"-._~+/".contains(&c))
}

fn encode_scheme_value(
    scheme: &str,
    token68: Option<&str>,
    params: &AuthParams<'_>,
    dst: &mut Vec<u8>,
) {
    dst.extend_from_slice(scheme.as_bytes());
    if let Some(t) = token68 {
        dst.push(b' ');
        dst.extend_from_slice(t.as_bytes());
    } else if !params.is_empty() {
        dst.push(b' ');
        params.encode(dst);
    }
}

/// A challenge: `Digest realm="ims.example.net", nonce="...", algorithm=AKAv1-MD5, qop="auth"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// The scheme (`Digest`, `Bearer`, ...), compared case-insensitively.
    pub scheme: Cow<'a, str>,
    /// A `token68` in place of parameters.
    pub token68: Option<Cow<'a, str>>,
    /// The parameters.
    pub params: AuthParams<'a>,
}

/// Credentials: `Digest username="alice", realm="...", nonce="...", uri="sip:...", response="..."`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials<'a> {
    /// The scheme (`Digest`, `Bearer`, ...), compared case-insensitively.
    pub scheme: Cow<'a, str>,
    /// A `token68` in place of parameters (`Bearer <token>`).
    pub token68: Option<Cow<'a, str>>,
    /// The parameters.
    pub params: AuthParams<'a>,
}

macro_rules! scheme_value_common {
    ($ty:ident) => {
        impl<'a> $ty<'a> {
            /// A value of `scheme` with no parameters yet.
            pub fn new(scheme: &'a str) -> Self {
                $ty {
                    scheme: Cow::Borrowed(scheme),
                    token68: None,
                    params: AuthParams::new(),
                }
            }

            /// Parses a whole value.
            ///
            /// # Errors
            /// A [`HeaderError`] when the value breaks the grammar.
            pub fn parse(value: &'a str) -> Result<Self, HeaderError> {
                let (scheme, token68, params) = parse_scheme_value(value)?;
                Ok($ty {
                    scheme: Cow::Borrowed(scheme),
                    token68: token68.map(Cow::Borrowed),
                    params,
                })
            }

            /// Whether the scheme is `Digest`.
            pub fn is_digest(&self) -> bool {
                self.scheme.eq_ignore_ascii_case("Digest")
            }

            /// A parameter's value, unquoted.
            pub fn param(&self, name: &str) -> Option<Cow<'_, str>> {
                self.params.unquoted(name)
            }

            /// The `realm` parameter.
            pub fn realm(&self) -> Option<Cow<'_, str>> {
                self.param("realm")
            }

            /// The `nonce` parameter.
            pub fn nonce(&self) -> Option<Cow<'_, str>> {
                self.param("nonce")
            }

            /// The `opaque` parameter.
            pub fn opaque(&self) -> Option<Cow<'_, str>> {
                self.param("opaque")
            }

            /// The `algorithm` parameter (`MD5`, `SHA-256`, `AKAv1-MD5`, ...).
            pub fn algorithm(&self) -> Option<Cow<'_, str>> {
                self.param("algorithm")
            }

            /// Whether `userhash=true` (RFC 7616 §3.4.4).
            pub fn userhash(&self) -> bool {
                self.param("userhash")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            }

            /// Writes `scheme params` or `scheme token68`.
            pub fn encode(&self, dst: &mut Vec<u8>) {
                encode_scheme_value(&self.scheme, self.token68.as_deref(), &self.params, dst);
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    scheme: Cow::Owned(self.scheme.into_owned()),
                    token68: self.token68.map(|t| Cow::Owned(t.into_owned())),
                    params: self.params.into_owned(),
                }
            }
        }

        impl fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                crate::syntax::fmt_encoded(f, |out| self.encode(out))
            }
        }
    };
}

scheme_value_common!(Challenge);
scheme_value_common!(Credentials);

impl Challenge<'_> {
    /// The `domain` parameter.
    pub fn domain(&self) -> Option<Cow<'_, str>> {
        self.param("domain")
    }

    /// Whether `stale=true`: the nonce expired but the credentials were good.
    pub fn stale(&self) -> bool {
        self.param("stale")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The qop options offered (`qop="auth,auth-int"`).
    pub fn qop_options(&self) -> impl Iterator<Item = String> + '_ {
        self.param("qop")
            .map(|q| {
                q.split(',')
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
    }

    /// The `charset` parameter (RFC 7616).
    pub fn charset(&self) -> Option<Cow<'_, str>> {
        self.param("charset")
    }

    /// The `ck` parameter: the cipher key an S-CSCF hands to the P-CSCF
    /// (TS 24.229).
    pub fn ck(&self) -> Option<Cow<'_, str>> {
        self.param("ck")
    }

    /// The `ik` parameter: the integrity key an S-CSCF hands to the P-CSCF
    /// (TS 24.229).
    pub fn ik(&self) -> Option<Cow<'_, str>> {
        self.param("ik")
    }
}

impl Credentials<'_> {
    /// The `username` parameter.
    pub fn username(&self) -> Option<Cow<'_, str>> {
        self.param("username")
    }

    /// The `uri` parameter (the digest-uri).
    pub fn uri(&self) -> Option<Cow<'_, str>> {
        self.param("uri")
    }

    /// The `response` parameter.
    pub fn response(&self) -> Option<Cow<'_, str>> {
        self.param("response")
    }

    /// The `cnonce` parameter.
    pub fn cnonce(&self) -> Option<Cow<'_, str>> {
        self.param("cnonce")
    }

    /// The `qop` parameter chosen by the client.
    pub fn qop(&self) -> Option<Cow<'_, str>> {
        self.param("qop")
    }

    /// The nonce count `nc` (8 hex digits).
    pub fn nc(&self) -> Option<u32> {
        parse_nc(self.params.get("nc")?)
    }

    /// The `auts` parameter of an AKA resynchronisation (RFC 3310 §3.4).
    pub fn auts(&self) -> Option<Cow<'_, str>> {
        self.param("auts")
    }

    /// The `integrity-protected` parameter a P-CSCF adds (TS 24.229):
    /// `yes`, `no`, `tls-pending`, `tls-yes`, `ip-assoc-pending`, ...
    pub fn integrity_protected(&self) -> Option<Cow<'_, str>> {
        self.param("integrity-protected")
    }
}

pub(crate) fn parse_nc(v: &str) -> Option<u32> {
    let v = v.trim_matches('"');
    if v.len() != 8 {
        return None;
    }
    u32::from_str_radix(v, 16).ok()
}

macro_rules! scheme_header {
    ($(#[$doc:meta])* $ty:ident, $inner:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a>(pub $inner<'a>);

        impl<'a> TypedHeader<'a> for $ty<'a> {
            const NAME: HeaderName = HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, HeaderError> {
                $inner::parse(value).map($ty)
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                self.0.encode(dst);
            }
        }

        impl<'a> std::ops::Deref for $ty<'a> {
            type Target = $inner<'a>;

            fn deref(&self) -> &$inner<'a> {
                &self.0
            }
        }
    };
}

scheme_header! {
    /// `WWW-Authenticate`: a registrar's or UAS's challenge (401).
    ///
    /// ```
    /// use imsip::header::{TypedHeader, WwwAuthenticate};
    ///
    /// let h = WwwAuthenticate::parse(
    ///     r#"Digest realm="ims.example.net", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", qop="auth,auth-int", algorithm=AKAv1-MD5, ck="00112233445566778899aabbccddeeff", ik="ffeeddccbbaa99887766554433221100""#,
    /// ).unwrap();
    /// assert!(h.is_digest());
    /// assert_eq!(h.algorithm().as_deref(), Some("AKAv1-MD5"));
    /// assert_eq!(h.qop_options().collect::<Vec<_>>(), ["auth", "auth-int"]);
    /// assert_eq!(h.ik().as_deref(), Some("ffeeddccbbaa99887766554433221100"));
    /// assert!(!format!("{h:?}").contains("ffeedd")); // keys stay out of Debug
    /// ```
    WwwAuthenticate, Challenge, WwwAuthenticate
}

scheme_header! {
    /// `Proxy-Authenticate`: a proxy's challenge (407).
    ProxyAuthenticate, Challenge, ProxyAuthenticate
}

scheme_header! {
    /// `Authorization`: credentials for a UAS or registrar.
    ///
    /// ```
    /// use imsip::header::{Authorization, TypedHeader};
    ///
    /// let h = Authorization::parse(
    ///     r#"Digest username="alice@ims.example.net", realm="ims.example.net", nonce="abc", uri="sip:ims.example.net", response="6629fae49393a05397450978507c4ef1", algorithm=AKAv1-MD5, qop=auth, nc=00000001, cnonce="0a4f113b", auts="CjkyMzRfOiwg5CFfOiwg5CFfOiwg5CFf", integrity-protected="yes""#,
    /// ).unwrap();
    /// assert_eq!(h.username().as_deref(), Some("alice@ims.example.net"));
    /// assert_eq!(h.nc(), Some(1));
    /// assert_eq!(h.integrity_protected().as_deref(), Some("yes"));
    /// assert!(h.auts().is_some());
    /// assert!(!format!("{h:?}").contains("6629fae4"));
    /// ```
    Authorization, Credentials, Authorization
}

scheme_header! {
    /// `Proxy-Authorization`: credentials for a proxy.
    ProxyAuthorization, Credentials, ProxyAuthorization
}

/// `Authentication-Info: nextnonce="...", qop=auth, rspauth="...", cnonce="...", nc=00000001`
/// (RFC 3261 §20.6, RFC 7615).
///
/// ```
/// use imsip::header::{AuthenticationInfo, TypedHeader};
///
/// let h = AuthenticationInfo::parse(r#"nextnonce="47364c23432d2e131a5fb210812c", qop=auth, rspauth="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", nc=00000001"#).unwrap();
/// assert_eq!(h.nextnonce().as_deref(), Some("47364c23432d2e131a5fb210812c"));
/// assert_eq!(h.nc(), Some(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticationInfo<'a>(pub AuthParams<'a>);

impl AuthenticationInfo<'_> {
    /// The `nextnonce` parameter.
    pub fn nextnonce(&self) -> Option<Cow<'_, str>> {
        self.0.unquoted("nextnonce")
    }

    /// The `qop` parameter.
    pub fn qop(&self) -> Option<Cow<'_, str>> {
        self.0.unquoted("qop")
    }

    /// The `rspauth` parameter (the server's proof it knows the secret).
    pub fn rspauth(&self) -> Option<Cow<'_, str>> {
        self.0.unquoted("rspauth")
    }

    /// The `cnonce` parameter.
    pub fn cnonce(&self) -> Option<Cow<'_, str>> {
        self.0.unquoted("cnonce")
    }

    /// The nonce count `nc`.
    pub fn nc(&self) -> Option<u32> {
        parse_nc(self.0.get("nc")?)
    }
}

impl fmt::Display for AuthenticationInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.0.encode(out))
    }
}

impl<'a> TypedHeader<'a> for AuthenticationInfo<'a> {
    const NAME: HeaderName = HeaderName::AuthenticationInfo;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let c = Cursor::new(value);
        let end = syntax::trim_lws_end(c.bytes(), c.pos, value.len());
        AuthParams::parse_at(&value[..end], c.pos).map(AuthenticationInfo)
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.0.encode(dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_token68() {
        let c = Credentials::parse("NoOneKnowsThisScheme opaque-data=here").unwrap();
        assert_eq!(c.scheme, "NoOneKnowsThisScheme");
        assert_eq!(c.params.get("opaque-data"), Some("here"));
        let c = Credentials::parse("Bearer mF_9.B5f-4.1JqM==").unwrap();
        assert_eq!(c.token68.as_deref(), Some("mF_9.B5f-4.1JqM=="));
        assert_eq!(c.to_string(), "Bearer mF_9.B5f-4.1JqM==");
        let c = Credentials::parse("Digest").unwrap();
        assert!(c.params.is_empty());
    }

    #[test]
    fn params() {
        let c = Challenge::parse("Digest  realm = \"a\\\"b\" ,, nonce=abc/+==,\r\n stale=TRUE,")
            .unwrap();
        assert_eq!(c.realm().as_deref(), Some("a\"b"));
        assert_eq!(c.nonce().as_deref(), Some("abc/+=="));
        assert!(c.stale());
        assert_eq!(
            c.to_string(),
            "Digest realm=\"a\\\"b\", nonce=abc/+==, stale=TRUE"
        );
        let kind = |s| Challenge::parse(s).unwrap_err().kind();
        assert_eq!(
            kind("Digest realm=\"a\", REALM=\"b\""),
            HeaderErrorKind::DuplicateParam
        );
        assert_eq!(kind("Digest realm=\"a"), HeaderErrorKind::QuotedString);
        assert_eq!(
            kind("Digest realm=\"a\" nonce=\"b\""),
            HeaderErrorKind::Expected(b',')
        );
        assert_eq!(kind("Digest realm;"), HeaderErrorKind::Expected(b'='));
        // Found by fuzzing: `sS = =` must not encode as the token68 `sS==`.
        assert_eq!(kind("P\tsS\t\t=\t\t=\t"), HeaderErrorKind::ParamValue);
        // A lone word is a token68 (RFC 7235 §2.1).
        assert_eq!(
            Challenge::parse("Digest realm").unwrap().token68.as_deref(),
            Some("realm")
        );
        let many = format!(
            "Digest {}",
            (0..70)
                .map(|i| format!("p{i}=1"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(kind(&many), HeaderErrorKind::TooManyParams);
    }

    #[test]
    fn building() {
        let mut c = Credentials::new("Digest");
        c.params.push_quoted("username", "alice").unwrap();
        c.params.push_token("nc", "00000001").unwrap();
        c.params.push_quoted("response", "abc").unwrap();
        assert!(c.params.push_token("nc", "00000002").is_err());
        assert!(c.params.push_token("x", "a b").is_err());
        let text = c.to_string();
        assert_eq!(
            text,
            "Digest username=\"alice\", nc=00000001, response=\"abc\""
        );
        assert_eq!(Credentials::parse(&text).unwrap(), c);
        assert!(!format!("{c:?}").contains("abc"));
    }
}
