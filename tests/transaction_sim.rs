//! Deterministic simulation: two endpoints over a network that loses,
//! duplicates, delays and reorders datagrams, all from a seed. For every
//! seed, every transaction must end the way RFC 3261 §17 says given what
//! actually got through, each request must reach the server's user exactly
//! once, and every retransmission must fall exactly on the RFC schedule.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::pair::{Network, Pair};
use imsip::endpoint::Endpoint;
use imsip::endpoint::{EndpointConfig, Event, TransactionId};
use imsip::transaction::{Termination, Timer};
use imsip::{Message, MessageRef, Method, StatusCode, Transport};

const SEEDS: u64 = 200;
const TRANSACTIONS: usize = 6;

fn request(method: &str, n: usize) -> Message {
    let text = format!(
        "{method} sip:bob@127.0.0.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsim{n}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@127.0.0.1>;tag=a{n}\r\n\
To: <sip:bob@127.0.0.2>\r\n\
Call-ID: sim-{n}\r\n\
CSeq: 1 {method}\r\n\
Content-Length: 0\r\n\r\n"
    );
    Message::parse(Bytes::from(text)).unwrap()
}

/// The retransmission schedule from the start of a transaction: T1
/// doubling, capped at T2 (non-INVITE, Timer E) or not (INVITE, Timer A),
/// until 64·T1.
fn schedule(capped: bool) -> Vec<Duration> {
    let (t1, t2, limit) = (
        Duration::from_millis(500),
        Duration::from_secs(4),
        Duration::from_secs(32),
    );
    let mut at = vec![Duration::ZERO];
    let (mut next, mut interval) = (t1, t1);
    while next < limit {
        at.push(next);
        interval = if capped {
            (interval * 2).min(t2)
        } else {
            interval * 2
        };
        next += interval;
    }
    at
}

#[derive(Debug, Default)]
struct Flow {
    start: Duration,
    method: String,
    /// Request transmissions by the client.
    sends: Vec<Duration>,
    /// Responses that reached the client: (when, status).
    responses: Vec<(Duration, u16)>,
    /// ACKs the client sent, and ACKs that reached the server.
    acks_sent: usize,
    acks_delivered: Vec<Duration>,
    /// Final responses the server sent.
    finals_sent: usize,
}

fn branch_of(payload: &Bytes) -> Option<(String, MessageRef<'_>)> {
    let m = MessageRef::parse(payload).ok()?;
    let branch = m.via().ok()?.branch()?.to_owned();
    Some((branch, m))
}

fn analyse(pair: &Pair, starts: &HashMap<String, (Duration, String)>) -> HashMap<String, Flow> {
    let mut flows: HashMap<String, Flow> = starts
        .iter()
        .map(|(b, (start, method))| {
            (
                b.clone(),
                Flow {
                    start: *start,
                    method: method.clone(),
                    ..Flow::default()
                },
            )
        })
        .collect();
    for s in &pair.sent[0] {
        let Some((branch, m)) = branch_of(&s.payload) else {
            continue;
        };
        let Some(flow) = flows.get_mut(&branch) else {
            continue;
        };
        if m.method() == Some(Method::Ack) {
            flow.acks_sent += 1;
        } else {
            flow.sends.push(s.at - flow.start);
        }
    }
    for s in &pair.delivered[0] {
        let Some((branch, m)) = branch_of(&s.payload) else {
            continue;
        };
        if let (Some(flow), Some(status)) = (flows.get_mut(&branch), m.status()) {
            flow.responses.push((s.at, status.as_u16()));
        }
    }
    for s in &pair.sent[1] {
        let Some((branch, m)) = branch_of(&s.payload) else {
            continue;
        };
        if let (Some(flow), Some(status)) = (flows.get_mut(&branch), m.status())
            && status.is_final()
        {
            flow.finals_sent += 1;
        }
    }
    for s in &pair.delivered[1] {
        let Some((branch, m)) = branch_of(&s.payload) else {
            continue;
        };
        if let Some(flow) = flows.get_mut(&branch)
            && m.method() == Some(Method::Ack)
        {
            flow.acks_delivered.push(s.at);
        }
    }
    flows
}

/// The server's user: INVITE gets 180 then 486, anything else 200.
fn serve(node: &mut Endpoint, now: std::time::Instant, i: usize, e: &Event) {
    if let (
        1,
        Event::Request {
            transaction,
            request,
            ..
        },
    ) = (i, e)
    {
        let r = request.as_ref();
        let reply = |code: u16| {
            r.response(StatusCode::new(code).unwrap())
                .unwrap()
                .to_tag("t")
                .build()
                .unwrap()
        };
        if r.method() == Some(Method::Invite) {
            node.respond(now, *transaction, reply(180)).unwrap();
            node.respond(now, *transaction, reply(486)).unwrap();
        } else {
            node.respond(now, *transaction, reply(200)).unwrap();
        }
    }
}

/// What a run went through, to check that the seeds cover the cases.
#[derive(Debug, Default)]
struct Coverage {
    retransmissions: usize,
    timeouts: usize,
    acks_resent: usize,
    server_timer_h: usize,
    duplicates_delivered: usize,
    flows: usize,
}

impl std::ops::AddAssign for Coverage {
    fn add_assign(&mut self, o: Coverage) {
        self.retransmissions += o.retransmissions;
        self.timeouts += o.timeouts;
        self.acks_resent += o.acks_resent;
        self.server_timer_h += o.server_timer_h;
        self.duplicates_delivered += o.duplicates_delivered;
        self.flows += o.flows;
    }
}

fn simulate(seed: u64, network: Network) -> Coverage {
    let mut cov = Coverage::default();
    let mut pair = Pair::new(EndpointConfig::default(), network, seed);
    let uas: SocketAddr = "127.0.0.2:5060".parse().unwrap();
    let target = imsip::endpoint::Flow::new(Transport::Udp, pair.addrs[0], uas);
    let mut ids: HashMap<TransactionId, String> = HashMap::new();
    let mut starts = HashMap::new();
    // Start the transactions 100 ms apart, alternating OPTIONS and INVITE.
    for n in 0..TRANSACTIONS {
        let method = if n % 2 == 0 { "OPTIONS" } else { "INVITE" };
        let at = Duration::from_millis(100 * n as u64);
        pair.run(at, serve);
        pair.now = pair.t0 + at;
        let id = pair.nodes[0]
            .send_request(pair.now, request(method, n), target)
            .unwrap();
        ids.insert(id.into(), format!("z9hG4bKsim{n}"));
        starts.insert(format!("z9hG4bKsim{n}"), (at, method.to_owned()));
        pair.drain(0);
    }
    pair.run(Duration::from_secs(300), serve);
    let mut seen_by_user: HashMap<String, usize> = HashMap::new();
    for (_, e) in &pair.events[1] {
        if let Event::Request { request, .. } = e {
            let branch = request.as_ref().via().unwrap().branch().unwrap().to_owned();
            *seen_by_user.entry(branch).or_default() += 1;
        }
    }
    // The events of the earlier `run` calls were drained by later ones; all
    // are in `pair.events`.
    let flows = analyse(&pair, &starts);
    let terminated: HashMap<String, (Duration, Termination)> = pair.events[0]
        .iter()
        .filter_map(|(at, e)| match e {
            Event::Terminated {
                transaction,
                reason,
            } => Some((ids[transaction].clone(), (*at, *reason))),
            _ => None,
        })
        .collect();
    let passed_up: HashMap<String, Vec<u16>> =
        pair.events[0]
            .iter()
            .fold(HashMap::new(), |mut acc, (_, e)| {
                if let Event::Response {
                    transaction,
                    response,
                    ..
                } = e
                {
                    acc.entry(ids[&(*transaction).into()].clone())
                        .or_insert_with(Vec::new)
                        .push(response.as_ref().status().unwrap().as_u16());
                }
                acc
            });

    for (branch, flow) in &flows {
        cov.flows += 1;
        cov.retransmissions += flow.sends.len().saturating_sub(1);
        cov.acks_resent += flow.acks_sent.saturating_sub(1);
        let ctx = format!("seed {seed}, {branch} ({}): {flow:?}", flow.method);
        let invite = flow.method == "INVITE";
        // Reached the server's user at most once, and exactly once if any
        // copy got through.
        let delivered_requests = pair.delivered[1]
            .iter()
            .filter(|s| {
                branch_of(&s.payload).is_some_and(|(b, m)| {
                    &b == branch && m.is_request() && m.method() != Some(Method::Ack)
                })
            })
            .count();
        assert_eq!(
            seen_by_user.get(branch).copied().unwrap_or(0),
            usize::from(delivered_requests > 0),
            "{ctx}"
        );
        cov.duplicates_delivered += delivered_requests.saturating_sub(1);

        // Responses that found the transaction alive (a response may come
        // after Timer B or F: it is then a stray).
        let end = terminated.get(branch).map(|(at, _)| *at);
        let alive: Vec<(Duration, u16)> = flow
            .responses
            .iter()
            .copied()
            .filter(|(at, _)| end.is_none_or(|e| *at <= e))
            .collect();

        // Retransmissions exactly on the schedule, up to the first response
        // (INVITE: any response stops Timer A; non-INVITE here: the final).
        let stop = alive
            .iter()
            .map(|(at, _)| *at - flow.start)
            .min()
            .unwrap_or(Duration::MAX);
        let expected: Vec<Duration> = schedule(!invite)
            .into_iter()
            .filter(|at| *at < stop)
            .collect();
        assert_eq!(flow.sends, expected, "{ctx}");

        let got_final = alive.iter().any(|(_, s)| *s >= 200);
        let got_any = !alive.is_empty();
        let up = passed_up.get(branch).cloned().unwrap_or_default();
        if invite {
            // Each provisional passed up (duplicates included, as the RFC
            // passes every 1xx), the final exactly once.
            assert_eq!(
                up.iter().filter(|s| **s >= 200).count(),
                usize::from(got_final),
                "{ctx}"
            );
            // One ACK per 486 that reached the client.
            let finals_received = alive.iter().filter(|(_, s)| *s >= 200).count();
            assert_eq!(flow.acks_sent, finals_received, "{ctx}");
            match terminated.get(branch).map(|(_, r)| r) {
                Some(Termination::Completed) => assert!(got_final, "{ctx}"),
                Some(Termination::Timeout(Timer::B)) => {
                    cov.timeouts += 1;
                    assert!(!got_any, "{ctx}")
                }
                None => assert!(got_any && !got_final, "{ctx}: left in Proceeding"),
                other => panic!("{ctx}: {other:?}"),
            }
        } else {
            assert_eq!(up.len(), usize::from(got_final), "{ctx}");
            match terminated.get(branch).map(|(_, r)| r) {
                Some(Termination::Completed) => assert!(got_final, "{ctx}"),
                Some(Termination::Timeout(Timer::F)) => {
                    cov.timeouts += 1;
                    assert!(!got_final, "{ctx}")
                }
                other => panic!("{ctx}: {other:?}"),
            }
        }
    }

    // The server side: every transaction ended; an INVITE server transaction
    // ends Completed (via Confirmed) iff an ACK reached it, else Timer H.
    let server_ids: HashMap<TransactionId, String> = pair.events[1]
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Request {
                transaction,
                request,
                ..
            } => Some((
                (*transaction).into(),
                request.as_ref().via().unwrap().branch().unwrap().to_owned(),
            )),
            _ => None,
        })
        .collect();
    for (end, e) in &pair.events[1] {
        if let Event::Terminated {
            transaction,
            reason,
        } = e
        {
            let branch = &server_ids[transaction];
            let flow = &flows[branch];
            let ctx = format!("seed {seed}, server {branch}: {flow:?}");
            let acked = flow.acks_delivered.iter().any(|at| at <= end);
            match (flow.method.as_str(), reason) {
                ("INVITE", Termination::Completed) => assert!(acked, "{ctx}"),
                ("INVITE", Termination::Timeout(Timer::H)) => {
                    cov.server_timer_h += 1;
                    assert!(!acked, "{ctx}")
                }
                ("OPTIONS", Termination::Completed) => {}
                other => panic!("{ctx}: {other:?}"),
            }
        }
    }
    assert_eq!(
        pair.nodes[1].transactions(),
        0,
        "seed {seed}: server leaked"
    );
    let left_client = flows
        .iter()
        .filter(|(b, _)| !terminated.contains_key(*b))
        .count();
    assert_eq!(
        pair.nodes[0].transactions(),
        left_client,
        "seed {seed}: client leaked"
    );
    cov
}

#[test]
fn lossy_network() {
    let mut cov = Coverage::default();
    for seed in 0..SEEDS {
        cov += simulate(
            seed,
            Network {
                loss: 30,
                duplication: 0,
                delay: Duration::from_millis(20),
                jitter: Duration::ZERO,
            },
        );
    }
    assert!(cov.retransmissions > 500 && cov.acks_resent > 0, "{cov:?}");
}

#[test]
fn very_lossy_network() {
    let mut cov = Coverage::default();
    for seed in 0..SEEDS {
        cov += simulate(
            seed,
            Network {
                loss: 75,
                duplication: 10,
                delay: Duration::from_millis(20),
                jitter: Duration::from_millis(50),
            },
        );
    }
    assert!(cov.timeouts > 0 && cov.server_timer_h > 0, "{cov:?}");
}

#[test]
fn duplicating_reordering_network() {
    let mut cov = Coverage::default();
    for seed in 0..SEEDS {
        cov += simulate(
            seed,
            Network {
                loss: 0,
                duplication: 30,
                delay: Duration::from_millis(5),
                jitter: Duration::from_millis(400),
            },
        );
    }
    assert!(
        cov.duplicates_delivered > 100 && cov.retransmissions > 0,
        "{cov:?}"
    );
}

#[test]
fn everything_at_once() {
    let mut cov = Coverage::default();
    for seed in 0..SEEDS {
        cov += simulate(
            seed,
            Network {
                loss: 25,
                duplication: 20,
                delay: Duration::from_millis(10),
                jitter: Duration::from_millis(300),
            },
        );
    }
    assert!(
        cov.duplicates_delivered > 100 && cov.acks_resent > 100,
        "{cov:?}"
    );
}

#[test]
fn a_dead_network_times_everything_out() {
    let cov = simulate(
        1,
        Network {
            loss: 100,
            duplication: 0,
            delay: Duration::from_millis(10),
            jitter: Duration::ZERO,
        },
    );
    assert_eq!(cov.timeouts, TRANSACTIONS);
}
