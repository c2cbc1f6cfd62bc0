//! The per-message work of a UAS answering a request, side by side: the
//! datagram in, parsed, the server transaction key read (top Via branch and
//! sent-by, CSeq method), the 200 built from the request (RFC 3261 §8.2.6:
//! Via, From, To with a new tag, Call-ID, CSeq, Content-Length) and encoded
//! to the octets to send.
//!
//! This is the stateless half of a server transaction; none of the other
//! crates has a sans-IO transaction layer to drive without a runtime
//! (rsipstack's needs tokio and its own transport layer), so the full
//! two-endpoint transaction (`cargo bench --bench transaction` in the crate)
//! has no side-by-side.
//!
//! * `imsip_validated`: also runs the §8.2 / §16.3 validation an imsip
//!   endpoint runs on every request (the other crates have none), and the
//!   builder checks the response it wrote;
//! * `imsip`: the same without `validate()`;
//! * `rsipstack`: as rsipstack's own `make_response` does (its headers
//!   filtered to the five, Content-Length pushed), with the To tag added by
//!   its `with_tag`, taking the request's headers instead of cloning them;
//! * `rsip`: the same steps with rsip's types.
//!
//! Before measuring, every crate's answer is parsed back and checked.
//!
//! `cd benches/compare && cargo bench --bench uas`

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const OPTIONS: &[u8] = b"OPTIONS sip:bob@192.0.2.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKbench1\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@192.0.2.1>;tag=fa1\r\n\
To: <sip:bob@192.0.2.2>\r\n\
Call-ID: bench1@192.0.2.1\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n";

#[path = "../../../tests/common/mod.rs"]
mod common;

mod with_imsip {
    use super::*;
    use imsip::{Message, StatusCode};

    pub(crate) fn answer(data: &[u8], validate: bool) -> Bytes {
        // An endpoint copies the datagram out of the caller's buffer.
        let msg = Message::parse(Bytes::copy_from_slice(data)).expect("imsip: parse");
        let m = msg.as_ref();
        if validate {
            m.validate().expect("imsip: validate");
        }
        let via = m.via().expect("imsip: Via");
        black_box((via.branch(), &via.sent_by));
        black_box(m.cseq().expect("imsip: CSeq").method);
        m.response(StatusCode::OK)
            .expect("imsip: response")
            .to_tag("b1")
            .build()
            .expect("imsip: build")
            .bytes()
            .clone()
    }
}

mod with_rsipstack {
    use super::*;
    use rsipstack::sip::param::Tag;
    use rsipstack::sip::prelude::*;
    use rsipstack::sip::{Header, Response, SipMessage, StatusCode};

    pub(crate) fn answer(data: &[u8]) -> Vec<u8> {
        let SipMessage::Request(req) = SipMessage::try_from(data).expect("rsipstack: parse") else {
            panic!("rsipstack: not a request");
        };
        let via = req
            .via_header()
            .expect("rsipstack: Via")
            .typed()
            .expect("rsipstack: Via");
        black_box((via.branch().map(|b| b.value().len()), via.sent_by()));
        black_box(
            req.cseq_header()
                .expect("rsipstack: CSeq")
                .typed()
                .expect("rsipstack: CSeq")
                .method,
        );
        let version = req.version;
        let mut headers = req.headers;
        headers.retain(|h| {
            matches!(
                h,
                Header::Via(_)
                    | Header::CallId(_)
                    | Header::From(_)
                    | Header::To(_)
                    | Header::CSeq(_)
            )
        });
        for h in headers.iter_mut() {
            if let Header::To(to) = h {
                *to = to.with_tag(Tag::new("b1"));
            }
        }
        headers.push(Header::ContentLength(0u32.into()));
        Response {
            status_code: StatusCode::OK,
            wire_reason: None,
            version,
            headers,
            body: Vec::new(),
        }
        .to_bytes()
    }
}

mod with_rsip {
    use super::*;
    use rsip::param::Tag;
    use rsip::prelude::*;
    use rsip::{Header, Response, SipMessage, StatusCode};

    pub(crate) fn answer(data: &[u8]) -> Vec<u8> {
        let SipMessage::Request(req) = SipMessage::try_from(data).expect("rsip: parse") else {
            panic!("rsip: not a request");
        };
        let via = req
            .via_header()
            .expect("rsip: Via")
            .typed()
            .expect("rsip: Via");
        black_box((via.branch().map(|b| b.value().len()), via.sent_by()));
        black_box(
            req.cseq_header()
                .expect("rsip: CSeq")
                .typed()
                .expect("rsip: CSeq")
                .method,
        );
        let version = req.version.clone();
        let mut headers = req.headers;
        headers.retain(|h| {
            matches!(
                h,
                Header::Via(_)
                    | Header::CallId(_)
                    | Header::From(_)
                    | Header::To(_)
                    | Header::CSeq(_)
            )
        });
        for h in headers.iter_mut() {
            if let Header::To(to) = h {
                *to = to.clone().with_tag(Tag::new("b1")).expect("rsip: To");
            }
        }
        headers.push(Header::ContentLength(0u32.into()));
        Vec::from(Response {
            status_code: StatusCode::OK,
            version,
            headers,
            body: Vec::new(),
        })
    }
}

/// Every crate's answer parses, is a 200 with the request's Via, From,
/// Call-ID and CSeq, and the To tag `b1`.
fn check(name: &str, request: &[u8], answer: &[u8]) {
    let req = imsip::MessageRef::parse(request).unwrap();
    let resp = imsip::MessageRef::parse(answer)
        .unwrap_or_else(|e| panic!("{name}: the answer does not parse: {e}"));
    assert_eq!(resp.status(), Some(imsip::StatusCode::OK), "{name}");
    assert_eq!(resp.to_tag().unwrap(), Some("b1"), "{name}");
    assert_eq!(
        resp.via().unwrap().branch(),
        req.via().unwrap().branch(),
        "{name}"
    );
    assert_eq!(resp.from_tag().unwrap(), req.from_tag().unwrap(), "{name}");
    assert_eq!(resp.call_id().unwrap(), req.call_id().unwrap(), "{name}");
    assert_eq!(resp.cseq().unwrap(), req.cseq().unwrap(), "{name}");
    assert_eq!(resp.content_length(), Some(0), "{name}");
}

fn benches(c: &mut Criterion) {
    for (label, request) in [("options", OPTIONS), ("invite", common::INVITE)] {
        // The INVITE carries SDP; its 200 here has no body, as the steps
        // are the same for every crate.
        check("imsip", request, &with_imsip::answer(request, true));
        check("rsipstack", request, &with_rsipstack::answer(request));
        check("rsip", request, &with_rsip::answer(request));
        let mut g = c.benchmark_group(format!("uas_answer/{label}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("imsip_validated", |b| {
            b.iter(|| with_imsip::answer(black_box(request), true))
        });
        g.bench_function("imsip", |b| {
            b.iter(|| with_imsip::answer(black_box(request), false))
        });
        g.bench_function("rsipstack", |b| {
            b.iter(|| with_rsipstack::answer(black_box(request)))
        });
        g.bench_function("rsip", |b| b.iter(|| with_rsip::answer(black_box(request))));
        g.finish();
    }
}

criterion_group! {
    name = uas;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(uas);
