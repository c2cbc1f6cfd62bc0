//! The std-UDP examples against each other and against SIPp, over real
//! sockets on 127.0.0.1: `examples/uac_options.rs` gets 200 from
//! `examples/uas.rs` and from `examples/tokio_uas.rs`; SIPp as a client (INVITE turned down with 486 and
//! acknowledged, then OPTIONS) against the example server; SIPp as a
//! server answering the example client.
//!
//! The SIPp parts need `sipp`; they are skipped without it unless
//! `IMSIP_REQUIRE_SIPP` is set (CI sets it).

mod common;

use common::peer::sipp_available;

#[path = "../examples/tokio_uas.rs"]
mod tokio_uas;
#[path = "../examples/uac_options.rs"]
mod uac_options;
#[path = "../examples/uas.rs"]
mod uas;

use std::net::UdpSocket;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use imsip::StatusCode;

fn sipp(scenario: &str, extra: &[&str]) -> Command {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sipp");
    let mut c = Command::new("sipp");
    c.arg("-sf")
        .arg(dir.join(format!("{scenario}.xml")))
        .args(["-i", "127.0.0.1", "-m", "1", "-timeout", "20", "-nostdin"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn example_client_and_server() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let handle = thread::spawn(move || uas::serve(&server, Some(1)).unwrap());
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let status = uac_options::options(&client, addr).unwrap();
    assert_eq!(status, Some(StatusCode::OK));
    assert_eq!(handle.join().unwrap(), 1);
}

#[test]
fn example_client_and_tokio_server() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .unwrap();
    let server = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    server.set_nonblocking(true).unwrap();
    let addr = server.local_addr().unwrap();
    let handle = thread::spawn(move || {
        runtime.block_on(async {
            let socket = tokio::net::UdpSocket::from_std(server).unwrap();
            tokio_uas::serve(socket, Some(1)).await.unwrap()
        })
    });
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        uac_options::options(&client, addr).unwrap(),
        Some(StatusCode::OK)
    );
    assert_eq!(handle.join().unwrap(), 1);
}

#[test]
fn sipp_client_against_the_example_server() {
    if !sipp_available() {
        return;
    }
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    // The 486 and the 200 to the OPTIONS.
    let handle = thread::spawn(move || uas::serve(&server, Some(2)).unwrap());
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let status = sipp(
        "uac_invite_busy_options",
        &["-p", &port.to_string(), &addr.to_string()],
    )
    .status()
    .expect("sipp runs");
    assert!(status.success(), "SIPp: INVITE 486 + ACK, then OPTIONS 200");
    assert_eq!(handle.join().unwrap(), 2);
}

#[test]
fn example_client_against_sipp_server() {
    if !sipp_available() {
        return;
    }
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = sipp("uas_options", &["-p", &port.to_string()])
        .spawn()
        .expect("sipp runs");
    // Give SIPp a moment to bind.
    thread::sleep(std::time::Duration::from_millis(500));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let status =
        uac_options::options(&client, format!("127.0.0.1:{port}").parse().unwrap()).unwrap();
    let sipp_ok = server.wait().expect("sipp ends").success();
    assert_eq!(status, Some(StatusCode::OK));
    assert!(sipp_ok, "SIPp saw its scenario through");
}
