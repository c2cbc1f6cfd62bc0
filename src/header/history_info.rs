//! The History-Info header ([RFC 7044 §9](https://www.rfc-editor.org/rfc/rfc7044#section-9)).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use super::name_addr::{self, NameAddr};
use super::param_check;
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;
use crate::syntax;
use crate::uri::Uri;

/// One element of a History-Info header: `<sip:bob@example.com>;index=1.1;rc=1`,
/// a target a request was sent to, with its place in the history tree
/// (`index`) and how it was found (`rc`, `mp` or `np`, naming the parent
/// entry).
///
/// Parsing requires `index` ([`HeaderErrorKind::MissingParam`]) and checks
/// that `index`, `rc`, `mp` and `np` are index values (`number *("."
/// number)`, numbers without leading zeros that fit in 32 bits), each at
/// most once. The target is a `name-addr` (always in `<>`).
///
/// ```
/// use imsip::header::{HistoryInfo, TypedHeader};
///
/// let h = HistoryInfo::parse("<sip:office@example.com?Reason=SIP%3Bcause%3D302>;index=1.1;mp=1").unwrap();
/// let index = h.index().unwrap();
/// assert_eq!(index.numbers().collect::<Vec<u32>>(), [1, 1]);
/// assert_eq!(h.mp(), index.parent()); // diverted from entry 1
/// assert!(HistoryInfo::parse("<sip:office@example.com>;index=1.01").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryInfo<'a> {
    /// The target: display name and URI (`hi-targeted-to-uri`).
    pub name_addr: NameAddr<'a>,
    /// The parameters (`index`, `rc`, `mp`, `np`, others).
    pub params: Params<'a>,
}

/// An `index-val`: `1.1.2`, the place of an entry in the History-Info tree.
///
/// Ordered by its numbers (`1.2` < `1.10` < `2`), parents before their
/// children. Borrowed from the header it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HiIndex<'p>(Cow<'p, str>);

/// Checks `index-val = number *("." number)`, `number = [ %x31-39 *DIGIT ]
/// DIGIT`, each number at most 2³²−1.
fn check_index(s: &str) -> Result<(), HeaderErrorKind> {
    for n in s.split('.') {
        let b = n.as_bytes();
        if b.len() > 1 && b[0] == b'0' {
            return Err(HeaderErrorKind::ParamValue);
        }
        match syntax::parse_u32(b) {
            Ok(_) => {}
            Err(true) => return Err(HeaderErrorKind::OutOfRange),
            Err(false) => return Err(HeaderErrorKind::ParamValue),
        }
    }
    Ok(())
}

impl<'p> HiIndex<'p> {
    /// The index written `s`, if it is a valid `index-val`.
    pub fn parse(s: &'p str) -> Option<HiIndex<'p>> {
        check_index(s).ok().map(|()| HiIndex(Cow::Borrowed(s)))
    }

    /// The index as written: `1.1.2`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The numbers of the index, from the root: `1`, `1`, `2`.
    pub fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.0
            .split('.')
            .filter_map(|n| syntax::parse_u32(n.as_bytes()).ok())
    }

    /// How many numbers the index has (the depth in the tree, from 1).
    pub fn depth(&self) -> usize {
        self.0.split('.').count()
    }

    /// The index of the parent entry: `1.1` for `1.1.2`; `None` for a root.
    pub fn parent(&self) -> Option<HiIndex<'_>> {
        self.0
            .rfind('.')
            .map(|dot| HiIndex(Cow::Borrowed(&self.0[..dot])))
    }

    /// Copies borrowed text so the index outlives the header.
    pub fn into_owned(self) -> HiIndex<'static> {
        HiIndex(Cow::Owned(self.0.into_owned()))
    }
}

impl PartialOrd for HiIndex<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HiIndex<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers().cmp(other.numbers())
    }
}

impl fmt::Display for HiIndex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> HistoryInfo<'a> {
    /// The entry for `name_addr` at `index`.
    pub fn new(name_addr: NameAddr<'a>, index: HiIndex<'_>) -> Self {
        let mut params = Params::header();
        // An index is a token: push cannot refuse it.
        let _ = params.push("index", Some(index.as_str()));
        HistoryInfo { name_addr, params }
    }

    /// The target URI.
    pub fn uri(&self) -> &Uri<'a> {
        &self.name_addr.uri
    }

    /// The `index` parameter.
    pub fn index(&self) -> Option<HiIndex<'_>> {
        self.index_param("index")
    }

    /// The `rc` parameter: the target was found by changing the
    /// Request-URI without changing the user (a contact from a
    /// registration); the value is the parent entry's index.
    pub fn rc(&self) -> Option<HiIndex<'_>> {
        self.index_param("rc")
    }

    /// The `mp` parameter: the target was found by mapping to another user
    /// (a diversion); the value is the parent entry's index.
    pub fn mp(&self) -> Option<HiIndex<'_>> {
        self.index_param("mp")
    }

    /// The `np` parameter: the Request-URI did not change; the value is the
    /// parent entry's index.
    pub fn np(&self) -> Option<HiIndex<'_>> {
        self.index_param("np")
    }

    fn index_param(&self, name: &str) -> Option<HiIndex<'_>> {
        self.params.value(name).and_then(HiIndex::parse)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> HistoryInfo<'static> {
        HistoryInfo {
            name_addr: self.name_addr.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for HistoryInfo<'a> {
    const NAME: HeaderName = HeaderName::HistoryInfo;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        // `hi-targeted-to-uri = name-addr`: without `<` there is none (an
        // addr-spec would otherwise read as the start of a display name).
        if memchr::memchr(b'<', value.as_bytes()).is_none() {
            let at = value.len() - value.trim_start().len();
            return Err(HeaderError::new(HeaderErrorKind::AngleBracket, at));
        }
        let mut c = Cursor::new(value);
        let name_addr = name_addr::parse(&mut c, false)?;
        let params_at = c.pos;
        let params = param_check::params(&mut c, &["index", "rc", "mp", "np"], |_, v| {
            v.map_or(Err(HeaderErrorKind::ParamValue), check_index)
        })?;
        c.finish()?;
        if !params.contains("index") {
            return Err(HeaderError::new(HeaderErrorKind::MissingParam, params_at));
        }
        Ok(HistoryInfo { name_addr, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.name_addr.encode(dst);
        self.params.encode(dst);
    }
}

impl fmt::Display for HistoryInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(s: &str) -> HiIndex<'_> {
        HiIndex::parse(s).unwrap()
    }

    #[test]
    fn examples() {
        // Entries in the style of the RFC 7044 examples and of the TS 24.229
        // communication diversion flows.
        let msg = crate::MessageRef::parse(
            b"INVITE sip:office@192.0.2.5 SIP/2.0\r\n\
History-Info: <sip:bob@example.com>;index=1,\r\n \
<sip:office@example.com?Reason=SIP%3Bcause%3D302>;index=1.1;mp=1\r\n\
History-Info: \"Office\" <sip:office@192.0.2.5>;index=1.1.1;rc=1.1\r\n\
History-Info: <sip:home@example.net?Privacy=history&Reason=SIP%3Bcause%3D486>;index=1.2;mp=1,\r\n \
<sip:bob@192.0.2.7>;index=1.1.1.1;np=1.1.1;foo=bar\r\n\r\n",
        )
        .unwrap();
        let entries: Vec<HistoryInfo<'_>> = msg
            .header_all::<HistoryInfo<'_>>()
            .map(|h| h.unwrap())
            .collect();
        let summary: Vec<_> = entries
            .iter()
            .map(|h| {
                let mut s = h.index().unwrap().to_string();
                for (name, i) in [("rc", h.rc()), ("mp", h.mp()), ("np", h.np())] {
                    if let Some(i) = i {
                        s.push_str(&format!(" {name}={i}"));
                    }
                }
                s
            })
            .collect();
        assert_eq!(
            summary,
            [
                "1",
                "1.1 mp=1",
                "1.1.1 rc=1.1",
                "1.2 mp=1",
                "1.1.1.1 np=1.1.1"
            ]
        );
        assert_eq!(entries[2].name_addr.display_name.as_deref(), Some("Office"));
        assert_eq!(entries[4].params.value("foo"), Some("bar"));
        let sip = entries[1].uri().as_sip().unwrap();
        assert_eq!(
            sip.header_fields().collect::<Vec<_>>(),
            [("Reason", "SIP%3Bcause%3D302")]
        );
        // Each mp/rc/np names the entry's parent.
        for h in &entries[1..] {
            let parent = h.rc().or(h.mp()).or(h.np());
            assert_eq!(parent, h.index().unwrap().parent());
        }
    }

    #[test]
    fn index_values() {
        let i = idx("1.10.0.4294967295");
        assert_eq!(i.numbers().collect::<Vec<_>>(), [1, 10, 0, u32::MAX]);
        assert_eq!(i.depth(), 4);
        assert_eq!(i.parent(), Some(idx("1.10.0")));
        assert_eq!(idx("7").parent(), None);
        let mut sorted = [idx("2"), idx("1.10"), idx("1.2"), idx("1"), idx("1.2.1")];
        sorted.sort();
        assert_eq!(
            sorted.iter().map(HiIndex::as_str).collect::<Vec<_>>(),
            ["1", "1.2", "1.2.1", "1.10", "2"]
        );
        for bad in [
            "",
            ".",
            "1.",
            ".1",
            "01",
            "1..2",
            "1.a",
            "-1",
            "4294967296",
            "1 .2",
        ] {
            assert_eq!(HiIndex::parse(bad), None, "{bad}");
        }
        assert_eq!(HiIndex::parse("0").unwrap().as_str(), "0");
        assert_eq!(idx("1.2").into_owned(), idx("1.2"));
    }

    #[test]
    fn canonical() {
        let h = HistoryInfo::parse("Bob <sip:bob@example.com> ;\r\n index = 1.1 ; rc=1").unwrap();
        assert_eq!(
            h.to_string(),
            "\"Bob\" <sip:bob@example.com>;index=1.1;rc=1"
        );
        assert_eq!(HistoryInfo::parse(&h.to_string()).unwrap(), h);
        let built = HistoryInfo::new(
            NameAddr::new(Uri::parse("sip:bob@example.com").unwrap()),
            idx("1.1"),
        );
        assert_eq!(built.to_string(), "<sip:bob@example.com>;index=1.1");
        assert_eq!(built.clone().into_owned(), built);
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", HeaderErrorKind::AngleBracket),
            // An addr-spec, not a name-addr.
            ("sip:bob@example.com;index=1", HeaderErrorKind::AngleBracket),
            ("<sip:bob@example.com>", HeaderErrorKind::MissingParam),
            ("<sip:bob@example.com>;rc=1", HeaderErrorKind::MissingParam),
            ("<sip:bob@example.com>;index", HeaderErrorKind::ParamValue),
            (
                "<sip:bob@example.com>;index=01",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:bob@example.com>;index=1.",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:bob@example.com>;index=\"1\"",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:bob@example.com>;index=1;mp=x",
                HeaderErrorKind::ParamValue,
            ),
            (
                "<sip:bob@example.com>;index=1.4294967296",
                HeaderErrorKind::OutOfRange,
            ),
            (
                "<sip:bob@example.com>;index=1;index=2",
                HeaderErrorKind::DuplicateParam,
            ),
            ("<sip:bob@example.com> index=1", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(HistoryInfo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
