//! A registrar and record-routing proxy for one domain, over a std
//! `UdpSocket`, built from the crate's `Proxy`, `Registrar` and
//! `MemoryLocation`.
//!
//! ```sh
//! cargo run --example proxy -- --bind 127.0.0.1:5060 --domain example.com [--users FILE]
//! ```
//!
//! Without `--users` every registration is accepted; with it, Digest with
//! the users of FILE (`user password` per line): a REGISTER is challenged
//! 401 by the registrar, and a request from a user of the domain 407 by the
//! proxy (`Proxy::authenticate`), which then lets a user call only as
//! itself. A request for a registered
//! user of the domain (or of the proxy's own address) is forked to the
//! user's bindings; for anyone else of the domain it answers 404; requests
//! for other domains are forwarded by their Request-URI. One line per
//! transaction on stdout. Runs until killed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imsip::auth::digest::{DigestServer, ServerConfig, ha1};
use imsip::proxy::{Forking, Proxy, ProxyConfig, ProxyEvent, ProxyIdentity, Target};
use imsip::random::{OsRandom, Random};
use imsip::registrar::{LocationService, MemoryLocation, Registrar, RegistrarConfig};
use imsip::uri::{HostPort, Uri};
use imsip::{Flow, MessageRef, Method, StatusCode, Transport};

/// What the proxy serves.
pub(crate) struct Options {
    pub(crate) domain: String,
    pub(crate) users: Option<HashMap<String, String>>,
}

fn parse_users(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_owned(), w.next()?.to_owned()))
        })
        .collect()
}

/// H(A1) of `user` in `realm` from the users file.
fn credentials(
    users: &HashMap<String, String>,
    realm: &str,
    user: &str,
    algorithm: imsip::auth::digest::Algorithm,
) -> Option<imsip::auth::digest::Ha1> {
    users
        .get(user)
        .map(|pw| ha1(algorithm, user, realm, pw.as_bytes()))
}

/// The address-of-record a Request-URI names in this domain: its user at
/// the domain, when its host is the domain or this proxy.
fn local_aor(
    uri: &Uri<'_>,
    domain: &str,
    me: &ProxyIdentity,
) -> Option<Option<imsip::uri::AddressOfRecord>> {
    let sip = uri.as_sip()?;
    let host = sip.host().to_string();
    if !host.eq_ignore_ascii_case(domain) && !me.is_me(uri) {
        return None;
    }
    let user = sip.user()?;
    Some(
        Uri::parse(&format!("sip:{user}@{domain}"))
            .ok()
            .and_then(|u| u.address_of_record()),
    )
}

/// A target for a URI of another domain: its host resolved (the first
/// address; RFC 3263 in full is the caller's).
fn resolve(uri: &Uri<'static>, local: SocketAddr) -> Option<Target> {
    if let Some(t) = Target::direct(uri.clone(), Transport::Udp, local) {
        return Some(t);
    }
    let sip = uri.as_sip()?;
    let host = sip.host().to_string();
    let addr = (host.as_str(), sip.port().unwrap_or(5060))
        .to_socket_addrs()
        .ok()?
        .next()?;
    Some(Target {
        uri: uri.clone(),
        flow: Flow::new(Transport::Udp, local, addr),
        q: imsip::header::QValue::from_thousandths(1000)?,
    })
}

/// The targets of a request: the bindings of a local user, or the
/// Request-URI of another domain. `Err(status)` to answer instead.
fn targets(
    request: &MessageRef<'_>,
    options: &Options,
    me: &ProxyIdentity,
    location: &MemoryLocation,
    local: SocketAddr,
    now: Instant,
) -> Result<Vec<Target>, StatusCode> {
    let uri = request
        .request_uri()
        .and_then(Result::ok)
        .map(Uri::into_owned)
        .ok_or(StatusCode::BAD_REQUEST)?;
    match local_aor(&uri, &options.domain, me) {
        Some(Some(aor)) => {
            let found: Vec<Target> = location
                .bindings(&aor, now)
                .into_iter()
                .filter_map(|b| {
                    let mut t =
                        Target::direct(b.contact.name_addr.uri.clone(), Transport::Udp, local)?;
                    t.q = b.q();
                    Some(t)
                })
                .collect();
            if found.is_empty() {
                Err(StatusCode::NOT_FOUND)
            } else {
                Ok(found)
            }
        }
        Some(None) => Err(StatusCode::NOT_FOUND),
        None => resolve(&uri, local)
            .map(|t| vec![t])
            .ok_or(StatusCode::NOT_FOUND),
    }
}

/// Serves on `socket` until `stop` is set.
pub(crate) fn serve(
    socket: &UdpSocket,
    options: &Options,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let local = socket.local_addr()?;
    let mut key = [0u8; 16];
    OsRandom::new().fill_bytes(&mut key);
    let identity = ProxyIdentity::new(
        Uri::parse(&format!("sip:{local};lr"))
            .map_err(std::io::Error::other)?
            .into_owned(),
        HostPort::from(local).into_owned(),
        key,
    );
    let mut config = ProxyConfig::new(identity.clone());
    // Each registration leaves its 200's transaction waiting out Timer J
    // (32 s over UDP): 262 144 of them (about 1.5 KB each) carry 8 000
    // registrations a second; past that the endpoint answers 503.
    config.endpoint.max_transactions = 1 << 18;
    let mut proxy = Proxy::new(config);
    let mut registrar = Registrar::new(RegistrarConfig::default());
    // With users: the registrar's 401 and the proxy's 407 (calls from the
    // domain's users), one MD5 challenge each.
    let digest =
        || DigestServer::with_random_key(ServerConfig::interop(&options.domain), Instant::now());
    let mut calls_digest = None;
    if let Some(users) = &options.users {
        calls_digest = Some(digest());
        let users = users.clone();
        let realm = options.domain.clone();
        registrar = registrar.with_digest(digest(), move |user, alg| {
            credentials(&users, &realm, user, alg)
        });
    }
    let mut location = MemoryLocation::default();
    let mut buf = vec![0u8; 65_535];
    let mut purged = Instant::now();
    // One line per transaction, written when the loop is about to wait
    // (one write for a burst, not one per line).
    let mut log = String::new();
    // The socket's read timeout, changed only when it must be shorter or
    // ran out (a system call each time).
    let mut timeout: Option<Duration> = None;
    while !stop.load(Ordering::Relaxed) {
        while let Some(t) = proxy.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote)?;
        }
        let mut handled = false;
        while let Some(event) = proxy.poll_event() {
            handled = true;
            let now = Instant::now();
            match event {
                ProxyEvent::Request {
                    id,
                    request,
                    origin,
                    next_hop,
                } => {
                    let m = request.as_ref();
                    if let Some(hop) = next_hop
                        && proxy.forward_route(now, id, &hop, origin)
                    {
                        continue;
                    }
                    let to_us = m
                        .to()
                        .ok()
                        .and_then(|t| t.uri().as_sip().map(|s| s.host().to_string()))
                        .is_some_and(|h| h.eq_ignore_ascii_case(&options.domain));
                    if m.method() == Some(Method::Register) && to_us {
                        let outcome = registrar.register(now, &m, &mut location);
                        if let Ok(r) = outcome.response.build() {
                            // A challenge costs no state (RFC 3261
                            // §26.3.2.4); a 200 stays in its transaction,
                            // as the same REGISTER must not apply twice.
                            let _ = if outcome.status == StatusCode::UNAUTHORIZED {
                                proxy.respond_stateless(now, id, r)
                            } else {
                                proxy.respond(now, id, r)
                            };
                        }
                        continue;
                    }
                    // Calls from the domain's users prove who they are
                    // (407) and may only call as themselves (403).
                    let from_user = m.from().ok().and_then(|f| {
                        let sip = f.uri().as_sip()?;
                        let ours = sip.host().to_string().eq_ignore_ascii_case(&options.domain);
                        ours.then(|| sip.user().unwrap_or("").to_owned())
                    });
                    if let (Some(server), Some(users), Some(from_user)) =
                        (&mut calls_digest, &options.users, &from_user)
                        && !matches!(m.method(), Some(Method::Ack | Method::Cancel))
                    {
                        let Some(v) = proxy.authenticate(now, id, server, |user, alg| {
                            credentials(users, &options.domain, user, alg)
                        }) else {
                            continue;
                        };
                        if v.username != *from_user {
                            if let Ok(b) = m.response(StatusCode::FORBIDDEN)
                                && let Ok(r) = b.build()
                            {
                                let _ = proxy.respond(now, id, r);
                            }
                            continue;
                        }
                    }
                    // With users, the domain is no open relay: a request
                    // from elsewhere may only reach the domain's users.
                    let for_us = m
                        .request_uri()
                        .and_then(Result::ok)
                        .is_some_and(|u| local_aor(&u, &options.domain, &identity).is_some());
                    if options.users.is_some() && from_user.is_none() && !for_us {
                        if let Ok(b) = m.response(StatusCode::FORBIDDEN)
                            && let Ok(r) = b.reason("Relaying Forbidden").build()
                        {
                            let _ = proxy.respond(now, id, r);
                        }
                        continue;
                    }
                    match targets(&m, options, &identity, &location, local, now) {
                        Ok(t) => proxy.forward(now, id, t, Forking::Parallel),
                        Err(status) => {
                            if let Ok(b) = m.response(status)
                                && let Ok(r) = b.build()
                            {
                                let _ = proxy.respond(now, id, r);
                            }
                        }
                    }
                }
                ProxyEvent::Ack { request, origin } => {
                    // An ACK without a route set: where its INVITE went.
                    if let Ok(t) =
                        targets(&request.as_ref(), options, &identity, &location, local, now)
                        && let Some(first) = t.first()
                    {
                        proxy.forward_stateless(&request, origin, first);
                    }
                }
                ProxyEvent::Completed {
                    method,
                    uri,
                    status,
                } => {
                    let _ = writeln!(log, "{method} {uri} -> {status}");
                }
                _ => {}
            }
        }
        if handled {
            continue;
        }
        if purged.elapsed() > Duration::from_secs(10) {
            location.purge(Instant::now());
            purged = Instant::now();
        }
        let wait = proxy
            .poll_timeout()
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(500))
            .clamp(Duration::from_millis(1), Duration::from_millis(500));
        if timeout.is_none_or(|t| wait < t) {
            socket.set_read_timeout(Some(wait))?;
            timeout = Some(wait);
        }
        if !log.is_empty() {
            print!("{log}");
            log.clear();
        }
        match socket.recv_from(&mut buf) {
            Ok((n, remote)) => proxy.handle_input(
                Instant::now(),
                Flow::new(Transport::Udp, local, remote),
                bytes::Bytes::copy_from_slice(&buf[..n]),
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                timeout = None;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        proxy.handle_timeout(Instant::now());
    }
    print!("{log}");
    Ok(())
}

#[allow(dead_code)]
fn main() -> ExitCode {
    let mut bind: SocketAddr = "127.0.0.1:5060".parse().expect("an address");
    let mut domain = "example.com".to_owned();
    let mut users = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("proxy: {arg} needs a value");
            return ExitCode::from(2);
        };
        match arg.as_str() {
            "--bind" => match value.parse() {
                Ok(a) => bind = a,
                Err(e) => {
                    eprintln!("proxy: --bind {value}: {e}");
                    return ExitCode::from(2);
                }
            },
            "--domain" => domain = value,
            "--users" => match std::fs::read_to_string(&value) {
                Ok(text) => users = Some(parse_users(&text)),
                Err(e) => {
                    eprintln!("proxy: --users {value}: {e}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("usage: proxy [--bind ADDR] [--domain D] [--users FILE]");
                return ExitCode::from(2);
            }
        }
    }
    let socket = match UdpSocket::bind(bind) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("proxy: cannot bind {bind}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("proxy: {domain} on udp {bind}");
    let options = Options { domain, users };
    match serve(&socket, &options, &AtomicBool::new(false)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("proxy: {e}");
            ExitCode::FAILURE
        }
    }
}
