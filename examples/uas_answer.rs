//! A user agent that answers every call, over a std `UdpSocket`, driven by
//! the sans-IO [`UserAgent`]: 180 Ringing at once (reliable when the INVITE
//! supports or requires 100rel), then 200 OK with an SDP answer after a
//! short ring. ACK, PRACK, UPDATE, re-INVITE, BYE and CANCEL are handled;
//! OPTIONS, INFO and MESSAGE get 200. One line per call on stdout when it
//! ends. Runs until killed.
//!
//! ```sh
//! cargo run --example uas_answer -- --bind 127.0.0.1:5080 [--ring-ms 200]
//! sipp -sn uac 127.0.0.1:5080 -m 20 -r 5      # in another shell
//! ```

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imsip::header::HeaderName;
use imsip::ua::{Body, SessionId, UaConfig, UaEvent, UserAgent};
use imsip::{Flow, Method, StatusCode, Transport};

/// The SDP answer: one PCMU audio stream on the bound address.
fn sdp(local: SocketAddr, version: u32) -> Body {
    let ip = local.ip();
    let family = if ip.is_ipv4() { "IP4" } else { "IP6" };
    Body::sdp(format!(
        "v=0\r\no=imsip 1 {version} IN {family} {ip}\r\ns=-\r\nc=IN {family} {ip}\r\nt=0 0\r\n\
m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
    ))
}

struct CallInfo {
    call_id: String,
    from: String,
    started: Instant,
    answer_at: Option<Instant>,
    sdp_version: u32,
}

/// Answers calls on `socket` until `stop` is set.
pub(crate) fn serve(socket: &UdpSocket, ring: Duration, stop: &AtomicBool) -> std::io::Result<()> {
    let local = socket.local_addr()?;
    let mut ua = UserAgent::new(UaConfig::default());
    let mut calls: HashMap<SessionId, CallInfo> = HashMap::new();
    let mut buf = vec![0u8; 65_535];
    while !stop.load(Ordering::Relaxed) {
        // Calls that rang long enough.
        let now = Instant::now();
        let due: Vec<SessionId> = calls
            .iter()
            .filter(|(_, c)| c.answer_at.is_some_and(|at| at <= now))
            .map(|(s, _)| *s)
            .collect();
        for session in due {
            if let Some(call) = calls.get_mut(&session) {
                call.answer_at = None;
            }
            if let Err(e) = ua.answer(now, session, Some(sdp(local, 1))) {
                eprintln!("uas_answer: cannot answer: {e}");
            }
        }
        // Drain what the user agent has for us.
        while let Some(t) = ua.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote)?;
        }
        let mut handled = false;
        while let Some(event) = ua.poll_event() {
            handled = true;
            let now = Instant::now();
            match event {
                UaEvent::IncomingCall { session, request } => {
                    let msg = request.as_ref();
                    calls.insert(
                        session,
                        CallInfo {
                            call_id: msg
                                .call_id()
                                .map(|c| c.as_str().to_owned())
                                .unwrap_or_default(),
                            from: msg
                                .get_known(HeaderName::From)
                                .and_then(|h| h.value_str())
                                .unwrap_or("")
                                .to_owned(),
                            started: now,
                            answer_at: Some(now + ring),
                            sdp_version: 1,
                        },
                    );
                    if let Err(e) = ua.progress(now, session, StatusCode::RINGING, None) {
                        eprintln!("uas_answer: cannot ring: {e}");
                    }
                }
                UaEvent::Update { session, request } => {
                    // A re-INVITE or UPDATE (or a PRACK with an offer): the
                    // same media, a new version.
                    let has_offer = !request.as_ref().body().is_empty();
                    let version = calls.get_mut(&session).map_or(2, |c| {
                        c.sdp_version += 1;
                        c.sdp_version
                    });
                    let body = has_offer.then(|| sdp(local, version));
                    if let Err(e) = ua.accept_update(now, session, body) {
                        eprintln!("uas_answer: cannot accept the update: {e}");
                    }
                }
                UaEvent::Request {
                    transaction,
                    request,
                    ..
                } => {
                    let status = match request.as_ref().method() {
                        Some(Method::Options | Method::Info | Method::Message | Method::Notify) => {
                            StatusCode::OK
                        }
                        _ => StatusCode::METHOD_NOT_ALLOWED,
                    };
                    if let Ok(b) = request.as_ref().response(status)
                        && let Ok(r) = b.build()
                    {
                        let _ = ua.respond(now, transaction, r);
                    }
                }
                UaEvent::Ended { session, reason } => {
                    if let Some(call) = calls.remove(&session) {
                        println!(
                            "call {} from {} ended after {} ms: {reason}",
                            call.call_id,
                            call.from,
                            call.started.elapsed().as_millis()
                        );
                    }
                }
                _ => {}
            }
        }
        if handled {
            // What the events caused goes out before waiting.
            continue;
        }
        let wake = [
            ua.poll_timeout(),
            calls.values().filter_map(|c| c.answer_at).min(),
        ]
        .into_iter()
        .flatten()
        .min();
        let wait = wake
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(500))
            .clamp(Duration::from_millis(1), Duration::from_millis(500));
        socket.set_read_timeout(Some(wait))?;
        match socket.recv_from(&mut buf) {
            Ok((n, remote)) => ua.handle_input(
                Instant::now(),
                Flow::new(Transport::Udp, local, remote),
                bytes::Bytes::copy_from_slice(&buf[..n]),
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
        ua.handle_timeout(Instant::now());
    }
    Ok(())
}

#[allow(dead_code)]
fn main() -> ExitCode {
    let mut bind: SocketAddr = "127.0.0.1:5080".parse().expect("an address");
    let mut ring = Duration::from_millis(200);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--bind", Some(v)) => match v.parse() {
                Ok(a) => bind = a,
                Err(e) => {
                    eprintln!("uas_answer: --bind {v}: {e}");
                    return ExitCode::from(2);
                }
            },
            ("--ring-ms", Some(v)) => match v.parse() {
                Ok(ms) => ring = Duration::from_millis(ms),
                Err(e) => {
                    eprintln!("uas_answer: --ring-ms {v}: {e}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("usage: uas_answer [--bind ADDR] [--ring-ms MS]");
                return ExitCode::from(2);
            }
        }
    }
    let socket = match UdpSocket::bind(bind) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("uas_answer: cannot bind {bind}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("uas_answer: listening on udp {bind}");
    match serve(&socket, ring, &AtomicBool::new(false)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("uas_answer: {e}");
            ExitCode::FAILURE
        }
    }
}
