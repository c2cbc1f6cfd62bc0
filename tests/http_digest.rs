//! curl, a real peer, authenticates with `--digest` against the example HTTP
//! server built on `imsip::auth::http`: MD5, SHA-256 and SHA-512-256, with
//! and without `userhash`; a wrong password stays unauthorized.
//!
//! Needs `curl`; skipped without it unless `IMSIP_REQUIRE_CURL` is set (CI
//! sets it).
//!
//! curl before 8.8.0 (Debian 12 ships 7.88.1) names `SHA-512-256` in its
//! credentials but hashes with SHA-256; imsip computes the real SHA-512/256
//! of FIPS 180-4 (RFC 7616 §3.9.2 with erratum 4897) and refuses those
//! credentials. The test expects exactly that from an old curl, and success
//! from 8.8.0 on.

#[path = "../examples/http_digest_server.rs"]
#[allow(dead_code)]
mod server;

use std::net::TcpListener;
use std::process::Command;

use imsip::auth::digest::Algorithm;

fn curl_available() -> bool {
    let found = Command::new("curl").arg("--version").output().is_ok();
    if !found && std::env::var_os("IMSIP_REQUIRE_CURL").is_some() {
        panic!("IMSIP_REQUIRE_CURL is set but curl is not installed");
    }
    if !found {
        eprintln!("curl not installed: skipping the HTTP Digest interop test");
    }
    found
}

/// Runs curl against a server offering `algorithm`; the HTTP status and body.
fn curl(algorithm: Algorithm, userhash: bool, password: &str) -> (String, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = server::config(&[algorithm], userhash);
    // curl makes two requests: one challenged, one with credentials.
    let handle = std::thread::spawn(move || server::serve(&listener, config, Some(2)));
    let out = Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10", "--digest"])
        .args(["-u", &format!("alice:{password}")])
        .args(["-w", "\n%{http_code}"])
        .arg(format!("http://{addr}/dir/index.html?x=1"))
        .output()
        .expect("curl runs");
    handle.join().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", &text));
    (code.to_owned(), body.to_owned())
}

/// curl's version as (major, minor).
fn curl_version() -> (u32, u32) {
    let out = Command::new("curl").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v = text.split_whitespace().nth(1).unwrap_or("0.0");
    let mut n = v.split('.').map(|x| x.parse().unwrap_or(0));
    (n.next().unwrap_or(0), n.next().unwrap_or(0))
}

#[test]
fn curl_digest_against_the_http_adapter() {
    if !curl_available() {
        return;
    }
    let real_sha512_256 = curl_version() >= (8, 8);
    for algorithm in [Algorithm::Md5, Algorithm::Sha256, Algorithm::Sha512_256] {
        for userhash in [false, true] {
            let (code, body) = curl(algorithm, userhash, "secret");
            if algorithm == Algorithm::Sha512_256 && !real_sha512_256 {
                assert_eq!(
                    code,
                    "401",
                    "curl {:?} hashes SHA-512-256 with SHA-256",
                    curl_version()
                );
                eprintln!(
                    "curl {:?}: SHA-512-256 refused, as expected of a curl before 8.8.0",
                    curl_version()
                );
                continue;
            }
            assert_eq!(code, "200", "{algorithm} userhash={userhash}: {body}");
            assert_eq!(body, "hello alice\n", "{algorithm}");
        }
        let (code, _) = curl(algorithm, false, "wrong");
        assert_eq!(code, "401", "{algorithm} with a wrong password");
    }
}
