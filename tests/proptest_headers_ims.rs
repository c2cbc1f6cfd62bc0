//! Property tests of the IMS and 3GPP typed headers: generated valid text
//! (with optional white space and folds where the grammar allows them)
//! parses, and its canonical encoding parses back to the same value and is
//! stable.

#[macro_use]
mod common;

use common::strategies::{domain, host, lws, name_addr, quotable, quote, token, uri};
use imsip::MessageRef;
use imsip::header::{
    AcceptContact, AccessType, FeatureCaps, IntegrityAlg, IpsecMode, MechanismName,
    PAccessNetworkInfo, PAssertedIdentity, PAssociatedUri, PCalledPartyId,
    PChargingFunctionAddresses, PEarlyMedia, PPreferredIdentity, PServedUser, PVisitedNetworkId,
    Path, PrivValue, Privacy, RejectContact, RequestDisposition, SecMechanism, SecurityClient,
    SecurityServer, SecurityVerify, ServiceRoute, TypedHeader,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// A keyword in a random ASCII case.
fn any_case(word: &'static str) -> impl Strategy<Value = String> {
    vec(any::<bool>(), word.len()).prop_map(move |upper| {
        word.chars()
            .zip(upper)
            .map(|(c, u)| {
                if u {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

/// One of `words` in a random case, or an extension token.
fn keyword(words: &[&'static str]) -> impl Strategy<Value = String> + use<> {
    prop_oneof![
        3 => select(words.to_vec()).prop_flat_map(any_case),
        1 => token(),
    ]
}

/// A `gen-value`: token, host or quoted string.
fn gen_value() -> impl Strategy<Value = String> {
    prop_oneof![token(), host(), quotable().prop_map(|t| quote(&t)),]
}

/// `;name=value` generic parameters with names that no header here defines
/// (`x-...`), and optional white space and folds.
fn ext_params() -> impl Strategy<Value = String> {
    vec(
        (
            lws(),
            "x-[a-z0-9-]{0,8}",
            proptest::option::of(gen_value()),
            lws(),
        ),
        0..3,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .map(|(a, n, v, b)| match v {
                Some(v) => format!("{a};{b}{n}{a}={b}{v}"),
                None => format!("{a};{b}{n}"),
            })
            .collect()
    })
}

/// `;name=value` (or `;name` for `None`) with optional white space.
fn param(w: (String, String), name: &str, value: Option<String>) -> String {
    let (a, b) = w;
    match value {
        Some(v) => format!("{a};{b}{name}{a}={b}{v}"),
        None => format!("{a};{b}{name}"),
    }
}

/// White space before and after a separator.
fn ws2() -> impl Strategy<Value = (String, String)> {
    (lws(), lws())
}

/// Surrounding white space (spaces only: a value never starts with a fold).
fn pad() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), " {1,2}"]
}

/// A P-Asserted-Identity / P-Preferred-Identity value: a name-addr with
/// parameters, or an addr-spec (whose parameters stay in the URI).
fn identity() -> impl Strategy<Value = String> {
    prop_oneof![
        (name_addr(), ext_params()).prop_map(|(na, p)| format!("{na}{p}")),
        uri(),
        // White space ends an addr-spec: what follows is header parameters.
        (uri(), " {1,2}", ext_params()).prop_map(|(u, w, p)| format!("{u}{w}{p}")),
    ]
}

/// A name-addr (always in `<>`) with parameters, for Path and the like.
fn route_like() -> impl Strategy<Value = String> {
    (name_addr(), ext_params()).prop_map(|(na, p)| format!("{na}{p}"))
}

fn privacy() -> impl Strategy<Value = String> {
    (
        vec(
            (
                keyword(&[
                    "header", "session", "user", "none", "critical", "id", "history",
                ]),
                prop_oneof![Just(String::new()), " ", " \r\n "],
            ),
            1..5,
        ),
        pad(),
    )
        .prop_map(|(vs, p)| {
            let mut s = p.clone();
            for (i, (v, w)) in vs.iter().enumerate() {
                if i > 0 {
                    s.push_str(&format!("{w};{w}"));
                }
                s.push_str(v);
            }
            s.push_str(&p);
            s
        })
}

fn visited_network() -> impl Strategy<Value = String> {
    (
        prop_oneof![token(), quotable().prop_map(|t| quote(&t))],
        ext_params(),
    )
        .prop_map(|(n, p)| format!("{n}{p}"))
}

fn access_network_info() -> impl Strategy<Value = String> {
    let access = keyword(&[
        "3GPP-GERAN",
        "3GPP-UTRAN-FDD",
        "3GPP-UTRAN-TDD",
        "3GPP-E-UTRAN-FDD",
        "3GPP-E-UTRAN-TDD",
        "3GPP-NR-FDD",
        "3GPP-NR-TDD",
        "3GPP-WLAN",
        "3GPP-E-UTRAN",
        "IEEE-802.11",
        "IEEE-802.11n",
        "ADSL2+",
        "G.SHDSL",
        "DOCSIS",
        "3GPP2-1X-HRPD",
    ]);
    let location = prop_oneof![
        "[0-9A-F]{7,18}",
        token(),
        quotable().prop_map(|t| quote(&t)),
    ];
    let info = prop_oneof![
        (
            select(vec![
                "cgi-3gpp",
                "utran-cell-id-3gpp",
                "utran-sai-3gpp",
                "i-wlan-node-id",
                "dsl-location",
                "eth-location",
                "fiber-location",
                "ci-3gpp2",
                "ci-3gpp2-femto",
                "gstn-location",
                "operator-specific-GI",
            ]),
            location,
            ws2()
        )
            .prop_map(|(n, v, w)| param(w, n, Some(v))),
        (
            select(vec![
                "local-time-zone",
                "daylight-saving-time",
                "dvb-rcs2-node-id"
            ]),
            quotable(),
            ws2()
        )
            .prop_map(|(n, v, w)| param(w, n, Some(quote(&v)))),
        ws2().prop_map(|w| param(w, "network-provided", None)),
    ];
    (access, vec(info, 0..4), ext_params())
        .prop_map(|(a, infos, p)| format!("{a}{}{p}", infos.concat()))
}

fn charging_function_addresses() -> impl Strategy<Value = String> {
    (
        vec(
            (select(vec!["ccf", "ecf", "CCF"]), gen_value(), ws2()),
            1..5,
        ),
        ext_params(),
    )
        .prop_map(|(addrs, p)| {
            let mut s = String::new();
            for (i, (n, v, (a, b))) in addrs.into_iter().enumerate() {
                if i > 0 {
                    s.push_str(&format!("{a};{b}"));
                }
                s.push_str(&format!("{n}{a}={b}{v}"));
            }
            s.push_str(&p);
            s
        })
}

fn served_user() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            name_addr(),
            ("[a-z0-9]{1,8}", domain()).prop_map(|(u, d)| format!("sip:{u}@{d}")),
        ],
        proptest::option::of((keyword(&["orig", "term"]), ws2())),
        proptest::option::of((keyword(&["unreg", "reg"]), ws2())),
        proptest::option::of(ws2()),
        ext_params(),
    )
        .prop_map(|(na, sescase, regstate, cdiv, p)| {
            let mut s = na;
            if let Some((v, w)) = sescase {
                s.push_str(&param(w, "sescase", Some(v)));
            }
            if let Some((v, w)) = regstate {
                s.push_str(&param(w, "regstate", Some(v)));
            }
            if let Some(w) = cdiv {
                s.push_str(&param(w, "orig-cdiv", None));
            }
            s.push_str(&p);
            s
        })
}

fn qvalue() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_owned()),
        Just("1.000".to_owned()),
        "0(\\.[0-9]{0,3})?",
    ]
}

fn sec_mechanism() -> impl Strategy<Value = String> {
    let mech = keyword(&["digest", "tls", "ipsec-ike", "ipsec-man", "ipsec-3gpp"]);
    let mech_param = prop_oneof![
        qvalue().prop_map(|v| ("q", Some(v))),
        token().prop_map(|v| ("d-alg", Some(v))),
        token().prop_map(|v| ("d-qop", Some(v))),
        "[0-9a-f]{32}".prop_map(|v| ("d-ver", Some(format!("\"{v}\"")))),
        keyword(&["hmac-md5-96", "hmac-sha-1-96", "aes-gmac", "null"])
            .prop_map(|v| ("alg", Some(v))),
        keyword(&["des-ede3-cbc", "aes-cbc", "aes-gcm", "null"]).prop_map(|v| ("ealg", Some(v))),
        keyword(&["ah", "esp"]).prop_map(|v| ("prot", Some(v))),
        keyword(&["trans", "tun", "UDP-enc-tun"]).prop_map(|v| ("mod", Some(v))),
        any::<u32>().prop_map(|v| ("spi-c", Some(v.to_string()))),
        any::<u32>().prop_map(|v| ("spi-s", Some(format!("{v:010}")))),
        any::<u16>().prop_map(|v| ("port-c", Some(v.to_string()))),
        any::<u16>().prop_map(|v| ("port-s", Some(v.to_string()))),
    ];
    (mech, vec((mech_param, ws2()), 0..8), ext_params()).prop_map(|(m, ps, p)| {
        let mut s = m;
        for ((n, v), w) in ps {
            s.push_str(&param(w, n, v));
        }
        s.push_str(&p);
        s
    })
}

/// `"+" ftag-name`.
fn other_tag() -> impl Strategy<Value = String> {
    "\\+[a-zA-Z][a-zA-Z0-9!'.%-]{0,12}"
}

/// A feature parameter value: none, or a quoted tag-value-list or string.
fn feature_value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        vec("!?[a-zA-Z0-9.-]{1,8}", 1..4).prop_map(|vs| Some(format!("\"{}\"", vs.join(",")))),
        quotable().prop_map(|t| Some(quote(&format!("<{}>", t.replace(['<', '>'], ""))))),
    ]
}

fn feature_caps() -> impl Strategy<Value = String> {
    (pad(), vec((other_tag(), feature_value(), ws2()), 0..4)).prop_map(|(p, fs)| {
        let mut s = format!("{p}*");
        for (n, v, w) in fs {
            s.push_str(&param(w, &n, v));
        }
        s
    })
}

fn caller_prefs(with_flags: bool) -> impl Strategy<Value = String> {
    let tag = prop_oneof![
        other_tag(),
        select(vec![
            "audio", "video", "methods", "isfocus", "Actor", "automata"
        ])
        .prop_map(str::to_owned),
    ];
    let flag = if with_flags {
        select(vec!["require", "explicit"]).boxed()
    } else {
        Just("x-flag").boxed()
    };
    (
        vec((tag, feature_value(), ws2()), 0..4),
        proptest::option::of((flag, ws2())),
        ext_params(),
    )
        .prop_map(|(fs, flag, p)| {
            let mut s = "*".to_owned();
            for (n, v, w) in fs {
                s.push_str(&param(w, &n, v));
            }
            if let Some((f, w)) = flag {
                s.push_str(&param(w, f, None));
            }
            s.push_str(&p);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn identities_roundtrip(id in identity(), (p1, p2) in (pad(), pad())) {
        roundtrip!(PAssertedIdentity<'_>, format!("{p1}{id}{p2}"));
        roundtrip!(PPreferredIdentity<'_>, id);
    }

    #[test]
    fn name_addr_headers_roundtrip(value in route_like()) {
        roundtrip!(PAssociatedUri<'_>, value);
        roundtrip!(PCalledPartyId<'_>, value);
        roundtrip!(Path<'_>, value);
        roundtrip!(ServiceRoute<'_>, value);
    }

    #[test]
    fn privacy_roundtrips(value in privacy()) {
        roundtrip!(Privacy<'_>, value);
        let p = Privacy::parse(&value).unwrap();
        let values: Vec<PrivValue<'_>> = p.values().collect();
        prop_assert!(!values.is_empty());
        prop_assert_eq!(Privacy::from_values(values.iter().cloned()).unwrap(), p.clone());
        for v in &values {
            prop_assert!(p.contains(v));
        }
    }

    #[test]
    fn p_headers_roundtrip(
        vn in visited_network(),
        pani in access_network_info(),
        pcfa in charging_function_addresses(),
        psu in served_user(),
        em in keyword(&["sendrecv", "sendonly", "recvonly", "inactive", "gated", "supported"]),
        (p1, p2) in (pad(), pad()),
    ) {
        roundtrip!(PVisitedNetworkId<'_>, vn);
        roundtrip!(PAccessNetworkInfo<'_>, format!("{p1}{pani}{p2}"));
        roundtrip!(PChargingFunctionAddresses<'_>, format!("{p1}{pcfa}{p2}"));
        roundtrip!(PServedUser<'_>, psu);
        roundtrip!(PEarlyMedia<'_>, format!("{p1}{em}{p2}"));
        let e = PEarlyMedia::parse(&em).unwrap();
        prop_assert!(e.as_str().eq_ignore_ascii_case(&em));
    }

    #[test]
    fn security_roundtrips(m in sec_mechanism()) {
        roundtrip!(SecurityClient<'_>, m);
        roundtrip!(SecurityServer<'_>, m);
        roundtrip!(SecurityVerify<'_>, m);
        // The typed accessors agree with what was written.
        let s = SecurityClient::parse(&m).unwrap();
        if let Some(v) = s.params.value("spi-s") {
            prop_assert_eq!(s.spi_s(), Some(v.parse::<u32>().unwrap()));
        }
        if let Some(v) = s.params.value("port-c") {
            prop_assert_eq!(s.port_c(), Some(v.parse::<u16>().unwrap()));
        }
        if s.params.contains("q") {
            prop_assert!(s.q().is_some());
        }
        if s.params.contains("alg") {
            prop_assert!(s.alg().is_some());
        }
    }

    #[test]
    fn caller_prefs_roundtrip(
        fc in feature_caps(),
        ac in caller_prefs(true),
        rc in caller_prefs(false),
        rd in keyword(&[
            "proxy", "redirect", "cancel", "no-cancel", "fork", "no-fork", "recurse",
            "no-recurse", "parallel", "sequential", "queue", "no-queue",
        ]),
    ) {
        roundtrip!(FeatureCaps<'_>, fc);
        roundtrip!(AcceptContact<'_>, ac);
        roundtrip!(RejectContact<'_>, rc);
        roundtrip!(RequestDisposition<'_>, rd);
    }

    /// Several values in one header field split where they should: commas
    /// inside quoted feature values and `<>` stay inside their element.
    #[test]
    fn lists_split_in_messages(
        acs in vec(caller_prefs(true), 1..4),
        ids in vec(route_like(), 1..4),
        (w1, w2) in ws2(),
    ) {
        let sep = format!("{w1},{w2}");
        let msg = format!(
            "INVITE sip:bob@example.com SIP/2.0\r\nAccept-Contact: {}\r\nP-Asserted-Identity: {}\r\nContent-Length: 0\r\n\r\n",
            acs.join(&sep),
            ids.join(&sep),
        );
        let msg = MessageRef::parse(msg.as_bytes()).unwrap();
        let got: Vec<_> = msg.header_all::<AcceptContact<'_>>().map(Result::unwrap).collect();
        let want: Vec<_> = acs.iter().map(|a| AcceptContact::parse(a).unwrap()).collect();
        prop_assert_eq!(got, want);
        let got: Vec<_> = msg.header_all::<PAssertedIdentity<'_>>().map(Result::unwrap).collect();
        let want: Vec<_> = ids.iter().map(|a| PAssertedIdentity::parse(a).unwrap()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn built_security_roundtrips(
        spi_c in any::<u32>(),
        spi_s in any::<u32>(),
        port_c in any::<u16>(),
        port_s in any::<u16>(),
    ) {
        let mut m = SecMechanism::new(MechanismName::Ipsec3gpp);
        m.params.push("alg", Some("hmac-sha-1-96")).unwrap();
        m.params.push("spi-c", Some(&spi_c.to_string())).unwrap();
        m.params.push("spi-s", Some(&spi_s.to_string())).unwrap();
        m.params.push("port-c", Some(&port_c.to_string())).unwrap();
        m.params.push("port-s", Some(&port_s.to_string())).unwrap();
        let text = SecurityVerify::from(m.clone()).to_string();
        let back = SecurityVerify::parse(&text).unwrap();
        prop_assert_eq!(&back.0, &m);
        prop_assert_eq!(back.alg(), Some(IntegrityAlg::HmacSha1));
        prop_assert_eq!((back.spi_c(), back.spi_s()), (Some(spi_c), Some(spi_s)));
        prop_assert_eq!((back.port_c(), back.port_s()), (Some(port_c), Some(port_s)));
    }
}

/// Parses `text` as every header here; none may panic.
fn parse_all(text: &str) {
    let _ = PAssertedIdentity::parse(text);
    let _ = PPreferredIdentity::parse(text);
    let _ = Privacy::parse(text).map(|p| p.values().count());
    let _ = PAssociatedUri::parse(text);
    let _ = PCalledPartyId::parse(text);
    let _ = PVisitedNetworkId::parse(text);
    let _ = PAccessNetworkInfo::parse(text).map(|p| p.local_time_zone().map(|v| v.len()));
    let _ = PChargingFunctionAddresses::parse(text).map(|p| p.ccf().count());
    let _ = PServedUser::parse(text).map(|p| p.sescase().is_some());
    let _ = PEarlyMedia::parse(text);
    let _ = Path::parse(text);
    let _ = ServiceRoute::parse(text);
    let _ = SecurityClient::parse(text).map(|s| (s.spi_c(), s.port_s(), s.d_ver().is_some()));
    let _ = SecurityServer::parse(text);
    let _ = SecurityVerify::parse(text);
    let _ = FeatureCaps::parse(text).map(|f| f.iter().count());
    let _ = AcceptContact::parse(text).map(|a| a.features().count());
    let _ = RejectContact::parse(text);
    let _ = RequestDisposition::parse(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Arbitrary text, and text made of the grammar's special characters,
    /// is refused or accepted without panicking.
    #[test]
    fn arbitrary_text_never_panics(
        any_text in "\\PC{0,40}",
        sip_text in "[a-z0-9 \t\r\n;,=\"<>:@*+.\\\\%\\[\\]-]{0,40}",
        valid in prop_oneof![sec_mechanism(), access_network_info(), caller_prefs(true), served_user()],
        cut in any::<usize>(),
    ) {
        parse_all(&any_text);
        parse_all(&sip_text);
        // Valid text cut anywhere (on a character boundary).
        let mut at = cut % (valid.len() + 1);
        while !valid.is_char_boundary(at) {
            at -= 1;
        }
        parse_all(&valid[..at]);
    }
}

/// The sec-agree and access network headers of a real IMS REGISTER.
#[test]
fn ims_register() {
    let msg = MessageRef::parse(common::IMS_REGISTER).unwrap();

    let pani: Vec<_> = msg
        .header_all::<PAccessNetworkInfo<'_>>()
        .map(Result::unwrap)
        .collect();
    assert_eq!(pani.len(), 1);
    assert_eq!(pani[0].access_type, AccessType::EUtranFdd);
    assert_eq!(
        pani[0].utran_cell_id_3gpp().as_deref(),
        Some("0010100010019B01")
    );
    assert!(!pani[0].is_network_provided());

    let client = msg.header::<SecurityClient<'_>>().unwrap().unwrap();
    assert_eq!(client.mechanism, MechanismName::Ipsec3gpp);
    assert_eq!(client.alg(), Some(IntegrityAlg::HmacSha1));
    assert_eq!(client.spi_c(), Some(23456789));
    assert_eq!(client.spi_s(), Some(12345678));
    assert_eq!(client.port_c(), Some(2468));
    assert_eq!(client.port_s(), Some(1357));
    assert_eq!(client.q(), None);
    assert_eq!(client.mode(), None);
    assert_eq!(
        client.to_string(),
        "ipsec-3gpp;alg=hmac-sha-1-96;spi-c=23456789;spi-s=12345678;port-c=2468;port-s=1357"
    );

    let verify: Vec<_> = msg
        .header_all::<SecurityVerify<'_>>()
        .map(Result::unwrap)
        .collect();
    assert_eq!(verify.len(), 1);
    let v = &verify[0];
    assert_eq!(v.q().map(|q| q.thousandths()), Some(100));
    assert_eq!(v.spi_c(), Some(98765432));
    assert_eq!(v.spi_s(), Some(87654321));
    assert_eq!(v.port_c(), Some(8642));
    assert_eq!(v.port_s(), Some(7531));
    assert_eq!(v.mode().unwrap_or(IpsecMode::Trans), IpsecMode::Trans);
    assert!(msg.header::<SecurityServer<'_>>().is_none());
}
