//! What the `*_loop` benchmark binaries share: their arguments
//! (`tcp|udp` and a count; `cargo bench` adds `--bench`) and the timed
//! loop after a warm-up.

use std::time::Instant;

use imsip::Transport;

/// The transport (`udp`, else TCP) and the count (the first number after
/// it; `default` when none) from the command line.
pub(crate) fn args(default: u32) -> (Transport, u32) {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let transport = if args.first().map(String::as_str) == Some("udp") {
        Transport::Udp
    } else {
        Transport::Tcp
    };
    let n = args
        .iter()
        .skip(1)
        .find_map(|s| s.parse().ok())
        .unwrap_or(default);
    (transport, n)
}

/// Runs `step` `warm` times, then `n` times timed, and prints the time of
/// one as `{:?}/{unit}`.
pub(crate) fn run(n: u32, warm: u32, unit: &str, mut step: impl FnMut()) {
    for _ in 0..warm {
        step();
    }
    let start = Instant::now();
    for _ in 0..n {
        step();
    }
    println!("{:?}/{unit}", start.elapsed() / n);
}
