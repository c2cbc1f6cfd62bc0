//! SIPp, a real peer, registers against the test registrar over UDP on
//! 127.0.0.1: Digest MD5 (accepted), Digest MD5 with a wrong password
//! (refused with 403) and Digest AKAv1-MD5 (accepted).
//!
//! Needs `sipp` (Debian package `sip-tester`). Without it the test is
//! skipped, unless `IMSIP_REQUIRE_SIPP` is set (CI sets it), then it fails.

mod common;

use common::peer::{free_udp_port, sipp_available};

use std::path::Path;
use std::process::Command;
use std::sync::atomic::Ordering;

use common::registrar::{self, Outcome};

/// Runs one scenario once; true when SIPp reports success (exit code 0).
fn run(scenario: &str, target: std::net::SocketAddr) -> bool {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sipp");
    let log =
        std::env::temp_dir().join(format!("imsip-sipp-{scenario}-{}.log", std::process::id()));
    let status = Command::new("sipp")
        .arg("-sf")
        .arg(dir.join(format!("{scenario}.xml")))
        .arg(target.to_string())
        .args(["-i", "127.0.0.1", "-p", &free_udp_port().to_string()])
        .args(["-m", "1", "-timeout", "20", "-nostdin"])
        .arg("-trace_err")
        .arg("-error_file")
        .arg(&log)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("sipp runs");
    if !status.success() {
        eprintln!(
            "{scenario}: sipp exited with {status}; see {}",
            log.display()
        );
        if let Ok(text) = std::fs::read_to_string(&log) {
            eprintln!("{text}");
        }
    }
    status.success()
}

#[test]
fn sipp_registers_with_digest_md5_and_akav1() {
    if !sipp_available() {
        return;
    }
    let (addr, stop, handle) = registrar::spawn();
    let md5 = run("uac_register_md5", addr);
    let wrong = run("uac_register_md5_wrong", addr);
    let aka = run("uac_register_aka", addr);
    stop.store(true, Ordering::Relaxed);
    let outcomes = handle.join().unwrap();
    assert!(md5, "SIPp registers with Digest MD5");
    assert!(wrong, "SIPp with a wrong password gets 403");
    assert!(aka, "SIPp registers with Digest AKAv1-MD5");
    let registered = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Registered(_)))
        .count();
    let forbidden = outcomes
        .iter()
        .filter(|o| **o == Outcome::Forbidden)
        .count();
    assert_eq!((registered, forbidden), (2, 1), "{outcomes:?}");
}
