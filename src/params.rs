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

/// Where the parts of one `generic-param` are ([`generic_param`]).
#[derive(Clone, Copy, Debug)]
struct Scanned {
    /// Where the name ends (it starts where the scan did).
    name_end: usize,
    /// Where the value starts and ends, quotes included.
    value: Option<(usize, usize)>,
    /// Where the parameter ends.
    end: usize,
    /// Whether it is written without white space and without a quoted
    /// value.
    plain: bool,
}

/// The `generic-param` whose name starts at `at` (RFC 3261 §25.1):
/// `token [ EQUAL gen-value ]`, white space allowed around the `=`, the
/// value a token, a host (IPv6 references included) or a quoted string.
/// The one reading of this grammar: the parse of a list and the iterator
/// over a parsed one both call it.
#[inline]
fn generic_param(b: &[u8], at: usize) -> Result<Scanned, ParamFault> {
    let name_end = syntax::scan(b, at, TOKEN);
    if name_end == at {
        return Err(ParamFault::Syntax(at));
    }
    let eq = syntax::skip_lws(b, name_end);
    if b.get(eq) != Some(&b'=') {
        return Ok(Scanned {
            name_end,
            value: None,
            end: name_end,
            plain: true,
        });
    }
    let v = syntax::skip_lws(b, eq + 1);
    let (end, quoted) = match b.get(v) {
        Some(b'"') => (
            syntax::quoted_string_end(b, v).map_err(ParamFault::Syntax)?,
            true,
        ),
        _ => {
            let e = syntax::scan(b, v, GEN_VALUE);
            if e == v {
                return Err(ParamFault::Syntax(v));
            }
            (e, false)
        }
    };
    Ok(Scanned {
        name_end,
        value: Some((v, end)),
        end,
        plain: !quoted && eq == name_end && v == eq + 1,
    })
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
            let at = if !prefixed && end == pos {
                pos
            } else {
                let semi = syntax::skip_lws(b, end);
                if b.get(semi) != Some(&b';') {
                    break;
                }
                if end == pos {
                    first = semi;
                }
                let at = syntax::skip_lws(b, semi + 1);
                plain &= semi == end && at == semi + 1;
                at
            };
            let param = generic_param(b, at)?;
            plain &= param.plain;
            end = param.end;
            let value = param.value.map(|(v, e)| &s[v..e]);
            if !check(&s[at..param.name_end], value) {
                return Err(ParamFault::Value(at));
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

    /// The list as written: starting with `;` unless it stands on its own
    /// ([`Params::header_list`]); empty when there are none.
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
        // One reservation per parameter, with room for a few more: lists
        // are built a parameter at a time (a branch, then rport, a tag).
        let need = 2 + name.len() + value.map_or(0, str::len);
        if raw.capacity() - raw.len() < need {
            raw.reserve(need.max(48));
        }
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
        raw.reserve(2 + name.len() + quoted.len());
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

/// The first parameter named `name` in the list `iter` walks (in a URI,
/// escaped characters match their unescaped form).
fn find<'r>(iter: ParamsIter<'r>, name: &str) -> Option<Param<'r>> {
    if iter.escapes && iter.text.contains('%') {
        return iter
            .clone()
            .find(|p| p.is(name) || syntax::escaped_eq(p.name, name, true));
    }
    if !iter.plain {
        return iter.clone().find(|p| p.is(name));
    }
    let (at, value) = plain_lookup(iter.raw, iter.first, name.as_bytes())?;
    Some(Param {
        name: iter.text.get(at..at + name.len())?,
        value: match value {
            Some((v, e)) => Some(iter.text.get(v..e)?),
            None => None,
        },
    })
}

/// In `b`, a list of `name[=value]` segments split by `;` (the first
/// without a `;` before it when `first_bare`), the first segment named
/// `name` (ASCII case ignored): where its name starts and where its value
/// is. The name is compared where each segment starts; a segment's end is
/// looked for only to skip it or to return its value.
///
/// Exact for a plain list (no white space, no quotes: what
/// [`Params::get`] reads with it). On other text it is only a guess: the
/// endpoint reads a Via's branch this way before it knows whether it must
/// parse the Via, and trusts the guess only once the whole Via is proved to
/// be one it sent.
#[inline]
pub(crate) fn plain_lookup(
    b: &[u8],
    first_bare: bool,
    name: &[u8],
) -> Option<(usize, Option<(usize, usize)>)> {
    let n = name.len();
    let mut start = if first_bare { 0 } else { 1 };
    while start <= b.len() {
        if b.get(start..start + n)
            .is_some_and(|c| c.eq_ignore_ascii_case(name))
        {
            match b.get(start + n) {
                None | Some(b';') => return Some((start, None)),
                Some(b'=') => {
                    let v = start + n + 1;
                    return Some((start, Some((v, segment_end(b, v)))));
                }
                Some(_) => {}
            }
        }
        start = segment_end(b, start) + 1;
    }
    None
}

/// Where the segment of a plain list (no white space, no quotes) that
/// holds `from` ends: at the next `;`, or the end of the list. Segments
/// are short: a loop, not `memchr`.
#[inline]
fn segment_end(b: &[u8], from: usize) -> usize {
    let mut e = from.min(b.len());
    while e < b.len() && b[e] != b';' {
        e += 1;
    }
    e
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
            let end = segment_end(b, start);
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
        // White space or quoted values: the grammar's own reading (the
        // list parsed, or was built from checked parts, so it does not
        // fail here).
        let mut p = syntax::skip_lws(b, self.pos);
        if b.get(p) == Some(&b';') {
            p = syntax::skip_lws(b, p + 1);
        }
        self.first = false;
        let param = generic_param(b, p).ok()?;
        self.pos = param.end;
        Some(Param {
            name: self.text.get(p..param.name_end)?,
            value: param.value.and_then(|(v, e)| self.text.get(v..e)),
        })
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

    mod fast_find {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("tag".to_owned()),
                Just("TAG".to_owned()),
                Just("ta".to_owned()),
                Just("tagx".to_owned()),
                Just("lr".to_owned()),
                Just("branch".to_owned()),
                "[a-zA-Z]{1,5}",
            ]
        }

        fn list() -> impl Strategy<Value = String> {
            prop::collection::vec(
                (
                    name(),
                    prop::option::of(prop_oneof![
                        "[a-z0-9.]{1,8}",
                        Just("[2001:db8::1]".to_owned()),
                        Just("\"q;tag=1\"".to_owned()),
                    ]),
                    prop_oneof![Just(""), Just(" "), Just("\r\n ")],
                ),
                0..6,
            )
            .prop_map(|params| {
                params
                    .into_iter()
                    .map(|(n, v, ws)| match v {
                        Some(v) => format!("{ws};{n}={v}"),
                        None => format!("{ws};{n}"),
                    })
                    .collect()
            })
        }

        proptest! {
            /// `find` over a plain list (names compared in place) agrees
            /// with a walk of the iterator, on any list that parses.
            #[test]
            fn find_agrees_with_the_iterator(text in list(), wanted in name()) {
                if let Ok((params, _)) = Params::parse_header_at(&text, 0, crate::params::any) {
                    let walked = params.iter().find(|p| p.is(&wanted));
                    prop_assert_eq!(params.get(&wanted), walked, "{:?}", text);
                    // The iterator reads what the parse checked, plain or not.
                    let mut checked = Vec::new();
                    Params::parse_header_at(&text, 0, |n, v| {
                        checked.push(Param { name: n, value: v });
                        true
                    })
                    .unwrap();
                    prop_assert_eq!(params.iter().collect::<Vec<_>>(), checked);
                }
            }
        }
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
