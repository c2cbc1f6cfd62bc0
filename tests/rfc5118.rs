//! RFC 5118, the SIP IPv6 torture test messages.
//!
//! `tests/data/rfc5118/*.sip` are the messages with CRLF line ends (the `wire`
//! copies); `archive/` holds the archive bytes with bare LF line ends, which
//! parse only when [`ParseConfig::allow_bare_lf`] is set. Three archive
//! Content-Length values do not match their bodies; those messages are
//! checked for what RFC 3261 §18.3 makes of them.

mod common;

use std::net::Ipv6Addr;

use common::{data, verdicts};
use imsip::header::{Contact, HeaderErrorKind, Via};
use imsip::uri::{Host, Uri, UriErrorKind};
use imsip::{MessageRef, ParseConfig, ParseErrorKind, ValidationError};

fn file(name: &str) -> Vec<u8> {
    data(&format!("rfc5118/{name}.sip"))
}

fn v6(s: &str) -> Host<'static> {
    Host::Ipv6(s.parse::<Ipv6Addr>().unwrap())
}

fn ruri_host(m: &MessageRef<'_>) -> (Host<'static>, Option<u16>) {
    let uri = m.request_uri().unwrap().unwrap();
    let sip = uri.as_sip().unwrap();
    (sip.host().clone().into_owned(), sip.port())
}

fn with<T>(name: &str, f: impl FnOnce(MessageRef<'_>) -> T) -> T {
    let bytes = file(name);
    f(MessageRef::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

#[test]
fn every_verdict_holds_on_the_wire_copies() {
    let rows = verdicts("rfc5118/VERDICTS.tsv");
    assert_eq!(rows.len(), 12);
    for (name, verdict) in rows {
        let bytes = file(&name);
        // ipv6-in-sdp's Content-Length is larger than its body: read the
        // header section, which is what the test is about.
        let m = if name == "ipv6-in-sdp" {
            MessageRef::parse_head(&bytes, &ParseConfig::default()).unwrap()
        } else {
            MessageRef::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        match verdict.as_str() {
            "valid" => m.validate().unwrap_or_else(|e| panic!("{name}: {e}")),
            "invalid" => assert!(m.validate().is_err(), "{name}"),
            other => panic!("unknown verdict {other}"),
        }
    }
}

#[test]
fn archive_bytes_with_bare_lf() {
    let mut lenient = ParseConfig::default();
    lenient.allow_bare_lf = true;
    for (name, verdict) in verdicts("rfc5118/VERDICTS.tsv") {
        let bytes = data(&format!("rfc5118/archive/{name}.sip"));
        // Strict by default: RFC 3261 requires CRLF.
        assert_eq!(
            MessageRef::parse(&bytes).map(|_| ()).unwrap_err().kind(),
            ParseErrorKind::BareLineFeed,
            "{name}"
        );
        let m = MessageRef::parse_head(&bytes, &lenient).unwrap();
        assert_eq!(m.validate().is_ok(), verdict == "valid", "{name}");
    }
}

#[test]
fn ipv6_good() {
    with("ipv6-good", |m| {
        m.validate().unwrap();
        assert_eq!(ruri_host(&m), (v6("2001:db8::10"), None));
        assert_eq!(m.via().unwrap().sent_by.host, v6("2001:db8::9:1"));
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(c.name_addr.uri.as_sip().unwrap().host(), &v6("2001:db8::1"));
    });
}

#[test]
fn ipv6_bad_without_brackets() {
    with("ipv6-bad", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        let ValidationError::InvalidRequestUri(u) = e else {
            panic!("{e:?}")
        };
        assert_eq!(u.kind(), UriErrorKind::Host);
    });
}

#[test]
fn port_ambiguous() {
    with("port-ambiguous", |m| {
        m.validate().unwrap();
        // 5070 is part of the address, not a port.
        assert_eq!(ruri_host(&m), (v6("2001:db8::10:5070"), None));
    });
}

#[test]
fn port_unambiguous() {
    with("port-unambiguous", |m| {
        m.validate().unwrap();
        assert_eq!(ruri_host(&m), (v6("2001:db8::10"), Some(5070)));
    });
}

#[test]
fn via_received_with_and_without_delimiters() {
    for name in [
        "via-received-param-with-delim",
        "via-received-param-no-delim",
    ] {
        with(name, |m| {
            m.validate().unwrap();
            let via = m.via().unwrap();
            assert_eq!(
                via.received(),
                Some("2001:db8::9:255".parse().unwrap()),
                "{name}"
            );
        });
    }
}

#[test]
fn ipv6_in_sdp_content_length_mismatch() {
    let bytes = file("ipv6-in-sdp");
    // Content-Length 268 with fewer octets in the datagram: §18.3 says 400.
    let e = MessageRef::parse(&bytes).map(|_| ()).unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::BodyTruncated);
    let m = MessageRef::parse_head(&bytes, &ParseConfig::default()).unwrap();
    assert_eq!(ruri_host(&m), (v6("2001:db8::10"), None));
    assert!(m.body().windows(21).any(|w| w == b"c=IN IP6 2001:db8::20"));
}

#[test]
fn mult_ip_in_header() {
    with("mult-ip-in-header", |m| {
        m.validate().unwrap();
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(Result::unwrap).collect();
        assert_eq!(vias[0].sent_by.host, v6("2001:db8::9:1"));
        assert_eq!(vias[0].sent_by.port, Some(6050));
        assert_eq!(vias[1].sent_by.host, Host::Ipv4([192, 0, 2, 1].into()));
        assert_eq!(vias[2].sent_by.host, v6("2001:db8::9:255"));
        assert_eq!(vias[2].received(), Some([192, 0, 2, 200].into()));
    });
}

#[test]
fn mult_ip_in_sdp() {
    with("mult-ip-in-sdp", |m| {
        m.validate().unwrap();
        assert_eq!(m.body().len(), 181);
    });
}

#[test]
fn ipv4_mapped_ipv6() {
    with("ipv4-mapped-ipv6", |m| {
        m.validate().unwrap();
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(Result::unwrap).collect();
        assert_eq!(vias[0].sent_by.host, v6("::ffff:192.0.2.10"));
        assert_eq!(vias[0].sent_by.port, Some(19823));
        // Content-Length counts the LF body; the CRLF copy has 9 more octets,
        // which §18.3 discards.
        assert_eq!(m.body().len(), 236);
    });
}

#[test]
fn ipv6_reference_abnf_bug_three_colons_tolerated() {
    with("ipv6-bug-abnf-3-colons", |m| {
        m.validate().unwrap();
        assert_eq!(ruri_host(&m), (v6("2001:db8::192.0.2.1"), None));
        // A proxy may write it back with the correct two colons.
        let to = m.to().unwrap();
        assert_eq!(to.uri().to_string(), "sip:user@[2001:db8::c000:201]");
        assert!(
            to.uri()
                .equivalent(&Uri::parse("sip:user@[2001:db8::192.0.2.1]").unwrap())
        );
    });
}

#[test]
fn ipv6_reference_correct_two_colons() {
    with("ipv6-correct-abnf-2-colons", |m| {
        m.validate().unwrap();
        assert_eq!(ruri_host(&m), (v6("2001:db8::192.0.2.1"), None));
    });
}

#[test]
fn a_bad_ipv6_reference_in_a_header_is_a_uri_error() {
    let msg = b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1\r\nTo: <sip:a@[::1>\r\n\r\n";
    let m = MessageRef::parse(msg).unwrap();
    assert_eq!(m.via().unwrap_err().kind(), HeaderErrorKind::Host);
    assert_eq!(
        m.to().unwrap_err().kind(),
        HeaderErrorKind::Uri(UriErrorKind::Ipv6)
    );
}
