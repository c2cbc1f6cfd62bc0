//! Property tests of the SIP extension headers (RFC 6665, 3262, 4028, 3326,
//! 3515, 3892, 3891, 7044, 3903, 8224, 6442, 4412): generated valid text,
//! with optional white space and folds where the grammar allows them,
//! parses; its canonical encoding parses back to the same value and encodes
//! the same again. Arbitrary text never panics, and whatever parses
//! round-trips too.

#[macro_use]
mod common;

use std::borrow::Cow;

use common::strategies::{domain, lws, name_addr, quotable, quote, token, uri};
use imsip::header::{
    AcceptResourcePriority, AllowEvents, CallId, EventReason, Geolocation, HiIndex, HistoryInfo,
    Identity, MinSe, NameAddr, RAck, RSeq, Reason, ReasonProtocol, ReferTo, ReferredBy, Refresher,
    Replaces, ResourcePriority, SessionExpires, SipETag, SipIfMatch, SubscriptionState, Substate,
    TypedHeader,
};
use imsip::uri::Uri;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;

/// A value built in code encodes to text that parses back to it.
macro_rules! rebuilt {
    ($ty:ty, $value:expr) => {{
        let value = $value;
        let mut enc = Vec::new();
        value.encode(&mut enc);
        let enc = String::from_utf8(enc).unwrap();
        let back = <$ty>::parse(&enc).unwrap_or_else(|e| panic!("{enc:?}: {e}"));
        prop_assert_eq!(&back, &value);
    }};
}

/// Every parameter name the headers of this file give a meaning to; the
/// generic parameters below avoid them.
const DEFINED: &[&str] = &[
    "reason",
    "expires",
    "retry-after",
    "refresher",
    "cause",
    "text",
    "location",
    "cid",
    "to-tag",
    "from-tag",
    "early-only",
    "index",
    "rc",
    "mp",
    "np",
    "info",
    "alg",
    "ppt",
    "loc-src",
];

/// White space that is not empty: spaces, tabs or a fold.
fn lws1() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => " {1,3}",
        1 => Just("\t".to_owned()),
        1 => Just("\r\n ".to_owned()),
        1 => Just(" \r\n\t ".to_owned()),
    ]
}

/// `;name[=value]` generic parameters with optional white space, none of
/// them one of the [`DEFINED`] names, each name once.
fn generic_params() -> impl Strategy<Value = String> {
    vec(
        (
            lws(),
            "[a-z][a-z0-9-]{0,8}",
            prop_oneof![
                Just(None),
                token().prop_map(Some),
                domain().prop_map(Some),
                quotable().prop_map(|t| Some(quote(&t))),
            ],
            lws(),
        ),
        0..4,
    )
    .prop_map(|ps| {
        let mut seen = Vec::new();
        let mut out = String::new();
        for (a, n, v, b) in ps {
            if DEFINED.contains(&n.as_str()) || seen.contains(&n) {
                continue;
            }
            match v {
                Some(v) => out.push_str(&format!("{a};{b}{n}{a}={b}{v}")),
                None => out.push_str(&format!("{a};{b}{n}")),
            }
            seen.push(n);
        }
        out
    })
}

/// `;name=value` with optional white space around `;` and `=`.
fn param(w: &(String, String), name: &str, value: &str) -> String {
    let (a, b) = w;
    format!("{a};{b}{name}{a}={b}{value}")
}

/// A `token-nodot`.
fn token_nodot() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9!%*_+`'~-]{1,10}"
}

/// A decimal number with 0 to 2 leading zeros.
fn padded(n: u32, zeros: usize) -> String {
    format!("{}{n}", "0".repeat(zeros))
}

/// An `index-val`: 1 to 5 numbers.
fn index_val() -> impl Strategy<Value = Vec<u32>> {
    vec(prop_oneof![3 => 0u32..20, 1 => any::<u32>()], 1..6)
}

fn dotted(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A simple `addr-spec` (no `?`, `;` or `,`), as Refer-To and Referred-By
/// may carry outside `<>`.
fn addr_spec() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[a-z0-9.+-]{1,8}", domain()).prop_map(|(u, d)| format!("sip:{u}@{d}")),
        domain().prop_map(|d| format!("sips:{d}")),
        "[0-9]{1,12}".prop_map(|n| format!("tel:+{n}")),
    ]
}

/// A `word` (RFC 3261 §25.1), for Call-IDs.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~()<>:/?{}\\[\\]-]{1,12}"
}

/// A PASSporT-shaped digest: base64url parts joined by dots.
fn digest() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            "[A-Za-z0-9_-]{4,40}",
            "[A-Za-z0-9_-]{0,40}",
            "[A-Za-z0-9_-]{4,40}"
        )
            .prop_map(|(h, p, s)| format!("{h}.{p}.{s}")),
        "[A-Za-z0-9+/._-]{1,60}",
    ]
}

/// White space around `;` and `=` for one parameter.
fn sep() -> impl Strategy<Value = (String, String)> {
    (lws(), lws())
}

/// Pieces of header text: characters and parameters of these headers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9.]{1,6}",
        2 => select(vec![
            ";", "=", "<", ">", ":", "@", "\"", ",", " ", "\t", "\r\n ", "\r\n", "\\", "?", "%",
            "-", ".", "0", "sip:", "cid:", "<sip:a@b>", "index=", "1.2", "to-tag=", "from-tag=",
            "info=", "cause=", "text=\"x\"", "expires=", "refresher=", "reason=", "cid=\"a@b\"",
            ";early-only", ";rc=1", ";loc-src=x.example",
        ])
        .prop_map(str::to_owned),
        1 => "[^\r\n]{1,3}",
    ]
}

/// Valid values of these headers, one or more per header.
const SEEDS: &[&str] = &[
    "presence.winfo",
    "active;expires=3600;reason=timeout",
    "terminated ; reason = probation ; retry-after = 60",
    "988789",
    "776656 1 INVITE",
    "1800;refresher=uac;x=\"y\"",
    "SIP;cause=200;text=\"Call completed elsewhere\";location=LN",
    "\"Bob\" <sip:bob@example.com;lr>;index=1.1;rc=1",
    "<sip:bob@example.com?Reason=SIP%3Bcause%3D302>;index=1.2.3;mp=1.2",
    "425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only",
    "<sip:referrer@referrer.example>;cid=\"2039.2UWQ@referrer.example\"",
    "sip:alice@atlanta.example.com;method=INVITE",
    "a.b.c;info=<https://x.example/c>;alg=ES256;ppt=\"shaken\"",
    "<cid:target123@atlanta.example.com>;loc-src=x.example;used-for-routing",
    "dsn.flash",
];

/// A valid value with a few random edits: insertions, deletions and
/// replacements of characters by fragments.
fn mutated() -> impl Strategy<Value = String> {
    (
        select(SEEDS),
        vec((any::<proptest::sample::Index>(), 0u8..3, fragment()), 1..4),
    )
        .prop_map(|(seed, edits)| {
            let mut chars: Vec<char> = seed.chars().collect();
            for (at, op, piece) in edits {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => {
                        chars.splice(i..i, piece.chars());
                    }
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => {
                        chars.splice(i..=i, piece.chars());
                    }
                    _ => chars.extend(piece.chars()),
                }
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn event_and_tag_headers(
        (w1, w2) in (lws(), lws()),
        event in vec(token_nodot(), 1..4),
        tag in token(),
    ) {
        let event = event.join(".");
        let text_e1 = format!("{w1}{event}{w2}");
        let e = roundtrip!(AllowEvents<'_>, text_e1);
        let rebuilt: Vec<&str> = std::iter::once(e.package()).chain(e.templates()).collect();
        prop_assert_eq!(rebuilt.join("."), event);
        let text_t2 = format!("{w1}{tag}{w2}");
        let t = roundtrip!(SipETag<'_>, text_t2);
        prop_assert_eq!(t.as_str(), tag.as_str());
        let text_t3 = format!("{w1}{tag}{w2}");
        let t = roundtrip!(SipIfMatch<'_>, text_t3);
        prop_assert_eq!(t.as_str(), tag.as_str());
    }

    #[test]
    fn subscription_state(
        (w1, w2) in (lws(), lws()),
        state in prop_oneof![
            select(vec!["active", "pending", "terminated", "ACTIVE", "Terminated"]).prop_map(str::to_owned),
            token(),
        ],
        reason in of((sep(), prop_oneof![
            select(vec!["deactivated", "probation", "rejected", "timeout", "giveup", "noresource", "invariant", "Timeout"]).prop_map(str::to_owned),
            token(),
        ])),
        expires in of((sep(), any::<u32>(), 0usize..3)),
        retry in of((sep(), any::<u32>(), 0usize..3)),
        params in generic_params(),
        shuffle in any::<bool>(),
    ) {
        let mut parts = Vec::new();
        if let Some((w, r)) = &reason {
            parts.push(param(w, "reason", r));
        }
        if let Some((w, n, z)) = &expires {
            parts.push(param(w, "expires", &padded(*n, *z)));
        }
        if let Some((w, n, z)) = &retry {
            parts.push(param(w, "retry-after", &padded(*n, *z)));
        }
        if shuffle {
            parts.reverse();
        }
        let text = format!("{w1}{state}{}{params}{w2}", parts.concat());
        let s = roundtrip!(SubscriptionState<'_>, text);
        prop_assert_eq!(s.state.clone(), Substate::parse(&state).unwrap());
        prop_assert_eq!(s.state.as_str().eq_ignore_ascii_case(&state), true);
        prop_assert_eq!(s.reason(), reason.as_ref().map(|(_, r)| EventReason::parse(r).unwrap()));
        prop_assert_eq!(s.expires(), expires.map(|(_, n, _)| n));
        prop_assert_eq!(s.retry_after(), retry.map(|(_, n, _)| n));
    }

    #[test]
    fn reliable_provisional(
        (w1, w2) in (lws(), lws()),
        (l1, l2) in (lws1(), lws1()),
        rseq in 1u32..,
        cseq in any::<u32>(),
        zeros in 0usize..3,
        method in prop_oneof![
            select(vec!["INVITE", "UPDATE", "invite"]).prop_map(str::to_owned),
            token(),
        ],
    ) {
        let text_r4 = format!("{w1}{}{w2}", padded(rseq, zeros));
        let r = roundtrip!(RSeq, text_r4);
        prop_assert_eq!(r, RSeq(rseq));
        let text = format!("{w1}{}{l1}{}{l2}{method}{w2}", padded(rseq, zeros), padded(cseq, zeros));
        let a = roundtrip!(RAck<'_>, text);
        prop_assert_eq!((a.rseq, a.cseq, a.method.as_str()), (rseq, cseq, method.as_str()));
    }

    #[test]
    fn session_timer(
        (w1, w2) in (lws(), lws()),
        delta in any::<u32>(),
        zeros in 0usize..3,
        refresher in of((sep(), select(vec!["uac", "uas", "UAC", "Uas"]))),
        params in generic_params(),
        first in any::<bool>(),
    ) {
        let r = refresher.as_ref().map(|(w, v)| param(w, "refresher", v)).unwrap_or_default();
        let tail = if first { format!("{r}{params}") } else { format!("{params}{r}") };
        let text_se5 = format!("{w1}{}{tail}{w2}", padded(delta, zeros));
        let se = roundtrip!(SessionExpires<'_>, text_se5);
        prop_assert_eq!(se.delta_seconds, delta);
        prop_assert_eq!(se.refresher(), refresher.map(|(_, v)| Refresher::parse(v).unwrap()));
        let text_m6 = format!("{w1}{}{params}{w2}", padded(delta, zeros));
        let m = roundtrip!(MinSe<'_>, text_m6);
        prop_assert_eq!(m.delta_seconds, delta);
    }

    #[test]
    fn reason(
        (w1, w2) in (lws(), lws()),
        protocol in prop_oneof![
            select(vec!["SIP", "Q.850", "sip", "q.850", "Preemption", "STIR", "RELEASE_CAUSE"]).prop_map(str::to_owned),
            token(),
        ],
        cause in of((sep(), any::<u32>(), 0usize..3)),
        text in of((sep(), quotable())),
        location in of((sep(), select(vec!["U", "LPN", "LN", "TN", "RLN", "RPN", "INTL", "BI"]))),
        params in generic_params(),
    ) {
        let mut s = format!("{w1}{protocol}");
        if let Some((w, n, z)) = &cause {
            s.push_str(&param(w, "cause", &padded(*n, *z)));
        }
        s.push_str(&params);
        if let Some((w, t)) = &text {
            s.push_str(&param(w, "text", &quote(t)));
        }
        if let Some((w, l)) = &location {
            s.push_str(&param(w, "location", l));
        }
        s.push_str(&w2);
        let r = roundtrip!(Reason<'_>, s);
        prop_assert_eq!(r.protocol.clone(), ReasonProtocol::parse(&protocol).unwrap());
        prop_assert_eq!(r.cause(), cause.map(|(_, n, _)| n));
        prop_assert_eq!(r.text().map(Cow::into_owned), text.map(|(_, t)| t));
        prop_assert_eq!(r.location(), location.map(|(_, l)| l));
    }

    #[test]
    fn refer(
        (w1, w2) in (lws(), lws()),
        target in prop_oneof![name_addr(), addr_spec()],
        params in generic_params(),
        cid in of((sep(), "[a-zA-Z0-9!%*_+'`~-]{1,6}(\\.[a-zA-Z0-9-]{1,6}){0,2}", domain())),
    ) {
        let text_r7 = format!("{w1}{target}{params}{w2}");
        let r = roundtrip!(ReferTo<'_>, text_r7);
        let na = NameAddr::parse(&target).unwrap();
        prop_assert_eq!(r.uri(), &na.uri);
        let mut s = format!("{w1}{target}");
        if let Some((w, local, d)) = &cid {
            s.push_str(&param(w, "cid", &format!("\"{local}@{d}\"")));
        }
        s.push_str(&params);
        s.push_str(&w2);
        let b = roundtrip!(ReferredBy<'_>, s);
        prop_assert_eq!(b.uri(), &na.uri);
        prop_assert_eq!(b.cid().map(str::to_owned), cid.map(|(_, l, d)| format!("{l}@{d}")));
    }

    #[test]
    fn replaces(
        (w1, w2) in (lws(), lws()),
        (id, host) in (word(), of(word())),
        (to_tag, from_tag) in (token(), token()),
        (s1, s2, s3) in (sep(), sep(), sep()),
        early in any::<bool>(),
        params in generic_params(),
        order in 0usize..3,
    ) {
        let call_id = match &host {
            Some(h) => format!("{id}@{h}"),
            None => id.clone(),
        };
        let mut parts = vec![param(&s1, "to-tag", &to_tag), param(&s2, "from-tag", &from_tag)];
        if early {
            parts.push(format!("{};{}early-only", s3.0, s3.1));
        }
        let n = parts.len();
        parts.rotate_left(order % n);
        let text = format!("{w1}{call_id}{}{params}{w2}", parts.concat());
        let r = roundtrip!(Replaces<'_>, text);
        prop_assert_eq!(r.call_id.as_str(), call_id.as_str());
        prop_assert_eq!(r.to_tag(), Some(to_tag.as_str()));
        prop_assert_eq!(r.from_tag(), Some(from_tag.as_str()));
        prop_assert_eq!(r.early_only(), early);
    }

    #[test]
    fn history_info(
        (w1, w2) in (lws(), lws()),
        target in name_addr(),
        index in index_val(),
        (si, st) in (sep(), sep()),
        kind in of(select(vec!["rc", "mp", "np"])),
        params in generic_params(),
        first in any::<bool>(),
    ) {
        let mut s = format!("{w1}{target}");
        let index_text = dotted(&index);
        let idx = param(&si, "index", &index_text);
        let parent = &index[..index.len() - 1];
        let target_param = match kind {
            Some(k) if !parent.is_empty() => param(&st, k, &dotted(parent)),
            _ => String::new(),
        };
        if first {
            s.push_str(&idx);
            s.push_str(&params);
        } else {
            s.push_str(&params);
            s.push_str(&idx);
        }
        s.push_str(&target_param);
        s.push_str(&w2);
        let h = roundtrip!(HistoryInfo<'_>, s);
        let got = h.index().unwrap();
        prop_assert_eq!(got.numbers().collect::<Vec<_>>(), index.clone());
        prop_assert_eq!(got.depth(), index.len());
        let linked = h.rc().or(h.mp()).or(h.np());
        if !target_param.is_empty() {
            prop_assert_eq!(linked, got.parent());
        } else {
            prop_assert_eq!(linked, None);
        }
    }

    #[test]
    fn identity(
        (w1, w2) in (lws(), lws()),
        digest in digest(),
        info in uri(),
        (s0, s1, s2) in (sep(), sep(), sep()),
        alg in of(("ES256|EdDSA|RS256", any::<bool>())),
        ppt in of(("shaken|div|rcd|[a-z]{1,6}", any::<bool>())),
        params in generic_params(),
    ) {
        let q = |v: &str, quoted: bool| if quoted { format!("\"{v}\"") } else { v.to_owned() };
        let mut s = format!("{w1}{digest}{}", param(&s0, "info", &format!("<{info}>")));
        if let Some((a, quoted)) = &alg {
            s.push_str(&param(&s1, "alg", &q(a, *quoted)));
        }
        s.push_str(&params);
        if let Some((p, quoted)) = &ppt {
            s.push_str(&param(&s2, "ppt", &q(p, *quoted)));
        }
        s.push_str(&w2);
        let id = roundtrip!(Identity<'_>, s);
        prop_assert_eq!(id.digest.as_ref(), digest.as_str());
        prop_assert_eq!(&id.info, &Uri::parse(&info).unwrap());
        prop_assert_eq!(id.alg(), alg.as_ref().map(|(a, _)| a.as_str()));
        prop_assert_eq!(id.ppt(), ppt.as_ref().map(|(p, _)| p.as_str()));
    }

    #[test]
    fn geolocation(
        (w1, w2) in (lws(), lws()),
        location in prop_oneof![
            uri(),
            ("[a-z0-9]{1,10}", domain()).prop_map(|(l, d)| format!("cid:{l}@{d}")),
        ],
        loc_src in of((sep(), domain())),
        routing in of(lws()),
        params in generic_params(),
    ) {
        let mut s = format!("{w1}<{location}>{params}");
        if let Some((w, d)) = &loc_src {
            s.push_str(&param(w, "loc-src", d));
        }
        if let Some(w) = &routing {
            s.push_str(&format!("{w};used-for-routing"));
        }
        s.push_str(&w2);
        let g = roundtrip!(Geolocation<'_>, s);
        prop_assert_eq!(&g.uri, &Uri::parse(&location).unwrap());
        prop_assert_eq!(g.loc_src(), loc_src.as_ref().map(|(_, d)| d.as_str()));
        prop_assert_eq!(g.used_for_routing(), routing.is_some());
        if location.starts_with("cid:") {
            prop_assert_eq!(g.content_id(), location.strip_prefix("cid:"));
        }
    }

    #[test]
    fn resource_priority(
        (w1, w2) in (lws(), lws()),
        (ns, prio) in (token_nodot(), token_nodot()),
    ) {
        let text = format!("{w1}{ns}.{prio}{w2}");
        let r = roundtrip!(ResourcePriority<'_>, text);
        prop_assert_eq!((r.namespace.as_ref(), r.priority.as_ref()), (ns.as_str(), prio.as_str()));
        prop_assert_eq!(Some(r.clone()), ResourcePriority::new(ns.clone(), prio.clone()));
        let a = roundtrip!(AcceptResourcePriority<'_>, text);
        prop_assert_eq!((a.namespace.as_ref(), a.priority.as_ref()), (ns.as_str(), prio.as_str()));
    }

    #[test]
    fn built_values_roundtrip(
        delta in any::<u32>(),
        refresher in of(select(vec![Refresher::Uac, Refresher::Uas])),
        (id, to_tag, from_tag) in (word(), token(), token()),
        index in index_val(),
        cause in any::<u32>(),
        text in quotable(),
        digest in "[A-Za-z0-9_-]{1,20}\\.[A-Za-z0-9_-]{0,20}\\.[A-Za-z0-9_-]{1,20}",
    ) {
        let se = SessionExpires::new(delta, refresher);
        prop_assert_eq!(se.refresher(), refresher);
        rebuilt!(SessionExpires<'_>, se);

        let r = Replaces::new(CallId::new(id.as_str()).unwrap(), &to_tag, &from_tag).unwrap();
        prop_assert_eq!(r.to_tag(), Some(to_tag.as_str()));
        rebuilt!(Replaces<'_>, r);

        let index_text = dotted(&index);
        let uri = Uri::parse("sip:bob@example.com").unwrap();
        let h = HistoryInfo::new(NameAddr::new(uri.clone()), HiIndex::parse(&index_text).unwrap());
        prop_assert_eq!(h.index().unwrap().numbers().collect::<Vec<_>>(), index);
        rebuilt!(HistoryInfo<'_>, h);

        let mut reason = Reason::new(ReasonProtocol::Q850);
        reason.params.push("cause", Some(&cause.to_string())).unwrap();
        reason.params.push_quoted("text", &text).unwrap();
        prop_assert_eq!(reason.cause(), Some(cause));
        prop_assert_eq!(reason.text().map(Cow::into_owned), Some(text));
        rebuilt!(Reason<'_>, reason);

        rebuilt!(Identity<'_>, Identity::new(digest.as_str(), uri.clone()).unwrap());
        rebuilt!(SubscriptionState<'_>, SubscriptionState::new(Substate::Active));
        rebuilt!(MinSe<'_>, MinSe::new(delta));
        rebuilt!(Geolocation<'_>, Geolocation::new(uri));
        rebuilt!(ResourcePriority<'_>, ResourcePriority::new("ets", delta.to_string()).unwrap());
    }

    #[test]
    fn arbitrary_text(
        text in prop_oneof![
            1 => vec(fragment(), 0..16).prop_map(|v| v.concat()),
            3 => mutated(),
        ],
    ) {
        roundtrip_if_ok!(AllowEvents<'_>, text);
        roundtrip_if_ok!(SubscriptionState<'_>, text);
        roundtrip_if_ok!(RSeq, text);
        roundtrip_if_ok!(RAck<'_>, text);
        roundtrip_if_ok!(SessionExpires<'_>, text);
        roundtrip_if_ok!(MinSe<'_>, text);
        roundtrip_if_ok!(Reason<'_>, text);
        roundtrip_if_ok!(ReferTo<'_>, text);
        roundtrip_if_ok!(ReferredBy<'_>, text);
        roundtrip_if_ok!(Replaces<'_>, text);
        roundtrip_if_ok!(HistoryInfo<'_>, text);
        roundtrip_if_ok!(SipETag<'_>, text);
        roundtrip_if_ok!(SipIfMatch<'_>, text);
        roundtrip_if_ok!(Identity<'_>, text);
        roundtrip_if_ok!(Geolocation<'_>, text);
        roundtrip_if_ok!(ResourcePriority<'_>, text);
        roundtrip_if_ok!(AcceptResourcePriority<'_>, text);
        let _ = HiIndex::parse(&text);
    }
}
