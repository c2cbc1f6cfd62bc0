//! What each fuzz target checks. The targets in `fuzz_targets/` call these,
//! and `tests/fuzz_corpus.rs` in the main crate replays the corpus through
//! them, so that CI exercises every corpus entry without a fuzzer.
//!
//! Each check panics only when imsip breaks a promise: a panic inside the
//! parser, an encoding that does not parse back, or a re-encoding that is not
//! byte-exact.

use imsip::header::{self, TypedHeader};
use imsip::uri::Uri;
use imsip::{FlowSide, Frame, Message, MessageRef, ParseConfig, ValidationPolicy};

/// Parses `$text` as `$ty`; when it parses, its encoding must parse to the
/// same value.
macro_rules! typed {
    ($ty:ty, $text:expr) => {{
        let text: &str = $text;
        if let Ok(v) = <$ty>::parse(text) {
            let mut out = Vec::new();
            v.encode(&mut out);
            let enc = String::from_utf8(out).expect("encodings are UTF-8");
            match <$ty>::parse(&enc) {
                Ok(again) => assert_eq!(again, v, "{text:?} encoded as {enc:?}"),
                Err(e) => panic!("{text:?} encoded as {enc:?} does not parse: {e}"),
            }
        }
    }};
}

/// Every typed header parser over one value.
pub(crate) fn header_value(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    typed!(header::Accept<'_>, text);
    typed!(header::AcceptContact<'_>, text);
    typed!(header::AcceptEncoding<'_>, text);
    typed!(header::AcceptLanguage<'_>, text);
    typed!(header::AcceptResourcePriority<'_>, text);
    typed!(header::AlertInfo<'_>, text);
    typed!(header::Allow<'_>, text);
    typed!(header::AllowEvents<'_>, text);
    typed!(header::AuthenticationInfo<'_>, text);
    typed!(header::Authorization<'_>, text);
    typed!(header::CSeq<'_>, text);
    typed!(header::CallId<'_>, text);
    typed!(header::CallInfo<'_>, text);
    typed!(header::Contact<'_>, text);
    typed!(header::ContentDisposition<'_>, text);
    typed!(header::ContentEncoding<'_>, text);
    typed!(header::ContentLanguage<'_>, text);
    typed!(header::ContentLength, text);
    typed!(header::ContentType<'_>, text);
    typed!(header::Date, text);
    typed!(header::ErrorInfo<'_>, text);
    typed!(header::Event<'_>, text);
    typed!(header::Expires, text);
    typed!(header::FeatureCaps<'_>, text);
    typed!(header::From<'_>, text);
    typed!(header::Geolocation<'_>, text);
    typed!(header::HistoryInfo<'_>, text);
    typed!(header::Identity<'_>, text);
    typed!(header::InReplyTo<'_>, text);
    typed!(header::MaxForwards, text);
    typed!(header::MimeVersion, text);
    typed!(header::MinExpires, text);
    typed!(header::MinSe<'_>, text);
    typed!(header::Organization<'_>, text);
    typed!(header::PAccessNetworkInfo<'_>, text);
    typed!(header::PAssertedIdentity<'_>, text);
    typed!(header::PAssociatedUri<'_>, text);
    typed!(header::PCalledPartyId<'_>, text);
    typed!(header::PChargingFunctionAddresses<'_>, text);
    typed!(header::PChargingVector<'_>, text);
    typed!(header::PEarlyMedia<'_>, text);
    typed!(header::PPreferredIdentity<'_>, text);
    typed!(header::PServedUser<'_>, text);
    typed!(header::PVisitedNetworkId<'_>, text);
    typed!(header::Path<'_>, text);
    typed!(header::Priority<'_>, text);
    typed!(header::Privacy<'_>, text);
    typed!(header::ProxyAuthenticate<'_>, text);
    typed!(header::ProxyAuthorization<'_>, text);
    typed!(header::ProxyRequire<'_>, text);
    typed!(header::RAck<'_>, text);
    typed!(header::RSeq, text);
    typed!(header::Reason<'_>, text);
    typed!(header::RecordRoute<'_>, text);
    typed!(header::ReferTo<'_>, text);
    typed!(header::ReferredBy<'_>, text);
    typed!(header::RejectContact<'_>, text);
    typed!(header::Replaces<'_>, text);
    typed!(header::ReplyTo<'_>, text);
    typed!(header::RequestDisposition<'_>, text);
    typed!(header::Require<'_>, text);
    typed!(header::ResourcePriority<'_>, text);
    typed!(header::RetryAfter<'_>, text);
    typed!(header::Route<'_>, text);
    typed!(header::SecurityClient<'_>, text);
    typed!(header::SecurityServer<'_>, text);
    typed!(header::SecurityVerify<'_>, text);
    typed!(header::Server<'_>, text);
    typed!(header::ServiceRoute<'_>, text);
    typed!(header::SessionExpires<'_>, text);
    typed!(header::SipETag<'_>, text);
    typed!(header::SipIfMatch<'_>, text);
    typed!(header::Subject<'_>, text);
    typed!(header::SubscriptionState<'_>, text);
    typed!(header::Supported<'_>, text);
    typed!(header::Timestamp, text);
    typed!(header::To<'_>, text);
    typed!(header::Unsupported<'_>, text);
    typed!(header::UserAgent<'_>, text);
    typed!(header::Via<'_>, text);
    typed!(header::Warning<'_>, text);
    typed!(header::WwwAuthenticate<'_>, text);
}

/// Message parsing, validation, every accessor, and byte-exact encoding.
pub(crate) fn message(data: &[u8]) {
    let config = ParseConfig::default();
    for result in [
        MessageRef::parse(data),
        MessageRef::parse_head(data, &config),
    ] {
        let Ok(m) = result else { continue };
        let _ = m.validate();
        let _ = m.validate_with(&ValidationPolicy::proxy(&[]));
        let _ = (
            m.start_line(),
            m.request_uri(),
            m.via(),
            m.from(),
            m.to(),
            m.call_id(),
            m.cseq(),
        );
        if let (Ok(fast), Ok(full)) = (m.from_tag(), m.from()) {
            assert_eq!(fast, full.tag());
        }
        for h in m.headers() {
            let _ = format!("{h:?}");
            for element in h.elements() {
                header_value(element);
            }
        }
        let mut out = Vec::new();
        m.encode(&mut out);
        assert_eq!(out, m.as_bytes());
        if let Ok(mp) = imsip::multipart::Multipart::from_message(&m) {
            for part in mp.parts().flatten() {
                let _ = (
                    part.content_type(),
                    part.headers().count(),
                    part.body().len(),
                );
            }
        }
        let owned = m.to_message();
        assert_eq!(owned.as_ref().header_count(), m.header_count());
    }
    if let Ok(owned) = Message::parse(bytes::Bytes::copy_from_slice(data)) {
        assert_eq!(owned.as_ref().body(), &owned.body()[..]);
        // A request that validates can always be answered: the response
        // copies fields already checked (the validation is remembered) and
        // the builder indexes what it writes (checked against the parser
        // by a debug assertion).
        let m = owned.as_ref();
        let unchecked = m.is_request().then(|| m.response(imsip::StatusCode::OK));
        if m.is_request() && owned.as_ref().validate().is_ok() {
            let ok = owned
                .as_ref()
                .response(imsip::StatusCode::OK)
                .and_then(|b| b.to_tag("fz1").build())
                .unwrap_or_else(|e| panic!("a validated request cannot be answered: {e}"));
            // The same response as from a request not known to be valid.
            if let Some(Ok(b)) = unchecked {
                assert_eq!(
                    b.to_tag("fz1").build().map(|r| r.bytes().clone()),
                    Ok(ok.bytes().clone())
                );
            }
        }
    }
}

/// URI parsing; a parsed URI re-encodes to text that parses to an equal URI.
pub(crate) fn uri(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(u) = Uri::parse(text) {
        let again = u.to_string();
        let reparsed = Uri::parse(&again).unwrap_or_else(|e| panic!("{text:?} -> {again:?}: {e}"));
        assert_eq!(reparsed, u, "{text:?} -> {again:?}");
        assert!(u.equivalent(&u));
    }
}

/// Stream framing, on both sides of a flow: every frame is within the buffer
/// and every framed message parses.
pub(crate) fn framing(data: &[u8]) {
    let config = ParseConfig::default();
    for side in [FlowSide::Server, FlowSide::Client] {
        let mut rest = data;
        while let Ok(f) = imsip::frame(rest, side, &config) {
            let n = f.consumed();
            if n == 0 {
                break;
            }
            assert!(n <= rest.len());
            if let Frame::Message { len } = f {
                // A framed message may still be malformed; it must not panic.
                let _ = MessageRef::parse(&rest[..len]);
            }
            rest = &rest[n..];
        }
    }
}

/// Authentication on hostile headers: credentials go through the Digest
/// verifier and the stateful server, challenges through the Digest and
/// Digest AKA clients. None may panic; a credential never verifies against
/// a password it was not made with.
pub(crate) fn auth(data: &[u8]) {
    use imsip::auth::aka::{self, DigestAkaClient, Usim};
    use imsip::auth::digest::{self, DigestClient, DigestServer, Request, ServerConfig};
    use imsip::auth::milenage::Milenage;
    use imsip::header::{Challenge, Credentials};
    use imsip::random::SeededRandom;

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let req = Request {
        method: "REGISTER",
        uri: "sip:ims.example.net",
        body: b"v=0\r\n",
    };
    let epoch = std::time::Instant::now();
    if let Ok(creds) = Credentials::parse(text) {
        for alg in digest::Algorithm::STRONGEST_FIRST {
            let ha1 = digest::ha1(alg, "alice", "ims.example.net", b"secret");
            let _ = digest::verify(&creds, &ha1, &req);
        }
        let mut server = DigestServer::new(ServerConfig::new("ims.example.net"), [9; 32], epoch);
        let outcome = server.verify(epoch, &creds, &req, |user, alg| {
            Some(digest::ha1(alg, user, "ims.example.net", b"secret"))
        });
        // Nonces are HMACs under the server key: fuzzed text cannot forge one.
        assert!(outcome.is_err(), "{text:?} verified");
        if let Some(auts) = creds.auts() {
            let _ = aka::parse_auts(&auts).map(|a| aka::encode_auts(&a));
        }
        if let Some(nonce) = creds.nonce() {
            let _ = aka::parse_digest_nonce(&nonce);
        }
    }
    if let Ok(challenge) = Challenge::parse(text) {
        let mut rng = SeededRandom::new(1);
        let mut client = DigestClient::new("alice", b"secret");
        if let Ok(creds) = client.answer([&challenge], &req, &mut rng) {
            let again = creds.to_string();
            let parsed = Credentials::parse(&again)
                .unwrap_or_else(|e| panic!("{text:?} answered with {again:?}: {e}"));
            assert_eq!(parsed, creds);
        }
        let usim = Usim::new(Milenage::new(&[1; 16], &[2; 16]));
        let mut ue = DigestAkaClient::new("alice@ims.example.net", usim);
        let _ = ue.answer([&challenge], &req, &mut rng);
    }
}

/// An endpoint fed an arbitrary script of datagrams, passing time, answers
/// and requests of its own. The script is a sequence of operations, each a
/// tag octet and its operands:
///
/// - `0 len hi len lo bytes...`: a datagram from one of two peers;
/// - `1 n`: `n`·37 ms pass, then `handle_timeout`;
/// - `2 c`: answer the oldest request not yet answered with status `100 + c`;
/// - `3`: send an OPTIONS of our own;
/// - `4`: report a transport error on the last transmit's transaction.
///
/// Nothing may panic; live transactions never exceed the configured
/// maximum; drained outputs stay bounded.
pub(crate) fn endpoint(data: &[u8]) {
    use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
    use std::time::{Duration, Instant};

    let mut config = EndpointConfig::default();
    config.max_transactions = 8;
    config.seed = Some(7);
    let mut node = Endpoint::new(config);
    let t0 = Instant::now();
    let mut now = t0;
    let peers: [std::net::SocketAddr; 2] = [
        "192.0.2.1:5060".parse().unwrap(),
        "[2001:db8::1]:5070".parse().unwrap(),
    ];
    let local: std::net::SocketAddr = "192.0.2.100:5060".parse().unwrap();
    let mut pending = std::collections::VecDeque::new();
    let mut last_tx = None;
    let mut own = 0u32;
    let mut i = 0;
    while i < data.len() {
        let op = data[i];
        i += 1;
        match op % 5 {
            0 => {
                let Some(&[hi, lo]) = data.get(i..i + 2).map(|s| <&[u8; 2]>::try_from(s).unwrap())
                else {
                    break;
                };
                i += 2;
                let len = (usize::from(hi) << 8 | usize::from(lo)).min(data.len() - i);
                let datagram = &data[i..i + len];
                i += len;
                let transport = if op & 0x80 == 0 {
                    imsip::Transport::Udp
                } else {
                    imsip::Transport::Tcp
                };
                node.handle_input(
                    now,
                    Flow::new(transport, local, peers[usize::from(op & 0x40 != 0)]),
                    bytes::Bytes::copy_from_slice(datagram),
                );
            }
            1 => {
                let n = data.get(i).copied().unwrap_or(1);
                i += 1;
                now += Duration::from_millis(37 * u64::from(n));
                node.handle_timeout(now);
            }
            2 => {
                let c = data.get(i).copied().unwrap_or(100);
                i += 1;
                if let Some((id, request)) = pending.pop_front() {
                    let request: Message = request;
                    // The transaction user's checks, as a user agent or a
                    // proxy: a failure is answered with its rejection.
                    let policy = if c % 2 == 0 {
                        ValidationPolicy::user_agent(&["100rel"])
                    } else {
                        ValidationPolicy::proxy(&[])
                    };
                    let m = request.as_ref();
                    let code = imsip::StatusCode::new(100 + u16::from(c) % 600).unwrap();
                    let answer = match m.validate_with(&policy) {
                        Ok(()) => m.response(code),
                        Err(e) => policy.rejection(&m, &e),
                    };
                    if let Ok(r) = answer.and_then(|b| b.build()) {
                        let _ = node.respond(now, id, r);
                    }
                }
            }
            3 => {
                own += 1;
                let text = format!(
                    "OPTIONS sip:b@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.100;branch=z9hG4bKfz{own}\r\n\
Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=f\r\nTo: <sip:b@x>\r\nCall-ID: fz{own}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
                );
                let msg = Message::parse(bytes::Bytes::from(text)).unwrap();
                let _ =
                    node.send_request(now, msg, Flow::new(imsip::Transport::Udp, local, peers[0]));
            }
            _ => {
                if let Some(id) = last_tx {
                    node.handle_transport_error(now, id);
                }
            }
        }
        assert!(node.transactions() <= 8);
        let mut transmits = 0;
        while let Some(t) = node.poll_transmit() {
            transmits += 1;
            if t.transaction.is_some() {
                last_tx = t.transaction;
            }
            assert!(
                MessageRef::parse(&t.payload).is_ok(),
                "sent something unparsable"
            );
        }
        assert!(transmits <= 64);
        while let Some(e) = node.poll_event() {
            if let Event::Request {
                transaction,
                request,
                ..
            } = e
                && pending.len() < 16
            {
                pending.push_back((transaction, request));
            }
        }
        if let Some(at) = node.poll_timeout() {
            assert!(
                at <= now + Duration::from_secs(64),
                "a timer beyond 64·T1 + slack"
            );
        }
    }
}
