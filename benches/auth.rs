//! Authentication benchmarks: Milenage, AKA vectors, Digest verification and
//! a whole Digest AKAv1 exchange.
//!
//! `cargo bench --bench auth`. Numbers are in `docs/performance.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use imsip::auth::aka::{self, DigestAkaClient, SqnGenerator, Usim};
use imsip::auth::digest::{self, Algorithm, DigestClient, DigestServer, Request, ServerConfig};
use imsip::auth::milenage::Milenage;
use imsip::header::{Challenge, Credentials};
use imsip::random::{Random, SeededRandom};

/// TS 35.208 test set 1.
const K: [u8; 16] = hex("465b5ce8b199b49faa5f0a2ee238a6bc");
const OP: [u8; 16] = hex("cdc202d5123e20f62b6d676ac72cb318");
const RAND: [u8; 16] = hex("23553cbe9637a89d218ae64dae47bf35");
const SQN: [u8; 6] = [0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07];
const AMF: [u8; 2] = [0xb9, 0xb9];

const REALM: &str = "ims.example.net";
const USER: &str = "alice@ims.example.net";
const URI: &str = "sip:ims.example.net";

const fn hex<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not hex"),
        }
    }
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

fn milenage(c: &mut Criterion) {
    let m = Milenage::new(&K, &OP);
    let mut g = c.benchmark_group("milenage");
    g.bench_function("opc_from_op", |b| {
        b.iter(|| Milenage::new(black_box(&K), black_box(&OP)))
    });
    g.bench_function("f2345", |b| b.iter(|| m.f2345(black_box(&RAND))));
    g.bench_function("f1_f1star_f2345_f5star_separately", |b| {
        b.iter(|| {
            let rand = black_box(&RAND);
            (
                m.f1(rand, &SQN, &AMF),
                m.f1_star(rand, &SQN, &AMF),
                m.f2345(rand),
                m.f5_star(rand),
            )
        })
    });
    g.bench_function("all_f1_to_f5star_at_once", |b| {
        b.iter(|| m.all(black_box(&RAND), &SQN, &AMF))
    });
    g.bench_function("aka_vector", |b| {
        b.iter(|| aka::vector(&m, black_box(RAND), 0x20, AMF))
    });
    g.finish();
}

/// Credentials text from a client that answered a `algorithm` challenge.
fn credentials_text(algorithm: Algorithm) -> String {
    let challenge = format!(
        "Digest realm=\"{REALM}\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", qop=\"auth\", algorithm={}",
        algorithm.as_str()
    );
    let challenge = Challenge::parse(&challenge).unwrap();
    let mut client = DigestClient::new(USER, b"secret").with_algorithms(&[algorithm]);
    let req = Request {
        method: "REGISTER",
        uri: URI,
        body: b"",
    };
    let creds = client
        .answer([&challenge], &req, &mut SeededRandom::new(1))
        .unwrap();
    creds.to_string()
}

fn digest_verify(c: &mut Criterion) {
    let req = Request {
        method: "REGISTER",
        uri: URI,
        body: b"",
    };
    let mut g = c.benchmark_group("digest_verify");
    for (name, algorithm) in [
        ("md5", Algorithm::Md5),
        ("sha256", Algorithm::Sha256),
        ("sha512_256", Algorithm::Sha512_256),
    ] {
        let text = credentials_text(algorithm);
        let ha1 = digest::ha1(algorithm, USER, REALM, b"secret");
        // Parse the Authorization value, compute the expected response and
        // compare it in constant time, with HA1 stored (no password).
        g.bench_function(name, |b| {
            b.iter(|| {
                let creds = Credentials::parse(black_box(&text)).unwrap();
                assert!(digest::verify(&creds, &ha1, &req));
            })
        });
    }

    // The stateful server: nonce MAC and age check, nc replay window,
    // response, rspauth. Each iteration verifies a new nonce count.
    let epoch = Instant::now();
    let mut server = DigestServer::new(ServerConfig::new(REALM), [7; 32], epoch);
    let mut rng = SeededRandom::new(2);
    let challenges = server.challenges(epoch, &mut rng, false);
    let mut client = DigestClient::new(USER, b"secret").with_algorithms(&[Algorithm::Md5]);
    client.answer(challenges.iter(), &req, &mut rng).unwrap();
    let ha1 = digest::ha1(Algorithm::Md5, USER, REALM, b"secret");
    g.bench_function("server_md5_with_nonce_and_nc", |b| {
        b.iter_batched(
            || client.authorize(&req, &mut rng).unwrap().to_string(),
            |text| {
                let creds = Credentials::parse(&text).unwrap();
                server
                    .verify(epoch, &creds, &req, |_, _| Some(ha1.clone()))
                    .unwrap();
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// One Digest AKAv1-MD5 registration challenge and answer, both sides: the
/// network makes a vector and the challenge, the UE's USIM checks AUTN and
/// answers with RES as the password, the network verifies the credentials.
fn akav1_exchange(c: &mut Criterion) {
    let network = Milenage::new(&K, &OP);
    let mut sqn = SqnGenerator::new(0);
    let mut ue = DigestAkaClient::new(USER, Usim::new(Milenage::new(&K, &OP)));
    let mut rng = SeededRandom::new(3);
    let req = Request {
        method: "REGISTER",
        uri: URI,
        body: b"",
    };
    c.bench_function("akav1_exchange", |b| {
        b.iter(|| {
            let mut rand = [0u8; 16];
            rand[..8].copy_from_slice(&rng.next_u64().to_be_bytes());
            let av = aka::vector(&network, rand, sqn.next(), [0x80, 0x00]);
            let challenge = format!(
                "Digest realm=\"{REALM}\", nonce=\"{}\", qop=\"auth\", algorithm=AKAv1-MD5",
                aka::digest_nonce(&av.rand, &av.autn, b"")
            );
            let challenge = Challenge::parse(&challenge).unwrap();
            let answer = ue.answer([&challenge], &req, &mut rng).unwrap().to_string();
            let creds = Credentials::parse(&answer).unwrap();
            let ha1 = aka::digest_ha1(Algorithm::AkaV1Md5, USER, REALM, &av).unwrap();
            assert!(digest::verify(&creds, &ha1, &req));
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = milenage, digest_verify, akav1_exchange
}
criterion_main!(benches);
