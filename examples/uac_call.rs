//! Places one call over a std `UdpSocket` with the sans-IO [`UserAgent`]:
//! INVITE with an SDP offer, ACK of the 2xx, a wait, BYE. Exits 0 when the
//! BYE is answered 200, non-zero with the reason otherwise.
//!
//! ```sh
//! cargo run --example uac_call -- --bind 127.0.0.1:5081 --to sip:service@127.0.0.1:5080 [--hold-ms 1000]
//! ```

use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use imsip::sdp::{Capabilities, Codec, StreamConfig};
use imsip::ua::{Body, Call, EndReason, UaConfig, UaEvent, UserAgent};
use imsip::uri::Uri;
use imsip::{Flow, StatusCode, Transport};

/// What to call, from where, for how long.
pub(crate) struct Options {
    pub(crate) bind: SocketAddr,
    pub(crate) to: Uri<'static>,
    pub(crate) hold: Duration,
}

#[allow(dead_code)]
fn parse_args() -> Result<Options, String> {
    let mut bind: SocketAddr = "127.0.0.1:5081".parse().expect("an address");
    let mut to = None;
    let mut hold = Duration::from_millis(1000);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--bind" => bind = value.parse().map_err(|e| format!("--bind {value}: {e}"))?,
            "--to" => {
                to = Some(
                    Uri::parse(&value)
                        .map_err(|e| format!("--to {value}: {e}"))?
                        .into_owned(),
                )
            }
            "--hold-ms" => {
                hold = Duration::from_millis(
                    value
                        .parse()
                        .map_err(|e| format!("--hold-ms {value}: {e}"))?,
                )
            }
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    let to = to.ok_or("--to is required")?;
    Ok(Options { bind, to, hold })
}

/// Where the request goes: the URI's host and port, resolved (RFC 3263
/// is the caller's; this example takes the first address).
fn target(uri: &Uri<'_>) -> Result<(Transport, SocketAddr), String> {
    let sip = uri.as_sip().ok_or("--to must be a sip: URI")?;
    let transport = sip
        .transport()
        .and_then(Transport::from_token)
        .unwrap_or(Transport::Udp);
    if transport != Transport::Udp {
        return Err("this example speaks UDP only".into());
    }
    let port = sip.port().unwrap_or(5060);
    let host = sip.host().to_string();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .map(|a| (transport, a))
        .ok_or_else(|| format!("{host} has no address"))
}

/// The offer: PCMU and PCMA audio, and DTMF as telephone-event.
fn offer(local: SocketAddr) -> Body {
    Body::from_description(&imsip::sdp::offer(&Capabilities {
        address: local.ip(),
        session_id: 1,
        streams: vec![StreamConfig::audio(
            40002,
            vec![Codec::new("PCMU", 8000), Codec::new("PCMA", 8000)],
        )],
    }))
}

/// Places the call; `Err` with the reason when it did not complete.
pub(crate) fn run(options: &Options) -> Result<(), String> {
    let socket =
        UdpSocket::bind(options.bind).map_err(|e| format!("bind {}: {e}", options.bind))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let (transport, remote) = target(&options.to)?;
    let me = Uri::parse(&format!("sip:uac@{local}"))
        .map_err(|e| e.to_string())?
        .into_owned();
    let mut ua = UserAgent::new(UaConfig::default());
    let call = ua
        .call(
            Instant::now(),
            Call::new(me, options.to.clone(), Flow::new(transport, local, remote))
                .body(offer(local)),
        )
        .map_err(|e| format!("cannot call: {e}"))?;
    let mut hangup_at: Option<Instant> = None;
    let mut buf = vec![0u8; 65_535];
    loop {
        while let Some(t) = ua.poll_transmit() {
            socket
                .send_to(&t.payload, t.flow.remote)
                .map_err(|e| format!("send: {e}"))?;
        }
        let mut handled = false;
        while let Some(event) = ua.poll_event() {
            handled = true;
            match event {
                UaEvent::Progress { response, .. } => {
                    if let Some(status) = response.as_ref().status() {
                        eprintln!("uac_call: {status}");
                    }
                }
                UaEvent::Answered { session, response } => {
                    // The answer must answer the offer (RFC 3264 §6).
                    let verdict = match ua.offer_answer(session).and_then(|oa| oa.check_answer()) {
                        Some(Ok(())) => "a valid answer".to_owned(),
                        Some(Err(e)) => format!("not an answer to the offer: {e}"),
                        None => "no answer".to_owned(),
                    };
                    eprintln!(
                        "uac_call: answered ({} octets of SDP, {verdict}); hanging up in {} ms",
                        response.as_ref().body().len(),
                        options.hold.as_millis()
                    );
                    hangup_at = Some(Instant::now() + options.hold);
                }
                UaEvent::Ended { session, reason } if session == call => {
                    return match reason {
                        EndReason::LocalBye(Some(StatusCode::OK)) => {
                            println!("call completed: BYE answered 200 OK");
                            Ok(())
                        }
                        other => Err(format!("call failed: {other}")),
                    };
                }
                _ => {}
            }
        }
        if handled {
            continue;
        }
        if let Some(at) = hangup_at
            && at <= Instant::now()
        {
            hangup_at = None;
            ua.hangup(Instant::now(), call)
                .map_err(|e| format!("cannot hang up: {e}"))?;
            continue;
        }
        let wake = [ua.poll_timeout(), hangup_at].into_iter().flatten().min();
        let wait = wake
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(500))
            .clamp(Duration::from_millis(1), Duration::from_millis(500));
        socket
            .set_read_timeout(Some(wait))
            .map_err(|e| e.to_string())?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => ua.handle_input(
                Instant::now(),
                Flow::new(transport, local, from),
                bytes::Bytes::copy_from_slice(&buf[..n]),
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(format!("receive: {e}")),
        }
        ua.handle_timeout(Instant::now());
    }
}

#[allow(dead_code)]
fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("uac_call: {e}");
            eprintln!("usage: uac_call --to sip:user@host:port [--bind ADDR] [--hold-ms MS]");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("uac_call: {e}");
            ExitCode::FAILURE
        }
    }
}
