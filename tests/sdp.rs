//! SDP against the standards' examples: the RFC 5118 messages with IPv6
//! in their bodies, and the RFC 3312 / TS 24.229 precondition flow of a
//! VoLTE call (segmented QoS, both sides mandatory).

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
