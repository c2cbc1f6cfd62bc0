//! Digest over HTTP: the same [`DigestClient`] and [`DigestServer`] on
//! [`http::Request`] and [`http::Response`] header maps, for the HTTP
//! interfaces IMS elements also serve (Ut/XCAP, provisioning).
//!
//! The digest-uri of HTTP is the request-target (path and query); the
//! server checks that the credentials name the request's own target.
//!
//! ```
//! use std::time::Instant;
//! use imsip::auth::digest::{self, DigestClient, DigestServer, ServerConfig};
//! use imsip::auth::http as digest_http;
//! use imsip::random::SeededRandom;
//!
//! let start = Instant::now();
//! let mut server = DigestServer::new(ServerConfig::new("xcap.ims.example.net"), [1; 32], start);
//! let mut rng = SeededRandom::new(5);
//!
//! // The server refuses the first request with a challenge.
//! let unauthorized = digest_http::unauthorized(&server, start, &mut rng, false);
//! assert_eq!(unauthorized.status(), http::StatusCode::UNAUTHORIZED);
//!
//! // The client answers it.
//! let mut client = DigestClient::new("alice", b"secret");
//! let value = digest_http::answer(&mut client, &unauthorized, &http::Method::GET, "/xcap-root/doc", b"", &mut rng).unwrap();
//! let request = http::Request::get("/xcap-root/doc")
//!     .header(http::header::AUTHORIZATION, value)
//!     .body(Vec::new())
//!     .unwrap();
//!
//! let verified = digest_http::verify(&mut server, start, &request, |user, alg| {
//!     (user == "alice").then(|| digest::ha1(alg, "alice", "xcap.ims.example.net", b"secret"))
//! });
//! assert!(verified.is_ok());
//! ```

use std::time::Instant;

use http::header::{AUTHORIZATION, PROXY_AUTHENTICATE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, Method, Request as HttpRequest, Response, StatusCode};

use super::digest::{
    self, Algorithm, ClientError, DigestClient, DigestServer, Ha1, Verified, VerifyError,
};
use crate::header::{Challenge, Credentials};
use crate::random::Random;

fn value(text: &str) -> HeaderValue {
    // Challenges and credentials are built from tokens and quoted strings;
    // a non-visible character would come from a caller's realm or username.
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("Digest"))
}

/// The Digest challenges of `server`, one `WWW-Authenticate` value each.
pub fn challenge_values(
    server: &DigestServer,
    now: Instant,
    rng: &mut impl Random,
    stale: bool,
) -> Vec<HeaderValue> {
    server
        .challenges(now, rng, stale)
        .iter()
        .map(|c| value(&c.to_string()))
        .collect()
}

/// A `401 Unauthorized` response carrying the server's challenges.
pub fn unauthorized(
    server: &DigestServer,
    now: Instant,
    rng: &mut impl Random,
    stale: bool,
) -> Response<()> {
    let mut response = Response::new(());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    for v in challenge_values(server, now, rng, stale) {
        response.headers_mut().append(WWW_AUTHENTICATE, v);
    }
    response
}

/// The Digest credentials in a request's `Authorization` headers.
pub fn credentials(headers: &HeaderMap) -> Option<Credentials<'_>> {
    headers
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| Credentials::parse(v).ok())
        .find(Credentials::is_digest)
}

/// Verifies an HTTP request's Digest credentials with `server`; the
/// request's method, target and body are what the response must cover.
///
/// # Errors
/// [`VerifyError::Malformed`] without Digest credentials, or why
/// [`DigestServer::verify`] refused them.
pub fn verify<B: AsRef<[u8]>>(
    server: &mut DigestServer,
    now: Instant,
    request: &HttpRequest<B>,
    ha1_for: impl FnOnce(&str, Algorithm) -> Option<Ha1>,
) -> Result<Verified, VerifyError> {
    let creds = credentials(request.headers()).ok_or(VerifyError::Malformed)?;
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let req = digest::Request {
        method: request.method().as_str(),
        uri: target,
        body: request.body().as_ref(),
    };
    server.verify(now, &creds, &req, ha1_for)
}

/// Answers the challenges of a `401` (`WWW-Authenticate`) or `407`
/// (`Proxy-Authenticate`) response for a request of `method` to `target`:
/// the value for its `Authorization` (or `Proxy-Authorization`) header.
///
/// # Errors
/// As [`DigestClient::answer`].
pub fn answer<B>(
    client: &mut DigestClient,
    response: &Response<B>,
    method: &Method,
    target: &str,
    body: &[u8],
    rng: &mut impl Random,
) -> Result<HeaderValue, ClientError> {
    let name = if response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
        PROXY_AUTHENTICATE
    } else {
        WWW_AUTHENTICATE
    };
    let challenges: Vec<Challenge<'_>> = response
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| Challenge::parse(v).ok())
        .collect();
    let req = digest::Request {
        method: method.as_str(),
        uri: target,
        body,
    };
    let creds = client.answer(&challenges, &req, rng)?;
    Ok(value(&creds.to_string()))
}
