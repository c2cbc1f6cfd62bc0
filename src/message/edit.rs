//! Minimal-diff editing: what proxies and B2BUAs do to a message they
//! forward.
//!
//! An [`Editor`] records changes against a parsed message and writes the
//! result once. Every header field it does not touch is copied exactly as
//! received, folds, odd spacing, unknown parameters and all; header order is
//! kept; new fields are inserted where RFC 3261 wants them (a new Via on top of
//! the Vias, a new Record-Route on top of the Record-Routes). The output costs
//! one copy of the message.

use bytes::Bytes;

use super::build::BuildError;
use super::parse::Index;
use super::{Message, MessageRef, ParseConfig};
use crate::header::{MaxForwards, MediaType, RecordRoute, TypedHeader, Via};
use crate::syntax::{self, ListElements};
use crate::uri::Uri;

/// What happens to one original header field.
#[derive(Clone, Debug)]
enum Change {
    Remove,
    Replace(String),
}

/// Edits a parsed message, keeping untouched bytes as they were.
///
/// ```
/// use imsip::message::Editor;
/// use imsip::header::{RecordRoute, TypedHeader, Via};
/// use imsip::MessageRef;
///
/// let received = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
/// Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n\
/// Max-Forwards: 70\r\n\
/// Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n\
/// To: Bob <sip:bob@biloxi.example.com>\r\n\
/// From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
/// Call-ID: a84b4c76e66710\r\n\
/// CSeq: 314159 INVITE\r\n\
/// Content-Length: 0\r\n\r\n";
/// let msg = MessageRef::parse(received).unwrap();
///
/// // What the proxy p1.example.com does (RFC 3261 §16.6):
/// let mut edit = Editor::new(msg);
/// edit.pop_route();
/// edit.decrement_max_forwards();
/// edit.insert_record_route(&RecordRoute::parse("<sip:p1.example.com;lr>").unwrap());
/// edit.push_via(&Via::parse("SIP/2.0/UDP p1.example.com;branch=z9hG4bK2d4790.1").unwrap());
/// let forwarded = edit.finish().unwrap();
///
/// let text = std::str::from_utf8(forwarded.bytes()).unwrap();
/// assert!(text.contains("Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK2d4790.1\r\nVia: SIP/2.0/UDP pc33"));
/// assert!(text.contains("Max-Forwards: 69\r\n"));
/// assert!(text.contains("Route: <sip:p2.example.com;lr>\r\n"));
/// assert!(text.contains("Record-Route: <sip:p1.example.com;lr>\r\n"));
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct Editor<'m> {
    msg: MessageRef<'m>,
    /// Changes to original fields, by field position.
    changes: Vec<(usize, Change)>,
    /// New lines (without CRLF), inserted before the field at the position
    /// (the field count for the end), in the order they were added.
    inserts: Vec<(usize, String)>,
    request_uri: Option<String>,
    body: Option<Bytes>,
    error: Option<BuildError>,
}

impl<'m> Editor<'m> {
    /// Starts editing `msg`.
    pub fn new(msg: MessageRef<'m>) -> Self {
        Editor {
            msg,
            changes: Vec::new(),
            inserts: Vec::new(),
            request_uri: None,
            body: None,
            error: None,
        }
    }

    fn change(&self, i: usize) -> Option<&Change> {
        self.changes
            .iter()
            .rev()
            .find(|(j, _)| *j == i)
            .map(|(_, c)| c)
    }

    fn set_change(&mut self, i: usize, c: Change) {
        self.changes.retain(|(j, _)| *j != i);
        self.changes.push((i, c));
    }

    /// The current value of original field `i`: `None` once removed.
    fn value(&self, i: usize) -> Option<String> {
        match self.change(i) {
            Some(Change::Remove) => None,
            Some(Change::Replace(v)) => Some(v.clone()),
            None => self
                .msg
                .header_at(i)
                .map(|h| String::from_utf8_lossy(h.value()).into_owned()),
        }
    }

    /// Positions of the original fields named `name` that are still there.
    fn positions(&self, name: &str) -> Vec<usize> {
        (0..self.msg.header_count())
            .filter(|&i| self.msg.header_at(i).is_some_and(|h| h.is(name)))
            .filter(|&i| !matches!(self.change(i), Some(Change::Remove)))
            .collect()
    }

    fn check(&mut self, name: &str, value: &str) -> bool {
        if self.error.is_some() {
            return false;
        }
        if !syntax::is_token(name.as_bytes()) {
            self.error = Some(BuildError::InvalidName(name.to_owned()));
            return false;
        }
        if value.bytes().any(|b| b == b'\r' || b == b'\n') {
            self.error = Some(BuildError::LineBreak(name.to_owned()));
            return false;
        }
        true
    }

    /// Inserts the field `name: value` before original field `at` (the field
    /// count appends it after the last field).
    pub fn insert(&mut self, at: usize, name: &str, value: &str) {
        if self.check(name, value) {
            let at = at.min(self.msg.header_count());
            self.inserts.push((at, format!("{name}: {}", value.trim())));
        }
    }

    /// Appends the field `name: value` after the last field.
    pub fn add(&mut self, name: &str, value: &str) {
        self.insert(self.msg.header_count(), name, value);
    }

    /// Appends a typed header after the last field.
    pub fn add_typed<'h, H: TypedHeader<'h>>(&mut self, value: &H) {
        self.add(H::NAME.as_str(), &encoded(value));
    }

    /// Sets the value of the first field named `name` (keeping the name as
    /// written) and removes the other fields of that name; appends the field
    /// when there is none.
    pub fn replace(&mut self, name: &str, value: &str) {
        if !self.check(name, value) {
            return;
        }
        let mut at = self.positions(name).into_iter();
        match at.next() {
            Some(first) => {
                self.set_change(first, Change::Replace(value.trim().to_owned()));
                for other in at {
                    self.set_change(other, Change::Remove);
                }
            }
            None => self.add(name, value),
        }
    }

    /// Removes every field named `name` (compact forms included); returns how
    /// many were removed.
    pub fn remove(&mut self, name: &str) -> usize {
        let at = self.positions(name);
        for &i in &at {
            self.set_change(i, Change::Remove);
        }
        let before = self.inserts.len();
        self.inserts.retain(|(_, line)| {
            let field_name = line.split(':').next().unwrap_or_default();
            !super::same_header_name(field_name.trim(), name)
        });
        at.len() + before - self.inserts.len()
    }

    /// Puts `via` on top of the Via fields (RFC 3261 §16.6 step 8), as a
    /// field of its own.
    pub fn push_via(&mut self, via: &Via<'_>) {
        let at = self.positions("Via").first().copied().unwrap_or(0);
        let value = encoded(via);
        if self.check("Via", &value) {
            // Before anything else inserted at the same place.
            let first_at = self.inserts.iter().position(|(i, _)| *i >= at);
            let line = format!("Via: {value}");
            match first_at {
                Some(p) => self.inserts.insert(p, (at, line)),
                None => self.inserts.push((at, line)),
            }
        }
    }

    /// Replaces the top Via value: the first value of the first Via field,
    /// keeping the other values of that field as written. A server uses it
    /// to add `received` and `rport` (RFC 3261 §18.2.1, RFC 3581 §4). With
    /// no Via yet, `via` is pushed.
    pub fn set_top_via(&mut self, via: &Via<'_>) {
        let value = encoded(via);
        if !self.set_top_via_value(value) {
            self.push_via(via);
        }
    }

    /// [`Editor::set_top_via`] with the value as text (the endpoint's
    /// stamp, made without a parse); `false` when there is no Via to
    /// replace (nothing is done then).
    pub(crate) fn set_top_via_value(&mut self, value: String) -> bool {
        if !self.check("Via", &value) {
            return true;
        }
        for i in self.positions("Via") {
            let Some(current) = self.value(i) else {
                continue;
            };
            let mut elements = ListElements::new(current.as_bytes());
            if elements.next().is_none() {
                continue;
            }
            let rest_at = elements.offset();
            let new = if elements.next().is_none() {
                value
            } else {
                let rest = current.get(rest_at..).unwrap_or_default().trim();
                format!("{value}, {rest}")
            };
            self.set_change(i, Change::Replace(new));
            return true;
        }
        false
    }

    /// Removes the top Via value, the first value of the first Via field (a
    /// proxy forwarding a response, RFC 3261 §16.7 step 3), and returns
    /// it; a field holding several values keeps the others, as written.
    pub fn pop_via(&mut self) -> Option<String> {
        self.pop_first("Via")
    }

    /// Removes the first Route value (RFC 3261 §16.4 and §16.12 for loose
    /// routing) and returns it; a field holding several values keeps the
    /// others, as written.
    pub fn pop_route(&mut self) -> Option<String> {
        self.pop_first("Route")
    }

    /// Removes the first value of the list header `name` and returns it.
    fn pop_first(&mut self, name: &str) -> Option<String> {
        for i in self.positions(name) {
            let Some(value) = self.value(i) else {
                continue;
            };
            let mut elements = ListElements::new(value.as_bytes());
            let Some(first) = elements.next() else {
                self.set_change(i, Change::Remove);
                continue;
            };
            let first = String::from_utf8_lossy(first).into_owned();
            let rest_at = elements.offset();
            if elements.next().is_none() {
                self.set_change(i, Change::Remove);
            } else {
                let rest = value.get(rest_at..).unwrap_or_default().trim().to_owned();
                self.set_change(i, Change::Replace(rest));
            }
            return Some(first);
        }
        None
    }

    /// Puts `record_route` on top of the Record-Route fields (RFC 3261
    /// §16.6 step 4), or after the Vias when there are none.
    pub fn insert_record_route(&mut self, record_route: &RecordRoute<'_>) {
        let at = match self.positions("Record-Route").first() {
            Some(&i) => i,
            None => self.positions("Via").last().map_or(0, |&i| i + 1),
        };
        let value = encoded(record_route);
        if self.check("Record-Route", &value) {
            // On top of any Record-Route inserted before (RFC 5658 double
            // record-routing inserts two).
            let line = format!("Record-Route: {value}");
            let above = self
                .inserts
                .iter()
                .position(|(i, l)| *i == at && l.starts_with("Record-Route:"));
            match above {
                Some(p) => self.inserts.insert(p, (at, line)),
                None => self.inserts.push((at, line)),
            }
        }
    }

    /// Replaces the Request-URI of a request.
    pub fn set_request_uri(&mut self, uri: &Uri<'_>) {
        if !self.msg.is_request() {
            self.error = Some(BuildError::Unsuitable("a response has no Request-URI"));
            return;
        }
        self.request_uri = Some(uri.to_string());
    }

    /// Sets Max-Forwards.
    pub fn set_max_forwards(&mut self, hops: u8) {
        self.replace("Max-Forwards", &hops.to_string());
    }

    /// Lowers Max-Forwards by one, or sets it to 70 when the request has
    /// none (RFC 3261 §16.6 step 3). Returns the new value; `None` when it
    /// is already 0 or does not parse (then nothing changes: a proxy answers
    /// 483 or 400 instead of forwarding).
    pub fn decrement_max_forwards(&mut self) -> Option<u8> {
        let current = match self.positions("Max-Forwards").first() {
            None => {
                self.set_max_forwards(70);
                return Some(70);
            }
            Some(&i) => self.value(i).and_then(|v| MaxForwards::parse(&v).ok())?,
        };
        let next = current.0.checked_sub(1)?;
        self.set_max_forwards(next);
        Some(next)
    }

    /// Replaces the body, sets Content-Length to its size, and sets
    /// Content-Type to `content_type` (or removes it for an empty body
    /// without a type; a non-empty body without a type keeps the old one).
    pub fn set_body(&mut self, content_type: Option<&MediaType<'_>>, body: impl Into<Bytes>) {
        let body = body.into();
        self.replace("Content-Length", &body.len().to_string());
        match content_type {
            Some(ct) => {
                let mut v = Vec::new();
                ct.encode(&mut v);
                self.replace("Content-Type", &String::from_utf8_lossy(&v));
            }
            None if body.is_empty() => {
                self.remove("Content-Type");
            }
            None => {}
        }
        self.body = Some(body);
    }

    /// Writes the edited message with the default [`ParseConfig`].
    ///
    /// # Errors
    /// A [`BuildError`] when an edit gave a name that is not a token or a
    /// value with a line break, or the result does not parse.
    pub fn finish(self) -> Result<Message, BuildError> {
        self.finish_with(&ParseConfig::DEFAULT)
    }

    /// Writes the edited message and parses it with `config` (use the
    /// configuration the original was parsed with, for example when it
    /// allowed bare LF line ends).
    ///
    /// # Errors
    /// As [`Editor::finish`].
    pub fn finish_with(self, config: &ParseConfig) -> Result<Message, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let m = &self.msg;
        let buf = m.as_bytes();
        let index = &m.index;
        let extra: usize = self.inserts.iter().map(|(_, l)| l.len() + 2).sum::<usize>()
            + self.request_uri.as_ref().map_or(0, String::len)
            + self.body.as_ref().map_or(0, Bytes::len)
            + self
                .changes
                .iter()
                .map(|(_, c)| match c {
                    Change::Replace(v) => v.len() + 4,
                    Change::Remove => 0,
                })
                .sum::<usize>();
        let mut out = Vec::with_capacity(buf.len() + extra);

        // Start line.
        let line_end = index
            .headers
            .first()
            .map_or(index.head_end as usize, |e| e.name_start as usize);
        match (&self.request_uri, index.start) {
            (
                Some(uri),
                super::parse::Start::Request {
                    uri_start, uri_len, ..
                },
            ) => {
                out.extend_from_slice(&buf[..uri_start as usize]);
                out.extend_from_slice(uri.as_bytes());
                out.extend_from_slice(&buf[(uri_start + uri_len) as usize..line_end]);
            }
            _ => out.extend_from_slice(&buf[..line_end]),
        }

        // Header fields.
        let count = index.headers.len();
        let write_inserts = |out: &mut Vec<u8>, at: usize| {
            for (_, line) in self.inserts.iter().filter(|(i, _)| *i == at) {
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        };
        for i in 0..count {
            write_inserts(&mut out, i);
            let entry = &index.headers[i];
            let start = entry.name_start as usize;
            let end = index
                .headers
                .get(i + 1)
                .map_or(index.head_end as usize, |e| e.name_start as usize);
            match self.change(i) {
                None => out.extend_from_slice(&buf[start..end]),
                Some(Change::Remove) => {}
                Some(Change::Replace(v)) => {
                    out.extend_from_slice(entry.name(buf));
                    out.extend_from_slice(b": ");
                    out.extend_from_slice(v.as_bytes());
                    out.extend_from_slice(b"\r\n");
                }
            }
        }
        write_inserts(&mut out, count);

        // The empty line and the body.
        let head_end = index.head_end as usize;
        let body_start = index.body_start as usize;
        if body_start > head_end {
            out.extend_from_slice(&buf[head_end..body_start]);
        } else {
            out.extend_from_slice(b"\r\n");
        }
        match &self.body {
            Some(b) => out.extend_from_slice(b),
            None => out.extend_from_slice(&buf[body_start..]),
        }
        if let Some(index) = self.shifted_index(&out, config) {
            let msg = Message {
                bytes: Bytes::from(out),
                index: std::sync::Arc::new(index),
            };
            debug_assert_eq!(
                Message::parse_with(msg.bytes.clone(), config)
                    .ok()
                    .map(|m| m.index),
                Some(msg.index.clone()),
                "the shifted index differs from the parser's"
            );
            return Ok(msg);
        }
        Message::parse_with(Bytes::from(out), config).map_err(BuildError::Parse)
    }

    /// The index of the output without parsing it, when the only change is
    /// one field's value replaced (what a server's Via stamp is): the
    /// original index with that field's value and everything after it
    /// moved. `None` when anything else changed or a parser limit could be
    /// in play; the output is parsed then.
    fn shifted_index(&self, out: &[u8], config: &ParseConfig) -> Option<Index> {
        let [(i, Change::Replace(v))] = self.changes.as_slice() else {
            return None;
        };
        if !self.inserts.is_empty()
            || self.request_uri.is_some()
            || self.body.is_some()
            || v.is_empty()
            || v.trim_ascii().len() != v.len()
            || out.len() > config.max_message_size
            || out.len() > usize::from(u16::MAX)
        {
            return None;
        }
        let original = &*self.msg.index;
        let entry = original.headers.get(*i)?;
        if entry.id == crate::header::HeaderName::ContentLength as u8 {
            return None;
        }
        let old_len = usize::from(entry.value_len) + usize::from(entry.value_off)
            - usize::from(entry.name_len);
        let new_len = 2 + v.len();
        if usize::from(entry.name_len) + new_len + 2 > config.max_line_length {
            return None;
        }
        let delta = new_len as isize - old_len as isize;
        let shift = |p: usize| -> Option<usize> { p.checked_add_signed(delta) };
        let mut index = original.clone();
        let e = &mut index.headers[*i];
        e.value_off = u16::from(e.name_len) + 2;
        e.value_len = u16::try_from(v.len()).ok()?;
        for e in index.headers.iter_mut().skip(*i + 1) {
            e.name_start = u16::try_from(shift(usize::from(e.name_start))?).ok()?;
        }
        index.head_end = u32::try_from(shift(index.head_end as usize)?).ok()?;
        index.body_start = u32::try_from(shift(index.body_start as usize)?).ok()?;
        index.len = u32::try_from(shift(index.len as usize)?).ok()?;
        let first_via = index
            .headers
            .iter()
            .position(|e| e.id == crate::header::HeaderName::Via as u8);
        if first_via == Some(*i) {
            index.top_via_plain = !v.contains(',');
        }
        index.checked = Default::default();
        (index.len as usize == out.len()).then_some(index)
    }
}

fn encoded<'h, H: TypedHeader<'h>>(value: &H) -> String {
    let mut v = Vec::new();
    value.encode(&mut v);
    String::from_utf8_lossy(&v).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderName;

    const MSG: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n\
v:  SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n\
MaX-fOrWaRdS:   10\r\n\
Route:\r\n <sip:p1.example.com;lr>,\r\n <sip:p2.example.com;lr>\r\n\
Route: <sip:p3.example.com;lr>\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\n\
CSeq: 314159 INVITE\r\n\
X-Odd  :  spacing ;unknown=param\r\n\
Content-Type: text/plain\r\n\
Content-Length: 5\r\n\r\nhello";

    fn edit() -> Editor<'static> {
        Editor::new(MessageRef::parse(MSG).unwrap())
    }

    fn text(m: &Message) -> String {
        String::from_utf8(m.bytes().to_vec()).unwrap()
    }

    #[test]
    fn no_edit_is_the_same_bytes() {
        assert_eq!(edit().finish().unwrap().bytes().as_ref(), MSG);
    }

    #[test]
    fn routes_pop_one_value_at_a_time() {
        let mut e = edit();
        assert_eq!(e.pop_route().as_deref(), Some("<sip:p1.example.com;lr>"));
        let out = text(&e.clone().finish().unwrap());
        assert!(out.contains("Route: <sip:p2.example.com;lr>\r\nRoute: <sip:p3"));
        assert_eq!(e.pop_route().as_deref(), Some("<sip:p2.example.com;lr>"));
        assert_eq!(e.pop_route().as_deref(), Some("<sip:p3.example.com;lr>"));
        assert_eq!(e.pop_route(), None);
        let out = e.finish().unwrap();
        assert!(out.as_ref().get("Route").is_none());
        assert!(text(&out).contains("X-Odd  :  spacing ;unknown=param\r\n"));
    }

    #[test]
    fn vias_pop_one_value_at_a_time() {
        let mut e = edit();
        e.push_via(&Via::parse("SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1").unwrap());
        // A Via pushed in this edit is not an original field: the first
        // original value goes.
        assert_eq!(
            e.pop_via().as_deref(),
            Some("SIP/2.0/UDP a.example.com;branch=z9hG4bK1")
        );
        let out = e.clone().finish().unwrap();
        let vias: Vec<&[u8]> = out.as_ref().values(HeaderName::Via).collect();
        assert_eq!(
            vias,
            [
                &b"SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1"[..],
                b"SIP/2.0/UDP b.example.com;branch=z9hG4bK2"
            ]
        );
        // The compact `v:` field as written.
        assert!(text(&out).contains("v:  SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"));
        assert!(e.pop_via().is_some());
        assert_eq!(e.pop_via(), None);

        // Two values in one field: the second stays, as written.
        let two = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1 ,SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n\
From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n";
        let mut e = Editor::new(MessageRef::parse(two).unwrap());
        assert_eq!(
            e.pop_via().as_deref(),
            Some("SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1")
        );
        let out = e.finish().unwrap();
        assert!(text(&out).contains("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"));
        assert_eq!(out.as_ref().via().unwrap().branch(), Some("z9hG4bK1"));
    }

    #[test]
    fn vias_and_record_routes_go_on_top() {
        let mut e = edit();
        e.push_via(&Via::parse("SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1").unwrap());
        e.insert_record_route(&RecordRoute::parse("<sip:p1.example.com;lr>").unwrap());
        let out = e.finish().unwrap();
        let vias: Vec<&[u8]> = out.as_ref().values(HeaderName::Via).collect();
        assert_eq!(vias[0], b"SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1");
        assert_eq!(vias.len(), 3);
        let t = text(&out);
        assert!(t.contains("v:  SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\nRecord-Route: <sip:p1.example.com;lr>\r\nMaX-fOrWaRdS"));
    }

    #[test]
    fn top_via_is_replaced_in_place() {
        let mut e = edit();
        let mut top = e.msg.via().unwrap();
        top.params.set("received", Some("192.0.2.9")).unwrap();
        top.params.set("rport", Some("5062")).unwrap();
        e.set_top_via(&top);
        let out = e.finish().unwrap();
        let vias: Vec<&[u8]> = out.as_ref().values(HeaderName::Via).collect();
        assert_eq!(vias.len(), 2);
        assert!(
            std::str::from_utf8(vias[0])
                .unwrap()
                .ends_with(";received=192.0.2.9;rport=5062")
        );
        assert_eq!(
            out.as_ref().via().unwrap().received(),
            "192.0.2.9".parse().ok()
        );
        assert!(text(&out).contains("v:  SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"));

        // The first of two values in one field.
        let two = b"OPTIONS sip:b@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;rport , SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n\
From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\
Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        let m = MessageRef::parse(two).unwrap();
        let mut top = m.via().unwrap();
        top.params.set("rport", Some("5060")).unwrap();
        let mut e = Editor::new(m);
        e.set_top_via(&top);
        let out = e.finish().unwrap();
        assert!(text(&out).contains(
            "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;rport=5060, SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"
        ));
    }

    #[test]
    fn replace_remove_and_body() {
        let mut e = edit();
        assert_eq!(e.decrement_max_forwards(), Some(9));
        e.remove("x-odd");
        e.set_body(None, &b"hello, world"[..]);
        let out = e.finish().unwrap();
        let m = out.as_ref();
        assert_eq!(m.get("Max-Forwards").unwrap().value(), b"9");
        assert!(text(&out).contains("MaX-fOrWaRdS: 9\r\n"));
        assert!(m.get("X-Odd").is_none());
        assert_eq!(m.body(), b"hello, world");
        assert_eq!(m.content_length(), Some(12));
        assert!(m.validate().is_ok());

        let mut e = edit();
        e.set_body(None, Bytes::new());
        let out = e.finish().unwrap();
        assert!(out.as_ref().get("Content-Type").is_none());
        assert_eq!(out.as_ref().content_length(), Some(0));
    }

    #[test]
    fn request_uri_and_errors() {
        let mut e = edit();
        e.set_request_uri(&Uri::parse("sip:bob@192.0.2.4:5070").unwrap());
        let out = e.finish().unwrap();
        assert!(text(&out).starts_with("INVITE sip:bob@192.0.2.4:5070 SIP/2.0\r\nVia:"));
        let mut e = edit();
        e.add("X-Injected", "a\r\nVia: evil");
        assert_eq!(
            e.finish().unwrap_err(),
            BuildError::LineBreak("X-Injected".into())
        );
        let mut e = edit();
        e.add("Bad Name", "x");
        assert!(matches!(e.finish(), Err(BuildError::InvalidName(_))));
    }
}
