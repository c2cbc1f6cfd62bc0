//! Property tests of URIs: generated URIs parse into their parts and encode
//! back to the same text; comparison rules hold under escaping and case
//! changes; arbitrary text never panics.

mod common;

use common::strategies::{sip_uri, tel_uri, uri};
use imsip::uri::{SipUri, TelUri, Uri};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn generated_uris_roundtrip(text in uri()) {
        let u = Uri::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        prop_assert_eq!(u.to_string(), text.clone());
        let again = Uri::parse(&text).unwrap();
        prop_assert_eq!(&again, &u);
        prop_assert!(u.equivalent(&again));
    }

    #[test]
    fn sip_uri_parts(text in sip_uri()) {
        let u = SipUri::parse(&text).unwrap();
        prop_assert_eq!(u.is_secure(), text.starts_with("sips:"));
        prop_assert_eq!(u.user().is_some(), text.contains('@'));
        let host = u.host().to_string();
        prop_assert!(text.contains(&host));
    }

    #[test]
    fn escaping_unreserved_characters_keeps_equivalence(text in sip_uri(), seed in any::<prop::sample::Index>()) {
        let u = SipUri::parse(&text).unwrap();
        let Some(user) = u.user() else { return Ok(()) };
        // Escape one unreserved character of the user part.
        let b = user.as_bytes();
        let in_escape = |i: usize| (i >= 1 && b[i - 1] == b'%') || (i >= 2 && b[i - 2] == b'%');
        let positions: Vec<usize> = (0..b.len())
            .filter(|&i| b[i].is_ascii_alphanumeric() && !in_escape(i))
            .collect();
        if positions.is_empty() {
            return Ok(());
        }
        let i = positions[seed.index(positions.len())];
        let escaped_user = format!("{}%{:02x}{}", &user[..i], user.as_bytes()[i], &user[i + 1..]);
        let at = text.find(':').unwrap() + 1;
        let escaped = format!("{}{}{}", &text[..at], escaped_user, &text[at + user.len()..]);
        let e = SipUri::parse(&escaped).unwrap();
        prop_assert!(u.equivalent(&e), "{} vs {}", text, escaped);
        prop_assert_eq!(u.user_unescaped(), e.user_unescaped());
    }

    #[test]
    fn host_case_does_not_matter_but_port_does(text in sip_uri()) {
        let u = SipUri::parse(&text).unwrap();
        let host = u.host().to_string();
        let at = text.rfind(&host).unwrap();
        let upper = format!("{}{}{}", &text[..at], host.to_ascii_uppercase(), &text[at + host.len()..]);
        let v = SipUri::parse(&upper).unwrap();
        prop_assert!(u.equivalent(&v));
        let mut w = u.clone();
        w.set_port(Some(u.port().map_or(5060, |p| p.wrapping_add(1))));
        prop_assert!(!u.equivalent(&w));
    }

    #[test]
    fn tel_uris_roundtrip(text in tel_uri()) {
        let t = TelUri::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        prop_assert_eq!(t.to_string(), text.clone());
        prop_assert!(t.equivalent(&t));
        let (number, params) = text.split_once(';').unwrap_or((&text, ""));
        let no_separators = if params.is_empty() {
            number.replace('-', "")
        } else {
            format!("{};{params}", number.replace('-', ""))
        };
        prop_assert!(t.equivalent(&TelUri::parse(&no_separators).unwrap()));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,64}") {
        if let Ok(u) = Uri::parse(&text) {
            let again = u.to_string();
            let reparsed = Uri::parse(&again).unwrap_or_else(|e| panic!("{text:?} -> {again:?}: {e}"));
            prop_assert!(reparsed.equivalent(&u) || matches!(u, Uri::Other(_)));
        }
    }

    #[test]
    fn sip_like_text_never_panics(text in "(sips?|tel):[\\[\\]a-z0-9@:;=?&%.+#*-]{0,40}") {
        if let Ok(u) = Uri::parse(&text) {
            let again = u.to_string();
            prop_assert!(Uri::parse(&again).is_ok(), "{} -> {}", text, again);
        }
    }
}
