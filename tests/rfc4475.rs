//! RFC 4475, the SIP torture test messages: one test per message asserting the
//! RFC's verdict and the fields an element needs.
//!
//! Verdicts (from `tests/data/rfc4475/VERDICTS.tsv`):
//! - valid: parses and validates;
//! - invalid: fails parsing or validation with the error the RFC describes;
//! - valid-but-rejected: parses, and carries what an element needs to reject it.

mod common;

use common::{data, verdicts};
use imsip::header::{
    self, CSeq, Contact, ContentType, Expires, HeaderErrorKind, HeaderName, MaxForwards, QValue,
    Route, TypedHeader, Via,
};
use imsip::uri::{Host, Uri, UriErrorKind};
use imsip::{
    FlowSide, Frame, MessageRef, Method, ParseConfig, ParseErrorKind, StartLine, ValidationError,
    ValidationPolicy, Version, frame,
};

fn file(name: &str) -> Vec<u8> {
    data(&format!("rfc4475/{name}.sip"))
}

fn with<T>(name: &str, f: impl FnOnce(MessageRef<'_>) -> T) -> T {
    let bytes = file(name);
    let msg = MessageRef::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    f(msg)
}

fn parse_error(name: &str) -> ParseErrorKind {
    let bytes = file(name);
    MessageRef::parse(&bytes)
        .map(|_| ())
        .expect_err(name)
        .kind()
}

fn invalid_header(e: ValidationError) -> (HeaderName, HeaderErrorKind) {
    match e {
        ValidationError::InvalidHeader(h) => (h.header().unwrap(), h.kind()),
        other => panic!("expected an invalid header, got {other:?}"),
    }
}

fn sip_uri<'a>(uri: &'a Uri<'a>) -> &'a imsip::uri::SipUri<'a> {
    uri.as_sip().expect("a SIP URI")
}

/// Every message of the archive has a verdict, and the verdict holds.
#[test]
fn every_verdict_holds() {
    let rows = verdicts("rfc4475/VERDICTS.tsv");
    assert_eq!(rows.len(), 50);
    for (name, verdict) in rows {
        let bytes = file(&name);
        let parsed = MessageRef::parse(&bytes);
        match verdict.as_str() {
            "valid" => {
                let msg = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
                msg.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            "invalid" => {
                let rejected = match parsed {
                    Err(_) => true,
                    Ok(m) => m.validate().is_err(),
                };
                // baddate is the one invalid message the RFC lets an element
                // accept by ignoring the Date header (§3.1.2.12).
                assert_eq!(rejected, name != "baddate", "{name}");
            }
            "valid-but-rejected" => {
                parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            "unreferenced" => {}
            other => panic!("unknown verdict {other}"),
        }
    }
}

// §3.1.1 Valid messages

#[test]
fn wsinv_short_tortuous_invite() {
    with("wsinv", |m| {
        m.validate().unwrap();
        assert_eq!(m.method(), Some(Method::Invite));
        assert_eq!(
            m.request_uri_str(),
            Some("sip:vivekg@chair-dnrc.example.com;unknownparam")
        );
        let to = m.to().unwrap();
        assert_eq!(to.tag(), Some("1918181833n"));
        let from = m.from().unwrap();
        assert_eq!(from.tag(), Some("98asjd8"));
        assert_eq!(
            from.name_addr.display_name.as_deref(),
            Some("J Rosenberg \\\"")
        );
        assert_eq!(m.header::<MaxForwards>().unwrap().unwrap(), MaxForwards(68));
        assert_eq!(m.call_id().unwrap().as_str(), "wsinv.ndaksdj@192.0.2.1");
        assert_eq!(
            m.cseq().unwrap(),
            CSeq {
                seq: 9,
                method: Method::Invite
            }
        );
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(Result::unwrap).collect();
        assert_eq!(vias.len(), 3);
        assert_eq!(vias[0].branch(), Some("390skdjuw"));
        assert_eq!(vias[0].sent_by.host, Host::Ipv4([192, 0, 2, 2].into()));
        assert_eq!(vias[1].branch(), Some("z9hG4bK9ikj8"));
        assert_eq!(vias[2].branch(), Some("z9hG4bK30239"));
        assert_eq!(m.get("Subject").unwrap().value(), b"");
        assert_eq!(
            m.get("newfangledheader").unwrap().value(),
            b"newfangled value\r\n continued newfangled value"
        );
        assert_eq!(
            m.get("UnknownHeaderWithUnusualValue").unwrap().value(),
            b";;,,;;,;"
        );
        let route = m.header::<Route<'_>>().unwrap().unwrap();
        let params = sip_uri(route.uri()).params();
        assert_eq!(params.value("unknownwith"), Some("value"));
        assert!(params.contains("unknown-no-value"));
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(
            c.name_addr.display_name.as_deref(),
            Some("Quoted string \"\"")
        );
        assert_eq!(c.params.value("newparam"), Some("newvalue"));
        assert!(c.params.contains("secondparam"));
        assert_eq!(c.q(), QValue::from_thousandths(330));
        assert_eq!(m.content_length(), Some(150));
        assert_eq!(m.body().len(), 150);
    });
}

#[test]
fn intmeth_wide_range_of_valid_characters() {
    with("intmeth", |m| {
        m.validate().unwrap();
        let method = "!interesting-Method0123456789_*+`.%indeed'~";
        assert_eq!(m.method(), Some(Method::Extension(method.into())));
        assert_eq!(m.cseq().unwrap().method.as_str(), method);
        let uri = m.request_uri().unwrap().unwrap();
        let uri = sip_uri(&uri);
        assert_eq!(
            uri.user(),
            Some("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        );
        assert_eq!(
            uri.password(),
            Some("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        );
        assert_eq!(m.via().unwrap().branch(), Some("z9hG4bK-.!%66*_+`'~"));
        let to = m.to().unwrap();
        assert_eq!(
            to.name_addr.display_name.as_deref(),
            Some("BEL:\x07 NUL:\0 DEL:\x7f")
        );
        let from = m.from().unwrap();
        assert_eq!(
            from.name_addr.display_name.as_deref(),
            Some("token1~` token2'+_ token3*%!.-")
        );
        assert_eq!(from.tag(), Some("_token~1'+`*%!-."));
        let p = from.params.get("fromParam''~+*_!.-%").unwrap();
        assert_eq!(p.unquoted().unwrap(), "работающий");
        assert_eq!(
            m.call_id().unwrap().as_str(),
            "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"
        );
        let ext = m.get("extensionHeader-!.%*+_`'~").unwrap();
        assert_eq!(ext.value_str(), Some("\u{feff}大停電"));
    });
}

#[test]
fn esc01_valid_escaping() {
    with("esc01", |m| {
        m.validate().unwrap();
        let ruri = m.request_uri().unwrap().unwrap();
        assert_eq!(
            sip_uri(&ruri).user_unescaped().unwrap().as_ref(),
            b"sips:user@example.com"
        );
        let to = m.to().unwrap();
        assert!(
            to.uri()
                .equivalent(&Uri::parse("sip:user@example.com").unwrap())
        );
        let from = m.from().unwrap();
        assert_eq!(
            sip_uri(from.uri()).user_unescaped().unwrap().as_ref(),
            b"I have spaces"
        );
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        let contact = sip_uri(&c.name_addr.uri);
        assert_eq!(contact.user_unescaped().unwrap().as_ref(), b"caller");
        // `;%6C%72` is `;lr`, escaped.
        assert!(contact.is_loose_route());
        assert_eq!(contact.params().value("name"), Some("v%61lue%25%34%31"));
        assert!(c.name_addr.uri.equivalent(
            &Uri::parse("sip:caller@host5.example.net;lr;name=value%25%34%31").unwrap()
        ));
    });
}

#[test]
fn escnull_escaped_nulls() {
    with("escnull", |m| {
        m.validate().unwrap();
        let to = m.to().unwrap();
        assert_eq!(
            sip_uri(to.uri()).user_unescaped().unwrap().as_ref(),
            b"null-\0-null"
        );
        let users: Vec<Vec<u8>> = m
            .header_all::<Contact<'_>>()
            .map(|c| match c.unwrap() {
                Contact::Address(a) => sip_uri(&a.name_addr.uri)
                    .user_unescaped()
                    .unwrap()
                    .into_owned(),
                Contact::Wildcard => panic!(),
            })
            .collect();
        assert_eq!(users, [b"\0".to_vec(), b"\0\0".to_vec()]);
    });
}

#[test]
fn esc02_percent_not_an_escape() {
    with("esc02", |m| {
        m.validate().unwrap();
        // An unknown method, not REGISTER: the element answers 501.
        assert_eq!(m.method(), Some(Method::Extension("RE%47IST%45R".into())));
        assert_ne!(m.method(), Some(Method::Register));
        assert_eq!(
            m.to().unwrap().name_addr.display_name.as_deref(),
            Some("%Z%45")
        );
        assert_eq!(m.via().unwrap().branch(), Some("z9hG4bK209%fzsnel234"));
        // C%6Fntact is an unknown header, not a third Contact.
        assert_eq!(m.header_all::<Contact<'_>>().count(), 2);
        let odd = m.get("C%6Fntact").unwrap();
        assert_eq!(odd.known(), None);
    });
}

#[test]
fn lwsdisp_no_space_before_angle() {
    with("lwsdisp", |m| {
        m.validate().unwrap();
        assert_eq!(
            m.from().unwrap().name_addr.display_name.as_deref(),
            Some("caller")
        );
    });
}

#[test]
fn longreq_long_values() {
    with("longreq", |m| {
        m.validate().unwrap();
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(Result::unwrap).collect();
        assert_eq!(vias.len(), 34);
        assert_eq!(
            vias[0].sent_by.host,
            Host::Domain("sip33.example.com".into())
        );
        let last = vias.last().unwrap();
        assert_eq!(last.received(), Some([192, 0, 2, 5].into()));
        assert_eq!(last.branch().unwrap().len(), 215);
        let to = m.to().unwrap();
        assert!(
            to.name_addr
                .display_name
                .unwrap()
                .contains("extremeextreme")
        );
        assert_eq!(m.from().unwrap().tag().unwrap().len(), 155);
        assert!(m.call_id().unwrap().as_str().ends_with("longcallid"));
        assert_eq!(m.body().len(), 150);
    });
}

#[test]
fn dblreq_extra_octets_in_datagram() {
    let bytes = file("dblreq");
    let m = MessageRef::parse(&bytes).unwrap();
    m.validate().unwrap();
    assert_eq!(m.method(), Some(Method::Register));
    assert!(m.body().is_empty());
    assert!(m.len() < bytes.len());
    assert!(m.as_bytes().ends_with(b"Content-Length: 0\r\n\r\n"));
    // The octets after it are noise, never a second message.
    assert!(!m.as_bytes().windows(6).any(|w| w == b"INVITE"));
}

#[test]
fn semiuri_semicolon_in_user_part() {
    with("semiuri", |m| {
        m.validate().unwrap();
        let ruri = m.request_uri().unwrap().unwrap();
        let ruri = sip_uri(&ruri);
        assert_eq!(ruri.user(), Some("user;par=u%40example.net"));
        assert_eq!(
            ruri.user_unescaped().unwrap().as_ref(),
            b"user;par=u@example.net"
        );
        assert_eq!(ruri.host(), &Host::Domain("example.com".into()));
        assert!(ruri.params().is_empty());
        let accept: Vec<&[u8]> = m.values(HeaderName::Accept).collect();
        assert_eq!(accept.len(), 6);
        assert_eq!(accept[5], b"message/sipfrag");
    });
}

#[test]
fn transports_varied_and_unknown() {
    with("transports", |m| {
        m.validate().unwrap();
        let transports: Vec<String> = m
            .header_all::<Via<'_>>()
            .map(|v| v.unwrap().transport.to_string())
            .collect();
        assert_eq!(transports, ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"]);
    });
}

#[test]
fn mpart01_binary_multipart_body() {
    with("mpart01", |m| {
        m.validate().unwrap();
        let ct = m.header::<ContentType<'_>>().unwrap().unwrap();
        assert!(ct.0.is("multipart", "mixed"));
        assert_eq!(ct.0.params.value("boundary"), Some("7a9cbec02ceef655"));
        assert_eq!(m.body().len(), 553);
        assert!(m.body().contains(&0));
        assert!(m.body().ends_with(b"--7a9cbec02ceef655--\r\n"));
    });
}

#[test]
fn unreason_unusual_reason_phrase() {
    with("unreason", |m| {
        m.validate().unwrap();
        let StartLine::Response(s) = m.start_line() else {
            panic!()
        };
        assert_eq!(s.code.as_u16(), 200);
        let reason = std::str::from_utf8(s.reason).unwrap();
        assert!(reason.starts_with("= 2**3 * 5**2 но сто девяносто девять"));
    });
}

#[test]
fn noreason_empty_reason_phrase() {
    with("noreason", |m| {
        m.validate().unwrap();
        let StartLine::Response(s) = m.start_line() else {
            panic!()
        };
        assert_eq!(s.code.as_u16(), 100);
        assert!(s.reason.is_empty());
    });
}

// §3.1.2 Invalid messages

#[test]
fn badinv01_extraneous_separators() {
    with("badinv01", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(invalid_header(e), (HeaderName::Via, HeaderErrorKind::Param));
        let contact = m.header::<Contact<'_>>().unwrap().unwrap_err();
        assert_eq!(contact.kind(), HeaderErrorKind::Param);
    });
}

#[test]
fn clerr_content_length_larger_than_message() {
    let bytes = file("clerr");
    let e = MessageRef::parse(&bytes).map(|_| ()).unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::BodyTruncated);
    assert!(e.is_framing());
    assert_eq!(e.status_code().as_u16(), 400);
    // Over UDP the element answers 400: the header section is readable.
    let head = MessageRef::parse_head(&bytes, &ParseConfig::default()).unwrap();
    assert_eq!(
        head.call_id().unwrap().as_str(),
        "clerr.0ha0isndaksdjweiafasdk3"
    );
    // Over a stream the receiver can only wait for more data.
    assert_eq!(
        frame(&bytes, FlowSide::Server, &ParseConfig::default()),
        Ok(Frame::Partial)
    );
}

#[test]
fn ncl_negative_content_length() {
    assert_eq!(parse_error("ncl"), ParseErrorKind::InvalidContentLength);
    let bytes = file("ncl");
    // On a stream the framing is unrecoverable: close the connection.
    assert_eq!(
        frame(&bytes, FlowSide::Server, &ParseConfig::default())
            .unwrap_err()
            .kind(),
        ParseErrorKind::InvalidContentLength
    );
}

#[test]
fn scalar02_overlarge_request_scalars() {
    with("scalar02", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(
            invalid_header(e),
            (HeaderName::CSeq, HeaderErrorKind::OutOfRange)
        );
        let mf = m.header::<MaxForwards>().unwrap().unwrap_err();
        assert_eq!(mf.kind(), HeaderErrorKind::OutOfRange);
        let ex = m.header::<Expires>().unwrap().unwrap_err();
        assert_eq!(ex.kind(), HeaderErrorKind::OutOfRange);
        let c = m.header::<Contact<'_>>().unwrap().unwrap_err();
        assert_eq!(c.kind(), HeaderErrorKind::OutOfRange);
    });
}

#[test]
fn scalarlg_overlarge_response_scalars() {
    with("scalarlg", |m| {
        assert!(m.is_response());
        let e = m.validate().unwrap_err();
        assert_eq!(
            invalid_header(e),
            (HeaderName::CSeq, HeaderErrorKind::OutOfRange)
        );
        assert_eq!(
            m.get("Retry-After").unwrap().value(),
            b"949302838503028349304023988"
        );
        assert_eq!(
            m.get("Warning").unwrap().value(),
            b"1812 overture \"In Progress\""
        );
    });
}

#[test]
fn quotbal_unterminated_quote() {
    with("quotbal", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(
            invalid_header(e),
            (HeaderName::To, HeaderErrorKind::QuotedString)
        );
    });
}

#[test]
fn ltgtruri_angle_brackets_around_request_uri() {
    with("ltgtruri", |m| {
        assert_eq!(m.request_uri_str(), Some("<sip:user@example.com>"));
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        let ValidationError::InvalidRequestUri(u) = e else {
            panic!("{e:?}")
        };
        assert_eq!(u.kind(), UriErrorKind::Scheme);
    });
}

#[test]
fn lwsruri_white_space_in_request_uri() {
    // "INVITE sip:user@example.com; lr SIP/2.0": three words after the method.
    assert_eq!(parse_error("lwsruri"), ParseErrorKind::Version);
}

#[test]
fn lwsstart_multiple_spaces_in_request_line() {
    assert_eq!(parse_error("lwsstart"), ParseErrorKind::StartLine);
}

#[test]
fn trws_spaces_after_version() {
    assert_eq!(parse_error("trws"), ParseErrorKind::Version);
}

#[test]
fn escruri_headers_in_request_uri() {
    with("escruri", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e, ValidationError::RequestUriHeaders);
        assert_eq!(e.status_code().as_u16(), 400);
    });
}

#[test]
fn baddate_non_gmt_date() {
    // RFC 4475 §3.1.2.12 lets an element ignore a Date it does not use, which
    // is what validation does; the value is kept whole, never split at its
    // comma.
    with("baddate", |m| {
        m.validate().unwrap();
        let dates: Vec<&[u8]> = m.values(HeaderName::Date).collect();
        assert_eq!(dates, [&b"Fri, 01 Jan 2010 16:00:00 EST"[..]]);
    });
}

#[test]
fn regbadct_addr_spec_with_escaped_header() {
    with("regbadct", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(
            invalid_header(e),
            (HeaderName::Contact, HeaderErrorKind::AddrSpec)
        );
    });
}

#[test]
fn badaspec_spaces_in_addr_spec() {
    with("badaspec", |m| {
        // The From display name with a comma is quoted, hence fine.
        assert_eq!(
            m.from().unwrap().name_addr.display_name.as_deref(),
            Some("Bell, Alexander")
        );
        let e = m.validate().unwrap_err();
        assert_eq!(
            invalid_header(e),
            (HeaderName::To, HeaderErrorKind::Uri(UriErrorKind::Scheme))
        );
    });
}

#[test]
fn baddn_unquoted_display_names() {
    with("baddn", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(
            invalid_header(e),
            (HeaderName::From, HeaderErrorKind::DisplayName)
        );
        assert_eq!(m.to().unwrap_err().kind(), HeaderErrorKind::DisplayName);
    });
}

#[test]
fn badvers_unknown_protocol_version() {
    with("badvers", |m| {
        assert_eq!(m.version(), Version { major: 7, minor: 0 });
        let e = m.validate().unwrap_err();
        assert_eq!(
            e,
            ValidationError::UnsupportedVersion(Version { major: 7, minor: 0 })
        );
        assert_eq!(e.status_code().as_u16(), 505);
        // The headers a 505 copies are readable.
        assert_eq!(m.via().unwrap().branch(), Some("z9hG4bKkdjuw"));
        assert_eq!(m.call_id().unwrap().as_str(), "badvers.31417@c.example.com");
    });
}

#[test]
fn mismatch01_cseq_method_mismatch() {
    with("mismatch01", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e, ValidationError::CSeqMethodMismatch);
        assert_eq!(e.status_code().as_u16(), 400);
    });
}

#[test]
fn mismatch02_unknown_method_with_mismatch() {
    with("mismatch02", |m| {
        assert_eq!(m.method(), Some(Method::Extension("NEWMETHOD".into())));
        assert_eq!(
            m.validate().unwrap_err(),
            ValidationError::CSeqMethodMismatch
        );
    });
}

#[test]
fn bigcode_overlarge_response_code() {
    assert_eq!(parse_error("bigcode"), ParseErrorKind::StatusCode);
}

// §3.2 Transaction layer semantics

#[test]
fn badbranch_missing_transaction_identifier() {
    with("badbranch", |m| {
        m.validate().unwrap();
        let via = m.via().unwrap();
        assert_eq!(via.branch(), Some("z9hG4bK"));
        // Nothing after the magic cookie: not an RFC 3261 transaction id.
        assert!(!via.has_magic_cookie());
    });
}

// §3.3 Application layer semantics

#[test]
fn insuf_missing_required_headers() {
    with("insuf", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e, ValidationError::MissingHeader(HeaderName::From));
        assert_eq!(e.status_code().as_u16(), 400);
        assert_eq!(m.to().unwrap_err().kind(), HeaderErrorKind::Missing);
        assert_eq!(m.call_id().unwrap_err().kind(), HeaderErrorKind::Missing);
    });
}

#[test]
fn unkscm_unknown_request_uri_scheme() {
    with("unkscm", |m| {
        let uri = m.request_uri().unwrap().unwrap();
        assert_eq!(uri.scheme(), "nobodyKnowsThisScheme");
        let Uri::Other(o) = &uri else { panic!() };
        assert_eq!(o.rest(), "totallyopaquecontent");
        let e = m.validate().unwrap_err();
        assert_eq!(e, ValidationError::UnsupportedUriScheme);
        assert_eq!(e.status_code().as_u16(), 416);
        // The To URI is there, but must not be routed on.
        assert_eq!(m.to().unwrap().uri().scheme(), "sip");
    });
}

#[test]
fn novelsc_known_but_atypical_scheme() {
    with("novelsc", |m| {
        let uri = m.request_uri().unwrap().unwrap();
        assert_eq!(uri.to_string(), "soap.beep://192.0.2.103:3002");
        assert_eq!(m.validate().unwrap_err().status_code().as_u16(), 416);
        let mut policy = ValidationPolicy::user_agent(&[]);
        policy.uri_schemes = &["sip", "soap.beep"];
        m.validate_with(&policy).unwrap();
    });
}

#[test]
fn unksm2_unknown_schemes_in_headers() {
    with("unksm2", |m| {
        // Syntactically valid; a registrar rejects it because To is not SIP.
        m.validate().unwrap();
        assert_eq!(m.to().unwrap().uri().scheme(), "isbn");
        assert_eq!(m.from().unwrap().uri().scheme(), "http");
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(c.name_addr.uri.to_string(), "name:John_Smith");
    });
}

#[test]
fn bext01_unknown_require_and_proxy_require() {
    with("bext01", |m| {
        let ua = ValidationPolicy::default();
        assert_eq!(
            m.validate_with(&ua).unwrap_err(),
            ValidationError::BadExtension(HeaderName::Require)
        );
        assert_eq!(
            ua.unsupported(&m),
            ["nothingSupportsThis", "nothingSupportsThisEither"]
        );
        let proxy = ValidationPolicy::proxy(&[]);
        let e = m.validate_with(&proxy).unwrap_err();
        assert_eq!(e, ValidationError::BadExtension(HeaderName::ProxyRequire));
        assert_eq!(e.status_code().as_u16(), 420);
        assert_eq!(
            proxy.unsupported(&m),
            ["noProxiesSupportThis", "norDoAnyProxiesSupportThis"]
        );
        let tolerant =
            ValidationPolicy::user_agent(&["NOTHINGSUPPORTSTHIS", "nothingSupportsThisEither"]);
        m.validate_with(&tolerant).unwrap();
    });
}

#[test]
fn invut_unknown_content_type() {
    with("invut", |m| {
        m.validate().unwrap();
        let ct = m.header::<ContentType<'_>>().unwrap().unwrap();
        assert!(ct.0.is("application", "unknownformat"));
        assert_eq!(m.body().len(), 40);
    });
}

#[test]
fn regaut01_unknown_authorization_scheme() {
    with("regaut01", |m| {
        m.validate().unwrap();
        let auth = m.header::<header::Authorization<'_>>().unwrap().unwrap();
        assert_eq!(auth.scheme, "NoOneKnowsThisScheme");
        assert!(!auth.is_digest());
        assert_eq!(auth.params.get("opaque-data"), Some("here"));
    });
}

#[test]
fn multi01_multiple_single_values() {
    with("multi01", |m| {
        let e = m.validate().unwrap_err();
        assert_eq!(e, ValidationError::DuplicateHeader(HeaderName::CSeq));
        assert_eq!(e.status_code().as_u16(), 400);
        for name in [
            HeaderName::CallId,
            HeaderName::To,
            HeaderName::From,
            HeaderName::MaxForwards,
            HeaderName::CSeq,
        ] {
            assert_eq!(m.get_all_known(name).count(), 2, "{name}");
        }
    });
}

#[test]
fn mcl01_multiple_content_lengths() {
    assert_eq!(
        parse_error("mcl01"),
        ParseErrorKind::ConflictingContentLength
    );
    let bytes = file("mcl01");
    assert_eq!(
        frame(&bytes, FlowSide::Server, &ParseConfig::default())
            .unwrap_err()
            .kind(),
        ParseErrorKind::ConflictingContentLength
    );
}

#[test]
fn bcast_broadcast_via() {
    with("bcast", |m| {
        m.validate().unwrap();
        let vias: Vec<Via<'_>> = m.header_all::<Via<'_>>().map(Result::unwrap).collect();
        assert_eq!(
            vias[1].sent_by.host,
            Host::Ipv4([255, 255, 255, 255].into())
        );
    });
}

#[test]
fn zeromf_max_forwards_zero() {
    with("zeromf", |m| {
        // An endpoint processes it; a proxy answers 483.
        m.validate().unwrap();
        assert_eq!(m.header::<MaxForwards>().unwrap().unwrap(), MaxForwards(0));
        let proxy = ValidationPolicy::proxy(&[]);
        let e = m.validate_with(&proxy).unwrap_err();
        assert_eq!(e, ValidationError::TooManyHops);
        assert_eq!(e.status_code().as_u16(), 483);
    });
}

#[test]
fn cparam01_contact_parameter() {
    with("cparam01", |m| {
        m.validate().unwrap();
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        assert!(c.params.contains("unknownparam"));
        assert!(sip_uri(&c.name_addr.uri).params().is_empty());
    });
}

#[test]
fn cparam02_url_parameter() {
    with("cparam02", |m| {
        m.validate().unwrap();
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        assert!(c.params.is_empty());
        assert!(sip_uri(&c.name_addr.uri).params().contains("unknownparam"));
        assert_eq!(
            c.name_addr.uri.to_string(),
            "sip:+19725552222@gw1.example.net;unknownparam"
        );
    });
}

#[test]
fn regescrt_escaped_header_in_contact() {
    with("regescrt", |m| {
        m.validate().unwrap();
        let Contact::Address(c) = m.header::<Contact<'_>>().unwrap().unwrap() else {
            panic!()
        };
        let uri = sip_uri(&c.name_addr.uri);
        assert_eq!(uri.headers(), Some("Route=%3Csip:sip.example.com%3E"));
        assert_eq!(
            uri.header_fields().collect::<Vec<_>>(),
            [("Route", "%3Csip:sip.example.com%3E")]
        );
        // Retrieval gives the header back.
        assert_eq!(
            c.name_addr.uri.to_string(),
            "sip:user@example.com?Route=%3Csip:sip.example.com%3E"
        );
    });
}

#[test]
fn sdp01_unacceptable_accept() {
    with("sdp01", |m| {
        m.validate().unwrap();
        let accept: Vec<&[u8]> = m.values(HeaderName::Accept).collect();
        assert_eq!(accept, [&b"text/nobodyKnowsThis"[..]]);
    });
}

// §3.4 Backward compatibility

#[test]
fn inv2543_rfc2543_syntax() {
    with("inv2543", |m| {
        m.validate().unwrap();
        assert!(m.get_known(HeaderName::MaxForwards).is_none());
        assert_eq!(m.content_length(), None);
        let via = m.via().unwrap();
        assert_eq!(via.branch(), None);
        assert_eq!(m.from().unwrap().tag(), None);
        // Without Content-Length the body is the rest of the datagram.
        assert!(m.body().starts_with(b"v=0"));
        let to = m.to().unwrap();
        assert_eq!(sip_uri(to.uri()).user_param(), None);
        assert_eq!(to.params.value("user"), Some("phone"));
    });
}

#[test]
fn test_unreferenced_message_does_not_break_the_parser() {
    // No RFC section describes it: nothing is asserted beyond not panicking.
    let bytes = file("test");
    let _ = MessageRef::parse(&bytes).map(|m| m.validate());
}

#[test]
fn encode_is_byte_exact_for_every_parsed_message() {
    for (name, _) in verdicts("rfc4475/VERDICTS.tsv") {
        let bytes = file(&name);
        if let Ok(m) = MessageRef::parse(&bytes) {
            let mut out = Vec::new();
            m.encode(&mut out);
            assert_eq!(out, m.as_bytes(), "{name}");
            assert!(bytes.starts_with(&out), "{name}");
            // The typed headers that parse re-encode to values that parse the same.
            for v in m.header_all::<Via<'_>>().flatten() {
                let mut enc = Vec::new();
                v.encode(&mut enc);
                let text = String::from_utf8(enc).unwrap();
                assert_eq!(Via::parse(&text).unwrap(), v, "{name}");
            }
        }
    }
}
