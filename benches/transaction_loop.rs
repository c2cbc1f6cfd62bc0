//! The transaction of `benches/transaction.rs` in a plain loop: for
//! instruction counts under callgrind, which are repeatable where this
//! machine's wall-clock is not, and for paired wall-clock runs of two
//! builds alternating round by round.
//!
//! ```sh
//! cargo bench --bench transaction_loop -- tcp 300000   # or udp; prints µs per transaction
//! ```
//!
//! Instructions per transaction: run the built binary (the path `cargo
//! bench --bench transaction_loop --no-run` prints) under `valgrind
//! --tool=callgrind` with 10000 and with 20000 transactions and divide the
//! difference by 10000 (start-up and warm-up cancel out).

use std::time::Duration;

use imsip::Transport;

#[path = "shared/looped.rs"]
mod looped;
#[path = "shared/two_endpoints.rs"]
mod two_endpoints;
use two_endpoints::Bench;

fn main() {
    let (transport, n) = looped::args(300_000);
    let mut bench = match transport {
        // As the criterion bench: 1 ms of virtual time per transaction,
        // ~37,000 live once warm.
        Transport::Udp => Bench::new(transport, Duration::from_millis(1)),
        _ => Bench::new(transport, Duration::from_micros(1)),
    };
    let warm = if n < 100_000 { 1_000 } else { 40_000 };
    looped::run(n, warm, "tx", || bench.transaction());
}
