//! The Server header ([RFC 3261 §20.35](https://www.rfc-editor.org/rfc/rfc3261#section-20.35)),
//! and the `server-val` list it shares with User-Agent and the comments it
//! shares with Retry-After.

use std::borrow::Cow;

use super::organization::unfold;
use super::{Cursor, HeaderError, HeaderErrorKind};
use crate::syntax::{self, TOKEN};

/// Given `b[pos] == '('`, the position just after the matching `)`:
/// `comment = LPAREN *(ctext / quoted-pair / comment) RPAREN`, with nested
/// comments, quoted-pairs, folds and any non-ASCII character. `Err` holds
/// the position of a character a comment cannot hold, or the end of input
/// when the comment is not closed.
pub(super) fn comment_end(b: &[u8], pos: usize) -> Result<usize, usize> {
    let mut depth = 0usize;
    let mut i = pos;
    while i < b.len() {
        match b[i] {
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i = syntax::text_step(b, i)?,
        }
    }
    Err(b.len())
}

/// Parses a comment at the cursor (at `(`): its text between the outer
/// parentheses as written, folds made single spaces.
pub(super) fn parse_comment<'a>(c: &mut Cursor<'a>) -> Result<Cow<'a, str>, HeaderError> {
    let open = c.pos;
    let end = comment_end(c.bytes(), open)
        .map_err(|p| HeaderError::new(HeaderErrorKind::Expected(b')'), p))?;
    c.pos = end;
    let inner = c.s.get(open + 1..end - 1).unwrap_or_default();
    Ok(if syntax::has_line_break(inner.as_bytes()) {
        Cow::Owned(unfold(inner, true))
    } else {
        Cow::Borrowed(inner)
    })
}

/// A `product`: `token ["/" product-version]`, as in `imsip/0.1`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Product<'v> {
    /// The product name.
    pub name: &'v str,
    /// The version after `/`, if any.
    pub version: Option<&'v str>,
}

/// One `server-val` of a Server or User-Agent value.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ServerVal<'v> {
    /// A product and its version.
    Product(Product<'v>),
    /// A comment: the text between the outer parentheses as written (nested
    /// comments and quoted-pairs kept).
    Comment(&'v str),
}

/// Iterator over the `server-val`s of a Server or User-Agent value.
#[derive(Clone, Debug)]
pub struct ServerVals<'v> {
    s: &'v str,
    pos: usize,
}

impl<'v> ServerVals<'v> {
    pub(super) fn new(s: &'v str) -> Self {
        ServerVals { s, pos: 0 }
    }
}

impl<'v> Iterator for ServerVals<'v> {
    type Item = ServerVal<'v>;

    fn next(&mut self) -> Option<ServerVal<'v>> {
        let b = self.s.as_bytes();
        let p = syntax::skip_lws(b, self.pos);
        if p >= b.len() {
            self.pos = p;
            return None;
        }
        if b[p] == b'(' {
            let end = comment_end(b, p).unwrap_or(b.len());
            self.pos = end;
            return Some(ServerVal::Comment(
                self.s
                    .get(p + 1..end.saturating_sub(1).max(p + 1))
                    .unwrap_or_default(),
            ));
        }
        let name_end = syntax::scan(b, p, TOKEN);
        if name_end == p {
            // Not a server-val (never in a parsed value): stop.
            self.pos = b.len();
            return None;
        }
        let name = self.s.get(p..name_end).unwrap_or_default();
        let slash = syntax::skip_lws(b, name_end);
        if b.get(slash) == Some(&b'/') {
            let v = syntax::skip_lws(b, slash + 1);
            let v_end = syntax::scan(b, v, TOKEN);
            self.pos = v_end;
            return Some(ServerVal::Product(Product {
                name,
                version: self.s.get(v..v_end),
            }));
        }
        self.pos = name_end;
        Some(ServerVal::Product(Product {
            name,
            version: None,
        }))
    }
}

/// Parses `server-val *(LWS server-val)`: the value in canonical form
/// (borrowed when it already is: one space between values, none around
/// `/`, no folds in comments).
///
/// White space between a product and a comment may be missing (the
/// parentheses delimit them); the canonical form has a space there.
pub(super) fn parse_server_vals(value: &str) -> Result<Cow<'_, str>, HeaderError> {
    let mut c = Cursor::new(value);
    if c.peek().is_none() {
        return Err(c.error(HeaderErrorKind::Empty));
    }
    let start = c.pos;
    let mut canonical = true;
    let mut end;
    loop {
        if c.peek() == Some(b'(') {
            let comment = parse_comment(&mut c)?;
            canonical &= matches!(comment, Cow::Borrowed(_));
        } else {
            c.token()?;
            let before = c.pos;
            c.skip_lws();
            if c.eat(b'/') {
                canonical &= c.pos == before + 1;
                let v = c.pos;
                c.skip_lws();
                canonical &= c.pos == v;
                c.token()?;
            } else {
                c.pos = before;
            }
        }
        end = c.pos;
        c.skip_lws();
        match c.peek() {
            None => break,
            Some(b'(') => canonical &= c.pos == end + 1 && c.bytes()[end] == b' ',
            Some(_)
                if c.pos == end
                    && end.checked_sub(1).and_then(|i| c.bytes().get(i)) != Some(&b')') =>
            {
                return Err(c.error(HeaderErrorKind::Trailing));
            }
            Some(_) => canonical &= c.pos == end + 1 && c.bytes()[end] == b' ',
        }
    }
    let text = &value[start..end];
    if canonical {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    for (i, v) in ServerVals::new(text).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match v {
            ServerVal::Product(p) => {
                out.push_str(p.name);
                if let Some(version) = p.version {
                    out.push('/');
                    out.push_str(version);
                }
            }
            ServerVal::Comment(inner) => {
                out.push('(');
                if syntax::has_line_break(inner.as_bytes()) {
                    out.push_str(&unfold(inner, true));
                } else {
                    out.push_str(inner);
                }
                out.push(')');
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// Defines a header whose value is `server-val *(LWS server-val)`.
macro_rules! server_val_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $ty<'a>(std::borrow::Cow<'a, str>);

        impl<'a> $ty<'a> {
            /// The value in canonical form.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The products and comments, in order.
            pub fn iter(&self) -> $crate::header::ServerVals<'_> {
                $crate::header::ServerVals::new(&self.0)
            }

            /// The products, in order.
            pub fn products(&self) -> impl Iterator<Item = $crate::header::Product<'_>> {
                self.iter().filter_map(|v| match v {
                    $crate::header::ServerVal::Product(p) => Some(p),
                    $crate::header::ServerVal::Comment(_) => None,
                })
            }

            /// The comments (text between the outer parentheses), in order.
            pub fn comments(&self) -> impl Iterator<Item = &str> {
                self.iter().filter_map(|v| match v {
                    $crate::header::ServerVal::Comment(c) => Some(c),
                    $crate::header::ServerVal::Product(_) => None,
                })
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty(std::borrow::Cow::Owned(self.0.into_owned()))
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                $crate::header::server::parse_server_vals(value).map($ty)
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.extend_from_slice(self.0.as_bytes());
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub(super) use server_val_header;

server_val_header! {
    /// `Server: HomeServer v2`: the software of the UAS that answered, as
    /// products (`name/version`) and comments.
    ///
    /// The value is kept in canonical form: one space between products and
    /// comments, none around `/`, folds unfolded.
    ///
    /// ```
    /// use imsip::header::{Product, Server, ServerVal, TypedHeader};
    ///
    /// // RFC 3261 §20.35.
    /// let s = Server::parse("HomeServer v2").unwrap();
    /// let names: Vec<&str> = s.products().map(|p| p.name).collect();
    /// assert_eq!(names, ["HomeServer", "v2"]);
    /// let s = Server::parse("imsip/0.1 (Linux; x86_64)").unwrap();
    /// assert_eq!(
    ///     s.iter().collect::<Vec<_>>(),
    ///     [ServerVal::Product(Product { name: "imsip", version: Some("0.1") }), ServerVal::Comment("Linux; x86_64")],
    /// );
    /// ```
    Server, Server
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    fn vals(s: &Server<'_>) -> Vec<String> {
        s.iter()
            .map(|v| match v {
                ServerVal::Product(p) => format!("{}|{:?}", p.name, p.version),
                ServerVal::Comment(c) => format!("({c})"),
            })
            .collect()
    }

    #[test]
    fn examples() {
        // RFC 3261 §20.35 (`Server: HomeServer v2`), §25.1 grammar forms.
        for (text, items, canonical, borrowed) in [
            (
                "HomeServer v2",
                &["HomeServer|None", "v2|None"][..],
                "HomeServer v2",
                true,
            ),
            (
                "Asterisk PBX 18.0.0",
                &["Asterisk|None", "PBX|None", "18.0.0|None"][..],
                "Asterisk PBX 18.0.0",
                true,
            ),
            (
                "  imsip / 0.1\r\n  (Linux\r\n x86_64)  ",
                &["imsip|Some(\"0.1\")", "(Linux x86_64)"][..],
                "imsip/0.1 (Linux x86_64)",
                false,
            ),
            (
                "a/1(c (nested \\) paren) \"q\")b",
                &["a|Some(\"1\")", "(c (nested \\) paren) \"q\")", "b|None"][..],
                "a/1 (c (nested \\) paren) \"q\") b",
                false,
            ),
            ("()", &["()"][..], "()", true),
            (
                "x   y\t(z)",
                &["x|None", "y|None", "(z)"][..],
                "x y (z)",
                false,
            ),
            ("(Ünïcödé)", &["(Ünïcödé)"][..], "(Ünïcödé)", true),
        ] {
            let s = Server::parse(text).unwrap();
            assert_eq!(vals(&s), items, "{text:?}");
            assert_eq!(s.as_str(), canonical, "{text:?}");
            assert_eq!(matches!(s.0, Cow::Borrowed(_)), borrowed, "{text:?}");
            assert_eq!(Server::parse(canonical).unwrap(), s);
        }
        let s = Server::parse("a (b) c/2 (d)").unwrap();
        assert_eq!(s.comments().collect::<Vec<_>>(), ["b", "d"]);
        assert_eq!(s.products().count(), 2);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("a/", HeaderErrorKind::Token),
            ("a / (b)", HeaderErrorKind::Token),
            ("/1", HeaderErrorKind::Token),
            ("a (b", HeaderErrorKind::Expected(b')')),
            ("a (b))", HeaderErrorKind::Token),
            ("a (b\\", HeaderErrorKind::Expected(b')')),
            ("a (b\x01)", HeaderErrorKind::Expected(b')')),
            ("a, b", HeaderErrorKind::Trailing),
            ("a;b", HeaderErrorKind::Trailing),
            ("Søftphone", HeaderErrorKind::Trailing),
            ("a/1/2", HeaderErrorKind::Trailing),
            ("\"quoted\"", HeaderErrorKind::Token),
        ] {
            assert_eq!(Server::parse(text).unwrap_err().kind(), kind, "{text:?}");
        }
    }
}
