//! The registration client of the user agent against registrars made from
//! the crate's server side, in virtual time: Digest MD5 (challenge, retry,
//! refresh, de-registration), IMS AKA with a resynchronisation, and a 423
//! retry with the Min-Expires and a 200 that grants less and lists
//! Service-Route and P-Associated-URI.

mod common;

use std::time::{Duration, Instant};

use common::registrar::{self, Outcome, Registrar};
use imsip::auth::aka::{self, SqnGenerator, Usim};
use imsip::auth::milenage::Milenage;
use imsip::ua::{Authenticator, Register, UaConfig, UaEvent, UserAgent};
use imsip::uri::Uri;
use imsip::{Flow, MessageRef, Method, StatusCode, Transport};

fn uri(s: &str) -> Uri<'static> {
    Uri::parse(s).unwrap().into_owned()
}

fn flow() -> Flow {
    Flow::new(
        Transport::Udp,
        "127.0.0.1:5060".parse().unwrap(),
        "127.0.0.2:5060".parse().unwrap(),
    )
}

/// A command at a moment of virtual time.
type Command = (Duration, Box<dyn FnMut(&mut UserAgent, Instant)>);

/// Every event with its time, and every REGISTER sent with its Expires.
type Run = (Vec<(Duration, UaEvent)>, Vec<(Duration, String)>);

/// Runs the user agent against `server` (a datagram in, maybe one out)
/// until `limit` of virtual time, with `at` commands; every event with its
/// time, and every REGISTER sent.
fn run(
    ua: &mut UserAgent,
    t0: Instant,
    limit: Duration,
    mut server: impl FnMut(Instant, &[u8]) -> Option<Vec<u8>>,
    mut at: Vec<Command>,
) -> Run {
    let mut now = t0;
    let mut events = Vec::new();
    let mut sent = Vec::new();
    at.sort_by_key(|(d, _)| *d);
    let mut at = std::collections::VecDeque::from(at);
    loop {
        while let Some(t) = ua.poll_transmit() {
            let m = MessageRef::parse(&t.payload).unwrap();
            if m.method() == Some(Method::Register) {
                let expires = m
                    .get("Expires")
                    .and_then(|h| h.value_str())
                    .unwrap_or("")
                    .to_owned();
                sent.push((now - t0, expires));
            }
            if let Some(answer) = server(now, &t.payload) {
                ua.handle_input(now, flow(), bytes::Bytes::from(answer));
            }
        }
        while let Some(e) = ua.poll_event() {
            events.push((now - t0, e));
        }
        if ua.poll_transmit().is_some() {
            panic!("transmits after events");
        }
        let next = [ua.poll_timeout(), at.front().map(|(d, _)| t0 + *d)]
            .into_iter()
            .flatten()
            .min();
        let Some(next) = next else { break };
        if next - t0 > limit {
            break;
        }
        now = now.max(next);
        while at.front().is_some_and(|(d, _)| t0 + *d <= now) {
            let (_, mut f) = at.pop_front().unwrap();
            f(ua, now);
        }
        ua.handle_timeout(now);
    }
    (events, sent)
}

#[test]
fn digest_registration_refresh_and_removal() {
    let t0 = Instant::now();
    let mut ua = UserAgent::new(UaConfig::default());
    let mut reg = Registrar::new(t0);
    let id = ua
        .register(
            t0,
            Register::new(uri("sip:sipp.test"), uri("sip:alice@sipp.test"), flow())
                .expires(600)
                .auth(Authenticator::digest("alice", b"secret")),
        )
        .unwrap();
    let (events, sent) = run(
        &mut ua,
        t0,
        Duration::from_secs(1000),
        |now, d| reg.handle(now, d),
        vec![(
            Duration::from_secs(700),
            Box::new(move |ua: &mut UserAgent, now| ua.unregister(now, id).unwrap()),
        )],
    );
    let registered: Vec<Duration> = events
        .iter()
        .filter_map(|(at, e)| match e {
            UaEvent::Registered {
                registration,
                binding,
            } => {
                assert_eq!(*registration, id);
                assert_eq!(binding.expires, 600);
                assert_eq!(binding.contacts, ["sip:alice@127.0.0.1:5060"]);
                Some(*at)
            }
            _ => None,
        })
        .collect();
    // Registered at once, refreshed halfway through 600 s.
    assert_eq!(
        registered,
        [
            Duration::ZERO,
            Duration::from_secs(300),
            Duration::from_secs(600)
        ]
    );
    assert!(matches!(
        events.last().unwrap().1,
        UaEvent::Unregistered { .. }
    ));
    // Each REGISTER challenged once: 2 per refresh and for the removal.
    let expires: Vec<&str> = sent.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(
        expires,
        ["600", "600", "600", "600", "600", "600", "0", "0"]
    );
    assert_eq!(
        reg.outcomes
            .iter()
            .filter(|o| **o == Outcome::Challenged)
            .count(),
        4
    );
    assert!(ua.binding(id).is_none());
}

#[test]
fn a_wrong_password_fails_the_registration() {
    let t0 = Instant::now();
    let mut ua = UserAgent::new(UaConfig::default());
    let mut reg = Registrar::new(t0);
    let id = ua
        .register(
            t0,
            Register::new(uri("sip:sipp.test"), uri("sip:alice@sipp.test"), flow())
                .auth(Authenticator::digest("alice", b"wrong")),
        )
        .unwrap();
    let (events, _) = run(
        &mut ua,
        t0,
        Duration::from_secs(10),
        |now, d| reg.handle(now, d),
        Vec::new(),
    );
    assert!(matches!(
        events.as_slice(),
        [(_, UaEvent::RegistrationFailed { registration, status })]
            if *registration == id && *status == StatusCode::FORBIDDEN
    ));
}

#[test]
fn aka_registration_with_a_resynchronisation() {
    let t0 = Instant::now();
    let milenage = Milenage::new(&registrar::AKA_K, &registrar::AKA_OP);
    // The USIM has seen the registrar's first sequence number already: its
    // first challenge is not fresh and the USIM answers with AUTS.
    let mut usim = Usim::new(milenage.clone());
    let seen = SqnGenerator::new(0).next();
    let v = aka::vector(&milenage, [7; 16], seen, registrar::AKA_AMF);
    usim.authenticate(&v.rand, &v.autn).unwrap();
    let mut ua = UserAgent::new(UaConfig::default());
    let mut reg = Registrar::new(t0);
    let id = ua
        .register(
            t0,
            Register::new(
                uri("sip:ims.example.com"),
                uri("sip:user@ims.example.com"),
                flow(),
            )
            .auth(Authenticator::aka(registrar::AKA_USER, usim)),
        )
        .unwrap();
    let (events, _) = run(
        &mut ua,
        t0,
        Duration::from_secs(10),
        |now, d| reg.handle(now, d),
        Vec::new(),
    );
    assert!(
        matches!(events.as_slice(), [(_, UaEvent::Registered { .. })]),
        "{events:?}"
    );
    assert_eq!(
        reg.outcomes,
        [
            Outcome::Challenged,
            Outcome::Resynchronised,
            Outcome::Challenged,
            Outcome::Registered("<sip:user@127.0.0.1:5060>".to_owned()),
        ]
    );
    // CK and IK are there for the security association.
    assert!(ua.aka(id).and_then(|a| a.keys()).is_some());
}

#[test]
fn interval_too_brief_is_retried_with_min_expires() {
    let t0 = Instant::now();
    let mut ua = UserAgent::new(UaConfig::default());
    let id = ua
        .register(
            t0,
            Register::new(
                uri("sip:ims.example.net"),
                uri("sip:bob@ims.example.net"),
                flow(),
            )
            .expires(60)
            .contact(uri("sip:bob@192.0.2.7:5062"))
            .outbound("urn:uuid:00000000-0000-1000-8000-000A95A0E128", 1),
        )
        .unwrap();
    let server = |_: Instant, d: &[u8]| {
        let m = MessageRef::parse(d).ok()?;
        if m.method() != Some(Method::Register) {
            return None;
        }
        let expires: u32 = m.get("Expires")?.value_str()?.parse().ok()?;
        let contact = m.get("Contact")?.value_str()?.to_owned();
        assert!(contact.contains("+sip.instance=\"<urn:uuid:"), "{contact}");
        assert!(contact.contains(";reg-id=1"), "{contact}");
        let b = if expires < 600 {
            m.response(StatusCode::INTERVAL_TOO_BRIEF)
                .ok()?
                .raw_header("Min-Expires", "600")
        } else {
            m.response(StatusCode::OK)
                .ok()?
                .raw_header("Contact", "<sip:bob@192.0.2.7:5062>;expires=500")
                .raw_header("Contact", "<sip:bob@192.0.2.99>;expires=3000")
                .raw_header("Service-Route", "<sip:orig@scscf.ims.example.net;lr>")
                .raw_header(
                    "P-Associated-URI",
                    "<sip:bob@ims.example.net>, <tel:+15551234567>",
                )
        };
        Some(b.build().ok()?.bytes().to_vec())
    };
    let (events, sent) = run(&mut ua, t0, Duration::from_secs(100), server, Vec::new());
    let expires: Vec<&str> = sent.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(expires, ["60", "600"]);
    let [(_, UaEvent::Registered { binding, .. })] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(binding.expires, 500);
    assert_eq!(
        binding.service_route,
        ["<sip:orig@scscf.ims.example.net;lr>"]
    );
    assert_eq!(
        binding.associated_uris,
        ["sip:bob@ims.example.net", "tel:+15551234567"]
    );
    assert_eq!(binding.contacts.len(), 2);
    assert_eq!(ua.binding(id), Some(binding));
    // The refresh is due halfway through the 500 s granted.
    let next = ua.poll_timeout().unwrap();
    assert_eq!(next - t0, Duration::from_secs(250));
}
