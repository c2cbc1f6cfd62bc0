//! Property tests of the message parser: generated messages parse into what
//! generated them and re-encode byte for byte; arbitrary and mutated input
//! never panics.

mod common;

use common::strategies::{Generated, message};
use imsip::header::{
    self, Authorization, CSeq, CallId, Contact, HeaderName, MaxForwards, Route, Supported,
    TypedHeader, Via,
};
use imsip::{FlowSide, MessageRef, ParseConfig, StartLine, frame};
use proptest::prelude::*;

/// Exercises every accessor; must never panic whatever the message.
fn touch_everything(m: &MessageRef<'_>) {
    let _ = m.validate();
    let _ = m.validate_with(&imsip::ValidationPolicy::proxy(&[]));
    let _ = m.start_line();
    let _ = m.request_uri();
    let _ = (
        m.via(),
        m.from(),
        m.to(),
        m.call_id(),
        m.cseq(),
        m.from_tag(),
        m.to_tag(),
    );
    for h in m.headers() {
        let _ = (
            h.name(),
            h.value_str(),
            h.elements().count(),
            format!("{h:?}"),
        );
    }
    m.header_all::<Via<'_>>().for_each(drop);
    m.header_all::<Contact<'_>>().for_each(drop);
    m.header_all::<Route<'_>>().for_each(drop);
    m.header_all::<Supported<'_>>().for_each(drop);
    let _ = m.header::<Authorization<'_>>();
    let _ = m.header::<MaxForwards>();
    let _ = format!("{m:?}");
    let mut out = Vec::new();
    m.encode(&mut out);
    assert_eq!(out, m.as_bytes());
}

/// Parses `$value` as `$ty`, encodes it, and checks that the encoding parses
/// to the same value and is itself stable.
macro_rules! check_roundtrip {
    ($ty:ty, $value:expr) => {{
        let text = std::str::from_utf8($value).unwrap();
        let parsed = <$ty>::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let mut enc = Vec::new();
        parsed.encode(&mut enc);
        let enc_text = String::from_utf8(enc).unwrap();
        let again = <$ty>::parse(&enc_text).unwrap_or_else(|e| panic!("{enc_text:?}: {e}"));
        assert_eq!(again, parsed, "{text:?} -> {enc_text:?}");
        let mut enc2 = Vec::new();
        again.encode(&mut enc2);
        assert_eq!(enc2, enc_text.as_bytes(), "canonical form is stable");
    }};
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_messages_parse_into_their_parts(g in message()) {
        let Generated { bytes, request, status, headers, body } = g;
        let m = MessageRef::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)));
        match m.start_line() {
            StartLine::Request(r) => {
                let (method, uri) = request.unwrap();
                prop_assert_eq!(r.method.as_str(), method.as_str());
                prop_assert_eq!(r.uri, uri.as_str());
            }
            StartLine::Response(s) => {
                let (code, reason) = status.unwrap();
                prop_assert_eq!(s.code.as_u16(), code);
                prop_assert_eq!(s.reason, reason.as_bytes());
            }
        }
        prop_assert_eq!(m.header_count(), headers.len());
        for (h, (name, value)) in m.headers().zip(&headers) {
            prop_assert_eq!(h.name(), name.as_str());
            prop_assert_eq!(h.value(), value.as_bytes());
        }
        prop_assert_eq!(m.body(), &body[..]);
        let mut out = Vec::new();
        m.encode(&mut out);
        prop_assert_eq!(&out, &bytes);

        // Every typed value parses, and its canonical form parses the same.
        for h in m.headers() {
            for element in h.elements() {
                match h.known() {
                    Some(HeaderName::Via) => check_roundtrip!(Via<'_>, element),
                    Some(HeaderName::From) => check_roundtrip!(header::From<'_>, element),
                    Some(HeaderName::To) => check_roundtrip!(header::To<'_>, element),
                    Some(HeaderName::Contact) => check_roundtrip!(Contact<'_>, element),
                    Some(HeaderName::Route) => check_roundtrip!(Route<'_>, element),
                    Some(HeaderName::CSeq) => check_roundtrip!(CSeq<'_>, element),
                    Some(HeaderName::CallId) => check_roundtrip!(CallId<'_>, element),
                    Some(HeaderName::MaxForwards) => check_roundtrip!(MaxForwards, element),
                    Some(HeaderName::Authorization) => check_roundtrip!(Authorization<'_>, element),
                    Some(HeaderName::Supported) => check_roundtrip!(Supported<'_>, element),
                    _ => {}
                }
            }
        }
        // The fast tag accessors agree with the full parse.
        if m.get_known(HeaderName::From).is_some() {
            let from = m.from().unwrap();
            prop_assert_eq!(m.from_tag().unwrap(), from.tag());
        }
        if m.get_known(HeaderName::To).is_some() {
            let to = m.to().unwrap();
            prop_assert_eq!(m.to_tag().unwrap(), to.tag());
        }
        touch_everything(&m);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(m) = MessageRef::parse(&data) {
            touch_everything(&m);
        }
        let _ = MessageRef::parse_head(&data, &ParseConfig::default()).map(|m| touch_everything(&m));
        let _ = frame(&data, FlowSide::Server, &ParseConfig::default());
    }

    #[test]
    fn mutated_torture_messages_never_panic(
        which in 0usize..50,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let rows = common::verdicts("rfc4475/VERDICTS.tsv");
        let mut data = common::data(&format!("rfc4475/{}.sip", rows[which].0));
        for (at, byte, op) in edits {
            if data.is_empty() { break; }
            let i = at.index(data.len());
            match op {
                0 => data[i] = byte,
                1 => data.insert(i, byte),
                _ => { data.remove(i); }
            }
        }
        if let Ok(m) = MessageRef::parse(&data) {
            touch_everything(&m);
        }
        let _ = frame(&data, FlowSide::Server, &ParseConfig::default());
    }
}
