//! `name-addr` and `addr-spec` (RFC 3261 §20.10, §25.1): an optional display
//! name and a URI, shared by From, To, Contact, Route, Record-Route and the
//! IMS identity headers.

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind};
use crate::params::Params;
use crate::syntax::{self, TOKEN};
use crate::uri::{SipUri, Uri};

/// A display name and a URI: `"Alice" <sip:alice@atlanta.example.com>`.
///
/// The display name is the text it stands for: quotes removed and
/// quoted-pairs resolved (borrowed unless it had quoted-pairs or folds).
/// It encodes in canonical form, always as `"display" <uri>` or `<uri>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameAddr<'a> {
    /// The display name, if any.
    pub display_name: Option<Cow<'a, str>>,
    /// The URI.
    pub uri: Uri<'a>,
}

impl<'a> NameAddr<'a> {
    /// A URI without display name.
    pub fn new(uri: Uri<'a>) -> Self {
        NameAddr {
            display_name: None,
            uri,
        }
    }

    /// Parses a whole `name-addr` or `addr-spec`.
    ///
    /// # Errors
    /// A [`HeaderError`] when `s` is not one of them.
    pub fn parse(s: &'a str) -> Result<NameAddr<'a>, HeaderError> {
        let mut c = Cursor::new(s);
        let na = parse(&mut c, true)?;
        c.finish()?;
        Ok(na)
    }

    /// Writes `"display" <uri>` or `<uri>`.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        if let Some(d) = &self.display_name {
            syntax::write_quoted(dst, d);
            dst.push(b' ');
        }
        dst.push(b'<');
        self.uri.encode(dst);
        dst.push(b'>');
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> NameAddr<'static> {
        NameAddr {
            display_name: self.display_name.map(|d| Cow::Owned(d.into_owned())),
            uri: self.uri.into_owned(),
        }
    }
}

impl fmt::Display for NameAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// Where the parts of a `name-addr` or `addr-spec` are.
struct Parts<'a> {
    /// The display name as written: a quoted string with its quotes, or
    /// tokens.
    display: Option<&'a str>,
    /// The URI text.
    uri: &'a str,
    /// Offset of the URI text in the value.
    uri_at: usize,
    /// Whether the URI is outside `<>`.
    addr_spec: bool,
}

/// Finds the display name and URI of a `name-addr`, or `addr-spec` when
/// `allow_addr_spec`, at the cursor, without parsing the URI, and moves the
/// cursor after them.
///
/// An `addr-spec` ends at the first `;`, `,` or white space: what follows is
/// header parameters (RFC 3261 §20.10). An `addr-spec` with `?` is refused,
/// as RFC 3261 requires `<>` around such a URI.
fn split<'a>(c: &mut Cursor<'a>, allow_addr_spec: bool) -> Result<Parts<'a>, HeaderError> {
    c.skip_lws();
    let b = c.bytes();
    let start = c.pos;
    let mut display = None;
    match b.get(start) {
        Some(b'"') => {
            let end = syntax::quoted_string_end(b, start)
                .map_err(|p| HeaderError::new(HeaderErrorKind::QuotedString, p))?;
            display = Some(&c.s[start..end]);
            c.pos = end;
            c.skip_lws();
            if c.peek() != Some(b'<') {
                return Err(c.error(HeaderErrorKind::AngleBracket));
            }
        }
        Some(b'<') => {}
        _ => {
            // `*(token LWS)` then `<`, or else an addr-spec.
            let mut p = start;
            let mut last_token_end = start;
            loop {
                let end = syntax::scan(b, p, TOKEN);
                if end == p {
                    break;
                }
                last_token_end = end;
                p = syntax::skip_lws(b, end);
            }
            if b.get(p) == Some(&b'<') && last_token_end > start {
                display = Some(&c.s[start..last_token_end]);
                c.pos = p;
            } else if allow_addr_spec {
                return addr_spec(c, start);
            } else if last_token_end > start && b.get(p).is_some() {
                // Tokens followed by something that is not `<`.
                return Err(HeaderError::new(HeaderErrorKind::DisplayName, p));
            } else {
                return Err(HeaderError::new(HeaderErrorKind::AngleBracket, start));
            }
        }
    }
    // At '<'.
    let open = c.pos;
    let close = memchr::memchr(b'>', &b[open..])
        .map(|off| open + off)
        .ok_or(HeaderError::new(HeaderErrorKind::AngleBracket, open))?;
    c.pos = close + 1;
    Ok(Parts {
        display,
        uri: &c.s[open + 1..close],
        uri_at: open + 1,
        addr_spec: false,
    })
}

fn addr_spec<'a>(c: &mut Cursor<'a>, start: usize) -> Result<Parts<'a>, HeaderError> {
    let b = c.bytes();
    let mut end = start;
    while end < b.len() && !matches!(b[end], b';' | b',' | b' ' | b'\t' | b'\r' | b'\n') {
        end += 1;
    }
    let text = &c.s[start..end];
    if text.is_empty() {
        return Err(HeaderError::new(HeaderErrorKind::Empty, start));
    }
    if let Some(q) = memchr::memchr2(b'?', b'>', text.as_bytes()) {
        return Err(HeaderError::new(HeaderErrorKind::AddrSpec, start + q));
    }
    c.pos = end;
    Ok(Parts {
        display: None,
        uri: text,
        uri_at: start,
        addr_spec: true,
    })
}

/// The text a display name stands for: quotes removed, quoted-pairs
/// resolved, folds between tokens made single spaces.
fn display_text(raw: &str) -> Cow<'_, str> {
    if raw.starts_with('"') {
        return syntax::unquote(raw);
    }
    if syntax::has_line_break(raw.as_bytes()) {
        Cow::Owned(
            raw.split(|ch: char| ch.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        )
    } else {
        Cow::Borrowed(raw)
    }
}

/// Parses `name-addr`, or `addr-spec` when `allow_addr_spec`, at the cursor.
pub(crate) fn parse<'a>(
    c: &mut Cursor<'a>,
    allow_addr_spec: bool,
) -> Result<NameAddr<'a>, HeaderError> {
    let parts = split(c, allow_addr_spec)?;
    let uri = Uri::parse(parts.uri).map_err(|e| {
        // Unquoted display names with characters outside token, such as
        // `Bell, Alexander <sip:...>`, end up as a broken addr-spec: say so.
        if parts.addr_spec && memchr::memchr(b'<', &c.bytes()[parts.uri_at..]).is_some() {
            HeaderError::new(HeaderErrorKind::DisplayName, parts.uri_at)
        } else {
            HeaderError::from_uri(e, parts.uri_at)
        }
    })?;
    Ok(NameAddr {
        display_name: parts.display.map(display_text),
        uri,
    })
}

/// Fast check: whether `value` is a `name-addr` with parameters of the
/// usual shape, an optional display name (quoted, or tokens), `<`, a URI
/// [`SipUri::fast_check`] accepts, `>`, then parameters. The parts are read
/// by the functions the parse uses, without building the URI: a check of a
/// From or To costs a fraction of its parse. `true`: [`parse_with_params`]
/// accepts it; `false` says nothing (a value of another shape may still be
/// valid).
pub(crate) fn fast_check(value: &str) -> bool {
    let b = value.as_bytes();
    let mut p = 0;
    match b.first() {
        Some(b'"') => {
            let Ok(end) = syntax::quoted_string_end(b, 0) else {
                return false;
            };
            p = syntax::skip_lws(b, end);
        }
        Some(b'<') => {}
        // Tokens separated by white space before `<`, as `split` reads
        // them.
        _ => loop {
            let end = syntax::scan(b, p, TOKEN);
            if end == p {
                break;
            }
            p = syntax::skip_lws(b, end);
        },
    }
    if b.get(p) != Some(&b'<') {
        return false;
    }
    let Some(close) = memchr::memchr(b'>', &b[p..]).map(|off| p + off) else {
        return false;
    };
    if !SipUri::fast_check(&value[p + 1..close]) {
        return false;
    }
    // The parameters as the parse reads them.
    Params::parse_header_at(value, close + 1, crate::params::any)
        .is_ok_and(|(_, end)| end == b.len())
}

/// A whole `( name-addr / addr-spec ) *( SEMI generic-param )` value: the
/// address (an `addr-spec` only when `allow_addr_spec`) and its parameters.
pub(crate) fn parse_with_params(
    value: &str,
    allow_addr_spec: bool,
) -> Result<(NameAddr<'_>, Params<'_>), HeaderError> {
    let mut c = Cursor::new(value);
    let name_addr = parse(&mut c, allow_addr_spec)?;
    let params = c.params()?;
    c.finish()?;
    Ok((name_addr, params))
}

/// The `tag` parameter of a From or To value, found without parsing the
/// URI: what a transaction or dialog layer needs from these headers on every
/// message.
pub(crate) fn tag_of(value: &str) -> Result<Option<&str>, HeaderError> {
    let mut c = Cursor::new(value);
    split(&mut c, true)?;
    let params = c.params()?;
    c.finish()?;
    Ok(params.borrowed_value("tag"))
}

/// Defines a header whose value is `name-addr`/`addr-spec` plus generic
/// parameters.
macro_rules! name_addr_header {
    (
        $(#[$doc:meta])*
        $ty:ident, $name:ident, addr_spec = $allow:expr
    ) => {
        $crate::header::name_addr::name_addr_header! {
            $(#[$doc])*
            $ty, $name,
            parse = |value| $crate::header::name_addr::parse_with_params(value, $allow)
        }
    };
    (
        $(#[$doc:meta])*
        $ty:ident, $name:ident, parse = $parse:expr
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            /// Display name and URI.
            pub name_addr: $crate::header::NameAddr<'a>,
            /// Header parameters after the address.
            pub params: $crate::params::Params<'a>,
        }

        impl<'a> $ty<'a> {
            /// A value of `name_addr` without parameters.
            pub fn new(name_addr: $crate::header::NameAddr<'a>) -> Self {
                $ty {
                    name_addr,
                    params: $crate::params::Params::header(),
                }
            }

            /// The URI.
            pub fn uri(&self) -> &$crate::uri::Uri<'a> {
                &self.name_addr.uri
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    name_addr: self.name_addr.into_owned(),
                    params: self.params.into_owned(),
                }
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let (name_addr, params) = ($parse)(value)?;
                Ok($ty { name_addr, params })
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                self.name_addr.encode(dst);
                self.params.encode(dst);
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
}

pub(crate) use name_addr_header;

/// The `tag` accessors of From and To (RFC 3261 §19.3), written once.
macro_rules! tag_methods {
    ($ty:ident) => {
        impl $ty<'_> {
            /// The `tag` parameter.
            pub fn tag(&self) -> Option<&str> {
                self.params.value("tag")
            }

            /// Sets the `tag` parameter (replacing any there was).
            ///
            /// # Errors
            /// [`InvalidParam`](crate::params::InvalidParam) when `tag` is
            /// not a token; the value is then unchanged.
            pub fn set_tag(&mut self, tag: &str) -> Result<(), $crate::params::InvalidParam> {
                if !$crate::syntax::is_token(tag.as_bytes()) {
                    return Err($crate::params::InvalidParam);
                }
                self.params.set("tag", Some(tag))
            }

            /// The same value with a new random tag from `rng`
            /// ([`crate::random::tag`]: 16 characters, about 95 bits).
            #[must_use]
            pub fn with_tag(mut self, rng: &mut impl $crate::random::Random) -> Self {
                // A tag from `random::tag` is a token.
                let _ = self.params.set("tag", Some(&$crate::random::tag(rng)));
                self
            }
        }
    };
}

pub(crate) use tag_methods;

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim of [`fast_check`]: what it accepts, From and To parse.
    fn usual_holds(s: &str) -> bool {
        if !fast_check(s) {
            return false;
        }
        use crate::header::{From, To, TypedHeader};
        assert!(From::parse(s).is_ok(), "usual but not a From: {s:?}");
        assert!(To::parse(s).is_ok(), "usual but not a To: {s:?}");
        true
    }

    #[test]
    fn usual_shapes_are_checked_without_a_parse() {
        for s in [
            "<sip:alice@192.0.2.1>;tag=fa1",
            "<sip:bob@192.0.2.2>",
            "\"Alice Smith\" <sip:alice@example.com>;tag=9fxced76sl",
            "\"\"<sips:bob@biloxi.example.com:5061>;tag=a;x",
            "<sip:+12125551212@ims.example.com>;tag=z9;epid=1a2b",
            "<sip:[2001:db8::1]:5060>",
            "<sip:ims.example.com>",
            "<SIP:a@b.c>;TAG=[::1]",
            "Alice <sip:a@b.c>",
            "Alice  Smith\t<sip:+1234@b.c;user=phone>;tag=1",
            "<sip:a@b.c;user=phone;lr>",
            "\"A\"\r\n <sip:a@b.c>",
            // Parameters as the parse reads them: white space, quotes.
            "<sip:a@b.c>; tag=1",
            "<sip:a@b.c>;tag=\"q\"",
        ] {
            assert!(usual_holds(s), "{s}");
        }
        // Valid, but another shape: left to the parse.
        for s in [
            "sip:alice@example.com;tag=1",
            "<sip:a@b.c?subject=x>",
            "<sip:a:pw@b.c>",
            "<tel:+1234>",
        ] {
            assert!(!fast_check(s), "{s}");
            use crate::header::{To, TypedHeader};
            assert!(To::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn usual_accepts_nothing_the_parse_refuses() {
        // Every octet substituted, deleted and inserted at every position
        // of usual values: whatever the check still accepts must parse.
        let bases = [
            "<sip:alice@192.0.2.1>;tag=fa1",
            "\"A\" <sips:b@h.example.com:5061>;tag=x;y",
            "<sip:[::1]>;a=b",
            "<sip:host.example>",
            "Al Bo <sip:a@b;transport=udp;lr>;tag=1",
        ];
        let mut accepted = 0;
        for base in bases {
            for v in syntax::one_octet_edits(base.as_bytes()) {
                if let Ok(s) = std::str::from_utf8(&v) {
                    accepted += usize::from(usual_holds(s));
                }
            }
        }
        // The check is not vacuous.
        assert!(accepted > 1000, "{accepted}");
    }

    proptest::proptest! {
        /// Values put together from pieces, bad ones among them: whatever
        /// the check accepts parses.
        #[test]
        fn usual_implies_parse(
            display in proptest::sample::select(vec![
                "", "\"A\" ", "\"A\"", "\"\\\"\" ", "A ", "\"", " ", "A B\t", "A,B ", "A\r\n ",
            ]),
            scheme in proptest::sample::select(vec!["sip:", "sips:", "SIP:", "tel:", "sip", ""]),
            user in proptest::sample::select(vec![
                "", "alice@", "+1-2(3)@", "a b@", "@", "a:p@", "a%41@", "a;b@", "a@b@",
            ]),
            host in proptest::sample::select(vec![
                "192.0.2.1", "example.com", "a-.b", "[::1]", "[::1", "1.2.3", "300.1.1.1",
                "h.", ".h", "", "h_x",
            ]),
            port in proptest::sample::select(vec![
                "", ":5060", ":99999", ":", ":x", ";lr", ":5060;transport=tcp", ";user=",
                ";ttl=999", ";maddr=1.2.3", ";x=\"q\"", ";a;b=c", "?h=v",
            ]),
            close in proptest::sample::select(vec![">", "", ">>", "> "]),
            params in proptest::collection::vec(
                proptest::sample::select(vec![
                    ";tag=1", ";tag", ";=1", ";tag=", ";a=[::1]", ";a=\"q\"", ";", " ;a",
                    ";a=b=c", ";a,b",
                ]),
                0..4,
            ),
        ) {
            let mut s = format!("{display}<{scheme}{user}{host}{port}{close}");
            for p in params {
                s.push_str(p);
            }
            usual_holds(&s);
        }

        /// Any short text of the characters that matter.
        #[test]
        fn usual_implies_parse_on_noise(s in "[<>\"a-c0-2@:;=.\\[\\] %+-]{0,24}") {
            usual_holds(&s);
        }
    }

    fn p(s: &str) -> Result<NameAddr<'_>, HeaderErrorKind> {
        NameAddr::parse(s).map_err(|e| e.kind())
    }

    #[test]
    fn forms() {
        let na = p("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>").unwrap();
        assert_eq!(na.display_name.as_deref(), Some("J Rosenberg \\\""));
        let na = p("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>").unwrap();
        assert_eq!(
            na.display_name.as_deref(),
            Some("token1~` token2'+_ token3*%!.-")
        );
        let na = p("caller<sip:caller@example.com>").unwrap();
        assert_eq!(na.display_name.as_deref(), Some("caller"));
        let na = p("sip:user@example.com").unwrap();
        assert_eq!(na.display_name, None);
        let na = p("<http://www.example.com>").unwrap();
        assert_eq!(na.uri.scheme(), "http");
        let na = p("A.\r\n Bell <sip:a@b.c>").unwrap();
        assert_eq!(na.display_name.as_deref(), Some("A. Bell"));
        assert_eq!(na.to_string(), "\"A. Bell\" <sip:a@b.c>");
    }

    #[test]
    fn torture_rejections() {
        assert_eq!(
            p("Bell, Alexander <sip:a.g.bell@example.com>"),
            Err(HeaderErrorKind::DisplayName)
        );
        assert_eq!(
            p("\"Mr. J. User <sip:j.user@example.com>"),
            Err(HeaderErrorKind::QuotedString)
        );
        assert_eq!(
            p("\"Watson, Thomas\" < sip:t.watson@example.org >"),
            Err(HeaderErrorKind::Uri(crate::uri::UriErrorKind::Scheme))
        );
        assert_eq!(
            p("sip:user@example.com?Route=%3Csip:sip.example.com%3E"),
            Err(HeaderErrorKind::AddrSpec)
        );
        assert_eq!(p("<sip:a@b"), Err(HeaderErrorKind::AngleBracket));
        assert_eq!(p("\"x\" sip:a@b"), Err(HeaderErrorKind::AngleBracket));
        assert!(p("").is_err());
    }
}
