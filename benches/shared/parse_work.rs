//! What `benches/parse.rs` (criterion) and `benches/parse_loop.rs` (a
//! plain loop, for callgrind) measure, written once.

use imsip::{MessageRef, ValidationPolicy};

/// Parses the message; the number of header fields.
pub(crate) fn parse(data: &[u8]) -> usize {
    MessageRef::parse(data).unwrap().header_count()
}

/// Parses and reads the fields a transaction layer matches on (RFC 3261
/// §17.1.3, §17.2.3); the tags are read without parsing the From and To
/// URIs.
pub(crate) fn transaction_key(data: &[u8]) -> usize {
    let msg = MessageRef::parse(data).unwrap();
    let via = msg.via().unwrap();
    let cseq = msg.cseq().unwrap();
    let call_id = msg.call_id().unwrap();
    via.branch().map_or(0, str::len)
        + usize::from(via.sent_by.port.unwrap_or(5060))
        + cseq.seq as usize
        + call_id.as_str().len()
        + msg.from_tag().unwrap().map_or(0, str::len)
        + msg.to_tag().unwrap().map_or(0, str::len)
}

/// Parses and validates as a user agent supporting the IMS option tags.
pub(crate) fn validate(data: &[u8]) -> bool {
    let policy = ValidationPolicy::user_agent(&["sec-agree", "path", "gruu", "100rel", "timer"]);
    let m = MessageRef::parse(data).unwrap();
    m.validate_with(&policy).is_ok()
}
