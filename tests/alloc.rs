//! Parsing a typical INVITE (with SDP) and an IMS REGISTER, and reading the
//! transaction key, allocates nothing: measured with a counting global
//! allocator.
//!
//! The allocator needs `unsafe`; the library itself forbids it.
#![allow(unsafe_code)]

mod common;
#[path = "common/counting.rs"]
mod counting;

use counting::allocations;
use imsip::header::{Contact, Expires, MaxForwards};
use imsip::{FlowSide, Message, MessageRef, ParseConfig, frame};

/// What a transaction layer reads to match a message (RFC 3261 §17.1.3,
/// §17.2.3): the top Via's branch and sent-by, CSeq, Call-ID and the tags.
fn transaction_key(data: &[u8]) -> (usize, u32) {
    let msg = MessageRef::parse(data).unwrap();
    let via = msg.via().unwrap();
    let branch = via.branch().unwrap();
    let sent_by = via.sent_by.port.unwrap_or(5060);
    let cseq = msg.cseq().unwrap();
    let call_id = msg.call_id().unwrap();
    let from_tag = msg.from().unwrap().tag().map(str::len);
    let to_tag = msg.to().unwrap().tag().map(str::len);
    (
        branch.len() + call_id.as_str().len() + from_tag.unwrap_or(0) + to_tag.unwrap_or(0),
        cseq.seq + u32::from(sent_by),
    )
}

#[test]
fn invite_parse_and_transaction_key_allocate_nothing() {
    // Warm up anything lazily initialised on first use.
    let _ = transaction_key(common::INVITE);
    let (n, key) = allocations(|| transaction_key(common::INVITE));
    assert_eq!(n, 0, "allocations while parsing an INVITE");
    assert!(key.0 > 0);
}

#[test]
fn ims_register_parse_and_transaction_key_allocate_nothing() {
    let _ = transaction_key(common::IMS_REGISTER);
    let (n, _) = allocations(|| transaction_key(common::IMS_REGISTER));
    assert_eq!(n, 0, "allocations while parsing an IMS REGISTER");
}

#[test]
fn reading_registration_headers_allocates_nothing() {
    let (n, ok) = allocations(|| {
        let msg = MessageRef::parse(common::IMS_REGISTER).unwrap();
        let mut ok = msg
            .validate_with(&imsip::ValidationPolicy::user_agent(&[
                "sec-agree",
                "path",
                "gruu",
            ]))
            .is_ok();
        ok &= msg.header::<Expires>().unwrap().is_ok();
        ok &= msg.header::<MaxForwards>().unwrap().is_ok();
        for c in msg.header_all::<Contact<'_>>() {
            let Ok(Contact::Address(c)) = c else {
                return false;
            };
            ok &= c.expires() == Some(600000);
        }
        let auth = msg
            .header::<imsip::header::Authorization<'_>>()
            .unwrap()
            .unwrap();
        ok &= auth.nc() == Some(1);
        ok &= auth.algorithm().as_deref() == Some("AKAv1-MD5");
        ok &= msg.get("P-Access-Network-Info").is_some();
        ok &= msg.get("Security-Verify").is_some();
        ok
    });
    assert!(ok);
    assert_eq!(n, 0, "allocations while validating an IMS REGISTER");
}

#[test]
fn owned_message_allocates_only_its_index() {
    let bytes = bytes::Bytes::from_static(common::INVITE);
    let (n, msg) = allocations(|| Message::parse(bytes.clone()).unwrap());
    // The index is boxed (a `Message` moves through queues as 40 octets);
    // the octets are shared, not copied.
    assert_eq!(n, 1, "Message::parse allocates its index and nothing else");
    assert_eq!(msg.bytes().as_ptr(), bytes.as_ptr(), "the buffer is shared");
    let (n, _) = allocations(|| {
        let r = msg.as_ref();
        (
            r.via().unwrap().branch().map(str::len),
            r.cseq().unwrap().seq,
        )
    });
    assert_eq!(n, 0, "as_ref does not parse again or copy");
    let (n, _) =
        allocations(|| frame(common::INVITE, FlowSide::Server, &ParseConfig::default()).unwrap());
    assert_eq!(n, 0, "stream framing");
}

#[test]
fn messages_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<imsip::Message>();
    send_sync::<imsip::MessageRef<'static>>();
    send_sync::<imsip::endpoint::Endpoint>();
}

#[cfg(feature = "sdp")]
#[test]
fn parsing_a_volte_offer_allocates_nothing() {
    let offer = std::str::from_utf8(&common::data("sdp/volte_offer.sdp"))
        .unwrap()
        .to_owned();
    let read = |text: &str| {
        let sdp = imsip::sdp::Sdp::parse(text).unwrap();
        let audio = sdp.media_at(0).unwrap();
        let port = audio.line().unwrap().port;
        let amr_wb = audio.rtpmap(116).unwrap().clock;
        let octet_align = audio.fmtp("107").unwrap().param("octet-align").is_some();
        let preconditions = audio
            .attributes()
            .filter(|a| {
                a.typed()
                    .is_ok_and(|t| matches!(t, imsip::sdp::Attribute::Desired(_)))
            })
            .count();
        let address = audio.connection().unwrap().unwrap().ip_address().is_some();
        (port, amr_wb, octet_align, preconditions, address)
    };
    let _ = read(&offer);
    let (n, got) = allocations(|| read(&offer));
    assert_eq!(n, 0, "allocations while parsing and reading a VoLTE offer");
    assert_eq!(got, (49152, 16000, true, 2, true));
}
