//! User agents on a deterministic network in virtual time: every datagram
//! is delivered after a delay, possibly lost, duplicated or reordered, all
//! from a seed; a filter can drop chosen messages. Time moves to the next
//! delivery or timer only.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use imsip::random::SeededRandom;
use imsip::ua::{UaConfig, UaEvent, UserAgent};
use imsip::{Flow, MessageRef, Transport};

pub(crate) use super::pair::Network;

/// A datagram on its way.
#[derive(Clone, Debug)]
struct InFlight {
    at: Instant,
    seq: u64,
    to: usize,
    from: SocketAddr,
    payload: Bytes,
}

/// Who sent what, when.
#[derive(Clone, Debug)]
pub(crate) struct Wire {
    pub(crate) at: Duration,
    pub(crate) from: usize,
    pub(crate) to: Option<usize>,
    pub(crate) payload: Bytes,
}

impl Wire {
    /// The first line, for readable failures.
    pub(crate) fn line(&self) -> String {
        let text = String::from_utf8_lossy(&self.payload);
        text.lines().next().unwrap_or("").to_owned()
    }

    pub(crate) fn message(&self) -> MessageRef<'_> {
        MessageRef::parse(&self.payload).expect("the user agents send what parses")
    }
}

type Filter = Box<dyn FnMut(usize, &MessageRef<'_>) -> bool>;

/// A command run at a moment of virtual time.
pub(crate) type Step = (Duration, Box<dyn FnMut(&mut Net)>);

/// Commands at moments of virtual time.
pub(crate) type Script = Vec<Step>;

pub(crate) struct Net {
    pub(crate) t0: Instant,
    pub(crate) now: Instant,
    pub(crate) nodes: Vec<UserAgent>,
    pub(crate) addrs: Vec<SocketAddr>,
    pub(crate) events: Vec<Vec<(Duration, UaEvent)>>,
    /// Everything sent, in order.
    pub(crate) wire: Vec<Wire>,
    pub(crate) network: Network,
    /// Drops a message from node `i` when it returns true.
    pub(crate) filter: Option<Filter>,
    /// `(a, b, c)`: requests from node `a` to node `b` outside a dialog
    /// (no To tag: an INVITE, its CANCEL) reach node `c` as well, as a
    /// forking proxy would have them; each copy has its own fate.
    pub(crate) fork: Option<(usize, usize, usize)>,
    rng: SeededRandom,
    flight: Vec<InFlight>,
    seq: u64,
}

impl Net {
    pub(crate) fn new(count: usize, network: Network, seed: u64) -> Net {
        Net::with_config(count, network, seed, |_, _| {})
    }

    /// Like [`Net::new`], with each node's configuration adjusted.
    pub(crate) fn with_config(
        count: usize,
        network: Network,
        seed: u64,
        mut configure: impl FnMut(usize, &mut UaConfig),
    ) -> Net {
        let t0 = Instant::now();
        let nodes = (0..count)
            .map(|i| {
                let mut config = UaConfig::default();
                config.endpoint.seed = Some(seed.wrapping_mul(31).wrapping_add(i as u64));
                configure(i, &mut config);
                UserAgent::new(config)
            })
            .collect();
        Net {
            t0,
            now: t0,
            nodes,
            addrs: (0..count)
                .map(|i| format!("127.0.0.{}:5060", i + 1).parse().unwrap())
                .collect(),
            events: vec![Vec::new(); count],
            wire: Vec::new(),
            network,
            filter: None,
            fork: None,
            rng: SeededRandom::new(seed),
            flight: Vec::new(),
            seq: 0,
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.now - self.t0
    }

    /// The flow from node `from` to node `to`.
    pub(crate) fn flow(&self, from: usize, to: usize) -> Flow {
        Flow::new(Transport::Udp, self.addrs[from], self.addrs[to])
    }

    fn transmit(&mut self, i: usize, remote: SocketAddr, payload: Bytes) {
        let to = self.addrs.iter().position(|a| *a == remote);
        self.wire.push(Wire {
            at: self.elapsed(),
            from: i,
            to,
            payload: payload.clone(),
        });
        let Some(to) = to else { return };
        if let Some((a, b, c)) = self.fork
            && i == a
            && to == b
            && MessageRef::parse(&payload)
                .is_ok_and(|m| m.is_request() && m.to_tag().ok().flatten().is_none())
        {
            self.deliver(i, c, payload.clone());
        }
        self.deliver(i, to, payload);
    }

    /// One datagram from node `i` to node `to` into the network: filtered,
    /// lost, duplicated and delayed as the network says.
    fn deliver(&mut self, i: usize, to: usize, payload: Bytes) {
        if let Some(filter) = &mut self.filter
            && let Ok(m) = MessageRef::parse(&payload)
            && filter(i, &m)
        {
            return;
        }
        for delay in self.network.fate(&mut self.rng) {
            self.seq += 1;
            self.flight.push(InFlight {
                at: self.now + delay,
                seq: self.seq,
                to,
                from: self.addrs[i],
                payload: payload.clone(),
            });
        }
    }

    fn next(&mut self) -> Option<Instant> {
        let delivery = self.flight.iter().map(|f| f.at).min();
        let timers = self.nodes.iter_mut().filter_map(|n| n.poll_timeout()).min();
        delivery.into_iter().chain(timers).min()
    }

    /// Drains node `i`: transmits into the network, events to `on_event`
    /// (which may command the node) and into `events[i]`.
    fn answer(
        &mut self,
        i: usize,
        on_event: &mut impl FnMut(&mut UserAgent, Instant, usize, &UaEvent),
    ) {
        loop {
            while let Some(t) = self.nodes[i].poll_transmit() {
                self.transmit(i, t.flow.remote, t.payload);
            }
            let Some(e) = self.nodes[i].poll_event() else {
                break;
            };
            on_event(&mut self.nodes[i], self.now, i, &e);
            let at = self.elapsed();
            self.events[i].push((at, e));
        }
    }

    /// Runs until nothing is left to happen or `limit` of virtual time has
    /// passed. `on_event` gets each event with the node and its index;
    /// `at` lists commands to run at given times.
    pub(crate) fn run(
        &mut self,
        limit: Duration,
        mut at: Script,
        mut on_event: impl FnMut(&mut UserAgent, Instant, usize, &UaEvent),
    ) {
        at.sort_by_key(|(d, _)| *d);
        let mut at = std::collections::VecDeque::from(at);
        for i in 0..self.nodes.len() {
            self.answer(i, &mut on_event);
        }
        loop {
            let scripted = at.front().map(|(d, _)| self.t0 + *d);
            let next = match (self.next(), scripted) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let Some(next) = next else { break };
            if next - self.t0 > limit {
                break;
            }
            self.now = self.now.max(next);
            while at.front().is_some_and(|(d, _)| self.t0 + *d <= self.now) {
                let (_, mut command) = at.pop_front().unwrap();
                command(self);
                for i in 0..self.nodes.len() {
                    self.answer(i, &mut on_event);
                }
            }
            let mut due: Vec<InFlight> = Vec::new();
            let now = self.now;
            self.flight.retain(|f| {
                if f.at <= now {
                    due.push(f.clone());
                    false
                } else {
                    true
                }
            });
            due.sort_by_key(|f| (f.at, f.seq));
            for f in due {
                let local = self.addrs[f.to];
                self.nodes[f.to].handle_input(
                    self.now,
                    Flow::new(Transport::Udp, local, f.from),
                    f.payload.clone(),
                );
                self.answer(f.to, &mut on_event);
            }
            for i in 0..self.nodes.len() {
                self.nodes[i].handle_timeout(self.now);
                self.answer(i, &mut on_event);
            }
        }
    }

    /// The wire lines sent by node `i`, for failure messages.
    pub(crate) fn ladder(&self) -> String {
        self.wire
            .iter()
            .map(|w| {
                format!(
                    "{:>8.3}s {} -> {:?}: {}\n",
                    w.at.as_secs_f64(),
                    w.from,
                    w.to,
                    w.line()
                )
            })
            .collect()
    }
}
