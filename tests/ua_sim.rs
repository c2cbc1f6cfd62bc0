//! The user-agent core in virtual time, over a network that loses,
//! duplicates and reorders (RFC 3261 §12–15): calls end the way both sides
//! agree whatever the network does.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::net::{Net, Network};
use imsip::dialog::DialogId;
use imsip::ua::{Body, Call, EndReason, OfferState, Phase, SessionId, UaEvent, UserAgent};
use imsip::uri::Uri;
use imsip::{Message, MessageRef, Method, StatusCode};

const OFFER: &str = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER: &str = "v=0\r\no=bob 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

fn uri(s: &str) -> Uri<'static> {
    Uri::parse(s).unwrap().into_owned()
}

/// Node 0 calls node 1 with an offer.
fn call(net: &mut Net, offer: bool) -> SessionId {
    let mut c = Call::new(
        uri("sip:alice@127.0.0.1"),
        uri("sip:bob@127.0.0.2"),
        net.flow(0, 1),
    );
    if offer {
        c = c.body(Body::sdp(OFFER));
    }
    let now = net.now;
    net.nodes[0].call(now, c).unwrap()
}

fn ended(net: &Net, node: usize) -> Vec<EndReason> {
    net.events[node]
        .iter()
        .filter_map(|(_, e)| match e {
            UaEvent::Ended { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn count(net: &Net, node: usize, pred: impl Fn(&UaEvent) -> bool) -> usize {
    net.events[node].iter().filter(|(_, e)| pred(e)).count()
}

#[test]
fn basic_call_on_a_perfect_network() {
    let mut net = Net::new(2, Network::PERFECT, 1);
    let alice = call(&mut net, true);
    let bob_session: Rc<RefCell<Option<SessionId>>> = Rc::default();
    let b = bob_session.clone();
    net.run(
        Duration::from_secs(60),
        vec![
            (
                Duration::from_millis(500),
                Box::new(move |net: &mut Net| {
                    let s = b.borrow().unwrap();
                    let now = net.now;
                    net.nodes[1]
                        .answer(now, s, Some(Body::sdp(ANSWER)))
                        .unwrap();
                }),
            ),
            (
                Duration::from_millis(2000),
                Box::new(move |net: &mut Net| {
                    let now = net.now;
                    assert_eq!(net.nodes[0].phase(alice), Some(Phase::Confirmed));
                    let oa = net.nodes[0].offer_answer(alice).unwrap();
                    assert_eq!(oa.state(), OfferState::Stable);
                    assert_eq!(oa.remote().unwrap(), ANSWER.as_bytes());
                    assert_eq!(oa.completed(), 1);
                    net.nodes[0].hangup(now, alice).unwrap();
                }),
            ),
        ],
        |ua, now, i, e| {
            if i == 1
                && let UaEvent::IncomingCall { session, request } = e
            {
                assert_eq!(request.as_ref().body(), OFFER.as_bytes());
                ua.progress(now, *session, StatusCode::RINGING, None)
                    .unwrap();
                *bob_session.borrow_mut() = Some(*session);
            }
        },
    );
    let ladder = net.ladder();
    let lines: Vec<String> = net.wire.iter().map(|w| w.line()).collect();
    assert_eq!(
        lines,
        [
            "INVITE sip:bob@127.0.0.2 SIP/2.0",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "ACK sip:bob@127.0.0.2:5060 SIP/2.0",
            "BYE sip:bob@127.0.0.2:5060 SIP/2.0",
            "SIP/2.0 200 OK",
        ],
        "{ladder}"
    );
    assert_eq!(ended(&net, 0), [EndReason::LocalBye(Some(StatusCode::OK))]);
    assert_eq!(ended(&net, 1), [EndReason::RemoteBye]);
    assert_eq!(count(&net, 0, |e| matches!(e, UaEvent::Progress { .. })), 1);
    assert_eq!(
        count(&net, 1, |e| matches!(e, UaEvent::Confirmed { .. })),
        1
    );
    // The ACK is a request within the dialog: it goes to the Contact.
    let ack = net.wire[3].message();
    assert_eq!(ack.cseq().unwrap().seq, 1);
    assert_eq!(
        DialogId::of_request(&ack).unwrap().remote_tag,
        net.wire[0].message().from_tag().unwrap().unwrap()
    );
    assert_eq!(net.nodes[0].sessions(), 0);
    assert_eq!(net.nodes[1].sessions(), 0);
}
