use super::*;

/// A VoLTE offer as a UE sends it (TS 24.229 / GSMA IR.92): AMR-WB and
/// AMR, telephone-event for both clock rates, segmented QoS preconditions,
/// IPv6.
pub(crate) const VOLTE_OFFER: &str = include_str!("../../tests/data/sdp/volte_offer.sdp");

#[test]
fn a_volte_offer_is_indexed_and_typed() {
    let sdp = Sdp::parse(VOLTE_OFFER).unwrap();
    assert_eq!(sdp.lines().len(), 27);
    let o = sdp.origin().unwrap();
    assert_eq!(o.session_id, "1187");
    assert_eq!(o.session_version, 1);
    assert_eq!(o.addr_type, "IP6");
    assert_eq!(sdp.session_name(), "-");
    let c = sdp.connection().unwrap().unwrap();
    assert_eq!(c.ip_address(), Some("2001:db8:0:1::10".parse().unwrap()));
    let b: Vec<_> = sdp.bandwidths().map(Result::unwrap).collect();
    assert_eq!(b[0].kind, BandwidthType::As);
    assert_eq!(b[0].value, 49);
    assert_eq!(
        sdp.timings().next().unwrap().unwrap(),
        Timing { start: 0, stop: 0 }
    );
    assert_eq!(sdp.media_count(), 1);
    let audio = sdp.media_at(0).unwrap();
    let m = audio.line().unwrap();
    assert_eq!(
        (m.media.as_ref(), m.port, m.proto.as_ref()),
        ("audio", 49152, "RTP/AVP")
    );
    assert_eq!(
        audio.formats().collect::<Vec<_>>(),
        ["116", "107", "97", "105", "100"]
    );
    let rr: Vec<_> = audio.bandwidths().map(Result::unwrap).collect();
    assert_eq!(rr[2].kind, BandwidthType::Rr);
    assert_eq!(rr[2].value, 2000);
    let amr = audio.rtpmap(97).unwrap();
    assert_eq!(
        (amr.encoding, amr.clock, amr.channels),
        ("AMR", 8000, Some(1))
    );
    let oa = audio.fmtp("107").unwrap();
    assert_eq!(oa.param("octet-align"), Some("1"));
    assert_eq!(oa.param("max-red"), Some("0"));
    assert_eq!(audio.fmtp("116").unwrap().param("octet-align"), None);
    assert_eq!(audio.rtpmap(105).unwrap().channels, None);
    assert_eq!(audio.direction(), Direction::SendRecv);
    let typed: Vec<Attribute<'_>> = audio.attributes().map(|a| a.typed().unwrap()).collect();
    assert!(typed.contains(&Attribute::Ptime(20)));
    assert!(typed.contains(&Attribute::MaxPtime(240)));
    assert!(typed.contains(&Attribute::Desired(PreconditionStatus {
        kind: "qos".into(),
        strength: Some(Strength::Optional),
        status: StatusType::Remote,
        direction: QosDirection::SendRecv,
    })));
    // As received, octet for octet.
    assert_eq!(sdp.to_string(), VOLTE_OFFER);
    // Lines know where they are.
    let l = &sdp.lines()[6];
    assert_eq!((l.kind, l.number()), (b'm', 7));
    assert_eq!(&VOLTE_OFFER[l.offset()..l.offset() + 8], "m=audio ");
}

#[test]
fn line_ends_may_be_bare_lf_and_the_last_may_be_missing() {
    let lf = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=x\nt=0 0\nm=audio 4000 RTP/AVP 0";
    let sdp = Sdp::parse(lf).unwrap();
    assert_eq!(sdp.media_at(0).unwrap().line().unwrap().port, 4000);
    assert_eq!(sdp.as_str(), lf);
    // Empty lines at the end are tolerated and kept.
    let extra = format!("{HEAD}t=0 0\r\n\r\n");
    let sdp = Sdp::parse(&extra).unwrap();
    assert_eq!(sdp.lines().len(), 4);
    assert_eq!(SdpEditor::new(&sdp).finish(), extra);
    // An empty line before the end is not.
    assert_eq!(
        Sdp::parse(&format!("{HEAD}\r\nt=0 0\r\n"))
            .unwrap_err()
            .kind(),
        SdpErrorKind::BadLine
    );
}

fn error(text: &str) -> (SdpErrorKind, usize) {
    let e = Sdp::parse(text).unwrap_err();
    (e.kind(), e.line())
}

const HEAD: &str = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";

#[test]
fn structure_errors_name_the_line() {
    use SdpErrorKind::*;
    assert_eq!(error(""), (Empty, 0));
    assert_eq!(error("v=1\r\n").0, BadVersion);
    assert_eq!(error("o=- 1 1 IN IP4 a\r\n").0, BadVersion);
    assert_eq!(error(&format!("{HEAD}t=0 0\r\nbogus\r\n")), (BadLine, 5));
    assert_eq!(error(&format!("{HEAD}t=0 0\r\nA=x\r\n")), (BadLine, 5));
    assert_eq!(error(&format!("{HEAD}t=0 0\r\nx=1\r\n")), (UnknownType, 5));
    // s before o.
    assert_eq!(
        error("v=0\r\ns=-\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n"),
        (OutOfOrder, 3)
    );
    // c after t at session level.
    assert_eq!(
        error(&format!("{HEAD}t=0 0\r\nc=IN IP4 192.0.2.1\r\n")),
        (OutOfOrder, 5)
    );
    // t repeats with r; r before any t is out of order.
    assert!(Sdp::parse(&format!("{HEAD}t=1 2\r\nr=7d 1h 0 25h\r\nt=3 4\r\n")).is_ok());
    assert_eq!(
        error(&format!("{HEAD}r=7d 1h 0\r\nt=0 0\r\n")).0,
        OutOfOrder
    );
    assert_eq!(
        error(&format!("{HEAD}s=again\r\nt=0 0\r\n")),
        (Duplicate, 4)
    );
    assert_eq!(
        error(&format!(
            "{HEAD}c=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
        ))
        .0,
        Duplicate
    );
    assert_eq!(error("v=0\r\ns=-\r\nt=0 0\r\n").0, MissingOrigin);
    assert_eq!(
        error("v=0\r\no=- 1 1 IN IP4 a\r\nt=0 0\r\n").0,
        MissingSessionName
    );
    assert_eq!(error(HEAD).0, MissingTiming);
    assert_eq!(
        error(&format!("{HEAD}m=audio 1 RTP/AVP 0\r\n")),
        (MissingTiming, 4)
    );
    // In a media description: c and b repeat, s and t do not belong.
    let ok = format!(
        "{HEAD}t=0 0\r\nm=audio 1 RTP/AVP 0\r\nc=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.5\r\nb=AS:1\r\nb=RR:0\r\na=x\r\n"
    );
    assert!(Sdp::parse(&ok).is_ok());
    assert_eq!(
        error(&format!("{HEAD}t=0 0\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n")),
        (OutOfOrder, 6)
    );
    assert_eq!(
        error(&format!(
            "{HEAD}t=0 0\r\nm=audio 1 RTP/AVP 0\r\na=x\r\nc=IN IP4 1.2.3.4\r\n"
        )),
        (OutOfOrder, 7)
    );
    assert_eq!(
        error(&format!(
            "{HEAD}t=0 0\r\nm=audio 1 RTP/AVP 0\r\ni=a\r\ni=b\r\n"
        )),
        (Duplicate, 7)
    );
    // A NUL or a lone CR inside a line.
    let e = Sdp::parse(&format!("{HEAD}t=0 0\r\na=x\0y\r\n")).unwrap_err();
    assert_eq!((e.kind(), e.line()), (BadCharacter, 5));
    assert_eq!(e.offset(), HEAD.len() + 7 + 3);
    assert_eq!(error(&format!("{HEAD}t=0 0\r\na=x\ry\r\n")).0, BadCharacter);
    // Not UTF-8.
    let mut bytes = format!("{HEAD}t=0 0\r\n").into_bytes();
    bytes.extend_from_slice(b"a=\xff\r\n");
    let e = Sdp::parse_bytes(&bytes).unwrap_err();
    assert_eq!((e.kind(), e.line()), (NotUtf8, 5));
}

#[test]
fn limits_bound_the_parse() {
    let limits = SdpLimits {
        max_lines: 6,
        max_media: 1,
        max_line: 30,
    };
    let two = format!("{HEAD}t=0 0\r\nm=audio 1 RTP/AVP 0\r\nm=video 2 RTP/AVP 31\r\n");
    let e = Sdp::parse_with(&two, &limits).unwrap_err();
    assert_eq!((e.kind(), e.line()), (SdpErrorKind::TooManyMedia, 6));
    let long = format!("{HEAD}t=0 0\r\na={}\r\n", "x".repeat(40));
    assert_eq!(
        Sdp::parse_with(&long, &limits).unwrap_err().kind(),
        SdpErrorKind::LineTooLong
    );
    let many = format!("{HEAD}t=0 0\r\na=1\r\na=2\r\na=3\r\n");
    assert_eq!(
        Sdp::parse_with(&many, &limits).unwrap_err(),
        SdpError::new(SdpErrorKind::TooManyLines, 7, many.len() - 5)
    );
}

#[test]
fn values_parse_on_access_with_their_errors() {
    let text = "v=0\r\no=- x 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 2001:db8::1\r\nb=AS\r\nt=0 0\r\n\
m=audio 70000 RTP/AVP 0\r\na=rtpmap:300 PCMU/8000\r\na=ptime:x\r\n";
    let sdp = Sdp::parse(text).unwrap();
    let e = sdp.origin().unwrap_err();
    assert_eq!((e.kind(), e.line()), (SdpErrorKind::BadValue, 2));
    // An IPv6 address in an IP4 connection.
    assert_eq!(sdp.connection().unwrap().unwrap_err().line(), 4);
    assert_eq!(sdp.bandwidths().next().unwrap().unwrap_err().line(), 5);
    let audio = sdp.media_at(0).unwrap();
    assert_eq!(audio.line().unwrap_err().line(), 7);
    let attrs: Vec<_> = audio.attributes().collect();
    assert_eq!(attrs[0].typed().unwrap_err().line(), 8);
    assert_eq!(attrs[1].typed().unwrap_err().line(), 9);
}

#[test]
fn connection_addresses() {
    let c = |s| Connection::parse(s);
    let v6 = c("IN IP6 ::ffff:192.0.2.2").unwrap();
    assert_eq!(v6.ip_address(), Some("::ffff:192.0.2.2".parse().unwrap()));
    // RFC 5118 §4.5: no brackets in SDP.
    assert!(c("IN IP6 [2001:db8::1]").is_none());
    assert!(c("IN IP4 ::1").is_none());
    let mc = c("IN IP4 233.252.0.1/127/3").unwrap();
    assert_eq!(
        mc.address,
        ConnectionAddress::Ip {
            address: "233.252.0.1".parse().unwrap(),
            ttl: Some(127),
            count: Some(3)
        }
    );
    assert_eq!(mc.to_string(), "IN IP4 233.252.0.1/127/3");
    let v6mc = c("IN IP6 ff02::1/3").unwrap();
    assert_eq!(v6mc.to_string(), "IN IP6 ff02::1/3");
    let name = c("IN IP4 host.example.com").unwrap();
    assert_eq!(
        name.address,
        ConnectionAddress::Other("host.example.com".into())
    );
    assert!(c("IN IP4").is_none());
    assert!(c("IN  IP4 1.2.3.4").is_none());
}

#[test]
fn typed_attributes() {
    let t = |n, v| Attribute::parse(n, v);
    assert_eq!(
        t("sendonly", None),
        Some(Attribute::Direction(Direction::SendOnly))
    );
    assert_eq!(t("sendonly", Some("x")), None);
    assert_eq!(t("rtcp-mux", None), Some(Attribute::RtcpMux));
    assert_eq!(t("ptime", Some("20.5")), Some(Attribute::Ptime(20)));
    assert_eq!(t("mid", Some("a1")), Some(Attribute::Mid("a1")));
    let Some(Attribute::Rtcp(r)) = t("rtcp", Some("53020 IN IP6 2001:db8::1")) else {
        panic!()
    };
    assert_eq!(r.port, 53020);
    assert_eq!(r.connection.unwrap().to_string(), "IN IP6 2001:db8::1");
    let Some(Attribute::Group(g)) = t("group", Some("BUNDLE a v")) else {
        panic!()
    };
    assert_eq!(g.mids().collect::<Vec<_>>(), ["a", "v"]);
    assert_eq!(
        t("rtpmap", Some("96 opus/48000/2")).unwrap().to_string(),
        "rtpmap:96 opus/48000/2"
    );
    assert_eq!(t("rtpmap", Some("128 x/8000")), None);
    assert_eq!(
        t("candidate", Some("1 1 UDP 1 192.0.2.1 5000 typ host"))
            .unwrap()
            .to_string(),
        "candidate:1 1 UDP 1 192.0.2.1 5000 typ host"
    );
    assert_eq!(
        t("x-foo", Some("bar")),
        Some(Attribute::Other {
            name: "x-foo",
            value: Some("bar")
        })
    );
    assert_eq!(t("des", Some("qos mandatory local")), None);
    assert_eq!(t("curr", Some("qos mandatory local send")), None);
    assert_eq!(
        t("conf", Some("qos remote recv")).unwrap().to_string(),
        "conf:qos remote recv"
    );
    // Every typed attribute's text reads back the same.
    for (n, v) in [
        ("rtpmap", Some("116 AMR-WB/16000/1")),
        ("fmtp", Some("116 mode-set=0,2;octet-align=1")),
        ("ptime", Some("20")),
        ("maxptime", Some("240")),
        ("rtcp", Some("9")),
        ("group", Some("BUNDLE 0 1")),
        ("des", Some("qos optional e2e send")),
        ("crypto", Some("1 AES_CM_128_HMAC_SHA1_80 inline:abc")),
    ] {
        let text = Attribute::parse(n, v).unwrap().to_string();
        let (name, value) = match text.split_once(':') {
            Some((n, v)) => (n, Some(v)),
            None => (text.as_str(), None),
        };
        assert_eq!(Attribute::parse(name, value), Attribute::parse(n, v));
    }
}

#[test]
fn direction_falls_back_to_the_session_then_sendrecv() {
    let text = format!(
        "{HEAD}t=0 0\r\na=recvonly\r\nm=audio 1 RTP/AVP 0\r\nm=audio 2 RTP/AVP 0\r\na=inactive\r\n"
    );
    let sdp = Sdp::parse(&text).unwrap();
    let dirs: Vec<_> = sdp.media().map(|m| m.direction()).collect();
    assert_eq!(dirs, [Direction::RecvOnly, Direction::Inactive]);
    assert_eq!(Direction::SendOnly.reversed(), Direction::RecvOnly);
    let text = format!("{HEAD}t=0 0\r\nm=audio 0 RTP/AVP 0\r\n");
    let plain = Sdp::parse(&text).unwrap();
    assert_eq!(plain.media_at(0).unwrap().direction(), Direction::SendRecv);
    assert!(plain.media_at(0).unwrap().is_rejected());
}

#[test]
fn the_owned_description_reads_back_the_same() {
    let sdp = Sdp::parse(VOLTE_OFFER).unwrap();
    let d = sdp.to_description().unwrap();
    // The VoLTE offer is in canonical order already: the same text.
    assert_eq!(d.encode(), VOLTE_OFFER);
    let again = Sdp::parse(&d.to_string())
        .unwrap()
        .to_description()
        .unwrap();
    assert_eq!(again, d);
    assert_eq!(d.media[0].direction(), Direction::SendRecv);
}

#[test]
fn building_a_description() {
    let mut d = SessionDescription::new("192.0.2.1".parse().unwrap(), 42);
    let mut audio = MediaDescription::new("audio", 49170, "RTP/AVP");
    audio.push_format("0");
    audio.push_format("101");
    audio.push(&Attribute::Rtpmap(Rtpmap {
        payload: 0,
        encoding: "PCMU",
        clock: 8000,
        channels: None,
    }));
    audio.push(&Attribute::parse("rtpmap", Some("101 telephone-event/8000")).unwrap());
    audio.set_direction(Direction::RecvOnly);
    audio.set_direction(Direction::SendRecv);
    d.media.push(audio);
    d.other.push(('u', "http://example.com/".to_owned()));
    assert_eq!(
        d.encode(),
        "v=0\r\no=- 42 42 IN IP4 192.0.2.1\r\ns=-\r\nu=http://example.com/\r\n\
c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
    );
    assert!(Sdp::parse(&d.encode()).is_ok());
}

#[test]
fn the_editor_changes_only_what_it_is_told() {
    let sdp = Sdp::parse(VOLTE_OFFER).unwrap();
    let mut e = SdpEditor::new(&sdp);
    e.set_port(0, 50000).unwrap();
    e.bump_version().unwrap();
    e.set_direction(Part::Media(0), Direction::Inactive);
    e.remove_attributes(Part::Media(0), "maxptime");
    e.add_attribute(Part::Media(0), &Attribute::RtcpMux);
    e.set_connection(
        Part::Session,
        &Connection::ip("2001:db8::99".parse().unwrap()),
    );
    let out = e.finish();
    let expected = VOLTE_OFFER
        .replace("o=- 1187 1 ", "o=- 1187 2 ")
        .replace("m=audio 49152 ", "m=audio 50000 ")
        .replace("c=IN IP6 2001:db8:0:1::10", "c=IN IP6 2001:db8::99")
        .replace("a=maxptime:240\r\n", "")
        .replace("a=sendrecv\r\n", "a=inactive\r\na=rtcp-mux\r\n");
    assert_eq!(out, expected);
    // A connection added where there was none goes before b=/t=, and to a
    // media description after its m= line.
    let text = "v=0\r\no=- 1 1 IN IP4 a.example\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\na=x\r\n";
    let sdp = Sdp::parse(text).unwrap();
    let mut e = SdpEditor::new(&sdp);
    e.set_connection(Part::Session, &Connection::ip("192.0.2.5".parse().unwrap()));
    e.set_connection(
        Part::Media(0),
        &Connection::ip("192.0.2.6".parse().unwrap()),
    );
    let out = e.finish();
    assert_eq!(
        out,
        "v=0\r\no=- 1 1 IN IP4 a.example\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n\
m=audio 1 RTP/AVP 0\r\nc=IN IP4 192.0.2.6\r\na=x\r\n"
    );
    assert!(Sdp::parse(&out).is_ok());
    // No change: the input, octet for octet (bare LF kept).
    let lf = "v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\n";
    assert_eq!(SdpEditor::new(&Sdp::parse(lf).unwrap()).finish(), lf);
}

#[test]
fn the_editor_keeps_rfc_order_and_line_ends() {
    // The last line has no line end; the media description has only its
    // m= line: a direction and a connection added to it come out as c=
    // then a=, each on its own line.
    let text = "v=0\r\no=- 1 1 IN IP4 a.example\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0";
    let sdp = Sdp::parse(text).unwrap();
    let mut e = SdpEditor::new(&sdp);
    e.set_direction(Part::Media(0), Direction::SendOnly);
    e.set_connection(
        Part::Media(0),
        &Connection::ip("192.0.2.6".parse().unwrap()),
    );
    // A part that does not exist is left alone.
    e.set_connection(
        Part::Media(3),
        &Connection::ip("192.0.2.7".parse().unwrap()),
    );
    let out = e.finish();
    assert_eq!(
        out,
        "v=0\r\no=- 1 1 IN IP4 a.example\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n\
c=IN IP4 192.0.2.6\r\na=sendonly\r\n"
    );
    assert!(Sdp::parse(&out).is_ok());
}
