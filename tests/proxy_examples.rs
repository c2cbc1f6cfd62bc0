//! `examples/proxy.rs` over real sockets with SIPp on 127.0.0.1: SIPp as a
//! UAS registers bob and answers a call that SIPp's built-in `uac` makes
//! through the proxy (Record-Route present, the BYE through the proxy); an
//! unknown user gets 404. With `--users`, SIPp registers with Digest (and is
//! refused with a wrong password).
//!
//! Needs `sipp`; skipped without it unless `IMSIP_REQUIRE_SIPP` is set (CI
//! sets it).

mod common;

use common::peer::{free_udp_port, sipp_available};

#[path = "../examples/proxy.rs"]
mod proxy;

use std::net::UdpSocket;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

fn scenario(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sipp")
        .join(format!("{name}.xml"))
}

/// The example serving `options` on a free port of 127.0.0.1 until the
/// flag is set.
fn start(
    options: proxy::Options,
) -> (
    std::net::SocketAddr,
    Arc<AtomicBool>,
    thread::JoinHandle<()>,
) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let server = thread::spawn(move || proxy::serve(&socket, &options, &flag).unwrap());
    (addr, stop, server)
}

#[test]
fn sipp_calls_a_registered_sipp_through_the_proxy() {
    if !sipp_available() {
        return;
    }
    let (addr, stop, server) = start(proxy::Options {
        domain: "example.com".to_owned(),
        users: None,
    });
    let log =
        |n: &str| std::env::temp_dir().join(format!("imsip-proxy-{n}-{}.log", std::process::id()));
    // The callee registers from its port, then answers there.
    let bob = free_udp_port().to_string();
    let registered = Command::new("sipp")
        .arg("-sf")
        .arg(scenario("uac_register_bob"))
        .arg(addr.to_string())
        .args(["-i", "127.0.0.1", "-p", &bob])
        .args([
            "-m",
            "1",
            "-timeout",
            "20",
            "-nostdin",
            "-trace_err",
            "-error_file",
        ])
        .arg(log("reg"))
        .stdout(Stdio::null())
        .status()
        .expect("sipp runs");
    let mut uas = Command::new("sipp")
        .arg("-sf")
        .arg(scenario("uas_through_proxy"))
        .args(["-i", "127.0.0.1", "-p", &bob])
        .args([
            "-m",
            "1",
            "-timeout",
            "30",
            "-nostdin",
            "-trace_err",
            "-error_file",
        ])
        .arg(log("uas"))
        .stdout(Stdio::null())
        .spawn()
        .expect("sipp runs");
    thread::sleep(Duration::from_millis(500));
    let uac = Command::new("sipp")
        .args(["-sn", "uac", "-s", "bob"])
        .arg(addr.to_string())
        .args(["-i", "127.0.0.1", "-p", &free_udp_port().to_string()])
        .args([
            "-m",
            "1",
            "-timeout",
            "30",
            "-nostdin",
            "-trace_err",
            "-error_file",
        ])
        .arg(log("uac"))
        .stdout(Stdio::null())
        .status()
        .expect("sipp runs");
    let uas_status = uas.wait().unwrap();
    let unknown = Command::new("sipp")
        .arg("-sf")
        .arg(scenario("uac_unknown_404"))
        .arg(addr.to_string())
        .args(["-i", "127.0.0.1", "-p", &free_udp_port().to_string()])
        .args([
            "-m",
            "1",
            "-timeout",
            "20",
            "-nostdin",
            "-trace_err",
            "-error_file",
        ])
        .arg(log("404"))
        .stdout(Stdio::null())
        .status()
        .expect("sipp runs");
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
    let read = |n: &str| std::fs::read_to_string(log(n)).unwrap_or_default();
    assert!(
        registered.success(),
        "sipp register: {registered}\n{}",
        read("reg")
    );
    assert!(uac.success(), "sipp uac: {uac}\n{}", read("uac"));
    assert!(
        uas_status.success(),
        "sipp uas: {uas_status}\n{}",
        read("uas")
    );
    assert!(unknown.success(), "sipp 404: {unknown}\n{}", read("404"));
}

#[test]
fn sipp_registers_with_digest_to_the_proxy_with_users() {
    if !sipp_available() {
        return;
    }
    let (addr, stop, server) = start(proxy::Options {
        domain: "sipp.test".to_owned(),
        users: Some([("alice".to_owned(), "secret".to_owned())].into()),
    });
    let run = |name: &str| {
        let log = std::env::temp_dir().join(format!(
            "imsip-proxy-digest-{name}-{}.log",
            std::process::id()
        ));
        let status = Command::new("sipp")
            .arg("-sf")
            .arg(scenario(name))
            .arg(addr.to_string())
            .args(["-i", "127.0.0.1", "-p", &free_udp_port().to_string()])
            .args(["-m", "1", "-timeout", "20", "-nostdin", "-trace_err"])
            .arg("-error_file")
            .arg(&log)
            .stdout(Stdio::null())
            .status()
            .expect("sipp runs");
        (status, std::fs::read_to_string(&log).unwrap_or_default())
    };
    let right = run("uac_register_md5");
    let wrong = run("uac_register_md5_wrong");
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
    assert!(right.0.success(), "digest: {}\n{}", right.0, right.1);
    assert!(
        wrong.0.success(),
        "wrong password: {}\n{}",
        wrong.0,
        wrong.1
    );
}
