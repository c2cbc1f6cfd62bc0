//! The minimal-diff editor on the RFC 4475 valid messages: one edit changes
//! one place, and every other byte stays as received.

mod common;

use imsip::MessageRef;
use imsip::header::{HeaderName, TypedHeader, Via};
use imsip::message::Editor;
use imsip::uri::Uri;

fn valid_messages() -> Vec<(String, Vec<u8>)> {
    common::verdicts("rfc4475/VERDICTS.tsv")
        .into_iter()
        .filter(|(_, v)| v == "valid" || v == "valid-but-rejected")
        .map(|(n, _)| {
            let d = common::data(&format!("rfc4475/{n}.sip"));
            (n, d)
        })
        .collect()
}

/// Offset of the start of the field at position `i` in the message.
fn field_start(m: &MessageRef<'_>, i: usize) -> usize {
    m.header_at(i).unwrap().name().as_ptr() as usize - m.as_bytes().as_ptr() as usize
}

fn position(m: &MessageRef<'_>, name: HeaderName) -> Option<usize> {
    m.headers().position(|h| h.known() == Some(name))
}

#[test]
fn push_via_inserts_one_line_and_keeps_the_rest() {
    let via = Via::parse("SIP/2.0/UDP proxy.example.net;branch=z9hG4bKedit1").unwrap();
    for (name, data) in valid_messages() {
        let m = MessageRef::parse(&data).unwrap();
        let at = position(&m, HeaderName::Via)
            .map_or_else(|| field_start(&m, 0), |i| field_start(&m, i));
        let mut e = Editor::new(m.clone());
        e.push_via(&via);
        let out = e.finish().unwrap_or_else(|err| panic!("{name}: {err}"));
        let mut expected = m.as_bytes()[..at].to_vec();
        expected.extend_from_slice(b"Via: SIP/2.0/UDP proxy.example.net;branch=z9hG4bKedit1\r\n");
        expected.extend_from_slice(&m.as_bytes()[at..]);
        assert_eq!(out.bytes().as_ref(), expected.as_slice(), "{name}");
        assert_eq!(out.as_ref().via().unwrap(), via, "{name}");
    }
}

#[test]
fn replacing_one_header_changes_only_its_line() {
    for (name, data) in valid_messages() {
        let m = MessageRef::parse(&data).unwrap();
        let Some(i) = position(&m, HeaderName::CallId) else {
            continue;
        };
        let start = field_start(&m, i);
        let end = if i + 1 < m.header_count() {
            field_start(&m, i + 1)
        } else {
            // The last field ends where the empty line starts.
            let body = m.body();
            m.len() - body.len() - 2
        };
        let mut e = Editor::new(m.clone());
        e.replace("Call-ID", "edited@example.net");
        let out = e.finish().unwrap_or_else(|err| panic!("{name}: {err}"));
        let field_name = m.header_at(i).unwrap().name();
        let mut expected = m.as_bytes()[..start].to_vec();
        expected.extend_from_slice(format!("{field_name}: edited@example.net\r\n").as_bytes());
        expected.extend_from_slice(&m.as_bytes()[end..]);
        assert_eq!(out.bytes().as_ref(), expected.as_slice(), "{name}");
        assert_eq!(
            out.as_ref().call_id().unwrap().as_str(),
            "edited@example.net"
        );
    }
}

#[test]
fn request_uri_change_keeps_the_headers() {
    let uri = Uri::parse("sip:next-hop@192.0.2.99:5080").unwrap();
    for (name, data) in valid_messages() {
        let m = MessageRef::parse(&data).unwrap();
        if !m.is_request() {
            continue;
        }
        let mut e = Editor::new(m.clone());
        e.set_request_uri(&uri);
        let out = e.finish().unwrap_or_else(|err| panic!("{name}: {err}"));
        let old_line_end = field_start(&m, 0);
        let new_line_end = out.as_ref().header_at(0).unwrap().name().as_ptr() as usize
            - out.bytes().as_ptr() as usize;
        assert_eq!(
            &out.bytes()[new_line_end..],
            &m.as_bytes()[old_line_end..],
            "{name}"
        );
        assert_eq!(
            out.as_ref().request_uri_str(),
            Some("sip:next-hop@192.0.2.99:5080")
        );
        assert_eq!(out.as_ref().method(), m.method());
    }
}

#[test]
fn removing_a_header_and_adding_one() {
    for (name, data) in valid_messages() {
        let m = MessageRef::parse(&data).unwrap();
        let mut e = Editor::new(m.clone());
        e.add("X-Edited", "yes");
        let removed = e.remove("Subject");
        let out = e.finish().unwrap_or_else(|err| panic!("{name}: {err}"));
        let o = out.as_ref();
        assert_eq!(o.get("X-Edited").unwrap().value(), b"yes", "{name}");
        assert!(o.get("Subject").is_none(), "{name}");
        assert_eq!(o.header_count(), m.header_count() + 1 - removed, "{name}");
        assert_eq!(o.body(), m.body(), "{name}");
        // Every field that was kept is byte for byte the same text.
        let kept: Vec<_> = m
            .headers()
            .filter(|h| !h.is("Subject"))
            .map(|h| (h.name(), h.value()))
            .collect();
        let now: Vec<_> = o
            .headers()
            .filter(|h| !h.is("X-Edited"))
            .map(|h| (h.name(), h.value()))
            .collect();
        assert_eq!(kept, now, "{name}");
    }
}
