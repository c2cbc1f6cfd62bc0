//! Authentication side by side: imsip's Milenage against the `milenage`
//! crate, and Digest verification against rsip's `DigestGenerator`.
//!
//! `cd benches/compare && cargo bench --bench auth`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use imsip::auth::digest::{self, Request};
use imsip::header::Credentials;
use rsip::prelude::*;

/// TS 35.208 test set 1.
const K: [u8; 16] = [
    0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f, 0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc,
];
const OP: [u8; 16] = [
    0xcd, 0xc2, 0x02, 0xd5, 0x12, 0x3e, 0x20, 0xf6, 0x2b, 0x6d, 0x67, 0x6a, 0xc7, 0x2c, 0xb3, 0x18,
];
const RAND: [u8; 16] = [
    0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d, 0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35,
];
const SQN: [u8; 6] = [0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07];
const AMF: [u8; 2] = [0xb9, 0xb9];
const MAC_A: [u8; 8] = [0x4a, 0x9f, 0xfa, 0xc3, 0x54, 0xdf, 0xaf, 0xb3];

/// RFC 2617 §3.5 with method REGISTER and a SIP URI: what a registrar
/// receives.
const AUTHORIZATION: &str = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", \
nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:testrealm@host.com\", qop=auth, \
nc=00000001, cnonce=\"0a4f113b\", response=\"RESPONSE\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
const PASSWORD: &str = "Circle Of Life";

fn authorization() -> String {
    let req = Request {
        method: "REGISTER",
        uri: "sip:testrealm@host.com",
        body: b"",
    };
    let ha1 = digest::ha1(
        digest::Algorithm::Md5,
        "Mufasa",
        "testrealm@host.com",
        PASSWORD.as_bytes(),
    );
    let response = digest::response(
        digest::Algorithm::Md5,
        &ha1,
        &digest::Nonces {
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            cnonce: "0a4f113b",
            nc: 1,
            qop: Some(digest::Qop::Auth),
        },
        &req,
    );
    AUTHORIZATION.replace("RESPONSE", &response)
}

fn milenage(c: &mut Criterion) {
    let ours = imsip::auth::milenage::Milenage::new(&K, &OP);
    let mut theirs = milenage::Milenage::new_with_op(K, OP).unwrap();
    assert_eq!(ours.all(&RAND, &SQN, &AMF).mac_a, MAC_A);
    assert_eq!(theirs.f1(&RAND, &SQN, &AMF), MAC_A);

    let mut g = c.benchmark_group("milenage_f1_to_f5star");
    g.bench_function("imsip", |b| {
        b.iter(|| ours.all(black_box(&RAND), &SQN, &AMF))
    });
    g.bench_function("milenage", |b| {
        b.iter(|| {
            let rand = black_box(&RAND);
            (
                theirs.f1(rand, &SQN, &AMF),
                theirs.f1star(rand, &SQN, &AMF),
                theirs.f2345(rand),
                theirs.f5star(rand),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("milenage_f2345");
    g.bench_function("imsip", |b| b.iter(|| ours.f2345(black_box(&RAND))));
    g.bench_function("milenage", |b| b.iter(|| theirs.f2345(black_box(&RAND))));
    g.finish();
}

fn digest_verify(c: &mut Criterion) {
    let text = authorization();
    let req = Request {
        method: "REGISTER",
        uri: "sip:testrealm@host.com",
        body: b"",
    };
    let method = rsip::Method::Register;
    // Both check that the other crate agrees before timing.
    let creds = Credentials::parse(&text).unwrap();
    let ha1 = digest::ha1(
        digest::Algorithm::Md5,
        "Mufasa",
        "testrealm@host.com",
        PASSWORD.as_bytes(),
    );
    assert!(digest::verify(&creds, &ha1, &req));
    let typed = rsip::headers::Authorization::new(text.clone())
        .typed()
        .unwrap();
    assert!(
        rsip::services::DigestGenerator::from(&typed, PASSWORD, &method).verify(&typed.response)
    );

    // Parse the Authorization value, derive HA1 from the password, compute
    // the response and compare.
    let mut g = c.benchmark_group("digest_verify_md5_from_password");
    g.bench_function("imsip", |b| {
        b.iter(|| {
            let creds = Credentials::parse(black_box(&text)).unwrap();
            let user = creds.username().unwrap();
            let realm = creds.realm().unwrap();
            let ha1 = digest::ha1(digest::Algorithm::Md5, &user, &realm, PASSWORD.as_bytes());
            assert!(digest::verify(&creds, &ha1, &req));
        })
    });
    g.bench_function("rsip", |b| {
        b.iter(|| {
            let typed = rsip::headers::Authorization::new(black_box(text.as_str()))
                .typed()
                .unwrap();
            let generator = rsip::services::DigestGenerator::from(&typed, PASSWORD, &method);
            assert!(generator.verify(&typed.response));
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = milenage, digest_verify
}
criterion_main!(benches);
