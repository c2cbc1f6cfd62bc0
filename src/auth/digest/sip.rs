//! Digest over SIP messages ([RFC 3261 §22](https://www.rfc-editor.org/rfc/rfc3261#section-22)):
//! the 401 or 407 that challenges a request, the credentials a request
//! carries, and the request sent again with credentials.
//!
//! A registrar or user agent server challenges with 401 and
//! WWW-Authenticate and reads Authorization; a proxy challenges with 407
//! and Proxy-Authenticate and reads Proxy-Authorization ([`Challenger`]).

use std::time::Instant;

use super::{Algorithm, DigestClient, DigestServer, Request, Verified, VerifyError};
use super::{ClientError, Ha1};
use crate::header::{
    Authorization, Challenge, Credentials, HeaderName, ProxyAuthenticate, ProxyAuthorization,
    WwwAuthenticate,
};
use crate::message::{BuildError, Message, MessageRef, ResponseBuilder};
use crate::random::Random;
use crate::status::StatusCode;

/// Who challenges a request (RFC 3261 §22.1, §22.3): the server it is
/// addressed to, or a proxy on the way.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Challenger {
    /// A registrar or user agent server: 401, WWW-Authenticate,
    /// Authorization.
    Server,
    /// A proxy: 407, Proxy-Authenticate, Proxy-Authorization.
    Proxy,
}

impl Challenger {
    /// The challenger of a 401 (server) or 407 (proxy) response.
    pub fn of_status(status: StatusCode) -> Option<Challenger> {
        match status {
            StatusCode::UNAUTHORIZED => Some(Challenger::Server),
            StatusCode::PROXY_AUTHENTICATION_REQUIRED => Some(Challenger::Proxy),
            _ => None,
        }
    }

    /// 401 or 407.
    pub fn status(self) -> StatusCode {
        match self {
            Challenger::Server => StatusCode::UNAUTHORIZED,
            Challenger::Proxy => StatusCode::PROXY_AUTHENTICATION_REQUIRED,
        }
    }

    /// The header that carries the challenges: WWW-Authenticate or
    /// Proxy-Authenticate.
    pub fn challenge_header(self) -> HeaderName {
        match self {
            Challenger::Server => HeaderName::WwwAuthenticate,
            Challenger::Proxy => HeaderName::ProxyAuthenticate,
        }
    }

    /// The header that carries the credentials: Authorization or
    /// Proxy-Authorization.
    pub fn credentials_header(self) -> HeaderName {
        match self {
            Challenger::Server => HeaderName::Authorization,
            Challenger::Proxy => HeaderName::ProxyAuthorization,
        }
    }

    /// The challenges of a 401 or 407 `response` (those that parse).
    pub fn challenges<'m>(self, response: &MessageRef<'m>) -> Vec<Challenge<'m>> {
        match self {
            Challenger::Server => response
                .header_all::<WwwAuthenticate<'_>>()
                .filter_map(|h| h.ok().map(|h| h.0))
                .collect(),
            Challenger::Proxy => response
                .header_all::<ProxyAuthenticate<'_>>()
                .filter_map(|h| h.ok().map(|h| h.0))
                .collect(),
        }
    }

    /// The credentials `request` carries for this challenger (those that
    /// parse), in order.
    pub fn credentials<'m>(self, request: &MessageRef<'m>) -> Vec<Credentials<'m>> {
        match self {
            Challenger::Server => request
                .header_all::<Authorization<'_>>()
                .filter_map(|h| h.ok().map(|h| h.0))
                .collect(),
            Challenger::Proxy => request
                .header_all::<ProxyAuthorization<'_>>()
                .filter_map(|h| h.ok().map(|h| h.0))
                .collect(),
        }
    }

    /// The 401 or 407 response to `request` with `challenges`, one header
    /// field each (the builder adds the To tag, RFC 3261 §8.2.6.2).
    ///
    /// # Errors
    /// As [`MessageRef::response`].
    pub fn response(
        self,
        request: &MessageRef<'_>,
        challenges: &[Challenge<'_>],
    ) -> Result<ResponseBuilder, BuildError> {
        let mut builder = request.response(self.status())?;
        for c in challenges {
            builder = match self {
                Challenger::Server => builder.header(&WwwAuthenticate(c.clone())),
                Challenger::Proxy => builder.header(&ProxyAuthenticate(c.clone())),
            };
        }
        Ok(builder)
    }

    /// `credentials` as the text of a header field value (`Digest ...`).
    fn credentials_value(credentials: &Credentials<'_>) -> String {
        let mut out = Vec::new();
        credentials.encode(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl<'a> Request<'a> {
    /// What a Digest response covers for a SIP request: its method, its
    /// Request-URI as written (the `uri` a client signs, RFC 3261 §22.4)
    /// and its body. `None` for a response.
    pub fn from_message(msg: &MessageRef<'a>) -> Option<Request<'a>> {
        Some(Request {
            method: msg.method_text()?,
            uri: msg.request_uri_str()?,
            body: msg.body(),
        })
    }
}

/// What to answer a request whose credentials were refused
/// ([`VerifyError::answer`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Challenge again (401 or 407), marked `stale=true` when the
    /// credentials may be right and only the nonce is not: the client then
    /// answers without asking its user again (RFC 7616 §3.3).
    Challenge {
        /// Whether the new challenge says `stale=true`.
        stale: bool,
    },
    /// Refuse with this status: 403 for a wrong password or an unknown user
    /// (RFC 3261 §22.2 asks not to challenge again for credentials that
    /// failed), 400 for credentials that do not parse or sign another URI.
    Reject(StatusCode),
}

impl VerifyError {
    /// What to answer for this error:
    ///
    /// | error | answer |
    /// | --- | --- |
    /// | [`VerifyError::NoCredentials`], [`VerifyError::NotOffered`] | challenge |
    /// | [`VerifyError::Nonce`] (stale, or foreign: another key or a restart), [`VerifyError::Replay`] | challenge with `stale=true` |
    /// | [`VerifyError::Mismatch`], [`VerifyError::UnknownUser`] | 403 Forbidden |
    /// | [`VerifyError::Malformed`], [`VerifyError::UriMismatch`] | 400 Bad Request |
    pub fn answer(&self) -> Answer {
        match self {
            VerifyError::NoCredentials | VerifyError::NotOffered => {
                Answer::Challenge { stale: false }
            }
            VerifyError::Nonce(_) | VerifyError::Replay => Answer::Challenge { stale: true },
            VerifyError::Mismatch | VerifyError::UnknownUser => {
                Answer::Reject(StatusCode::FORBIDDEN)
            }
            VerifyError::Malformed | VerifyError::UriMismatch => {
                Answer::Reject(StatusCode::BAD_REQUEST)
            }
        }
    }
}

impl DigestServer {
    /// The 401 or 407 that challenges `request`: one challenge per
    /// configured algorithm with a fresh nonce from `rng`, `stale=true`
    /// when `stale`, and a To tag.
    ///
    /// # Errors
    /// As [`MessageRef::response`].
    pub fn challenge(
        &self,
        now: Instant,
        request: &MessageRef<'_>,
        challenger: Challenger,
        rng: &mut impl Random,
        stale: bool,
    ) -> Result<ResponseBuilder, BuildError> {
        challenger.response(request, &self.challenges(now, rng, stale))
    }

    /// Verifies the credentials `request` carries for this server's realm
    /// (Authorization for a [`Challenger::Server`], Proxy-Authorization for
    /// a proxy) against the request itself; `ha1_for(username, algorithm)`
    /// gives the stored HA1 (`None` for an unknown user). On success, send
    /// [`Verified::authentication_info`] with the response.
    ///
    /// # Errors
    /// A [`VerifyError`]; [`VerifyError::answer`] says what to answer and
    /// [`DigestServer::rejection`] builds it.
    pub fn verify_request(
        &mut self,
        now: Instant,
        request: &MessageRef<'_>,
        challenger: Challenger,
        ha1_for: impl FnOnce(&str, Algorithm) -> Option<Ha1>,
    ) -> Result<Verified, VerifyError> {
        let req = Request::from_message(request).ok_or(VerifyError::Malformed)?;
        let all = challenger.credentials(request);
        // Several proxies may each have a header field (RFC 3261 §22.3):
        // ours is the one for our realm.
        let ours = all
            .iter()
            .find(|c| c.is_digest() && c.realm().as_deref() == Some(self.config().realm.as_str()))
            .ok_or(VerifyError::NoCredentials)?;
        self.verify(now, ours, &req, ha1_for)
    }

    /// The answer to `request` whose credentials failed with `error`:
    /// a new challenge ([`DigestServer::challenge`], `stale=true` where
    /// [`VerifyError::answer`] says so) or a 403 or 400.
    ///
    /// # Errors
    /// As [`MessageRef::response`].
    pub fn rejection(
        &self,
        now: Instant,
        request: &MessageRef<'_>,
        challenger: Challenger,
        error: &VerifyError,
        rng: &mut impl Random,
    ) -> Result<ResponseBuilder, BuildError> {
        match error.answer() {
            Answer::Challenge { stale } => self.challenge(now, request, challenger, rng, stale),
            Answer::Reject(status) => request.response(status),
        }
    }
}

impl DigestClient {
    /// Answers the challenges of `response`, a 401 or 407 to `request`
    /// (WWW-Authenticate or Proxy-Authenticate, which the status says):
    /// the credentials for the header [`Challenger::credentials_header`]
    /// names.
    ///
    /// # Errors
    /// [`ClientError::NotAChallenge`] when `response` is not a 401 or 407
    /// or `request` not a request; otherwise as [`DigestClient::answer`].
    pub fn answer_response(
        &mut self,
        request: &MessageRef<'_>,
        response: &MessageRef<'_>,
        rng: &mut impl Random,
    ) -> Result<(Challenger, Credentials<'static>), ClientError> {
        let challenger = response
            .status()
            .and_then(Challenger::of_status)
            .ok_or(ClientError::NotAChallenge)?;
        let req = Request::from_message(request).ok_or(ClientError::NotAChallenge)?;
        let challenges = challenger.challenges(response);
        let credentials = self.answer(&challenges, &req, rng)?;
        Ok((challenger, credentials))
    }

    /// `request` sent again with credentials after `response`, its 401 or
    /// 407 (RFC 3261 §22.2): a new branch, the CSeq number one higher
    /// ([`MessageRef::reissue`]), and the Authorization or
    /// Proxy-Authorization for the challenge's realm in place of any the
    /// request had for that realm. Send it as a new client transaction.
    ///
    /// # Errors
    /// As [`DigestClient::answer_response`], and
    /// [`ClientError::Build`] when the request cannot be sent again.
    pub fn retry(
        &mut self,
        request: &MessageRef<'_>,
        response: &MessageRef<'_>,
        rng: &mut impl Random,
    ) -> Result<Message, ClientError> {
        let (challenger, credentials) = self.answer_response(request, response, rng)?;
        with_credentials(request, challenger, &credentials, rng)
    }

    /// Whether `response` (the answer to the request last authorized)
    /// proves the server knows the password: its Authentication-Info
    /// `rspauth` (RFC 3261 §22.4, RFC 7615) is the one this client expects.
    /// `None` when the response carries no `rspauth` or no request was
    /// authorized yet; for `auth-int` the response's body is covered.
    pub fn verify_server(&self, response: &MessageRef<'_>) -> Option<bool> {
        let info = response
            .header::<crate::header::AuthenticationInfo<'_>>()?
            .ok()?;
        let rspauth = info.rspauth()?;
        let expected = self.expected_rspauth(response.body())?;
        Some(crate::auth::ct_eq(expected.as_bytes(), rspauth.as_bytes()))
    }
}

/// `request` again ([`MessageRef::reissue`]) with `credentials` as
/// `challenger`'s header, replacing the fields of that header with the same
/// realm.
pub(crate) fn with_credentials(
    request: &MessageRef<'_>,
    challenger: Challenger,
    credentials: &Credentials<'_>,
    rng: &mut impl Random,
) -> Result<Message, ClientError> {
    let mut edit = request.reissue(rng).map_err(ClientError::Build)?;
    let name = challenger.credentials_header();
    let realm = credentials.realm();
    let old = challenger.credentials(request);
    if old.iter().any(|c| c.realm() == realm) {
        // Keep the credentials for other realms (other proxies).
        let keep: Vec<String> = old
            .iter()
            .filter(|c| c.realm() != realm)
            .map(Challenger::credentials_value)
            .collect();
        edit.remove(name.as_str());
        for value in keep {
            edit.add(name.as_str(), &value);
        }
    }
    edit.add(name.as_str(), &Challenger::credentials_value(credentials));
    edit.finish().map_err(ClientError::Build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::digest::{self, ServerConfig};
    use crate::random::SeededRandom;

    const REGISTER: &[u8] = b"REGISTER sip:example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKreg1\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@example.com>;tag=a1\r\n\
To: <sip:alice@example.com>\r\n\
Call-ID: reg1@192.0.2.1\r\n\
CSeq: 1 REGISTER\r\n\
Contact: <sip:alice@192.0.2.1:5060>\r\n\
Content-Length: 0\r\n\r\n";

    fn lookup(user: &str, alg: Algorithm) -> Option<Ha1> {
        (user == "alice").then(|| digest::ha1(alg, "alice", "example.com", b"secret"))
    }

    #[test]
    fn answers_for_every_error() {
        use super::super::NonceError;
        let cases = [
            (
                VerifyError::NoCredentials,
                Answer::Challenge { stale: false },
            ),
            (VerifyError::NotOffered, Answer::Challenge { stale: false }),
            (
                VerifyError::Nonce(NonceError::Stale),
                Answer::Challenge { stale: true },
            ),
            (
                VerifyError::Nonce(NonceError::Invalid),
                Answer::Challenge { stale: true },
            ),
            (VerifyError::Replay, Answer::Challenge { stale: true }),
            (VerifyError::Mismatch, Answer::Reject(StatusCode::FORBIDDEN)),
            (
                VerifyError::UnknownUser,
                Answer::Reject(StatusCode::FORBIDDEN),
            ),
            (
                VerifyError::Malformed,
                Answer::Reject(StatusCode::BAD_REQUEST),
            ),
            (
                VerifyError::UriMismatch,
                Answer::Reject(StatusCode::BAD_REQUEST),
            ),
        ];
        for (e, a) in cases {
            assert_eq!(e.answer(), a, "{e:?}");
        }
    }

    #[test]
    fn a_proxy_challenges_with_407_and_reads_proxy_authorization() {
        let t0 = Instant::now();
        let mut rng = SeededRandom::new(5);
        let mut server = DigestServer::new(ServerConfig::new("example.com"), [9; 32], t0);
        let request = MessageRef::parse(REGISTER).unwrap();
        let challenge = server
            .challenge(t0, &request, Challenger::Proxy, &mut rng, false)
            .unwrap()
            .build()
            .unwrap();
        let c = challenge.as_ref();
        assert_eq!(c.status(), Some(StatusCode::PROXY_AUTHENTICATION_REQUIRED));
        assert_eq!(Challenger::Proxy.challenges(&c).len(), 2);
        assert!(Challenger::Server.challenges(&c).is_empty());
        assert!(c.to_tag().unwrap().is_some());

        let mut alice = DigestClient::new("alice", b"secret");
        let again = alice.retry(&request, &c, &mut rng).unwrap();
        let a = again.as_ref();
        assert!(a.get("Proxy-Authorization").is_some());
        assert!(a.get("Authorization").is_none());
        // As a server, these credentials are not ours; as a proxy they are.
        assert_eq!(
            server
                .verify_request(t0, &a, Challenger::Server, lookup)
                .unwrap_err(),
            VerifyError::NoCredentials
        );
        let verified = server
            .verify_request(t0, &a, Challenger::Proxy, lookup)
            .unwrap();
        assert_eq!(verified.username, "alice");
    }

    #[test]
    fn retry_replaces_credentials_of_the_same_realm_only() {
        let t0 = Instant::now();
        let mut rng = SeededRandom::new(6);
        let server = DigestServer::new(ServerConfig::new("example.com"), [9; 32], t0);
        let text = String::from_utf8(REGISTER.to_vec()).unwrap().replace(
            "Content-Length: 0",
            "Authorization: Digest username=\"alice\", realm=\"other.net\", nonce=\"x\", uri=\"sip:example.com\", response=\"00\"\r\n\
Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"old\", uri=\"sip:example.com\", response=\"00\"\r\n\
Content-Length: 0",
        );
        let request = MessageRef::parse(text.as_bytes()).unwrap();
        let challenge = server
            .challenge(t0, &request, Challenger::Server, &mut rng, true)
            .unwrap()
            .build()
            .unwrap();
        let mut alice = DigestClient::new("alice", b"secret");
        let again = alice
            .retry(&request, &challenge.as_ref(), &mut rng)
            .unwrap();
        let realms: Vec<String> = Challenger::Server
            .credentials(&again.as_ref())
            .iter()
            .map(|c| c.realm().unwrap().into_owned())
            .collect();
        assert_eq!(realms, ["other.net", "example.com"]);
        assert_eq!(again.as_ref().cseq().unwrap().seq, 2);
    }

    #[test]
    fn the_signed_uri_must_designate_the_request_uri() {
        let t0 = Instant::now();
        let mut rng = SeededRandom::new(8);
        let mut server = DigestServer::new(ServerConfig::new("example.com"), [9; 32], t0);
        let request = MessageRef::parse(REGISTER).unwrap();
        let challenges = server.challenges(t0, &mut rng, false);
        let signing = |uri: &str, rng: &mut SeededRandom| {
            let mut alice = DigestClient::new("alice", b"secret");
            let req = Request {
                method: "REGISTER",
                uri,
                body: b"",
            };
            let creds = alice.answer(&challenges, &req, rng).unwrap();
            with_credentials(&request, Challenger::Server, &creds, rng).unwrap()
        };
        // An equivalent URI (RFC 3261 §19.1.4: the host's case does not
        // count) is the same resource; the response covers it as written.
        let same = signing("sip:EXAMPLE.com", &mut rng);
        assert!(
            server
                .verify_request(t0, &same.as_ref(), Challenger::Server, lookup)
                .is_ok()
        );
        // Another URI is a 400, not a wrong password.
        let other = signing("sip:other.example.com", &mut rng);
        let e = server
            .verify_request(t0, &other.as_ref(), Challenger::Server, lookup)
            .unwrap_err();
        assert_eq!(e, VerifyError::UriMismatch);
        let answer = server
            .rejection(t0, &other.as_ref(), Challenger::Server, &e, &mut rng)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(answer.as_ref().status(), Some(StatusCode::BAD_REQUEST));
        // A wrong password is a 403.
        let mut mallory = DigestClient::new("alice", b"guess");
        let req = Request::from_message(&request).unwrap();
        let creds = mallory.answer(&challenges, &req, &mut rng).unwrap();
        let wrong = with_credentials(&request, Challenger::Server, &creds, &mut rng).unwrap();
        let e = server
            .verify_request(t0, &wrong.as_ref(), Challenger::Server, lookup)
            .unwrap_err();
        assert_eq!(e.answer(), Answer::Reject(StatusCode::FORBIDDEN));
    }

    #[test]
    fn a_forged_rspauth_is_caught() {
        let t0 = Instant::now();
        let mut rng = SeededRandom::new(9);
        let mut server = DigestServer::new(ServerConfig::interop("example.com"), [9; 32], t0);
        let request = MessageRef::parse(REGISTER).unwrap();
        let challenge = server
            .challenge(t0, &request, Challenger::Server, &mut rng, false)
            .unwrap()
            .build()
            .unwrap();
        // The interop preset offers one MD5 challenge.
        let offered = Challenger::Server.challenges(&challenge.as_ref());
        assert_eq!(offered.len(), 1);
        assert_eq!(offered[0].algorithm().as_deref(), Some("MD5"));
        let mut alice = DigestClient::new("alice", b"secret");
        let again = alice
            .retry(&request, &challenge.as_ref(), &mut rng)
            .unwrap();
        let verified = server
            .verify_request(t0, &again.as_ref(), Challenger::Server, lookup)
            .unwrap();
        let ok = again
            .as_ref()
            .response(StatusCode::OK)
            .unwrap()
            .header(&verified.authentication_info)
            .build()
            .unwrap();
        assert_eq!(alice.verify_server(&ok.as_ref()), Some(true));
        let forged = again
            .as_ref()
            .response(StatusCode::OK)
            .unwrap()
            .raw_header(
                "Authentication-Info",
                "rspauth=\"0123456789abcdef0123456789abcdef\"",
            )
            .build()
            .unwrap();
        assert_eq!(alice.verify_server(&forged.as_ref()), Some(false));
    }

    #[test]
    fn not_challenges() {
        let request = MessageRef::parse(REGISTER).unwrap();
        let ok = request.response(StatusCode::OK).unwrap().build().unwrap();
        let mut alice = DigestClient::new("alice", b"secret");
        assert_eq!(
            alice
                .retry(&request, &ok.as_ref(), &mut SeededRandom::new(1))
                .unwrap_err(),
            ClientError::NotAChallenge
        );
        assert_eq!(alice.verify_server(&ok.as_ref()), None);
    }
}
