//! The registrar and the location service (RFC 3261 §10.3, RFC 3327 Path,
//! RFC 5626 `+sip.instance`/`reg-id`).
//!
//! [`Registrar::register`] applies the binding rules to one REGISTER and
//! gives back the response to send and the bindings the address-of-record
//! has now; the bindings live in a [`LocationService`] (an in-memory one is
//! [`MemoryLocation`]) keyed by the canonical [`AddressOfRecord`], their
//! expiry measured against the `Instant`s the caller passes. The registrar
//! does no I/O and keeps no timer: it answers requests the caller got from
//! its [`Endpoint`](crate::Endpoint) (or from anywhere), and a proxy or an
//! S-CSCF asks the same location service where to send a request.
//!
//! ```
//! use std::time::Instant;
//! use imsip::registrar::{MemoryLocation, Registrar, RegistrarConfig};
//! use imsip::{MessageRef, StatusCode};
//!
//! let register = MessageRef::parse(b"REGISTER sip:example.com SIP/2.0\r\n\
//! Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n\
//! From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\n\
//! Call-ID: r1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@192.0.2.4>\r\n\
//! Expires: 600\r\nContent-Length: 0\r\n\r\n")?;
//! let mut registrar = Registrar::new(RegistrarConfig::default());
//! let mut location = MemoryLocation::default();
//! let now = Instant::now();
//! let outcome = registrar.register(now, &register, &mut location);
//! assert_eq!(outcome.status, StatusCode::OK);
//! assert_eq!(outcome.bindings.len(), 1);
//! let ok = outcome.response.build()?;
//! assert_eq!(ok.as_ref().get("Contact").unwrap().value_str(), Some("<sip:alice@192.0.2.4>;expires=600"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::auth::digest::{Algorithm, Answer, Challenger, DigestServer, Ha1};
use crate::header::{Contact, ContactAddress, Expires, HeaderName, QValue};
use crate::message::{MessageRef, ResponseBuilder};
use crate::random::Generator;
use crate::status::StatusCode;
use crate::uri::AddressOfRecord;

/// One contact bound to an address-of-record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The contact as registered, with its parameters (`expires` aside).
    pub contact: ContactAddress<'static>,
    /// When the binding expires.
    pub expires_at: Instant,
    /// The Call-ID of the REGISTER that made or last refreshed it.
    pub call_id: String,
    /// That REGISTER's CSeq number.
    pub cseq: u32,
    /// RFC 5626 `+sip.instance` (as written, with its quotes and angle
    /// brackets removed).
    pub instance: Option<String>,
    /// RFC 5626 `reg-id`.
    pub reg_id: Option<u32>,
    /// The Path (RFC 3327) of that REGISTER, in order: the route to the
    /// contact from the registrar.
    pub path: Vec<String>,
}

impl Binding {
    /// Seconds left at `now` (0 once expired).
    pub fn expires_in(&self, now: Instant) -> u32 {
        u32::try_from(self.expires_at.saturating_duration_since(now).as_secs()).unwrap_or(u32::MAX)
    }

    /// The preference (`q`), 1.0 when not given.
    pub fn q(&self) -> QValue {
        self.contact.q().unwrap_or(QValue::ONE)
    }

    /// Whether the contact is the one RFC 5626 or URI comparison makes it.
    fn same_as(&self, other: &Binding) -> bool {
        match (&self.instance, self.reg_id, &other.instance, other.reg_id) {
            (Some(a), Some(x), Some(b), Some(y)) => a == b && x == y,
            _ => self
                .contact
                .name_addr
                .uri
                .equivalent(&other.contact.name_addr.uri),
        }
    }
}

/// Where bindings are kept: by address-of-record, each set replaced whole
/// by the registrar so that a REGISTER applies all or nothing.
pub trait LocationService {
    /// The bindings of `aor` alive at `now`.
    fn bindings(&self, aor: &AddressOfRecord, now: Instant) -> Vec<Binding>;
    /// Replaces the bindings of `aor` (none removes the address-of-record).
    fn store(&mut self, aor: &AddressOfRecord, bindings: Vec<Binding>);
    /// Forgets the bindings expired at `now`; how many.
    fn purge(&mut self, now: Instant) -> usize;
}

/// A [`LocationService`] in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryLocation {
    by_aor: HashMap<AddressOfRecord, Vec<Binding>>,
}

impl MemoryLocation {
    /// How many addresses-of-record have bindings (expired ones included
    /// until [`LocationService::purge`]).
    pub fn len(&self) -> usize {
        self.by_aor.len()
    }

    /// Whether no address-of-record has a binding.
    pub fn is_empty(&self) -> bool {
        self.by_aor.is_empty()
    }
}

impl LocationService for MemoryLocation {
    fn bindings(&self, aor: &AddressOfRecord, now: Instant) -> Vec<Binding> {
        self.by_aor.get(aor).map_or_else(Vec::new, |b| {
            b.iter().filter(|b| b.expires_at > now).cloned().collect()
        })
    }

    fn store(&mut self, aor: &AddressOfRecord, bindings: Vec<Binding>) {
        if bindings.is_empty() {
            self.by_aor.remove(aor);
        } else {
            self.by_aor.insert(aor.clone(), bindings);
        }
    }

    fn purge(&mut self, now: Instant) -> usize {
        let mut n = 0;
        self.by_aor.retain(|_, b| {
            let before = b.len();
            b.retain(|b| b.expires_at > now);
            n += before - b.len();
            !b.is_empty()
        });
        n
    }
}

/// The registrar's rules.
#[derive(Clone, Debug)]
pub struct RegistrarConfig {
    /// The expiry when neither the contact nor the request gives one: 3600
    /// s.
    pub default_expires: u32,
    /// The shortest expiry accepted (423 with Min-Expires below it): 60 s.
    pub min_expires: u32,
    /// The longest expiry granted (longer ones are shortened): 86 400 s.
    pub max_expires: u32,
    /// The most bindings one address-of-record may have (403 beyond): 10.
    pub max_bindings: usize,
}

impl Default for RegistrarConfig {
    fn default() -> Self {
        RegistrarConfig {
            default_expires: 3600,
            min_expires: 60,
            max_expires: 86_400,
            max_bindings: 10,
        }
    }
}

/// What [`Registrar::register`] decided.
#[derive(Debug)]
#[must_use]
pub struct Outcome {
    /// The status of the response.
    pub status: StatusCode,
    /// The response to send (add headers if you like, then build it).
    pub response: ResponseBuilder,
    /// The address-of-record, when the To header gave one.
    pub aor: Option<AddressOfRecord>,
    /// Its bindings now (after the change, on success).
    pub bindings: Vec<Binding>,
}

type Credentials = Box<dyn FnMut(&str, Algorithm) -> Option<Ha1> + Send>;

/// A registrar (RFC 3261 §10.3). See the [module documentation](self).
pub struct Registrar {
    config: RegistrarConfig,
    digest: Option<(DigestServer, Credentials)>,
    rng: Generator,
}

impl std::fmt::Debug for Registrar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registrar")
            .field("config", &self.config)
            .field("digest", &self.digest.is_some())
            .finish()
    }
}

/// Why a REGISTER is refused, before anything changes: a status (with a
/// header to add), or the authentication's own answer.
enum Refused {
    Status(StatusCode, Option<(&'static str, String)>),
    Answer(StatusCode, Box<ResponseBuilder>),
}

fn refuse(status: StatusCode, header: Option<(&'static str, String)>) -> Refused {
    Refused::Status(status, header)
}

impl Registrar {
    /// A registrar that accepts every registration.
    pub fn new(config: RegistrarConfig) -> Registrar {
        Registrar {
            config,
            digest: None,
            rng: Generator::default(),
        }
    }

    /// Requires Digest credentials (RFC 3261 §10.3 step 3): `server` makes
    /// the challenges and checks the answers, `credentials(username,
    /// algorithm)` gives the user's H(A1), `None` for an unknown user. An
    /// authenticated user may register only its own address-of-record
    /// (the To user is the username, §10.3 step 4).
    pub fn with_digest(
        mut self,
        server: DigestServer,
        credentials: impl FnMut(&str, Algorithm) -> Option<Ha1> + Send + 'static,
    ) -> Registrar {
        self.digest = Some((server, Box::new(credentials)));
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RegistrarConfig {
        &self.config
    }

    /// Applies the REGISTER `request` to `location` (RFC 3261 §10.3 steps
    /// 3–8): authenticates it when configured, finds the address-of-record
    /// in To, and for each Contact takes the expiry (its `expires`
    /// parameter, else the Expires header, else the default), refuses one
    /// under the minimum (423 with Min-Expires), shortens one over the
    /// maximum, refuses a Call-ID seen with a CSeq not higher (500), a `*`
    /// with anything else than Expires 0 and no other contact (400), and
    /// more bindings than allowed (403). All contacts apply or none. The
    /// 200 lists every binding with its remaining time and echoes the
    /// Path; a REGISTER without Contact is a query.
    pub fn register(
        &mut self,
        now: Instant,
        request: &MessageRef<'_>,
        location: &mut impl LocationService,
    ) -> Outcome {
        let aor = request
            .to()
            .ok()
            .and_then(|to| to.uri().address_of_record());
        match self.apply(now, request, aor.as_ref(), location) {
            Ok((bindings, response)) => Outcome {
                status: StatusCode::OK,
                response,
                aor,
                bindings,
            },
            Err(refused) => {
                let (status, response) = match refused {
                    Refused::Answer(status, response) => (status, *response),
                    Refused::Status(status, header) => {
                        let mut response = match request.response(status) {
                            Ok(r) => r,
                            Err(_) => ResponseBuilder::new(status),
                        };
                        if let Some((name, value)) = header {
                            response = response.raw_header(name, &value);
                        }
                        (status, response)
                    }
                };
                let bindings = aor
                    .as_ref()
                    .map_or_else(Vec::new, |a| location.bindings(a, now));
                Outcome {
                    status,
                    response,
                    aor,
                    bindings,
                }
            }
        }
    }

    fn apply(
        &mut self,
        now: Instant,
        request: &MessageRef<'_>,
        aor: Option<&AddressOfRecord>,
        location: &mut impl LocationService,
    ) -> Result<(Vec<Binding>, ResponseBuilder), Refused> {
        let mut info = None;
        if let Some((server, credentials)) = &mut self.digest {
            match server.verify_request(now, request, Challenger::Server, |u, a| credentials(u, a))
            {
                Ok(v) => {
                    // §10.3 step 4: only one's own address-of-record.
                    let to_user = request
                        .to()
                        .ok()
                        .and_then(|t| t.uri().as_sip().and_then(|s| s.user().map(str::to_owned)));
                    let user = v.username.split('@').next().unwrap_or_default();
                    if to_user.as_deref() != Some(user) {
                        return Err(refuse(StatusCode::FORBIDDEN, None));
                    }
                    info = Some(v.authentication_info);
                }
                Err(e) => {
                    // A challenge (or 403/400), as the auth module answers.
                    let status = match e.answer() {
                        Answer::Challenge { .. } => StatusCode::UNAUTHORIZED,
                        Answer::Reject(status) => status,
                    };
                    return Err(
                        match server.rejection(now, request, Challenger::Server, &e, &mut self.rng)
                        {
                            Ok(b) => Refused::Answer(status, Box::new(b)),
                            Err(_) => refuse(StatusCode::BAD_REQUEST, None),
                        },
                    );
                }
            }
        }
        // §10.3 step 5: an address-of-record this registrar can serve.
        let aor = aor.ok_or(refuse(StatusCode::NOT_FOUND, None))?;
        let call_id = request
            .call_id()
            .map_err(|_| refuse(StatusCode::BAD_REQUEST, None))?
            .as_str()
            .to_owned();
        let cseq = request
            .cseq()
            .map_err(|_| refuse(StatusCode::BAD_REQUEST, None))?
            .seq;
        let header_expires = match request.header::<Expires>() {
            Some(Ok(Expires(e))) => Some(e),
            Some(Err(_)) => return Err(refuse(StatusCode::BAD_REQUEST, None)),
            None => None,
        };
        let path: Vec<String> = request
            .values(HeaderName::Path)
            .filter_map(|v| std::str::from_utf8(v).ok().map(str::to_owned))
            .collect();
        let mut contacts = Vec::new();
        let mut wildcard = false;
        for c in request.header_all::<Contact<'_>>() {
            match c.map_err(|_| refuse(StatusCode::BAD_REQUEST, None))? {
                Contact::Wildcard => wildcard = true,
                Contact::Address(a) => contacts.push(a.into_owned()),
            }
        }
        let mut current = location.bindings(aor, now);
        if wildcard {
            // §10.3 step 6: `*` alone, with Expires 0.
            if !contacts.is_empty() || header_expires != Some(0) {
                return Err(refuse(StatusCode::BAD_REQUEST, None));
            }
            for b in &current {
                if b.call_id == call_id && cseq <= b.cseq {
                    return Err(refuse(StatusCode::SERVER_INTERNAL_ERROR, None));
                }
            }
            current.clear();
        }
        let mut outbound = false;
        for contact in contacts {
            let asked = contact
                .expires()
                .or(header_expires)
                .unwrap_or(self.config.default_expires);
            if asked != 0 && asked < self.config.min_expires {
                return Err(refuse(
                    StatusCode::INTERVAL_TOO_BRIEF,
                    Some(("Min-Expires", self.config.min_expires.to_string())),
                ));
            }
            let granted = asked.min(self.config.max_expires);
            let instance = contact.params.value("+sip.instance").map(|v| {
                v.trim_matches('"')
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            });
            let reg_id = contact.params.value("reg-id").and_then(|v| v.parse().ok());
            outbound |= instance.is_some() && reg_id.is_some();
            let mut contact = contact;
            contact.params.remove("expires");
            let binding = Binding {
                contact,
                expires_at: now + Duration::from_secs(u64::from(granted)),
                call_id: call_id.clone(),
                cseq,
                instance,
                reg_id,
                path: path.clone(),
            };
            match current.iter().position(|b| b.same_as(&binding)) {
                Some(i) => {
                    // §10.3 step 7: a retransmission or an old request.
                    if current[i].call_id == call_id && cseq <= current[i].cseq {
                        return Err(refuse(StatusCode::SERVER_INTERNAL_ERROR, None));
                    }
                    if granted == 0 {
                        current.remove(i);
                    } else {
                        current[i] = binding;
                    }
                }
                None if granted == 0 => {}
                None => current.push(binding),
            }
        }
        if current.len() > self.config.max_bindings {
            return Err(refuse(StatusCode::FORBIDDEN, None));
        }
        location.store(aor, current.clone());
        // §10.3 step 8: every binding with its remaining time.
        let mut response = request
            .response(StatusCode::OK)
            .map_err(|_| refuse(StatusCode::BAD_REQUEST, None))?;
        for b in &current {
            let mut c = b.contact.clone();
            c.set_expires(b.expires_in(now));
            response = response.header(&Contact::Address(c));
        }
        for p in &path {
            response = response.raw_header("Path", p);
        }
        if outbound
            && request
                .values(HeaderName::Supported)
                .any(|t| t.eq_ignore_ascii_case(b"outbound"))
        {
            response = response.raw_header("Require", "outbound");
        }
        if let Some(info) = info {
            response = response.header(&info);
        }
        Ok((current, response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    /// A REGISTER for alice with `extra` header lines.
    fn register(call_id: &str, cseq: u32, extra: &str) -> Message {
        let text = format!(
            "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK{call_id}{cseq}\r\n\
Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\n\
Call-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\n{extra}Content-Length: 0\r\n\r\n"
        );
        Message::parse(bytes::Bytes::from(text)).unwrap()
    }

    struct Bench {
        registrar: Registrar,
        location: MemoryLocation,
        now: Instant,
    }

    impl Bench {
        fn new() -> Bench {
            Bench {
                registrar: Registrar::new(RegistrarConfig {
                    max_bindings: 3,
                    ..RegistrarConfig::default()
                }),
                location: MemoryLocation::default(),
                now: Instant::now(),
            }
        }

        fn send(&mut self, msg: &Message) -> (StatusCode, Message, Vec<Binding>) {
            let o = self
                .registrar
                .register(self.now, &msg.as_ref(), &mut self.location);
            (o.status, o.response.build().unwrap(), o.bindings)
        }
    }

    fn contacts(m: &Message) -> Vec<String> {
        m.as_ref()
            .get_all("Contact")
            .map(|h| h.value_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn expiry_from_the_contact_then_the_header_then_the_default() {
        let mut b = Bench::new();
        let (s, ok, _) = b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>;expires=120, <sip:a@192.0.2.2>\r\nExpires: 300\r\n",
        ));
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            contacts(&ok),
            [
                "<sip:a@192.0.2.1>;expires=120",
                "<sip:a@192.0.2.2>;expires=300"
            ]
        );
        let (_, ok, _) = b.send(&register("c", 2, "Contact: <sip:a@192.0.2.3>\r\n"));
        assert!(contacts(&ok).contains(&"<sip:a@192.0.2.3>;expires=3600".to_owned()));
        // Longer than the maximum is shortened.
        let (_, ok, _) = b.send(&register(
            "c",
            3,
            "Contact: <sip:a@192.0.2.3>;expires=999999\r\n",
        ));
        assert!(contacts(&ok).contains(&"<sip:a@192.0.2.3>;expires=86400".to_owned()));
    }

    #[test]
    fn too_brief_is_423_with_min_expires_and_changes_nothing() {
        let mut b = Bench::new();
        let (s, r, bindings) = b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>;expires=600, <sip:a@192.0.2.2>;expires=30\r\n",
        ));
        assert_eq!(s, StatusCode::INTERVAL_TOO_BRIEF);
        assert_eq!(
            r.as_ref().get("Min-Expires").unwrap().value_str(),
            Some("60")
        );
        assert!(bindings.is_empty(), "all or nothing");
        assert!(b.location.is_empty());
    }

    #[test]
    fn call_id_and_cseq_ordering() {
        let mut b = Bench::new();
        let c = "Contact: <sip:a@192.0.2.1>\r\n";
        assert_eq!(b.send(&register("c", 5, c)).0, StatusCode::OK);
        // The same Call-ID with a CSeq not higher: out of order.
        assert_eq!(
            b.send(&register("c", 5, c)).0,
            StatusCode::SERVER_INTERNAL_ERROR
        );
        assert_eq!(
            b.send(&register("c", 4, c)).0,
            StatusCode::SERVER_INTERNAL_ERROR
        );
        assert_eq!(b.send(&register("c", 6, c)).0, StatusCode::OK);
        // Another Call-ID (the UA restarted) updates whatever its CSeq.
        let (s, _, bindings) = b.send(&register("d", 1, c));
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bindings.len(), 1);
        assert_eq!((bindings[0].call_id.as_str(), bindings[0].cseq), ("d", 1));
    }

    #[test]
    fn removal_one_contact_and_wildcard() {
        let mut b = Bench::new();
        b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>, <sip:a@192.0.2.2>\r\n",
        ));
        let (_, ok, bindings) = b.send(&register(
            "c",
            2,
            "Contact: <sip:a@192.0.2.1>;expires=0\r\n",
        ));
        assert_eq!(bindings.len(), 1);
        assert_eq!(contacts(&ok), ["<sip:a@192.0.2.2>;expires=3600"]);
        // `*` needs Expires 0 and no other contact.
        assert_eq!(
            b.send(&register("c", 3, "Contact: *\r\n")).0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            b.send(&register("c", 4, "Contact: *\r\nExpires: 5\r\n")).0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            b.send(&register(
                "c",
                5,
                "Contact: *, <sip:a@192.0.2.9>\r\nExpires: 0\r\n"
            ))
            .0,
            StatusCode::BAD_REQUEST
        );
        let (s, ok, bindings) = b.send(&register("c", 6, "Contact: *\r\nExpires: 0\r\n"));
        assert_eq!(s, StatusCode::OK);
        assert!(bindings.is_empty() && contacts(&ok).is_empty());
        assert!(b.location.is_empty());
    }

    #[test]
    fn a_query_lists_the_bindings_with_their_remaining_time() {
        let mut b = Bench::new();
        b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>;expires=600\r\n",
        ));
        b.now += Duration::from_secs(100);
        let (s, ok, _) = b.send(&register("c", 2, ""));
        assert_eq!(s, StatusCode::OK);
        assert_eq!(contacts(&ok), ["<sip:a@192.0.2.1>;expires=500"]);
        // Expired bindings are gone from answers (and from the store, which
        // the answer rewrote).
        b.now += Duration::from_secs(600);
        let (_, ok, _) = b.send(&register("c", 3, ""));
        assert!(contacts(&ok).is_empty());
        assert!(b.location.is_empty());
    }

    #[test]
    fn purge_forgets_what_expired() {
        let mut b = Bench::new();
        b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>;expires=100, <sip:a@192.0.2.2>;expires=900\r\n",
        ));
        b.now += Duration::from_secs(200);
        assert_eq!(b.location.purge(b.now), 1);
        assert_eq!(b.location.len(), 1);
        b.now += Duration::from_secs(800);
        assert_eq!(b.location.purge(b.now), 1);
        assert!(b.location.is_empty());
    }

    #[test]
    fn the_most_bindings_per_address_of_record() {
        let mut b = Bench::new();
        let (s, _, _) = b.send(&register(
            "c",
            1,
            "Contact: <sip:a@192.0.2.1>, <sip:a@192.0.2.2>, <sip:a@192.0.2.3>, <sip:a@192.0.2.4>\r\n",
        ));
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(b.location.is_empty());
    }

    #[test]
    fn outbound_instance_and_reg_id_and_path() {
        let mut b = Bench::new();
        let inst = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"";
        let (s, ok, bindings) = b.send(&register(
            "c",
            1,
            &format!(
                "Contact: <sip:a@192.0.2.1;transport=tcp>;{inst};reg-id=1\r\nSupported: outbound, path\r\n\
Path: <sip:pcscf.example.com;lr;ob>\r\n"
            ),
        ));
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            bindings[0].instance.as_deref(),
            Some("urn:uuid:00000000-0000-1000-8000-000A95A0E128")
        );
        assert_eq!(bindings[0].reg_id, Some(1));
        assert_eq!(bindings[0].path, ["<sip:pcscf.example.com;lr;ob>"]);
        assert_eq!(
            ok.as_ref().get("Path").unwrap().value_str(),
            Some("<sip:pcscf.example.com;lr;ob>")
        );
        assert_eq!(
            ok.as_ref().get("Require").unwrap().value_str(),
            Some("outbound")
        );
        // The same instance and reg-id from a new address replaces the
        // binding (RFC 5626 §6), it does not add one.
        let (_, _, bindings) = b.send(&register(
            "c",
            2,
            &format!("Contact: <sip:a@198.51.100.7:5070;transport=tcp>;{inst};reg-id=1\r\n"),
        ));
        assert_eq!(bindings.len(), 1);
        assert_eq!(
            bindings[0].contact.name_addr.uri.to_string(),
            "sip:a@198.51.100.7:5070;transport=tcp"
        );
    }

    #[test]
    fn digest_challenge_then_accept_and_only_ones_own_aor() {
        use crate::auth::digest::{DigestClient, ServerConfig, ha1};
        let now = Instant::now();
        let mut b = Bench::new();
        b.registrar = Registrar::new(RegistrarConfig::default()).with_digest(
            DigestServer::new(ServerConfig::new("example.com"), [9; 32], now),
            |user, alg| {
                matches!(user, "alice" | "bob").then(|| ha1(alg, user, "example.com", b"pw"))
            },
        );
        let first = register("c", 1, "Contact: <sip:a@192.0.2.1>\r\n");
        let (s, challenge, _) = b.send(&first);
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(challenge.as_ref().get("WWW-Authenticate").is_some());
        assert!(b.location.is_empty());
        let mut client = DigestClient::new("alice", b"pw");
        let retry = client
            .retry(
                &first.as_ref(),
                &challenge.as_ref(),
                &mut crate::random::SeededRandom::new(1),
            )
            .unwrap();
        let (s, ok, bindings) = b.send(&retry);
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bindings.len(), 1);
        assert!(ok.as_ref().get("Authentication-Info").is_some());
        // Bob's credentials do not register alice.
        let mut bob = DigestClient::new("bob", b"pw");
        let (_, challenge, _) = b.send(&register("e", 1, "Contact: <sip:b@192.0.2.1>\r\n"));
        let as_bob = bob
            .retry(
                &register("e", 1, "Contact: <sip:b@192.0.2.1>\r\n").as_ref(),
                &challenge.as_ref(),
                &mut crate::random::SeededRandom::new(2),
            )
            .unwrap();
        assert_eq!(b.send(&as_bob).0, StatusCode::FORBIDDEN);
    }

    #[test]
    fn no_address_of_record_is_404() {
        let mut b = Bench::new();
        let text = std::str::from_utf8(register("c", 1, "").bytes())
            .unwrap()
            .replace("To: <sip:alice@example.com>", "To: <urn:service:sos>");
        let m = Message::parse(bytes::Bytes::from(text)).unwrap();
        assert_eq!(b.send(&m).0, StatusCode::NOT_FOUND);
    }
}
