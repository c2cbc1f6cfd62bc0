//! Two endpoints and a deterministic network between them, in virtual
//! time: every datagram is delivered after a delay, possibly lost,
//! duplicated or reordered, all decided by a seeded generator. Time only
//! moves to the next event (a delivery or a timer), as quinn-proto's test
//! `Pair` does.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::Transport;
use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow, Transmit};
use imsip::random::{Random, SeededRandom};

/// How the network misbehaves.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Network {
    /// Probability of losing a datagram, in percent.
    pub(crate) loss: u64,
    /// Probability of sending a datagram twice, in percent.
    pub(crate) duplication: u64,
    /// Shortest one-way delay.
    pub(crate) delay: Duration,
    /// Extra random delay up to this (reordering when larger than the gap
    /// between datagrams).
    pub(crate) jitter: Duration,
}

impl Network {
    /// What happens to one datagram: the delay of each copy that arrives
    /// (none when it is lost, two when it is duplicated), drawn from
    /// `rng`.
    pub(crate) fn fate(&self, rng: &mut SeededRandom) -> Vec<Duration> {
        let mut percent = |p: u64| p > 0 && rng.next_u64() % 100 < p;
        if percent(self.loss) {
            return Vec::new();
        }
        let copies = if percent(self.duplication) { 2 } else { 1 };
        (0..copies)
            .map(|_| {
                let jitter = if self.jitter.is_zero() {
                    Duration::ZERO
                } else {
                    let j = self.jitter.as_micros() as u64;
                    Duration::from_micros(rng.next_u64() % (j + 1))
                };
                self.delay + jitter
            })
            .collect()
    }

    pub(crate) const PERFECT: Network = Network {
        loss: 0,
        duplication: 0,
        delay: Duration::from_millis(10),
        jitter: Duration::ZERO,
    };
}

/// A datagram on its way.
#[derive(Clone, Debug)]
pub(crate) struct InFlight {
    pub(crate) at: Instant,
    pub(crate) seq: u64,
    pub(crate) to: usize,
    pub(crate) from: SocketAddr,
    pub(crate) payload: Bytes,
}

/// What one side sent, and when.
#[derive(Clone, Debug)]
pub(crate) struct Sent {
    pub(crate) at: Duration,
    pub(crate) payload: Bytes,
}

pub(crate) struct Pair {
    pub(crate) t0: Instant,
    pub(crate) now: Instant,
    pub(crate) nodes: [Endpoint; 2],
    pub(crate) addrs: [SocketAddr; 2],
    pub(crate) events: [Vec<(Duration, Event)>; 2],
    pub(crate) sent: [Vec<Sent>; 2],
    /// What each node received, and when.
    pub(crate) delivered: [Vec<Sent>; 2],
    pub(crate) network: Network,
    rng: SeededRandom,
    flight: Vec<InFlight>,
    seq: u64,
}

impl Pair {
    pub(crate) fn new(config: EndpointConfig, network: Network, seed: u64) -> Pair {
        let t0 = Instant::now();
        // Reproducible stateless answers unless the test chose a seed.
        let mut config = config;
        config.seed = config.seed.or(Some(seed));
        Pair {
            t0,
            now: t0,
            nodes: [Endpoint::new(config.clone()), Endpoint::new(config)],
            addrs: [
                "127.0.0.1:5060".parse().unwrap(),
                "127.0.0.2:5060".parse().unwrap(),
            ],
            events: [Vec::new(), Vec::new()],
            sent: [Vec::new(), Vec::new()],
            delivered: [Vec::new(), Vec::new()],
            network,
            rng: SeededRandom::new(seed),
            flight: Vec::new(),
            seq: 0,
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.now - self.t0
    }

    /// Moves every transmit of node `i` into the network and every event
    /// into `events[i]`.
    pub(crate) fn drain(&mut self, i: usize) {
        while let Some(t) = self.nodes[i].poll_transmit() {
            self.transmit(i, t);
        }
        while let Some(e) = self.nodes[i].poll_event() {
            let at = self.elapsed();
            self.events[i].push((at, e));
        }
    }

    fn transmit(&mut self, i: usize, t: Transmit) {
        let to = self
            .addrs
            .iter()
            .position(|a| *a == t.flow.remote)
            .expect("sent to a node of the pair");
        self.sent[i].push(Sent {
            at: self.elapsed(),
            payload: t.payload.clone(),
        });
        for delay in self.network.fate(&mut self.rng) {
            self.seq += 1;
            self.flight.push(InFlight {
                at: self.now + delay,
                seq: self.seq,
                to,
                from: self.addrs[i],
                payload: t.payload.clone(),
            });
        }
    }

    /// The next instant something happens: a delivery or a timer.
    fn next(&mut self) -> Option<Instant> {
        let delivery = self.flight.iter().map(|f| f.at).min();
        let timers = [self.nodes[0].poll_timeout(), self.nodes[1].poll_timeout()];
        delivery
            .into_iter()
            .chain(timers.into_iter().flatten())
            .min()
    }

    /// Runs until nothing is left to happen or `limit` of virtual time has
    /// passed; `on_event` may answer events (it gets the node index).
    pub(crate) fn run(
        &mut self,
        limit: Duration,
        mut on_event: impl FnMut(&mut Endpoint, Instant, usize, &Event),
    ) {
        self.drain(0);
        self.drain(1);
        while let Some(at) = self.next() {
            if at - self.t0 > limit {
                break;
            }
            self.now = self.now.max(at);
            // Deliver everything due, in arrival order (then send order).
            let mut due: Vec<InFlight> = Vec::new();
            self.flight.retain(|f| {
                if f.at <= at {
                    due.push(f.clone());
                    false
                } else {
                    true
                }
            });
            due.sort_by_key(|f| (f.at, f.seq));
            for f in due {
                let local = self.addrs[f.to];
                let at = self.elapsed();
                self.delivered[f.to].push(Sent {
                    at,
                    payload: f.payload.clone(),
                });
                self.nodes[f.to].handle_input(
                    self.now,
                    Flow::new(Transport::Udp, local, f.from),
                    f.payload.clone(),
                );
                self.answer(f.to, &mut on_event);
            }
            for i in 0..2 {
                self.nodes[i].handle_timeout(self.now);
                self.answer(i, &mut on_event);
            }
        }
    }

    fn answer(
        &mut self,
        i: usize,
        on_event: &mut impl FnMut(&mut Endpoint, Instant, usize, &Event),
    ) {
        loop {
            while let Some(t) = self.nodes[i].poll_transmit() {
                self.transmit(i, t);
            }
            let Some(e) = self.nodes[i].poll_event() else {
                break;
            };
            on_event(&mut self.nodes[i], self.now, i, &e);
            let at = self.elapsed();
            self.events[i].push((at, e));
        }
    }
}
