//! The stateful proxy (RFC 3261 §16): a response context per request,
//! parallel and sequential forking, best-response selection, CANCEL, Timer
//! C, and the requests it forwards by route on its own (ACK for a 2xx,
//! requests within a dialog).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::endpoint::{
    ClientId, Endpoint, EndpointConfig, Event, Flow, ServerId, TransactionId, Transmit,
};
use crate::header::{Contact, HeaderName, QValue};
use crate::message::{Editor, Message, ValidationPolicy};
use crate::method::Method;
use crate::status::StatusCode;
use crate::transport::Transport;
use crate::uri::Uri;

use super::{ProxyIdentity, check, forward_between, next_hop, upstream_flow};
use crate::auth::digest::{Algorithm, Challenger, DigestServer, Ha1, Verified};
use crate::random::Generator;

/// How a proxy behaves.
#[derive(Clone, Debug)]
pub struct ProxyConfig {
    /// The endpoint underneath.
    pub endpoint: EndpointConfig,
    /// What names the proxy.
    pub identity: ProxyIdentity,
    /// Whether it record-routes dialog-creating requests (it stays on the
    /// path of the dialog).
    pub record_route: bool,
    /// Timer C (§16.6 step 11): how long an INVITE branch may stay without
    /// a final response; more than 3 minutes.
    pub timer_c: Duration,
    /// The Proxy-Require option tags it supports.
    pub supported: Vec<String>,
    /// Whether the caller may recurse on redirects (§16.7 step 4): a 3xx
    /// with contacts is reported as [`ProxyEvent::Redirect`] and its
    /// contacts join the target set when the caller forwards to them.
    /// Off: a 3xx is a final response like any other, sent upstream when
    /// it is the best.
    pub recurse: bool,
}

impl ProxyConfig {
    /// A record-routing proxy with the default timers.
    pub fn new(identity: ProxyIdentity) -> ProxyConfig {
        ProxyConfig {
            endpoint: EndpointConfig::default(),
            identity,
            record_route: true,
            timer_c: Duration::from_secs(181),
            supported: Vec::new(),
            recurse: false,
        }
    }
}

/// Where to send one branch of a request.
#[derive(Clone, Debug)]
pub struct Target {
    /// The new Request-URI (a contact of the address-of-record).
    pub uri: Uri<'static>,
    /// The flow to send it on (resolved: RFC 3263 is the caller's).
    pub flow: Flow,
    /// The preference: sequential forking tries the highest first.
    pub q: QValue,
}

impl Target {
    /// A target at the address in `uri` (an IP address; the port or 5060)
    /// over `transport` from `local`, preference 1.
    pub fn direct(uri: Uri<'static>, transport: Transport, local: SocketAddr) -> Option<Target> {
        let flow = Flow::direct(&uri, transport, local)?;
        Some(Target {
            uri,
            flow,
            q: QValue::ONE,
        })
    }
}

/// How the branches of a request go out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forking {
    /// All at once (§16.6).
    Parallel,
    /// Highest q first, the next group when the previous failed (§16.6,
    /// RFC 3261 §16.7 step 2 ordering by q-value).
    Sequential,
}

/// A request waiting for the caller's routing decision.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct RequestId(ServerId);

/// What a [`Proxy`] reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProxyEvent {
    /// A request that passed the §16.3 checks and needs a target: answer
    /// with [`Proxy::forward`] (after a location lookup) or
    /// [`Proxy::respond`] (a registrar's 200, a 404). The message is as
    /// received.
    Request {
        /// The request.
        id: RequestId,
        /// The message.
        request: Message,
        /// The flow it came in on.
        origin: Flow,
        /// Where it goes next without a routing decision, when that is
        /// known: the first Route value that is not this proxy's (a request
        /// of a record-routed dialog, a preloaded route), else, for a
        /// request within a dialog (To tag), its Request-URI (the remote
        /// target). The caller may just follow it with
        /// [`Proxy::forward_route`].
        next_hop: Option<Box<Uri<'static>>>,
    },
    /// An ACK (for a 2xx) whose next hop the proxy cannot tell: no Route
    /// left and this proxy in the Request-URI (a client that ignores the
    /// route set). Send it on with [`Proxy::forward_stateless`] after the
    /// same lookup as its INVITE's, or drop it.
    Ack {
        /// The ACK.
        request: Message,
        /// The flow it came in on.
        origin: Flow,
    },
    /// A branch was redirected (a 3xx with contacts, when
    /// [`ProxyConfig::recurse`] is on): answer with [`Proxy::forward`] to
    /// the contacts (resolved, and any the caller allows; contacts already
    /// tried are left out, §16.7 step 4), or with no targets to keep the
    /// 3xx as a candidate for the response upstream. The request waits for
    /// that answer, unless a CANCEL, a 2xx or a 6xx ends the forking first
    /// (the 3xx is then a candidate, and the answer is ignored).
    Redirect {
        /// The request.
        id: RequestId,
        /// The contacts of the 3xx with their preference.
        contacts: Vec<(Uri<'static>, QValue)>,
        /// The 3xx.
        response: Message,
    },
    /// A request ended here with a final response sent upstream.
    Completed {
        /// The request's method.
        method: String,
        /// The Request-URI as received.
        uri: String,
        /// The status sent upstream.
        status: StatusCode,
    },
}

/// A branch of a response context.
#[derive(Debug)]
struct Branch {
    target: Target,
    client: Option<ClientId>,
    provisional: bool,
    final_status: Option<StatusCode>,
    timer_c: Option<Instant>,
    cancel_pending: bool,
}

/// The response context of one request (§16.7).
#[derive(Debug)]
struct Context {
    server: ServerId,
    request: Message,
    /// The flow the request came in on.
    origin: Flow,
    is_invite: bool,
    branches: Vec<Branch>,
    /// Groups still to start (sequential forking), highest q first.
    waiting: VecDeque<Vec<Target>>,
    best: Option<Message>,
    /// The 401/407 challenges gathered from every branch.
    challenges: Vec<(HeaderName, String)>,
    /// The 3xx responses reported as [`ProxyEvent::Redirect`] and not yet
    /// answered, oldest first.
    redirects: VecDeque<Message>,
    /// Every URI forwarded to (the target set, §16.5).
    tried: Vec<Uri<'static>>,
    final_sent: bool,
    cancelled: bool,
    /// A 6xx ended the forking (§16.7 step 5): no more branches.
    declined: bool,
}

/// The stateful proxy core. Feed it like the endpoint; it reports requests
/// to route as [`ProxyEvent::Request`].
#[derive(Debug)]
pub struct Proxy {
    endpoint: Endpoint,
    config: ProxyConfig,
    contexts: HashMap<ServerId, Context>,
    clients: HashMap<ClientId, ServerId>,
    timers: BinaryHeap<Reverse<(Instant, ServerId)>>,
    events: VecDeque<ProxyEvent>,
    forwards: u32,
    rng: Generator,
}

impl Proxy {
    /// A proxy with its own endpoint.
    pub fn new(config: ProxyConfig) -> Proxy {
        let rng = Generator::from_seed(config.endpoint.seed.map(|s| s ^ 0x5052_4f58));
        Proxy {
            endpoint: Endpoint::new(config.endpoint.clone()),
            config,
            contexts: HashMap::new(),
            clients: HashMap::new(),
            timers: BinaryHeap::new(),
            events: VecDeque::new(),
            forwards: 0,
            rng,
        }
    }

    /// The endpoint underneath.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How many requests wait for responses.
    pub fn contexts(&self) -> usize {
        self.contexts.len()
    }

    /// A message arrived on `flow`.
    pub fn handle_input(&mut self, now: Instant, flow: Flow, data: bytes::Bytes) {
        self.endpoint.handle_input(now, flow, data);
        self.pump(now);
    }

    /// Time passed: the endpoint's timers and Timer C.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.endpoint.handle_timeout(now);
        self.pump(now);
        while let Some(Reverse((at, server))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            self.timer_c(now, server);
            self.pump(now);
        }
    }

    /// The next message to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.endpoint.poll_transmit()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<ProxyEvent> {
        self.events.pop_front()
    }

    /// When to call [`Proxy::handle_timeout`] next.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        while let Some(Reverse((_, s))) = self.timers.peek() {
            if self.contexts.contains_key(s) {
                break;
            }
            self.timers.pop();
        }
        let mine = self.timers.peek().map(|Reverse((at, _))| *at);
        [self.endpoint.poll_timeout(), mine]
            .into_iter()
            .flatten()
            .min()
    }

    /// Answers a routed request itself (a registrar's answer, 404, 403...).
    ///
    /// # Errors
    /// The endpoint's refusal.
    pub fn respond(
        &mut self,
        now: Instant,
        id: RequestId,
        response: Message,
    ) -> Result<(), crate::endpoint::RespondError> {
        let status = response.as_ref().status();
        if let Some(status) = status.filter(|s| s.is_final())
            && let Some(ctx) = self.drop_context(id.0)
        {
            self.completed(&ctx.request, status);
        }
        self.endpoint.respond(now, id.0, response)
    }

    /// Removes the response context of `server` and its branches' client
    /// transactions from the table.
    fn drop_context(&mut self, server: ServerId) -> Option<Context> {
        let ctx = self.contexts.remove(&server)?;
        for b in &ctx.branches {
            if let Some(c) = b.client {
                self.clients.remove(&c);
            }
        }
        Some(ctx)
    }

    /// The Proxy-Authorization hook (RFC 3261 §16.3 item 6, §22.3): checks
    /// the credentials a routed request carries for `server`'s realm, with
    /// `ha1_for(username, algorithm)` giving the user's H(A1) (`None`: an
    /// unknown user). Valid: the [`Verified`] user, for the caller's
    /// authorization (may this user call there?) before it forwards.
    /// Otherwise the proxy answers itself, as the auth module says: 407
    /// with fresh Proxy-Authenticate challenges (stale when the nonce
    /// expired), 403 for wrong credentials, 400 for malformed ones, and
    /// the request is done (`None`).
    ///
    /// Which requests to authenticate is the caller's choice (commonly
    /// initial requests from the proxy's own users; never ACK or CANCEL,
    /// which cannot be challenged).
    pub fn authenticate(
        &mut self,
        now: Instant,
        id: RequestId,
        server: &mut DigestServer,
        ha1_for: impl FnOnce(&str, Algorithm) -> Option<Ha1>,
    ) -> Option<Verified> {
        let request = self.contexts.get(&id.0)?.request.clone();
        let msg = request.as_ref();
        match server.verify_request(now, &msg, Challenger::Proxy, ha1_for) {
            Ok(v) => Some(v),
            Err(e) => {
                let answer = server
                    .rejection(now, &msg, Challenger::Proxy, &e, &mut self.rng)
                    .and_then(|b| b.build());
                match answer {
                    Ok(r) => {
                        let _ = self.respond(now, id, r);
                    }
                    Err(_) => {
                        let _ = self.final_response(now, id.0, StatusCode::BAD_REQUEST);
                    }
                }
                None
            }
        }
    }

    /// Answers a routed non-INVITE request with a final response and
    /// forgets it at once ([`Endpoint::respond_stateless`], RFC 3261
    /// §8.2.7): for answers that may be repeated and should hold no state
    /// for 32 s, such as a registrar's 401 challenge to a REGISTER without
    /// credentials or a 404. A retransmission is reported again.
    ///
    /// # Errors
    /// The endpoint's refusal (an INVITE, a provisional response).
    pub fn respond_stateless(
        &mut self,
        now: Instant,
        id: RequestId,
        response: Message,
    ) -> Result<(), crate::endpoint::RespondError> {
        let status = response.as_ref().status();
        self.endpoint.respond_stateless(now, id.0, response)?;
        // The endpoint took it: a final response.
        if let (Some(status), Some(ctx)) = (status, self.drop_context(id.0)) {
            self.completed(&ctx.request, status);
        }
        self.pump(now);
        Ok(())
    }

    fn completed(&mut self, request: &Message, status: StatusCode) {
        let m = request.as_ref();
        self.events.push_back(ProxyEvent::Completed {
            method: m.method_text().unwrap_or("").to_owned(),
            uri: m.request_uri_str().unwrap_or("").to_owned(),
            status,
        });
    }

    /// Forwards a routed request to `targets` (§16.6): all at once or
    /// highest q first. An empty target set is answered 480.
    ///
    /// The answer to the oldest [`ProxyEvent::Redirect`] too: the targets
    /// not tried yet join the target set and start at once (in `forking`
    /// order among themselves), and the 3xx is dropped when they cover all
    /// its contacts; otherwise (none, or some) the 3xx stays a candidate
    /// for the best response.
    pub fn forward(&mut self, now: Instant, id: RequestId, targets: Vec<Target>, forking: Forking) {
        let Some(ctx) = self.contexts.get_mut(&id.0) else {
            return;
        };
        let mut targets = targets;
        let closed = ctx.final_sent || ctx.cancelled || ctx.declined;
        if let Some(redirect) = ctx.redirects.pop_front() {
            targets.retain(|t| !ctx.tried.iter().any(|u| u.equivalent(&t.uri)));
            // §16.7 step 4: a 3xx stays a candidate unless every one of
            // its contacts is followed.
            let all = !targets.is_empty()
                && redirect
                    .as_ref()
                    .header_all::<Contact<'_>>()
                    .all(|c| match c {
                        Ok(Contact::Address(a)) => targets
                            .iter()
                            .map(|t| &t.uri)
                            .chain(ctx.tried.iter())
                            .any(|u| u.equivalent(&a.name_addr.uri)),
                        _ => true,
                    });
            if closed || !all {
                self.consider(id.0, redirect);
            }
            if closed || targets.is_empty() {
                self.maybe_finish(now, id.0);
                return;
            }
        } else if closed {
            // Too late for more branches.
            return;
        } else if targets.is_empty() {
            let _ = self.final_response(now, id.0, StatusCode::TEMPORARILY_UNAVAILABLE);
            return;
        }
        let Some(ctx) = self.contexts.get_mut(&id.0) else {
            return;
        };
        match forking {
            Forking::Parallel => ctx.waiting.push_front(targets),
            Forking::Sequential => {
                targets.sort_by_key(|t| Reverse(t.q));
                let mut groups: Vec<Vec<Target>> = Vec::new();
                for t in targets {
                    match groups.last_mut() {
                        Some(g) if g.last().is_some_and(|l| l.q == t.q) => g.push(t),
                        _ => groups.push(vec![t]),
                    }
                }
                // Ahead of any group still waiting (a redirect's contacts
                // take the place of the branch that redirected).
                for g in groups.into_iter().rev() {
                    ctx.waiting.push_front(g);
                }
            }
        }
        self.next_group(now, id.0);
    }

    /// Forwards a request by its Route set (§16.4–16.6 without
    /// retargeting): to `next_hop` of its [`ProxyEvent::Request`], when that
    /// is an IP address. `false` when it is not (resolve it and use
    /// [`Proxy::forward`]).
    pub fn forward_route(
        &mut self,
        now: Instant,
        id: RequestId,
        next_hop: &Uri<'_>,
        origin: Flow,
    ) -> bool {
        let Some(flow) = Flow::direct(next_hop, origin.transport, origin.local) else {
            return false;
        };
        let Some(ctx) = self.contexts.get_mut(&id.0) else {
            return false;
        };
        // Keep the Request-URI: a Target of the same URI.
        let uri = ctx
            .request
            .as_ref()
            .request_uri()
            .and_then(Result::ok)
            .map(Uri::into_owned);
        let Some(uri) = uri else { return false };
        let target = Target {
            uri,
            flow,
            q: QValue::ONE,
        };
        ctx.waiting.push_back(vec![target]);
        self.start_route_branch(now, id.0);
        true
    }

    fn start_route_branch(&mut self, now: Instant, server: ServerId) {
        self.start_group(now, server, false);
    }

    fn next_group(&mut self, now: Instant, server: ServerId) {
        self.start_group(now, server, true);
    }

    /// Starts the next group of targets; `retarget` puts each target's URI
    /// in the Request-URI.
    fn start_group(&mut self, now: Instant, server: ServerId, retarget: bool) {
        let Some(ctx) = self.contexts.get_mut(&server) else {
            return;
        };
        let Some(group) = ctx.waiting.pop_front() else {
            return;
        };
        let record_route = self.config.record_route
            && ctx.request.as_ref().to_tag().ok().flatten().is_none()
            && matches!(
                ctx.request.as_ref().method(),
                Some(Method::Invite | Method::Subscribe | Method::Refer)
            );
        for target in group {
            self.forwards = self.forwards.wrapping_add(1);
            let n = self.forwards;
            let ctx = self.contexts.get_mut(&server).expect("found above");
            ctx.tried.push(target.uri.clone());
            let uri = retarget.then_some(&target.uri);
            let out = forward_between(
                &ctx.request.as_ref(),
                &self.config.identity,
                uri,
                record_route,
                &ctx.origin,
                &target.flow,
                n,
            );
            let mut branch = Branch {
                target,
                client: None,
                provisional: false,
                final_status: None,
                timer_c: None,
                cancel_pending: false,
            };
            match out.map(|m| self.endpoint.send_request(now, m, branch.target.flow)) {
                Ok(Ok(client)) => {
                    branch.client = Some(client);
                    self.clients.insert(client, server);
                    if ctx.is_invite {
                        let at = now + self.config.timer_c;
                        branch.timer_c = Some(at);
                        self.timers.push(Reverse((at, server)));
                    }
                }
                // A branch that cannot be sent fails at once (§16.9: 503
                // for a transport failure).
                _ => branch.final_status = Some(StatusCode::SERVICE_UNAVAILABLE),
            }
            let ctx = self.contexts.get_mut(&server).expect("found above");
            ctx.branches.push(branch);
        }
        self.maybe_finish(now, server);
    }

    /// Sends `status` upstream for the request (a response the proxy makes).
    fn final_response(&mut self, now: Instant, server: ServerId, status: StatusCode) -> Option<()> {
        let ctx = self.drop_context(server)?;
        let response = ctx.request.as_ref().response(status).ok()?.build().ok()?;
        let _ = self.endpoint.respond(now, server, response);
        self.completed(&ctx.request, status);
        Some(())
    }

    /// Handles everything the endpoint reported.
    fn pump(&mut self, now: Instant) {
        while let Some(event) = self.endpoint.poll_event() {
            match event {
                Event::Request {
                    transaction,
                    request,
                    origin,
                } => self.on_request(now, transaction, request, origin),
                Event::Response {
                    transaction,
                    response,
                    ..
                } => self.on_response(now, transaction, response),
                Event::Ack {
                    request, origin, ..
                } => self.on_ack(request, origin),
                Event::Cancelled { transaction, .. } => self.on_cancelled(now, transaction),
                Event::StrayResponse { response, origin } => self.on_stray(response, origin),
                Event::Terminated {
                    transaction,
                    reason,
                } => self.on_terminated(now, transaction, reason),
            }
        }
    }

    fn on_request(&mut self, now: Instant, server: ServerId, request: Message, origin: Flow) {
        let msg = request.as_ref();
        // A CANCEL that matched no INVITE here: forward it statelessly
        // (§16.10) along its Route or Request-URI.
        if msg.method() == Some(Method::Cancel) {
            if let Ok(b) = msg.response(StatusCode::CALL_OR_TRANSACTION_DOES_NOT_EXIST)
                && let Ok(r) = b.build()
            {
                let _ = self.endpoint.respond(now, server, r);
            }
            return;
        }
        let supported: Vec<&str> = self.config.supported.iter().map(String::as_str).collect();
        let policy = ValidationPolicy::proxy(&supported);
        if let Err(refusal) = check(&msg, &self.config.identity, &policy) {
            if let Ok(r) = refusal.response.build() {
                let _ = self.endpoint.respond(now, server, r);
            }
            self.completed(&request, refusal.status);
            return;
        }
        let next_hop = next_hop(&msg, &self.config.identity).map(Box::new);
        let is_invite = msg.method() == Some(Method::Invite);
        self.contexts.insert(
            server,
            Context {
                server,
                request: request.clone(),
                origin,
                is_invite,
                branches: Vec::new(),
                waiting: VecDeque::new(),
                best: None,
                challenges: Vec::new(),
                redirects: VecDeque::new(),
                tried: Vec::new(),
                final_sent: false,
                cancelled: false,
                declined: false,
            },
        );
        self.events.push_back(ProxyEvent::Request {
            id: RequestId(server),
            request,
            origin,
            next_hop,
        });
    }

    fn branch_of(&mut self, client: ClientId) -> Option<(ServerId, usize)> {
        let server = *self.clients.get(&client)?;
        let ctx = self.contexts.get(&server)?;
        let i = ctx.branches.iter().position(|b| b.client == Some(client))?;
        Some((server, i))
    }

    fn on_response(&mut self, now: Instant, client: ClientId, response: Message) {
        let Some((server, i)) = self.branch_of(client) else {
            return;
        };
        let msg = response.as_ref();
        let Some(status) = msg.status() else {
            return;
        };
        let code = status.as_u16();
        let timer_c = self.config.timer_c;
        let ctx = self.contexts.get_mut(&server).expect("found");
        if code < 200 {
            let branch = &mut ctx.branches[i];
            branch.provisional = true;
            if branch.timer_c.is_some() {
                // §16.7 step 2: a provisional response resets Timer C.
                let at = now + timer_c;
                branch.timer_c = Some(at);
                self.timers.push(Reverse((at, server)));
            }
            let cancel = std::mem::take(&mut branch.cancel_pending);
            let final_sent = ctx.final_sent;
            if cancel {
                self.cancel_branch(now, client);
            }
            // 100 is not forwarded (§16.7 step 5).
            if code > 100 && !final_sent {
                self.send_upstream(now, server, &response);
            }
            return;
        }
        ctx.branches[i].final_status = Some(status);
        ctx.branches[i].timer_c = None;
        if status.is_success() {
            // Every 2xx goes upstream at once; the other branches are
            // cancelled (§16.7 step 5, §16.7 step 10).
            self.send_upstream(now, server, &response);
            let ctx = self.contexts.get_mut(&server).expect("found");
            ctx.final_sent = true;
            self.settle_redirects(server);
            self.cancel_pending_branches(now, server);
            self.completed_once(server, status);
            self.maybe_finish(now, server);
            return;
        }
        if status.class() == 3 && self.config.recurse && !ctx.final_sent && !ctx.cancelled {
            let contacts: Vec<(Uri<'static>, QValue)> = msg
                .header_all::<Contact<'_>>()
                .filter_map(|c| match c {
                    Ok(Contact::Address(a)) => {
                        let q = a.q().unwrap_or(QValue::ONE);
                        Some((a.name_addr.uri.into_owned(), q))
                    }
                    _ => None,
                })
                .collect();
            if !contacts.is_empty() {
                ctx.redirects.push_back(response.clone());
                self.events.push_back(ProxyEvent::Redirect {
                    id: RequestId(server),
                    contacts,
                    response,
                });
                return;
            }
        }
        self.consider(server, response);
        if status.class() == 6 {
            // §16.7 step 5: a 6xx ends the forking; redirects waiting for
            // the caller's answer are only candidates now.
            let ctx = self.contexts.get_mut(&server).expect("found");
            ctx.declined = true;
            self.settle_redirects(server);
            self.cancel_pending_branches(now, server);
        }
        self.maybe_finish(now, server);
    }

    /// The redirects still waiting for the caller's answer become
    /// candidates for the best response: the request takes no more
    /// branches.
    fn settle_redirects(&mut self, server: ServerId) {
        let Some(ctx) = self.contexts.get_mut(&server) else {
            return;
        };
        let waiting: Vec<Message> = ctx.redirects.drain(..).collect();
        for r in waiting {
            self.consider(server, r);
        }
    }

    /// A final non-2xx response of a branch into the response context:
    /// its challenges gathered (§16.7 step 7), kept when it is the best so
    /// far (§16.7 step 6).
    fn consider(&mut self, server: ServerId, response: Message) {
        let Some(ctx) = self.contexts.get_mut(&server) else {
            return;
        };
        let msg = response.as_ref();
        let Some(status) = msg.status() else {
            return;
        };
        let code = status.as_u16();
        if matches!(code, 401 | 407) {
            let name = if code == 401 {
                HeaderName::WwwAuthenticate
            } else {
                HeaderName::ProxyAuthenticate
            };
            for v in msg.values(name) {
                if let Ok(v) = std::str::from_utf8(v) {
                    ctx.challenges.push((name, v.to_owned()));
                }
            }
        }
        let better = ctx
            .best
            .as_ref()
            .and_then(|b| b.as_ref().status())
            .is_none_or(|b| better_response(status, b));
        if better {
            ctx.best = Some(response.clone());
        }
    }

    fn completed_once(&mut self, server: ServerId, status: StatusCode) {
        if let Some(ctx) = self.contexts.get(&server)
            && ctx
                .branches
                .iter()
                .filter(|b| b.final_status.is_some_and(|s| s.is_success()))
                .count()
                == 1
        {
            let request = ctx.request.clone();
            self.completed(&request, status);
        }
    }

    /// When every branch has ended: the next group, or the best response
    /// upstream (§16.7 step 6), and the context goes.
    fn maybe_finish(&mut self, now: Instant, server: ServerId) {
        let Some(ctx) = self.contexts.get(&server) else {
            return;
        };
        if ctx.branches.iter().any(|b| b.final_status.is_none()) || !ctx.redirects.is_empty() {
            return;
        }
        if !ctx.final_sent && !ctx.waiting.is_empty() && !ctx.cancelled {
            self.next_group(now, server);
            return;
        }
        let ctx = self.drop_context(server).expect("found above");
        if ctx.final_sent {
            return;
        }
        let best_status = ctx.best.as_ref().and_then(|b| b.as_ref().status());
        let response = match (&ctx.best, best_status) {
            // §16.7 step 6: a 503 becomes 500 upstream.
            (Some(_), Some(StatusCode::SERVICE_UNAVAILABLE)) | (None, _) => {
                let status = if ctx.best.is_some() {
                    StatusCode::SERVER_INTERNAL_ERROR
                } else {
                    StatusCode::REQUEST_TIMEOUT
                };
                ctx.request
                    .as_ref()
                    .response(status)
                    .ok()
                    .and_then(|b| b.build().ok())
            }
            (Some(best), _) => {
                let mut edit = Editor::new(best.as_ref());
                edit.pop_via();
                // §16.7 step 7: every challenge gathered.
                let own: Vec<String> = best
                    .as_ref()
                    .values(HeaderName::WwwAuthenticate)
                    .chain(best.as_ref().values(HeaderName::ProxyAuthenticate))
                    .filter_map(|v| std::str::from_utf8(v).ok().map(str::to_owned))
                    .collect();
                for (name, value) in &ctx.challenges {
                    if !own.contains(value) {
                        edit.add(name.as_str(), value);
                    }
                }
                edit.finish().ok()
            }
        };
        if let Some(r) = response {
            let status = r
                .as_ref()
                .status()
                .unwrap_or(StatusCode::SERVER_INTERNAL_ERROR);
            let _ = self.endpoint.respond(now, ctx.server, r);
            self.completed(&ctx.request, status);
        }
    }

    /// A response of a branch, without this proxy's Via, on the server
    /// transaction.
    fn send_upstream(&mut self, now: Instant, server: ServerId, response: &Message) {
        let mut edit = Editor::new(response.as_ref());
        edit.pop_via();
        if let Ok(r) = edit.finish() {
            let _ = self.endpoint.respond(now, server, r);
        }
    }

    fn cancel_branch(&mut self, now: Instant, client: ClientId) {
        let Some(request) = self.endpoint.request(client) else {
            return;
        };
        let Some(flow) = self
            .branch_of(client)
            .and_then(|(s, i)| self.contexts.get(&s).map(|c| c.branches[i].target.flow))
        else {
            return;
        };
        if let Ok(b) = request.as_ref().cancel()
            && let Ok(cancel) = b.build()
        {
            let _ = self.endpoint.send_request(now, cancel, flow);
        }
    }

    /// CANCELs every INVITE branch without a final response (§16.10); one
    /// without a provisional response yet is cancelled when it gets one.
    fn cancel_pending_branches(&mut self, now: Instant, server: ServerId) {
        let Some(ctx) = self.contexts.get_mut(&server) else {
            return;
        };
        ctx.waiting.clear();
        if !ctx.is_invite {
            return;
        }
        let mut now_cancel = Vec::new();
        for b in ctx.branches.iter_mut().filter(|b| b.final_status.is_none()) {
            match (b.client, b.provisional) {
                (Some(c), true) => now_cancel.push(c),
                (Some(_), false) => b.cancel_pending = true,
                _ => {}
            }
        }
        for c in now_cancel {
            self.cancel_branch(now, c);
        }
    }

    fn on_cancelled(&mut self, now: Instant, server: ServerId) {
        if let Some(ctx) = self.contexts.get_mut(&server) {
            ctx.cancelled = true;
            if ctx.branches.is_empty() {
                // Not routed yet: end it here.
                let _ = self.final_response(now, server, StatusCode::REQUEST_TERMINATED);
                return;
            }
        }
        self.cancel_pending_branches(now, server);
        self.settle_redirects(server);
        self.maybe_finish(now, server);
    }

    /// Timer C of a branch (§16.6 step 11, §16.7 step 2): CANCEL it when it
    /// had a provisional response, else take it as a 408.
    fn timer_c(&mut self, now: Instant, server: ServerId) {
        let Some(ctx) = self.contexts.get_mut(&server) else {
            return;
        };
        let mut cancel = Vec::new();
        for b in ctx.branches.iter_mut() {
            if b.final_status.is_none() && b.timer_c.is_some_and(|at| at <= now) {
                b.timer_c = None;
                if b.provisional {
                    if let Some(c) = b.client {
                        cancel.push(c);
                    }
                } else {
                    b.final_status = Some(StatusCode::REQUEST_TIMEOUT);
                }
            }
        }
        for c in cancel {
            self.cancel_branch(now, c);
        }
        self.maybe_finish(now, server);
    }

    fn on_terminated(
        &mut self,
        now: Instant,
        transaction: TransactionId,
        reason: crate::transaction::Termination,
    ) {
        match transaction {
            TransactionId::Client(client) => {
                let Some((server, i)) = self.branch_of(client) else {
                    self.clients.remove(&client);
                    return;
                };
                let ctx = self.contexts.get_mut(&server).expect("found");
                if ctx.branches[i].final_status.is_none() {
                    // A timeout or transport failure (§16.7 step 1): 408.
                    let status = match reason {
                        crate::transaction::Termination::TransportError => {
                            StatusCode::SERVICE_UNAVAILABLE
                        }
                        _ => StatusCode::REQUEST_TIMEOUT,
                    };
                    ctx.branches[i].final_status = Some(status);
                    self.maybe_finish(now, server);
                }
            }
            TransactionId::Server(server) => {
                // Left unanswered until its transaction ended.
                self.drop_context(server);
            }
        }
    }

    /// An ACK for a 2xx (or any ACK matching no transaction here):
    /// forwarded statelessly along its Route set or Request-URI (§16.6,
    /// §16.11), when that is an IP address.
    fn on_ack(&mut self, ack: Message, origin: Flow) {
        let Some(next) = next_hop(&ack.as_ref(), &self.config.identity) else {
            self.events.push_back(ProxyEvent::Ack {
                request: ack,
                origin,
            });
            return;
        };
        if let Some(flow) = Flow::direct(&next, origin.transport, origin.local) {
            self.send_stateless_to(&ack, None, origin, flow);
        }
    }

    /// Forwards `request` (an ACK of [`ProxyEvent::Ack`]) statelessly to
    /// `target` (§16.11): the target's URI as Request-URI, Max-Forwards
    /// lowered, this proxy's Via.
    pub fn forward_stateless(&mut self, request: &Message, origin: Flow, target: &Target) {
        self.send_stateless_to(request, Some(&target.uri), origin, target.flow);
    }

    fn send_stateless_to(
        &mut self,
        request: &Message,
        uri: Option<&Uri<'_>>,
        origin: Flow,
        flow: Flow,
    ) {
        self.forwards = self.forwards.wrapping_add(1);
        if let Ok(out) = forward_between(
            &request.as_ref(),
            &self.config.identity,
            uri,
            false,
            &origin,
            &flow,
            self.forwards,
        ) {
            self.endpoint.send_stateless(&out, flow);
        }
    }

    /// A response no transaction here matches (a 2xx retransmitted after
    /// the INVITE transaction ended): forwarded statelessly when its top
    /// Via is this proxy's (§16.7 step 3, §16.11).
    fn on_stray(&mut self, response: Message, origin: Flow) {
        let msg = response.as_ref();
        let Ok(top) = msg.via() else { return };
        if !self.config.identity.sends_as(&top.sent_by) {
            return;
        }
        let mut edit = Editor::new(msg.clone());
        edit.pop_via();
        let Ok(out) = edit.finish() else { return };
        if let Some(flow) = upstream_flow(&self.config.identity, &out.as_ref(), &origin) {
            self.endpoint.send_stateless(&out, flow);
        }
    }
}

/// Whether final response `a` is better than `b` (§16.7 step 6): a 6xx
/// over anything, then the lower class, 4xx before 5xx; within a class
/// the first stays.
fn better_response(a: StatusCode, b: StatusCode) -> bool {
    let rank = |s: StatusCode| match s.class() {
        6 => 0,
        2 => 1,
        3 => 2,
        4 => 3,
        5 => 4,
        _ => 5,
    };
    rank(a) < rank(b)
}
