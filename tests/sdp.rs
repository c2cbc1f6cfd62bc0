//! SDP against the standards' examples: the RFC 5118 messages with IPv6
//! in their bodies, and the RFC 3312 / TS 24.229 precondition flow of a
//! VoLTE call (segmented QoS, both sides mandatory).
#![cfg(feature = "sdp")]

mod common;

use imsip::Message;
use imsip::sdp::{
    Attribute, ConnectionAddress, PreconditionTable, QosDirection, Sdp, StatusType, Strength,
};

/// The body of an RFC 5118 message: what follows the head (the RFC's
/// Content-Length values do not all match their bodies; `tests/rfc5118.rs`
/// covers the messages themselves).
fn body_of(name: &str) -> Vec<u8> {
    let bytes = common::data(&format!("rfc5118/{name}.sip"));
    let head = Message::parse(bytes.clone().into()).map_or_else(
        |_| bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4,
        |m| m.as_ref().as_bytes().len() - m.as_ref().body().len(),
    );
    bytes[head..].to_vec()
}

fn addresses(body: &[u8]) -> Vec<String> {
    let sdp = Sdp::parse_bytes(body).unwrap();
    let mut out = vec![sdp.origin().unwrap().address.to_string()];
    for m in sdp.media() {
        let c = m.connection().unwrap().unwrap();
        assert!(matches!(c.address, ConnectionAddress::Ip { .. }), "{c}");
        out.push(c.to_string());
    }
    out
}

#[test]
fn rfc5118_ipv6_in_sdp() {
    assert_eq!(
        addresses(&body_of("ipv6-in-sdp")),
        ["2001:db8::20", "IN IP6 2001:db8::20", "IN IP6 2001:db8::20"]
    );
}

#[test]
fn rfc5118_multiple_address_families_in_sdp() {
    // Per-media c= lines of both families.
    assert_eq!(
        addresses(&body_of("mult-ip-in-sdp")),
        ["host.example.com", "IN IP4 192.0.2.1", "IN IP6 2001:db8::1"]
    );
}

#[test]
fn rfc5118_ipv4_mapped_ipv6_in_sdp() {
    assert_eq!(
        addresses(&body_of("ipv4-mapped-ipv6")),
        [
            "::ffff:192.0.2.2",
            "IN IP6 ::ffff:192.0.2.2",
            "IN IP6 ::ffff:192.0.2.2"
        ]
    );
}

/// A description carrying `attributes` in its audio stream.
fn description(version: u64, attributes: &[Attribute<'_>]) -> String {
    let mut s = format!(
        "v=0\r\no=- 1 {version} IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n\
m=audio 49152 RTP/AVP 116\r\na=rtpmap:116 AMR-WB/16000/1\r\n"
    );
    for a in attributes {
        s.push_str(&format!("a={a}\r\n"));
    }
    s
}

fn lines(attributes: &[Attribute<'_>]) -> Vec<String> {
    attributes.iter().map(ToString::to_string).collect()
}

fn apply(table: &mut PreconditionTable, text: &str) {
    let sdp = Sdp::parse(text).unwrap();
    table
        .apply_remote(sdp.media_at(0).unwrap().attributes())
        .unwrap();
}

#[test]
fn the_volte_precondition_flow() {
    // UE A (caller): its own access mandatory, the far end's unknown to it
    // (TS 24.229 annex A.2.1: "des:qos none remote sendrecv").
    let mut a = PreconditionTable::default();
    a.desire(
        StatusType::Local,
        QosDirection::SendRecv,
        Strength::Mandatory,
    );
    a.desire(StatusType::Remote, QosDirection::SendRecv, Strength::None);
    let offer = description(1, &a.attributes());
    assert_eq!(
        lines(&a.attributes()),
        [
            "curr:qos local none",
            "curr:qos remote none",
            "des:qos mandatory local sendrecv",
            "des:qos none remote sendrecv"
        ]
    );
    // UE B gets the INVITE: A's local segment is B's remote one.
    let mut b = PreconditionTable::default();
    apply(&mut b, &offer);
    b.desire(
        StatusType::Local,
        QosDirection::SendRecv,
        Strength::Mandatory,
    );
    assert!(!b.is_met());
    // B's 183: both segments mandatory now.
    let answer = description(1, &b.attributes());
    assert_eq!(
        lines(&b.attributes()),
        [
            "curr:qos local none",
            "curr:qos remote none",
            "des:qos mandatory local sendrecv",
            "des:qos mandatory remote sendrecv"
        ]
    );
    apply(&mut a, &answer);
    assert!(!a.is_met());
    // A's bearer is up: UPDATE.
    a.set_current(StatusType::Local, QosDirection::SendRecv);
    assert!(!a.is_met(), "B's segment is not reserved yet");
    let update = description(2, &a.attributes());
    assert_eq!(
        lines(&a.attributes())[..2],
        ["curr:qos local sendrecv", "curr:qos remote none"]
    );
    apply(&mut b, &update);
    assert!(!b.is_met(), "B's own bearer is not up");
    // B's bearer is up: the 200 to the UPDATE, then B may alert.
    b.set_current(StatusType::Local, QosDirection::SendRecv);
    assert!(b.is_met());
    let ok = description(2, &b.attributes());
    assert_eq!(
        lines(&b.attributes())[..2],
        ["curr:qos local sendrecv", "curr:qos remote sendrecv"]
    );
    apply(&mut a, &ok);
    assert!(a.is_met());
}

#[test]
fn a_one_way_reservation_and_a_failure() {
    let mut t = PreconditionTable::default();
    t.desire(StatusType::E2e, QosDirection::SendRecv, Strength::Mandatory);
    t.set_current(StatusType::E2e, QosDirection::Send);
    assert!(!t.is_met());
    assert_eq!(
        lines(&t.attributes()),
        ["curr:qos e2e send", "des:qos mandatory e2e sendrecv"]
    );
    // The peer's e2e `send` is this side's `recv`.
    apply(
        &mut t,
        &description(
            1,
            &[Attribute::parse("curr", Some("qos e2e send")).unwrap()],
        ),
    );
    assert!(t.is_met());
    // Optional rows do not hold the session back; a desire never weakens.
    let mut o = PreconditionTable::default();
    o.desire(StatusType::Local, QosDirection::Send, Strength::Optional);
    assert!(o.is_met());
    o.desire(StatusType::Local, QosDirection::Send, Strength::Mandatory);
    o.desire(StatusType::Local, QosDirection::Send, Strength::Optional);
    assert!(!o.is_met());
    assert_eq!(
        lines(&o.attributes()),
        ["curr:qos local none", "des:qos mandatory local send"]
    );
    // The peer's `failure` fails the session; a `conf` is remembered.
    apply(
        &mut o,
        &description(
            1,
            &[
                Attribute::parse("des", Some("qos failure remote send")).unwrap(),
                Attribute::parse("conf", Some("qos remote recv")).unwrap(),
            ],
        ),
    );
    assert!(o.has_failed());
    assert!(!o.is_met());
    assert!(o.confirm_requested(StatusType::Local, QosDirection::Send));
}

mod offer_answer {
    use imsip::sdp::{
        Capabilities, Codec, Direction, OfferAnswerError, Sdp, StreamConfig, answer, check_answer,
        hold, resume,
    };

    /// RFC 4317 §2.1: Alice offers PCMU, PCMA, iLBC and H.261, MPV.
    const ALICE: &str = "v=0\r\n\
o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n\
s=\r\n\
c=IN IP4 host.atlanta.example.com\r\n\
t=0 0\r\n\
m=audio 49170 RTP/AVP 0 8 97\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:8 PCMA/8000\r\n\
a=rtpmap:97 iLBC/8000\r\n\
m=video 51372 RTP/AVP 31 32\r\n\
a=rtpmap:31 H261/90000\r\n\
a=rtpmap:32 MPV/90000\r\n";

    fn bob(video: bool) -> Capabilities {
        let mut streams = vec![StreamConfig {
            telephone_event: false,
            ..StreamConfig::audio(49174, vec![Codec::new("PCMU", 8000)])
        }];
        if video {
            streams.push(StreamConfig {
                media: "video".to_owned(),
                port: 49170,
                codecs: vec![Codec::new("MPV", 90000)],
                telephone_event: false,
                direction: Direction::SendRecv,
                ptime: None,
                protocols: vec!["RTP/AVP".to_owned()],
            });
        }
        Capabilities {
            address: "192.0.2.2".parse().unwrap(),
            session_id: 2_808_844_564,
            streams,
        }
    }

    fn m_lines(text: &str) -> Vec<&str> {
        text.lines().filter(|l| l.starts_with("m=")).collect()
    }

    #[test]
    fn rfc4317_audio_and_video_1() {
        let offer = Sdp::parse(ALICE).unwrap();
        let text = answer(&offer, &bob(true)).unwrap().encode();
        // RFC 4317 §2.1's answer: PCMU and MPV, Bob's ports.
        assert_eq!(
            m_lines(&text),
            ["m=audio 49174 RTP/AVP 0", "m=video 49170 RTP/AVP 32"]
        );
        assert!(text.contains("a=rtpmap:0 PCMU/8000\r\n"));
        assert!(text.contains("a=rtpmap:32 MPV/90000\r\n"));
        check_answer(&offer, &Sdp::parse(&text).unwrap()).unwrap();
    }

    #[test]
    fn rfc3264_basic_exchange() {
        // RFC 3264 §10.1: audio and two video streams offered; Bob takes
        // the audio and the MPEG video and rejects the H.261 one.
        let offer = Sdp::parse(
            "v=0\r\no=alice 2890844526 2890844526 IN IP4 host.anywhere.com\r\ns=\r\n\
c=IN IP4 host.anywhere.com\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n\
m=video 51372 RTP/AVP 31\r\na=rtpmap:31 H261/90000\r\nm=video 53000 RTP/AVP 32\r\n\
a=rtpmap:32 MPV/90000\r\n",
        )
        .unwrap();
        let mut caps = bob(true);
        caps.streams[0].port = 49920;
        caps.streams[1].port = 53000;
        let text = answer(&offer, &caps).unwrap().encode();
        assert_eq!(
            m_lines(&text),
            [
                "m=audio 49920 RTP/AVP 0",
                "m=video 0 RTP/AVP 31",
                "m=video 53000 RTP/AVP 32"
            ]
        );
        let a = Sdp::parse(&text).unwrap();
        assert!(a.media_at(1).unwrap().is_rejected());
        check_answer(&offer, &a).unwrap();
    }

    #[test]
    fn streams_this_side_cannot_take_are_rejected() {
        // A second audio stream (one port per configured stream), a
        // secured profile, a stream with no address.
        let offer = Sdp::parse(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n\
m=audio 5000 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n\
m=audio 5002 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n\
m=audio 5004 RTP/SAVP 0\r\nc=IN IP4 192.0.2.1\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n\
m=audio 5006 RTP/AVP 0\r\n",
        )
        .unwrap();
        let text = answer(&offer, &bob(false)).unwrap().encode();
        assert_eq!(
            m_lines(&text),
            [
                "m=audio 49174 RTP/AVP 0",
                "m=audio 0 RTP/AVP 0",
                "m=audio 0 RTP/SAVP 0",
                "m=audio 0 RTP/AVP 0"
            ]
        );
        let a = Sdp::parse(&text).unwrap();
        check_answer(&offer, &a).unwrap();
        // Accepting a stream offered with port 0 is no answer.
        let revived = text.replacen("m=audio 0 RTP/AVP 0", "m=audio 6000 RTP/AVP 0", 1);
        let offer0 = offer.as_str().replacen("m=audio 5002", "m=audio 0", 1);
        assert_eq!(
            check_answer(
                &Sdp::parse(&offer0).unwrap(),
                &Sdp::parse(&revived).unwrap()
            ),
            Err(OfferAnswerError::Stream(1))
        );
        // An offer without streams gets an answer without streams.
        let empty = Sdp::parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n").unwrap();
        assert!(answer(&empty, &bob(false)).unwrap().media.is_empty());
    }

    #[test]
    fn rfc4317_a_stream_without_a_common_codec_is_rejected() {
        let offer = Sdp::parse(ALICE).unwrap();
        let text = answer(&offer, &bob(false)).unwrap().encode();
        assert_eq!(
            m_lines(&text),
            ["m=audio 49174 RTP/AVP 0", "m=video 0 RTP/AVP 31 32"]
        );
        check_answer(&offer, &Sdp::parse(&text).unwrap()).unwrap();
        // Nothing acceptable at all: the caller answers 488.
        let mut none = bob(false);
        none.streams[0].codecs = vec![Codec::new("G722", 8000)];
        assert_eq!(
            answer(&offer, &none).unwrap_err(),
            OfferAnswerError::NothingAcceptable
        );
    }

    #[test]
    fn directions_answer_the_offer_and_hold_resume() {
        let held = hold(&Sdp::parse(ALICE).unwrap()).unwrap();
        assert!(held.contains("o=alice 2890844526 2890844527 "));
        let offer = Sdp::parse(&held).unwrap();
        assert!(offer.media().all(|m| m.direction() == Direction::SendOnly));
        let text = answer(&offer, &bob(true)).unwrap().encode();
        let a = Sdp::parse(&text).unwrap();
        assert!(a.media().all(|m| m.direction() == Direction::RecvOnly));
        check_answer(&offer, &a).unwrap();
        // Answering a hold with sendrecv is wrong.
        let wrong = text.replace("a=recvonly", "a=sendrecv");
        assert!(matches!(
            check_answer(&offer, &Sdp::parse(&wrong).unwrap()),
            Err(OfferAnswerError::Direction(0, Direction::SendRecv))
        ));
        // Resumed.
        let back = resume(&offer).unwrap();
        let resumed = Sdp::parse(&back).unwrap();
        assert!(
            resumed
                .media()
                .all(|m| m.direction() == Direction::SendRecv)
        );
        assert_eq!(resumed.origin().unwrap().session_version, 2_890_844_528);
    }

    #[test]
    fn answers_are_checked_against_their_offer() {
        let offer = Sdp::parse(ALICE).unwrap();
        let good = answer(&offer, &bob(true)).unwrap().encode();
        let fewer = good.split("m=video").next().unwrap().to_owned();
        assert!(matches!(
            check_answer(&offer, &Sdp::parse(&fewer).unwrap()),
            Err(OfferAnswerError::MediaCount {
                offer: 2,
                answer: 1
            })
        ));
        let other_codec = good
            .replace("m=audio 49174 RTP/AVP 0", "m=audio 49174 RTP/AVP 9")
            .replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:9 G722/8000");
        assert_eq!(
            check_answer(&offer, &Sdp::parse(&other_codec).unwrap()),
            Err(OfferAnswerError::Format(0))
        );
        let other_type = good.replace("m=video", "m=text");
        assert_eq!(
            check_answer(&offer, &Sdp::parse(&other_type).unwrap()),
            Err(OfferAnswerError::MediaType(1))
        );
        // The same codec under another payload type is an answer.
        let renumbered = good
            .replace("m=audio 49174 RTP/AVP 0", "m=audio 49174 RTP/AVP 96")
            .replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:96 PCMU/8000");
        check_answer(&offer, &Sdp::parse(&renumbered).unwrap()).unwrap();
    }

    fn volte() -> String {
        String::from_utf8(super::common::data("sdp/volte_offer.sdp")).unwrap()
    }

    fn ue(codecs: Vec<Codec>) -> Capabilities {
        Capabilities {
            address: "2001:db8:0:2::20".parse().unwrap(),
            session_id: 7,
            streams: vec![StreamConfig {
                ptime: Some(20),
                ..StreamConfig::audio(60000, codecs)
            }],
        }
    }

    #[test]
    fn amr_rules_of_volte() {
        let text = volte();
        let offer = Sdp::parse(&text).unwrap();
        // Bandwidth-efficient AMR-WB and AMR: 116 and 97, and the
        // telephone-events of both clock rates.
        let a = answer(
            &offer,
            &ue(vec![Codec::new("AMR-WB", 16000), Codec::new("AMR", 8000)]),
        )
        .unwrap()
        .encode();
        assert_eq!(m_lines(&a), ["m=audio 60000 RTP/AVP 116 97 105 100"]);
        // What the offerer declares of its own sending is not echoed.
        assert!(!a.contains("a=fmtp:116"), "{a}");
        assert!(a.contains("a=fmtp:105 0-15\r\n"));
        assert!(a.contains("a=ptime:20\r\n"));
        assert!(a.contains("c=IN IP6 2001:db8:0:2::20\r\n"));
        check_answer(&offer, &Sdp::parse(&a).unwrap()).unwrap();
        // Only octet-aligned AMR-WB: 107 (and its telephone-event).
        let a = answer(
            &offer,
            &ue(vec![
                Codec::new("AMR-WB", 16000).with_fmtp("octet-align=1;mode-change-capability=2"),
            ]),
        )
        .unwrap()
        .encode();
        assert_eq!(m_lines(&a), ["m=audio 60000 RTP/AVP 107 105"]);
        assert!(
            a.contains("a=fmtp:107 octet-align=1;mode-change-capability=2\r\n"),
            "{a}"
        );
        // It answers the offer: 107, not the first AMR-WB (116).
        check_answer(&offer, &Sdp::parse(&a).unwrap()).unwrap();
        // Another configuration (crc) is another payload format.
        assert_eq!(
            answer(
                &offer,
                &ue(vec![Codec::new("AMR-WB", 16000).with_fmtp("crc=1")]),
            )
            .unwrap_err(),
            OfferAnswerError::NothingAcceptable
        );
        // A mode-set narrows to the common modes.
        let offer_modes = text.replace(
            "a=fmtp:116 mode-change-capability=2;max-red=0",
            "a=fmtp:116 mode-set=0,1,2;mode-change-capability=2;max-red=0",
        );
        let o = Sdp::parse(&offer_modes).unwrap();
        let a = answer(
            &o,
            &ue(vec![
                Codec::new("AMR-WB", 16000).with_fmtp("mode-set=0,2,8"),
            ]),
        )
        .unwrap()
        .encode();
        assert!(a.contains("a=fmtp:116 mode-set=0,2\r\n"), "{a}");
        check_answer(&o, &Sdp::parse(&a).unwrap()).unwrap();
        // Modes outside the offer's, or another octet-align, are no answer.
        let bad = a.replace("mode-set=0,2", "mode-set=0,8");
        assert_eq!(
            check_answer(&o, &Sdp::parse(&bad).unwrap()),
            Err(OfferAnswerError::Amr(0))
        );
        let bad = a.replace(
            "a=fmtp:116 mode-set=0,2",
            "a=fmtp:116 mode-set=0,2;octet-align=1",
        );
        assert_eq!(
            check_answer(&o, &Sdp::parse(&bad).unwrap()),
            Err(OfferAnswerError::Amr(0))
        );
        // No common mode: that payload type is not chosen (107 is
        // octet-aligned): AMR at 8 kHz, and only its telephone-event.
        let a = answer(
            &o,
            &ue(vec![
                Codec::new("AMR-WB", 16000).with_fmtp("mode-set=8"),
                Codec::new("AMR", 8000),
            ]),
        )
        .unwrap()
        .encode();
        assert_eq!(m_lines(&a), ["m=audio 60000 RTP/AVP 97 100"]);
    }
}

mod offering {
    use imsip::sdp::{Capabilities, Codec, Sdp, StreamConfig, answer, check_answer, offer};

    #[test]
    fn an_offer_from_capabilities_and_its_answer() {
        let caps = Capabilities {
            address: "2001:db8::1".parse().unwrap(),
            session_id: 9,
            streams: vec![StreamConfig {
                ptime: Some(20),
                ..StreamConfig::audio(
                    49152,
                    vec![
                        Codec::new("AMR-WB", 16000).with_fmtp("mode-change-capability=2"),
                        Codec::new("AMR", 8000),
                        Codec::new("PCMU", 8000),
                    ],
                )
            }],
        };
        let text = offer(&caps).encode();
        // Dynamic payload types from 96, the static one for PCMU, a
        // telephone-event per clock rate.
        assert_eq!(
            text,
            "v=0\r\no=- 9 9 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n\
m=audio 49152 RTP/AVP 96 97 0 98 99\r\na=rtpmap:96 AMR-WB/16000\r\n\
a=fmtp:96 mode-change-capability=2\r\na=rtpmap:97 AMR/8000\r\na=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:98 telephone-event/16000\r\na=fmtp:98 0-15\r\na=rtpmap:99 telephone-event/8000\r\n\
a=fmtp:99 0-15\r\na=ptime:20\r\na=sendrecv\r\n"
        );
        let o = Sdp::parse(&text).unwrap();
        // A peer with AMR only answers 97 and the 8 kHz telephone-event.
        let peer = Capabilities {
            address: "192.0.2.2".parse().unwrap(),
            session_id: 1,
            streams: vec![StreamConfig::audio(4000, vec![Codec::new("AMR", 8000)])],
        };
        let a = answer(&o, &peer).unwrap().encode();
        assert!(a.contains("m=audio 4000 RTP/AVP 97 99\r\n"), "{a}");
        check_answer(&o, &Sdp::parse(&a).unwrap()).unwrap();
    }
}
