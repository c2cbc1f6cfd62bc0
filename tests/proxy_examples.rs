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

/// SIPp with `args` (a scenario and, for a client, the target) for one
/// call from `port` on 127.0.0.1 within `timeout` seconds, its errors in
/// `log`.
fn sipp(args: &[&str], port: &str, timeout: u32, log: &Path) -> Command {
    let mut c = Command::new("sipp");
    c.args(args)
        .args([
            "-i",
            "127.0.0.1",
            "-p",
            port,
            "-m",
            "1",
            "-nostdin",
            "-trace_err",
        ])
        .args(["-timeout", &timeout.to_string(), "-error_file"])
        .arg(log)
        .stdout(Stdio::null());
    c
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
    let to = addr.to_string();
    let file = |name: &str| scenario(name).display().to_string();
    // The callee registers from its port, then answers there.
    let bob = free_udp_port().to_string();
    let registered = sipp(
        &["-sf", &file("uac_register_bob"), &to],
        &bob,
        20,
        &log("reg"),
    )
    .status()
    .expect("sipp runs");
    let mut uas = sipp(&["-sf", &file("uas_through_proxy")], &bob, 30, &log("uas"))
        .spawn()
        .expect("sipp runs");
    thread::sleep(Duration::from_millis(500));
    let port = free_udp_port().to_string();
    let uac = sipp(&["-sn", "uac", "-s", "bob", &to], &port, 30, &log("uac"))
        .status()
        .expect("sipp runs");
    let uas_status = uas.wait().unwrap();
    let port = free_udp_port().to_string();
    let unknown = sipp(
        &["-sf", &file("uac_unknown_404"), &to],
        &port,
        20,
        &log("404"),
    )
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
        let port = free_udp_port().to_string();
        let file = scenario(name).display().to_string();
        let status = sipp(&["-sf", &file, &addr.to_string()], &port, 20, &log)
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
