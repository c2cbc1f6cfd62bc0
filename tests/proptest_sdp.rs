//! Property tests of SDP: generated descriptions encode, parse back to the
//! same description and encode to the same text; the editor with no edits
//! gives the input back; typed attributes read back what they write;
//! arbitrary text never panics and a parse error names a line that exists.
#![cfg(feature = "sdp")]

use std::net::IpAddr;

use imsip::sdp::{
    Attribute, AttributeLine, Bandwidth, BandwidthType, Connection, MediaDescription, Origin, Sdp,
    SdpEditor, SessionDescription, Timing,
};
use proptest::prelude::*;

fn address() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u16; 8]>().prop_map(IpAddr::from),
    ]
}

fn bandwidth() -> impl Strategy<Value = Bandwidth<'static>> {
    (
        prop_oneof![
            Just(BandwidthType::As),
            Just(BandwidthType::Ct),
            Just(BandwidthType::Tias),
            Just(BandwidthType::Rs),
            Just(BandwidthType::Rr),
            "X-[A-Z]{1,4}".prop_map(|s| BandwidthType::Other(s.into())),
        ],
        any::<u32>(),
    )
        .prop_map(|(kind, v)| Bandwidth {
            kind,
            value: u64::from(v),
        })
}

fn attribute() -> impl Strategy<Value = AttributeLine> {
    prop_oneof![
        ("[a-z][a-z0-9-]{0,10}", proptest::option::of("[ -~]{0,24}"))
            .prop_map(|(n, v)| AttributeLine { name: n, value: v }),
        (0u8..128, "[A-Za-z0-9-]{1,12}", 1u32..100_000).prop_map(|(pt, enc, clock)| {
            AttributeLine::new("rtpmap", Some(&format!("{pt} {enc}/{clock}")))
        }),
        "(sendrecv|sendonly|recvonly|inactive)".prop_map(|d| AttributeLine::new(&d, None)),
    ]
}

fn media() -> impl Strategy<Value = MediaDescription> {
    (
        "(audio|video|text|application|message)",
        any::<u16>(),
        "(RTP/AVP|RTP/AVPF|RTP/SAVP|UDP/TLS/RTP/SAVPF|TCP/MSRP)",
        proptest::collection::vec(0u8..128, 1..5),
        proptest::option::of(address()),
        proptest::collection::vec(bandwidth(), 0..3),
        proptest::collection::vec(attribute(), 0..6),
    )
        .prop_map(|(kind, port, proto, formats, c, bandwidths, attributes)| {
            let mut m = MediaDescription::new(&kind, port, &proto);
            for f in formats {
                m.push_format(&f.to_string());
            }
            m.connections = c.map(Connection::ip).into_iter().collect();
            m.bandwidths = bandwidths;
            m.attributes = attributes;
            m
        })
}

fn description() -> impl Strategy<Value = SessionDescription> {
    (
        address(),
        any::<u64>(),
        any::<u64>(),
        "[A-Za-z0-9 .-]{1,16}",
        proptest::option::of(address()),
        proptest::collection::vec(bandwidth(), 0..2),
        proptest::collection::vec((any::<u32>(), any::<u32>()), 1..3),
        proptest::collection::vec(attribute(), 0..4),
        proptest::collection::vec(media(), 0..4),
    )
        .prop_map(
            |(o, id, version, name, c, bandwidths, timings, attributes, media)| {
                let mut d = SessionDescription::new(o, id);
                d.origin = Origin::new("-", id, version, o);
                d.session_name = name;
                d.connection = c.map(Connection::ip);
                d.bandwidths = bandwidths;
                d.timings = timings
                    .into_iter()
                    .map(|(a, b)| Timing {
                        start: u64::from(a),
                        stop: u64::from(b),
                    })
                    .collect();
                d.attributes = attributes;
                d.media = media;
                d
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_descriptions_roundtrip(d in description()) {
        let text = d.encode();
        let sdp = Sdp::parse(&text).unwrap_or_else(|e| panic!("{text}\n{e}"));
        prop_assert_eq!(sdp.as_str(), text.as_str());
        let back = sdp.to_description().unwrap();
        prop_assert_eq!(&back, &d);
        prop_assert_eq!(back.encode(), text.clone());
        // The editor without edits is the identity.
        prop_assert_eq!(SdpEditor::new(&sdp).finish(), text.clone());
        // Every attribute that types reads back what it writes.
        for m in sdp.media() {
            for a in m.attributes() {
                if let Ok(t) = a.typed() {
                    let written = AttributeLine::from(&t).to_string();
                    let (n, v) = match written.split_once(':') {
                        Some((n, v)) => (n, Some(v)),
                        None => (written.as_str(), None),
                    };
                    prop_assert_eq!(Attribute::parse(n, v), Some(t));
                }
            }
        }
    }

    #[test]
    fn edits_keep_a_description_parseable(d in description(), port in any::<u16>()) {
        let text = d.encode();
        let sdp = Sdp::parse(&text).unwrap();
        let mut e = SdpEditor::new(&sdp);
        e.bump_version().unwrap();
        for i in 0..sdp.media_count() {
            e.set_port(i, port).unwrap();
            e.set_direction(imsip::sdp::Part::Media(i), imsip::sdp::Direction::SendOnly);
        }
        let out = e.finish();
        let edited = Sdp::parse(&out).unwrap_or_else(|e| panic!("{out}\n{e}"));
        prop_assert_eq!(
            edited.origin().unwrap().session_version,
            d.origin.session_version.wrapping_add(1)
        );
        for m in edited.media() {
            prop_assert_eq!(m.line().unwrap().port, port);
            prop_assert_eq!(m.direction(), imsip::sdp::Direction::SendOnly);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(v=0\r\n)?([a-z]=[ -~]{0,30}\r?\n){0,12}") {
        match Sdp::parse(&text) {
            Ok(sdp) => {
                prop_assert_eq!(sdp.as_str(), text.as_str());
                let _ = sdp.to_description();
                for m in sdp.media() {
                    let _ = m.line();
                    for a in m.attributes() {
                        let _ = a.typed();
                    }
                }
            }
            Err(e) => prop_assert!(e.line() <= text.lines().count()),
        }
    }
}
