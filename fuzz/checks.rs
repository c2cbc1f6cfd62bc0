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

/// Drives a user agent with arbitrary inputs, commands and time, plus
/// messages made to fit what it sent (responses to its requests, requests
/// within the dialogs of its responses), so that the dialog states are
/// reached. Nothing may panic, everything sent must parse, state stays
/// bounded and timers stay within 64·T1.
pub(crate) fn ua(data: &[u8]) {
    use imsip::ua::{Body, Call, SessionId, UaConfig, UaEvent, UserAgent};
    use imsip::uri::Uri;
    use imsip::{Flow, StatusCode, Transport};
    use std::time::{Duration, Instant};

    let mut config = UaConfig::default();
    config.endpoint.max_transactions = 16;
    config.endpoint.seed = Some(11);
    config.max_sessions = 4;
    let mut ua = UserAgent::new(config);
    let t0 = Instant::now();
    let mut now = t0;
    let local: std::net::SocketAddr = "192.0.2.100:5060".parse().unwrap();
    let peer: std::net::SocketAddr = "192.0.2.1:5060".parse().unwrap();
    let flow = Flow::new(Transport::Udp, local, peer);
    let mut sessions: Vec<SessionId> = Vec::new();
    // The last request and the last response the user agent sent.
    let mut sent_request: Option<Message> = None;
    let mut sent_response: Option<Message> = None;
    let mut n = 0u32;
    let byte = |i: &mut usize| {
        let b = data.get(*i).copied().unwrap_or(0);
        *i += 1;
        b
    };
    let mut i = 0;
    while i < data.len() {
        let op = byte(&mut i);
        n += 1;
        match op % 11 {
            // Arbitrary octets from the peer.
            0 => {
                let want = usize::from(byte(&mut i));
                let start = i.min(data.len());
                let datagram = &data[start..start + want.min(data.len() - start)];
                i = start + datagram.len();
                ua.handle_input(now, flow, bytes::Bytes::copy_from_slice(datagram));
            }
            1 => {
                now += Duration::from_millis(53 * u64::from(byte(&mut i)));
                ua.handle_timeout(now);
                // Everything due has fired: no busy loop.
                if let Some(at) = ua.poll_timeout() {
                    assert!(at > now, "a timer due after handle_timeout");
                }
            }
            // A new INVITE from the peer, with or without an offer and
            // 100rel.
            2 => {
                let flags = byte(&mut i);
                let body = if flags & 1 == 0 { "" } else { "v=0\r\n" };
                let rel = match flags & 6 {
                    2 => "Supported: 100rel\r\n",
                    4 => "Require: 100rel\r\n",
                    _ => "",
                };
                let text = format!(
                    "INVITE sip:ua@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKin{n}\r\n\
Max-Forwards: 70\r\nFrom: <sip:peer@192.0.2.1>;tag=p{n}\r\nTo: <sip:ua@192.0.2.100>\r\n\
Call-ID: in{n}\r\nCSeq: 1 INVITE\r\nContact: <sip:peer@192.0.2.1:5060>\r\n{rel}\
Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                ua.handle_input(now, flow, bytes::Bytes::from(text));
            }
            // A call from the user agent.
            3 => {
                let offer = byte(&mut i) & 1 == 0;
                let mut call = Call::new(
                    Uri::parse("sip:ua@192.0.2.100").unwrap().into_owned(),
                    Uri::parse("sip:peer@192.0.2.1").unwrap().into_owned(),
                    flow,
                );
                if offer {
                    call = call.body(Body::sdp("v=0\r\n"));
                }
                if let Ok(s) = ua.call(now, call) {
                    sessions.push(s);
                }
            }
            // A command on a session.
            4 => {
                let which = byte(&mut i);
                let what = byte(&mut i);
                let Some(&s) = sessions.get(usize::from(which) % sessions.len().max(1)) else {
                    continue;
                };
                let body = (what & 0x80 != 0).then(|| Body::sdp("v=0\r\n"));
                let _ = match what % 10 {
                    0 => ua.progress(now, s, StatusCode::RINGING, body),
                    1 => ua.progress(now, s, StatusCode::SESSION_PROGRESS, body),
                    2 => ua.answer(now, s, body),
                    3 => ua.reject(now, s, StatusCode::BUSY_HERE),
                    4 => ua.hangup(now, s),
                    5 => ua.update(now, s, true, body),
                    6 => ua.update(now, s, false, body),
                    7 => ua.accept_update(now, s, body),
                    8 => ua.reject_update(now, s, StatusCode::NOT_ACCEPTABLE_HERE),
                    _ => ua.acknowledge(now, s, body),
                };
            }
            // A response to the last request the user agent sent.
            5 => {
                let status = byte(&mut i);
                let tag = byte(&mut i) % 3;
                let Some(req) = &sent_request else { continue };
                let m = req.as_ref();
                let code = [
                    100u16, 180, 183, 200, 200, 202, 302, 401, 481, 486, 487, 491, 500, 603,
                ][usize::from(status) % 14];
                let Ok(b) = m.response(StatusCode::new(code).unwrap()) else {
                    continue;
                };
                let mut b = b
                    .to_tag(&format!("t{tag}"))
                    .raw_header("Contact", "<sip:peer@192.0.2.1:5060>");
                if status & 0x40 != 0 {
                    b = b
                        .raw_header("Require", "100rel")
                        .raw_header("RSeq", &(u32::from(status >> 6) + 1).to_string());
                }
                if status & 0x20 != 0 {
                    b = b.body(
                        &imsip::header::MediaType::new("application", "sdp"),
                        "v=0\r\n",
                    );
                }
                if let Ok(r) = b.build() {
                    ua.handle_input(now, flow, r.bytes().clone());
                }
            }
            // A request within the dialog of the last response the user
            // agent sent.
            6 => {
                let kind = byte(&mut i);
                let Some(resp) = &sent_response else { continue };
                let m = resp.as_ref();
                let (Some(from), Some(to), Ok(call_id), Ok(cseq)) = (
                    m.get_known(imsip::header::HeaderName::From)
                        .and_then(|h| h.value_str()),
                    m.get_known(imsip::header::HeaderName::To)
                        .and_then(|h| h.value_str()),
                    m.call_id(),
                    m.cseq(),
                ) else {
                    continue;
                };
                let methods = ["ACK", "BYE", "PRACK", "UPDATE", "INVITE", "INFO", "CANCEL"];
                let method = methods[usize::from(kind) % methods.len()];
                let seq = if matches!(method, "ACK" | "CANCEL") {
                    cseq.seq
                } else {
                    cseq.seq + u32::from(kind >> 4)
                };
                let rseq = m
                    .header::<imsip::header::RSeq>()
                    .and_then(Result::ok)
                    .map_or(1, |r| r.0);
                let text = format!(
                    "{method} sip:ua@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKd{n}\r\n\
Max-Forwards: 70\r\nFrom: {from}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {seq} {method}\r\n\
RAck: {rseq} {} INVITE\r\nContact: <sip:peer@192.0.2.1:5060>\r\nContent-Length: 0\r\n\r\n",
                    call_id.as_str(),
                    cseq.seq,
                );
                ua.handle_input(now, flow, bytes::Bytes::from(text));
            }
            // A subscription or a registration from the user agent.
            8 => {
                let kind = byte(&mut i);
                let from = Uri::parse("sip:ua@192.0.2.100").unwrap().into_owned();
                let to = Uri::parse("sip:peer@192.0.2.1").unwrap().into_owned();
                if kind & 1 == 0 {
                    let _ = ua.subscribe(
                        now,
                        imsip::ua::Subscribe::new(from, to, "presence", flow)
                            .expires(u32::from(kind)),
                    );
                } else {
                    let _ = ua.register(
                        now,
                        imsip::ua::Register::new(to, from, flow)
                            .expires(u32::from(kind) * 10)
                            .auth(imsip::ua::Authenticator::digest("ua", b"pw")),
                    );
                }
            }
            // A SUBSCRIBE from the peer.
            9 => {
                let expires = byte(&mut i);
                let text = format!(
                    "SUBSCRIBE sip:ua@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKs{n}\r\n\
Max-Forwards: 70\r\nFrom: <sip:peer@192.0.2.1>;tag=s{n}\r\nTo: <sip:ua@192.0.2.100>\r\n\
Call-ID: s{n}\r\nCSeq: 1 SUBSCRIBE\r\nContact: <sip:peer@192.0.2.1:5060>\r\nEvent: presence\r\n\
Expires: {expires}\r\nContent-Length: 0\r\n\r\n"
                );
                ua.handle_input(now, flow, bytes::Bytes::from(text));
            }
            _ => {
                // The user answers what it was asked.
                while let Some(e) = ua.poll_event() {
                    match e {
                        UaEvent::SubscriptionRequest { subscription, .. } => {
                            let _ = ua.accept_subscription(now, subscription, 600);
                            let _ =
                                ua.notify(now, subscription, imsip::ua::NotifyState::Active, None);
                        }
                        UaEvent::IncomingCall { session, .. } => sessions.push(session),
                        UaEvent::Request {
                            transaction,
                            request,
                            ..
                        } => {
                            if let Ok(r) = request
                                .as_ref()
                                .response(StatusCode::OK)
                                .and_then(|b| b.build())
                            {
                                let _ = ua.respond(now, transaction, r);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut transmits = 0;
        while let Some(t) = ua.poll_transmit() {
            transmits += 1;
            let m = Message::parse(t.payload).expect("the user agent sends what parses");
            if m.as_ref().is_request() {
                sent_request = Some(m);
            } else {
                sent_response = Some(m);
            }
        }
        assert!(transmits <= 64);
        while let Some(e) = ua.poll_event() {
            if let UaEvent::IncomingCall { session, .. } = e {
                sessions.push(session);
            }
        }
        sessions.truncate(64);
        assert!(ua.sessions() <= 4, "sessions beyond max_sessions");
        assert!(ua.subscriptions() <= 4, "subscriptions beyond max_sessions");
        assert!(ua.endpoint().transactions() <= 16);
        if let Some(at) = ua.poll_timeout() {
            // Refreshes and session timers wait long (up to the expiries
            // asked for here, under an hour); nothing waits a day.
            assert!(
                at <= now + Duration::from_secs(86_400),
                "a timer a day away"
            );
        }
    }
}

/// Drives a proxy with arbitrary input and time, plus requests and
/// responses fitted to what it forwards, routing every request to one
/// target. Nothing may panic, everything sent must parse, state stays
/// bounded.
pub(crate) fn proxy(data: &[u8]) {
    use imsip::proxy::{
        Forking, Proxy, ProxyConfig, ProxyEvent, ProxyIdentity, StatelessEvent, StatelessProxy,
        Target,
    };
    use imsip::uri::{HostPort, Uri};
    use imsip::{Flow, StatusCode, Transport};
    use std::time::{Duration, Instant};

    let local: std::net::SocketAddr = "192.0.2.100:5060".parse().unwrap();
    let client: std::net::SocketAddr = "192.0.2.1:5060".parse().unwrap();
    let server: std::net::SocketAddr = "192.0.2.2:5060".parse().unwrap();
    let identity = ProxyIdentity::new(
        Uri::parse("sip:192.0.2.100;lr").unwrap().into_owned(),
        HostPort::from(local).into_owned(),
        [5; 16],
    );
    let stateless_identity = identity.clone();
    let mut config = ProxyConfig::new(identity);
    config.endpoint.max_transactions = 32;
    config.endpoint.seed = Some(3);
    config.recurse = data.first().is_some_and(|b| b & 1 == 1);
    let mut proxy = Proxy::new(config);
    // The stateless proxy gets everything the stateful one gets.
    let mut stateless = StatelessProxy::new(stateless_identity).with_record_route(true);
    fn feed(
        proxy: &mut Proxy,
        stateless: &mut StatelessProxy,
        now: Instant,
        flow: Flow,
        data: bytes::Bytes,
    ) {
        stateless.handle_input(flow, data.clone());
        proxy.handle_input(now, flow, data);
    }
    let mut now = Instant::now();
    let mut forwarded: Option<Message> = None;
    let byte = |i: &mut usize| {
        let b = data.get(*i).copied().unwrap_or(0);
        *i += 1;
        b
    };
    let mut n = 0u32;
    let mut i = 0;
    while i < data.len() {
        let op = byte(&mut i);
        n += 1;
        match op % 5 {
            0 => {
                let want = usize::from(byte(&mut i));
                let start = i.min(data.len());
                let datagram = &data[start..start + want.min(data.len() - start)];
                i = start + datagram.len();
                let from = if op & 0x80 == 0 { client } else { server };
                feed(
                    &mut proxy,
                    &mut stateless,
                    now,
                    Flow::new(Transport::Udp, local, from),
                    bytes::Bytes::copy_from_slice(datagram),
                );
            }
            1 => {
                now += Duration::from_millis(97 * u64::from(byte(&mut i)));
                proxy.handle_timeout(now);
            }
            // A request from the client side.
            2 => {
                let kind = byte(&mut i);
                let method = ["INVITE", "OPTIONS", "BYE", "ACK", "CANCEL", "REGISTER"]
                    [usize::from(kind) % 6];
                let mf = if kind & 0x40 != 0 { "0" } else { "70" };
                let tag = if kind & 0x80 != 0 { ";tag=t" } else { "" };
                let route = if kind & 0x20 != 0 {
                    "Route: <sip:192.0.2.100;lr>, <sip:192.0.2.2;lr>\r\n"
                } else {
                    ""
                };
                let text = format!(
                    "{method} sip:bob@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc{}\r\n\
Max-Forwards: {mf}\r\n{route}From: <sip:a@x>;tag=f\r\nTo: <sip:bob@x>{tag}\r\nCall-ID: p{}\r\nCSeq: 1 {method}\r\n\
Contact: <sip:a@192.0.2.1>\r\nContent-Length: 0\r\n\r\n",
                    n / 3,
                    n / 7
                );
                feed(
                    &mut proxy,
                    &mut stateless,
                    now,
                    Flow::new(Transport::Udp, local, client),
                    bytes::Bytes::from(text),
                );
            }
            // A response from the server side to what was forwarded.
            3 => {
                let s = byte(&mut i);
                if let Some(req) = &forwarded {
                    let code = [100u16, 180, 200, 302, 401, 407, 486, 503, 603][usize::from(s) % 9];
                    let contact = if s & 0x40 == 0 {
                        "<sip:carol@192.0.2.3>;q=0.5"
                    } else {
                        "<sip:bob@192.0.2.2>"
                    };
                    if let Ok(b) = req.as_ref().response(StatusCode::new(code).unwrap())
                        && let Ok(r) = if code == 302 {
                            b.raw_header("Contact", contact)
                        } else {
                            b
                        }
                        .build()
                    {
                        feed(
                            &mut proxy,
                            &mut stateless,
                            now,
                            Flow::new(Transport::Udp, local, server),
                            r.bytes().clone(),
                        );
                    }
                }
            }
            _ => {}
        }
        let mut transmits = 0;
        while let Some(t) = proxy.poll_transmit() {
            transmits += 1;
            let m = Message::parse(t.payload).expect("the proxy sends what parses");
            if m.as_ref().is_request() && t.flow.remote == server {
                forwarded = Some(m);
            }
        }
        assert!(transmits <= 64);
        while let Some(e) = stateless.poll_event() {
            let StatelessEvent::Request {
                request,
                origin,
                reply,
                next_hop,
            } = e
            else {
                continue;
            };
            if let Some(hop) = next_hop
                && stateless.forward_route(&request, &origin, &hop)
            {
                continue;
            }
            if request.as_ref().method_text() == Some("OPTIONS") {
                if let Ok(b) = request.as_ref().response(StatusCode::OK)
                    && let Ok(r) = b.build()
                {
                    stateless.respond(reply, r);
                }
                continue;
            }
            let uri = Uri::parse("sip:bob@192.0.2.2").unwrap().into_owned();
            let target = Target::direct(uri, Transport::Udp, local).unwrap();
            let _ = stateless.forward(&request, &origin, &target);
        }
        let mut sent = 0;
        while let Some(t) = stateless.poll_transmit() {
            sent += 1;
            Message::parse(t.payload).expect("the stateless proxy sends what parses");
        }
        assert!(sent <= 4);
        while let Some(e) = proxy.poll_event() {
            match e {
                ProxyEvent::Request {
                    id,
                    request,
                    origin,
                    next_hop,
                } => {
                    if let Some(hop) = next_hop
                        && proxy.forward_route(now, id, &hop, origin)
                    {
                        continue;
                    }
                    let uri = Uri::parse("sip:bob@192.0.2.2").unwrap().into_owned();
                    let target = Target::direct(uri, Transport::Udp, local).unwrap();
                    let fork = if request.as_ref().cseq().map_or(0, |c| c.seq) % 2 == 0 {
                        Forking::Parallel
                    } else {
                        Forking::Sequential
                    };
                    proxy.forward(now, id, vec![target.clone(), target], fork);
                }
                ProxyEvent::Redirect { id, contacts, .. } => {
                    let targets = if n.is_multiple_of(2) {
                        contacts
                            .into_iter()
                            .filter_map(|(uri, _)| Target::direct(uri, Transport::Udp, local))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    proxy.forward(now, id, targets, Forking::Sequential);
                }
                ProxyEvent::Ack { request, origin } => {
                    let uri = Uri::parse("sip:bob@192.0.2.2").unwrap().into_owned();
                    let target = Target::direct(uri, Transport::Udp, local).unwrap();
                    proxy.forward_stateless(&request, origin, &target);
                }
                _ => {}
            }
        }
        while let Some(t) = proxy.poll_transmit() {
            Message::parse(t.payload).expect("the proxy sends what parses");
        }
        assert!(proxy.endpoint().transactions() <= 32);
        assert!(
            proxy.contexts() <= 32,
            "contexts outlive their transactions"
        );
    }
}

/// SDP: a parse never panics; what parses is kept octet for octet, its
/// owned description encodes to text that parses back to the same
/// description, its typed attributes read back what they write, and the
/// editor without edits gives the input back.
#[allow(dead_code)]
#[cfg(any(fuzzing, feature = "sdp"))]
pub(crate) fn sdp(data: &[u8]) {
    use imsip::sdp::{Attribute, AttributeLine, Sdp, SdpEditor};
    let Ok(sdp) = Sdp::parse_bytes(data) else {
        return;
    };
    assert_eq!(sdp.as_str().as_bytes(), data);
    assert_eq!(SdpEditor::new(&sdp).finish().as_bytes(), data);
    let typed = |a: imsip::sdp::RawAttribute<'_>| {
        if let Ok(t) = a.typed() {
            let written = AttributeLine::from(&t).to_string();
            let (n, v) = match written.split_once(':') {
                Some((n, v)) => (n, Some(v)),
                None => (written.as_str(), None),
            };
            assert_eq!(Attribute::parse(n, v), Some(t), "{written}");
        }
    };
    sdp.attributes().for_each(typed);
    for m in sdp.media() {
        let _ = m.line();
        let _ = m.connection();
        m.attributes().for_each(typed);
        let _ = m.bandwidths().count();
    }
    if let Ok(d) = sdp.to_description() {
        let text = d.encode();
        let again = Sdp::parse(&text).unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(again.to_description().unwrap(), d, "{text}");
    }
}
