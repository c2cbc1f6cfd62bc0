//! Parameter lists: `;name[=value]` after a URI (`uri-parameters`, RFC 3261
//! §19.1.1) or after a header value (`generic-param`, RFC 3261 §25.1).
//!
//! A [`Params`] keeps the list as the text it was parsed from, so parsing
//! allocates nothing and a value re-encodes exactly; lookups scan that text,
//! which is short. Values are given as written: a quoted value keeps its quotes
//! and a URI parameter keeps its escapes; [`Param::unquoted`] and
//! [`Param::unescaped`] decode them.

use std::borrow::Cow;
use std::fmt;

use thiserror::Error;

use crate::syntax::{self, GEN_VALUE, PARAM, TOKEN};

/// Which grammar a parameter list follows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Grammar {
    /// `uri-parameters`: `paramchar` names and values with escapes, no white space.
    Uri,
    /// `generic-param`: token names; token, host or quoted-string values; white
    /// space around `;` and `=`.
    Header,
}

/// A parameter name or value that its list's grammar does not allow.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Error)]
#[error("invalid parameter name or value")]
pub struct InvalidParam;

/// Why a parameter list did not parse.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParamFault {
    /// Malformed at this position.
    Syntax(usize),
    /// The parameter at this position has a value its check refused.
    Value(usize),
}

impl ParamFault {
    pub(crate) fn position(self) -> usize {
        match self {
            ParamFault::Syntax(p) | ParamFault::Value(p) => p,
        }
    }
}

/// Accepts any parameter.
pub(crate) fn any(_: &str, _: Option<&str>) -> bool {
    true
}

/// One parameter of a [`Params`] list.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Param<'p> {
    /// The name as written (names compare case-insensitively).
    pub name: &'p str,
    /// The value as written, `None` for a parameter without `=`. A quoted
    /// value keeps its quotes; a URI parameter keeps its escapes.
    pub value: Option<&'p str>,
}

impl<'p> Param<'p> {
    /// Whether the name is `name`, ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value with quotes removed and quoted-pairs resolved. Borrows unless
    /// the value has quoted-pairs or folds.
    pub fn unquoted(&self) -> Option<Cow<'p, str>> {
        self.value.map(|v| {
            if v.starts_with('"') {
                syntax::unquote(v)
            } else {
                Cow::Borrowed(v)
            }
        })
    }

    /// The value with `%HEX HEX` escapes decoded (for URI parameters).
    pub fn unescaped(&self) -> Option<Cow<'p, [u8]>> {
        self.value.map(syntax::unescape)
    }
}

/// A list of parameters, kept as its wire text.
///
/// Equality compares the parameters in order, names without regard to ASCII
/// case and values exactly, ignoring white space around `;` and `=`.
#[derive(Clone)]
pub struct Params<'a> {
    raw: Cow<'a, str>,
    grammar: Grammar,
    /// `raw` has no white space and no quoted value, so `;` and `=` split it.
    plain: bool,
    /// Every parameter starts with `;` (after a URI or a header value);
    /// `false` for a header made only of parameters (`a=1;b=2`).
    prefixed: bool,
}

impl Default for Params<'_> {
    fn default() -> Self {
        Params::header()
    }
}

impl<'a> Params<'a> {
    /// An empty list of header parameters (`generic-param`).
    pub const fn header() -> Params<'a> {
        Params {
            raw: Cow::Borrowed(""),
            grammar: Grammar::Header,
            plain: true,
            prefixed: true,
        }
    }

    /// An empty list of header parameters that stands on its own, without a
    /// `;` before the first (`icid-value=1;orig-ioi=x` in P-Charging-Vector).
    pub const fn header_list() -> Params<'a> {
        Params {
            raw: Cow::Borrowed(""),
            grammar: Grammar::Header,
            plain: true,
            prefixed: false,
        }
    }

    /// An empty list of URI parameters.
    pub const fn uri() -> Params<'a> {
        Params {
            raw: Cow::Borrowed(""),
            grammar: Grammar::Uri,
            plain: true,
            prefixed: true,
        }
    }

    /// Parses `*( ";" uri-parameter )` at `pos`, calling `check` with each
    /// name and value as found. Returns the list and the position after it.
    pub(crate) fn parse_uri_at(
        s: &'a str,
        pos: usize,
        mut check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<(Params<'a>, usize), ParamFault> {
        let b = s.as_bytes();
        let mut p = pos;
        while b.get(p) == Some(&b';') {
            let name_start = p + 1;
            let name_end =
                syntax::scan_escaped(b, name_start, PARAM).map_err(ParamFault::Syntax)?;
            if name_end == name_start {
                return Err(ParamFault::Syntax(name_start));
            }
            p = name_end;
            let mut value = None;
            if b.get(p) == Some(&b'=') {
                let value_end =
                    syntax::scan_escaped(b, p + 1, PARAM).map_err(ParamFault::Syntax)?;
                if value_end == p + 1 {
                    return Err(ParamFault::Syntax(p + 1));
                }
                value = Some(&s[p + 1..value_end]);
                p = value_end;
            }
            if !check(&s[name_start..name_end], value) {
                return Err(ParamFault::Value(name_start));
            }
        }
        Ok((
            Params {
                raw: Cow::Borrowed(&s[pos..p]),
                grammar: Grammar::Uri,
                plain: true,
                prefixed: true,
            },
            p,
        ))
    }

    /// Parses `*( SEMI generic-param )` at `pos`, white space allowed around
    /// `;` and `=`, calling `check` with each name and value (as written) as
    /// found. Returns the list and the position after its last parameter.
    pub(crate) fn parse_header_at(
        s: &'a str,
        pos: usize,
        check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<(Params<'a>, usize), ParamFault> {
        Params::parse_generic(s, pos, true, check)
    }

    /// Parses `generic-param *( SEMI generic-param )` at `pos`: a header made
    /// of parameters only. Returns the list and the position after it.
    pub(crate) fn parse_list_at(
        s: &'a str,
        pos: usize,
        check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<(Params<'a>, usize), ParamFault> {
        Params::parse_generic(s, pos, false, check)
    }

    fn parse_generic(
        s: &'a str,
        pos: usize,
        prefixed: bool,
        mut check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<(Params<'a>, usize), ParamFault> {
        let b = s.as_bytes();
        let mut end = pos;
        let mut first = pos;
        let mut plain = true;
        loop {
            let bare = !prefixed && end == pos;
            let p = if bare { pos } else { syntax::skip_lws(b, end) };
            if !bare && b.get(p) != Some(&b';') {
                break;
            }
            if end == pos {
                first = p;
            } else {
                plain &= p == end;
            }
            let name_start = if bare { p } else { syntax::skip_lws(b, p + 1) };
            let name_end = syntax::scan(b, name_start, TOKEN);
            if name_end == name_start {
                return Err(ParamFault::Syntax(name_start));
            }
            plain &= name_start == p + 1;
            end = name_end;
            let mut value = None;
            let eq = syntax::skip_lws(b, name_end);
            if b.get(eq) == Some(&b'=') {
                let v = syntax::skip_lws(b, eq + 1);
                plain &= eq == name_end && v == eq + 1;
                end = match b.get(v) {
                    Some(b'"') => {
                        plain = false;
                        syntax::quoted_string_end(b, v).map_err(ParamFault::Syntax)?
                    }
                    _ => {
                        let e = syntax::scan(b, v, GEN_VALUE);
                        if e == v {
                            return Err(ParamFault::Syntax(v));
                        }
                        e
                    }
                };
                value = Some(&s[v..end]);
            }
            if !check(&s[name_start..name_end], value) {
                return Err(ParamFault::Value(name_start));
            }
        }
        Ok((
            Params {
                raw: Cow::Borrowed(&s[first.min(end)..end]),
                grammar: Grammar::Header,
                plain,
                prefixed,
            },
            end,
        ))
    }

    /// Parses `*( ";" generic-param )` at `pos` when it has no white space
    /// and no quoted value (the usual shape), checking each parameter with
    /// `check`. `None` when the list is not of that shape or a check fails;
    /// [`Params::parse_header_at`] then handles it.
    #[inline]
    pub(crate) fn parse_plain_header(
        s: &'a str,
        pos: usize,
        mut check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Option<(Params<'a>, usize)> {
        let b = s.as_bytes();
        let mut p = pos;
        while b.get(p) == Some(&b';') {
            let name_start = p + 1;
            let name_end = syntax::scan(b, name_start, TOKEN);
            if name_end == name_start {
                return None;
            }
            let mut value = None;
            p = name_end;
            if b.get(p) == Some(&b'=') {
                let end = syntax::scan(b, p + 1, GEN_VALUE);
                if end == p + 1 {
                    return None;
                }
                value = Some(&s[p + 1..end]);
                p = end;
            }
            if !check(&s[name_start..name_end], value) {
                return None;
            }
        }
        Some((
            Params {
                raw: Cow::Borrowed(&s[pos..p]),
                grammar: Grammar::Header,
                plain: true,
                prefixed: true,
            },
            p,
        ))
    }

    /// The parameters in order.
    pub fn iter(&self) -> ParamsIter<'_> {
        ParamsIter {
            raw: self.raw.as_bytes(),
            text: &self.raw,
            pos: 0,
            plain: self.plain,
            first: !self.prefixed,
            escapes: self.grammar == Grammar::Uri,
        }
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The first parameter named `name` (ASCII case-insensitive; in a URI,
    /// escaped characters match their unescaped form, RFC 3261 §19.1.4).
    pub fn get(&self, name: &str) -> Option<Param<'_>> {
        find(self.iter(), name)
    }

    /// [`Params::get`]'s value with the lifetime of the parsed text (`None`
    /// as well when the list was built rather than parsed).
    pub(crate) fn borrowed_value(&self, name: &str) -> Option<&'a str> {
        match self.raw {
            Cow::Borrowed(raw) => {
                let iter = ParamsIter {
                    raw: raw.as_bytes(),
                    text: raw,
                    pos: 0,
                    plain: self.plain,
                    first: !self.prefixed,
                    escapes: self.grammar == Grammar::Uri,
                };
                find(iter, name)?.value
            }
            Cow::Owned(_) => None,
        }
    }

    /// The value of the first parameter named `name`, as written; `None` when
    /// it is absent or has no value.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|p| p.value)
    }

    /// Whether a parameter named `name` is present (with or without value).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The list as written, starting with `;` (empty when there are none).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Appends `;name` or `;name=value`.
    ///
    /// For header parameters the value must be a token, a host (IPv6
    /// references included) or a complete quoted string; use
    /// [`Params::push_quoted`] for free text. For URI parameters name and value
    /// are `paramchar`s and `%HEX HEX` escapes.
    ///
    /// # Errors
    /// [`InvalidParam`] when the name or value breaks the list's grammar; the
    /// list is left unchanged.
    pub fn push(&mut self, name: &str, value: Option<&str>) -> Result<(), InvalidParam> {
        let valid = match self.grammar {
            Grammar::Header => {
                syntax::is_token(name.as_bytes())
                    && value.is_none_or(|v| {
                        let b = v.as_bytes();
                        syntax::all(b, GEN_VALUE)
                            || (b.first() == Some(&b'"')
                                && syntax::quoted_string_end(b, 0) == Ok(b.len())
                                && !syntax::has_line_break(b))
                    })
            }
            Grammar::Uri => {
                let ok = |s: &str| {
                    !s.is_empty() && syntax::scan_escaped(s.as_bytes(), 0, PARAM) == Ok(s.len())
                };
                ok(name) && value.is_none_or(ok)
            }
        };
        if !valid {
            return Err(InvalidParam);
        }
        if value.is_some_and(|v| v.starts_with('"')) {
            self.plain = false;
        }
        let separate = self.prefixed || !self.raw.is_empty();
        let raw = self.raw.to_mut();
        if separate {
            raw.push(';');
        }
        raw.push_str(name);
        if let Some(v) = value {
            raw.push('=');
            raw.push_str(v);
        }
        Ok(())
    }

    /// Appends `;name="text"`, quoting `text` (header parameters only).
    ///
    /// # Errors
    /// [`InvalidParam`] when `name` is not a token or the list holds URI
    /// parameters.
    pub fn push_quoted(&mut self, name: &str, text: &str) -> Result<(), InvalidParam> {
        if self.grammar != Grammar::Header || !syntax::is_token(name.as_bytes()) {
            return Err(InvalidParam);
        }
        let mut quoted = Vec::with_capacity(text.len() + 2);
        syntax::write_quoted(&mut quoted, text);
        self.plain = false;
        let separate = self.prefixed || !self.raw.is_empty();
        let raw = self.raw.to_mut();
        if separate {
            raw.push(';');
        }
        raw.push_str(name);
        raw.push('=');
        // write_quoted only writes bytes of `text` and ASCII.
        raw.push_str(&String::from_utf8_lossy(&quoted));
        Ok(())
    }

    /// Removes every parameter named `name`; returns whether one was removed.
    pub fn remove(&mut self, name: &str) -> bool {
        if !self.contains(name) {
            return false;
        }
        let mut kept = String::with_capacity(self.raw.len());
        let mut plain = true;
        for p in self.iter().filter(|p| !p.is(name)) {
            plain &= !p.value.is_some_and(|v| v.starts_with('"'));
            write_param(&mut kept, p);
        }
        if !self.prefixed && kept.starts_with(';') {
            kept.remove(0);
        }
        self.raw = Cow::Owned(kept);
        self.plain = plain;
        true
    }

    /// Replaces the parameters named `name` by one `;name[=value]` at the end.
    ///
    /// # Errors
    /// [`InvalidParam`] as for [`Params::push`]; the list is then unchanged.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> Result<(), InvalidParam> {
        let mut copy = self.clone();
        copy.remove(name);
        copy.push(name, value)?;
        *self = copy;
        Ok(())
    }

    /// Writes the parameters in canonical form: `;name=value` without white
    /// space.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        if self.grammar == Grammar::Uri || !self.raw.contains([' ', '\t', '\r', '\n']) {
            dst.extend_from_slice(self.raw.as_bytes());
            return;
        }
        for (i, p) in self.iter().enumerate() {
            if self.prefixed || i > 0 {
                dst.push(b';');
            }
            dst.extend_from_slice(p.name.as_bytes());
            if let Some(v) = p.value {
                dst.push(b'=');
                dst.extend_from_slice(v.as_bytes());
            }
        }
    }

    /// Copies borrowed text so the list outlives the input.
    pub fn into_owned(self) -> Params<'static> {
        Params {
            raw: Cow::Owned(self.raw.into_owned()),
            grammar: self.grammar,
            plain: self.plain,
            prefixed: self.prefixed,
        }
    }
}

/// The first parameter named `name` in the list `iter` walks.
fn find<'r>(iter: ParamsIter<'r>, name: &str) -> Option<Param<'r>> {
    let raw = iter.text;
    let escaped = iter.escapes && raw.contains('%');
    if escaped || !iter.plain {
        // Escapes (URI parameters) or white space and quotes: walk properly.
        return if escaped {
            iter.clone()
                .find(|p| p.is(name) || crate::uri::escaped_eq(p.name, name, true))
        } else {
            iter.clone().find(|p| p.is(name))
        };
    }
    // `;name[=value]` segments: compare the name in place, and look for the
    // end of a segment only to skip it or to return its value.
    let b = raw.as_bytes();
    let n = name.len();
    let next_end = |from: usize| {
        let mut e = from.min(b.len());
        while e < b.len() && b[e] != b';' {
            e += 1;
        }
        e
    };
    let mut start = if iter.first { 0 } else { 1 };
    while start <= b.len() {
        if b.get(start..start + n)
            .is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes()))
        {
            match b.get(start + n) {
                None | Some(b';') => {
                    return Some(Param {
                        name: raw.get(start..start + n)?,
                        value: None,
                    });
                }
                Some(b'=') => {
                    let end = next_end(start + n + 1);
                    return Some(Param {
                        name: raw.get(start..start + n)?,
                        value: raw.get(start + n + 1..end),
                    });
                }
                Some(_) => {}
            }
        }
        start = next_end(start) + 1;
    }
    None
}

fn write_param(out: &mut String, p: Param<'_>) {
    out.push(';');
    out.push_str(p.name);
    if let Some(v) = p.value {
        out.push('=');
        out.push_str(v);
    }
}

impl PartialEq for Params<'_> {
    fn eq(&self, other: &Self) -> bool {
        let mut a = self.iter();
        let mut b = other.iter();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.name.eq_ignore_ascii_case(y.name) && x.value == y.value => {
                }
                _ => return false,
            }
        }
    }
}

impl Eq for Params<'_> {}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl fmt::Display for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// Iterator over the parameters of a [`Params`].
#[derive(Clone, Debug)]
pub struct ParamsIter<'p> {
    raw: &'p [u8],
    text: &'p str,
    pos: usize,
    plain: bool,
    /// The first parameter has no `;` before it.
    first: bool,
    /// `%HEX HEX` escapes count as the characters they stand for (URIs).
    escapes: bool,
}

impl<'p> Iterator for ParamsIter<'p> {
    type Item = Param<'p>;

    fn next(&mut self) -> Option<Param<'p>> {
        let b = self.raw;
        if self.plain {
            let start = if std::mem::take(&mut self.first) {
                if b.is_empty() {
                    return None;
                }
                0
            } else {
                self.pos + 1
            };
            if start > b.len() {
                return None;
            }
            let end = memchr::memchr(b';', &b[start..]).map_or(b.len(), |i| start + i);
            let seg = self.text.get(start..end)?;
            self.pos = end;
            return Some(match seg.split_once('=') {
                Some((name, value)) => Param {
                    name,
                    value: Some(value),
                },
                None => Param {
                    name: seg,
                    value: None,
                },
            });
        }
        let mut p = syntax::skip_lws(b, self.pos);
        if p >= b.len() {
            return None;
        }
        if b[p] == b';' {
            p = syntax::skip_lws(b, p + 1);
        }
        let name_start = p;
        while p < b.len() && !matches!(b[p], b' ' | b'\t' | b'\r' | b'\n' | b'=' | b';') {
            p += 1;
        }
        let name = self.text.get(name_start..p).unwrap_or("");
        let eq = syntax::skip_lws(b, p);
        let mut value = None;
        if b.get(eq) == Some(&b'=') {
            let v = syntax::skip_lws(b, eq + 1);
            let end = if b.get(v) == Some(&b'"') {
                syntax::quoted_string_end(b, v).unwrap_or(b.len())
            } else {
                let mut e = v;
                while e < b.len() && !matches!(b[e], b' ' | b'\t' | b'\r' | b'\n' | b';') {
                    e += 1;
                }
                e
            };
            value = self.text.get(v..end);
            p = end;
        }
        self.pos = p.max(name_start + 1).min(b.len());
        Some(Param { name, value })
    }
}

impl<'p> IntoIterator for &'p Params<'_> {
    type Item = Param<'p>;
    type IntoIter = ParamsIter<'p>;

    fn into_iter(self) -> ParamsIter<'p> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_params_with_white_space() {
        let s = " ;   tag    = 1918181833n ; flag ;q=\"a;b\" rest";
        let (p, end) = Params::parse_header_at(s, 0, any).unwrap();
        assert_eq!(&s[end..], " rest");
        let v: Vec<_> = p.iter().collect();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].name, "tag");
        assert_eq!(v[0].value, Some("1918181833n"));
        assert_eq!(v[1].value, None);
        assert_eq!(v[2].value, Some("\"a;b\""));
        assert_eq!(v[2].unquoted().unwrap(), "a;b");
        assert_eq!(p.value("TAG"), Some("1918181833n"));
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b";tag=1918181833n;flag;q=\"a;b\"");
    }

    #[test]
    fn header_params_folded() {
        let s = "\r\n  ;\r\n  tag = 98asjd8";
        let (p, end) = Params::parse_header_at(s, 0, any).unwrap();
        assert_eq!(end, s.len());
        assert_eq!(p.value("tag"), Some("98asjd8"));
    }

    #[test]
    fn header_params_errors() {
        assert_eq!(
            Params::parse_header_at(";;", 0, any).err(),
            Some(ParamFault::Syntax(1))
        );
        assert_eq!(
            Params::parse_header_at(";a=", 0, any).err(),
            Some(ParamFault::Syntax(3))
        );
        assert_eq!(
            Params::parse_header_at(";a=\"x", 0, any).err(),
            Some(ParamFault::Syntax(5))
        );
        let (p, end) = Params::parse_header_at("x", 0, any).unwrap();
        assert!(p.is_empty());
        assert_eq!(end, 0);
    }

    #[test]
    fn uri_params() {
        let s = ";lr;maddr=[2001:db8::1];n%61me=v%61lue?x";
        let (p, end) = Params::parse_uri_at(s, 0, any).unwrap();
        assert_eq!(&s[end..], "?x");
        assert!(p.contains("lr"));
        assert_eq!(p.value("maddr"), Some("[2001:db8::1]"));
        let q = p.get("n%61me").unwrap();
        assert_eq!(q.unescaped().unwrap().as_ref(), b"value");
        assert!(Params::parse_uri_at(";a=%zz", 0, any).is_err());
        assert!(Params::parse_uri_at(";=a", 0, any).is_err());
    }

    #[test]
    fn lists_without_a_leading_semicolon() {
        let s = "icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net";
        let (p, end) = Params::parse_list_at(s, 0, any).unwrap();
        assert_eq!(end, s.len());
        assert_eq!(p.len(), 3);
        assert_eq!(p.value("icid-value"), Some("1234bc9876e"));
        assert_eq!(p.value("orig-ioi"), Some("home1.net"));
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, s.as_bytes());
        let s = "ccf = \"x y\" ; ecf=[5555::b99:c88:d77:e66]";
        let (p, _) = Params::parse_list_at(s, 0, any).unwrap();
        assert_eq!(p.get("ccf").unwrap().unquoted().unwrap(), "x y");
        assert_eq!(p.value("ecf"), Some("[5555::b99:c88:d77:e66]"));
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b"ccf=\"x y\";ecf=[5555::b99:c88:d77:e66]");
        let mut built = Params::header_list();
        built.push("icid-value", Some("abc")).unwrap();
        built.push("orig-ioi", Some("x")).unwrap();
        assert_eq!(built.as_str(), "icid-value=abc;orig-ioi=x");
        assert!(built.remove("icid-value"));
        assert_eq!(built.as_str(), "orig-ioi=x");
        assert!(Params::parse_list_at(";a", 0, any).is_err());
    }

    #[test]
    fn editing() {
        let mut p = Params::header();
        p.push("branch", Some("z9hG4bK1")).unwrap();
        p.push("rport", None).unwrap();
        assert!(p.push("bad name", None).is_err());
        assert!(p.push("x", Some("a b")).is_err());
        p.push_quoted("text", "say \"hi\"").unwrap();
        assert_eq!(p.as_str(), ";branch=z9hG4bK1;rport;text=\"say \\\"hi\\\"\"");
        assert_eq!(p.get("text").unwrap().unquoted().unwrap(), "say \"hi\"");
        p.set("rport", Some("5060")).unwrap();
        assert_eq!(
            p.as_str(),
            ";branch=z9hG4bK1;text=\"say \\\"hi\\\"\";rport=5060"
        );
        assert!(p.remove("branch"));
        assert!(!p.remove("branch"));
        let mut u = Params::uri();
        assert!(u.push("a", Some("\"q\"")).is_err());
        u.push("transport", Some("tcp")).unwrap();
        assert_eq!(u.as_str(), ";transport=tcp");
    }
}
