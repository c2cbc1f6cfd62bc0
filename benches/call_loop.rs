//! The call of `benches/call.rs` in a plain loop: for instruction counts
//! under callgrind (`benches/callgrind.sh`) and paired wall-clock runs.
//!
//! ```sh
//! cargo bench --bench call_loop -- udp 100000   # or tcp; prints µs per call
//! ```

use std::time::Duration;

#[path = "shared/looped.rs"]
mod looped;
#[path = "shared/two_uas.rs"]
mod two_uas;
use two_uas::Calls;

fn main() {
    let (transport, n) = looped::args(100_000);
    // As the criterion bench: 1 ms of virtual time per call.
    let mut calls = Calls::new(transport, Duration::from_millis(1));
    let warm = if n < 50_000 { 1_000 } else { 40_000 };
    looped::run(n, warm, "call", || calls.call());
    assert!(calls.completed >= u64::from(n));
}
