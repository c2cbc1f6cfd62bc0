//! Dialogs ([RFC 3261 §12](https://www.rfc-editor.org/rfc/rfc3261#section-12)):
//! the state two user agents share for the life of a session or a
//! subscription, and the requests sent within it.
//!
//! A [`Dialog`] is plain data with the rules of §12 as methods: created
//! from the request and the response that establish it on either side
//! ([`Dialog::uac`], [`Dialog::uas`]), it knows its [`DialogId`], its
//! route set, the remote target, both CSeq numbers and whether it is
//! secure; it builds the requests sent within it ([`Dialog::request`],
//! strict routers included, §12.2.1.1) and checks the ones received
//! ([`Dialog::receive`], §12.2.2). It does no I/O and holds no timer: the
//! user-agent core ([`crate::ua`]) drives it, and a B2BUA or an
//! application server can use it on its own.
//!
//! ```
//! use imsip::dialog::{Dialog, DialogId};
//! use imsip::header::Via;
//! use imsip::uri::HostPort;
//! use imsip::{MessageRef, Method, Transport};
//!
//! let invite = MessageRef::parse(b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
//! Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n\
//! Max-Forwards: 70\r\nTo: <sip:bob@biloxi.example.com>\r\n\
//! From: <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710\r\n\
//! CSeq: 314159 INVITE\r\nContact: <sip:alice@pc33.atlanta.example.com>\r\nContent-Length: 0\r\n\r\n")?;
//! let ok = MessageRef::parse(b"SIP/2.0 200 OK\r\n\
//! Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n\
//! Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n\
//! To: <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n\
//! From: <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710\r\n\
//! CSeq: 314159 INVITE\r\nContact: <sip:bob@192.0.2.4>\r\nContent-Length: 0\r\n\r\n")?;
//!
//! let mut dialog = Dialog::uac(&invite, &ok)?;
//! assert_eq!(dialog.id(), &DialogId::new("a84b4c76e66710", "1928301774", "a6c85cf"));
//! let bye = dialog
//!     .request(Method::Bye, &Via::new(Transport::Udp, HostPort::parse("pc33.atlanta.example.com")?))
//!     .build()?;
//! let bye = bye.as_ref();
//! assert_eq!(bye.request_uri_str(), Some("sip:bob@192.0.2.4"));
//! assert_eq!(bye.cseq()?.seq, 314160);
//! // The route set, reversed on the caller's side.
//! let routes: Vec<_> = bye.get_all("Route").map(|r| r.value_str().unwrap()).collect();
//! assert_eq!(routes, ["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use thiserror::Error;

use crate::header::{
    CSeq, CallId, Contact, HeaderError, MaxForwards, NameAddr, RecordRoute, Route, To, TypedHeader,
    Via,
};
use crate::message::{MessageRef, RequestBuilder};
use crate::method::Method;
use crate::status::StatusCode;
use crate::uri::Uri;

/// Which side of a dialog this element is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// It sent the request that created the dialog (it owns the Call-ID,
    /// which matters for the §14.1 glare timers).
    Uac,
    /// It answered that request.
    Uas,
}

/// How far a dialog is (RFC 3261 §12.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DialogState {
    /// Created by a provisional response: it may still end with the
    /// request's failure or be replaced by another fork's dialog.
    Early,
    /// Created or confirmed by a 2xx.
    Confirmed,
}

/// A dialog's identifier (RFC 3261 §12): the Call-ID and the two tags, the
/// local one first. The UAC's local tag is its From tag; the UAS's is its
/// To tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DialogId {
    /// The Call-ID.
    pub call_id: String,
    /// This side's tag.
    pub local_tag: String,
    /// The peer's tag.
    pub remote_tag: String,
}

impl DialogId {
    /// A dialog identifier from its parts.
    pub fn new(call_id: &str, local_tag: &str, remote_tag: &str) -> DialogId {
        DialogId {
            call_id: call_id.to_owned(),
            local_tag: local_tag.to_owned(),
            remote_tag: remote_tag.to_owned(),
        }
    }

    /// The identifier of the dialog a received request belongs to, seen
    /// from the receiver: its To tag is local, its From tag remote. `None`
    /// when the request has no To tag (it is outside any dialog) or its
    /// headers do not parse.
    pub fn of_request(request: &MessageRef<'_>) -> Option<DialogId> {
        let local = request.to_tag().ok()??;
        let remote = request.from_tag().ok().flatten().unwrap_or("");
        Some(DialogId::new(
            request.call_id().ok()?.as_str(),
            local,
            remote,
        ))
    }

    /// The identifier of the dialog a received response belongs to, seen
    /// from the request's sender: its From tag is local, its To tag remote.
    /// `None` without a To tag.
    pub fn of_response(response: &MessageRef<'_>) -> Option<DialogId> {
        let remote = response.to_tag().ok()??;
        let local = response.from_tag().ok().flatten().unwrap_or("");
        Some(DialogId::new(
            response.call_id().ok()?.as_str(),
            local,
            remote,
        ))
    }
}

/// A dialog identifier borrowed from a message: what a received request or
/// response is matched with, without copying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DialogIdRef<'a> {
    /// The Call-ID.
    pub call_id: &'a str,
    /// This side's tag.
    pub local_tag: &'a str,
    /// The peer's tag.
    pub remote_tag: &'a str,
}

impl<'a> DialogIdRef<'a> {
    /// As [`DialogId::of_request`], borrowed.
    pub fn of_request(request: &MessageRef<'a>) -> Option<DialogIdRef<'a>> {
        Some(DialogIdRef {
            call_id: call_id_str(request)?,
            local_tag: request.to_tag().ok()??,
            remote_tag: request.from_tag().ok().flatten().unwrap_or(""),
        })
    }

    /// As [`DialogId::of_response`], borrowed.
    pub fn of_response(response: &MessageRef<'a>) -> Option<DialogIdRef<'a>> {
        Some(DialogIdRef {
            call_id: call_id_str(response)?,
            local_tag: response.from_tag().ok().flatten().unwrap_or(""),
            remote_tag: response.to_tag().ok()??,
        })
    }

    /// The owned identifier.
    pub fn to_owned(&self) -> DialogId {
        DialogId::new(self.call_id, self.local_tag, self.remote_tag)
    }
}

impl PartialEq<DialogIdRef<'_>> for DialogId {
    fn eq(&self, other: &DialogIdRef<'_>) -> bool {
        self.call_id == other.call_id
            && self.local_tag == other.local_tag
            && self.remote_tag == other.remote_tag
    }
}

impl DialogId {
    /// The identifier borrowed.
    pub fn as_ref(&self) -> DialogIdRef<'_> {
        DialogIdRef {
            call_id: &self.call_id,
            local_tag: &self.local_tag,
            remote_tag: &self.remote_tag,
        }
    }
}

/// The Call-ID of `msg` as written, when it is one (`word ["@" word]`:
/// nothing to unfold or unquote, so the text is the value).
fn call_id_str<'a>(msg: &MessageRef<'a>) -> Option<&'a str> {
    let raw = msg
        .get_known(crate::header::HeaderName::CallId)?
        .value_str()?;
    CallId::new(raw).map(|_| raw)
}

impl fmt::Display for DialogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{};{}", self.call_id, self.local_tag, self.remote_tag)
    }
}

/// Why a dialog could not be made from a message.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DialogError {
    /// The response does not create a dialog: 100, a non-2xx final, or no
    /// To tag.
    #[error("the response does not create a dialog")]
    NoDialog,
    /// A header the dialog is made of does not parse or is missing.
    #[error("{0}")]
    Header(#[from] HeaderError),
    /// The request that creates a dialog has no Contact (RFC 3261
    /// §12.1.1: the UAS answers it 400).
    #[error("no Contact to make the remote target of")]
    NoContact,
}

/// Why a request received within a dialog is refused (RFC 3261 §12.2.2);
/// answer it with [`Refusal::status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Its CSeq number is lower than the last one received: answer 500.
    #[error("CSeq {got} is lower than {last}, the last one received")]
    OutOfOrder {
        /// The request's CSeq number.
        got: u32,
        /// The highest number received so far.
        last: u32,
    },
    /// The request's CSeq does not parse: answer 400.
    #[error("the CSeq does not parse")]
    BadCSeq,
}

impl Refusal {
    /// The status to answer the request with.
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::OutOfOrder { .. } => StatusCode::SERVER_INTERNAL_ERROR,
            Refusal::BadCSeq => StatusCode::BAD_REQUEST,
        }
    }
}

/// The state of one dialog (RFC 3261 §12.1): identifier, route set, remote
/// target, CSeq numbers, the local and remote party and the secure flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialog {
    id: DialogId,
    role: Role,
    state: DialogState,
    /// The local party as the From of requests we send, tag included.
    local: String,
    /// The remote party as the To of requests we send, tag included.
    remote: String,
    local_seq: Option<u32>,
    remote_seq: Option<u32>,
    remote_target: Uri<'static>,
    route_set: Vec<Route<'static>>,
    secure: bool,
}

/// The first Contact address of `msg`, owned.
fn contact_of(msg: &MessageRef<'_>) -> Result<Option<Uri<'static>>, HeaderError> {
    match msg.header::<Contact<'_>>() {
        Some(Ok(Contact::Address(a))) => Ok(Some(a.name_addr.uri.into_owned())),
        Some(Ok(Contact::Wildcard)) | None => Ok(None),
        Some(Err(e)) => Err(e),
    }
}

/// The Record-Route entries of `msg` as Route entries, in message order.
fn record_routes(msg: &MessageRef<'_>) -> Result<Vec<Route<'static>>, HeaderError> {
    msg.header_all::<RecordRoute<'_>>()
        .map(|rr| {
            let rr = rr?;
            Ok(Route {
                name_addr: rr.name_addr.into_owned(),
                params: rr.params.into_owned(),
            })
        })
        .collect()
}

/// The value of the named header as written.
fn raw<'a>(msg: &MessageRef<'a>, name: crate::header::HeaderName) -> Result<&'a str, HeaderError> {
    msg.get_known(name)
        .and_then(|h| h.value_str())
        .ok_or(HeaderError::missing(name))
}

impl Dialog {
    /// The dialog a UAC gets from a `response` to its `request` (RFC 3261
    /// §12.1.2): a 101–199 with a To tag makes an early dialog, a 2xx a
    /// confirmed one. The route set is the response's Record-Route in
    /// reverse, the remote target its Contact (the Request-URI when a
    /// provisional response has none), the local CSeq the request's.
    ///
    /// # Errors
    /// [`DialogError::NoDialog`] for a response that makes none,
    /// [`DialogError::NoContact`] for a 2xx without a Contact, or a header
    /// that does not parse.
    pub fn uac(request: &MessageRef<'_>, response: &MessageRef<'_>) -> Result<Dialog, DialogError> {
        let status = response.status().ok_or(DialogError::NoDialog)?;
        let state = match status.as_u16() {
            101..=199 => DialogState::Early,
            200..=299 => DialogState::Confirmed,
            _ => return Err(DialogError::NoDialog),
        };
        let id = DialogId::of_response(response).ok_or(DialogError::NoDialog)?;
        let remote_target = match contact_of(response)? {
            Some(uri) => uri,
            None if state == DialogState::Early => request
                .request_uri()
                .ok_or(DialogError::NoDialog)?
                .map_err(|_| DialogError::NoContact)?
                .into_owned(),
            None => return Err(DialogError::NoContact),
        };
        let mut route_set = record_routes(response)?;
        route_set.reverse();
        let secure = request
            .request_uri()
            .and_then(Result::ok)
            .is_some_and(|u| u.as_sip().is_some_and(|s| s.is_secure()));
        Ok(Dialog {
            id,
            role: Role::Uac,
            state,
            local: raw(request, crate::header::HeaderName::From)?.to_owned(),
            remote: raw(response, crate::header::HeaderName::To)?.to_owned(),
            local_seq: Some(request.cseq()?.seq),
            remote_seq: None,
            remote_target,
            route_set,
            secure,
        })
    }

    /// The dialog a UAS gets by answering `request` with a 101–299 response
    /// whose To tag is `local_tag` (RFC 3261 §12.1.1): the route set is the
    /// request's Record-Route in order, the remote target its Contact, the
    /// remote CSeq the request's. `confirmed` says whether the response is a
    /// 2xx.
    ///
    /// # Errors
    /// [`DialogError::NoContact`] when the request has no Contact (answer it
    /// 400), or a header that does not parse.
    pub fn uas(
        request: &MessageRef<'_>,
        local_tag: &str,
        confirmed: bool,
    ) -> Result<Dialog, DialogError> {
        let call_id = request.call_id()?;
        let remote_tag = request.from_tag()?.unwrap_or("");
        let remote_target = contact_of(request)?.ok_or(DialogError::NoContact)?;
        let mut to = request.to()?;
        to.set_tag(local_tag)
            .map_err(|_| HeaderError::new(crate::header::HeaderErrorKind::Token, 0))?;
        let secure = request
            .request_uri()
            .and_then(Result::ok)
            .is_some_and(|u| u.as_sip().is_some_and(|s| s.is_secure()));
        Ok(Dialog {
            id: DialogId::new(call_id.as_str(), local_tag, remote_tag),
            role: Role::Uas,
            state: if confirmed {
                DialogState::Confirmed
            } else {
                DialogState::Early
            },
            local: to.to_string(),
            remote: raw(request, crate::header::HeaderName::From)?.to_owned(),
            local_seq: None,
            remote_seq: Some(request.cseq()?.seq),
            remote_target,
            route_set: record_routes(request)?,
            secure,
        })
    }

    /// The dialog's identifier.
    pub fn id(&self) -> &DialogId {
        &self.id
    }

    /// Which side of the dialog this is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Early or confirmed.
    pub fn state(&self) -> DialogState {
        self.state
    }

    /// The remote target: where requests within the dialog go, unless the
    /// route set says otherwise.
    pub fn remote_target(&self) -> &Uri<'static> {
        &self.remote_target
    }

    /// The route set, in the order requests carry it.
    pub fn route_set(&self) -> &[Route<'static>] {
        &self.route_set
    }

    /// The last CSeq number sent within the dialog.
    pub fn local_seq(&self) -> Option<u32> {
        self.local_seq
    }

    /// The last CSeq number received within the dialog.
    pub fn remote_seq(&self) -> Option<u32> {
        self.remote_seq
    }

    /// Whether the dialog was made over a SIPS Request-URI.
    pub fn is_secure(&self) -> bool {
        self.secure
    }

    /// The local party (From of the requests this side sends), with its tag.
    pub fn local_party(&self) -> &str {
        &self.local
    }

    /// The remote party (To of the requests this side sends), with its tag.
    pub fn remote_party(&self) -> &str {
        &self.remote
    }

    /// The URI the next request within the dialog goes to first: the
    /// first route, or the remote target without a route set. Resolve it
    /// (RFC 3263) to pick the flow.
    pub fn next_hop(&self) -> &Uri<'static> {
        self.route_set
            .first()
            .map_or(&self.remote_target, |r| &r.name_addr.uri)
    }

    /// A 2xx confirmed an early dialog on the UAC side (RFC 3261
    /// §13.2.2.4): the dialog becomes confirmed, its route set is taken
    /// again from the 2xx and its remote target from the 2xx's Contact. On
    /// the UAS side, sending the 2xx confirms it.
    ///
    /// # Errors
    /// A Record-Route or Contact of the response that does not parse; the
    /// dialog is unchanged then.
    pub fn confirm(&mut self, response: Option<&MessageRef<'_>>) -> Result<(), DialogError> {
        if let Some(response) = response {
            let mut route_set = record_routes(response)?;
            route_set.reverse();
            if let Some(target) = contact_of(response)? {
                self.remote_target = target;
            }
            self.route_set = route_set;
        }
        self.state = DialogState::Confirmed;
        Ok(())
    }

    /// Takes the remote target from the Contact of a target refresh
    /// request or its 2xx (re-INVITE, UPDATE, SUBSCRIBE, NOTIFY: RFC 3261
    /// §12.2, RFC 3311, RFC 6665). Without a Contact the target stays.
    ///
    /// # Errors
    /// A Contact that does not parse; the target stays.
    pub fn refresh_target(&mut self, msg: &MessageRef<'_>) -> Result<(), DialogError> {
        if let Some(target) = contact_of(msg)? {
            self.remote_target = target;
        }
        Ok(())
    }

    /// Checks a request received within the dialog (RFC 3261 §12.2.2) and
    /// records its CSeq number: a number lower than the last one received
    /// is refused with 500. ACK and CANCEL carry the number of the request
    /// they belong to and are not checked.
    ///
    /// # Errors
    /// A [`Refusal`] whose [`Refusal::status`] is the answer to send.
    pub fn receive(&mut self, request: &MessageRef<'_>) -> Result<(), Refusal> {
        if matches!(request.method(), Some(Method::Ack | Method::Cancel)) {
            return Ok(());
        }
        let seq = request.cseq().map_err(|_| Refusal::BadCSeq)?.seq;
        match self.remote_seq {
            Some(last) if seq < last => Err(Refusal::OutOfOrder { got: seq, last }),
            _ => {
                self.remote_seq = Some(seq);
                Ok(())
            }
        }
    }

    /// Sets the last CSeq number this side sent: for a dialog made by a
    /// request of the peer that answers one of this side's (a NOTIFY that
    /// comes before its SUBSCRIBE's 2xx, RFC 6665 §4.1.2.4), whose next
    /// request must come after it.
    pub fn set_local_seq(&mut self, seq: u32) {
        self.local_seq = Some(seq);
    }

    /// The CSeq number the next request within the dialog gets, counted
    /// now (RFC 3261 §12.2.1.1: one more than the last, or 1 for the first
    /// one the UAS sends).
    pub fn next_seq(&mut self) -> u32 {
        let seq = self
            .local_seq
            .map_or(1, |s| s.wrapping_add(1) & 0x7fff_ffff);
        self.local_seq = Some(seq);
        seq
    }

    /// Starts a request within the dialog (RFC 3261 §12.2.1.1) with the next
    /// CSeq number and `via` as its only Via (give it a branch). Use
    /// [`Dialog::ack`] for the ACK of a 2xx.
    pub fn request(&mut self, method: Method<'_>, via: &Via<'_>) -> RequestBuilder {
        let seq = self.next_seq();
        self.request_with_seq(method, seq, via)
    }

    /// The ACK for a 2xx to the INVITE with CSeq number `invite_seq`
    /// (RFC 3261 §13.2.2.4): a request within the dialog with the INVITE's
    /// number. Add the body when the 2xx held the offer.
    pub fn ack(&self, invite_seq: u32, via: &Via<'_>) -> RequestBuilder {
        self.request_with_seq(Method::Ack, invite_seq, via)
    }

    /// A request within the dialog with the given CSeq number: the
    /// Request-URI and Route of §12.2.1.1, From and To with the tags,
    /// Call-ID, CSeq and Max-Forwards 70.
    pub fn request_with_seq(&self, method: Method<'_>, seq: u32, via: &Via<'_>) -> RequestBuilder {
        let (uri, routes, target_route) = match self.route_set.first() {
            // A strict router: it becomes the Request-URI (without the
            // parameters a Request-URI may not carry), the remote target
            // goes last in the Route.
            Some(first) if !is_loose(&first.name_addr.uri) => (
                strip_for_request_uri(&first.name_addr.uri),
                &self.route_set[1..],
                true,
            ),
            _ => (self.remote_target.clone(), &self.route_set[..], false),
        };
        let mut b = RequestBuilder::new(method.clone(), &uri).header(via);
        for route in routes {
            b = b.header(route);
        }
        if target_route {
            b = b.header(&Route::new(NameAddr::new(self.remote_target.clone())));
        }
        b.header(&MaxForwards(70))
            .raw_header("From", &self.local)
            .raw_header("To", &self.remote)
            // The Call-ID came from a message that parsed; the builder
            // checks it again.
            .raw_header("Call-ID", &self.id.call_id)
            .header(&CSeq { seq, method })
    }

    /// The To header of responses this side sends within the dialog, as a
    /// UAS: the local party.
    pub fn local_to(&self) -> Result<To<'_>, HeaderError> {
        To::parse(&self.local)
    }
}

/// Whether a route URI is a loose router's (`;lr`); other schemes than SIP
/// are taken as loose (they are not routed through).
fn is_loose(uri: &Uri<'_>) -> bool {
    uri.as_sip().is_none_or(|s| s.is_loose_route())
}

/// A route URI as a Request-URI (RFC 3261 §12.2.1.1, §19.1.1): without
/// the `method` parameter and headers, which are not allowed there.
fn strip_for_request_uri(uri: &Uri<'static>) -> Uri<'static> {
    match uri {
        Uri::Sip(s) if s.headers().is_some() || s.method_param().is_some() => {
            let mut s = s.clone();
            s.params_mut().remove("method");
            let mut text = s.to_string();
            if let Some(q) = text.find('?') {
                text.truncate(q);
            }
            Uri::parse(&text).map_or_else(|_| uri.clone(), Uri::into_owned)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Transport;

    const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n\
Max-Forwards: 70\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\n\
CSeq: 314159 INVITE\r\n\
Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n\
Contact: <sip:alice@pc33.atlanta.example.com>\r\n\
Content-Length: 0\r\n\r\n";

    fn response(status: &str, tag: &str, extra: &str) -> Vec<u8> {
        format!(
            "SIP/2.0 {status}\r\n\
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n\
To: Bob <sip:bob@biloxi.example.com>{tag}\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\n\
CSeq: 314159 INVITE\r\n{extra}\
Content-Length: 0\r\n\r\n"
        )
        .into_bytes()
    }

    fn via() -> Via<'static> {
        Via::new(
            Transport::Udp,
            crate::uri::HostPort::parse("192.0.2.1:5060").unwrap(),
        )
    }

    #[test]
    fn uac_dialog_from_provisional_then_2xx() {
        let invite = MessageRef::parse(INVITE).unwrap();
        let ringing = response(
            "180 Ringing",
            ";tag=b1",
            "Record-Route: <sip:p1.example.com;lr>\r\n",
        );
        let ringing = MessageRef::parse(&ringing).unwrap();
        let mut d = Dialog::uac(&invite, &ringing).unwrap();
        assert_eq!(d.state(), DialogState::Early);
        assert_eq!(d.role(), Role::Uac);
        // No Contact in the 180: the Request-URI is the target.
        assert_eq!(d.remote_target().to_string(), "sip:bob@biloxi.example.com");
        let ok = response(
            "200 OK",
            ";tag=b1",
            "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\nContact: <sip:bob@192.0.2.4>\r\n",
        );
        d.confirm(Some(&MessageRef::parse(&ok).unwrap())).unwrap();
        assert_eq!(d.state(), DialogState::Confirmed);
        assert_eq!(d.remote_target().to_string(), "sip:bob@192.0.2.4");
        let hops: Vec<String> = d.route_set().iter().map(|r| r.to_string()).collect();
        assert_eq!(hops, ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]);
        assert_eq!(d.next_hop().to_string(), "sip:p1.example.com;lr");
    }

    #[test]
    fn responses_that_make_no_dialog() {
        let invite = MessageRef::parse(INVITE).unwrap();
        for (status, tag) in [
            ("100 Trying", ";tag=x"),
            ("486 Busy Here", ";tag=x"),
            ("180 Ringing", ""),
        ] {
            let r = response(status, tag, "");
            assert_eq!(
                Dialog::uac(&invite, &MessageRef::parse(&r).unwrap()),
                Err(DialogError::NoDialog),
                "{status}"
            );
        }
        let ok = response("200 OK", ";tag=x", "");
        assert_eq!(
            Dialog::uac(&invite, &MessageRef::parse(&ok).unwrap()),
            Err(DialogError::NoContact)
        );
    }

    #[test]
    fn uas_dialog_and_requests_it_sends() {
        let invite = MessageRef::parse(INVITE).unwrap();
        let mut d = Dialog::uas(&invite, "b1", true).unwrap();
        assert_eq!(d.id(), &DialogId::new("a84b4c76e66710", "b1", "1928301774"));
        assert_eq!(DialogId::of_request(&invite), None);
        assert_eq!(
            d.local_party(),
            "\"Bob\" <sip:bob@biloxi.example.com>;tag=b1"
        );
        let bye = d.request(Method::Bye, &via()).build().unwrap();
        let bye = bye.as_ref();
        // The UAS's first request is number 1; To and From are swapped.
        assert_eq!(bye.cseq().unwrap().seq, 1);
        assert_eq!(bye.to_tag().unwrap(), Some("1928301774"));
        assert_eq!(bye.from_tag().unwrap(), Some("b1"));
        assert_eq!(
            bye.request_uri_str(),
            Some("sip:alice@pc33.atlanta.example.com")
        );
        let routes: Vec<_> = bye
            .get_all("Route")
            .map(|r| r.value_str().unwrap())
            .collect();
        assert_eq!(
            routes,
            ["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"]
        );
        assert!(bye.validate().is_ok());
        // A request from the peer in this dialog matches it.
        let theirs = b"BYE sip:bob@192.0.2.4 SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n\
To: <sip:bob@biloxi.example.com>;tag=b1\r\nFrom: <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\nCSeq: 314160 BYE\r\nContent-Length: 0\r\n\r\n";
        let theirs = MessageRef::parse(theirs).unwrap();
        assert_eq!(DialogId::of_request(&theirs).as_ref(), Some(d.id()));
    }

    #[test]
    fn cseq_ordering_of_received_requests() {
        let invite = MessageRef::parse(INVITE).unwrap();
        let mut d = Dialog::uas(&invite, "b1", true).unwrap();
        let req = |seq: u32, method: &str| {
            format!(
                "{method} sip:bob@192.0.2.4 SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK{seq}\r\nMax-Forwards: 70\r\n\
To: <sip:bob@biloxi.example.com>;tag=b1\r\nFrom: <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\nCSeq: {seq} {method}\r\nContent-Length: 0\r\n\r\n"
            )
        };
        let r = req(314160, "INFO");
        assert_eq!(d.receive(&MessageRef::parse(r.as_bytes()).unwrap()), Ok(()));
        assert_eq!(d.remote_seq(), Some(314160));
        let low = req(314150, "INFO");
        let refused = d.receive(&MessageRef::parse(low.as_bytes()).unwrap());
        assert_eq!(
            refused,
            Err(Refusal::OutOfOrder {
                got: 314150,
                last: 314160
            })
        );
        assert_eq!(
            refused.unwrap_err().status(),
            StatusCode::SERVER_INTERNAL_ERROR
        );
        // ACK carries the INVITE's number.
        let ack = req(314159, "ACK");
        assert_eq!(
            d.receive(&MessageRef::parse(ack.as_bytes()).unwrap()),
            Ok(())
        );
    }

    #[test]
    fn strict_router_becomes_the_request_uri() {
        let invite = MessageRef::parse(INVITE).unwrap();
        let ok = response(
            "200 OK",
            ";tag=b1",
            "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;method=INVITE>\r\nContact: <sip:bob@192.0.2.4>\r\n",
        );
        let mut d = Dialog::uac(&invite, &MessageRef::parse(&ok).unwrap()).unwrap();
        let bye = d.request(Method::Bye, &via()).build().unwrap();
        let bye = bye.as_ref();
        assert_eq!(bye.request_uri_str(), Some("sip:p1.example.com"));
        let routes: Vec<_> = bye
            .get_all("Route")
            .map(|r| r.value_str().unwrap())
            .collect();
        assert_eq!(routes, ["<sip:p2.example.com;lr>", "<sip:bob@192.0.2.4>"]);
        let ack = d.ack(314159, &via()).build().unwrap();
        assert_eq!(ack.as_ref().cseq().unwrap().seq, 314159);
        assert_eq!(ack.as_ref().method(), Some(Method::Ack));
    }

    #[test]
    fn uas_needs_a_contact() {
        let text = std::str::from_utf8(INVITE)
            .unwrap()
            .replace("Contact: <sip:alice@pc33.atlanta.example.com>\r\n", "");
        let invite = MessageRef::parse(text.as_bytes()).unwrap();
        assert_eq!(
            Dialog::uas(&invite, "b", false),
            Err(DialogError::NoContact)
        );
    }
}
