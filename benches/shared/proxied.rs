//! One OPTIONS transaction through a stateful proxy, as `benches/proxy.rs`
//! and `benches/proxy_loop.rs` measure it: the client's endpoint sends, the
//! proxy parses, checks (§16.3), hands it up, its user retargets it to the
//! server, the proxy forwards it (Record-Route not for OPTIONS; Via,
//! Max-Forwards), the server's user answers 200, the proxy takes the
//! response, pops its Via and sends it upstream, the client matches it.
//! Every message crosses as a copy, as a socket hands it over.
//!
//! [`Proxied::stateless`] puts the stateless proxy (§16.11) in the middle
//! instead: no transactions there, the same checks and copy.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
use imsip::proxy::{
    Forking, Proxy, ProxyConfig, ProxyEvent, ProxyIdentity, StatelessEvent, StatelessProxy, Target,
};
use imsip::uri::{HostPort, Uri};
use imsip::{Message, StatusCode, Transport};

/// The proxy in the middle.
enum Middle {
    Stateful(Box<Proxy>),
    Stateless(Box<StatelessProxy>),
}

impl Middle {
    fn handle_input(&mut self, now: Instant, flow: Flow, data: Bytes) {
        match self {
            Middle::Stateful(p) => p.handle_input(now, flow, data),
            Middle::Stateless(p) => p.handle_input(flow, data),
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Middle::Stateful(p) = self {
            p.handle_timeout(now);
        }
    }

    fn poll_transmit(&mut self) -> Option<imsip::Transmit> {
        match self {
            Middle::Stateful(p) => p.poll_transmit(),
            Middle::Stateless(p) => p.poll_transmit(),
        }
    }

    /// Routes every request reported to `target`; whether there was one.
    fn route(&mut self, now: Instant, target: &Target) -> bool {
        let mut moved = false;
        match self {
            Middle::Stateful(p) => {
                while let Some(e) = p.poll_event() {
                    if let ProxyEvent::Request { id, .. } = e {
                        p.forward(now, id, vec![target.clone()], Forking::Parallel);
                    }
                    moved = true;
                }
            }
            Middle::Stateless(p) => {
                while let Some(e) = p.poll_event() {
                    if let StatelessEvent::Request {
                        request, origin, ..
                    } = e
                    {
                        p.forward(&request, &origin, target).unwrap();
                    }
                    moved = true;
                }
            }
        }
        moved
    }
}

pub(crate) struct Proxied {
    client: Endpoint,
    proxy: Middle,
    server: Endpoint,
    addrs: [SocketAddr; 3],
    transport: Transport,
    target: Target,
    now: Instant,
    step: Duration,
    n: u64,
    pub(crate) completed: u64,
}

impl Proxied {
    /// Through the stateful proxy.
    pub(crate) fn new(transport: Transport, step: Duration) -> Proxied {
        Proxied::build(transport, step, false)
    }

    /// Through the stateless proxy.
    pub(crate) fn stateless(transport: Transport, step: Duration) -> Proxied {
        Proxied::build(transport, step, true)
    }

    fn build(transport: Transport, step: Duration, stateless: bool) -> Proxied {
        let addrs: [SocketAddr; 3] = [
            "192.0.2.1:5060".parse().unwrap(),
            "192.0.2.10:5060".parse().unwrap(),
            "192.0.2.2:5060".parse().unwrap(),
        ];
        let identity = ProxyIdentity::new(
            Uri::parse("sip:192.0.2.10;lr").unwrap().into_owned(),
            HostPort::from(addrs[1]).into_owned(),
            [7; 16],
        );
        let proxy = if stateless {
            Middle::Stateless(Box::new(StatelessProxy::new(identity)))
        } else {
            let mut config = ProxyConfig::new(identity);
            config.endpoint.max_transactions = 1 << 20;
            Middle::Stateful(Box::new(Proxy::new(config)))
        };
        let config_endpoint = || {
            let mut c = EndpointConfig::default();
            c.max_transactions = 1 << 20;
            c
        };
        let mut target = Target::direct(
            Uri::parse("sip:bob@192.0.2.2").unwrap().into_owned(),
            transport,
            addrs[1],
        )
        .unwrap();
        target.flow.transport = transport;
        Proxied {
            client: Endpoint::new(config_endpoint()),
            proxy,
            server: Endpoint::new(config_endpoint()),
            addrs,
            transport,
            target,
            now: Instant::now(),
            step,
            n: 0,
            completed: 0,
        }
    }

    fn flow(&self, to: usize, from: usize) -> Flow {
        Flow::new(self.transport, self.addrs[to], self.addrs[from])
    }

    /// One proxied OPTIONS, start to final response at the client.
    pub(crate) fn transaction(&mut self) {
        self.n += 1;
        self.now += self.step;
        let now = self.now;
        self.client.handle_timeout(now);
        self.proxy.handle_timeout(now);
        self.server.handle_timeout(now);
        let text = format!(
            "OPTIONS sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/{} 192.0.2.1:5060;branch=z9hG4bKpx{}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@example.com>;tag=fa{}\r\n\
To: <sip:bob@example.com>\r\n\
Call-ID: px{}@192.0.2.1\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n",
            self.transport, self.n, self.n, self.n
        );
        let request = Message::parse(Bytes::from(text)).unwrap();
        let to_proxy = Flow::new(self.transport, self.addrs[0], self.addrs[1]);
        self.client.send_request(now, request, to_proxy).unwrap();
        loop {
            let mut moved = false;
            while let Some(t) = self.client.poll_transmit() {
                let flow = self.flow(1, 0);
                self.proxy
                    .handle_input(now, flow, Bytes::copy_from_slice(&t.payload));
                moved = true;
            }
            moved |= self.proxy.route(now, &self.target);
            while let Some(t) = self.proxy.poll_transmit() {
                let payload = Bytes::copy_from_slice(&t.payload);
                if t.flow.remote == self.addrs[2] {
                    let flow = self.flow(2, 1);
                    self.server.handle_input(now, flow, payload);
                } else {
                    let flow = self.flow(0, 1);
                    self.client.handle_input(now, flow, payload);
                }
                moved = true;
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
                        .build()
                        .unwrap();
                    self.server.respond(now, transaction, ok).unwrap();
                }
                moved = true;
            }
            while let Some(t) = self.server.poll_transmit() {
                let flow = self.flow(1, 2);
                self.proxy
                    .handle_input(now, flow, Bytes::copy_from_slice(&t.payload));
                moved = true;
            }
            while let Some(e) = self.client.poll_event() {
                if let Event::Response { response, .. } = e
                    && response.as_ref().status() == Some(StatusCode::OK)
                {
                    self.completed += 1;
                }
                moved = true;
            }
            if !moved {
                break;
            }
        }
    }
}
