//! A small HTTP server on std TCP that protects every path with Digest
//! authentication through `imsip::auth::http`: user `alice`, password
//! `secret`, realm `imsip.example`. It answers `200 hello alice` or `401`.
//!
//! ```text
//! cargo run --features http --example http_digest_server -- --port 8080 --algorithm SHA-256
//! curl --digest -u alice:secret http://127.0.0.1:8080/dir/index.html
//! ```
//!
//! Options: `--port N` (default 8080), `--algorithm A` (repeatable: MD5,
//! SHA-256, SHA-512-256, ...; default SHA-256 then MD5), `--userhash`,
//! `--requests N` (stop after N requests).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

use imsip::auth::digest::{self, Algorithm, DigestServer, ServerConfig};
use imsip::auth::http as digest_http;
use imsip::random::SeededRandom;

/// The realm, user and password the server knows.
pub(crate) const REALM: &str = "imsip.example";
/// The only user.
pub(crate) const USER: &str = "alice";
/// Her password.
pub(crate) const PASSWORD: &[u8] = b"secret";

fn main() {
    let mut port = 8080u16;
    let mut algorithms = Vec::new();
    let mut userhash = false;
    let mut requests = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).expect("--port N"),
            "--algorithm" => algorithms.push(
                args.next()
                    .and_then(|n| Algorithm::parse(&n))
                    .expect("--algorithm MD5|SHA-256|SHA-512-256|...-sess"),
            ),
            "--userhash" => userhash = true,
            "--requests" => requests = args.next().and_then(|n| n.parse().ok()),
            other => {
                eprintln!("unknown option {other}");
                std::process::exit(2);
            }
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind");
    eprintln!("listening on {}", listener.local_addr().expect("address"));
    serve(&listener, config(&algorithms, userhash), requests);
}

/// The server configuration for `algorithms` (SHA-256 and MD5 when empty).
pub(crate) fn config(algorithms: &[Algorithm], userhash: bool) -> ServerConfig {
    let mut c = ServerConfig::new(REALM);
    if !algorithms.is_empty() {
        c.algorithms = algorithms.to_vec();
    }
    c.userhash = userhash;
    c
}

/// Serves `requests` requests (forever with `None`), one per connection.
pub(crate) fn serve(listener: &TcpListener, config: ServerConfig, requests: Option<usize>) {
    let start = Instant::now();
    let mut server = DigestServer::new(config, *b"imsip http digest example key 32", start);
    let mut rng = SeededRandom::new(start.elapsed().as_nanos() as u64 ^ 0x5eed);
    let mut served = 0;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if let Err(e) = handle(stream, &mut server, &mut rng) {
            eprintln!("connection: {e}");
        }
        served += 1;
        if requests.is_some_and(|n| served >= n) {
            break;
        }
    }
}

fn handle(
    stream: TcpStream,
    server: &mut DigestServer,
    rng: &mut SeededRandom,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return write_response(stream, "400 Bad Request", &[], "");
    };
    let mut builder = http::Request::builder().method(method).uri(target);
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
            builder = builder.header(name.trim(), value.trim());
        }
    }
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let Ok(request) = builder.body(body) else {
        return write_response(stream, "400 Bad Request", &[], "");
    };
    let now = Instant::now();
    let result = digest_http::verify(server, now, &request, |name, alg| {
        let known = name == USER || name == alg.userhash(USER, REALM);
        known.then(|| digest::ha1(alg, USER, REALM, PASSWORD))
    });
    match result {
        Ok(verified) => {
            let info = verified.authentication_info.to_string();
            write_response(
                stream,
                "200 OK",
                &[("Authentication-Info", info)],
                "hello alice\n",
            )
        }
        Err(e) => {
            let challenges = digest_http::challenge_values(server, now, rng, e.is_stale());
            let headers: Vec<(&str, String)> = challenges
                .iter()
                .map(|v| {
                    (
                        "WWW-Authenticate",
                        v.to_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            write_response(stream, "401 Unauthorized", &headers, "")
        }
    }
}

fn write_response(
    mut stream: TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &str,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    stream.write_all(out.as_bytes())?;
    stream.flush()
}
