//! Complete non-INVITE transactions through two endpoints on one core:
//! the client builds and sends an OPTIONS, the server parses, validates,
//! matches and hands it up, its user builds the 200 from the request, the
//! client parses and matches the response. Parse and encode included.
//!
//! `cargo bench --bench transaction`. Numbers in `docs/performance.md`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::Transport;

#[path = "shared/two_endpoints.rs"]
mod two_endpoints;
use two_endpoints::Bench;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("non_invite_transaction");
    g.throughput(Throughput::Elements(1));
    // TCP: Timers J and K are zero, both transactions end with the 200.
    let mut tcp = Bench::new(Transport::Tcp, Duration::from_micros(1));
    g.bench_function("tcp", |b| b.iter(|| tcp.transaction()));
    // UDP: 1 ms of virtual time per transaction, so about 32,000 server and
    // 5,000 client transactions are alive (Timers J and K), as on a busy
    // server.
    let mut udp = Bench::new(Transport::Udp, Duration::from_millis(1));
    for _ in 0..40_000 {
        udp.transaction();
    }
    g.bench_function("udp_with_37k_live", |b| b.iter(|| udp.transaction()));
    g.finish();
}

criterion_group! {
    name = benches_group;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(benches_group);
