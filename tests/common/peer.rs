//! Real peers for the interop tests: whether SIPp is there, and free ports.

use std::process::Command;

/// Whether `sipp` runs here. Without it the calling test skips, unless
/// `IMSIP_REQUIRE_SIPP` is set (CI sets it): then it fails.
pub(crate) fn sipp_available() -> bool {
    let found = Command::new("sipp").arg("-v").output().is_ok();
    if !found && std::env::var_os("IMSIP_REQUIRE_SIPP").is_some() {
        panic!("IMSIP_REQUIRE_SIPP is set but sipp is not installed (apt-get install sip-tester)");
    }
    if !found {
        eprintln!("sipp not installed: skipping");
    }
    found
}

/// A UDP port free on 127.0.0.1 a moment ago.
pub(crate) fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
