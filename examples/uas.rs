//! A minimal user agent server over a std `UdpSocket`, driven by the
//! sans-IO [`Endpoint`]: each request is checked with a user agent's
//! policy (RFC 3261 §8.2, answered 416, 420 ... when it fails), OPTIONS and
//! any other non-INVITE request get 200 (405 for methods it does not know),
//! an INVITE rings and is turned down with 486 Busy Here (this example has
//! no dialogs), a CANCEL is honoured with 487, and a CANCEL for no INVITE
//! gets 481.
//!
//! ```sh
//! cargo run --example uas -- 127.0.0.1:5060
//! cargo run --example uac_options -- 127.0.0.1:5060   # in another shell
//! ```

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use imsip::{
    Endpoint, EndpointConfig, Event, Flow, Message, Method, ServerId, StatusCode, Transport,
    ValidationPolicy,
};

/// What this user agent checks requests against: no extensions.
const POLICY: ValidationPolicy<'static> = ValidationPolicy::user_agent(&[]);

/// Serves on `socket` until `limit` requests have been answered (forever
/// with `None`). Returns how many were answered.
pub(crate) fn serve(socket: &UdpSocket, limit: Option<usize>) -> std::io::Result<usize> {
    let local = socket.local_addr()?;
    let mut endpoint = Endpoint::new(EndpointConfig::default());
    let mut buf = vec![0u8; 65_535];
    let mut answered = 0;
    // INVITEs waiting for their 486 (sent after ringing for a moment).
    let mut ringing: Vec<(Instant, ServerId, Message)> = Vec::new();
    loop {
        let now = Instant::now();
        let wake = [endpoint.poll_timeout(), ringing.iter().map(|r| r.0).min()]
            .into_iter()
            .flatten()
            .min();
        let wait = wake
            .map(|at| at.saturating_duration_since(now))
            .unwrap_or(Duration::from_millis(200))
            .clamp(Duration::from_millis(1), Duration::from_millis(200));
        socket.set_read_timeout(Some(wait))?;
        match socket.recv_from(&mut buf) {
            Ok((n, remote)) => endpoint.handle_input(
                Instant::now(),
                Flow::new(Transport::Udp, local, remote),
                bytes::Bytes::copy_from_slice(&buf[..n]),
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
        let now = Instant::now();
        endpoint.handle_timeout(now);
        // Calls that rang long enough.
        let due: Vec<_> = ringing.iter().filter(|r| r.0 <= now).cloned().collect();
        ringing.retain(|r| r.0 > now);
        for (_, tx, invite) in due {
            if respond(&mut endpoint, now, tx, &invite, StatusCode::BUSY_HERE) {
                answered += 1;
            }
        }
        while let Some(t) = endpoint.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote)?;
        }
        while let Some(event) = endpoint.poll_event() {
            match event {
                Event::Request {
                    transaction,
                    request,
                    ..
                } => {
                    let r = request.as_ref();
                    if let Err(e) = r.validate_with(&POLICY) {
                        if let Ok(answer) = POLICY.rejection(&r, &e).and_then(|b| b.build()) {
                            let _ = endpoint.respond(now, transaction, answer);
                        }
                        answered += 1;
                        continue;
                    }
                    let method = r.method().map(Method::into_owned);
                    match method {
                        Some(Method::Invite) => {
                            respond(
                                &mut endpoint,
                                now,
                                transaction,
                                &request,
                                StatusCode::RINGING,
                            );
                            ringing.push((now + Duration::from_millis(300), transaction, request));
                        }
                        // A CANCEL that reaches the user matched no INVITE.
                        Some(Method::Cancel) => {
                            respond(
                                &mut endpoint,
                                now,
                                transaction,
                                &request,
                                StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                            );
                            answered += 1;
                        }
                        Some(Method::Extension(_)) => {
                            respond(
                                &mut endpoint,
                                now,
                                transaction,
                                &request,
                                StatusCode::METHOD_NOT_ALLOWED,
                            );
                            answered += 1;
                        }
                        _ => {
                            respond(&mut endpoint, now, transaction, &request, StatusCode::OK);
                            answered += 1;
                        }
                    }
                }
                Event::Cancelled { transaction, .. } => {
                    if let Some(i) = ringing.iter().position(|r| r.1 == transaction) {
                        let (_, tx, invite) = ringing.remove(i);
                        respond(
                            &mut endpoint,
                            now,
                            tx,
                            &invite,
                            StatusCode::REQUEST_TERMINATED,
                        );
                        answered += 1;
                    }
                }
                _ => {}
            }
        }
        while let Some(t) = endpoint.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote)?;
        }
        if limit.is_some_and(|l| answered >= l) {
            // Let the last response leave before returning.
            return Ok(answered);
        }
    }
}

/// Sends `status` for `request` on `tx` (the builder adds the To tag);
/// whether it went.
fn respond(
    endpoint: &mut Endpoint,
    now: Instant,
    tx: ServerId,
    request: &Message,
    status: StatusCode,
) -> bool {
    let Ok(builder) = request.as_ref().response(status) else {
        return false;
    };
    let builder = if status == StatusCode::OK {
        builder.raw_header("Allow", "INVITE, ACK, CANCEL, OPTIONS, BYE")
    } else {
        builder
    };
    match builder.build() {
        Ok(response) => endpoint.respond(now, tx, response).is_ok(),
        Err(_) => false,
    }
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:5060".to_owned());
    let socket = UdpSocket::bind(&addr)?;
    eprintln!("uas: listening on udp:{}", socket.local_addr()?);
    serve(&socket, None).map(|_| ())
}
