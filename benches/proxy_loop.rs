//! The proxied transaction of `benches/proxy.rs` in a plain loop: for
//! instruction counts under callgrind (`benches/callgrind.sh`), which are
//! repeatable where this machine's wall-clock is not.
//!
//! ```sh
//! cargo bench --bench proxy_loop -- tcp 300000   # or udp; prints µs per transaction
//! cargo bench --bench proxy_loop -- udp 300000 stateless   # the stateless proxy
//! ```

use std::time::Duration;

use imsip::Transport;

#[path = "shared/looped.rs"]
mod looped;
#[path = "shared/proxied.rs"]
mod proxied;
use proxied::Proxied;

fn main() {
    let (transport, n) = looped::args(300_000);
    // As the criterion bench: 1 ms of virtual time per transaction over
    // UDP, so Timer J keeps tens of thousands alive.
    let stateless = std::env::args().any(|a| a == "stateless");
    let mut bench = match transport {
        Transport::Udp if stateless => Proxied::stateless(transport, Duration::from_millis(1)),
        Transport::Udp => Proxied::new(transport, Duration::from_millis(1)),
        _ => Proxied::new(transport, Duration::from_micros(1)),
    };
    let warm = if n < 100_000 { 1_000 } else { 40_000 };
    looped::run(n, warm, "tx", || bench.transaction());
    assert!(bench.completed > 0);
}
