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

use std::time::{Duration, Instant};

use imsip::Transport;

#[path = "shared/two_endpoints.rs"]
mod two_endpoints;
use two_endpoints::Bench;

fn main() {
    // `cargo bench` adds `--bench`; the loop takes `tcp|udp` and a count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let udp = args.first().map(String::as_str) == Some("udp");
    let n: u32 = args.get(1).map_or(300_000, |s| s.parse().expect("a count"));
    let mut bench = if udp {
        // As the criterion bench: 1 ms of virtual time per transaction,
        // ~37,000 live once warm.
        Bench::new(Transport::Udp, Duration::from_millis(1))
    } else {
        Bench::new(Transport::Tcp, Duration::from_micros(1))
    };
    let warm = if n < 100_000 { 1_000 } else { 40_000 };
    for _ in 0..warm {
        bench.transaction();
    }
    let start = Instant::now();
    for _ in 0..n {
        bench.transaction();
    }
    println!("{:?}/tx", start.elapsed() / n);
}
