//! The transaction both `benches/transaction.rs` (criterion) and
//! `benches/transaction_loop.rs` (a plain loop, for callgrind and paired
//! wall-clock runs) measure: one OPTIONS through two endpoints, the
//! client's user writing and parsing the request, the server's user
//! checking it with its policy and building the 200 from it.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
use imsip::{Message, StatusCode, Transport, ValidationPolicy};

/// The server's policy: a user agent's checks.
const POLICY: ValidationPolicy<'static> = ValidationPolicy::user_agent(&[]);

pub(crate) struct Bench {
    client: Endpoint,
    server: Endpoint,
    client_addr: SocketAddr,
    server_addr: SocketAddr,
    transport: Transport,
    now: Instant,
    n: u64,
    /// Virtual time per transaction, so UDP transactions expire (Timers J
    /// and K) and the live set stays bounded.
    step: Duration,
}

impl Bench {
    pub(crate) fn new(transport: Transport, step: Duration) -> Bench {
        Bench {
            client: Endpoint::new(EndpointConfig::default()),
            server: Endpoint::new(EndpointConfig::default()),
            client_addr: "192.0.2.1:5060".parse().unwrap(),
            server_addr: "192.0.2.2:5060".parse().unwrap(),
            transport,
            now: Instant::now(),
            n: 0,
            step,
        }
    }

    /// One OPTIONS transaction, start to final response at the client.
    pub(crate) fn transaction(&mut self) {
        self.n += 1;
        self.now += self.step;
        let text = format!(
            "OPTIONS sip:bob@192.0.2.2 SIP/2.0\r\n\
Via: SIP/2.0/{} 192.0.2.1:5060;branch=z9hG4bKbench{}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@192.0.2.1>;tag=fa{}\r\n\
To: <sip:bob@192.0.2.2>\r\n\
Call-ID: bench{}@192.0.2.1\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n",
            self.transport, self.n, self.n, self.n
        );
        let request = Message::parse(Bytes::from(text)).unwrap();
        let flow = Flow::new(self.transport, self.client_addr, self.server_addr);
        self.client.send_request(self.now, request, flow).unwrap();
        while let Some(t) = self.client.poll_transmit() {
            // The datagram as a socket would hand it over: a copy.
            self.server.handle_input(
                self.now,
                Flow::new(self.transport, self.server_addr, self.client_addr),
                Bytes::copy_from_slice(&t.payload),
            );
        }
        while let Some(e) = self.server.poll_event() {
            if let Event::Request {
                transaction,
                request,
                ..
            } = e
            {
                let request = request.as_ref();
                request.validate_with(&POLICY).unwrap();
                let ok = request
                    .response(StatusCode::OK)
                    .unwrap()
                    .to_tag("b1")
                    .build()
                    .unwrap();
                self.server.respond(self.now, transaction, ok).unwrap();
            }
        }
        while let Some(t) = self.server.poll_transmit() {
            self.client.handle_input(
                self.now,
                Flow::new(self.transport, self.client_addr, self.server_addr),
                Bytes::copy_from_slice(&t.payload),
            );
        }
        let mut got = false;
        while let Some(e) = self.client.poll_event() {
            got |= matches!(e, Event::Response { .. });
        }
        assert!(got);
        self.client.handle_timeout(self.now);
        self.server.handle_timeout(self.now);
        while self.client.poll_event().is_some() {}
        while self.server.poll_event().is_some() {}
        black_box(self.client.transactions() + self.server.transactions());
    }
}
