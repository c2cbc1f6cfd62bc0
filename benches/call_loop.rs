//! The call of `benches/call.rs` in a plain loop: for instruction counts
//! under callgrind (`benches/callgrind.sh`) and paired wall-clock runs.
//!
//! ```sh
//! cargo bench --bench call_loop -- udp 100000   # or tcp; prints µs per call
//! ```

use std::time::{Duration, Instant};

use imsip::Transport;

#[path = "shared/two_uas.rs"]
mod two_uas;
use two_uas::Calls;

fn main() {
    // `cargo bench` adds `--bench`; the loop takes `tcp|udp` and a count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let transport = if args.first().map(String::as_str) == Some("udp") {
        Transport::Udp
    } else {
        Transport::Tcp
    };
    let n: u32 = args.get(1).map_or(100_000, |s| s.parse().expect("a count"));
    // As the criterion bench: 1 ms of virtual time per call.
    let mut calls = Calls::new(transport, Duration::from_millis(1));
    let warm = if n < 50_000 { 1_000 } else { 40_000 };
    for _ in 0..warm {
        calls.call();
    }
    let start = Instant::now();
    for _ in 0..n {
        calls.call();
    }
    assert!(calls.completed >= u64::from(n));
    println!("{:?}/call", start.elapsed() / n);
}
