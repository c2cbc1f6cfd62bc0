//! A user agent that answers every call, over a std `UdpSocket`, driven by
//! the sans-IO [`UserAgent`]: 180 Ringing at once (reliable when the INVITE
//! supports or requires 100rel), then 200 OK with an SDP answer after a
//! short ring (RFC 3264 from the crate's `sdp` module: PCMU or PCMA and
//! telephone-event, 488 when the offer has neither). ACK, PRACK, UPDATE, re-INVITE, BYE and CANCEL are handled;
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
use imsip::sdp::{Capabilities, Codec, StreamConfig, offer};
use imsip::ua::{Body, SessionId, UaConfig, UaEvent, UserAgent};
use imsip::{Flow, Method, StatusCode, Transport};

/// What this user agent takes: PCMU and PCMA audio (and DTMF as
/// telephone-event) on port 40000 of the bound address.
fn capabilities(local: SocketAddr) -> Capabilities {
    Capabilities {
        address: local.ip(),
        session_id: 1,
        streams: vec![StreamConfig::audio(
            40000,
            vec![Codec::new("PCMU", 8000), Codec::new("PCMA", 8000)],
        )],
    }
}

/// The body for the 200 (or the answer to an update): the answer to the
/// peer's offer (`Err(488)` when nothing in it is acceptable), or an offer
/// of this side's own when the peer made none.
fn media(ua: &UserAgent, session: SessionId, local: SocketAddr) -> Result<Body, StatusCode> {
    let caps = capabilities(local);
    match ua.offer_answer(session).and_then(|oa| oa.answer(&caps)) {
        Some(Ok(answer)) => Ok(Body::from_description(&answer)),
        Some(Err(_)) => Err(StatusCode::NOT_ACCEPTABLE_HERE),
        // No offer from the peer: one of our own, in the session's next
        // version.
        None => Ok(Body::from_description(
            &ua.offer_answer(session)
                .map_or_else(|| offer(&caps), |oa| oa.offer(&caps)),
        )),
    }
}

struct CallInfo {
    call_id: String,
    from: String,
    started: Instant,
    answer_at: Option<Instant>,
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
            let result = match media(&ua, session, local) {
                Ok(body) => ua.answer(now, session, Some(body)),
                Err(status) => ua.reject(now, session, status),
            };
            if let Err(e) = result {
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
                        },
                    );
                    if let Err(e) = ua.progress(now, session, StatusCode::RINGING, None) {
                        eprintln!("uas_answer: cannot ring: {e}");
                    }
                }
                UaEvent::Update { session, request } => {
                    // A re-INVITE or UPDATE (or a PRACK with an offer): the
                    // answer to its offer (hold, resume, a new codec).
                    let has_offer = !request.as_ref().body().is_empty();
                    let result = match has_offer.then(|| media(&ua, session, local)) {
                        Some(Err(status)) => ua.reject_update(now, session, status),
                        body => ua.accept_update(now, session, body.and_then(Result::ok)),
                    };
                    if let Err(e) = result {
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
