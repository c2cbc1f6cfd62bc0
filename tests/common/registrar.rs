//! A small registrar built on the crate, for interop tests: REGISTER over
//! UDP, Digest MD5 (realm `sipp.test`, user `alice`, password `secret`) and
//! Digest AKAv1-MD5 (realm `ims.example.com`, user `user@ims.example.com`,
//! TS 35.208 set 3 keys).
//!
//! Without credentials it challenges (401); with good ones it answers 200
//! with the binding; with a wrong response it answers 403; with AUTS it
//! resynchronises and challenges again.

use std::collections::HashMap;
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imsip::auth::aka::{self, AkaVerdict, AkaVerifyError, AuthVector, SqnGenerator};
use imsip::auth::digest::{self, Algorithm, DigestServer, Request, ServerConfig, VerifyError};
use imsip::auth::milenage::Milenage;
use imsip::header::{Authorization, HeaderName};
use imsip::random::{self, SeededRandom};
use imsip::{MessageRef, Method, StatusCode};

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
        let mut config = ServerConfig::new(MD5_REALM);
        config.algorithms = vec![Algorithm::Md5];
        Registrar {
            md5: DigestServer::new(config, [0x5a; 32], start),
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
        if msg.validate().is_err() || msg.method() != Some(Method::Register) {
            return self.reply(&msg, StatusCode::NOT_IMPLEMENTED, &[]);
        }
        let to = msg.to().ok()?;
        let aor = to.uri().to_string();
        let uri = msg.request_uri_str()?.to_owned();
        let auth = msg.header::<Authorization<'_>>().and_then(Result::ok);
        if aor.contains(AKA_REALM) {
            self.aka(now, &msg, auth, &uri)
        } else {
            self.digest_md5(now, &msg, auth, &uri)
        }
    }

    fn digest_md5(
        &mut self,
        now: Instant,
        msg: &MessageRef<'_>,
        auth: Option<Authorization<'_>>,
        uri: &str,
    ) -> Option<Vec<u8>> {
        let Some(auth) = auth else {
            return self.challenge_md5(now, msg, false);
        };
        let req = Request {
            method: "REGISTER",
            uri,
            body: msg.body(),
        };
        let result = self.md5.verify(now, &auth.0, &req, |user, alg| {
            (user == "alice").then(|| digest::ha1(alg, "alice", MD5_REALM, b"secret"))
        });
        match result {
            Ok(v) => {
                let info = v.authentication_info.to_string();
                self.register(msg, &[("Authentication-Info", info)])
            }
            Err(e) if e.is_stale() => self.challenge_md5(now, msg, true),
            Err(VerifyError::Nonce(_)) => self.challenge_md5(now, msg, false),
            Err(_) => {
                self.outcomes.push(Outcome::Forbidden);
                self.reply(msg, StatusCode::FORBIDDEN, &[])
            }
        }
    }

    fn challenge_md5(
        &mut self,
        now: Instant,
        msg: &MessageRef<'_>,
        stale: bool,
    ) -> Option<Vec<u8>> {
        let challenges = self.md5.challenges(now, &mut self.rng, stale);
        let headers: Vec<(&str, String)> = challenges
            .iter()
            .map(|c| ("WWW-Authenticate", c.to_string()))
            .collect();
        self.outcomes.push(Outcome::Challenged);
        self.reply(msg, StatusCode::UNAUTHORIZED, &headers)
    }

    fn aka(
        &mut self,
        _now: Instant,
        msg: &MessageRef<'_>,
        auth: Option<Authorization<'_>>,
        uri: &str,
    ) -> Option<Vec<u8>> {
        let Some(auth) = auth else {
            return self.challenge_aka(msg);
        };
        let Some(av) = self.pending.get(AKA_USER).cloned() else {
            return self.challenge_aka(msg);
        };
        let req = Request {
            method: "REGISTER",
            uri,
            body: msg.body(),
        };
        let username = auth.username()?.into_owned();
        match aka::verify_credentials(&auth.0, AKA_REALM, &av, &req) {
            Ok(AkaVerdict::Resynchronise { auts }) => {
                match aka::resynchronise(&self.milenage, &av.rand, &auts) {
                    Ok(sqn_ms) => {
                        self.sqn.resynchronise(sqn_ms);
                        self.outcomes.push(Outcome::Resynchronised);
                        self.challenge_aka(msg)
                    }
                    Err(_) => {
                        self.outcomes.push(Outcome::Forbidden);
                        self.reply(msg, StatusCode::FORBIDDEN, &[])
                    }
                }
            }
            Ok(AkaVerdict::Authenticated) if username == AKA_USER => {
                self.pending.remove(AKA_USER);
                self.register(msg, &[])
            }
            Err(AkaVerifyError::OtherChallenge) => self.challenge_aka(msg),
            _ => {
                self.outcomes.push(Outcome::Forbidden);
                self.reply(msg, StatusCode::FORBIDDEN, &[])
            }
        }
    }

    fn challenge_aka(&mut self, msg: &MessageRef<'_>) -> Option<Vec<u8>> {
        let mut rand = [0u8; 16];
        rand[..8].copy_from_slice(&imsip::random::Random::next_u64(&mut self.rng).to_be_bytes());
        rand[8..].copy_from_slice(&imsip::random::Random::next_u64(&mut self.rng).to_be_bytes());
        let av = aka::vector(&self.milenage, rand, self.sqn.next(), AKA_AMF);
        let challenge = aka::challenge(AKA_REALM, Algorithm::AkaV1Md5, &av, false)?.to_string();
        self.pending.insert(AKA_USER.to_owned(), av);
        self.outcomes.push(Outcome::Challenged);
        self.reply(
            msg,
            StatusCode::UNAUTHORIZED,
            &[("WWW-Authenticate", challenge)],
        )
    }

    fn register(&mut self, msg: &MessageRef<'_>, extra: &[(&str, String)]) -> Option<Vec<u8>> {
        let contact = msg
            .get_known(HeaderName::Contact)
            .and_then(|h| h.value_str())
            .unwrap_or_default()
            .to_owned();
        self.outcomes.push(Outcome::Registered(contact.clone()));
        let mut headers: Vec<(&str, String)> = extra.to_vec();
        if !contact.is_empty() {
            headers.push(("Contact", contact));
        }
        self.reply(msg, StatusCode::OK, &headers)
    }

    fn reply(
        &mut self,
        msg: &MessageRef<'_>,
        status: StatusCode,
        headers: &[(&str, String)],
    ) -> Option<Vec<u8>> {
        if status != StatusCode::OK
            && status != StatusCode::UNAUTHORIZED
            && status != StatusCode::FORBIDDEN
        {
            self.outcomes.push(Outcome::Other(status.as_u16()));
        }
        let mut b = msg
            .response(status)
            .ok()?
            .to_tag(&random::tag(&mut self.rng));
        for (name, value) in headers {
            b = b.raw_header(name, value);
        }
        Some(b.build().ok()?.bytes().to_vec())
    }
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
