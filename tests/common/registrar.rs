//! A small registrar built on the crate, for interop tests: REGISTER over
//! UDP, Digest MD5 (realm `sipp.test`, user `alice`, password `secret`) and
//! Digest AKAv1-MD5 (realm `ims.example.com`, user `user@ims.example.com`,
//! TS 35.208 set 3 keys).
//!
//! Without credentials it challenges (401); with good ones it answers 200
//! with the binding; with a wrong response it answers 403; with AUTS it
//! resynchronises and challenges again. The Digest side is the crate's own
//! `DigestServer::verify_request` / `rejection` on the messages.

use std::collections::HashMap;
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imsip::auth::aka::{self, AkaVerdict, AkaVerifyError, AuthVector, SqnGenerator};
use imsip::auth::digest::{self, Algorithm, Challenger, DigestServer, Request, ServerConfig};
use imsip::auth::milenage::Milenage;
use imsip::header::HeaderName;
use imsip::random::{Random, SeededRandom};
use imsip::{MessageRef, Method, ResponseBuilder, StatusCode};

pub(crate) const MD5_REALM: &str = "sipp.test";
pub(crate) const AKA_REALM: &str = "ims.example.com";
pub(crate) const AKA_USER: &str = "user@ims.example.com";
/// TS 35.208 set 3 (safe for SIPp's key parser).
pub(crate) const AKA_K: [u8; 16] = [
    0xfe, 0xc8, 0x6b, 0xa6, 0xeb, 0x70, 0x7e, 0xd0, 0x89, 0x05, 0x75, 0x7b, 0x1b, 0xb4, 0x4b, 0x8f,
];
pub(crate) const AKA_OP: [u8; 16] = [
    0xdb, 0xc5, 0x9a, 0xdc, 0xb6, 0xf9, 0xa0, 0xef, 0x73, 0x54, 0x77, 0xb7, 0xfa, 0xdf, 0x83, 0x74,
];
pub(crate) const AKA_AMF: [u8; 2] = [0x72, 0x5c];

/// What happened to each REGISTER, for the test to inspect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Challenged,
    Registered(String),
    Forbidden,
    Resynchronised,
    Other(u16),
}

pub(crate) struct Registrar {
    md5: DigestServer,
    milenage: Milenage,
    sqn: SqnGenerator,
    pending: HashMap<String, AuthVector>,
    rng: SeededRandom,
    pub(crate) outcomes: Vec<Outcome>,
}

impl Registrar {
    pub(crate) fn new(start: Instant) -> Self {
        Registrar {
            // SIPp answers only the first challenge, and only MD5.
            md5: DigestServer::new(ServerConfig::interop(MD5_REALM), [0x5a; 32], start),
            milenage: Milenage::new(&AKA_K, &AKA_OP),
            sqn: SqnGenerator::new(0),
            pending: HashMap::new(),
            rng: SeededRandom::new(2026),
            outcomes: Vec::new(),
        }
    }

    /// Handles one datagram; the response to send back, if any.
    pub(crate) fn handle(&mut self, now: Instant, data: &[u8]) -> Option<Vec<u8>> {
        let msg = MessageRef::parse(data).ok()?;
        if !msg.is_request() || msg.method() == Some(Method::Ack) {
            return None;
        }
        let answer = if msg.validate().is_err() || msg.method() != Some(Method::Register) {
            msg.response(StatusCode::NOT_IMPLEMENTED).ok()?
        } else if msg.to().ok()?.uri().to_string().contains(AKA_REALM) {
            self.aka(&msg)?
        } else {
            self.digest_md5(now, &msg)?
        };
        let response = answer.build().ok()?;
        let status = response.as_ref().status()?;
        self.outcomes.push(match status {
            StatusCode::UNAUTHORIZED => Outcome::Challenged,
            StatusCode::FORBIDDEN => Outcome::Forbidden,
            StatusCode::OK => Outcome::Registered(contact(&msg)),
            other => Outcome::Other(other.as_u16()),
        });
        Some(response.bytes().to_vec())
    }

    fn digest_md5(&mut self, now: Instant, msg: &MessageRef<'_>) -> Option<ResponseBuilder> {
        let verified = self
            .md5
            .verify_request(now, msg, Challenger::Server, |user, alg| {
                (user == "alice").then(|| digest::ha1(alg, "alice", MD5_REALM, b"secret"))
            });
        match verified {
            Ok(v) => self.register(msg).map(|b| b.header(&v.authentication_info)),
            Err(e) => self
                .md5
                .rejection(now, msg, Challenger::Server, &e, &mut self.rng)
                .ok(),
        }
    }

    fn aka(&mut self, msg: &MessageRef<'_>) -> Option<ResponseBuilder> {
        let credentials = Challenger::Server.credentials(msg);
        let (Some(auth), Some(av)) = (credentials.first(), self.pending.get(AKA_USER).cloned())
        else {
            return self.challenge_aka(msg);
        };
        let req = Request::from_message(msg)?;
        match aka::verify_credentials(auth, AKA_REALM, &av, &req) {
            Ok(AkaVerdict::Resynchronise { auts }) => {
                match aka::resynchronise(&self.milenage, &av.rand, &auts) {
                    Ok(sqn_ms) => {
                        self.sqn.resynchronise(sqn_ms);
                        self.outcomes.push(Outcome::Resynchronised);
                        self.challenge_aka(msg)
                    }
                    Err(_) => msg.response(StatusCode::FORBIDDEN).ok(),
                }
            }
            Ok(AkaVerdict::Authenticated) if auth.username().as_deref() == Some(AKA_USER) => {
                self.pending.remove(AKA_USER);
                self.register(msg)
            }
            Err(AkaVerifyError::OtherChallenge) => self.challenge_aka(msg),
            _ => msg.response(StatusCode::FORBIDDEN).ok(),
        }
    }

    fn challenge_aka(&mut self, msg: &MessageRef<'_>) -> Option<ResponseBuilder> {
        // SIPp (3.6, 3.7) handles RES as a C string: a RES with a zero
        // octet is cut short there and its answer fails. A real HSS makes
        // such vectors (one in 32); this registrar skips them for SIPp.
        let sqn = self.sqn.next();
        let av = loop {
            let mut rand = [0u8; 16];
            self.rng.fill_bytes(&mut rand);
            let av = aka::vector(&self.milenage, rand, sqn, AKA_AMF);
            if !av.xres.expose().contains(&0) {
                break av;
            }
        };
        let challenge = aka::challenge(AKA_REALM, Algorithm::AkaV1Md5, &av, false)?;
        self.pending.insert(AKA_USER.to_owned(), av);
        Challenger::Server.response(msg, &[challenge]).ok()
    }

    /// The 200 with the binding.
    fn register(&mut self, msg: &MessageRef<'_>) -> Option<ResponseBuilder> {
        let contact = contact(msg);
        let b = msg.response(StatusCode::OK).ok()?;
        Some(if contact.is_empty() {
            b
        } else {
            b.raw_header("Contact", &contact)
        })
    }
}

/// The request's Contact, as written.
fn contact(msg: &MessageRef<'_>) -> String {
    msg.get_known(HeaderName::Contact)
        .and_then(|h| h.value_str())
        .unwrap_or_default()
        .to_owned()
}

/// Runs a registrar on 127.0.0.1 in a thread until the returned flag is set.
pub(crate) fn spawn() -> (
    std::net::SocketAddr,
    Arc<AtomicBool>,
    std::thread::JoinHandle<Vec<Outcome>>,
) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let addr = socket.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let start = Instant::now();
        let mut registrar = Registrar::new(start);
        let mut buf = [0u8; 65_535];
        while !flag.load(Ordering::Relaxed) {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                continue;
            };
            if let Some(out) = registrar.handle(Instant::now(), &buf[..n]) {
                let _ = socket.send_to(&out, from);
            }
        }
        registrar.outcomes
    });
    (addr, stop, handle)
}
