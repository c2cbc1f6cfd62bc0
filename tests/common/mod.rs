//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Inside a proptest: parses `$text` as `$ty`, encodes, parses again (same
/// value, stable text), and gives the parsed value. Needs `TypedHeader` and
/// proptest's prelude in scope. Brought in by `#[macro_use] mod common;`.
#[allow(unused_macros)]
macro_rules! roundtrip {
    ($ty:ty, $text:expr) => {{
        let text: &str = &$text;
        let parsed = <$ty>::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        roundtrip_of!($ty, text, &parsed);
        parsed
    }};
}

/// Like `roundtrip!` for text that may not parse: when it does, the same
/// properties hold.
#[allow(unused_macros)]
macro_rules! roundtrip_if_ok {
    ($ty:ty, $text:expr) => {{
        let text: &str = &$text;
        if let Ok(parsed) = <$ty>::parse(text) {
            roundtrip_of!($ty, text, &parsed);
        }
    }};
}

/// The checks of `roundtrip!` on a value `$parsed` parsed from `$text`.
#[allow(unused_macros)]
macro_rules! roundtrip_of {
    ($ty:ty, $text:expr, $parsed:expr) => {{
        let (text, parsed): (&str, &$ty) = ($text, $parsed);
        let mut enc = Vec::new();
        parsed.encode(&mut enc);
        let enc = String::from_utf8(enc).unwrap();
        let again = <$ty>::parse(&enc).unwrap_or_else(|e| panic!("{text:?} -> {enc:?}: {e}"));
        prop_assert_eq!(&again, parsed);
        let mut enc2 = Vec::new();
        again.encode(&mut enc2);
        prop_assert_eq!(enc2, enc.as_bytes());
    }};
}

/// A short OPTIONS, for the transaction machines.
pub(crate) const OPTIONS: &[u8] = b"OPTIONS sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKopt1\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@example.com>;tag=a1\r\n\
To: <sip:bob@example.com>\r\n\
Call-ID: opt1@192.0.2.1\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n";

/// The path of a file under `tests/data`.
pub(crate) fn data_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Reads a file under `tests/data`.
pub(crate) fn data(rel: &str) -> Vec<u8> {
    let p = data_path(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Rows of a `VERDICTS.tsv` as (name, verdict).
pub(crate) fn verdicts(rel: &str) -> Vec<(String, String)> {
    let text = String::from_utf8(data(rel)).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            (
                cols.next().unwrap().to_owned(),
                cols.next().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A typical INVITE with an SDP body (RFC 3665 §3.1 F1, adapted).
pub(crate) const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n\
Max-Forwards: 70\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
Call-ID: 3848276298220188511@atlanta.example.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:alice@client.atlanta.example.com;transport=udp>\r\n\
Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE\r\n\
Supported: 100rel, timer\r\n\
User-Agent: imsip-test/1.0\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 151\r\n\
\r\n\
v=0\r\n\
o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n\
s=-\r\n\
c=IN IP4 192.0.2.101\r\n\
t=0 0\r\n\
m=audio 49172 RTP/AVP 0\r\n\
a=rtpmap:0 PCMU/8000\r\n";

/// An IMS initial REGISTER carrying AKA credentials and sec-agree headers
/// (after TS 24.229 and the TS 24.228 registration flows).
pub(crate) const IMS_REGISTER: &[u8] = b"REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0\r\n\
Via: SIP/2.0/UDP [2001:db8:0:1::1]:5060;branch=z9hG4bKnashds7;rport\r\n\
Max-Forwards: 70\r\n\
P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=0010100010019B01\r\n\
From: <sip:001010000000001@ims.mnc001.mcc001.3gppnetwork.org>;tag=4fa3\r\n\
To: <sip:001010000000001@ims.mnc001.mcc001.3gppnetwork.org>\r\n\
Contact: <sip:001010000000001@[2001:db8:0:1::1]:5060>;expires=600000;+sip.instance=\"<urn:gsma:imei:35846800-017341-0>\";+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\";+g.3gpp.smsip\r\n\
Call-ID: apb03a0s09dkjdfglkj49111\r\n\
Authorization: Digest username=\"001010000000001@ims.mnc001.mcc001.3gppnetwork.org\", realm=\"ims.mnc001.mcc001.3gppnetwork.org\", nonce=\"CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==\", algorithm=AKAv1-MD5, uri=\"sip:ims.mnc001.mcc001.3gppnetwork.org\", response=\"6629fae49393a05397450978507c4ef1\", qop=auth, cnonce=\"0a4f113b\", nc=00000001\r\n\
Security-Client: ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357\r\n\
Security-Verify: ipsec-3gpp; q=0.1; alg=hmac-sha-1-96; spi-c=98765432; spi-s=87654321; port-c=8642; port-s=7531\r\n\
Require: sec-agree\r\n\
Proxy-Require: sec-agree\r\n\
Supported: path, gruu, sec-agree\r\n\
CSeq: 2 REGISTER\r\n\
Expires: 600000\r\n\
User-Agent: imsip-test/1.0\r\n\
Content-Length: 0\r\n\
\r\n";

pub(crate) mod net;
pub(crate) mod pair;
pub(crate) mod peer;
pub(crate) mod registrar;
pub(crate) mod strategies;
