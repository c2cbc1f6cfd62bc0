//! The parse benchmarks of `benches/parse.rs` in a plain loop, for
//! instruction counts under callgrind (repeatable where this machine's
//! wall-clock is not).
//!
//! ```sh
//! cargo bench --bench parse_loop -- invite parse 100000
//! ```
//!
//! The message is `invite` or `register` (the IMS REGISTER), the work
//! `parse`, `key` (parse and read the transaction key) or `validate`
//! (parse and check with a user agent's policy). Instructions per message:
//! run the built binary (the path `cargo bench --bench parse_loop
//! --no-run` prints) under `valgrind --tool=callgrind` with 10000 and with
//! 20000 iterations and divide the difference by 10000.

use std::hint::black_box;
use std::time::Instant;

#[path = "shared/parse_work.rs"]
mod parse_work;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let data = match args.first().map(String::as_str) {
        Some("register") => common::IMS_REGISTER,
        _ => common::INVITE,
    };
    let work = args.get(1).map_or("parse", String::as_str);
    let n: u32 = args.get(2).map_or(100_000, |s| s.parse().expect("a count"));
    let run = |n: u32| {
        let mut sum = 0usize;
        for _ in 0..n {
            sum += match work {
                "key" => parse_work::transaction_key(black_box(data)),
                "validate" => usize::from(parse_work::validate(black_box(data))),
                _ => parse_work::parse(black_box(data)),
            };
        }
        sum
    };
    black_box(run(1_000));
    let start = Instant::now();
    black_box(run(n));
    println!("{:?}/message", start.elapsed() / n);
}
