//! Sends one OPTIONS over UDP with the sans-IO [`Endpoint`] and prints the
//! responses: the client transaction retransmits on the RFC 3261 schedule
//! and gives up after 32 s (Timer F).
//!
//! ```sh
//! cargo run --example uac_options -- 127.0.0.1:5060
//! ```
//!
//! Exits 0 on a 2xx, 1 otherwise.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use imsip::header::{self, CSeq, CallId, MaxForwards, NameAddr, To, Via};
use imsip::random::OsRandom;
use imsip::uri::{SipUri, Uri};
use imsip::{Endpoint, EndpointConfig, Event, Flow, Method, RequestBuilder, StatusCode, Transport};

/// Sends an OPTIONS from `socket` to `target`; the final status, or `None`
/// when the transaction timed out.
pub(crate) fn options(
    socket: &UdpSocket,
    target: SocketAddr,
) -> std::io::Result<Option<StatusCode>> {
    let local = socket.local_addr()?;
    // Tags, branches and Call-IDs from the operating system's generator.
    let mut rng = OsRandom::new();
    let uri = Uri::from(SipUri::from(target));
    let me = Uri::from(SipUri::from(local).with_user("uac"));
    let request = RequestBuilder::new(Method::Options, &uri)
        .header(
            &Via::new(Transport::Udp, local.into())
                .with_branch(&mut rng)
                .with_rport(),
        )
        .header(&MaxForwards(70))
        .header(&header::From::new(NameAddr::new(me)).with_tag(&mut rng))
        .header(&To::new(NameAddr::new(uri.clone())))
        .header(&CallId::random(&mut rng, None))
        .header(&CSeq {
            seq: 1,
            method: Method::Options,
        })
        .raw_header("Accept", "application/sdp")
        .build()
        .expect("the request has every mandatory header");

    let mut endpoint = Endpoint::new(EndpointConfig::default());
    let tx = endpoint
        .send_request(
            Instant::now(),
            request,
            Flow::new(Transport::Udp, local, target),
        )
        .expect("a fresh branch");
    let mut buf = vec![0u8; 65_535];
    let mut final_status = None;
    loop {
        while let Some(t) = endpoint.poll_transmit() {
            socket.send_to(&t.payload, t.flow.remote)?;
        }
        while let Some(event) = endpoint.poll_event() {
            match event {
                Event::Response { response, .. } => {
                    let status = response.as_ref().status();
                    if let Some(s) = status {
                        eprintln!("uac: {s}");
                        if s.is_final() {
                            final_status = Some(s);
                        }
                    }
                }
                Event::Terminated {
                    transaction,
                    reason,
                } if transaction == tx.into() => {
                    eprintln!("uac: transaction {reason}");
                    return Ok(final_status);
                }
                _ => {}
            }
        }
        if final_status.is_some() {
            // The answer is in: no need to wait out Timer K.
            return Ok(final_status);
        }
        let wait = endpoint
            .poll_timeout()
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(100))
            .max(Duration::from_millis(1));
        socket.set_read_timeout(Some(wait))?;
        match socket.recv_from(&mut buf) {
            Ok((n, remote)) => endpoint.handle_input(
                Instant::now(),
                Flow::new(Transport::Udp, local, remote),
                bytes::Bytes::copy_from_slice(&buf[..n]),
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                endpoint.handle_timeout(Instant::now())
            }
            Err(e) => return Err(e),
        }
    }
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let target: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:5060".to_owned())
        .parse()
        .map_err(|e| std::io::Error::new(ErrorKind::InvalidInput, e))?;
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    match options(&socket, target)? {
        Some(s) if s.is_success() => Ok(()),
        _ => std::process::exit(1),
    }
}
