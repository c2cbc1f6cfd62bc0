//! The parser's limits (`ParseConfig`): each one, when exceeded, is its own
//! typed error with the status code a server answers, and a message just
//! inside it parses.

use imsip::{MessageRef, ParseConfig, ParseErrorKind, StatusCode};

/// A request with `extra` header lines added before Content-Length.
fn request(extra: &str) -> Vec<u8> {
    format!(
        "OPTIONS sip:b@example.com SIP/2.0\r\n\
         Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:a@example.com>;tag=1\r\n\
         To: <sip:b@example.com>\r\n\
         Call-ID: limits\r\n\
         CSeq: 1 OPTIONS\r\n\
         {extra}\
         Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

fn kind(data: &[u8], config: &ParseConfig) -> Result<usize, ParseErrorKind> {
    MessageRef::parse_with(data, config)
        .map(|m| m.header_count())
        .map_err(|e| e.kind())
}

#[test]
fn message_size() {
    let data = request("");
    let mut config = ParseConfig::default();
    config.max_message_size = data.len();
    assert_eq!(kind(&data, &config), Ok(7));
    config.max_message_size = data.len() - 1;
    assert_eq!(kind(&data, &config), Err(ParseErrorKind::MessageTooLarge));
    let e = MessageRef::parse_with(&data, &config).unwrap_err();
    assert_eq!(e.status_code(), StatusCode::MESSAGE_TOO_LARGE);
}

#[test]
fn header_count() {
    let data = request("X-A: 1\r\nX-B: 2\r\n");
    let mut config = ParseConfig::default();
    config.max_headers = 9;
    assert_eq!(kind(&data, &config), Ok(9));
    config.max_headers = 8;
    assert_eq!(kind(&data, &config), Err(ParseErrorKind::TooManyHeaders));
}

#[test]
fn line_length_counts_folds() {
    let long = format!("X-Long: {}\r\n {}\r\n", "a".repeat(40), "b".repeat(40));
    let data = request(&long);
    let mut config = ParseConfig::default();
    // The field from its name to the line feed that ends it, folds included.
    let field = long.len() - 1;
    config.max_line_length = field;
    assert_eq!(kind(&data, &config), Ok(8));
    config.max_line_length = field - 1;
    assert_eq!(kind(&data, &config), Err(ParseErrorKind::LineTooLong));
}

#[test]
fn via_values_in_lists_and_fields() {
    let data = request("Via: SIP/2.0/UDP a;branch=z9hG4bK2, SIP/2.0/UDP b;branch=z9hG4bK3\r\n");
    let mut config = ParseConfig::default();
    config.max_via = 3;
    assert_eq!(kind(&data, &config), Ok(8));
    config.max_via = 2;
    assert_eq!(kind(&data, &config), Err(ParseErrorKind::TooManyVia));
}

#[test]
fn header_section_is_at_most_64_kib_whatever_the_message_limit() {
    let mut config = ParseConfig::default();
    config.max_message_size = 1 << 20;
    config.max_line_length = 65_535;
    // The last field (Content-Length) has its line feed three octets from
    // the end: at offset 65 535 at most.
    let fill = |n: usize| format!("X-Fill: {}\r\n", "f".repeat(n));
    let base = request(&fill(0)).len();
    let data = request(&fill(65_538 - base));
    assert_eq!(data.len(), 65_538);
    assert_eq!(kind(&data, &config), Ok(8));
    // One more octet: a typed error answered with 513, not a wrong index.
    let data = request(&fill(65_539 - base));
    let e = MessageRef::parse_with(&data, &config).unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::HeaderSectionTooLarge);
    assert_eq!(e.status_code(), StatusCode::MESSAGE_TOO_LARGE);
    let tail = "Content-Length: 0\r\n\r\n".len();
    // A large body is not limited by this.
    let mut big = request("");
    let head = big.len() - tail;
    big.truncate(head);
    big.extend_from_slice(b"Content-Length: 100000\r\n\r\n");
    big.extend(std::iter::repeat_n(b'x', 100_000));
    let m = MessageRef::parse_with(&big, &config).unwrap();
    assert_eq!(m.body().len(), 100_000);
}
