//! Subscriptions (RFC 6665) between two user agents in virtual time:
//! accept, NOTIFY, refresh, unsubscribe; a NOTIFY before the 2xx; expiry at
//! the notifier; rejection; forked NOTIFYs.

mod common;

use std::time::Duration;

use common::net::{Net, Network};
use imsip::header::MediaType;
use imsip::ua::{
    Body, NotifyState, Subscribe, SubscriptionEnd, SubscriptionId, UaEvent, UserAgent,
};
use imsip::uri::Uri;
use imsip::{Message, Method, StatusCode};

fn uri(s: &str) -> Uri<'static> {
    Uri::parse(s).unwrap().into_owned()
}

fn subscribe(net: &mut Net, expires: u32) -> SubscriptionId {
    let now = net.now;
    let spec = Subscribe::new(
        uri("sip:alice@127.0.0.1"),
        uri("sip:bob@127.0.0.2"),
        "presence",
        net.flow(0, 1),
    )
    .expires(expires)
    .accept("application/pidf+xml");
    net.nodes[0].subscribe(now, spec).unwrap()
}

fn pidf(state: &str) -> Body {
    Body::new(
        MediaType::new("application", "pidf+xml"),
        format!("<presence>{state}</presence>"),
    )
}

/// The notifier accepts for at most 600 s and notifies at once.
fn notifier(ua: &mut UserAgent, now: std::time::Instant, i: usize, e: &UaEvent) {
    if i == 1
        && let UaEvent::SubscriptionRequest {
            subscription,
            request,
        } = e
    {
        assert_eq!(
            request.as_ref().get("Event").unwrap().value_str(),
            Some("presence")
        );
        ua.accept_subscription(now, *subscription, 600).unwrap();
        ua.notify(now, *subscription, NotifyState::Active, Some(pidf("open")))
            .unwrap();
    }
}

fn ends(net: &Net, node: usize) -> Vec<SubscriptionEnd> {
    net.events[node]
        .iter()
        .filter_map(|(_, e)| match e {
            UaEvent::SubscriptionEnded { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn times(net: &Net, node: usize, pred: impl Fn(&UaEvent) -> bool) -> Vec<Duration> {
    net.events[node]
        .iter()
        .filter(|(_, e)| pred(e))
        .map(|(at, _)| *at)
        .collect()
}

#[test]
fn subscribe_notify_refresh_unsubscribe() {
    let mut net = Net::new(2, Network::PERFECT, 1);
    let sub = subscribe(&mut net, 120);
    net.run(
        Duration::from_secs(400),
        vec![(
            Duration::from_secs(200),
            Box::new(move |net: &mut Net| {
                let now = net.now;
                net.nodes[0].unsubscribe(now, sub).unwrap();
            }),
        )],
        notifier,
    );
    let ladder = net.ladder();
    // Granted what was asked (120 s, under the notifier's 600 s), refreshed
    // halfway through.
    let subscribed: Vec<u32> = net.events[0]
        .iter()
        .filter_map(|(_, e)| match e {
            UaEvent::Subscribed { expires, .. } => Some(*expires),
            _ => None,
        })
        .collect();
    assert_eq!(subscribed, [120, 120, 120, 120], "{ladder}");
    assert_eq!(
        times(&net, 1, |e| matches!(
            e,
            UaEvent::SubscriptionRefreshed { .. }
        )),
        // Sent halfway after each 2xx, received 10 ms later.
        [
            Duration::from_millis(60_030),
            Duration::from_millis(120_050),
            Duration::from_millis(180_070)
        ],
        "{ladder}"
    );
    let notifies: Vec<String> = net.events[0]
        .iter()
        .filter_map(|(_, e)| match e {
            UaEvent::Notify { request, .. } => Some(
                request
                    .as_ref()
                    .get("Subscription-State")
                    .unwrap()
                    .value_str()
                    .unwrap()
                    .to_owned(),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(
        notifies,
        ["active;expires=120", "terminated;reason=timeout"],
        "{ladder}"
    );
    assert_eq!(ends(&net, 0), [SubscriptionEnd::Ended]);
    assert_eq!(ends(&net, 1), [SubscriptionEnd::Ended]);
    // The NOTIFY's CSeq and the SUBSCRIBEs' increase in each direction.
    let subscribes: Vec<u32> = net
        .wire
        .iter()
        .filter(|w| w.message().method() == Some(Method::Subscribe))
        .map(|w| w.message().cseq().unwrap().seq)
        .collect();
    assert_eq!(subscribes, [1, 2, 3, 4, 5]);
}

#[test]
fn a_notify_before_the_2xx_makes_the_dialog() {
    let mut net = Net::new(2, Network::PERFECT, 2);
    // The first 200 to the SUBSCRIBE is lost: the NOTIFY gets there first,
    // the retransmitted 200 later.
    let mut dropped = false;
    net.filter = Some(Box::new(move |from, m| {
        let first_ok = from == 1
            && m.status() == Some(StatusCode::OK)
            && m.cseq().unwrap().method == Method::Subscribe
            && !dropped;
        if first_ok {
            dropped = true;
        }
        first_ok
    }));
    let _sub = subscribe(&mut net, 300);
    net.run(Duration::from_secs(10), Vec::new(), notifier);
    let ladder = net.ladder();
    let notify = times(&net, 0, |e| matches!(e, UaEvent::Notify { .. }));
    let subscribed = times(&net, 0, |e| matches!(e, UaEvent::Subscribed { .. }));
    assert_eq!(notify.len(), 1, "{ladder}");
    assert_eq!(subscribed.len(), 1, "{ladder}");
    assert!(notify[0] < subscribed[0], "{ladder}");
    assert!(ends(&net, 0).is_empty());
}

#[test]
fn an_unrefreshed_subscription_expires_at_the_notifier() {
    let mut net = Net::new(2, Network::PERFECT, 3);
    // The subscriber's refreshes are lost.
    net.filter = Some(Box::new(|from, m| {
        from == 0 && m.method() == Some(Method::Subscribe) && m.cseq().unwrap().seq > 1
    }));
    let _sub = subscribe(&mut net, 100);
    net.run(Duration::from_secs(300), Vec::new(), notifier);
    let ladder = net.ladder();
    assert_eq!(ends(&net, 1), [SubscriptionEnd::Expired], "{ladder}");
    // The notifier's final NOTIFY reaches the subscriber, whose refresh
    // then times out or is answered 481: either way it has ended.
    let end = ends(&net, 0);
    assert_eq!(end.len(), 1, "{ladder}");
    assert!(
        matches!(&end[0], SubscriptionEnd::Terminated { reason: Some(r), .. } if r == "timeout")
            || end[0] == SubscriptionEnd::Rejected(StatusCode::REQUEST_TIMEOUT),
        "{end:?}\n{ladder}"
    );
}

#[test]
fn a_rejected_subscription_ends() {
    let mut net = Net::new(2, Network::PERFECT, 4);
    let _sub = subscribe(&mut net, 100);
    net.run(Duration::from_secs(10), Vec::new(), |ua, now, i, e| {
        if i == 1
            && let UaEvent::SubscriptionRequest { subscription, .. } = e
        {
            ua.reject_subscription(now, *subscription, StatusCode::FORBIDDEN)
                .unwrap();
        }
    });
    assert_eq!(
        ends(&net, 0),
        [SubscriptionEnd::Rejected(StatusCode::FORBIDDEN)]
    );
    assert_eq!(ends(&net, 1), [SubscriptionEnd::Ended]);
}

#[test]
fn notifies_from_two_forks_make_two_subscriptions() {
    let mut ua = UserAgent::new(imsip::ua::UaConfig::default());
    let now = std::time::Instant::now();
    let flow = imsip::Flow::new(
        imsip::Transport::Udp,
        "127.0.0.1:5060".parse().unwrap(),
        "127.0.0.9:5060".parse().unwrap(),
    );
    let sub = ua
        .subscribe(
            now,
            Subscribe::new(
                uri("sip:alice@127.0.0.1"),
                uri("sip:conf@example.com"),
                "dialog",
                flow,
            ),
        )
        .unwrap();
    let request = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    let r = request.as_ref();
    let notify = |tag: &str, seq: u32| {
        format!(
            "NOTIFY sip:alice@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bKn{tag}{seq}\r\n\
Max-Forwards: 70\r\nFrom: <sip:conf@example.com>;tag={tag}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {seq} NOTIFY\r\n\
Contact: <sip:{tag}@127.0.0.9>\r\nEvent: dialog\r\nSubscription-State: active;expires=60\r\nContent-Length: 0\r\n\r\n",
            r.get("From").unwrap().value_str().unwrap(),
            r.call_id().unwrap().as_str(),
        )
    };
    for (tag, seq) in [("f1", 1), ("f2", 1), ("f1", 2)] {
        ua.handle_input(now, flow, bytes::Bytes::from(notify(tag, seq)));
        let answer = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
        assert_eq!(
            answer.as_ref().status(),
            Some(StatusCode::OK),
            "{tag} {seq}"
        );
    }
    let events: Vec<UaEvent> = std::iter::from_fn(|| ua.poll_event()).collect();
    let notified: Vec<SubscriptionId> = events
        .iter()
        .filter_map(|e| match e {
            UaEvent::Notify { subscription, .. } => Some(*subscription),
            _ => None,
        })
        .collect();
    let fork = events
        .iter()
        .find_map(|e| match e {
            UaEvent::SubscriptionForked { subscription, fork } => {
                assert_eq!(*subscription, sub);
                Some(*fork)
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(notified, [sub, fork, sub]);
    assert_eq!(ua.subscription_dialog(sub).unwrap().id().remote_tag, "f1");
    assert_eq!(ua.subscription_dialog(fork).unwrap().id().remote_tag, "f2");
    // An out-of-order NOTIFY in the first dialog is refused (§12.2.2).
    ua.handle_input(
        now,
        flow,
        bytes::Bytes::from(notify("f1", 1).replace("z9hG4bKnf11", "z9hG4bKold")),
    );
    let answer = Message::parse(ua.poll_transmit().unwrap().payload).unwrap();
    assert_eq!(
        answer.as_ref().status(),
        Some(StatusCode::SERVER_INTERNAL_ERROR)
    );
}
