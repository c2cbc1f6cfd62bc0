//! The registration client (RFC 3261 §10.2, RFC 5626 options, TS 24.229
//! §5.1.1 for IMS): REGISTER, authentication with Digest or IMS AKA, the
//! 423 retry, refresh before expiry, de-registration.

use std::fmt;
use std::time::{Duration, Instant};

use crate::auth::aka::DigestAkaClient;
use crate::auth::digest::DigestClient;
use crate::endpoint::{ClientId, Flow};
use crate::header::{
    CSeq, CallId, Contact, Expires, MaxForwards, MinExpires, NameAddr, PAssociatedUri,
    ServiceRoute, To,
};
use crate::message::{Message, MessageRef, RequestBuilder};
use crate::method::Method;
use crate::status::StatusCode;
use crate::uri::Uri;

use super::{Purpose, TimerKey, UaError, UaEvent, UserAgent, via_for};

/// How a registration answers a 401 or 407.
#[derive(Debug)]
#[non_exhaustive]
pub enum Authenticator {
    /// Digest with a password (RFC 3261 §22, RFC 7616).
    Digest(Box<DigestClient>),
    /// IMS AKA with a USIM (RFC 3310, RFC 4169): answers with RES, or with
    /// AUTS when the USIM asks to resynchronise; CK and IK stay for the
    /// security association.
    Aka(Box<DigestAkaClient>),
}

impl Authenticator {
    /// Digest for `username` with `password`.
    pub fn digest(username: &str, password: &[u8]) -> Authenticator {
        Authenticator::Digest(Box::new(DigestClient::new(username, password)))
    }

    /// IMS AKA for the private identity `username` with `usim`.
    pub fn aka(username: &str, usim: crate::auth::aka::Usim) -> Authenticator {
        Authenticator::Aka(Box::new(DigestAkaClient::new(username, usim)))
    }
}

/// One registration to make: the address-of-record, the registrar, the
/// contacts and how long, over which flow.
#[derive(Debug)]
#[must_use]
pub struct Register {
    registrar: Uri<'static>,
    aor: Uri<'static>,
    contacts: Vec<Uri<'static>>,
    instance: Option<String>,
    reg_id: Option<u32>,
    expires: u32,
    flow: Flow,
    auth: Option<Authenticator>,
    headers: Vec<(String, String)>,
}

impl Register {
    /// Registers `aor` with `registrar` (the Request-URI, RFC 3261 §10.2:
    /// the domain, `sip:ims.example.net`), for 3600 s, with one contact at
    /// the flow's local address, sent on `flow`.
    pub fn new(registrar: Uri<'static>, aor: Uri<'static>, flow: Flow) -> Register {
        Register {
            registrar,
            aor,
            contacts: Vec::new(),
            instance: None,
            reg_id: None,
            expires: 3600,
            flow,
            auth: None,
            headers: Vec::new(),
        }
    }

    /// The expiry asked for, in seconds.
    pub fn expires(mut self, seconds: u32) -> Register {
        self.expires = seconds;
        self
    }

    /// A contact to bind (more than one may be given); without any, one at
    /// the flow's local address with the address-of-record's user.
    pub fn contact(mut self, uri: Uri<'static>) -> Register {
        self.contacts.push(uri);
        self
    }

    /// RFC 5626: `+sip.instance` (a URN such as
    /// `urn:uuid:00000000-0000-1000-8000-000A95A0E128`) and `reg-id` on the
    /// contacts, and `Supported: outbound`.
    pub fn outbound(mut self, instance: &str, reg_id: u32) -> Register {
        self.instance = Some(instance.to_owned());
        self.reg_id = Some(reg_id);
        self
    }

    /// Answers challenges with Digest or IMS AKA.
    pub fn auth(mut self, auth: Authenticator) -> Register {
        self.auth = Some(auth);
        self
    }

    /// An extra header (Supported: path, sec-agree; Security-Client; an
    /// initial Authorization with the private identity, TS 24.229
    /// §5.1.1.2).
    pub fn header(mut self, name: &str, value: &str) -> Register {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// One registration of a [`UserAgent`], valid until its
/// [`UaEvent::Unregistered`] or [`UaEvent::RegistrationFailed`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrationId {
    pub(super) index: u32,
    pub(super) generation: u32,
}

impl fmt::Debug for RegistrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "registration#{}.{}", self.index, self.generation)
    }
}

/// What the registrar granted and told, from the last 2xx.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binding {
    /// The expiry granted for this side's contact, in seconds.
    pub expires: u32,
    /// The Service-Route (RFC 3608), to preload as the Route of later
    /// requests, in order.
    pub service_route: Vec<String>,
    /// The P-Associated-URI (RFC 7315): the identities registered with
    /// this one, the default public identity first.
    pub associated_uris: Vec<String>,
    /// Every contact the registrar lists for the address-of-record.
    pub contacts: Vec<String>,
}

/// The state of one registration.
#[derive(Debug)]
pub(super) struct Registration {
    pub(super) generation: u32,
    pub(super) spec: Register,
    pub(super) call_id: String,
    pub(super) from_tag: String,
    pub(super) seq: u32,
    /// The REGISTER in flight (its transaction) and whether it removes the
    /// binding.
    pub(super) pending: Option<(ClientId, Message, bool)>,
    /// Consecutive challenges answered without a final success.
    pub(super) challenges: u8,
    pub(super) binding: Option<Binding>,
    pub(super) refresh_at: Option<Instant>,
    pub(super) removing: bool,
}

/// Consecutive challenges answered before giving up (a resynchronisation
/// takes two).
const MAX_CHALLENGES: u8 = 4;

impl UserAgent {
    /// Starts a registration: sends the REGISTER (with a Call-ID kept for
    /// every refresh, RFC 3261 §10.2.4), answers challenges, retries a 423
    /// with the Min-Expires, refreshes before the granted expiry and
    /// reports [`UaEvent::Registered`] after each 2xx.
    ///
    /// # Errors
    /// [`UaError::Build`] when an extra header is malformed, or the
    /// endpoint's refusal.
    pub fn register(&mut self, now: Instant, spec: Register) -> Result<RegistrationId, UaError> {
        let generation = self.generation();
        let call_id = CallId::random(&mut self.rng, None).as_str().to_owned();
        let from_tag = crate::random::tag(&mut self.rng);
        let reg = Registration {
            generation,
            spec,
            call_id,
            from_tag,
            seq: 0,
            pending: None,
            challenges: 0,
            binding: None,
            refresh_at: None,
            removing: false,
        };
        let index = match self.free_registrations.pop() {
            Some(i) => {
                self.registrations[i as usize] = Some(reg);
                i
            }
            None => {
                self.registrations.push(Some(reg));
                (self.registrations.len() - 1) as u32
            }
        };
        let id = RegistrationId { index, generation };
        if let Err(e) = self.send_register(now, id, false) {
            self.registrations[index as usize] = None;
            self.free_registrations.push(index);
            return Err(e);
        }
        Ok(id)
    }

    /// Removes the registration's bindings (REGISTER with Expires 0); the
    /// registration ends with [`UaEvent::Unregistered`].
    ///
    /// # Errors
    /// [`UaError::UnknownSession`] for an unknown registration.
    pub fn unregister(&mut self, now: Instant, id: RegistrationId) -> Result<(), UaError> {
        let reg = self.registration_mut(id).ok_or(UaError::UnknownSession)?;
        reg.removing = true;
        reg.refresh_at = None;
        reg.challenges = 0;
        self.send_register(now, id, true)
    }

    /// What the registrar granted, after the first 2xx.
    pub fn binding(&self, id: RegistrationId) -> Option<&Binding> {
        self.registration(id)?.binding.as_ref()
    }

    /// The registration's IMS AKA client (CK and IK of the last challenge,
    /// for the security association), when it authenticates with AKA.
    pub fn aka(&self, id: RegistrationId) -> Option<&DigestAkaClient> {
        match self.registration(id)?.spec.auth.as_ref()? {
            Authenticator::Aka(a) => Some(a),
            Authenticator::Digest(_) => None,
        }
    }

    fn registration(&self, id: RegistrationId) -> Option<&Registration> {
        self.registrations
            .get(id.index as usize)?
            .as_ref()
            .filter(|r| r.generation == id.generation)
    }

    fn registration_mut(&mut self, id: RegistrationId) -> Option<&mut Registration> {
        self.registrations
            .get_mut(id.index as usize)?
            .as_mut()
            .filter(|r| r.generation == id.generation)
    }

    /// The registration and the generator, borrowed together.
    fn registration_rng(
        &mut self,
        id: RegistrationId,
    ) -> Option<(&mut Registration, &mut crate::random::Generator)> {
        let reg = self
            .registrations
            .get_mut(id.index as usize)?
            .as_mut()
            .filter(|r| r.generation == id.generation)?;
        Some((reg, &mut self.rng))
    }

    fn forget_registration(&mut self, id: RegistrationId) {
        if self.registration(id).is_some() {
            self.registrations[id.index as usize] = None;
            self.free_registrations.push(id.index);
        }
    }

    /// Builds and sends a REGISTER with the next CSeq number.
    fn send_register(
        &mut self,
        now: Instant,
        id: RegistrationId,
        remove: bool,
    ) -> Result<(), UaError> {
        let user_agent = self.config.user_agent.clone();
        let (reg, rng) = self.registration_rng(id).ok_or(UaError::UnknownSession)?;
        let via = via_for(&reg.spec.flow, rng);
        reg.seq += 1;
        let spec = &reg.spec;
        let mut from = crate::header::From::new(NameAddr::new(spec.aor.clone()));
        let _ = from.set_tag(&reg.from_tag);
        let expires = if remove { 0 } else { spec.expires };
        let mut b = RequestBuilder::new(Method::Register, &spec.registrar)
            .header(&via)
            .header(&MaxForwards(70))
            .header(&from)
            .header(&To::new(NameAddr::new(spec.aor.clone())))
            .header(&CallId::new(reg.call_id.as_str()).ok_or(UaError::State("bad Call-ID"))?)
            .header(&CSeq {
                seq: reg.seq,
                method: Method::Register,
            });
        for contact in contact_values(spec) {
            b = b.raw_header("Contact", &contact);
        }
        b = b.header(&Expires(expires));
        if spec.reg_id.is_some() {
            b = b.raw_header("Supported", "outbound, path");
        }
        if let Some(ua) = &user_agent {
            b = b.raw_header("User-Agent", ua);
        }
        for (name, value) in &spec.headers {
            b = b.raw_header(name, value);
        }
        let request = b.build()?;
        let flow = spec.flow;
        self.send_register_message(now, id, request, remove, flow)
    }

    fn send_register_message(
        &mut self,
        now: Instant,
        id: RegistrationId,
        request: Message,
        remove: bool,
        flow: Flow,
    ) -> Result<(), UaError> {
        let client = self.endpoint.send_request(now, request.clone(), flow)?;
        self.clients
            .insert(client, (None, Purpose::Register(id.index, id.generation)));
        if let Some(reg) = self.registration_mut(id) {
            if let Ok(seq) = request.as_ref().cseq() {
                reg.seq = seq.seq;
            }
            reg.pending = Some((client, request, remove));
        }
        Ok(())
    }

    /// A final response to a REGISTER (or the 408 of its timeout).
    pub(super) fn on_register_response(
        &mut self,
        now: Instant,
        id: RegistrationId,
        client: ClientId,
        response: &Message,
    ) {
        let Some((reg, rng)) = self.registration_rng(id) else {
            return;
        };
        let Some((pending, request, remove)) = reg.pending.take() else {
            return;
        };
        if pending != client {
            reg.pending = Some((pending, request, remove));
            return;
        }
        let msg = response.as_ref();
        let Some(status) = msg.status() else {
            return;
        };
        if status.is_success() {
            reg.challenges = 0;
            if let Some(Authenticator::Digest(d)) = &mut reg.spec.auth {
                d.accepted();
            }
            if remove {
                self.forget_registration(id);
                self.events
                    .push_back(UaEvent::Unregistered { registration: id });
                return;
            }
            let binding = binding_of(&msg, &reg.spec, &request.as_ref());
            let granted = binding.expires;
            reg.refresh_at = (granted > 0).then(|| now + refresh_after(granted));
            reg.binding = Some(binding.clone());
            if granted == 0 {
                // The registrar removed the binding.
                self.forget_registration(id);
                self.events
                    .push_back(UaEvent::Unregistered { registration: id });
                return;
            }
            self.timers.push(std::cmp::Reverse((
                now + refresh_after(granted),
                TimerKey::Registration(id.index),
            )));
            self.events.push_back(UaEvent::Registered {
                registration: id,
                binding,
            });
            return;
        }
        let retry = match status.as_u16() {
            401 | 407 if reg.challenges < MAX_CHALLENGES => {
                reg.challenges += 1;
                let (req, resp) = (request.as_ref(), response.as_ref());
                match &mut reg.spec.auth {
                    Some(Authenticator::Digest(d)) => d.retry(&req, &resp, rng).ok(),
                    Some(Authenticator::Aka(a)) => a.retry(&req, &resp, rng).ok(),
                    None => None,
                }
            }
            // §10.2.8: ask for at least the Min-Expires.
            423 if !remove => match msg.header::<MinExpires>() {
                Some(Ok(MinExpires(min))) if min > reg.spec.expires => {
                    reg.spec.expires = min;
                    let mut edit = match request.as_ref().reissue(rng) {
                        Ok(e) => e,
                        Err(_) => return self.registration_failed(id, status),
                    };
                    edit.replace("Expires", &min.to_string());
                    edit.finish().ok()
                }
                _ => None,
            },
            _ => None,
        };
        match retry {
            Some(again) => {
                let flow = reg.spec.flow;
                if self
                    .send_register_message(now, id, again, remove, flow)
                    .is_err()
                {
                    self.registration_failed(id, status);
                }
            }
            None => self.registration_failed(id, status),
        }
    }

    fn registration_failed(&mut self, id: RegistrationId, status: StatusCode) {
        self.forget_registration(id);
        self.events.push_back(UaEvent::RegistrationFailed {
            registration: id,
            status,
        });
    }

    /// A REGISTER's transaction ended without a final response.
    pub(super) fn on_register_timeout(&mut self, id: RegistrationId, client: ClientId) {
        if self
            .registration(id)
            .and_then(|r| r.pending.as_ref())
            .is_some_and(|(c, _, _)| *c == client)
        {
            self.registration_failed(id, StatusCode::REQUEST_TIMEOUT);
        }
    }

    /// The refresh timer of registration number `index`.
    pub(super) fn on_registration_timer(&mut self, now: Instant, index: u32) {
        let Some(Some(reg)) = self.registrations.get(index as usize) else {
            return;
        };
        let id = RegistrationId {
            index,
            generation: reg.generation,
        };
        if reg.pending.is_some() || reg.removing || reg.refresh_at.is_none_or(|at| at > now) {
            return;
        }
        let reg = self.registration_mut(id).expect("found above");
        reg.refresh_at = None;
        reg.challenges = 0;
        if let Err(_e) = self.send_register(now, id, false) {
            self.registration_failed(id, StatusCode::SERVICE_UNAVAILABLE);
        }
    }

    /// When registration number `index` wants its timer.
    pub(super) fn registration_wake(&self, index: u32) -> Option<Instant> {
        self.registrations.get(index as usize)?.as_ref()?.refresh_at
    }
}

/// When to refresh a binding granted for `granted` seconds: halfway for
/// short ones, ten minutes before the end for long ones (TS 24.229
/// §5.1.1.4.1: 600 s before for more than 1200 s, else half).
fn refresh_after(granted: u32) -> Duration {
    let seconds = if granted > 1200 {
        granted - 600
    } else {
        granted / 2
    };
    Duration::from_secs(u64::from(seconds.max(1)))
}

/// The Contact values of the REGISTER.
fn contact_values(spec: &Register) -> Vec<String> {
    let mut uris = spec.contacts.clone();
    if uris.is_empty() {
        let mut uri = crate::uri::SipUri::from(spec.flow.local);
        if let Some(user) = spec.aor.as_sip().and_then(|s| s.user()) {
            uri = uri.with_user(user);
        }
        if spec.flow.transport != crate::transport::Transport::Udp {
            let _ = uri
                .params_mut()
                .set("transport", Some(spec.flow.transport.as_str()));
        }
        uris.push(Uri::from(uri));
    }
    uris.iter()
        .map(|u| {
            let mut value = format!("<{u}>");
            if let Some(instance) = &spec.instance {
                value.push_str(&format!(";+sip.instance=\"<{instance}>\""));
            }
            if let Some(reg_id) = spec.reg_id {
                value.push_str(&format!(";reg-id={reg_id}"));
            }
            value
        })
        .collect()
}

/// What a 2xx to `request` grants (RFC 3261 §10.2.4): the expiry of this
/// side's contact (its `expires` parameter in the 2xx, else the Expires
/// header, else what was asked; the longest when several contacts are
/// ours), the Service-Route, P-Associated-URI and
/// every listed contact.
fn binding_of(response: &MessageRef<'_>, spec: &Register, request: &MessageRef<'_>) -> Binding {
    let mine: Vec<Uri<'static>> = request
        .header_all::<Contact<'_>>()
        .filter_map(|c| match c {
            Ok(Contact::Address(a)) => Some(a.name_addr.uri.into_owned()),
            _ => None,
        })
        .collect();
    let header_expires = response
        .header::<Expires>()
        .and_then(Result::ok)
        .map(|e| e.0);
    let mut expires = None;
    let mut contacts = Vec::new();
    for contact in response.header_all::<Contact<'_>>() {
        let Ok(Contact::Address(a)) = contact else {
            continue;
        };
        contacts.push(a.name_addr.uri.to_string());
        // A contact of ours without an expiry of its own, in a 2xx without
        // an Expires header, is taken as granted what was asked.
        if mine.iter().any(|m| m.equivalent(&a.name_addr.uri))
            && let Some(e) = a.expires().or(header_expires)
        {
            expires = Some(expires.map_or(e, |x: u32| x.max(e)));
        }
    }
    let asked = request
        .header::<Expires>()
        .and_then(Result::ok)
        .map_or(spec.expires, |e| e.0);
    Binding {
        expires: expires.or(header_expires).unwrap_or(asked),
        service_route: response
            .header_all::<ServiceRoute<'_>>()
            .filter_map(Result::ok)
            .map(|r| r.to_string())
            .collect(),
        associated_uris: response
            .header_all::<PAssociatedUri<'_>>()
            .filter_map(Result::ok)
            .map(|r| r.uri().to_string())
            .collect(),
        contacts,
    }
}
