//! Proxied non-INVITE transactions through the stateful proxy core on one
//! core (client, proxy and server endpoints in one process; parse and
//! encode included on every hop).
//!
//! `cargo bench --bench proxy`. Numbers in `docs/performance.md`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::Transport;

#[path = "shared/proxied.rs"]
mod proxied;
use proxied::Proxied;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("proxied_transaction");
    g.throughput(Throughput::Elements(1));
    let mut tcp = Proxied::new(Transport::Tcp, Duration::from_micros(1));
    g.bench_function("tcp", |b| b.iter(|| tcp.transaction()));
    // UDP: 1 ms of virtual time each, so ~32 000 server transactions per
    // endpoint wait out Timer J, as on a busy proxy.
    let mut udp = Proxied::new(Transport::Udp, Duration::from_millis(1));
    for _ in 0..40_000 {
        udp.transaction();
    }
    g.bench_function("udp_with_timers_live", |b| b.iter(|| udp.transaction()));
    // The stateless proxy in the middle (the endpoints at both ends still
    // keep their transactions).
    let mut stateless = Proxied::stateless(Transport::Udp, Duration::from_millis(1));
    for _ in 0..40_000 {
        stateless.transaction();
    }
    g.bench_function("stateless_udp", |b| b.iter(|| stateless.transaction()));
    g.finish();
    assert!(tcp.completed > 0 && udp.completed > 0 && stateless.completed > 0);
}

criterion_group! {
    name = benches_group;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(benches_group);
