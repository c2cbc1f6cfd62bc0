//! The dialog examples over real sockets on 127.0.0.1: SIPp's built-in
//! `uac` scenario makes 20 calls at 5 per second to `examples/uas_answer.rs`;
//! `examples/uac_call.rs` calls SIPp's built-in `uas`, and calls
//! `uas_answer`.
//!
//! The SIPp parts need `sipp`; they are skipped without it unless
//! `IMSIP_REQUIRE_SIPP` is set (CI sets it).
#![cfg(feature = "sdp")]

mod common;

use common::peer::{free_udp_port, sipp_available};

#[path = "../examples/uac_call.rs"]
mod uac_call;
#[path = "../examples/uas_answer.rs"]
mod uas_answer;

use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use imsip::uri::Uri;

/// `uas_answer` on an ephemeral port, in a thread, until the flag is set.
fn spawn_uas() -> (SocketAddr, Arc<AtomicBool>, thread::JoinHandle<()>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = thread::spawn(move || {
        uas_answer::serve(&socket, Duration::from_millis(100), &flag).unwrap();
    });
    (addr, stop, handle)
}

#[test]
fn sipp_uac_makes_20_calls_to_uas_answer() {
    if !sipp_available() {
        return;
    }
    let (addr, stop, handle) = spawn_uas();
    let log = std::env::temp_dir().join(format!("imsip-sipp-uac-{}.log", std::process::id()));
    let status = Command::new("sipp")
        .args(["-sn", "uac"])
        .arg(addr.to_string())
        .args(["-i", "127.0.0.1", "-p", &free_udp_port().to_string()])
        .args([
            "-m",
            "20",
            "-r",
            "5",
            "-timeout",
            "60",
            "-nostdin",
            "-trace_err",
        ])
        .arg("-error_file")
        .arg(&log)
        .stdout(Stdio::null())
        .status()
        .expect("sipp runs");
    stop.store(true, Ordering::Relaxed);
    handle.join().unwrap();
    assert!(
        status.success(),
        "sipp uac: {status}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

#[test]
fn uac_call_calls_sipp_uas() {
    if !sipp_available() {
        return;
    }
    let port = free_udp_port();
    let log = std::env::temp_dir().join(format!("imsip-sipp-uas-{}.log", std::process::id()));
    let mut sipp = Command::new("sipp")
        .args(["-sn", "uas", "-i", "127.0.0.1", "-p", &port.to_string()])
        .args(["-m", "1", "-timeout", "30", "-nostdin", "-trace_err"])
        .arg("-error_file")
        .arg(&log)
        .stdout(Stdio::null())
        .spawn()
        .expect("sipp runs");
    // SIPp needs a moment to bind.
    thread::sleep(Duration::from_millis(300));
    let result = uac_call::run(&uac_call::Options {
        bind: "127.0.0.1:0".parse().unwrap(),
        to: Uri::parse(&format!("sip:service@127.0.0.1:{port}"))
            .unwrap()
            .into_owned(),
        hold: Duration::from_millis(200),
    });
    let status = sipp.wait().unwrap();
    assert_eq!(result, Ok(()));
    assert!(
        status.success(),
        "sipp uas: {status}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

#[test]
fn uac_call_calls_uas_answer() {
    let (addr, stop, handle) = spawn_uas();
    let result = uac_call::run(&uac_call::Options {
        bind: "127.0.0.1:0".parse().unwrap(),
        to: Uri::parse(&format!("sip:service@{addr}"))
            .unwrap()
            .into_owned(),
        hold: Duration::from_millis(100),
    });
    stop.store(true, Ordering::Relaxed);
    handle.join().unwrap();
    assert_eq!(result, Ok(()));
}
