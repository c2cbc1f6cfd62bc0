//! The transaction both `benches/transaction.rs` (criterion) and
//! `benches/transaction_loop.rs` (a plain loop, for callgrind and paired
//! wall-clock runs) measure: one OPTIONS through two endpoints, the
//! client's user writing and parsing the request, the server's user
//! building the 200 from it.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Received, Target};
use imsip::{Message, StatusCode, Transport};

pub(crate) struct Bench {
    client: Endpoint,
    server: Endpoint,
    client_addr: SocketAddr,
    server_addr: SocketAddr,
    transport: Transport<'static>,
    now: Instant,
    n: u64,
    /// Virtual time per transaction, so UDP transactions expire (Timers J
    /// and K) and the live set stays bounded.
    step: Duration,
}

impl Bench {
    pub(crate) fn new(transport: Transport<'static>, step: Duration) -> Bench {
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
        let target = Target {
            transport: self.transport.clone(),
            destination: self.server_addr,
        };
        self.client.send_request(self.now, request, target).unwrap();
        while let Some(t) = self.client.poll_transmit() {
            self.server.handle_input(
                self.now,
                Received {
                    transport: self.transport.clone(),
                    source: self.client_addr,
                    local: self.server_addr,
                    data: &t.payload,
                },
            );
        }
        while let Some(e) = self.server.poll_event() {
            if let Event::Request {
                transaction,
                request,
                ..
            } = e
            {
                let ok = request
                    .as_ref()
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
                Received {
                    transport: self.transport.clone(),
                    source: self.server_addr,
                    local: self.client_addr,
                    data: &t.payload,
                },
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
