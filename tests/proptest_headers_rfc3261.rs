//! Property tests of the RFC 3261 §20 headers added after the core ones
//! (Accept ... Warning): generated valid text, with the optional white
//! space and folds the grammar allows, parses; its canonical encoding
//! parses back to the same value and encodes the same again.

#[macro_use]
mod common;

use std::time::Duration;

use common::strategies::{host, lws, name_addr, quotable, quote, token, uri};
use imsip::MessageRef;
use imsip::header::HeaderErrorKind;
use imsip::header::{
    Accept, AcceptEncoding, AcceptLanguage, CallInfo, ContentDisposition, ContentEncoding,
    ContentLanguage, Date, ErrorInfo, InReplyTo, MimeVersion, MinExpires, Organization, Priority,
    ReplyTo, RetryAfter, Server, Subject, Timestamp, TypedHeader, UserAgent, WarnAgent, Warning,
};
use imsip::uri::HostPort;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Linear white space that is not empty: spaces, tabs or a fold.
fn sep() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_owned()),
        1 => " {2,3}",
        1 => Just("\t".to_owned()),
        1 => Just("\r\n ".to_owned()),
        1 => Just(" \r\n\t ".to_owned()),
    ]
}

/// `;name=value` generic parameters with optional white space, none of
/// them one that these headers check.
fn params() -> impl Strategy<Value = String> {
    common::strategies::header_params().prop_filter("no checked parameter", |p| {
        !["purpose", "handling", "duration"]
            .iter()
            .any(|n| p.contains(n))
    })
}

/// A `qvalue`.
fn qvalue() -> impl Strategy<Value = String> {
    prop_oneof![
        "0(\\.[0-9]{0,3})?",
        select(vec!["1", "1.", "1.0", "1.00", "1.000"]).prop_map(str::to_owned),
    ]
}

/// Generic parameters, maybe with a `q` among them.
fn accept_params() -> impl Strategy<Value = String> {
    (
        params(),
        proptest::option::of((lws(), lws(), qvalue())),
        params(),
    )
        .prop_map(|(a, q, b)| match q {
            Some((w1, w2, q)) => format!("{a}{w1};{w2}q{w1}={w2}{q}{b}"),
            None => format!("{a}{b}"),
        })
}

/// A media range: `*/*`, `type/*` or `type/subtype`.
fn media_range() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            1 => Just(("*".to_owned(), "*".to_owned())),
            2 => token().prop_filter("not *", |t| t != "*").prop_map(|t| (t, "*".to_owned())),
            4 => (token().prop_filter("not *", |t| t != "*"), token()),
        ],
        lws(),
        lws(),
    )
        .prop_map(|((t, s), w1, w2)| format!("{t}{w1}/{w2}{s}"))
}

/// A language tag of RFC 3261 §25.1.
fn language() -> impl Strategy<Value = String> {
    "[a-zA-Z]{1,8}(-[a-zA-Z]{1,8}){0,3}"
}

/// A `word` of RFC 3261 §25.1.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]{1,12}"
}

/// Free text (`TEXT-UTF8-TRIM`): words without control characters,
/// separated by white space that may be folded.
fn text_utf8() -> impl Strategy<Value = String> {
    (lws(), vec(("[^\\x00-\\x20\\x7f]{1,8}", sep()), 0..5), lws()).prop_map(|(a, words, b)| {
        let mut s = a;
        let n = words.len();
        for (i, (w, gap)) in words.into_iter().enumerate() {
            s.push_str(&w);
            if i + 1 < n {
                s.push_str(&gap);
            }
        }
        s.push_str(&b);
        s
    })
}

/// A comment with nested comments and quoted-pairs.
fn comment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => "[^()\\\\\\x00-\\x1f\\x7f]{0,8}",
        1 => "\\\\[\\x00-\\x09\\x0b\\x0c\\x0e-\\x7f]",
        1 => Just("\r\n ".to_owned()),
    ];
    let inner = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(|parts| parts.concat()),
            inner.prop_map(|i| format!("({i})")),
        ]
    });
    inner.prop_map(|i| format!("({i})"))
}

/// `server-val *(LWS server-val)`.
fn server_vals() -> impl Strategy<Value = String> {
    let product =
        (token(), proptest::option::of((lws(), lws(), token()))).prop_map(|(n, v)| match v {
            Some((w1, w2, v)) => format!("{n}{w1}/{w2}{v}"),
            None => n,
        });
    let val = prop_oneof![3 => product, 1 => comment()];
    vec((val, sep()), 1..5).prop_map(|vals| {
        let n = vals.len();
        let mut s = String::new();
        for (i, (v, gap)) in vals.into_iter().enumerate() {
            s.push_str(&v);
            if i + 1 < n {
                s.push_str(&gap);
            }
        }
        s
    })
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An `rfc1123-date`, in any letter case, weekday not necessarily right.
fn date() -> impl Strategy<Value = String> {
    (
        0u16..=9999,
        0usize..12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..60,
        0usize..7,
        any::<bool>(),
    )
        .prop_map(|(year, month, day, h, m, s, wd, upper)| {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                1 if leap => 29,
                1 => 28,
                3 | 5 | 8 | 10 => 30,
                _ => 31,
            };
            let text = format!(
                "{}, {:02} {} {year:04} {h:02}:{m:02}:{s:02} GMT",
                WEEKDAYS[wd],
                day.min(days),
                MONTHS[month]
            );
            if upper { text.to_uppercase() } else { text }
        })
}

/// A decimal of the Timestamp grammar: `1*DIGIT ["." *DIGIT]`.
fn decimal() -> impl Strategy<Value = String> {
    "[0-9]{1,12}(\\.[0-9]{0,12})?"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn accept_family(
        range in media_range(),
        ap in accept_params(),
        coding in prop_oneof![1 => Just("*".to_owned()), 4 => token()],
        lang in prop_oneof![1 => Just("*".to_owned()), 4 => language()],
        tag in language(),
        (w1, w2) in (lws(), lws()),
    ) {
        roundtrip!(Accept<'_>, format!("{w1}{range}{ap}{w2}"));
        roundtrip!(AcceptEncoding<'_>, format!("{w1}{coding}{ap}{w2}"));
        roundtrip!(AcceptLanguage<'_>, format!("{w1}{lang}{ap}{w2}"));
        roundtrip!(ContentLanguage<'_>, format!("{w1}{tag}{w2}"));
        roundtrip!(ContentEncoding<'_>, format!("{w1}{coding}{w2}"));
    }

    #[test]
    fn uri_and_token_values(
        u in uri(),
        p in params(),
        purpose in proptest::option::of(prop_oneof![
            select(vec!["icon", "info", "card", "ICON"]).prop_map(str::to_owned),
            token(),
        ]),
        disp in prop_oneof![
            select(vec!["render", "session", "icon", "alert", "Session"]).prop_map(str::to_owned),
            token(),
        ],
        handling in proptest::option::of(prop_oneof![
            select(vec!["optional", "required"]).prop_map(str::to_owned),
            token(),
        ]),
        priority in prop_oneof![
            select(vec!["emergency", "urgent", "normal", "non-urgent", "NORMAL"]).prop_map(str::to_owned),
            token(),
        ],
        na in name_addr(),
        (w1, w2) in (lws(), lws()),
    ) {
        let purpose = purpose.map(|t| format!("{w1};{w2}purpose{w1}={w2}{t}")).unwrap_or_default();
        roundtrip!(CallInfo<'_>, format!("{w1}<{u}>{p}{purpose}{w2}"));
        roundtrip!(ErrorInfo<'_>, format!("{w1}<{u}>{p}{w2}"));
        let handling = handling.map(|t| format!(";handling={t}")).unwrap_or_default();
        roundtrip!(ContentDisposition<'_>, format!("{w1}{disp}{handling}{p}{w2}"));
        roundtrip!(Priority<'_>, format!("{w1}{priority}{w2}"));
        roundtrip!(ReplyTo<'_>, format!("{na}{p}"));
    }

    #[test]
    fn numbers_and_dates(
        d in date(),
        (major, minor) in ("[0-9]{1,9}", "[0-9]{1,9}"),
        n in any::<u32>(),
        duration in proptest::option::of(any::<u32>()),
        c in proptest::option::of((lws(), comment())),
        p in params(),
        time in decimal(),
        delay in proptest::option::of((sep(), prop_oneof![
            decimal(),
            "(\\.[0-9]{0,12})?",
        ])),
        id in (word(), proptest::option::of(word())),
        (w1, w2) in (lws(), lws()),
    ) {
        roundtrip!(Date, format!("{w1}{d}{w2}"));
        roundtrip!(MimeVersion, format!("{w1}{major}.{minor}{w2}"));
        roundtrip!(MinExpires, format!("{w1}{n}{w2}"));
        let comment = c.map(|(w, c)| format!("{w}{c}")).unwrap_or_default();
        let duration = duration.map(|d| format!("{w1};{w2}duration{w1}={w2}{d}")).unwrap_or_default();
        roundtrip!(RetryAfter<'_>, format!("{w1}{n}{comment}{p}{duration}{w2}"));
        let delay = delay.map(|(s, d)| format!("{s}{d}")).unwrap_or_default();
        roundtrip!(Timestamp, format!("{w1}{time}{delay}{w2}"));
        let id = match id {
            (a, Some(b)) => format!("{a}@{b}"),
            (a, None) => a,
        };
        roundtrip!(InReplyTo<'_>, format!("{w1}{id}{w2}"));
    }

    #[test]
    fn text_values(
        text in text_utf8(),
        vals in server_vals(),
        code in 0u16..1000,
        agent in prop_oneof![
            (host(), proptest::option::of(any::<u16>())).prop_map(|(h, p)| match p {
                Some(p) => format!("{h}:{p}"),
                None => h,
            }),
            token(),
        ],
        warn_text in quotable(),
        (w1, w2) in (lws(), lws()),
    ) {
        roundtrip!(Organization<'_>, text);
        roundtrip!(Subject<'_>, text);
        roundtrip!(Server<'_>, format!("{w1}{vals}{w2}"));
        roundtrip!(UserAgent<'_>, format!("{w1}{vals}{w2}"));
        let w = format!("{w1}{code:03} {agent} {}{w2}", quote(&warn_text));
        roundtrip!(Warning<'_>, w);
        prop_assert_eq!(Warning::parse(&w).unwrap().text, warn_text);
    }

    #[test]
    fn any_text_that_parses_roundtrips(
        s in prop_oneof![
            "[ -~]{0,24}",
            "[0-9a-zA-Z ;=,./*()\"\\\\:<>@\t\r\n-]{0,24}",
            "\\PC{0,16}",
        ],
    ) {
        roundtrip_if_ok!(Accept<'_>, s);
        roundtrip_if_ok!(AcceptEncoding<'_>, s);
        roundtrip_if_ok!(AcceptLanguage<'_>, s);
        roundtrip_if_ok!(CallInfo<'_>, s);
        roundtrip_if_ok!(ContentDisposition<'_>, s);
        roundtrip_if_ok!(ContentEncoding<'_>, s);
        roundtrip_if_ok!(ContentLanguage<'_>, s);
        roundtrip_if_ok!(Date, s);
        roundtrip_if_ok!(ErrorInfo<'_>, s);
        roundtrip_if_ok!(InReplyTo<'_>, s);
        roundtrip_if_ok!(MimeVersion, s);
        roundtrip_if_ok!(MinExpires, s);
        roundtrip_if_ok!(Organization<'_>, s);
        roundtrip_if_ok!(Priority<'_>, s);
        roundtrip_if_ok!(ReplyTo<'_>, s);
        roundtrip_if_ok!(RetryAfter<'_>, s);
        roundtrip_if_ok!(Server<'_>, s);
        roundtrip_if_ok!(Subject<'_>, s);
        roundtrip_if_ok!(Timestamp, s);
        roundtrip_if_ok!(UserAgent<'_>, s);
        roundtrip_if_ok!(Warning<'_>, s);
    }

    #[test]
    fn built_values_roundtrip(
        secs in -62_167_219_200i64..253_402_300_800,
        (t, d) in (any::<u64>(), proptest::option::of(any::<u64>())),
        (nt, nd) in (0u32..1_000_000_000, 0u32..1_000_000_000),
        code in 0u16..1000,
        agent in token(),
        text in quotable(),
    ) {
        let date = Date::from_unix_time(secs).unwrap();
        prop_assert_eq!(date.unix_time(), secs);
        prop_assert!(date.weekday_is_consistent());
        prop_assert_eq!(Date::parse(&date.to_string()).unwrap(), date);

        let ts = Timestamp { time: Duration::new(t, nt), delay: d.map(|d| Duration::new(d, nd)) };
        prop_assert_eq!(Timestamp::parse(&ts.to_string()).unwrap(), ts);

        let w = Warning { code, agent: WarnAgent::Pseudonym(agent.clone().into()), text: text.clone().into() };
        let wire = w.to_string();
        let back = Warning::parse(&wire).unwrap();
        prop_assert_eq!(back.code, code);
        prop_assert_eq!(back.text, text);
        match back.agent {
            WarnAgent::Pseudonym(p) => prop_assert_eq!(p, agent),
            WarnAgent::HostPort(h) => prop_assert_eq!(h, HostPort::parse(&agent).unwrap()),
        }

        let mut r = RetryAfter::new(code.into());
        r.params.push("duration", Some(&secs.unsigned_abs().min(u64::from(u32::MAX)).to_string())).unwrap();
        let wire = r.to_string();
        prop_assert_eq!(RetryAfter::parse(&wire).unwrap(), r);
    }
}

/// The RFC 4475 messages that carry these headers, read through
/// `MessageRef`: what must parse does, what must fail fails.
#[test]
fn rfc4475_messages() {
    let msg = |name: &str| common::data(&format!("rfc4475/{name}.sip"));
    // §3.1.2.12 baddate: a Date in EST.
    let bytes = msg("baddate");
    let m = MessageRef::parse(&bytes).unwrap();
    let e = m.header::<Date>().unwrap().unwrap_err();
    assert_eq!(e.kind(), HeaderErrorKind::Expected(b'G'));
    // §3.1.2.5 scalarlg: Retry-After and warn-code too large.
    let bytes = msg("scalarlg");
    let m = MessageRef::parse(&bytes).unwrap();
    let e = m.header::<RetryAfter<'_>>().unwrap().unwrap_err();
    assert_eq!(e.kind(), HeaderErrorKind::OutOfRange);
    let e = m.header_all::<Warning<'_>>().next().unwrap().unwrap_err();
    assert_eq!(e.kind(), HeaderErrorKind::OutOfRange);
    // §3.1.1.1 wsinv: `s :` with an empty value.
    let bytes = msg("wsinv");
    let m = MessageRef::parse(&bytes).unwrap();
    assert_eq!(m.header::<Subject<'_>>().unwrap().unwrap().as_str(), "");
    // §3.1.1.9 semiuri: a folded Accept list.
    let bytes = msg("semiuri");
    let m = MessageRef::parse(&bytes).unwrap();
    let accept: Vec<String> = m
        .header_all::<Accept<'_>>()
        .map(|a| a.unwrap().to_string())
        .collect();
    assert_eq!(
        accept,
        [
            "application/sdp",
            "application/pkcs7-mime",
            "multipart/mixed",
            "multipart/signed",
            "message/sip",
            "message/sipfrag"
        ]
    );
    // §3.1.1.11 mpart01: a product and a comment.
    let bytes = msg("mpart01");
    let m = MessageRef::parse(&bytes).unwrap();
    let ua = m.header::<UserAgent<'_>>().unwrap().unwrap();
    let product = ua.products().next().unwrap();
    assert_eq!(
        (product.name, product.version),
        ("SIPimp.org", Some("0.2.5"))
    );
    assert_eq!(ua.comments().collect::<Vec<_>>(), ["curses"]);
    // §3.3.15 sdp01: an Accept of an unknown type still parses.
    let bytes = msg("sdp01");
    let m = MessageRef::parse(&bytes).unwrap();
    let a = m.header::<Accept<'_>>().unwrap().unwrap();
    assert_eq!(a.to_string(), "text/nobodyKnowsThis");
}
