//! Property tests of typed headers: every typed header's canonical encoding
//! parses back to the same value, whether the value was parsed from untidy
//! text or built in code.

#[macro_use]
mod common;

use std::borrow::Cow;

use common::strategies::{
    contact, credentials, domain, from_to, header_params, lws, name_addr, quotable, token, uri, via,
};
use imsip::header::{
    self, AlertInfo, Allow, AuthenticationInfo, Authorization, CSeq, CallId, Contact,
    ContentLength, ContentType, Event, Expires, MaxForwards, NameAddr, PChargingVector,
    ProxyAuthenticate, ProxyAuthorization, ProxyRequire, RecordRoute, Require, Route, Supported,
    To, TypedHeader, Unsupported, Via, WwwAuthenticate,
};
use imsip::uri::{Host, HostPort, SipUri, Uri};
use imsip::{Method, Transport};
use proptest::prelude::*;

fn challenge() -> impl Strategy<Value = String> {
    (domain(), "[a-zA-Z0-9+/]{8,24}", any::<bool>(), proptest::option::of("[0-9a-f]{32}"))
        .prop_map(|(realm, nonce, stale, ck)| {
            let mut s = format!("Digest realm=\"{realm}\", nonce=\"{nonce}\", qop=\"auth,auth-int\", algorithm=AKAv1-MD5");
            if stale {
                s.push_str(", stale=true");
            }
            if let Some(ck) = ck {
                s.push_str(&format!(", ck=\"{ck}\", ik=\"{ck}\""));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsed_values_roundtrip(
        via in via(),
        from in from_to(),
        contact in contact(),
        route in name_addr(),
        creds in credentials(),
        chal in challenge(),
        (n, m) in (any::<u32>(), token()),
        (w1, w2) in (lws(), lws()),
        sub in "[a-z]{1,8}",
        tags in proptest::collection::vec(token(), 1..4),
    ) {
        roundtrip!(Via<'_>, via);
        roundtrip!(header::From<'_>, from);
        roundtrip!(To<'_>, from);
        roundtrip!(Contact<'_>, contact);
        roundtrip!(Route<'_>, route);
        roundtrip!(RecordRoute<'_>, format!("{route};ftag=x"));
        roundtrip!(Authorization<'_>, creds);
        roundtrip!(ProxyAuthorization<'_>, creds);
        roundtrip!(WwwAuthenticate<'_>, chal);
        roundtrip!(ProxyAuthenticate<'_>, chal);
        roundtrip!(AuthenticationInfo<'_>, format!("nextnonce=\"{sub}\",{w1}qop=auth,{w2}nc=00000001"));
        roundtrip!(CSeq<'_>, format!("{n}{w1} {m}"));
        roundtrip!(MaxForwards, format!("{w1}{}{w2}", n % 256));
        roundtrip!(Expires, n.to_string());
        roundtrip!(ContentLength, n.to_string());
        roundtrip!(ContentType<'_>, format!("application{w1}/{w2}{sub};charset=\"utf-8\""));
        roundtrip!(Allow<'_>, m);
        for t in &tags {
            roundtrip!(Supported<'_>, t);
            roundtrip!(Require<'_>, t);
            roundtrip!(ProxyRequire<'_>, t);
            roundtrip!(Unsupported<'_>, t);
        }
        roundtrip!(CallId<'_>, format!("{}@{sub}", tags[0]));
    }

    #[test]
    fn built_values_roundtrip(
        host in domain(),
        port in proptest::option::of(any::<u16>()),
        branch in token(),
        display in proptest::option::of(quotable()),
        user in "[a-zA-Z0-9 @:;?&=+$,/]{1,12}",
        tag in token(),
        seq in any::<u32>(),
    ) {
        let mut v = Via::new(Transport::Tcp, HostPort { host: Host::Domain(Cow::Borrowed(&host)), port });
        v.params.push("branch", Some(&format!("z9hG4bK{branch}"))).unwrap();
        v.params.push("rport", None).unwrap();
        let mut out = Vec::new();
        v.encode(&mut out);
        let text = String::from_utf8(out).unwrap();
        prop_assert_eq!(Via::parse(&text).unwrap(), v.clone());
        prop_assert!(Via::parse(&text).unwrap().has_magic_cookie());

        let mut uri = SipUri::new(Host::Domain(Cow::Borrowed(&host)));
        uri.set_user(Some(&user));
        let mut from = header::From::new(NameAddr { display_name: display.clone().map(Cow::Owned), uri: Uri::Sip(uri) });
        from.params.push("tag", Some(&tag)).unwrap();
        let mut out = Vec::new();
        from.encode(&mut out);
        let text = String::from_utf8(out).unwrap();
        let back = header::From::parse(&text).unwrap();
        prop_assert_eq!(&back, &from);
        prop_assert_eq!(back.tag(), Some(tag.as_str()));
        let Uri::Sip(u) = &back.name_addr.uri else { panic!() };
        let unescaped = u.user_unescaped().unwrap();
        prop_assert_eq!(unescaped.as_ref(), user.as_bytes());

        let cseq = CSeq { seq, method: Method::Register };
        let mut out = Vec::new();
        cseq.encode(&mut out);
        prop_assert_eq!(CSeq::parse(std::str::from_utf8(&out).unwrap()).unwrap(), cseq);

        let mut creds = imsip::header::Credentials::new("Digest");
        creds.params.push_quoted("username", display.as_deref().unwrap_or("u")).unwrap();
        creds.params.push_token("nc", &format!("{seq:08x}")).unwrap();
        let text = creds.to_string();
        let back = imsip::header::Credentials::parse(&text).unwrap();
        prop_assert_eq!(back.nc(), Some(seq));
        let username = back.username();
        prop_assert_eq!(username.as_deref(), Some(display.as_deref().unwrap_or("u")));
    }

    #[test]
    fn shaped_headers_roundtrip(
        package in token(),
        templates in proptest::collection::vec("[a-z]{1,6}", 0..3),
        params in header_params(),
        target in uri(),
        (w1, w2) in (lws(), lws()),
        icid in "[0-9a-fA-F]{4,24}",
        ioi in proptest::option::of(domain()),
        gen_at in proptest::option::of("[0-9]{1,3}(\\.[0-9]{1,3}){3}"),
    ) {
        let mut event = package.clone();
        for t in &templates {
            event.push('.');
            event.push_str(t);
        }
        roundtrip!(Event<'_>, format!("{event}{w1}{params}"));
        let text = format!("{event}{params}");
        let parsed = Event::parse(&text).unwrap();
        prop_assert_eq!(parsed.package(), package.split('.').next().unwrap());

        roundtrip!(AlertInfo<'_>, format!("{w1}<{target}>{w2}{params}"));

        let mut pcv = format!("icid-value={icid}");
        if let Some(g) = &gen_at {
            pcv.push_str(&format!("{w1};{w2}icid-generated-at={g}"));
        }
        if let Some(o) = &ioi {
            pcv.push_str(&format!(";orig-ioi={o};term-ioi=\"{o}\""));
        }
        roundtrip!(PChargingVector<'_>, pcv);
        let parsed = PChargingVector::parse(&pcv).unwrap();
        prop_assert_eq!(parsed.icid_value(), Some(Cow::Borrowed(icid.as_str())));
        prop_assert_eq!(parsed.icid_generated_at(), gen_at.as_deref().map(Cow::Borrowed));
        prop_assert_eq!(parsed.orig_ioi(), ioi.as_deref().map(Cow::Borrowed));
        prop_assert_eq!(parsed.term_ioi(), ioi.as_deref().map(Cow::Borrowed));
    }
}
