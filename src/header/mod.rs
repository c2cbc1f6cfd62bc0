//! Header fields: names, and typed values parsed lazily from a message.
//!
//! Every typed header implements [`TypedHeader`]: `parse` borrows from the
//! header value (one element of it for list headers such as Via or Contact)
//! and `encode` writes the value in canonical form, so that parsing what was
//! encoded gives the same value back. Text fields are `Cow<'a, str>`: borrowed
//! when parsed, owned when built.
//!
//! ```
//! use imsip::header::{TypedHeader, Via};
//!
//! let via = Via::parse("SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport").unwrap();
//! assert_eq!(via.branch(), Some("z9hG4bK776asdhds"));
//! assert_eq!(via.sent_by.host.to_string(), "pc33.atlanta.example.com");
//!
//! let mut out = Vec::new();
//! via.encode(&mut out);
//! assert_eq!(out, b"SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport");
//! ```

mod accept;
mod accept_contact;
mod accept_encoding;
mod accept_language;
mod accept_resource_priority;
mod alert_info;
mod allow;
mod allow_events;
mod auth;
mod call_id;
mod call_info;
mod contact;
mod content_disposition;
mod content_encoding;
mod content_language;
mod content_length;
mod content_type;
mod cseq;
mod date;
mod error;
mod error_info;
mod event;
mod expires;
mod feature_caps;
mod from;
mod geolocation;
mod history_info;
mod identity;
mod in_reply_to;
mod keyword;
mod max_forwards;
mod mime_version;
mod min_expires;
mod min_se;
mod name;
pub(crate) mod name_addr;
mod option_tag;
mod organization;
mod p_access_network_info;
mod p_asserted_identity;
mod p_associated_uri;
mod p_called_party_id;
mod p_charging_function_addresses;
mod p_charging_vector;
mod p_early_media;
mod p_preferred_identity;
mod p_served_user;
mod p_visited_network_id;
mod param_check;
mod path;
mod priority;
mod privacy;
mod rack;
mod reason;
mod record_route;
mod refer_to;
mod referred_by;
mod reject_contact;
mod replaces;
mod reply_to;
mod request_disposition;
mod resource_priority;
mod retry_after;
mod route;
mod rseq;
mod security;
mod server;
mod service_route;
mod session_expires;
mod shapes;
mod sip_etag;
mod sip_if_match;
mod subject;
mod subscription_state;
mod timestamp;
mod to;
mod user_agent;
pub(crate) mod via;
mod warning;

pub use accept::Accept;
pub use accept_contact::AcceptContact;
pub use accept_encoding::AcceptEncoding;
pub use accept_language::AcceptLanguage;
pub use accept_resource_priority::AcceptResourcePriority;
pub use alert_info::AlertInfo;
pub use allow::Allow;
pub use allow_events::AllowEvents;
pub use auth::{
    AuthParams, AuthenticationInfo, Authorization, Challenge, Credentials, ProxyAuthenticate,
    ProxyAuthorization, WwwAuthenticate,
};
pub use call_id::CallId;
pub use call_info::{CallInfo, CallInfoPurpose};
pub use contact::{Contact, ContactAddress, QValue};
pub use content_disposition::{ContentDisposition, DispositionType, Handling};
pub use content_encoding::ContentEncoding;
pub use content_language::ContentLanguage;
pub use content_length::ContentLength;
pub use content_type::{ContentType, MediaType};
pub use cseq::CSeq;
pub use date::{Date, Month, Weekday};
pub use error::{HeaderError, HeaderErrorKind};
pub use error_info::ErrorInfo;
pub use event::Event;
pub use expires::Expires;
pub use feature_caps::FeatureCaps;
pub use from::From;
pub use geolocation::Geolocation;
pub use history_info::{HiIndex, HistoryInfo};
pub use identity::Identity;
pub use in_reply_to::InReplyTo;
pub use max_forwards::MaxForwards;
pub use mime_version::MimeVersion;
pub use min_expires::MinExpires;
pub use min_se::MinSe;
pub use name::{HeaderName, UnknownHeaderName};
pub use name_addr::NameAddr;
pub use option_tag::{ProxyRequire, Require, Supported, Unsupported};
pub use organization::Organization;
pub use p_access_network_info::{AccessType, PAccessNetworkInfo};
pub use p_asserted_identity::PAssertedIdentity;
pub use p_associated_uri::PAssociatedUri;
pub use p_called_party_id::PCalledPartyId;
pub use p_charging_function_addresses::PChargingFunctionAddresses;
pub use p_charging_vector::PChargingVector;
pub use p_early_media::PEarlyMedia;
pub use p_preferred_identity::PPreferredIdentity;
pub use p_served_user::{PServedUser, RegState, SessionCase};
pub use p_visited_network_id::PVisitedNetworkId;
pub use path::Path;
pub use priority::Priority;
pub use privacy::{PrivValue, Privacy};
pub use rack::RAck;
pub use reason::{Reason, ReasonProtocol};
pub use record_route::RecordRoute;
pub use refer_to::ReferTo;
pub use referred_by::ReferredBy;
pub use reject_contact::RejectContact;
pub use replaces::Replaces;
pub use reply_to::ReplyTo;
pub use request_disposition::RequestDisposition;
pub use resource_priority::ResourcePriority;
pub use retry_after::RetryAfter;
pub use route::Route;
pub use rseq::RSeq;
pub use security::{
    EncryptionAlg, IntegrityAlg, IpsecMode, IpsecProtocol, MechanismName, SecMechanism,
    SecurityClient, SecurityServer, SecurityVerify,
};
pub use server::{Product, Server, ServerVal, ServerVals};
pub use service_route::ServiceRoute;
pub use session_expires::{Refresher, SessionExpires};
pub use sip_etag::SipETag;
pub use sip_if_match::SipIfMatch;
pub use subject::Subject;
pub use subscription_state::{EventReason, SubscriptionState, Substate};
pub use timestamp::Timestamp;
pub use to::To;
pub use user_agent::UserAgent;
pub use via::{MAGIC_COOKIE, Rport, Via};
pub use warning::{WarnAgent, Warning};

pub(crate) use auth::parse_nc as auth_parse_nc;
pub(crate) use name::ALL as ALL_NAMES;
pub(crate) use name_addr::tag_of;

use crate::params::{ParamFault, Params};
use crate::syntax::{self, TOKEN};

/// A header whose value this crate parses into a type.
///
/// For a list header ([`HeaderName::is_list`]) the type stands for one
/// element of the list; [`crate::MessageRef::header_all`] splits the list and
/// parses each element.
pub trait TypedHeader<'a>: Sized {
    /// The header this type parses.
    const NAME: HeaderName;

    /// Parses one value. Surrounding white space is ignored.
    ///
    /// # Errors
    /// A [`HeaderError`] with what was wrong and where.
    fn parse(value: &'a str) -> Result<Self, HeaderError>;

    /// Writes the value in canonical form (without the name and CRLF).
    fn encode(&self, dst: &mut Vec<u8>);

    /// Writes `Name: value\r\n`.
    fn encode_field(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(Self::NAME.as_str().as_bytes());
        dst.extend_from_slice(b": ");
        self.encode(dst);
        dst.extend_from_slice(b"\r\n");
    }
}

/// A position in a header value, for the typed parsers.
pub(crate) struct Cursor<'a> {
    pub(crate) s: &'a str,
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        let mut c = Cursor { s, pos: 0 };
        c.skip_lws();
        c
    }

    #[inline]
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    #[inline]
    pub(crate) fn skip_lws(&mut self) {
        self.pos = syntax::skip_lws(self.bytes(), self.pos);
    }

    #[inline]
    pub(crate) fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Skips white space, expects `c`, skips white space after it (the
    /// `SWS c SWS` separators of RFC 3261 §25.1).
    #[inline]
    pub(crate) fn separator(&mut self, c: u8) -> Result<(), HeaderError> {
        self.skip_lws();
        if !self.eat(c) {
            return Err(self.error(HeaderErrorKind::Expected(c)));
        }
        self.skip_lws();
        Ok(())
    }

    #[inline]
    pub(crate) fn scan(&mut self, class: u16) -> &'a str {
        let start = self.pos;
        self.pos = syntax::scan(self.bytes(), start, class);
        &self.s[start..self.pos]
    }

    #[inline]
    pub(crate) fn token(&mut self) -> Result<&'a str, HeaderError> {
        let t = self.scan(TOKEN);
        if t.is_empty() {
            Err(self.error(HeaderErrorKind::Token))
        } else {
            Ok(t)
        }
    }

    #[inline]
    pub(crate) fn error(&self, kind: HeaderErrorKind) -> HeaderError {
        HeaderError::new(kind, self.pos)
    }

    /// Parses decimal digits as a `u32`.
    pub(crate) fn number(&mut self) -> Result<u32, HeaderError> {
        let start = self.pos;
        let digits = self.scan(syntax::DIGIT);
        syntax::parse_u32(digits.as_bytes()).map_err(|overflow| {
            let kind = if overflow {
                HeaderErrorKind::OutOfRange
            } else {
                HeaderErrorKind::Number
            };
            HeaderError::new(kind, start)
        })
    }

    /// Parses `*( SEMI generic-param )`.
    pub(crate) fn params(&mut self) -> Result<Params<'a>, HeaderError> {
        self.params_checked(crate::params::any)
    }

    /// Parses `*( SEMI generic-param )`, checking each parameter with
    /// `check`; a refused one is [`HeaderErrorKind::ParamValue`].
    pub(crate) fn params_checked(
        &mut self,
        check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<Params<'a>, HeaderError> {
        let (params, end) =
            Params::parse_header_at(self.s, self.pos, check).map_err(|f| match f {
                ParamFault::Syntax(p) => HeaderError::new(HeaderErrorKind::Param, p),
                ParamFault::Value(p) => HeaderError::new(HeaderErrorKind::ParamValue, p),
            })?;
        self.pos = end;
        Ok(params)
    }

    /// Parses `generic-param *( SEMI generic-param )`: a value made of
    /// parameters only. An empty value is [`HeaderErrorKind::Empty`].
    pub(crate) fn param_list(
        &mut self,
        check: impl FnMut(&'a str, Option<&'a str>) -> bool,
    ) -> Result<Params<'a>, HeaderError> {
        if self.peek().is_none() {
            return Err(self.error(HeaderErrorKind::Empty));
        }
        let (params, end) =
            Params::parse_list_at(self.s, self.pos, check).map_err(|f| match f {
                ParamFault::Syntax(p) => HeaderError::new(HeaderErrorKind::Param, p),
                ParamFault::Value(p) => HeaderError::new(HeaderErrorKind::ParamValue, p),
            })?;
        self.pos = end;
        Ok(params)
    }

    /// Parses `LAQUOT absoluteURI RAQUOT`.
    pub(crate) fn angle_uri(&mut self) -> Result<crate::uri::Uri<'a>, HeaderError> {
        self.skip_lws();
        if !self.eat(b'<') {
            return Err(self.error(HeaderErrorKind::AngleBracket));
        }
        let open = self.pos;
        let close = memchr::memchr(b'>', &self.bytes()[open..])
            .map(|off| open + off)
            .ok_or(HeaderError::new(HeaderErrorKind::AngleBracket, open))?;
        let uri = crate::uri::Uri::parse(&self.s[open..close])
            .map_err(|e| HeaderError::from_uri(e, open))?;
        self.pos = close + 1;
        Ok(uri)
    }

    /// Requires that only white space is left.
    pub(crate) fn finish(&mut self) -> Result<(), HeaderError> {
        self.skip_lws();
        if self.pos == self.s.len() {
            Ok(())
        } else {
            Err(self.error(HeaderErrorKind::Trailing))
        }
    }
}

/// Parses a header whose whole value is one unsigned 32-bit number.
pub(crate) fn parse_number(value: &str) -> Result<u32, HeaderError> {
    // Digits alone, the usual value: read at once.
    if let Ok(n) = syntax::parse_u32(value.as_bytes()) {
        return Ok(n);
    }
    let mut c = Cursor::new(value);
    if c.peek().is_none() {
        return Err(c.error(HeaderErrorKind::Empty));
    }
    let n = c.number()?;
    c.finish()?;
    Ok(n)
}
