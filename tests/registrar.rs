//! Registering against the test registrar with the crate's own clients:
//! Digest MD5 (good and wrong password) and Digest AKAv1 (with a USIM that
//! must resynchronise first).

mod common;

use std::time::Instant;

use common::registrar::{self, Outcome, Registrar};
use imsip::auth::aka::{DigestAkaClient, SqnGenerator, Usim};
use imsip::auth::digest::{ClientError, DigestClient, Request};
use imsip::auth::milenage::Milenage;
use imsip::header::{Authorization, Challenge, WwwAuthenticate};
use imsip::message::RequestBuilder;
use imsip::random::SeededRandom;
use imsip::uri::Uri;
use imsip::{Message, Method, StatusCode};

fn register(user: &str, cseq: u32, authorization: Option<String>) -> Message {
    let uri = Uri::parse("sip:127.0.0.1:5070").unwrap();
    let mut b = RequestBuilder::new(Method::Register, &uri)
        .raw_header(
            "Via",
            &format!("SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK{cseq}x"),
        )
        .raw_header("Max-Forwards", "70")
        .raw_header("From", &format!("<sip:{user}>;tag=ue1"))
        .raw_header("To", &format!("<sip:{user}>"))
        .raw_header("Call-ID", "reg-1@127.0.0.1")
        .raw_header("CSeq", &format!("{cseq} REGISTER"))
        .raw_header("Contact", "<sip:ue@127.0.0.1:5080>");
    if let Some(a) = authorization {
        b = b.raw_header("Authorization", &a);
    }
    b.build().unwrap()
}

fn send(r: &mut Registrar, msg: &Message) -> Message {
    let out = r.handle(Instant::now(), msg.bytes()).expect("a response");
    Message::parse(out.into()).unwrap()
}

fn challenges(resp: &Message) -> Vec<Challenge<'static>> {
    resp.as_ref()
        .header_all::<WwwAuthenticate<'_>>()
        .map(|c| c.unwrap().0.into_owned())
        .collect()
}

const REQ: Request<'static> = Request {
    method: "REGISTER",
    uri: "sip:127.0.0.1:5070",
    body: b"",
};

#[test]
fn digest_md5_good_and_wrong_password() {
    let mut r = Registrar::new(Instant::now());
    let mut rng = SeededRandom::new(1);
    for (password, expected) in [
        (&b"secret"[..], StatusCode::OK),
        (b"wrong", StatusCode::FORBIDDEN),
    ] {
        let request = register("alice@sipp.test", 1, None);
        let first = send(&mut r, &request);
        assert_eq!(first.as_ref().status(), Some(StatusCode::UNAUTHORIZED));
        let mut client = DigestClient::new("alice", password);
        let again = client
            .retry(&request.as_ref(), &first.as_ref(), &mut rng)
            .unwrap();
        assert_eq!(again.as_ref().cseq().unwrap().seq, 2);
        let second = send(&mut r, &again);
        assert_eq!(second.as_ref().status(), Some(expected));
        if expected == StatusCode::OK {
            assert_eq!(client.verify_server(&second.as_ref()), Some(true));
        } else {
            // A client that is refused does not answer the next challenge
            // for the same realm on its own.
            let third = send(&mut r, &register("alice@sipp.test", 3, None));
            assert!(matches!(
                client.answer(&challenges(&third), &REQ, &mut rng),
                Err(ClientError::Rejected(_))
            ));
        }
    }
}

#[test]
fn digest_akav1_with_resynchronisation() {
    let mut r = Registrar::new(Instant::now());
    let mut rng = SeededRandom::new(2);
    // The USIM has seen sequence numbers the registrar's AuC has not.
    let m = Milenage::new(&registrar::AKA_K, &registrar::AKA_OP);
    let mut usim = Usim::new(Milenage::new(&registrar::AKA_K, &registrar::AKA_OP));
    let mut elsewhere = SqnGenerator::new(500 << 5);
    let av = imsip::auth::aka::vector(&m, [9; 16], elsewhere.next(), registrar::AKA_AMF);
    usim.authenticate(&av.rand, &av.autn).unwrap();
    let mut ue = DigestAkaClient::new(registrar::AKA_USER, usim);

    let request = register(registrar::AKA_USER, 1, None);
    let first = send(&mut r, &request);
    assert_eq!(first.as_ref().status(), Some(StatusCode::UNAUTHORIZED));
    let again = ue
        .retry(&request.as_ref(), &first.as_ref(), &mut rng)
        .unwrap();
    let creds = again
        .as_ref()
        .header::<Authorization<'_>>()
        .unwrap()
        .unwrap();
    assert!(creds.auts().is_some(), "a stale SQN is answered with AUTS");
    let second = send(&mut r, &again);
    assert_eq!(second.as_ref().status(), Some(StatusCode::UNAUTHORIZED));
    let third_request = ue
        .retry(&again.as_ref(), &second.as_ref(), &mut rng)
        .unwrap();
    let creds = third_request
        .as_ref()
        .header::<Authorization<'_>>()
        .unwrap()
        .unwrap();
    assert!(creds.auts().is_none());
    assert_eq!(third_request.as_ref().cseq().unwrap().seq, 3);
    // One Authorization: the AUTS answer was replaced, not kept.
    assert_eq!(
        third_request
            .as_ref()
            .get_all_known(imsip::header::HeaderName::Authorization)
            .count(),
        1
    );
    let third = send(&mut r, &third_request);
    assert_eq!(third.as_ref().status(), Some(StatusCode::OK));
    assert!(ue.keys().is_some());
    assert_eq!(
        r.outcomes,
        [
            Outcome::Challenged,
            Outcome::Resynchronised,
            Outcome::Challenged,
            Outcome::Registered("<sip:ue@127.0.0.1:5080>".into())
        ]
    );
}
