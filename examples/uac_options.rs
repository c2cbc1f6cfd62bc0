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

use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
use imsip::header::{CSeq, CallId, MaxForwards, NameAddr, TypedHeader, Via};
use imsip::message::RequestBuilder;
use imsip::random::{self, SeededRandom};
use imsip::uri::{HostPort, Uri};
use imsip::{Method, StatusCode, Transport};

/// Sends an OPTIONS from `socket` to `target`; the final status, or `None`
/// when the transaction timed out.
pub(crate) fn options(
    socket: &UdpSocket,
    target: SocketAddr,
) -> std::io::Result<Option<StatusCode>> {
    let local = socket.local_addr()?;
    let mut rng = SeededRandom::new(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    );
    let uri_text = format!("sip:{target}");
    let uri = Uri::parse(&uri_text).expect("an address is a URI");
    let local_text = local.to_string();
    let mut via = Via::new(
        Transport::Udp,
        HostPort::parse(&local_text).expect("an address is a host and port"),
    );
    via.params
        .push("branch", Some(&random::branch(&mut rng)))
        .expect("a branch is a token");
    via.params.push("rport", None).expect("rport is a token");
    let from = format!("<sip:uac@{local}>;tag={}", random::tag(&mut rng));
    let request = RequestBuilder::new(Method::Options, &uri)
        .header(&via)
        .header(&MaxForwards(70))
        .raw_header("From", &from)
        .header(&imsip::header::To::new(NameAddr {
            display_name: None,
            uri: uri.clone(),
        }))
        .header(
            &CallId::parse(&random::call_id(&mut rng, Some(&local.ip().to_string())))
                .expect("a Call-ID"),
        )
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
                        eprintln!("uac: {} {}", s.as_u16(), s.reason_phrase());
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
