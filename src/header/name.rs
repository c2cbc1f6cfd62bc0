//! Header field names: the known names, their compact forms (RFC 3261 §7.3.3
//! and the IANA registry) and how their values are shaped.

use std::fmt;

// This table is the one place that lists the header names the crate knows;
// `tests::table_is_consistent` checks that lookups agree with it.

/// A header field name the crate knows, with its compact form where IANA
/// registered one.
///
/// Unknown header names are not represented here: they are kept as written
/// and compared case-insensitively.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[repr(u8)]
pub enum HeaderName {
    /// `Accept`, RFC 3261 §20.1.
    Accept = 1,
    /// `Accept-Contact` (compact form `a`), RFC 3841.
    AcceptContact = 2,
    /// `Accept-Encoding`, RFC 3261 §20.2.
    AcceptEncoding = 3,
    /// `Accept-Language`, RFC 3261 §20.3.
    AcceptLanguage = 4,
    /// `Accept-Resource-Priority`, RFC 4412.
    AcceptResourcePriority = 5,
    /// `Alert-Info`, RFC 3261 §20.4.
    AlertInfo = 6,
    /// `Allow`, RFC 3261 §20.5.
    Allow = 7,
    /// `Allow-Events` (compact form `u`), RFC 6665.
    AllowEvents = 8,
    /// `Answer-Mode`, RFC 5373.
    AnswerMode = 9,
    /// `Authentication-Info`, RFC 3261 §20.6.
    AuthenticationInfo = 10,
    /// `Authorization`, RFC 3261 §20.7.
    Authorization = 11,
    /// `Call-ID` (compact form `i`), RFC 3261 §20.8.
    CallId = 12,
    /// `Call-Info`, RFC 3261 §20.9.
    CallInfo = 13,
    /// `Contact` (compact form `m`), RFC 3261 §20.10.
    Contact = 14,
    /// `Content-Disposition`, RFC 3261 §20.11.
    ContentDisposition = 15,
    /// `Content-Encoding` (compact form `e`), RFC 3261 §20.12.
    ContentEncoding = 16,
    /// `Content-ID`, RFC 8262.
    ContentId = 17,
    /// `Content-Language`, RFC 3261 §20.13.
    ContentLanguage = 18,
    /// `Content-Length` (compact form `l`), RFC 3261 §20.14.
    ContentLength = 19,
    /// `Content-Type` (compact form `c`), RFC 3261 §20.15.
    ContentType = 20,
    /// `CSeq`, RFC 3261 §20.16.
    CSeq = 21,
    /// `Date`, RFC 3261 §20.17.
    Date = 22,
    /// `Error-Info`, RFC 3261 §20.18.
    ErrorInfo = 23,
    /// `Event` (compact form `o`), RFC 6665.
    Event = 24,
    /// `Expires`, RFC 3261 §20.19.
    Expires = 25,
    /// `Feature-Caps`, RFC 6809.
    FeatureCaps = 26,
    /// `Flow-Timer`, RFC 5626.
    FlowTimer = 27,
    /// `From` (compact form `f`), RFC 3261 §20.20.
    From = 28,
    /// `Geolocation`, RFC 6442.
    Geolocation = 29,
    /// `Geolocation-Error`, RFC 6442.
    GeolocationError = 30,
    /// `Geolocation-Routing`, RFC 6442.
    GeolocationRouting = 31,
    /// `History-Info`, RFC 7044.
    HistoryInfo = 32,
    /// `Identity` (compact form `y`), RFC 8224.
    Identity = 33,
    /// `Identity-Info` (compact form `n`), RFC 4474.
    IdentityInfo = 34,
    /// `Info-Package`, RFC 6086.
    InfoPackage = 35,
    /// `In-Reply-To`, RFC 3261 §20.21.
    InReplyTo = 36,
    /// `Join`, RFC 3911.
    Join = 37,
    /// `Max-Breadth`, RFC 5393.
    MaxBreadth = 38,
    /// `Max-Forwards`, RFC 3261 §20.22.
    MaxForwards = 39,
    /// `MIME-Version`, RFC 3261 §20.24.
    MimeVersion = 40,
    /// `Min-Expires`, RFC 3261 §20.23.
    MinExpires = 41,
    /// `Min-SE`, RFC 4028.
    MinSe = 42,
    /// `Organization`, RFC 3261 §20.25.
    Organization = 43,
    /// `P-Access-Network-Info`, RFC 7315.
    PAccessNetworkInfo = 44,
    /// `P-Answer-State`, RFC 4964.
    PAnswerState = 45,
    /// `P-Asserted-Identity`, RFC 3325.
    PAssertedIdentity = 46,
    /// `P-Asserted-Service`, RFC 6050.
    PAssertedService = 47,
    /// `P-Associated-URI`, RFC 7315.
    PAssociatedUri = 48,
    /// `P-Called-Party-ID`, RFC 7315.
    PCalledPartyId = 49,
    /// `P-Charging-Function-Addresses`, RFC 7315.
    PChargingFunctionAddresses = 50,
    /// `P-Charging-Vector`, RFC 7315.
    PChargingVector = 51,
    /// `P-Early-Media`, RFC 5009.
    PEarlyMedia = 52,
    /// `P-Media-Authorization`, RFC 3313.
    PMediaAuthorization = 53,
    /// `P-Preferred-Identity`, RFC 3325.
    PPreferredIdentity = 54,
    /// `P-Preferred-Service`, RFC 6050.
    PPreferredService = 55,
    /// `P-Profile-Key`, RFC 5002.
    PProfileKey = 56,
    /// `P-Served-User`, RFC 5502.
    PServedUser = 57,
    /// `P-User-Database`, RFC 4457.
    PUserDatabase = 58,
    /// `P-Visited-Network-ID`, RFC 7315.
    PVisitedNetworkId = 59,
    /// `Path`, RFC 3327.
    Path = 60,
    /// `Permission-Missing`, RFC 5360.
    PermissionMissing = 61,
    /// `Policy-Contact`, RFC 6794.
    PolicyContact = 62,
    /// `Policy-ID`, RFC 6794.
    PolicyId = 63,
    /// `Priority`, RFC 3261 §20.26.
    Priority = 64,
    /// `Priv-Answer-Mode`, RFC 5373.
    PrivAnswerMode = 65,
    /// `Privacy`, RFC 3323.
    Privacy = 66,
    /// `Proxy-Authenticate`, RFC 3261 §20.27.
    ProxyAuthenticate = 67,
    /// `Proxy-Authorization`, RFC 3261 §20.28.
    ProxyAuthorization = 68,
    /// `Proxy-Require`, RFC 3261 §20.29.
    ProxyRequire = 69,
    /// `RAck`, RFC 3262.
    RAck = 70,
    /// `Reason`, RFC 3326.
    Reason = 71,
    /// `Record-Route`, RFC 3261 §20.30.
    RecordRoute = 72,
    /// `Recv-Info`, RFC 6086.
    RecvInfo = 73,
    /// `Refer-Sub`, RFC 4488.
    ReferSub = 74,
    /// `Refer-To` (compact form `r`), RFC 3515.
    ReferTo = 75,
    /// `Referred-By` (compact form `b`), RFC 3892.
    ReferredBy = 76,
    /// `Reject-Contact` (compact form `j`), RFC 3841.
    RejectContact = 77,
    /// `Replaces`, RFC 3891.
    Replaces = 78,
    /// `Reply-To`, RFC 3261 §20.31.
    ReplyTo = 79,
    /// `Request-Disposition` (compact form `d`), RFC 3841.
    RequestDisposition = 80,
    /// `Require`, RFC 3261 §20.32.
    Require = 81,
    /// `Resource-Priority`, RFC 4412.
    ResourcePriority = 82,
    /// `Retry-After`, RFC 3261 §20.33.
    RetryAfter = 83,
    /// `Route`, RFC 3261 §20.34.
    Route = 84,
    /// `RSeq`, RFC 3262.
    RSeq = 85,
    /// `Security-Client`, RFC 3329.
    SecurityClient = 86,
    /// `Security-Server`, RFC 3329.
    SecurityServer = 87,
    /// `Security-Verify`, RFC 3329.
    SecurityVerify = 88,
    /// `Server`, RFC 3261 §20.35.
    Server = 89,
    /// `Service-Route`, RFC 3608.
    ServiceRoute = 90,
    /// `Session-Expires` (compact form `x`), RFC 4028.
    SessionExpires = 91,
    /// `Session-ID`, RFC 7989.
    SessionId = 92,
    /// `SIP-ETag`, RFC 3903.
    SipETag = 93,
    /// `SIP-If-Match`, RFC 3903.
    SipIfMatch = 94,
    /// `Subject` (compact form `s`), RFC 3261 §20.36.
    Subject = 95,
    /// `Subscription-State`, RFC 6665.
    SubscriptionState = 96,
    /// `Supported` (compact form `k`), RFC 3261 §20.37.
    Supported = 97,
    /// `Suppress-If-Match`, RFC 5839.
    SuppressIfMatch = 98,
    /// `Target-Dialog`, RFC 4538.
    TargetDialog = 99,
    /// `Timestamp`, RFC 3261 §20.38.
    Timestamp = 100,
    /// `To` (compact form `t`), RFC 3261 §20.39.
    To = 101,
    /// `Trigger-Consent`, RFC 5360.
    TriggerConsent = 102,
    /// `Unsupported`, RFC 3261 §20.40.
    Unsupported = 103,
    /// `User-Agent`, RFC 3261 §20.41.
    UserAgent = 104,
    /// `User-to-User`, RFC 7433.
    UserToUser = 105,
    /// `Via` (compact form `v`), RFC 3261 §20.42.
    Via = 106,
    /// `Warning`, RFC 3261 §20.43.
    Warning = 107,
    /// `WWW-Authenticate`, RFC 3261 §20.44.
    WwwAuthenticate = 108,
}

pub(crate) const ALL: [HeaderName; 108] = [
    HeaderName::Accept,
    HeaderName::AcceptContact,
    HeaderName::AcceptEncoding,
    HeaderName::AcceptLanguage,
    HeaderName::AcceptResourcePriority,
    HeaderName::AlertInfo,
    HeaderName::Allow,
    HeaderName::AllowEvents,
    HeaderName::AnswerMode,
    HeaderName::AuthenticationInfo,
    HeaderName::Authorization,
    HeaderName::CallId,
    HeaderName::CallInfo,
    HeaderName::Contact,
    HeaderName::ContentDisposition,
    HeaderName::ContentEncoding,
    HeaderName::ContentId,
    HeaderName::ContentLanguage,
    HeaderName::ContentLength,
    HeaderName::ContentType,
    HeaderName::CSeq,
    HeaderName::Date,
    HeaderName::ErrorInfo,
    HeaderName::Event,
    HeaderName::Expires,
    HeaderName::FeatureCaps,
    HeaderName::FlowTimer,
    HeaderName::From,
    HeaderName::Geolocation,
    HeaderName::GeolocationError,
    HeaderName::GeolocationRouting,
    HeaderName::HistoryInfo,
    HeaderName::Identity,
    HeaderName::IdentityInfo,
    HeaderName::InfoPackage,
    HeaderName::InReplyTo,
    HeaderName::Join,
    HeaderName::MaxBreadth,
    HeaderName::MaxForwards,
    HeaderName::MimeVersion,
    HeaderName::MinExpires,
    HeaderName::MinSe,
    HeaderName::Organization,
    HeaderName::PAccessNetworkInfo,
    HeaderName::PAnswerState,
    HeaderName::PAssertedIdentity,
    HeaderName::PAssertedService,
    HeaderName::PAssociatedUri,
    HeaderName::PCalledPartyId,
    HeaderName::PChargingFunctionAddresses,
    HeaderName::PChargingVector,
    HeaderName::PEarlyMedia,
    HeaderName::PMediaAuthorization,
    HeaderName::PPreferredIdentity,
    HeaderName::PPreferredService,
    HeaderName::PProfileKey,
    HeaderName::PServedUser,
    HeaderName::PUserDatabase,
    HeaderName::PVisitedNetworkId,
    HeaderName::Path,
    HeaderName::PermissionMissing,
    HeaderName::PolicyContact,
    HeaderName::PolicyId,
    HeaderName::Priority,
    HeaderName::PrivAnswerMode,
    HeaderName::Privacy,
    HeaderName::ProxyAuthenticate,
    HeaderName::ProxyAuthorization,
    HeaderName::ProxyRequire,
    HeaderName::RAck,
    HeaderName::Reason,
    HeaderName::RecordRoute,
    HeaderName::RecvInfo,
    HeaderName::ReferSub,
    HeaderName::ReferTo,
    HeaderName::ReferredBy,
    HeaderName::RejectContact,
    HeaderName::Replaces,
    HeaderName::ReplyTo,
    HeaderName::RequestDisposition,
    HeaderName::Require,
    HeaderName::ResourcePriority,
    HeaderName::RetryAfter,
    HeaderName::Route,
    HeaderName::RSeq,
    HeaderName::SecurityClient,
    HeaderName::SecurityServer,
    HeaderName::SecurityVerify,
    HeaderName::Server,
    HeaderName::ServiceRoute,
    HeaderName::SessionExpires,
    HeaderName::SessionId,
    HeaderName::SipETag,
    HeaderName::SipIfMatch,
    HeaderName::Subject,
    HeaderName::SubscriptionState,
    HeaderName::Supported,
    HeaderName::SuppressIfMatch,
    HeaderName::TargetDialog,
    HeaderName::Timestamp,
    HeaderName::To,
    HeaderName::TriggerConsent,
    HeaderName::Unsupported,
    HeaderName::UserAgent,
    HeaderName::UserToUser,
    HeaderName::Via,
    HeaderName::Warning,
    HeaderName::WwwAuthenticate,
];

impl HeaderName {
    /// The canonical spelling of the name.
    pub const fn as_str(self) -> &'static str {
        match self {
            HeaderName::Accept => "Accept",
            HeaderName::AcceptContact => "Accept-Contact",
            HeaderName::AcceptEncoding => "Accept-Encoding",
            HeaderName::AcceptLanguage => "Accept-Language",
            HeaderName::AcceptResourcePriority => "Accept-Resource-Priority",
            HeaderName::AlertInfo => "Alert-Info",
            HeaderName::Allow => "Allow",
            HeaderName::AllowEvents => "Allow-Events",
            HeaderName::AnswerMode => "Answer-Mode",
            HeaderName::AuthenticationInfo => "Authentication-Info",
            HeaderName::Authorization => "Authorization",
            HeaderName::CallId => "Call-ID",
            HeaderName::CallInfo => "Call-Info",
            HeaderName::Contact => "Contact",
            HeaderName::ContentDisposition => "Content-Disposition",
            HeaderName::ContentEncoding => "Content-Encoding",
            HeaderName::ContentId => "Content-ID",
            HeaderName::ContentLanguage => "Content-Language",
            HeaderName::ContentLength => "Content-Length",
            HeaderName::ContentType => "Content-Type",
            HeaderName::CSeq => "CSeq",
            HeaderName::Date => "Date",
            HeaderName::ErrorInfo => "Error-Info",
            HeaderName::Event => "Event",
            HeaderName::Expires => "Expires",
            HeaderName::FeatureCaps => "Feature-Caps",
            HeaderName::FlowTimer => "Flow-Timer",
            HeaderName::From => "From",
            HeaderName::Geolocation => "Geolocation",
            HeaderName::GeolocationError => "Geolocation-Error",
            HeaderName::GeolocationRouting => "Geolocation-Routing",
            HeaderName::HistoryInfo => "History-Info",
            HeaderName::Identity => "Identity",
            HeaderName::IdentityInfo => "Identity-Info",
            HeaderName::InfoPackage => "Info-Package",
            HeaderName::InReplyTo => "In-Reply-To",
            HeaderName::Join => "Join",
            HeaderName::MaxBreadth => "Max-Breadth",
            HeaderName::MaxForwards => "Max-Forwards",
            HeaderName::MimeVersion => "MIME-Version",
            HeaderName::MinExpires => "Min-Expires",
            HeaderName::MinSe => "Min-SE",
            HeaderName::Organization => "Organization",
            HeaderName::PAccessNetworkInfo => "P-Access-Network-Info",
            HeaderName::PAnswerState => "P-Answer-State",
            HeaderName::PAssertedIdentity => "P-Asserted-Identity",
            HeaderName::PAssertedService => "P-Asserted-Service",
            HeaderName::PAssociatedUri => "P-Associated-URI",
            HeaderName::PCalledPartyId => "P-Called-Party-ID",
            HeaderName::PChargingFunctionAddresses => "P-Charging-Function-Addresses",
            HeaderName::PChargingVector => "P-Charging-Vector",
            HeaderName::PEarlyMedia => "P-Early-Media",
            HeaderName::PMediaAuthorization => "P-Media-Authorization",
            HeaderName::PPreferredIdentity => "P-Preferred-Identity",
            HeaderName::PPreferredService => "P-Preferred-Service",
            HeaderName::PProfileKey => "P-Profile-Key",
            HeaderName::PServedUser => "P-Served-User",
            HeaderName::PUserDatabase => "P-User-Database",
            HeaderName::PVisitedNetworkId => "P-Visited-Network-ID",
            HeaderName::Path => "Path",
            HeaderName::PermissionMissing => "Permission-Missing",
            HeaderName::PolicyContact => "Policy-Contact",
            HeaderName::PolicyId => "Policy-ID",
            HeaderName::Priority => "Priority",
            HeaderName::PrivAnswerMode => "Priv-Answer-Mode",
            HeaderName::Privacy => "Privacy",
            HeaderName::ProxyAuthenticate => "Proxy-Authenticate",
            HeaderName::ProxyAuthorization => "Proxy-Authorization",
            HeaderName::ProxyRequire => "Proxy-Require",
            HeaderName::RAck => "RAck",
            HeaderName::Reason => "Reason",
            HeaderName::RecordRoute => "Record-Route",
            HeaderName::RecvInfo => "Recv-Info",
            HeaderName::ReferSub => "Refer-Sub",
            HeaderName::ReferTo => "Refer-To",
            HeaderName::ReferredBy => "Referred-By",
            HeaderName::RejectContact => "Reject-Contact",
            HeaderName::Replaces => "Replaces",
            HeaderName::ReplyTo => "Reply-To",
            HeaderName::RequestDisposition => "Request-Disposition",
            HeaderName::Require => "Require",
            HeaderName::ResourcePriority => "Resource-Priority",
            HeaderName::RetryAfter => "Retry-After",
            HeaderName::Route => "Route",
            HeaderName::RSeq => "RSeq",
            HeaderName::SecurityClient => "Security-Client",
            HeaderName::SecurityServer => "Security-Server",
            HeaderName::SecurityVerify => "Security-Verify",
            HeaderName::Server => "Server",
            HeaderName::ServiceRoute => "Service-Route",
            HeaderName::SessionExpires => "Session-Expires",
            HeaderName::SessionId => "Session-ID",
            HeaderName::SipETag => "SIP-ETag",
            HeaderName::SipIfMatch => "SIP-If-Match",
            HeaderName::Subject => "Subject",
            HeaderName::SubscriptionState => "Subscription-State",
            HeaderName::Supported => "Supported",
            HeaderName::SuppressIfMatch => "Suppress-If-Match",
            HeaderName::TargetDialog => "Target-Dialog",
            HeaderName::Timestamp => "Timestamp",
            HeaderName::To => "To",
            HeaderName::TriggerConsent => "Trigger-Consent",
            HeaderName::Unsupported => "Unsupported",
            HeaderName::UserAgent => "User-Agent",
            HeaderName::UserToUser => "User-to-User",
            HeaderName::Via => "Via",
            HeaderName::Warning => "Warning",
            HeaderName::WwwAuthenticate => "WWW-Authenticate",
        }
    }

    /// The compact form, for the names that have one.
    pub const fn compact(self) -> Option<char> {
        match self {
            HeaderName::AcceptContact => Some('a'),
            HeaderName::AllowEvents => Some('u'),
            HeaderName::CallId => Some('i'),
            HeaderName::Contact => Some('m'),
            HeaderName::ContentEncoding => Some('e'),
            HeaderName::ContentLength => Some('l'),
            HeaderName::ContentType => Some('c'),
            HeaderName::Event => Some('o'),
            HeaderName::From => Some('f'),
            HeaderName::Identity => Some('y'),
            HeaderName::IdentityInfo => Some('n'),
            HeaderName::ReferTo => Some('r'),
            HeaderName::ReferredBy => Some('b'),
            HeaderName::RejectContact => Some('j'),
            HeaderName::RequestDisposition => Some('d'),
            HeaderName::SessionExpires => Some('x'),
            HeaderName::Subject => Some('s'),
            HeaderName::Supported => Some('k'),
            HeaderName::To => Some('t'),
            HeaderName::Via => Some('v'),
            _ => None,
        }
    }

    /// Whether the header's grammar is a comma-separated list, so several
    /// values may share one header field and several header fields combine
    /// into one list (RFC 3261 §7.3.1).
    pub const fn is_list(self) -> bool {
        matches!(
            self,
            HeaderName::Accept
                | HeaderName::AcceptContact
                | HeaderName::AcceptEncoding
                | HeaderName::AcceptLanguage
                | HeaderName::AcceptResourcePriority
                | HeaderName::AlertInfo
                | HeaderName::Allow
                | HeaderName::AllowEvents
                | HeaderName::CallInfo
                | HeaderName::Contact
                | HeaderName::ContentEncoding
                | HeaderName::ContentLanguage
                | HeaderName::ErrorInfo
                | HeaderName::FeatureCaps
                | HeaderName::Geolocation
                | HeaderName::HistoryInfo
                | HeaderName::InReplyTo
                | HeaderName::PAccessNetworkInfo
                | HeaderName::PAssertedIdentity
                | HeaderName::PAssertedService
                | HeaderName::PAssociatedUri
                | HeaderName::PEarlyMedia
                | HeaderName::PMediaAuthorization
                | HeaderName::PPreferredIdentity
                | HeaderName::PPreferredService
                | HeaderName::PVisitedNetworkId
                | HeaderName::Path
                | HeaderName::PermissionMissing
                | HeaderName::PolicyContact
                | HeaderName::PolicyId
                | HeaderName::ProxyRequire
                | HeaderName::Reason
                | HeaderName::RecordRoute
                | HeaderName::RecvInfo
                | HeaderName::RejectContact
                | HeaderName::RequestDisposition
                | HeaderName::Require
                | HeaderName::ResourcePriority
                | HeaderName::Route
                | HeaderName::SecurityClient
                | HeaderName::SecurityServer
                | HeaderName::SecurityVerify
                | HeaderName::ServiceRoute
                | HeaderName::Supported
                | HeaderName::TriggerConsent
                | HeaderName::Unsupported
                | HeaderName::UserToUser
                | HeaderName::Via
                | HeaderName::Warning
        )
    }

    /// Whether a message may carry this header at most once: its grammar has
    /// a single value and a second one would make processing ambiguous.
    pub const fn is_single(self) -> bool {
        matches!(
            self,
            HeaderName::AnswerMode
                | HeaderName::CallId
                | HeaderName::ContentDisposition
                | HeaderName::ContentId
                | HeaderName::ContentLength
                | HeaderName::ContentType
                | HeaderName::CSeq
                | HeaderName::Event
                | HeaderName::Expires
                | HeaderName::FlowTimer
                | HeaderName::From
                | HeaderName::InfoPackage
                | HeaderName::Join
                | HeaderName::MaxBreadth
                | HeaderName::MaxForwards
                | HeaderName::MimeVersion
                | HeaderName::MinExpires
                | HeaderName::MinSe
                | HeaderName::PCalledPartyId
                | HeaderName::PChargingVector
                | HeaderName::PProfileKey
                | HeaderName::PServedUser
                | HeaderName::PUserDatabase
                | HeaderName::PrivAnswerMode
                | HeaderName::RAck
                | HeaderName::ReferSub
                | HeaderName::ReferTo
                | HeaderName::ReferredBy
                | HeaderName::Replaces
                | HeaderName::RSeq
                | HeaderName::SessionExpires
                | HeaderName::SessionId
                | HeaderName::SipETag
                | HeaderName::SipIfMatch
                | HeaderName::SubscriptionState
                | HeaderName::SuppressIfMatch
                | HeaderName::TargetDialog
                | HeaderName::To
        )
    }

    /// Looks up a header name as written (any ASCII case, compact forms
    /// included); `None` for a name the crate does not know, or that is not
    /// a token.
    pub fn from_bytes(name: &[u8]) -> Option<HeaderName> {
        if !crate::syntax::is_token(name) {
            return None;
        }
        HeaderName::from_token(name)
    }

    /// [`HeaderName::from_bytes`] of a name known to be a token (the parser
    /// and the builders check that first): the comparison folds case by
    /// setting bit 5 of every octet, which is exact for token octets only
    /// (a CR would pass for `-`).
    pub(crate) fn from_token(name: &[u8]) -> Option<HeaderName> {
        let first = *name.first()? | 0x20;
        let eq = |lower: &[u8]| crate::syntax::eq_fold(name, lower);
        match (name.len(), first) {
            (1, b'a') => Some(HeaderName::AcceptContact),
            (1, b'b') => Some(HeaderName::ReferredBy),
            (1, b'c') => Some(HeaderName::ContentType),
            (1, b'd') => Some(HeaderName::RequestDisposition),
            (1, b'e') => Some(HeaderName::ContentEncoding),
            (1, b'f') => Some(HeaderName::From),
            (1, b'i') => Some(HeaderName::CallId),
            (1, b'j') => Some(HeaderName::RejectContact),
            (1, b'k') => Some(HeaderName::Supported),
            (1, b'l') => Some(HeaderName::ContentLength),
            (1, b'm') => Some(HeaderName::Contact),
            (1, b'n') => Some(HeaderName::IdentityInfo),
            (1, b'o') => Some(HeaderName::Event),
            (1, b'r') => Some(HeaderName::ReferTo),
            (1, b's') => Some(HeaderName::Subject),
            (1, b't') => Some(HeaderName::To),
            (1, b'u') => Some(HeaderName::AllowEvents),
            (1, b'v') => Some(HeaderName::Via),
            (1, b'x') => Some(HeaderName::SessionExpires),
            (1, b'y') => Some(HeaderName::Identity),
            (2, b't') if eq(b"to") => Some(HeaderName::To),
            (3, b'v') if eq(b"via") => Some(HeaderName::Via),
            (4, b'c') if eq(b"cseq") => Some(HeaderName::CSeq),
            (4, b'd') if eq(b"date") => Some(HeaderName::Date),
            (4, b'f') if eq(b"from") => Some(HeaderName::From),
            (4, b'j') if eq(b"join") => Some(HeaderName::Join),
            (4, b'p') if eq(b"path") => Some(HeaderName::Path),
            (4, b'r') => {
                if eq(b"rack") {
                    Some(HeaderName::RAck)
                } else if eq(b"rseq") {
                    Some(HeaderName::RSeq)
                } else {
                    None
                }
            }
            (5, b'a') if eq(b"allow") => Some(HeaderName::Allow),
            (5, b'e') if eq(b"event") => Some(HeaderName::Event),
            (5, b'r') if eq(b"route") => Some(HeaderName::Route),
            (6, b'a') if eq(b"accept") => Some(HeaderName::Accept),
            (6, b'm') if eq(b"min-se") => Some(HeaderName::MinSe),
            (6, b'r') if eq(b"reason") => Some(HeaderName::Reason),
            (6, b's') if eq(b"server") => Some(HeaderName::Server),
            (7, b'c') => {
                if eq(b"call-id") {
                    Some(HeaderName::CallId)
                } else if eq(b"contact") {
                    Some(HeaderName::Contact)
                } else {
                    None
                }
            }
            (7, b'e') if eq(b"expires") => Some(HeaderName::Expires),
            (7, b'p') if eq(b"privacy") => Some(HeaderName::Privacy),
            (7, b'r') if eq(b"require") => Some(HeaderName::Require),
            (7, b's') if eq(b"subject") => Some(HeaderName::Subject),
            (7, b'w') if eq(b"warning") => Some(HeaderName::Warning),
            (8, b'i') if eq(b"identity") => Some(HeaderName::Identity),
            (8, b'p') if eq(b"priority") => Some(HeaderName::Priority),
            (8, b'r') => {
                if eq(b"refer-to") {
                    Some(HeaderName::ReferTo)
                } else if eq(b"replaces") {
                    Some(HeaderName::Replaces)
                } else if eq(b"reply-to") {
                    Some(HeaderName::ReplyTo)
                } else {
                    None
                }
            }
            (8, b's') if eq(b"sip-etag") => Some(HeaderName::SipETag),
            (9, b'c') if eq(b"call-info") => Some(HeaderName::CallInfo),
            (9, b'p') if eq(b"policy-id") => Some(HeaderName::PolicyId),
            (9, b'r') => {
                if eq(b"recv-info") {
                    Some(HeaderName::RecvInfo)
                } else if eq(b"refer-sub") {
                    Some(HeaderName::ReferSub)
                } else {
                    None
                }
            }
            (9, b's') if eq(b"supported") => Some(HeaderName::Supported),
            (9, b't') if eq(b"timestamp") => Some(HeaderName::Timestamp),
            (10, b'a') if eq(b"alert-info") => Some(HeaderName::AlertInfo),
            (10, b'c') if eq(b"content-id") => Some(HeaderName::ContentId),
            (10, b'e') if eq(b"error-info") => Some(HeaderName::ErrorInfo),
            (10, b'f') if eq(b"flow-timer") => Some(HeaderName::FlowTimer),
            (10, b's') if eq(b"session-id") => Some(HeaderName::SessionId),
            (10, b'u') if eq(b"user-agent") => Some(HeaderName::UserAgent),
            (11, b'a') if eq(b"answer-mode") => Some(HeaderName::AnswerMode),
            (11, b'g') if eq(b"geolocation") => Some(HeaderName::Geolocation),
            (11, b'i') if eq(b"in-reply-to") => Some(HeaderName::InReplyTo),
            (11, b'm') => {
                if eq(b"max-breadth") {
                    Some(HeaderName::MaxBreadth)
                } else if eq(b"min-expires") {
                    Some(HeaderName::MinExpires)
                } else {
                    None
                }
            }
            (11, b'r') => {
                if eq(b"referred-by") {
                    Some(HeaderName::ReferredBy)
                } else if eq(b"retry-after") {
                    Some(HeaderName::RetryAfter)
                } else {
                    None
                }
            }
            (11, b'u') if eq(b"unsupported") => Some(HeaderName::Unsupported),
            (12, b'a') if eq(b"allow-events") => Some(HeaderName::AllowEvents),
            (12, b'c') if eq(b"content-type") => Some(HeaderName::ContentType),
            (12, b'f') if eq(b"feature-caps") => Some(HeaderName::FeatureCaps),
            (12, b'h') if eq(b"history-info") => Some(HeaderName::HistoryInfo),
            (12, b'i') if eq(b"info-package") => Some(HeaderName::InfoPackage),
            (12, b'm') => {
                if eq(b"max-forwards") {
                    Some(HeaderName::MaxForwards)
                } else if eq(b"mime-version") {
                    Some(HeaderName::MimeVersion)
                } else {
                    None
                }
            }
            (12, b'o') if eq(b"organization") => Some(HeaderName::Organization),
            (12, b'r') if eq(b"record-route") => Some(HeaderName::RecordRoute),
            (12, b's') if eq(b"sip-if-match") => Some(HeaderName::SipIfMatch),
            (12, b'u') if eq(b"user-to-user") => Some(HeaderName::UserToUser),
            (13, b'a') if eq(b"authorization") => Some(HeaderName::Authorization),
            (13, b'i') if eq(b"identity-info") => Some(HeaderName::IdentityInfo),
            (13, b'p') => {
                if eq(b"p-early-media") {
                    Some(HeaderName::PEarlyMedia)
                } else if eq(b"p-profile-key") {
                    Some(HeaderName::PProfileKey)
                } else if eq(b"p-served-user") {
                    Some(HeaderName::PServedUser)
                } else if eq(b"proxy-require") {
                    Some(HeaderName::ProxyRequire)
                } else {
                    None
                }
            }
            (13, b's') if eq(b"service-route") => Some(HeaderName::ServiceRoute),
            (13, b't') if eq(b"target-dialog") => Some(HeaderName::TargetDialog),
            (14, b'a') if eq(b"accept-contact") => Some(HeaderName::AcceptContact),
            (14, b'c') if eq(b"content-length") => Some(HeaderName::ContentLength),
            (14, b'p') => {
                if eq(b"p-answer-state") {
                    Some(HeaderName::PAnswerState)
                } else if eq(b"policy-contact") {
                    Some(HeaderName::PolicyContact)
                } else {
                    None
                }
            }
            (14, b'r') if eq(b"reject-contact") => Some(HeaderName::RejectContact),
            (15, b'a') => {
                if eq(b"accept-encoding") {
                    Some(HeaderName::AcceptEncoding)
                } else if eq(b"accept-language") {
                    Some(HeaderName::AcceptLanguage)
                } else {
                    None
                }
            }
            (15, b'p') if eq(b"p-user-database") => Some(HeaderName::PUserDatabase),
            (15, b's') => {
                if eq(b"security-client") {
                    Some(HeaderName::SecurityClient)
                } else if eq(b"security-server") {
                    Some(HeaderName::SecurityServer)
                } else if eq(b"security-verify") {
                    Some(HeaderName::SecurityVerify)
                } else if eq(b"session-expires") {
                    Some(HeaderName::SessionExpires)
                } else {
                    None
                }
            }
            (15, b't') if eq(b"trigger-consent") => Some(HeaderName::TriggerConsent),
            (16, b'c') => {
                if eq(b"content-encoding") {
                    Some(HeaderName::ContentEncoding)
                } else if eq(b"content-language") {
                    Some(HeaderName::ContentLanguage)
                } else {
                    None
                }
            }
            (16, b'p') => {
                if eq(b"p-associated-uri") {
                    Some(HeaderName::PAssociatedUri)
                } else if eq(b"priv-answer-mode") {
                    Some(HeaderName::PrivAnswerMode)
                } else {
                    None
                }
            }
            (16, b'w') if eq(b"www-authenticate") => Some(HeaderName::WwwAuthenticate),
            (17, b'g') if eq(b"geolocation-error") => Some(HeaderName::GeolocationError),
            (17, b'p') => {
                if eq(b"p-called-party-id") {
                    Some(HeaderName::PCalledPartyId)
                } else if eq(b"p-charging-vector") {
                    Some(HeaderName::PChargingVector)
                } else {
                    None
                }
            }
            (17, b'r') if eq(b"resource-priority") => Some(HeaderName::ResourcePriority),
            (17, b's') if eq(b"suppress-if-match") => Some(HeaderName::SuppressIfMatch),
            (18, b'p') => {
                if eq(b"p-asserted-service") {
                    Some(HeaderName::PAssertedService)
                } else if eq(b"permission-missing") {
                    Some(HeaderName::PermissionMissing)
                } else if eq(b"proxy-authenticate") {
                    Some(HeaderName::ProxyAuthenticate)
                } else {
                    None
                }
            }
            (18, b's') if eq(b"subscription-state") => Some(HeaderName::SubscriptionState),
            (19, b'a') if eq(b"authentication-info") => Some(HeaderName::AuthenticationInfo),
            (19, b'c') if eq(b"content-disposition") => Some(HeaderName::ContentDisposition),
            (19, b'g') if eq(b"geolocation-routing") => Some(HeaderName::GeolocationRouting),
            (19, b'p') => {
                if eq(b"p-asserted-identity") {
                    Some(HeaderName::PAssertedIdentity)
                } else if eq(b"p-preferred-service") {
                    Some(HeaderName::PPreferredService)
                } else if eq(b"proxy-authorization") {
                    Some(HeaderName::ProxyAuthorization)
                } else {
                    None
                }
            }
            (19, b'r') if eq(b"request-disposition") => Some(HeaderName::RequestDisposition),
            (20, b'p') => {
                if eq(b"p-preferred-identity") {
                    Some(HeaderName::PPreferredIdentity)
                } else if eq(b"p-visited-network-id") {
                    Some(HeaderName::PVisitedNetworkId)
                } else {
                    None
                }
            }
            (21, b'p') => {
                if eq(b"p-access-network-info") {
                    Some(HeaderName::PAccessNetworkInfo)
                } else if eq(b"p-media-authorization") {
                    Some(HeaderName::PMediaAuthorization)
                } else {
                    None
                }
            }
            (24, b'a') if eq(b"accept-resource-priority") => {
                Some(HeaderName::AcceptResourcePriority)
            }
            (29, b'p') if eq(b"p-charging-function-addresses") => {
                Some(HeaderName::PChargingFunctionAddresses)
            }
            _ => None,
        }
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for HeaderName {
    type Err = UnknownHeaderName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HeaderName::from_bytes(s.as_bytes()).ok_or(UnknownHeaderName)
    }
}

/// A name that is not one of the [`HeaderName`]s the crate knows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a header name this crate knows")]
pub struct UnknownHeaderName;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        let mut compacts = std::collections::HashSet::new();
        for (i, name) in ALL.iter().enumerate() {
            assert_eq!(*name as usize, i + 1);
            let s = name.as_str();
            assert_eq!(HeaderName::from_bytes(s.as_bytes()), Some(*name), "{s}");
            assert_eq!(
                HeaderName::from_bytes(s.to_ascii_uppercase().as_bytes()),
                Some(*name)
            );
            assert_eq!(
                HeaderName::from_bytes(s.to_ascii_lowercase().as_bytes()),
                Some(*name)
            );
            if let Some(c) = name.compact() {
                assert!(compacts.insert(c), "compact form {c} used twice");
                let mut b = [0u8; 4];
                let upper = c.to_ascii_uppercase().encode_utf8(&mut b);
                assert_eq!(HeaderName::from_bytes(upper.as_bytes()), Some(*name));
            }
            assert!(!(name.is_list() && name.is_single()), "{s}");
        }
        // Every compact form IANA registered.
        assert_eq!(compacts.len(), 20);
    }

    #[test]
    fn unknown_names() {
        for s in ["", "Z", "Vias", "C%6Fntact", "Via2", "P-Unknown", "-"] {
            assert_eq!(HeaderName::from_bytes(s.as_bytes()), None, "{s}");
        }
        assert_eq!("call-id".parse::<HeaderName>(), Ok(HeaderName::CallId));
        assert_eq!("I".parse::<HeaderName>(), Ok(HeaderName::CallId));
        // Octets that only look like a name once bit 5 is set: a CR for
        // `-`, control characters for digits and letters.
        for s in [
            &b"Max\rForwards"[..],
            b"Call\rID",
            b"\x16ia",
            b"V\x09a",
            b"\x16",
        ] {
            assert_eq!(HeaderName::from_bytes(s), None, "{s:?}");
        }
    }
}
