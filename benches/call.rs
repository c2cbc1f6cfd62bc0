//! Complete calls through two user agents on one core: INVITE (with an SDP
//! offer), 180, 200 (with the answer), ACK, BYE, 200, both sides, every
//! message built, encoded, parsed, validated and matched.
//!
//! `cargo bench --bench call`. Numbers in `docs/performance.md`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::Transport;

#[path = "shared/two_uas.rs"]
mod two_uas;
use two_uas::Calls;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("call");
    g.throughput(Throughput::Elements(1));
    // TCP: the BYE transactions end with their 200; the INVITE ones wait
    // in Accepted for Timers L and M (64·T1, RFC 6026) on any transport:
    // at 1 ms of virtual time per call, about 32,000 of them per side.
    let mut tcp = Calls::new(Transport::Tcp, Duration::from_millis(1));
    for _ in 0..40_000 {
        tcp.call();
    }
    g.bench_function("tcp", |b| b.iter(|| tcp.call()));
    // UDP: the BYE server transactions also wait out Timer J (64·T1): about
    // 64,000 transactions alive on the callee.
    let mut udp = Calls::new(Transport::Udp, Duration::from_millis(1));
    for _ in 0..40_000 {
        udp.call();
    }
    g.bench_function("udp_with_timers_live", |b| b.iter(|| udp.call()));
    g.finish();
    assert!(tcp.completed > 0 && udp.completed > 0);
}

criterion_group! {
    name = benches_group;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(benches_group);
