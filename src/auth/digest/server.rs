//! The server side: challenges with stateless nonces, and verification.
//!
//! A nonce is `base64url(timestamp ‖ random ‖ HMAC-SHA256(key, timestamp ‖
//! random ‖ realm)[..16])`: the server knows it made the nonce, and when,
//! without storing it. Stored per nonce, once used, is only the highest `nc`
//! seen and a 64-bit window of the ones below it, for at most
//! [`ServerConfig::max_tracked_nonces`] nonces; a nonce older than the oldest
//! one forgotten is answered as stale, so forgetting never opens a replay.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use thiserror::Error;

use super::{Algorithm, Ha1, Qop, Request, ResponseParts, response};
use crate::auth::Secret;
use crate::header::{AuthParams, AuthenticationInfo, Challenge, Credentials};
use crate::random::Random;

/// What a [`DigestServer`] offers and accepts.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The realm.
    pub realm: String,
    /// Algorithms to offer, one challenge each, in this order (strongest
    /// first is what RFC 8760 asks).
    pub algorithms: Vec<Algorithm>,
    /// qop values to offer. Empty means RFC 2069 challenges without qop.
    pub qop: Vec<Qop>,
    /// Whether credentials without qop (RFC 2069) are accepted.
    pub allow_rfc2069: bool,
    /// Whether challenges ask for `userhash=true` (RFC 7616 §3.4.4).
    pub userhash: bool,
    /// How long a nonce stays good; after that it is stale.
    pub nonce_lifetime: Duration,
    /// How many used nonces to track for `nc` replay.
    pub max_tracked_nonces: usize,
}

impl ServerConfig {
    /// SHA-256 and MD5 challenges with `qop="auth"`, nonces good for five
    /// minutes, up to 10 000 tracked nonces.
    ///
    /// Clients that answer only the first challenge of a 401 or know only
    /// MD5 need [`ServerConfig::interop`] instead.
    pub fn new(realm: &str) -> Self {
        ServerConfig {
            realm: realm.to_owned(),
            algorithms: vec![Algorithm::Sha256, Algorithm::Md5],
            qop: vec![Qop::Auth],
            allow_rfc2069: false,
            userhash: false,
            nonce_lifetime: Duration::from_secs(300),
            max_tracked_nonces: 10_000,
        }
    }

    /// One MD5 challenge with `qop="auth"`, otherwise as
    /// [`ServerConfig::new`]: for clients that answer only the first
    /// challenge of a 401 and know only MD5 (and AKAv1-MD5 for IMS), among
    /// them SIPp (its `[authentication]` keyword, 3.6 and 3.7) and many
    /// deployed phones. Offered SHA-256 first, as RFC 8760 asks, such a
    /// client fails.
    pub fn interop(realm: &str) -> Self {
        ServerConfig {
            algorithms: vec![Algorithm::Md5],
            ..ServerConfig::new(realm)
        }
    }
}

/// Why a nonce is not acceptable.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Error)]
pub enum NonceError {
    /// Not a nonce this server made (forged, or from another server key).
    #[error("unknown nonce")]
    Invalid,
    /// A nonce this server made that expired (or was forgotten): challenge
    /// again with `stale=true`.
    #[error("stale nonce")]
    Stale,
}

/// Why credentials were refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not Digest credentials, or a parameter is missing or malformed.
    #[error("malformed credentials")]
    Malformed,
    /// The request carries no Digest credentials for this realm.
    #[error("no credentials for this realm")]
    NoCredentials,
    /// The credentials sign another URI than the request's (their `uri`
    /// is not equivalent to the Request-URI, RFC 3261 §22.4, RFC 7616
    /// §3.4.6): answered 400, not as a wrong password.
    #[error("the credentials sign another URI")]
    UriMismatch,
    /// Another realm, algorithm or qop than this server offers.
    #[error("credentials for something this server did not offer")]
    NotOffered,
    /// The nonce is not acceptable.
    #[error(transparent)]
    Nonce(#[from] NonceError),
    /// The user is not known.
    #[error("unknown user")]
    UnknownUser,
    /// The response does not match: a wrong password, or a request changed
    /// on the way.
    #[error("wrong response")]
    Mismatch,
    /// This `nc` was used before with this nonce.
    #[error("replayed nonce count")]
    Replay,
}

impl VerifyError {
    /// Whether to answer with a fresh challenge marked `stale=true`.
    pub fn is_stale(&self) -> bool {
        matches!(self, VerifyError::Nonce(NonceError::Stale))
    }
}

/// Credentials that verified.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The username as sent (the hash, with `userhash=true`).
    pub username: String,
    /// The algorithm used.
    pub algorithm: Algorithm,
    /// The Authentication-Info to send back, with `rspauth`, so the client
    /// can check the server (RFC 7615, RFC 3261 §20.6).
    pub authentication_info: AuthenticationInfo<'static>,
}

/// The `nc` values seen with one nonce.
#[derive(Clone, Copy, Debug)]
struct Counts {
    highest: u32,
    /// Bit i set: `highest - i` was used.
    window: u64,
}

/// Issues Digest challenges and verifies credentials.
///
/// ```
/// use std::time::Instant;
/// use imsip::auth::digest::{self, Algorithm, DigestClient, DigestServer, Request, ServerConfig};
/// use imsip::random::SeededRandom;
///
/// let start = Instant::now();
/// let mut server = DigestServer::new(ServerConfig::new("ims.example.net"), [7; 32], start);
/// let mut rng = SeededRandom::new(9);
/// let challenges = server.challenges(start, &mut rng, false);
///
/// let req = Request { method: "REGISTER", uri: "sip:ims.example.net", body: b"" };
/// let mut alice = DigestClient::new("alice", b"secret");
/// let creds = alice.answer(&challenges, &req, &mut rng).unwrap();
///
/// let ok = server.verify(start, &creds, &req, |user, alg| {
///     (user == "alice").then(|| digest::ha1(alg, "alice", "ims.example.net", b"secret"))
/// });
/// assert!(ok.is_ok());
/// // The same credentials again are a replay.
/// assert!(server.verify(start, &creds, &req, |_, alg| Some(digest::ha1(alg, "alice", "ims.example.net", b"secret"))).is_err());
/// ```
pub struct DigestServer {
    config: ServerConfig,
    key: Secret<32>,
    epoch: Instant,
    counts: HashMap<[u8; 16], Counts>,
    order: VecDeque<([u8; 16], u64)>,
    /// Nonces made up to this second may have been forgotten.
    forgotten_until: Option<u64>,
}

impl std::fmt::Debug for DigestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestServer")
            .field("realm", &self.config.realm)
            .field("tracked", &self.counts.len())
            .finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

impl DigestServer {
    /// A server with `config`, nonce key `key` (keep it secret; servers
    /// sharing it accept each other's nonces) and `epoch`, the instant its
    /// nonce timestamps count from.
    pub fn new(config: ServerConfig, key: [u8; 32], epoch: Instant) -> Self {
        DigestServer {
            config,
            key: Secret::new(key),
            epoch,
            counts: HashMap::new(),
            order: VecDeque::new(),
            forgotten_until: None,
        }
    }

    /// A server with `config`, a nonce key from the operating system's
    /// generator ([`crate::random::OsRandom`]) and `epoch`. Servers that
    /// must accept each other's nonces share a key through
    /// [`DigestServer::new`] instead.
    pub fn with_random_key(config: ServerConfig, epoch: Instant) -> Self {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        crate::random::OsRandom::new().fill_bytes(&mut *key);
        DigestServer::new(config, *key, epoch)
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn seconds(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.epoch).as_secs()
    }

    fn mac(&self, head: &[u8; 16]) -> [u8; 16] {
        let mut m = HmacSha256::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        m.update(head);
        m.update(self.config.realm.as_bytes());
        let full = m.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// A fresh nonce.
    pub fn nonce(&self, now: Instant, rng: &mut impl Random) -> String {
        let mut raw = [0u8; 32];
        raw[..8].copy_from_slice(&self.seconds(now).to_be_bytes());
        raw[8..16].copy_from_slice(&rng.next_u64().to_be_bytes());
        let head: [u8; 16] = raw[..16].try_into().unwrap_or_default();
        raw[16..].copy_from_slice(&self.mac(&head));
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Checks that `nonce` is one of this server's and not expired; returns
    /// its MAC (the key for `nc` tracking) and timestamp.
    pub fn check_nonce(&self, nonce: &str, now: Instant) -> Result<([u8; 16], u64), NonceError> {
        let raw = URL_SAFE_NO_PAD
            .decode(nonce)
            .map_err(|_| NonceError::Invalid)?;
        let raw: [u8; 32] = raw.try_into().map_err(|_| NonceError::Invalid)?;
        let head: [u8; 16] = raw[..16].try_into().unwrap_or_default();
        let mac: [u8; 16] = raw[16..].try_into().unwrap_or_default();
        if !crate::auth::ct_eq(&self.mac(&head), &mac) {
            return Err(NonceError::Invalid);
        }
        let made = u64::from_be_bytes(head[..8].try_into().unwrap_or_default());
        let age = self.seconds(now).saturating_sub(made);
        if age > self.config.nonce_lifetime.as_secs() {
            return Err(NonceError::Stale);
        }
        Ok((mac, made))
    }

    /// The challenges to send (one per configured algorithm), with a fresh
    /// nonce; `stale` marks them `stale=true` after [`VerifyError::is_stale`].
    pub fn challenges(
        &self,
        now: Instant,
        rng: &mut impl Random,
        stale: bool,
    ) -> Vec<Challenge<'static>> {
        let nonce = self.nonce(now, rng);
        self.config
            .algorithms
            .iter()
            .map(|alg| {
                let mut params = AuthParams::new();
                let _ = params.push_quoted("realm", &self.config.realm);
                let _ = params.push_quoted("nonce", &nonce);
                if !self.config.qop.is_empty() {
                    let qop: Vec<&str> = self.config.qop.iter().map(|q| q.as_str()).collect();
                    let _ = params.push_quoted("qop", &qop.join(","));
                }
                let _ = params.push_token("algorithm", alg.as_str());
                if stale {
                    let _ = params.push_token("stale", "true");
                }
                if self.config.userhash {
                    let _ = params.push_token("userhash", "true");
                }
                Challenge {
                    scheme: "Digest".into(),
                    token68: None,
                    params,
                }
            })
            .collect()
    }

    /// Verifies `credentials` for `req`. `ha1_for(username, algorithm)`
    /// gives the stored HA1 (`None` for an unknown user); with `userhash`
    /// the username it gets is the hash.
    ///
    /// # Errors
    /// A [`VerifyError`]; for [`VerifyError::is_stale`] answer with
    /// `challenges(now, rng, true)`.
    pub fn verify(
        &mut self,
        now: Instant,
        credentials: &Credentials<'_>,
        req: &Request<'_>,
        ha1_for: impl FnOnce(&str, Algorithm) -> Option<Ha1>,
    ) -> Result<Verified, VerifyError> {
        let parts = ResponseParts::of(credentials).ok_or(VerifyError::Malformed)?;
        let realm = parts.realm.as_deref().ok_or(VerifyError::Malformed)?;
        if realm != self.config.realm || !self.config.algorithms.contains(&parts.algorithm) {
            return Err(VerifyError::NotOffered);
        }
        match parts.qop {
            Some(q) if !self.config.qop.contains(&q) => return Err(VerifyError::NotOffered),
            None if !self.config.allow_rfc2069 => return Err(VerifyError::NotOffered),
            _ => {}
        }
        if !same_resource(&parts.uri, req.uri) {
            return Err(VerifyError::UriMismatch);
        }
        let (mac, made) = self.check_nonce(&parts.nonce, now)?;
        if self
            .forgotten_until
            .is_some_and(|f| made <= f && !self.counts.contains_key(&mac))
        {
            return Err(NonceError::Stale.into());
        }
        let username = parts.username.clone().ok_or(VerifyError::Malformed)?;
        let ha1 = ha1_for(&username, parts.algorithm).ok_or(VerifyError::UnknownUser)?;
        // The client signed its `uri` as it wrote it.
        let signed = Request {
            method: req.method,
            uri: &parts.uri,
            body: req.body,
        };
        let expected = response(parts.algorithm, &ha1, &parts.nonces(), &signed);
        if !crate::auth::ct_eq(expected.as_bytes(), parts.response.as_bytes()) {
            return Err(VerifyError::Mismatch);
        }
        if parts.qop.is_some() {
            self.count(mac, made, parts.nc)?;
        }
        // rspauth covers the response's body for auth-int (RFC 7616
        // §3.5); the answer to a verified request carries none.
        let rspauth = response(
            parts.algorithm,
            &ha1,
            &parts.nonces(),
            &Request {
                method: "",
                uri: &parts.uri,
                body: b"",
            },
        );
        let mut info = AuthParams::new();
        let _ = info.push_quoted("rspauth", &rspauth);
        if let Some(q) = parts.qop {
            let _ = info.push_token("qop", q.as_str());
            let _ = info.push_quoted("cnonce", &parts.cnonce);
            let _ = info.push_token("nc", &format!("{:08x}", parts.nc));
        }
        Ok(Verified {
            username: username.into_owned(),
            algorithm: parts.algorithm,
            authentication_info: AuthenticationInfo(info),
        })
    }

    /// Records `nc` for the nonce with `mac`; a count seen before is a
    /// replay.
    fn count(&mut self, mac: [u8; 16], made: u64, nc: u32) -> Result<(), VerifyError> {
        if nc == 0 {
            return Err(VerifyError::Malformed);
        }
        match self.counts.get_mut(&mac) {
            Some(c) => {
                if nc > c.highest {
                    let shift = nc - c.highest;
                    c.window = if shift >= 64 { 0 } else { c.window << shift };
                    c.window |= 1;
                    c.highest = nc;
                } else {
                    let back = c.highest - nc;
                    if back >= 64 || c.window & (1 << back) != 0 {
                        return Err(VerifyError::Replay);
                    }
                    c.window |= 1 << back;
                }
            }
            None => {
                if self.counts.len() >= self.config.max_tracked_nonces.max(1)
                    && let Some((old, old_made)) = self.order.pop_front()
                {
                    self.counts.remove(&old);
                    self.forgotten_until = Some(self.forgotten_until.unwrap_or(0).max(old_made));
                }
                self.counts.insert(
                    mac,
                    Counts {
                        highest: nc,
                        window: 1,
                    },
                );
                self.order.push_back((mac, made));
            }
        }
        Ok(())
    }
}

/// Whether the `uri` of credentials designates the request's resource
/// (RFC 7616 §3.4.6, RFC 3261 §22.4): URIs that parse compare by the
/// rules of their scheme (RFC 3261 §19.1.4 for SIP), others (an HTTP
/// request-target) as written.
fn same_resource(signed: &str, request: &str) -> bool {
    if signed == request {
        return true;
    }
    match (
        crate::uri::Uri::parse(signed),
        crate::uri::Uri::parse(request),
    ) {
        (Ok(a), Ok(b)) => a.equivalent(&b),
        _ => false,
    }
}
