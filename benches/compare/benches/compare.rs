//! imsip side by side with rsipstack, rsip and ezk-sip-types, in one run.
//!
//! For each test message and each crate:
//!
//! * `parse/<message>/<crate>`: bytes to the crate's message type;
//! * `parse_and_key/<message>/<crate>`: parse, then read the transaction key
//!   fields (top Via branch and sent-by, CSeq number and method, Call-ID,
//!   From tag, To tag) through the crate's own typed header API.
//!
//! Before measuring, every crate's key path runs once and its values are
//! checked, so each crate is known to really parse both messages.
//!
//! `parse/<message>/httparse-http-head-reference` is not a SIP parser: it is
//! httparse, hyper's SIMD HTTP/1 parser, splitting the same header lines
//! under an HTTP/1.1 request line (no body), as a yardstick of what a header
//! section of this size costs on the machine (see `with_httparse`).
//!
//! `cd benches/compare && cargo bench --bench compare`

use std::fmt::Display;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};

#[path = "../../../tests/common/mod.rs"]
mod common;

/// The transaction key fields, borrowed from whatever a crate hands back.
///
/// The host and the method are only `Display`: the benchmarks never format
/// them (that would allocate), they pass them to `black_box`; the check
/// before measuring formats them.
struct KeyView<'k> {
    branch: &'k str,
    host: &'k dyn Display,
    port: Option<u16>,
    seq: u32,
    method: &'k dyn Display,
    call_id: &'k str,
    from_tag: &'k str,
    to_tag: Option<&'k str>,
}

/// What the benchmarks return: derived from every field, through
/// `black_box`, so no field read can be optimised away.
fn digest(k: &KeyView<'_>) -> usize {
    let k = black_box(k);
    black_box(k.host);
    black_box(k.method);
    k.branch.len()
        + usize::from(k.port.unwrap_or(5060))
        + k.seq as usize
        + k.call_id.len()
        + k.from_tag.len()
        + k.to_tag.map_or(0, str::len)
}

// ==== imsip ====

mod with_imsip {
    use super::KeyView;
    use imsip::MessageRef;

    pub(crate) fn parse(data: &[u8]) -> MessageRef<'_> {
        MessageRef::parse(data).expect("imsip: parse")
    }

    pub(crate) fn key<R>(data: &[u8], f: impl FnOnce(&KeyView<'_>) -> R) -> Option<R> {
        let msg = MessageRef::parse(data).ok()?;
        let via = msg.via().ok()?;
        let cseq = msg.cseq().ok()?;
        let call_id = msg.call_id().ok()?;
        // The tags without parsing the From and To URIs, as imsip's
        // transaction layer reads them.
        let from_tag = msg.from_tag().ok()?;
        let to_tag = msg.to_tag().ok()?;
        Some(f(&KeyView {
            branch: via.branch()?,
            host: &via.sent_by.host,
            port: via.sent_by.port,
            seq: cseq.seq,
            method: &cseq.method,
            call_id: call_id.as_str(),
            from_tag: from_tag?,
            to_tag,
        }))
    }
}

// ==== rsipstack ====

mod with_rsipstack {
    use super::KeyView;
    use rsipstack::sip::SipMessage;
    use rsipstack::sip::prelude::*;

    pub(crate) fn parse(data: &[u8]) -> SipMessage {
        SipMessage::try_from(data).expect("rsipstack: parse")
    }

    pub(crate) fn key<R>(data: &[u8], f: impl FnOnce(&KeyView<'_>) -> R) -> Option<R> {
        let msg = SipMessage::try_from(data).ok()?;
        // As rsipstack's own TransactionKey::from_request does: the first
        // value of the first Via, then its typed form. `top_via_header`
        // already returns an owned Via, so `into_typed` saves a clone.
        let via = msg.top_via_header().ok()?.into_typed().ok()?;
        // One typed parse for both CSeq fields (`seq()` and `method()` would
        // each clone and parse the value again).
        let cseq = msg.cseq_header().ok()?.typed().ok()?;
        let call_id = msg.call_id_header().ok()?;
        let from = msg.from_header().ok()?.typed().ok()?;
        let to = msg.to_header().ok()?.typed().ok()?;
        let sent_by = via.sent_by();
        Some(f(&KeyView {
            branch: via.branch()?.value(),
            host: &sent_by.host,
            port: sent_by.port.as_ref().map(|p| p.value()),
            seq: cseq.seq,
            method: &cseq.method,
            call_id: call_id.value(),
            from_tag: from.tag()?.value(),
            to_tag: to.tag().map(|t| t.value()),
        }))
    }
}

// ==== rsip ====

mod with_rsip {
    use super::KeyView;
    use rsip::SipMessage;
    use rsip::prelude::*;

    pub(crate) fn parse(data: &[u8]) -> SipMessage {
        SipMessage::try_from(data).expect("rsip: parse")
    }

    pub(crate) fn key<R>(data: &[u8], f: impl FnOnce(&KeyView<'_>) -> R) -> Option<R> {
        let msg = SipMessage::try_from(data).ok()?;
        // rsip keeps header values as strings; `typed()` clones the value
        // and parses it.
        let via = msg.via_header().ok()?.typed().ok()?;
        let cseq = msg.cseq_header().ok()?.typed().ok()?;
        let call_id = msg.call_id_header().ok()?;
        let from = msg.from_header().ok()?.typed().ok()?;
        let to = msg.to_header().ok()?.typed().ok()?;
        let sent_by = &via.sent_by().host_with_port;
        Some(f(&KeyView {
            branch: via.branch()?.value(),
            host: &sent_by.host,
            port: sent_by.port.as_ref().map(|p| *p.value()),
            seq: cseq.seq,
            method: &cseq.method,
            call_id: call_id.value(),
            from_tag: from.tag()?.value(),
            to_tag: to.tag().map(|t| t.value()),
        }))
    }
}

// ==== ezk-sip-types ====

mod with_ezk {
    use super::KeyView;
    use bytes::Bytes;
    use ezk_sip_types::Headers;
    use ezk_sip_types::Name;
    use ezk_sip_types::header::typed::{CSeq, CallID, ContentLength, FromTo, Via};
    use ezk_sip_types::msg::{Line, MessageLine, PullParser};
    use ezk_sip_types::parse::Parse;

    /// ezk-sip-types has no message type of its own: this is what
    /// ezk-sip-core's transport hands on for a received datagram
    /// (`CompleteItem::Sip` in `sip-core/src/transport/parse.rs`).
    #[allow(dead_code)]
    pub(crate) struct Message {
        pub(crate) line: MessageLine,
        pub(crate) headers: Headers,
        pub(crate) body: Bytes,
        pub(crate) buffer: Bytes,
    }

    /// ezk-sip-core's `parse_complete_sip`, reproduced with the
    /// ezk-sip-types 0.6 API (logging left out): copy the datagram into
    /// `Bytes`, split it into lines with `PullParser`, parse the start line
    /// as a `MessageLine` and every header line with `Line`, insert each into
    /// `Headers`, then slice the body by Content-Length.
    pub(crate) fn parse(data: &[u8]) -> Option<Message> {
        let buffer = Bytes::copy_from_slice(data);
        let mut parser = PullParser::new(&buffer, 0);
        let mut message_line = None;
        let mut headers = Headers::new();

        for item in &mut parser {
            let line = std::str::from_utf8(item.ok()?).ok()?;
            if message_line.is_none() {
                let (_, line) = MessageLine::parse(&buffer)(line).ok()?;
                message_line = Some(line);
            } else {
                let (_, line) = Line::parse(&buffer, line).ok()?;
                headers.insert(line.name, line.value);
            }
        }

        let head_end = parser.head_end();
        let body = match headers.get_named::<ContentLength>() {
            Ok(len) if len.0 == 0 => Bytes::new(),
            Ok(len) if buffer.len() >= head_end + len.0 => buffer.slice(head_end..head_end + len.0),
            Ok(_) => return None,
            Err(_) if head_end == buffer.len() => Bytes::new(),
            Err(_) => buffer.slice(head_end..),
        };

        Some(Message {
            line: message_line?,
            headers,
            body,
            buffer,
        })
    }

    pub(crate) fn key<R>(data: &[u8], f: impl FnOnce(&KeyView<'_>) -> R) -> Option<R> {
        let msg = parse(data)?;
        let h = &msg.headers;
        // Typed headers are decoded from `Headers` on demand, as
        // ezk-sip-core's `BaseHeaders::extract_from` does (it decodes every
        // Via into a Vec; only the top one is needed here).
        let via = h.get_named::<Via>().ok()?;
        let cseq = h.get_named::<CSeq>().ok()?;
        let call_id = h.get_named::<CallID>().ok()?;
        let from = h.get::<FromTo>(Name::FROM).ok()?;
        let to = h.get::<FromTo>(Name::TO).ok()?;
        Some(f(&KeyView {
            branch: via.params.get_val("branch")?,
            host: &via.sent_by.host,
            port: via.sent_by.port,
            seq: cseq.cseq,
            method: &cseq.method,
            call_id: &call_id.0,
            from_tag: from.tag.as_deref()?,
            to_tag: to.tag.as_deref(),
        }))
    }
}

// ==== httparse, a reference from HTTP ====

/// httparse, the HTTP/1.x parser of hyper: SIMD (SSE4.2 / AVX2) scanning
/// behind `unsafe`, the usual yardstick of a fast Rust text-protocol parser.
/// It is not a SIP parser: it gets the same header lines under an HTTP/1.1
/// request line, without the body, and only splits them into name/value
/// slices (no compact forms, no Content-Length, no typed lookup). It is
/// here to show what a header section of this size costs on this machine
/// at the state of the art.
mod with_httparse {
    /// The message's header section under `<METHOD> /<user> HTTP/1.1`.
    pub(crate) fn http_head(sip: &[u8]) -> &'static [u8] {
        let line_end = sip.windows(2).position(|w| w == b"\r\n").unwrap();
        let head_end = super::head_len(sip);
        let method_end = sip.iter().position(|&b| b == b' ').unwrap();
        let mut out = Vec::with_capacity(head_end + 16);
        out.extend_from_slice(&sip[..method_end]);
        out.extend_from_slice(b" /sip HTTP/1.1");
        out.extend_from_slice(&sip[line_end..head_end]);
        Vec::leak(out)
    }

    pub(crate) fn parse(data: &[u8]) -> usize {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(data) {
            Ok(httparse::Status::Complete(n)) => n + req.headers.len(),
            other => panic!("httparse: {other:?}"),
        }
    }
}

// ==== check, then measure ====

/// The key fields as owned strings, for the check.
#[derive(Debug, PartialEq)]
struct Owned {
    branch: String,
    host: String,
    port: Option<u16>,
    seq: u32,
    method: String,
    call_id: String,
    from_tag: String,
    to_tag: Option<String>,
}

fn owned(k: &KeyView<'_>) -> Owned {
    Owned {
        branch: k.branch.to_owned(),
        host: k.host.to_string(),
        port: k.port,
        seq: k.seq,
        method: k.method.to_string(),
        call_id: k.call_id.to_owned(),
        from_tag: k.from_tag.to_owned(),
        to_tag: k.to_tag.map(str::to_owned),
    }
}

type KeyFn = fn(&[u8], fn(&KeyView<'_>) -> Owned) -> Option<Owned>;

const CRATES: [(&str, KeyFn); 4] = [
    ("imsip", with_imsip::key),
    ("rsipstack", with_rsipstack::key),
    ("rsip", with_rsip::key),
    ("ezk-sip-types", with_ezk::key),
];

struct Case {
    name: &'static str,
    data: &'static [u8],
    branch: &'static str,
    /// Accepted spellings: a crate may print an IPv6 host with or without
    /// the brackets of the IPv6 reference.
    hosts: &'static [&'static str],
    port: u16,
    seq: u32,
    method: &'static str,
    call_id: &'static str,
    from_tag: &'static str,
}

const CASES: [Case; 2] = [
    Case {
        name: "invite",
        data: common::INVITE,
        branch: "z9hG4bK74bf9",
        hosts: &["client.atlanta.example.com"],
        port: 5060,
        seq: 1,
        method: "INVITE",
        call_id: "3848276298220188511@atlanta.example.com",
        from_tag: "9fxced76sl",
    },
    Case {
        name: "ims_register",
        data: common::IMS_REGISTER,
        branch: "z9hG4bKnashds7",
        hosts: &["2001:db8:0:1::1", "[2001:db8:0:1::1]"],
        port: 5060,
        seq: 2,
        method: "REGISTER",
        call_id: "apb03a0s09dkjdfglkj49111",
        from_tag: "4fa3",
    },
];

/// Key paths that cannot work, as (crate, message, why). The check requires
/// them to fail (so a fixed crate is noticed) and they are not measured.
const KEY_UNSUPPORTED: &[(&str, &str, &str)] = &[(
    "rsip",
    "ims_register",
    "rsip 0.4 cannot parse an IPv6 reference as the Via sent-by \
     ([2001:db8:0:1::1]:5060): its typed Via returns ParseError(\"invalid digit found in string\")",
)];

fn key_unsupported(krate: &str, case: &str) -> Option<&'static str> {
    KEY_UNSUPPORTED
        .iter()
        .find(|(k, c, _)| *k == krate && *c == case)
        .map(|(_, _, why)| *why)
}

/// Runs every crate's key path once per message and checks the values.
/// Panics on any mismatch: a benchmark of a parser that gets the message
/// wrong would be meaningless.
fn check() {
    for case in &CASES {
        for (krate, key) in CRATES {
            let got = key(case.data, owned);
            if let Some(why) = key_unsupported(krate, case.name) {
                assert!(
                    got.is_none(),
                    "{krate} now reads the key of {}: {got:?}",
                    case.name
                );
                eprintln!(
                    "check: not measured: parse_and_key/{}/{krate}: {why}",
                    case.name
                );
                continue;
            }
            let got = got.unwrap_or_else(|| panic!("{krate} cannot read the key of {}", case.name));
            let what = format!("{krate} on {}: {got:?}", case.name);
            assert_eq!(got.branch, case.branch, "{what}");
            assert!(case.hosts.contains(&got.host.as_str()), "{what}");
            assert_eq!(got.port, Some(case.port), "{what}");
            assert_eq!(got.seq, case.seq, "{what}");
            assert!(got.method.eq_ignore_ascii_case(case.method), "{what}");
            assert_eq!(got.call_id, case.call_id, "{what}");
            assert_eq!(got.from_tag, case.from_tag, "{what}");
            assert_eq!(got.to_tag, None, "{what}");
        }
        // The parse-only paths as well (ezk's is the key path's first half).
        assert_eq!(
            with_imsip::parse(case.data).header_count(),
            header_lines(case.data)
        );
        let _ = with_rsipstack::parse(case.data);
        let _ = with_rsip::parse(case.data);
        let ezk = with_ezk::parse(case.data).expect("ezk-sip-types: parse");
        assert_eq!(ezk.body.len(), body_len(case.data), "ezk-sip-types body");
        let http = with_httparse::http_head(case.data);
        assert_eq!(
            with_httparse::parse(http),
            http.len() + header_lines(case.data),
            "httparse"
        );
    }
    eprintln!("check: every measured path reads the expected values");
}

fn head_len(data: &[u8]) -> usize {
    data.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4
}

fn header_lines(data: &[u8]) -> usize {
    data[..head_len(data)]
        .windows(2)
        .filter(|w| w == b"\r\n")
        .count()
        - 2
}

fn body_len(data: &[u8]) -> usize {
    data.len() - head_len(data)
}

fn benches(c: &mut Criterion) {
    check();

    for case in &CASES {
        let data = case.data;

        let mut g = c.benchmark_group(format!("parse/{}", case.name));
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function("imsip", |b| b.iter(|| with_imsip::parse(black_box(data))));
        g.bench_function("rsipstack", |b| {
            b.iter(|| with_rsipstack::parse(black_box(data)))
        });
        g.bench_function("rsip", |b| b.iter(|| with_rsip::parse(black_box(data))));
        g.bench_function("ezk-sip-types", |b| {
            b.iter(|| with_ezk::parse(black_box(data)).expect("ezk-sip-types: parse"))
        });
        let http = with_httparse::http_head(data);
        g.bench_function("httparse-http-head-reference", |b| {
            b.iter(|| with_httparse::parse(black_box(http)))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("parse_and_key/{}", case.name));
        g.throughput(Throughput::Bytes(data.len() as u64));
        // Direct calls (no fn pointers), so each crate's path and `digest`
        // are monomorphised and inlined alike.
        macro_rules! bench_key {
            ($krate:literal, $key:path) => {
                if key_unsupported($krate, case.name).is_none() {
                    g.bench_function($krate, |b| {
                        b.iter(|| $key(black_box(data), digest).unwrap())
                    });
                }
            };
        }
        bench_key!("imsip", with_imsip::key);
        bench_key!("rsipstack", with_rsipstack::key);
        bench_key!("rsip", with_rsip::key);
        bench_key!("ezk-sip-types", with_ezk::key);
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

/// Medians of many short rounds in which the crates take turns, so that
/// the machine's slow drifts in speed hit every crate alike: the ratios
/// printed here are steadier than those of separate criterion groups.
fn interleaved() {
    const ROUNDS: usize = 301;
    const BATCH: u32 = 400;
    type Path = fn(&'static [u8]) -> usize;
    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }
    println!("\ninterleaved medians ({ROUNDS} rounds of {BATCH} calls, crates taking turns):");
    for case in &CASES {
        let parse: [(&str, Path); 5] = [
            ("imsip", |d| with_imsip::parse(d).header_count()),
            ("rsipstack", |d| {
                std::mem::size_of_val(&with_rsipstack::parse(d))
            }),
            ("rsip", |d| std::mem::size_of_val(&with_rsip::parse(d))),
            ("ezk-sip-types", |d| {
                with_ezk::parse(d).map_or(0, |m| m.body.len())
            }),
            // Gets the HTTP form of the header section (see `with_httparse`).
            ("httparse (HTTP head, reference)", with_httparse::parse),
        ];
        let key: [(&str, Path); 4] = [
            ("imsip", |d| with_imsip::key(d, digest).unwrap_or(0)),
            ("rsipstack", |d| with_rsipstack::key(d, digest).unwrap_or(0)),
            ("rsip", |d| with_rsip::key(d, digest).unwrap_or(0)),
            ("ezk-sip-types", |d| with_ezk::key(d, digest).unwrap_or(0)),
        ];
        let http = with_httparse::http_head(case.data);
        let input = |k: &str| {
            if k.starts_with("httparse") {
                http
            } else {
                case.data
            }
        };
        for (what, paths) in [("parse", &parse[..]), ("parse_and_key", &key[..])] {
            let paths: Vec<_> = paths
                .iter()
                .filter(|(k, _)| what == "parse" || key_unsupported(k, case.name).is_none())
                .map(|&(k, f)| (k, f, input(k)))
                .collect();
            let mut times = vec![Vec::with_capacity(ROUNDS); paths.len()];
            for round in 0..ROUNDS {
                for i in 0..paths.len() {
                    let i = (i + round) % paths.len();
                    let (_, f, data) = paths[i];
                    let start = std::time::Instant::now();
                    for _ in 0..BATCH {
                        black_box(f(black_box(data)));
                    }
                    times[i].push(start.elapsed().as_nanos() as f64 / f64::from(BATCH));
                }
            }
            let ratios: Vec<f64> = (0..ROUNDS).map(|r| times[1][r] / times[0][r]).collect();
            let line: Vec<String> = paths
                .iter()
                .zip(&times)
                .map(|((k, _, _), t)| format!("{k} {:.0} ns", median(t.clone())))
                .collect();
            println!(
                "{what}/{}: {}; rsipstack/imsip {:.1}x",
                case.name,
                line.join(", "),
                median(ratios)
            );
        }
    }
}

criterion_group! {
    name = compare;
    config = config();
    targets = benches
}

fn main() {
    compare();
    interleaved();
    Criterion::default().configure_from_args().final_summary();
}
