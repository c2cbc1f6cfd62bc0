//! HTTP Digest authentication as SIP uses it: [RFC 7616](https://www.rfc-editor.org/rfc/rfc7616)
//! (SHA-256, `-sess`, `userhash`), [RFC 8760](https://www.rfc-editor.org/rfc/rfc8760)
//! (SHA-256 and SHA-512/256 in SIP), RFC 3261 §22 and the RFC 2069 legacy
//! form, and Digest AKA ([RFC 3310](https://www.rfc-editor.org/rfc/rfc3310),
//! [RFC 4169](https://www.rfc-editor.org/rfc/rfc4169)).
//!
//! ```text
//! HA1      = H(username ":" realm ":" password)
//! HA1-sess = H(HA1 ":" nonce ":" cnonce)
//! HA2      = H(method ":" uri)                       qop=auth (or none)
//! HA2      = H(method ":" uri ":" H(body))           qop=auth-int
//! response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
//! response = H(HA1 ":" nonce ":" HA2)                 RFC 2069, no qop
//! rspauth  = the response with method "" in HA2      Authentication-Info
//! ```
//!
//! - [`DigestClient`] answers challenges: it picks the strongest algorithm
//!   offered, counts `nc` per nonce, retries on `stale=true` and reports a
//!   wrong password instead of looping.
//! - [`DigestServer`] issues challenges with stateless nonces (a timestamp
//!   and an HMAC under a server key, so nothing is stored per challenge),
//!   rejects replayed `nc` values with bounded memory, compares responses in
//!   constant time, and produces `Authentication-Info`.
//! - The functions [`ha1`], [`response`] and [`verify`] are the pure core
//!   both use, open for callers that keep their own state (an S-CSCF running
//!   AKA, for one).
//! - Over SIP messages ([`Challenger`]: a server's 401 or a proxy's 407):
//!   [`DigestServer::challenge`] answers a request with its challenge,
//!   [`DigestServer::verify_request`] checks the credentials a request
//!   carries and [`DigestServer::rejection`] answers a failure as
//!   [`VerifyError::answer`] says; [`DigestClient::retry`] sends a request
//!   again with credentials and [`DigestClient::verify_server`] checks the
//!   server's `rspauth`.
//!
//! # A registrar's Digest, on messages
//!
//! ```
//! use std::time::Instant;
//! use imsip::auth::digest::{self, Challenger, DigestClient, DigestServer, ServerConfig};
//! use imsip::random::OsRandom;
//! use imsip::{MessageRef, StatusCode};
//!
//! let now = Instant::now();
//! let mut rng = OsRandom::new();
//! let mut registrar = DigestServer::with_random_key(ServerConfig::new("example.com"), now);
//! let lookup = |user: &str, alg| {
//!     (user == "alice").then(|| digest::ha1(alg, "alice", "example.com", b"secret"))
//! };
//!
//! // A REGISTER without credentials: 401 with the challenges.
//! let register = MessageRef::parse(b"REGISTER sip:example.com SIP/2.0\r\n\
//!     Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\nMax-Forwards: 70\r\n\
//!     From: <sip:alice@example.com>;tag=9fxced76sl\r\nTo: <sip:alice@example.com>\r\n\
//!     Call-ID: 3848276298220188511@192.0.2.1\r\nCSeq: 1 REGISTER\r\n\
//!     Contact: <sip:alice@192.0.2.1:5060>\r\nContent-Length: 0\r\n\r\n")?;
//! let error = registrar.verify_request(now, &register, Challenger::Server, lookup).unwrap_err();
//! let unauthorized = registrar.rejection(now, &register, Challenger::Server, &error, &mut rng)?.build()?;
//! assert_eq!(unauthorized.as_ref().status(), Some(StatusCode::UNAUTHORIZED));
//!
//! // Alice sends it again with credentials: new branch, CSeq 2.
//! let mut alice = DigestClient::new("alice", b"secret");
//! let again = alice.retry(&register, &unauthorized.as_ref(), &mut rng)?;
//! assert_eq!(again.as_ref().cseq()?.seq, 2);
//!
//! // The registrar verifies them and answers 200 with Authentication-Info.
//! let verified = registrar.verify_request(now, &again.as_ref(), Challenger::Server, lookup)?;
//! let ok = again.as_ref().response(StatusCode::OK)?
//!     .header(&verified.authentication_info)
//!     .build()?;
//! // Alice checks the registrar knew her password (rspauth).
//! assert_eq!(alice.verify_server(&ok.as_ref()), Some(true));
//!
//! // The same credentials again are a replay: a fresh challenge, stale=true.
//! let replay = registrar.verify_request(now, &again.as_ref(), Challenger::Server, lookup).unwrap_err();
//! assert_eq!(replay.answer(), digest::Answer::Challenge { stale: true });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod server;
mod sip;

use std::fmt;

use md5::Md5;
use sha2::{Digest, Sha256, Sha512_256};
use zeroize::Zeroize;

pub use client::{ClientError, DigestClient};
pub use server::{DigestServer, NonceError, ServerConfig, Verified, VerifyError};
pub(crate) use sip::with_credentials;
pub use sip::{Answer, Challenger};

use crate::header::{Challenge, Credentials};

/// A Digest algorithm.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `MD5` (RFC 2617, RFC 7616).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256` (RFC 7616, RFC 8760).
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
    /// `SHA-512-256`: SHA-512/256 of FIPS 180-4, not a truncated SHA-512.
    Sha512_256,
    /// `SHA-512-256-sess`.
    Sha512_256Sess,
    /// `AKAv1-MD5` (RFC 3310): MD5 with the AKA RES as the password.
    AkaV1Md5,
    /// `AKAv2-MD5` (RFC 4169): MD5 with a password derived from RES, IK and CK.
    AkaV2Md5,
}

/// The hash function under an [`Algorithm`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Hash {
    Md5,
    Sha256,
    Sha512_256,
}

impl Hash {
    fn hex(self, parts: &[&[u8]]) -> String {
        fn run<D: Digest>(parts: &[&[u8]]) -> String {
            let mut d = D::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    d.update(b":");
                }
                d.update(p);
            }
            crate::auth::hex(&d.finalize())
        }
        match self {
            Hash::Md5 => run::<Md5>(parts),
            Hash::Sha256 => run::<Sha256>(parts),
            Hash::Sha512_256 => run::<Sha512_256>(parts),
        }
    }
}

impl Algorithm {
    /// Every algorithm, strongest first (RFC 8760 §2.4 asks a client to
    /// prefer the strongest one it supports).
    pub const STRONGEST_FIRST: [Algorithm; 8] = [
        Algorithm::Sha512_256,
        Algorithm::Sha512_256Sess,
        Algorithm::Sha256,
        Algorithm::Sha256Sess,
        Algorithm::Md5,
        Algorithm::Md5Sess,
        Algorithm::AkaV2Md5,
        Algorithm::AkaV1Md5,
    ];

    /// The algorithm named `name` (case-insensitive); a challenge without
    /// `algorithm` means MD5.
    pub fn parse(name: &str) -> Option<Algorithm> {
        Algorithm::STRONGEST_FIRST
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(name))
    }

    /// The name in `algorithm=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
            Algorithm::Sha512_256 => "SHA-512-256",
            Algorithm::Sha512_256Sess => "SHA-512-256-sess",
            Algorithm::AkaV1Md5 => "AKAv1-MD5",
            Algorithm::AkaV2Md5 => "AKAv2-MD5",
        }
    }

    fn hash(self) -> Hash {
        match self {
            Algorithm::Sha256 | Algorithm::Sha256Sess => Hash::Sha256,
            Algorithm::Sha512_256 | Algorithm::Sha512_256Sess => Hash::Sha512_256,
            _ => Hash::Md5,
        }
    }

    /// Whether this is a `-sess` variant, whose HA1 mixes in the nonce and
    /// cnonce.
    pub fn is_session(self) -> bool {
        matches!(
            self,
            Algorithm::Md5Sess | Algorithm::Sha256Sess | Algorithm::Sha512_256Sess
        )
    }

    /// Whether this is Digest AKA.
    pub fn is_aka(self) -> bool {
        matches!(self, Algorithm::AkaV1Md5 | Algorithm::AkaV2Md5)
    }

    /// Strength rank: higher is stronger.
    fn strength(self) -> usize {
        Algorithm::STRONGEST_FIRST.len()
            - Algorithm::STRONGEST_FIRST
                .iter()
                .position(|a| *a == self)
                .unwrap_or(Algorithm::STRONGEST_FIRST.len())
    }

    /// The hash of `username ":" realm` that `userhash=true` sends instead
    /// of the username (RFC 7616 §3.4.4).
    pub fn userhash(self, username: &str, realm: &str) -> String {
        self.hash().hex(&[username.as_bytes(), realm.as_bytes()])
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The quality of protection.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Qop {
    /// `auth`: method and URI are protected.
    Auth,
    /// `auth-int`: the body is protected too.
    AuthInt,
}

impl Qop {
    /// The name in `qop=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
        }
    }

    /// The qop named `s` (case-insensitive).
    pub fn parse(s: &str) -> Option<Qop> {
        if s.eq_ignore_ascii_case("auth") {
            Some(Qop::Auth)
        } else if s.eq_ignore_ascii_case("auth-int") {
            Some(Qop::AuthInt)
        } else {
            None
        }
    }
}

/// HA1 as lower-case hex: what a server may store instead of the password.
/// Wiped on drop, not printed, compared in constant time.
#[derive(Clone)]
pub struct Ha1(String);

impl Ha1 {
    /// HA1 from its hex form (as stored).
    pub fn from_hex(hex: &str) -> Option<Ha1> {
        (hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Ha1(hex.to_ascii_lowercase()))
    }

    /// The hex text. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Ha1 {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Ha1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ha1(<redacted>)")
    }
}

impl PartialEq for Ha1 {
    fn eq(&self, other: &Self) -> bool {
        crate::auth::ct_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Ha1 {}

/// HA1 = H(username ":" realm ":" password). The password is octets: for
/// AKAv1 it is the raw RES. For a `-sess` algorithm this is the base HA1;
/// [`response`] mixes in the nonce and cnonce.
pub fn ha1(algorithm: Algorithm, username: &str, realm: &str, password: &[u8]) -> Ha1 {
    Ha1(algorithm
        .hash()
        .hex(&[username.as_bytes(), realm.as_bytes(), password]))
}

/// What a response covers, besides the secret.
#[derive(Clone, Debug)]
pub struct Request<'r> {
    /// The method (`REGISTER`; empty for `rspauth`).
    pub method: &'r str,
    /// The digest-uri as sent in `uri=`.
    pub uri: &'r str,
    /// The message body, for `auth-int`.
    pub body: &'r [u8],
}

/// The per-response values: nonce, and for qop also nc, cnonce and qop.
#[derive(Clone, Debug)]
pub struct Nonces<'r> {
    /// The server nonce.
    pub nonce: &'r str,
    /// The client nonce (with qop, or for `-sess`).
    pub cnonce: &'r str,
    /// The nonce count.
    pub nc: u32,
    /// The qop chosen; `None` is RFC 2069 without qop.
    pub qop: Option<Qop>,
}

/// The `response` (or `rspauth`) value in lower-case hex.
pub fn response(algorithm: Algorithm, ha1: &Ha1, n: &Nonces<'_>, req: &Request<'_>) -> String {
    let h = algorithm.hash();
    let session;
    let ha1 = if algorithm.is_session() {
        session = h.hex(&[ha1.0.as_bytes(), n.nonce.as_bytes(), n.cnonce.as_bytes()]);
        session.as_str()
    } else {
        ha1.0.as_str()
    };
    let ha2 = match n.qop {
        Some(Qop::AuthInt) => {
            let body = h.hex(&[req.body]);
            h.hex(&[req.method.as_bytes(), req.uri.as_bytes(), body.as_bytes()])
        }
        _ => h.hex(&[req.method.as_bytes(), req.uri.as_bytes()]),
    };
    match n.qop {
        Some(qop) => {
            let nc = format!("{:08x}", n.nc);
            h.hex(&[
                ha1.as_bytes(),
                n.nonce.as_bytes(),
                nc.as_bytes(),
                n.cnonce.as_bytes(),
                qop.as_str().as_bytes(),
                ha2.as_bytes(),
            ])
        }
        None => h.hex(&[ha1.as_bytes(), n.nonce.as_bytes(), ha2.as_bytes()]),
    }
}

/// Whether `credentials` carry the right response for `ha1` and `req`,
/// compared in constant time. Only the computation is checked: nonce
/// freshness and `nc` replay are the caller's (see [`DigestServer`]).
pub fn verify(credentials: &Credentials<'_>, ha1: &Ha1, req: &Request<'_>) -> bool {
    let Some(parts) = ResponseParts::of(credentials) else {
        return false;
    };
    let expected = response(parts.algorithm, ha1, &parts.nonces(), req);
    crate::auth::ct_eq(expected.as_bytes(), parts.response.as_bytes())
}

/// The values of Digest credentials a response depends on.
#[derive(Clone, Debug)]
pub(crate) struct ResponseParts<'c> {
    pub(crate) algorithm: Algorithm,
    pub(crate) nonce: std::borrow::Cow<'c, str>,
    pub(crate) cnonce: std::borrow::Cow<'c, str>,
    pub(crate) nc: u32,
    pub(crate) qop: Option<Qop>,
    pub(crate) response: std::borrow::Cow<'c, str>,
    pub(crate) uri: std::borrow::Cow<'c, str>,
    pub(crate) realm: Option<std::borrow::Cow<'c, str>>,
    pub(crate) username: Option<std::borrow::Cow<'c, str>>,
}

impl<'c> ResponseParts<'c> {
    /// The parts of `c`, read in one pass over its parameters.
    pub(crate) fn of(c: &'c Credentials<'_>) -> Option<ResponseParts<'c>> {
        if !c.is_digest() {
            return None;
        }
        let mut raw: [Option<&'c str>; 9] = [None; 9];
        for (name, value) in c.params.iter() {
            let slot = match name.len() {
                2 if name.eq_ignore_ascii_case("nc") => 0,
                3 if name.eq_ignore_ascii_case("qop") => 1,
                3 if name.eq_ignore_ascii_case("uri") => 2,
                5 if name.eq_ignore_ascii_case("nonce") => 3,
                5 if name.eq_ignore_ascii_case("realm") => 4,
                6 if name.eq_ignore_ascii_case("cnonce") => 5,
                8 if name.eq_ignore_ascii_case("response") => 6,
                8 if name.eq_ignore_ascii_case("username") => 7,
                9 if name.eq_ignore_ascii_case("algorithm") => 8,
                _ => continue,
            };
            // A repeated parameter counts once, as `AuthParams::get` reads it.
            raw[slot].get_or_insert(value);
        }
        let text = |slot: usize| {
            raw[slot].map(|v| {
                if v.starts_with('"') {
                    crate::syntax::unquote(v)
                } else {
                    std::borrow::Cow::Borrowed(v)
                }
            })
        };
        let algorithm = match text(8) {
            Some(a) => Algorithm::parse(&a)?,
            None => Algorithm::Md5,
        };
        let qop = match text(1) {
            Some(q) => Some(Qop::parse(&q)?),
            None => None,
        };
        let (cnonce, nc) = if qop.is_some() {
            (text(5)?, crate::header::auth_parse_nc(raw[0]?)?)
        } else {
            (text(5).unwrap_or_default(), 0)
        };
        if algorithm.is_session() && cnonce.is_empty() {
            return None;
        }
        Some(ResponseParts {
            algorithm,
            nonce: text(3)?,
            cnonce,
            nc,
            qop,
            response: text(6)?,
            uri: text(2)?,
            realm: text(4),
            username: text(7),
        })
    }

    pub(crate) fn nonces(&self) -> Nonces<'_> {
        Nonces {
            nonce: &self.nonce,
            cnonce: &self.cnonce,
            nc: self.nc,
            qop: self.qop,
        }
    }
}

/// The Digest challenge among `challenges` with the strongest algorithm
/// this crate supports (RFC 8760 §2.4), and its algorithm.
pub fn strongest<'c, 'a>(
    challenges: impl IntoIterator<Item = &'c Challenge<'a>>,
) -> Option<(&'c Challenge<'a>, Algorithm)>
where
    'a: 'c,
{
    challenges
        .into_iter()
        .filter(|c| c.is_digest())
        .filter_map(|c| {
            let alg = match c.algorithm() {
                Some(a) => Algorithm::parse(&a)?,
                None => Algorithm::Md5,
            };
            Some((c, alg))
        })
        .max_by_key(|(_, a)| a.strength())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2617_example() {
        let ha1 = ha1(
            Algorithm::Md5,
            "Mufasa",
            "testrealm@host.com",
            b"Circle Of Life",
        );
        assert_eq!(ha1.expose(), "939e7578ed9e3c518a452acee763bce9");
        let r = response(
            Algorithm::Md5,
            &ha1,
            &Nonces {
                nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                cnonce: "0a4f113b",
                nc: 1,
                qop: Some(Qop::Auth),
            },
            &Request {
                method: "GET",
                uri: "/dir/index.html",
                body: b"",
            },
        );
        assert_eq!(r, "6629fae49393a05397450978507c4ef1");
    }

    #[test]
    fn algorithm_names_and_order() {
        assert_eq!(
            Algorithm::parse("sha-512-256-SESS"),
            Some(Algorithm::Sha512_256Sess)
        );
        assert_eq!(Algorithm::parse("akav1-md5"), Some(Algorithm::AkaV1Md5));
        assert_eq!(Algorithm::parse("SHA-1"), None);
        assert!(Algorithm::Sha512_256.strength() > Algorithm::Sha256.strength());
        assert!(Algorithm::Sha256.strength() > Algorithm::Md5.strength());
        let offered = [
            Challenge::parse("Digest realm=\"r\", nonce=\"n\", algorithm=MD5").unwrap(),
            Challenge::parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256").unwrap(),
            Challenge::parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1").unwrap(),
            Challenge::parse("Bearer realm=\"r\"").unwrap(),
        ];
        assert_eq!(strongest(&offered).unwrap().1, Algorithm::Sha256);
        assert!(format!("{:?}", ha1(Algorithm::Md5, "a", "b", b"c")).contains("redacted"));
    }
}
