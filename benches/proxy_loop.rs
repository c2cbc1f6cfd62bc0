//! The proxied transaction of `benches/proxy.rs` in a plain loop: for
//! instruction counts under callgrind (`benches/callgrind.sh`), which are
//! repeatable where this machine's wall-clock is not.
//!
//! ```sh
//! cargo bench --bench proxy_loop -- tcp 300000   # or udp; prints µs per transaction
//! ```

use std::time::{Duration, Instant};

use imsip::Transport;

#[path = "shared/proxied.rs"]
mod proxied;
use proxied::Proxied;

fn main() {
    // `cargo bench` adds `--bench`; the loop takes `tcp|udp` and a count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let udp = args.first().map(String::as_str) == Some("udp");
    let n: u32 = args.get(1).map_or(300_000, |s| s.parse().expect("a count"));
    let mut bench = if udp {
        // As the criterion bench: 1 ms of virtual time per transaction.
        Proxied::new(Transport::Udp, Duration::from_millis(1))
    } else {
        Proxied::new(Transport::Tcp, Duration::from_micros(1))
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
    assert!(bench.completed > 0);
}
