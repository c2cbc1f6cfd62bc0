//! Semantic checks of a parsed message, apart from its syntax: RFC 3261 §8.2
//! (a UAS) and §16.3 (a proxy).

use thiserror::Error;

use smallvec::SmallVec;

use super::build::{BuildError, ResponseBuilder};
use super::parse::{Checked, Index, Start};
use super::{HeaderRef, MessageRef, header_name_from_id, parse_typed};
use crate::header::{
    self, Allow, CSeq, CallId, Contact, ContentType, Expires, HeaderError, HeaderName, MaxForwards,
    ProxyRequire, RecordRoute, Require, Route, Supported, To, TypedHeader, Unsupported, Via,
};
use crate::method::Method;
use crate::status::StatusCode;
use crate::uri::{SipUri, Uri, UriError};
use crate::version::Version;

/// Which of RFC 3261's request checks an element runs besides the common
/// ones: a user agent's (§8.2) or a proxy's (§16.3). One element can run
/// both, per request (an S-CSCF is a registrar for REGISTER and a proxy for
/// INVITE).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ValidationMode {
    /// A user agent server, registrar or B2BUA: Require is checked
    /// (RFC 3261 §8.2.2.3).
    #[default]
    UserAgent,
    /// A proxy: Proxy-Require and Max-Forwards are checked (RFC 3261 §16.3).
    Proxy,
}

/// What the validating element supports, for one request: the mode, the
/// option tags it understands and the Request-URI schemes it takes.
///
/// ```
/// use imsip::{MessageRef, ValidationPolicy};
///
/// let msg = MessageRef::parse(b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nRequire: 100rel\r\n\r\n").unwrap();
/// assert_eq!(msg.validate().unwrap_err().status_code().as_u16(), 420);
/// assert!(msg.validate_with(&ValidationPolicy::user_agent(&["100rel"])).is_ok());
/// assert!(msg.validate_with(&ValidationPolicy::proxy(&[])).is_ok()); // proxies ignore Require
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationPolicy<'p> {
    /// The checks of a user agent or of a proxy.
    pub mode: ValidationMode,
    /// Option tags understood (compared case-insensitively): a Require (user
    /// agent) or Proxy-Require (proxy) tag outside this list gets 420.
    pub supported: &'p [&'p str],
    /// Request-URI schemes accepted; any other gets 416 (RFC 3261 §8.2.2.1).
    pub uri_schemes: &'p [&'p str],
}

impl Default for ValidationPolicy<'_> {
    fn default() -> Self {
        ValidationPolicy::user_agent(&[])
    }
}

impl<'p> ValidationPolicy<'p> {
    /// A user agent's checks, with the option tags it `supported` and the
    /// `sip`, `sips` and `tel` schemes.
    pub const fn user_agent(supported: &'p [&'p str]) -> Self {
        ValidationPolicy {
            mode: ValidationMode::UserAgent,
            supported,
            uri_schemes: &["sip", "sips", "tel"],
        }
    }

    /// A proxy's checks, with the option tags it `supported` and the
    /// `sip`, `sips` and `tel` schemes.
    pub const fn proxy(supported: &'p [&'p str]) -> Self {
        ValidationPolicy {
            mode: ValidationMode::Proxy,
            supported,
            uri_schemes: &["sip", "sips", "tel"],
        }
    }

    /// The option tags of `msg` that this policy does not support, from
    /// Require for a user agent or Proxy-Require for a proxy: what to list
    /// in the Unsupported header of a 420 response.
    pub fn unsupported<'m>(&self, msg: &MessageRef<'m>) -> Vec<&'m str> {
        msg.values(self.extension_header())
            .filter_map(|v| std::str::from_utf8(v).ok())
            .filter(|tag| !self.supports(tag))
            .collect()
    }

    /// The response that answers `request` for `error` (from
    /// [`MessageRef::validate_with`] with this policy): the status code of
    /// the error, and for a 420 the Unsupported header listing what this
    /// policy does not support (RFC 3261 §8.2.2.3). Add headers if you
    /// like, then build it.
    ///
    /// ```
    /// use imsip::{MessageRef, StatusCode, ValidationPolicy};
    ///
    /// let msg = MessageRef::parse(b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nRequire: 100rel, foo\r\n\r\n").unwrap();
    /// let policy = ValidationPolicy::user_agent(&["100rel"]);
    /// let error = msg.validate_with(&policy).unwrap_err();
    /// let response = policy.rejection(&msg, &error)?.build()?;
    /// assert_eq!(response.as_ref().status(), Some(StatusCode::BAD_EXTENSION));
    /// assert_eq!(response.as_ref().get("Unsupported").unwrap().value(), b"foo");
    /// # Ok::<(), imsip::BuildError>(())
    /// ```
    ///
    /// # Errors
    /// As [`MessageRef::response`].
    pub fn rejection(
        &self,
        request: &MessageRef<'_>,
        error: &ValidationError,
    ) -> Result<ResponseBuilder, BuildError> {
        let mut builder = request.response(error.status_code())?;
        if let ValidationError::BadExtension(_) = error {
            let unsupported = self.unsupported(request);
            if !unsupported.is_empty() {
                builder = builder.raw_header("Unsupported", &unsupported.join(", "));
            }
        }
        Ok(builder)
    }

    /// Require for a user agent, Proxy-Require for a proxy.
    fn extension_header(&self) -> HeaderName {
        match self.mode {
            ValidationMode::UserAgent => HeaderName::Require,
            ValidationMode::Proxy => HeaderName::ProxyRequire,
        }
    }

    fn any_unsupported(&self, msg: &MessageRef<'_>, name: HeaderName) -> bool {
        // Usually there is no such header: one index lookup says so.
        if msg.get_known(name).is_none() {
            return false;
        }
        msg.values(name)
            .any(|v| std::str::from_utf8(v).map_or(true, |tag| !self.supports(tag)))
    }

    fn supports(&self, tag: &str) -> bool {
        self.supported.iter().any(|s| s.eq_ignore_ascii_case(tag))
    }
}

/// Why a syntactically parsed message is not acceptable.
///
/// For a request, [`ValidationError::status_code`] is the response to send;
/// a response that fails validation is dropped.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// The version is not SIP/2.0 (505, RFC 4475 §3.1.2.16).
    #[error("{0} is not supported")]
    UnsupportedVersion(Version),
    /// The Request-URI does not parse (400, RFC 4475 §3.1.2.7).
    #[error("invalid Request-URI: {0}")]
    InvalidRequestUri(UriError),
    /// The Request-URI has a header part, which RFC 3261 §19.1.1 forbids there
    /// (400, RFC 4475 §3.1.2.11).
    #[error("Request-URI carries headers")]
    RequestUriHeaders,
    /// The Request-URI scheme is not accepted (416, RFC 4475 §3.3.2).
    #[error("Request-URI scheme not supported")]
    UnsupportedUriScheme,
    /// A mandatory header is missing (400, RFC 4475 §3.3.1).
    #[error("missing {0} header")]
    MissingHeader(HeaderName),
    /// A header allowed once appears more than once (400, RFC 4475 §3.3.8).
    #[error("{0} appears more than once")]
    DuplicateHeader(HeaderName),
    /// A header does not parse or is out of range (400).
    #[error("{0}")]
    InvalidHeader(HeaderError),
    /// The CSeq method is not the request method (400, RFC 4475 §3.1.2.17).
    #[error("CSeq method does not match the request method")]
    CSeqMethodMismatch,
    /// Require (user agent) or Proxy-Require (proxy) names an extension the
    /// policy does not support (420, RFC 4475 §3.3.5); the header is given.
    #[error("unsupported extension in {0}")]
    BadExtension(HeaderName),
    /// A proxy received Max-Forwards: 0 (483, RFC 4475 §3.3.11).
    #[error("Max-Forwards is zero")]
    TooManyHops,
}

impl ValidationError {
    /// The status code to answer a request with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ValidationError::UnsupportedVersion(_) => StatusCode::VERSION_NOT_SUPPORTED,
            ValidationError::UnsupportedUriScheme => StatusCode::UNSUPPORTED_URI_SCHEME,
            ValidationError::BadExtension(_) => StatusCode::BAD_EXTENSION,
            ValidationError::TooManyHops => StatusCode::TOO_MANY_HOPS,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// Headers that must be present in every request and response.
const MANDATORY: [HeaderName; 5] = [
    HeaderName::Via,
    HeaderName::From,
    HeaderName::To,
    HeaderName::CallId,
    HeaderName::CSeq,
];

fn check_first<'a, H: TypedHeader<'a>>(msg: &MessageRef<'a>) -> Result<Option<H>, ValidationError> {
    msg.header::<H>()
        .transpose()
        .map_err(ValidationError::InvalidHeader)
}

/// [`MessageRef::validate_with`]: the checks every message gets (those
/// recorded as passed are skipped), then for a request the policy's.
pub(super) fn validate(
    msg: &MessageRef<'_>,
    policy: &ValidationPolicy<'_>,
) -> Result<(), ValidationError> {
    check_common(msg, false)?;
    if msg.is_request() {
        check_policy(msg, policy)?;
    }
    Ok(())
}

/// The checks of RFC 3261 §8.2 and §16.3 that do not depend on a policy:
/// [`check_structure`] for every message, and for a request
/// [`check_request_line`]. What passed is recorded in the message's index
/// (shared by every view of it) and skipped next time. With
/// `top_via_parsed`, the caller parsed the top Via value without error, so
/// it is not parsed again.
///
/// The endpoint runs these on every request it receives (their failures are
/// answered the same way by every element); the transaction user runs
/// [`check_policy`] with its own policy through
/// [`MessageRef::validate_with`], which then costs only the policy's
/// checks.
pub(crate) fn check_common(
    msg: &MessageRef<'_>,
    top_via_parsed: bool,
) -> Result<(), ValidationError> {
    let checked = &msg.index.checked;
    if checked.get() < Checked::STRUCTURE {
        check_structure_parsed(msg, 0, top_via_parsed)?;
        checked.set(Checked::STRUCTURE);
    }
    if msg.is_request() && checked.get() < Checked::REQUEST_LINE {
        check_request_line(msg)?;
        checked.set(Checked::REQUEST_LINE);
    }
    Ok(())
}

/// The checks that depend on the element's policy, for a request that
/// passed [`check_common`]: the Request-URI scheme (416), and Require (420)
/// for a user agent, or Max-Forwards (483) and Proxy-Require (420) for a
/// proxy.
fn check_policy(
    msg: &MessageRef<'_>,
    policy: &ValidationPolicy<'_>,
) -> Result<(), ValidationError> {
    let Some(method) = msg.method() else {
        return Ok(());
    };
    // The Request-URI parsed: its scheme is what precedes the first `:`.
    let Start::Request {
        uri_start, uri_len, ..
    } = msg.index.start
    else {
        return Ok(());
    };
    let uri = &msg.buf[uri_start as usize..(uri_start + uri_len) as usize];
    let scheme = uri.split(|&b| b == b':').next().unwrap_or_default();
    if !policy
        .uri_schemes
        .iter()
        .any(|s| s.as_bytes().eq_ignore_ascii_case(scheme))
    {
        return Err(ValidationError::UnsupportedUriScheme);
    }
    match policy.mode {
        ValidationMode::Proxy => {
            if check_first::<MaxForwards>(msg)? == Some(MaxForwards(0)) {
                return Err(ValidationError::TooManyHops);
            }
            if policy.any_unsupported(msg, HeaderName::ProxyRequire) {
                return Err(ValidationError::BadExtension(HeaderName::ProxyRequire));
            }
        }
        ValidationMode::UserAgent => {
            // Require is ignored in CANCEL and in ACK (RFC 3261 §8.2.2.3).
            let ignores_require = matches!(method, Method::Ack | Method::Cancel);
            if !ignores_require && policy.any_unsupported(msg, HeaderName::Require) {
                return Err(ValidationError::BadExtension(HeaderName::Require));
            }
        }
    }
    Ok(())
}

/// The checks every message gets, request or response: version, mandatory
/// and single-valued headers, and the typed core headers. The typed checks
/// skip the first `trusted` header fields (copied by a builder from a
/// message that passed these checks).
pub(crate) fn check_structure(msg: &MessageRef<'_>, trusted: usize) -> Result<(), ValidationError> {
    check_structure_parsed(msg, trusted, false)
}

/// [`check_structure`]; with `top_via_parsed`, a first Via field holding
/// one value is not parsed again (the caller parsed it without error).
fn check_structure_parsed(
    msg: &MessageRef<'_>,
    trusted: usize,
    top_via_parsed: bool,
) -> Result<(), ValidationError> {
    let version = msg.version();
    if version != Version::SIP_2_0 {
        return Err(ValidationError::UnsupportedVersion(version));
    }
    // One pass over the header index: presence, duplicates, and where the
    // typed core headers are; then the typed checks, in a fixed order.
    let mut seen = [false; 256];
    let mut duplicate = None;
    // `kind << 24 | position`: sorted, the checks run kind by kind.
    let mut typed: SmallVec<[u32; 24]> = SmallVec::new();
    for (i, e) in msg.index.headers.iter().enumerate() {
        let Some(name) = header_name_from_id(e.id) else {
            continue;
        };
        let again = std::mem::replace(&mut seen[usize::from(e.id)], true);
        if again && name.is_single() && duplicate.is_none() {
            duplicate = Some(name);
        }
        let Some(k) = typed_index(name) else {
            continue;
        };
        if (again && !TYPED[usize::from(k)].1) || i < trusted {
            continue;
        }
        if top_via_parsed && !again && name == HeaderName::Via && msg.index.top_via_plain {
            continue;
        }
        typed.push(u32::from(k) << 24 | i as u32);
    }
    for name in MANDATORY {
        if !seen[name as usize] {
            return Err(ValidationError::MissingHeader(name));
        }
    }
    if let Some(name) = duplicate {
        return Err(ValidationError::DuplicateHeader(name));
    }
    if typed.is_empty() {
        // All trusted (a response built from a checked request).
        return Ok(());
    }
    // In checking order, so the error reported does not depend on the order
    // of the header fields.
    typed.sort_unstable();
    // One UTF-8 check of the header section instead of one per value; the
    // values are then slices of it (values end at ASCII octets, so at
    // character boundaries).
    let head = std::str::from_utf8(&msg.buf[..msg.index.head_end as usize]).ok();
    let text = Text {
        head,
        base: msg.buf.as_ptr() as usize,
    };
    let index: &Index = &msg.index;
    for &key in &typed {
        let (k, i) = ((key >> 24) as usize, (key & 0x00ff_ffff) as usize);
        let name = TYPED[k].0;
        if let Some(e) = index.headers.get(i) {
            // The entry is `name`'s: the pass above found it by its id.
            let h = HeaderRef {
                name: e.name(msg.buf),
                value: e.value(msg.buf),
                known: Some(name),
            };
            check_field(name, h, &text).map_err(ValidationError::InvalidHeader)?;
        }
    }
    Ok(())
}

/// Header values as text: slices of the header section when it is UTF-8,
/// else each value checked on its own (which also locates a bad octet).
struct Text<'a> {
    head: Option<&'a str>,
    /// The address of the message's first octet.
    base: usize,
}

impl<'a> Text<'a> {
    /// `value` (a slice of the header section) as text, when the header
    /// section is UTF-8.
    fn get(&self, value: &'a [u8]) -> Option<&'a str> {
        let start = (value.as_ptr() as usize).wrapping_sub(self.base);
        self.head?.get(start..start.wrapping_add(value.len()))
    }

    fn parse<H: TypedHeader<'a>>(&self, value: &'a [u8]) -> Result<H, HeaderError> {
        match self.get(value) {
            Some(text) => H::parse(text).map_err(|e| e.in_header(H::NAME)),
            None => parse_typed::<H>(value),
        }
    }
}

/// The typed headers every message is checked for, in checking order, and
/// whether every field (list headers) or only the first is checked.
const TYPED: [(HeaderName, bool); 16] = [
    (HeaderName::Via, true),
    (HeaderName::From, false),
    (HeaderName::To, false),
    (HeaderName::CallId, false),
    (HeaderName::CSeq, false),
    (HeaderName::MaxForwards, false),
    (HeaderName::Contact, true),
    (HeaderName::Route, true),
    (HeaderName::RecordRoute, true),
    (HeaderName::ContentType, false),
    (HeaderName::Expires, false),
    (HeaderName::Require, true),
    (HeaderName::ProxyRequire, true),
    (HeaderName::Supported, true),
    (HeaderName::Unsupported, true),
    (HeaderName::Allow, true),
];

/// Where `name` is in [`TYPED`].
fn typed_index(name: HeaderName) -> Option<u8> {
    Some(match name {
        HeaderName::Via => 0,
        HeaderName::From => 1,
        HeaderName::To => 2,
        HeaderName::CallId => 3,
        HeaderName::CSeq => 4,
        HeaderName::MaxForwards => 5,
        HeaderName::Contact => 6,
        HeaderName::Route => 7,
        HeaderName::RecordRoute => 8,
        HeaderName::ContentType => 9,
        HeaderName::Expires => 10,
        HeaderName::Require => 11,
        HeaderName::ProxyRequire => 12,
        HeaderName::Supported => 13,
        HeaderName::Unsupported => 14,
        HeaderName::Allow => 15,
        _ => return None,
    })
}

/// Parses the field `h` as the typed header `name`: every element of a
/// list header, the first element of any other.
fn check_field<'a>(name: HeaderName, h: HeaderRef<'a>, text: &Text<'a>) -> Result<(), HeaderError> {
    fn all<'a, H: TypedHeader<'a>>(h: HeaderRef<'a>, text: &Text<'a>) -> Result<(), HeaderError> {
        for element in h.elements() {
            text.parse::<H>(element)?;
        }
        Ok(())
    }
    /// Methods and option tags: a plain list of tokens is checked at once.
    fn tokens<'a, H: TypedHeader<'a>>(
        h: HeaderRef<'a>,
        text: &Text<'a>,
    ) -> Result<(), HeaderError> {
        if crate::syntax::fast_check_token_list(h.value) {
            return Ok(());
        }
        all::<H>(h, text)
    }
    fn first<'a, H: TypedHeader<'a>>(h: HeaderRef<'a>, text: &Text<'a>) -> Result<(), HeaderError> {
        text.parse::<H>(h.first_element()).map(|_| ())
    }
    /// From and To: the usual shape is checked without a parse.
    fn name_addr<'a, H: TypedHeader<'a>>(
        h: HeaderRef<'a>,
        text: &Text<'a>,
    ) -> Result<(), HeaderError> {
        let value = h.first_element();
        if text.get(value).is_some_and(header::name_addr::fast_check) {
            return Ok(());
        }
        text.parse::<H>(value).map(|_| ())
    }
    match name {
        HeaderName::Via => all::<Via<'_>>(h, text),
        HeaderName::From => name_addr::<header::From<'_>>(h, text),
        HeaderName::To => name_addr::<To<'_>>(h, text),
        HeaderName::CallId => first::<CallId<'_>>(h, text),
        HeaderName::CSeq => first::<CSeq<'_>>(h, text),
        HeaderName::MaxForwards => first::<MaxForwards>(h, text),
        HeaderName::Contact => all::<Contact<'_>>(h, text),
        HeaderName::Route => all::<Route<'_>>(h, text),
        HeaderName::RecordRoute => all::<RecordRoute<'_>>(h, text),
        HeaderName::ContentType => first::<ContentType<'_>>(h, text),
        HeaderName::Expires => first::<Expires>(h, text),
        HeaderName::Require => tokens::<Require<'_>>(h, text),
        HeaderName::ProxyRequire => tokens::<ProxyRequire<'_>>(h, text),
        HeaderName::Supported => tokens::<Supported<'_>>(h, text),
        HeaderName::Unsupported => tokens::<Unsupported<'_>>(h, text),
        HeaderName::Allow => tokens::<Allow<'_>>(h, text),
        _ => Ok(()),
    }
}

/// The checks of a request's start line: a Request-URI that parses and has
/// no headers, and a CSeq method equal to the request method. Runs after
/// [`check_structure`] (the CSeq is known to parse).
pub(crate) fn check_request_line(msg: &MessageRef<'_>) -> Result<(), ValidationError> {
    // A SIP URI of the usual shape (no password, no headers) is checked
    // without building it.
    if !msg.request_uri_str().is_some_and(SipUri::fast_check) {
        let uri = msg
            .request_uri()
            .unwrap_or_else(|| Err(UriError::new(crate::uri::UriErrorKind::Empty, 0)))
            .map_err(ValidationError::InvalidRequestUri)?;
        if let Uri::Sip(sip) = &uri
            && sip.headers().is_some()
        {
            return Err(ValidationError::RequestUriHeaders);
        }
    }
    // The CSeq passed the structural checks before this (or was copied from
    // a message whose did): its method is the token after the number, and
    // methods compare as written (they are case-sensitive).
    if let (Some(cseq), Start::Request { method_len, .. }) =
        (msg.get_known(HeaderName::CSeq), msg.index.start)
    {
        let v = cseq.value();
        let start = v
            .iter()
            .rposition(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .map_or(0, |i| i + 1);
        if v[start..] != msg.buf[..method_len as usize] {
            return Err(ValidationError::CSeqMethodMismatch);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_via_in_a_list_or_alone() {
        let msg = |vias: &str| {
            format!(
                "OPTIONS sip:b@example.com SIP/2.0\r\n{vias}Max-Forwards: 70\r\n\
                 From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n\
                 Call-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
            )
        };
        let cases = [
            (
                "Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\r\n",
                true,
                Ok(()),
            ),
            (
                "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2\r\n",
                false,
                Ok(()),
            ),
            (
                "Via: SIP/2.0/UDP a;branch=z9hG4bK1;x=\"p,q\"\r\n",
                false,
                Ok(()),
            ),
            // A broken second value in the first field is still checked.
            (
                "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP\r\n",
                false,
                Err(()),
            ),
        ];
        for (vias, plain, valid) in cases {
            let text = msg(vias);
            let m = MessageRef::parse(text.as_bytes()).unwrap();
            assert_eq!(m.index.top_via_plain, plain, "{vias}");
            let (top, noted) = m.via_noted().unwrap();
            assert_eq!(top.sent_by.host.to_string(), "a", "{vias}");
            assert_eq!(noted.branch, Some("z9hG4bK1"));
            // With the top Via already parsed, as the endpoint validates.
            assert_eq!(check_common(&m, true).map_err(|_| ()), valid, "{vias}");
        }
    }

    /// The fast check of token lists says yes only where every typed list
    /// parser it stands in for accepts each element.
    fn token_list_holds(s: &str) -> bool {
        if !crate::syntax::fast_check_token_list(s.as_bytes()) {
            return false;
        }
        for element in crate::syntax::ListElements::new(s.as_bytes()) {
            let e = std::str::from_utf8(element).unwrap();
            assert!(Allow::parse(e).is_ok(), "Allow {e:?} of {s:?}");
            assert!(Supported::parse(e).is_ok(), "Supported {e:?} of {s:?}");
            assert!(Require::parse(e).is_ok(), "Require {e:?} of {s:?}");
            assert!(ProxyRequire::parse(e).is_ok(), "Proxy-Require {e:?}");
            assert!(Unsupported::parse(e).is_ok(), "Unsupported {e:?}");
        }
        true
    }

    #[test]
    fn the_token_list_check_agrees_with_the_list_parsers() {
        let mut taken = 0;
        for base in ["INVITE, ACK, BYE", "100rel,timer", "sec-agree"] {
            for v in crate::syntax::one_octet_edits(base.as_bytes()) {
                if let Ok(s) = std::str::from_utf8(&v) {
                    taken += usize::from(token_list_holds(s));
                }
            }
        }
        assert!(taken > 200, "{taken}");
    }

    proptest::proptest! {
        #[test]
        fn token_list_check_implies_the_parsers(s in "[a-z0-9.!%*_+`'~ ,\t\"@-]{0,24}") {
            token_list_holds(&s);
        }
    }

    #[test]
    fn typed_index_agrees_with_the_table() {
        for (k, (name, _)) in TYPED.iter().enumerate() {
            assert_eq!(typed_index(*name), Some(k as u8), "{name:?}");
        }
        assert_eq!(typed_index(HeaderName::ContentLength), None);
    }

    #[test]
    fn the_first_bad_header_in_checking_order_is_reported() {
        // A bad Allow before a bad Via: Via is checked first.
        let text = "OPTIONS sip:b@example.com SIP/2.0\r\nAllow: \"\r\nVia: SIP/2.0/UDP\r\n\
            Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n\
            Call-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        let msg = MessageRef::parse(text.as_bytes()).unwrap();
        match msg.validate() {
            Err(ValidationError::InvalidHeader(e)) => assert_eq!(e.header(), Some(HeaderName::Via)),
            other => panic!("{other:?}"),
        }
        // With the Via fixed, the Allow error surfaces.
        let fixed = text.replace(
            "Via: SIP/2.0/UDP\r\n",
            "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n",
        );
        let msg = MessageRef::parse(fixed.as_bytes()).unwrap();
        match msg.validate() {
            Err(ValidationError::InvalidHeader(e)) => {
                assert_eq!(e.header(), Some(HeaderName::Allow));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cseq_method_compares_as_written() {
        let request = |method: &str, cseq: &str| {
            format!(
                "{method} sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
                 Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n\
                 Call-ID: c\r\nCSeq: {cseq}\r\nContent-Length: 0\r\n\r\n"
            )
        };
        let verdict = |method: &str, cseq: &str| {
            let text = request(method, cseq);
            MessageRef::parse(text.as_bytes()).unwrap().validate()
        };
        assert_eq!(verdict("OPTIONS", "1 OPTIONS"), Ok(()));
        assert_eq!(verdict("OPTIONS", "1\r\n\t OPTIONS"), Ok(()));
        assert_eq!(verdict("FOO", "7  FOO"), Ok(()));
        for (method, cseq) in [
            ("OPTIONS", "1 INVITE"),
            ("OPTIONS", "1 options"),
            ("FOO", "1 FOOD"),
            ("FOOD", "1 FOO"),
        ] {
            assert_eq!(
                verdict(method, cseq),
                Err(ValidationError::CSeqMethodMismatch),
                "{method} / {cseq}"
            );
        }
    }

    #[test]
    fn header_section_not_utf8() {
        let request = |from: &[u8], other: &[u8]| {
            let mut m =
                b"OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
                Max-Forwards: 70\r\nFrom: "
                    .to_vec();
            m.extend_from_slice(from);
            m.extend_from_slice(b"\r\nTo: <sip:b@example.com>\r\nX-Other: ");
            m.extend_from_slice(other);
            m.extend_from_slice(b"\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            m
        };
        let verdict = |m: Vec<u8>| MessageRef::parse(&m).unwrap().validate();
        // A bad octet in a header no check reads: the typed values are
        // still checked one by one, and pass.
        assert_eq!(
            verdict(request(b"<sip:a@example.com>;tag=1", b"\xff")),
            Ok(())
        );
        // In a typed value: reported there, as a UTF-8 error.
        match verdict(request(b"\"\xc3\" <sip:a@example.com>;tag=1", b"x")) {
            Err(ValidationError::InvalidHeader(e)) => {
                assert_eq!(e.header(), Some(HeaderName::From));
                assert_eq!(e.kind(), crate::header::HeaderErrorKind::Utf8);
            }
            other => panic!("{other:?}"),
        }
        // Valid UTF-8 outside ASCII in a quoted display name is fine.
        assert_eq!(
            verdict(request(
                "\"Jos\u{e9}\" <sip:a@example.com>;tag=1".as_bytes(),
                b"x"
            )),
            Ok(())
        );
    }
}
