//! The same sans-IO [`Endpoint`] under tokio: a user agent server that
//! answers every request 200 (INVITE 486, as this example has no dialogs),
//! with tokio's `UdpSocket` and timers. Nothing in imsip knows it runs
//! under an async runtime; the loop below is the whole integration.
//!
//! ```sh
//! cargo run --example tokio_uas -- 127.0.0.1:5060
//! ```

use std::time::{Duration, Instant};

use bytes::BytesMut;
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
use imsip::{Method, StatusCode, Transport};
use tokio::net::UdpSocket;

/// Serves on `socket` until `limit` requests were answered (forever with
/// `None`); returns how many were.
pub(crate) async fn serve(socket: UdpSocket, limit: Option<usize>) -> std::io::Result<usize> {
    let local = socket.local_addr()?;
    let mut endpoint = Endpoint::new(EndpointConfig::default());
    // Datagrams are read into a shared buffer and handed over without a
    // copy: each is split off and frozen into the `Bytes` the endpoint
    // keeps.
    let mut buf = BytesMut::new();
    let mut answered = 0;
    loop {
        // Wait for a datagram, or until the endpoint's next timer.
        let wait = endpoint
            .poll_timeout()
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_secs(1));
        buf.reserve(65_535);
        match tokio::time::timeout(wait, socket.recv_buf_from(&mut buf)).await {
            Ok(Ok((_, remote))) => endpoint.handle_input(
                Instant::now(),
                Flow::new(Transport::Udp, local, remote),
                buf.split().freeze(),
            ),
            Ok(Err(e)) => return Err(e),
            Err(_elapsed) => endpoint.handle_timeout(Instant::now()),
        }
        while let Some(event) = endpoint.poll_event() {
            if let Event::Request {
                transaction,
                request,
                ..
            } = event
            {
                let status = match request.as_ref().method() {
                    Some(Method::Invite) => StatusCode::BUSY_HERE,
                    _ => StatusCode::OK,
                };
                // The builder adds a To tag (RFC 3261 §8.2.6.2).
                let response = request.as_ref().response(status).and_then(|b| b.build());
                if let Ok(r) = response
                    && endpoint.respond(Instant::now(), transaction, r).is_ok()
                {
                    answered += 1;
                }
            }
        }
        while let Some(t) = endpoint.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote).await?;
        }
        if limit.is_some_and(|l| answered >= l) {
            return Ok(answered);
        }
    }
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:5060".to_owned());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async {
        let socket = UdpSocket::bind(&addr).await?;
        eprintln!("tokio_uas: listening on udp:{}", socket.local_addr()?);
        serve(socket, None).await.map(|_| ())
    })
}
