//! Header field names: the known names, their compact forms (RFC 3261 §7.3.3
//! and the IANA registry) and how their values are shaped.
//!
//! One table below lists every name once, with its spelling, length,
//! compact form and shape; the enum, the accessors and the lookup by
//! spelling are all generated from it.

use std::fmt;

/// How a header's values are shaped (RFC 3261 §7.3.1).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A comma-separated list: values may share a field, fields combine.
    List,
    /// One value, at most one field per message.
    Single,
    /// One value per field, several fields allowed (or a grammar with
    /// commas that is not a list, as Date or WWW-Authenticate).
    Other,
}

/// Defines [`HeaderName`], its table and its lookup from one list of rows:
/// `Variant = id, "Spelling" [/ 'compact form'], length, shape;`. The length
/// is written out so that the lookup can match on it; a compile-time check
/// holds it to the spelling's.
macro_rules! header_names {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $name:literal $(/ $compact:literal)?, $len:literal, $shape:ident;
    )*) => {
        /// A header field name the crate knows, with its compact form where
        /// IANA registered one.
        ///
        /// Unknown header names are not represented here: they are kept as
        /// written and compared case-insensitively.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum HeaderName {
            $($(#[$doc])* $variant = $id,)*
        }

        /// How many names the crate knows.
        const COUNT: usize = [$($id,)*].len();

        /// Every known name, in the order of their ids (the id minus one).
        pub(crate) const ALL: [HeaderName; COUNT] = [$(HeaderName::$variant,)*];

        /// Spelling, compact form and shape of each name, in the same order.
        const ROWS: [(&str, Option<char>, Shape); COUNT] =
            [$(($name, header_names!(@compact $($compact)?), Shape::$shape),)*];

        // The lengths written in the rows are the spellings'.
        const _: () = {
            $(assert!($name.len() == $len, concat!("the length of ", $name));)*
        };

        impl HeaderName {
            /// [`HeaderName::from_bytes`] of a name known to be a token
            /// (the parser and the builders check that first): a compact
            /// form by its letter, a name by its length and then compared
            /// with [`crate::syntax::eq_fold`] against each spelling of that
            /// length, a constant where it is inlined.
            #[inline]
            pub(crate) fn from_token(name: &[u8]) -> Option<HeaderName> {
                if let [letter] = name {
                    return match letter.to_ascii_lowercase() as char {
                        $($($compact => Some(HeaderName::$variant),)?)*
                        _ => None,
                    };
                }
                match name.len() {
                    $($len if crate::syntax::eq_fold(name, $name.as_bytes()) => {
                        Some(HeaderName::$variant)
                    })*
                    _ => None,
                }
            }
        }
    };
    (@compact $c:literal) => { Some($c) };
    (@compact) => { None };
}

header_names! {
    /// `Accept`, RFC 3261 §20.1.
    Accept = 1, "Accept", 6, List;
    /// `Accept-Contact` (compact form `a`), RFC 3841.
    AcceptContact = 2, "Accept-Contact" / 'a', 14, List;
    /// `Accept-Encoding`, RFC 3261 §20.2.
    AcceptEncoding = 3, "Accept-Encoding", 15, List;
    /// `Accept-Language`, RFC 3261 §20.3.
    AcceptLanguage = 4, "Accept-Language", 15, List;
    /// `Accept-Resource-Priority`, RFC 4412.
    AcceptResourcePriority = 5, "Accept-Resource-Priority", 24, List;
    /// `Alert-Info`, RFC 3261 §20.4.
    AlertInfo = 6, "Alert-Info", 10, List;
    /// `Allow`, RFC 3261 §20.5.
    Allow = 7, "Allow", 5, List;
    /// `Allow-Events` (compact form `u`), RFC 6665.
    AllowEvents = 8, "Allow-Events" / 'u', 12, List;
    /// `Answer-Mode`, RFC 5373.
    AnswerMode = 9, "Answer-Mode", 11, Single;
    /// `Authentication-Info`, RFC 3261 §20.6.
    AuthenticationInfo = 10, "Authentication-Info", 19, Other;
    /// `Authorization`, RFC 3261 §20.7.
    Authorization = 11, "Authorization", 13, Other;
    /// `Call-ID` (compact form `i`), RFC 3261 §20.8.
    CallId = 12, "Call-ID" / 'i', 7, Single;
    /// `Call-Info`, RFC 3261 §20.9.
    CallInfo = 13, "Call-Info", 9, List;
    /// `Contact` (compact form `m`), RFC 3261 §20.10.
    Contact = 14, "Contact" / 'm', 7, List;
    /// `Content-Disposition`, RFC 3261 §20.11.
    ContentDisposition = 15, "Content-Disposition", 19, Single;
    /// `Content-Encoding` (compact form `e`), RFC 3261 §20.12.
    ContentEncoding = 16, "Content-Encoding" / 'e', 16, List;
    /// `Content-ID`, RFC 8262.
    ContentId = 17, "Content-ID", 10, Single;
    /// `Content-Language`, RFC 3261 §20.13.
    ContentLanguage = 18, "Content-Language", 16, List;
    /// `Content-Length` (compact form `l`), RFC 3261 §20.14.
    ContentLength = 19, "Content-Length" / 'l', 14, Single;
    /// `Content-Type` (compact form `c`), RFC 3261 §20.15.
    ContentType = 20, "Content-Type" / 'c', 12, Single;
    /// `CSeq`, RFC 3261 §20.16.
    CSeq = 21, "CSeq", 4, Single;
    /// `Date`, RFC 3261 §20.17.
    Date = 22, "Date", 4, Other;
    /// `Error-Info`, RFC 3261 §20.18.
    ErrorInfo = 23, "Error-Info", 10, List;
    /// `Event` (compact form `o`), RFC 6665.
    Event = 24, "Event" / 'o', 5, Single;
    /// `Expires`, RFC 3261 §20.19.
    Expires = 25, "Expires", 7, Single;
    /// `Feature-Caps`, RFC 6809.
    FeatureCaps = 26, "Feature-Caps", 12, List;
    /// `Flow-Timer`, RFC 5626.
    FlowTimer = 27, "Flow-Timer", 10, Single;
    /// `From` (compact form `f`), RFC 3261 §20.20.
    From = 28, "From" / 'f', 4, Single;
    /// `Geolocation`, RFC 6442.
    Geolocation = 29, "Geolocation", 11, List;
    /// `Geolocation-Error`, RFC 6442.
    GeolocationError = 30, "Geolocation-Error", 17, Other;
    /// `Geolocation-Routing`, RFC 6442.
    GeolocationRouting = 31, "Geolocation-Routing", 19, Other;
    /// `History-Info`, RFC 7044.
    HistoryInfo = 32, "History-Info", 12, List;
    /// `Identity` (compact form `y`), RFC 8224.
    Identity = 33, "Identity" / 'y', 8, Other;
    /// `Identity-Info` (compact form `n`), RFC 4474.
    IdentityInfo = 34, "Identity-Info" / 'n', 13, Other;
    /// `Info-Package`, RFC 6086.
    InfoPackage = 35, "Info-Package", 12, Single;
    /// `In-Reply-To`, RFC 3261 §20.21.
    InReplyTo = 36, "In-Reply-To", 11, List;
    /// `Join`, RFC 3911.
    Join = 37, "Join", 4, Single;
    /// `Max-Breadth`, RFC 5393.
    MaxBreadth = 38, "Max-Breadth", 11, Single;
    /// `Max-Forwards`, RFC 3261 §20.22.
    MaxForwards = 39, "Max-Forwards", 12, Single;
    /// `MIME-Version`, RFC 3261 §20.24.
    MimeVersion = 40, "MIME-Version", 12, Single;
    /// `Min-Expires`, RFC 3261 §20.23.
    MinExpires = 41, "Min-Expires", 11, Single;
    /// `Min-SE`, RFC 4028.
    MinSe = 42, "Min-SE", 6, Single;
    /// `Organization`, RFC 3261 §20.25.
    Organization = 43, "Organization", 12, Other;
    /// `P-Access-Network-Info`, RFC 7315.
    PAccessNetworkInfo = 44, "P-Access-Network-Info", 21, List;
    /// `P-Answer-State`, RFC 4964.
    PAnswerState = 45, "P-Answer-State", 14, Other;
    /// `P-Asserted-Identity`, RFC 3325.
    PAssertedIdentity = 46, "P-Asserted-Identity", 19, List;
    /// `P-Asserted-Service`, RFC 6050.
    PAssertedService = 47, "P-Asserted-Service", 18, List;
    /// `P-Associated-URI`, RFC 7315.
    PAssociatedUri = 48, "P-Associated-URI", 16, List;
    /// `P-Called-Party-ID`, RFC 7315.
    PCalledPartyId = 49, "P-Called-Party-ID", 17, Single;
    /// `P-Charging-Function-Addresses`, RFC 7315.
    PChargingFunctionAddresses = 50, "P-Charging-Function-Addresses", 29, Other;
    /// `P-Charging-Vector`, RFC 7315.
    PChargingVector = 51, "P-Charging-Vector", 17, Single;
    /// `P-Early-Media`, RFC 5009.
    PEarlyMedia = 52, "P-Early-Media", 13, List;
    /// `P-Media-Authorization`, RFC 3313.
    PMediaAuthorization = 53, "P-Media-Authorization", 21, List;
    /// `P-Preferred-Identity`, RFC 3325.
    PPreferredIdentity = 54, "P-Preferred-Identity", 20, List;
    /// `P-Preferred-Service`, RFC 6050.
    PPreferredService = 55, "P-Preferred-Service", 19, List;
    /// `P-Profile-Key`, RFC 5002.
    PProfileKey = 56, "P-Profile-Key", 13, Single;
    /// `P-Served-User`, RFC 5502.
    PServedUser = 57, "P-Served-User", 13, Single;
    /// `P-User-Database`, RFC 4457.
    PUserDatabase = 58, "P-User-Database", 15, Single;
    /// `P-Visited-Network-ID`, RFC 7315.
    PVisitedNetworkId = 59, "P-Visited-Network-ID", 20, List;
    /// `Path`, RFC 3327.
    Path = 60, "Path", 4, List;
    /// `Permission-Missing`, RFC 5360.
    PermissionMissing = 61, "Permission-Missing", 18, List;
    /// `Policy-Contact`, RFC 6794.
    PolicyContact = 62, "Policy-Contact", 14, List;
    /// `Policy-ID`, RFC 6794.
    PolicyId = 63, "Policy-ID", 9, List;
    /// `Priority`, RFC 3261 §20.26.
    Priority = 64, "Priority", 8, Other;
    /// `Priv-Answer-Mode`, RFC 5373.
    PrivAnswerMode = 65, "Priv-Answer-Mode", 16, Single;
    /// `Privacy`, RFC 3323.
    Privacy = 66, "Privacy", 7, Other;
    /// `Proxy-Authenticate`, RFC 3261 §20.27.
    ProxyAuthenticate = 67, "Proxy-Authenticate", 18, Other;
    /// `Proxy-Authorization`, RFC 3261 §20.28.
    ProxyAuthorization = 68, "Proxy-Authorization", 19, Other;
    /// `Proxy-Require`, RFC 3261 §20.29.
    ProxyRequire = 69, "Proxy-Require", 13, List;
    /// `RAck`, RFC 3262.
    RAck = 70, "RAck", 4, Single;
    /// `Reason`, RFC 3326.
    Reason = 71, "Reason", 6, List;
    /// `Record-Route`, RFC 3261 §20.30.
    RecordRoute = 72, "Record-Route", 12, List;
    /// `Recv-Info`, RFC 6086.
    RecvInfo = 73, "Recv-Info", 9, List;
    /// `Refer-Sub`, RFC 4488.
    ReferSub = 74, "Refer-Sub", 9, Single;
    /// `Refer-To` (compact form `r`), RFC 3515.
    ReferTo = 75, "Refer-To" / 'r', 8, Single;
    /// `Referred-By` (compact form `b`), RFC 3892.
    ReferredBy = 76, "Referred-By" / 'b', 11, Single;
    /// `Reject-Contact` (compact form `j`), RFC 3841.
    RejectContact = 77, "Reject-Contact" / 'j', 14, List;
    /// `Replaces`, RFC 3891.
    Replaces = 78, "Replaces", 8, Single;
    /// `Reply-To`, RFC 3261 §20.31.
    ReplyTo = 79, "Reply-To", 8, Other;
    /// `Request-Disposition` (compact form `d`), RFC 3841.
    RequestDisposition = 80, "Request-Disposition" / 'd', 19, List;
    /// `Require`, RFC 3261 §20.32.
    Require = 81, "Require", 7, List;
    /// `Resource-Priority`, RFC 4412.
    ResourcePriority = 82, "Resource-Priority", 17, List;
    /// `Retry-After`, RFC 3261 §20.33.
    RetryAfter = 83, "Retry-After", 11, Other;
    /// `Route`, RFC 3261 §20.34.
    Route = 84, "Route", 5, List;
    /// `RSeq`, RFC 3262.
    RSeq = 85, "RSeq", 4, Single;
    /// `Security-Client`, RFC 3329.
    SecurityClient = 86, "Security-Client", 15, List;
    /// `Security-Server`, RFC 3329.
    SecurityServer = 87, "Security-Server", 15, List;
    /// `Security-Verify`, RFC 3329.
    SecurityVerify = 88, "Security-Verify", 15, List;
    /// `Server`, RFC 3261 §20.35.
    Server = 89, "Server", 6, Other;
    /// `Service-Route`, RFC 3608.
    ServiceRoute = 90, "Service-Route", 13, List;
    /// `Session-Expires` (compact form `x`), RFC 4028.
    SessionExpires = 91, "Session-Expires" / 'x', 15, Single;
    /// `Session-ID`, RFC 7989.
    SessionId = 92, "Session-ID", 10, Single;
    /// `SIP-ETag`, RFC 3903.
    SipETag = 93, "SIP-ETag", 8, Single;
    /// `SIP-If-Match`, RFC 3903.
    SipIfMatch = 94, "SIP-If-Match", 12, Single;
    /// `Subject` (compact form `s`), RFC 3261 §20.36.
    Subject = 95, "Subject" / 's', 7, Other;
    /// `Subscription-State`, RFC 6665.
    SubscriptionState = 96, "Subscription-State", 18, Single;
    /// `Supported` (compact form `k`), RFC 3261 §20.37.
    Supported = 97, "Supported" / 'k', 9, List;
    /// `Suppress-If-Match`, RFC 5839.
    SuppressIfMatch = 98, "Suppress-If-Match", 17, Single;
    /// `Target-Dialog`, RFC 4538.
    TargetDialog = 99, "Target-Dialog", 13, Single;
    /// `Timestamp`, RFC 3261 §20.38.
    Timestamp = 100, "Timestamp", 9, Other;
    /// `To` (compact form `t`), RFC 3261 §20.39.
    To = 101, "To" / 't', 2, Single;
    /// `Trigger-Consent`, RFC 5360.
    TriggerConsent = 102, "Trigger-Consent", 15, List;
    /// `Unsupported`, RFC 3261 §20.40.
    Unsupported = 103, "Unsupported", 11, List;
    /// `User-Agent`, RFC 3261 §20.41.
    UserAgent = 104, "User-Agent", 10, Other;
    /// `User-to-User`, RFC 7433.
    UserToUser = 105, "User-to-User", 12, List;
    /// `Via` (compact form `v`), RFC 3261 §20.42.
    Via = 106, "Via" / 'v', 3, List;
    /// `Warning`, RFC 3261 §20.43.
    Warning = 107, "Warning", 7, List;
    /// `WWW-Authenticate`, RFC 3261 §20.44.
    WwwAuthenticate = 108, "WWW-Authenticate", 16, Other;
}

impl HeaderName {
    /// The canonical spelling of the name.
    pub const fn as_str(self) -> &'static str {
        ROWS[self as usize - 1].0
    }

    /// The compact form, for the names that have one.
    pub const fn compact(self) -> Option<char> {
        ROWS[self as usize - 1].1
    }

    /// Whether the header's grammar is a comma-separated list, so several
    /// values may share one header field and several header fields combine
    /// into one list (RFC 3261 §7.3.1).
    pub const fn is_list(self) -> bool {
        matches!(ROWS[self as usize - 1].2, Shape::List)
    }

    /// Whether a message may carry this header at most once: its grammar has
    /// a single value and a second one would make processing ambiguous.
    pub const fn is_single(self) -> bool {
        matches!(ROWS[self as usize - 1].2, Shape::Single)
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
