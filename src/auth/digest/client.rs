//! The client side: answering 401 and 407 challenges.

use std::borrow::Cow;

use thiserror::Error;
use zeroize::Zeroizing;

use super::{Algorithm, Nonces, Qop, Request, ha1, response, strongest};
use crate::header::{Challenge, Credentials};
use crate::random::Random;

/// Why a client could not answer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No Digest challenge with an algorithm and qop this client supports.
    #[error("no supported Digest challenge")]
    Unsupported,
    /// The server challenged again for a realm this client just answered,
    /// without `stale=true`: the credentials are wrong. Asking again would
    /// loop.
    #[error("credentials for realm {0:?} were rejected")]
    Rejected(String),
    /// The response is not a 401 or 407, or what it answers is not a
    /// request.
    #[error("not a 401 or 407 to a request")]
    NotAChallenge,
    /// The request could not be sent again ([`crate::MessageRef::reissue`]).
    #[error("the request cannot be sent again: {0}")]
    Build(crate::message::BuildError),
}

/// Answers Digest challenges for one user.
///
/// Keeps what RFC 7616 needs between requests: the nonce count per nonce
/// and which realms were answered (so a second challenge without
/// `stale=true` is reported as [`ClientError::Rejected`], not answered
/// forever). The password is wiped on drop and never printed.
///
/// ```
/// use imsip::auth::digest::{DigestClient, Request};
/// use imsip::header::Challenge;
/// use imsip::random::SeededRandom;
///
/// let mut client = DigestClient::new("alice", b"secret");
/// let challenges = [
///     Challenge::parse(r#"Digest realm="atlanta.example.com", nonce="84a4cc6f3082121f32b42a2187831a9e", qop="auth", algorithm=MD5"#).unwrap(),
///     Challenge::parse(r#"Digest realm="atlanta.example.com", nonce="84a4cc6f3082121f32b42a2187831a9e", qop="auth", algorithm=SHA-256"#).unwrap(),
/// ];
/// let req = Request { method: "REGISTER", uri: "sip:atlanta.example.com", body: b"" };
/// let creds = client.answer(&challenges, &req, &mut SeededRandom::new(1)).unwrap();
/// assert_eq!(creds.algorithm().as_deref(), Some("SHA-256")); // the strongest offered
/// assert_eq!(creds.nc(), Some(1));
/// ```
pub struct DigestClient {
    username: String,
    password: Zeroizing<Vec<u8>>,
    /// Recent nonces and the last nc used with each.
    counts: Vec<(String, u32)>,
    /// Realms answered since the last success.
    pending: Vec<String>,
    /// Algorithms this client accepts (AKA needs a per-challenge password).
    algorithms: Vec<Algorithm>,
    prefer_auth_int: bool,
    /// The challenge answered last, for credentials sent without waiting
    /// for a new challenge.
    last: Option<(Challenge<'static>, Algorithm)>,
    /// What the last credentials covered, for the server's `rspauth`.
    sent: Option<Sent>,
}

/// The values of the last credentials this client sent that the server's
/// `rspauth` depends on.
#[derive(Clone)]
struct Sent {
    algorithm: Algorithm,
    realm: String,
    nonce: String,
    cnonce: String,
    nc: u32,
    qop: Option<Qop>,
    uri: String,
}

impl std::fmt::Debug for DigestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestClient")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// How many nonces the client remembers counts for.
const KEEP_NONCES: usize = 8;

impl DigestClient {
    /// A client for `username` with `password` (octets).
    pub fn new(username: &str, password: &[u8]) -> Self {
        DigestClient {
            username: username.to_owned(),
            password: Zeroizing::new(password.to_vec()),
            counts: Vec::new(),
            pending: Vec::new(),
            algorithms: Algorithm::STRONGEST_FIRST
                .into_iter()
                .filter(|a| !a.is_aka())
                .collect(),
            prefer_auth_int: false,
            last: None,
            sent: None,
        }
    }

    /// Restricts the algorithms this client uses (to leave MD5 out, say).
    #[must_use]
    pub fn with_algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    /// Chooses `auth-int` when the server offers both (protects the body).
    #[must_use]
    pub fn prefer_auth_int(mut self, yes: bool) -> Self {
        self.prefer_auth_int = yes;
        self
    }

    /// Replaces the password (for AKA, the password of the next answer).
    pub fn set_password(&mut self, password: &[u8]) {
        self.password = Zeroizing::new(password.to_vec());
    }

    /// Tells the client that its last request succeeded: a later challenge
    /// for the same realm is then answered again.
    pub fn accepted(&mut self) {
        self.pending.clear();
    }

    /// Answers the challenges of a 401 (WWW-Authenticate) or 407
    /// (Proxy-Authenticate) response to `req`, with the strongest supported
    /// algorithm; `rng` makes the cnonce.
    ///
    /// # Errors
    /// [`ClientError::Unsupported`] when no challenge can be answered, and
    /// [`ClientError::Rejected`] when the realm was answered before and the
    /// challenge is not `stale=true`.
    pub fn answer<'a>(
        &mut self,
        challenges: impl IntoIterator<Item = &'a Challenge<'a>>,
        req: &Request<'_>,
        rng: &mut impl Random,
    ) -> Result<Credentials<'static>, ClientError> {
        let usable: Vec<&Challenge<'a>> = challenges
            .into_iter()
            .filter(|c| {
                let alg = c
                    .algorithm()
                    .map_or(Some(Algorithm::Md5), |a| Algorithm::parse(&a));
                alg.is_some_and(|a| self.algorithms.contains(&a)) && self.pick_qop(c).is_some()
            })
            .collect();
        let (challenge, algorithm) =
            strongest(usable.iter().copied()).ok_or(ClientError::Unsupported)?;
        let realm = challenge.realm().unwrap_or_default().into_owned();
        if self.pending.contains(&realm) && !challenge.stale() {
            self.pending.clear();
            return Err(ClientError::Rejected(realm));
        }
        let nonce = challenge.nonce().unwrap_or_default().into_owned();
        let qop = self.pick_qop(challenge).ok_or(ClientError::Unsupported)?;
        let cnonce = cnonce(rng);
        let nc = self.next_count(&nonce);
        let creds = self.credentials(challenge, algorithm, &realm, &nonce, &cnonce, nc, qop, req);
        self.last = Some((challenge.clone().into_owned(), algorithm));
        if !self.pending.contains(&realm) {
            self.pending.push(realm);
        }
        Ok(creds)
    }

    /// Credentials for a new request `req` on the nonce last answered, with
    /// the next nonce count (RFC 7616 §3.4: a nonce serves several requests),
    /// so the request need not be challenged first. `None` before any
    /// challenge was answered. A server that no longer takes the nonce
    /// answers with a challenge, which goes to [`DigestClient::answer`].
    pub fn authorize(
        &mut self,
        req: &Request<'_>,
        rng: &mut impl Random,
    ) -> Option<Credentials<'static>> {
        let (challenge, algorithm) = self.last.clone()?;
        let realm = challenge.realm().unwrap_or_default().into_owned();
        let nonce = challenge.nonce().unwrap_or_default().into_owned();
        let qop = self.pick_qop(&challenge)?;
        let cnonce = cnonce(rng);
        let nc = self.next_count(&nonce);
        let creds = self.credentials(&challenge, algorithm, &realm, &nonce, &cnonce, nc, qop, req);
        if !self.pending.contains(&realm) {
            self.pending.push(realm);
        }
        Some(creds)
    }

    /// The qop to use with `c`: `Some(None)` (RFC 2069) when the challenge
    /// offers none, `Some(Some(..))` when it offers one this client can
    /// use, `None` when it offers only qops this client cannot use.
    fn pick_qop(&self, c: &Challenge<'_>) -> Option<Option<Qop>> {
        let offered: Vec<Qop> = c.qop_options().filter_map(|q| Qop::parse(&q)).collect();
        if c.param("qop").is_none() {
            return Some(None);
        }
        let want = if self.prefer_auth_int {
            [Qop::AuthInt, Qop::Auth]
        } else {
            [Qop::Auth, Qop::AuthInt]
        };
        want.into_iter().find(|q| offered.contains(q)).map(Some)
    }

    fn next_count(&mut self, nonce: &str) -> u32 {
        if let Some(entry) = self.counts.iter_mut().find(|(n, _)| n == nonce) {
            entry.1 = entry.1.saturating_add(1);
            return entry.1;
        }
        if self.counts.len() == KEEP_NONCES {
            self.counts.remove(0);
        }
        self.counts.push((nonce.to_owned(), 1));
        1
    }

    /// The `rspauth` a server that knows the password sends for the last
    /// credentials, covering `body` for `auth-int`.
    pub(super) fn expected_rspauth(&self, body: &[u8]) -> Option<String> {
        let s = self.sent.as_ref()?;
        let ha1 = ha1(s.algorithm, &self.username, &s.realm, &self.password);
        Some(response(
            s.algorithm,
            &ha1,
            &Nonces {
                nonce: &s.nonce,
                cnonce: &s.cnonce,
                nc: s.nc,
                qop: s.qop,
            },
            &Request {
                method: "",
                uri: &s.uri,
                body,
            },
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn credentials(
        &mut self,
        challenge: &Challenge<'_>,
        algorithm: Algorithm,
        realm: &str,
        nonce: &str,
        cnonce: &str,
        nc: u32,
        qop: Option<Qop>,
        req: &Request<'_>,
    ) -> Credentials<'static> {
        self.sent = Some(Sent {
            algorithm,
            realm: realm.to_owned(),
            nonce: nonce.to_owned(),
            cnonce: cnonce.to_owned(),
            nc,
            qop,
            uri: req.uri.to_owned(),
        });
        let ha1 = ha1(algorithm, &self.username, realm, &self.password);
        let resp = response(
            algorithm,
            &ha1,
            &Nonces {
                nonce,
                cnonce,
                nc,
                qop,
            },
            req,
        );
        let mut c = Credentials::new("Digest");
        let userhash = challenge.userhash();
        let username = if userhash {
            Cow::Owned(algorithm.userhash(&self.username, realm))
        } else {
            Cow::Borrowed(self.username.as_str())
        };
        // Every name below is a token and every value is quoted or a token,
        // so pushing cannot fail.
        let _ = c.params.push_quoted("username", &username);
        let _ = c.params.push_quoted("realm", realm);
        let _ = c.params.push_quoted("nonce", nonce);
        let _ = c.params.push_quoted("uri", req.uri);
        let _ = c.params.push_quoted("response", &resp);
        let _ = c.params.push_token("algorithm", algorithm.as_str());
        if let Some(q) = qop {
            let _ = c.params.push_token("qop", q.as_str());
            let _ = c.params.push_token("nc", &format!("{nc:08x}"));
            let _ = c.params.push_quoted("cnonce", cnonce);
        }
        if let Some(opaque) = challenge.opaque() {
            let _ = c.params.push_quoted("opaque", &opaque);
        }
        if userhash {
            let _ = c.params.push_token("userhash", "true");
        }
        c
    }
}

/// A client nonce: 16 hex digits.
fn cnonce(rng: &mut impl Random) -> String {
    format!("{:016x}", rng.next_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    fn challenge(extra: &str) -> Challenge<'static> {
        Challenge::parse(&format!(
            "Digest realm=\"r.example\", nonce=\"abc\", qop=\"auth\"{extra}"
        ))
        .unwrap()
        .into_owned()
    }

    #[test]
    fn counts_rejects_and_stale() {
        let mut c = DigestClient::new("bob", b"pw");
        let req = Request {
            method: "INVITE",
            uri: "sip:x@r.example",
            body: b"",
        };
        let mut rng = SeededRandom::new(3);
        let first = c.answer([&challenge("")], &req, &mut rng).unwrap();
        assert_eq!(first.nc(), Some(1));
        // Challenged again, not stale: the password is wrong.
        assert_eq!(
            c.answer([&challenge("")], &req, &mut rng),
            Err(ClientError::Rejected("r.example".into()))
        );
        // Stale: answer again with the new nonce, no new password needed.
        let mut c = DigestClient::new("bob", b"pw");
        c.answer([&challenge("")], &req, &mut rng).unwrap();
        let again = c
            .answer([&challenge(", stale=true")], &req, &mut rng)
            .unwrap();
        assert_eq!(again.nc(), Some(2));
        c.accepted();
        assert!(c.answer([&challenge("")], &req, &mut rng).is_ok());
        assert!(!format!("{c:?}").contains("pw\""));
    }

    #[test]
    fn unsupported_and_legacy() {
        let mut c = DigestClient::new("bob", b"pw").with_algorithms(&[Algorithm::Sha256]);
        let req = Request {
            method: "OPTIONS",
            uri: "sip:r.example",
            body: b"",
        };
        let mut rng = SeededRandom::new(4);
        assert_eq!(
            c.answer([&challenge(", algorithm=MD5")], &req, &mut rng),
            Err(ClientError::Unsupported)
        );
        let legacy = Challenge::parse("Digest realm=\"r\", nonce=\"n\"").unwrap();
        let creds = DigestClient::new("bob", b"pw")
            .answer([&legacy], &req, &mut rng)
            .unwrap();
        assert_eq!(creds.qop(), None);
        assert_eq!(creds.nc(), None);
        let int_only = challenge("").params.unquoted("qop").unwrap().into_owned();
        assert_eq!(int_only, "auth");
    }
}
