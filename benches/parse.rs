//! Parser benchmarks: parse, parse + transaction key, validation, framing.
//!
//! `cargo bench --bench parse`. The side-by-side comparison with other Rust
//! SIP crates lives in `benches/compare` (a separate package, so its
//! dependencies stay out of `cargo test`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::header::{TypedHeader, Via};
use imsip::uri::Uri;
use imsip::{FlowSide, Message, ParseConfig, frame};

#[path = "../tests/common/mod.rs"]
mod common;

#[path = "shared/parse_work.rs"]
mod parse_work;

fn benches(c: &mut Criterion) {
    let messages = [
        ("invite", common::INVITE),
        ("ims_register", common::IMS_REGISTER),
    ];
    let mut g = c.benchmark_group("parse");
    for (name, data) in messages {
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(name, |b| b.iter(|| parse_work::parse(black_box(data))));
    }
    g.finish();

    let mut g = c.benchmark_group("parse_and_key");
    for (name, data) in messages {
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| parse_work::transaction_key(black_box(data)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("parse_and_validate");
    for (name, data) in messages {
        g.bench_function(name, |b| b.iter(|| parse_work::validate(black_box(data))));
    }
    g.finish();

    let mut g = c.benchmark_group("other");
    let bytes = bytes::Bytes::from_static(common::INVITE);
    g.bench_function("message_parse_bytes_invite", |b| {
        b.iter(|| Message::parse(black_box(bytes.clone())).unwrap().len())
    });
    let config = ParseConfig::default();
    g.bench_function("frame_invite", |b| {
        b.iter(|| frame(black_box(common::INVITE), FlowSide::Server, &config).unwrap())
    });
    g.bench_function("uri_sip", |b| {
        b.iter(|| {
            Uri::parse(black_box(
                "sip:alice@client.atlanta.example.com:5060;transport=udp",
            ))
            .unwrap()
        })
    });
    g.bench_function("via", |b| {
        b.iter(|| {
            Via::parse(black_box(
                "SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport",
            ))
            .unwrap()
        })
    });
    g.finish();
}

criterion_group! {
    name = parse;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = benches
}
criterion_main!(parse);
