//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same checks
//! the fuzz targets run, so every `cargo test` exercises what fuzzing found.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails on {}", target, path.display());
        n += 1;
    }
    n
}

#[test]
fn message_corpus() {
    assert!(replay("message", checks::message) >= 62);
}

#[test]
fn uri_corpus() {
    assert!(replay("uri", checks::uri) > 10);
}

#[test]
fn framing_corpus() {
    assert!(replay("framing", checks::framing) > 5);
}

#[test]
fn header_value_corpus() {
    assert!(replay("header_value", checks::header_value) > 10);
}

#[test]
fn auth_corpus() {
    assert!(replay("auth", checks::auth) > 10);
}

#[test]
fn endpoint_corpus() {
    assert!(replay("endpoint", checks::endpoint) >= 6);
}

#[test]
fn ua_corpus() {
    assert!(replay("ua", checks::ua) >= 4);
}

#[test]
fn proxy_corpus() {
    assert!(replay("proxy", checks::proxy) >= 3);
}

#[cfg(feature = "sdp")]
#[test]
fn sdp_corpus() {
    assert!(replay("sdp", checks::sdp) >= 4);
}
