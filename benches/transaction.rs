//! Complete non-INVITE transactions through two endpoints on one core:
//! the client builds and sends an OPTIONS, the server parses, validates,
//! matches and hands it up, its user builds the 200 from the request, the
//! client parses and matches the response. Parse and encode included.
//!
//! `cargo bench --bench transaction`. Numbers in `docs/performance.md`.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Received, Target};
use imsip::{Message, StatusCode, Transport};

struct Bench {
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
    fn new(transport: Transport<'static>, step: Duration) -> Bench {
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
    fn transaction(&mut self) {
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

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("non_invite_transaction");
    g.throughput(Throughput::Elements(1));
    // TCP: Timers J and K are zero, both transactions end with the 200.
    let mut tcp = Bench::new(Transport::Tcp, Duration::from_micros(1));
    g.bench_function("tcp", |b| b.iter(|| tcp.transaction()));
    // UDP: 1 ms of virtual time per transaction, so about 32,000 server and
    // 5,000 client transactions are alive (Timers J and K), as on a busy
    // server.
    let mut udp = Bench::new(Transport::Udp, Duration::from_millis(1));
    for _ in 0..40_000 {
        udp.transaction();
    }
    g.bench_function("udp_with_37k_live", |b| b.iter(|| udp.transaction()));
    g.finish();
}

criterion_group! {
    name = benches_group;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(benches_group);
