//! The minimal-diff editor: change what must change in a received session
//! description (a port, a connection address, a direction, an attribute,
//! the version) and keep every other octet as received.

use super::attr::{Attribute, Direction};
use super::lines::{Connection, Origin};
use super::{Sdp, SdpError, SdpErrorKind};

/// Which part of the description an edit is about.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// The session part (before the first `m=`).
    Session,
    /// The `i`-th media description (from 0).
    Media(usize),
}

/// Edits a parsed [`Sdp`]; [`SdpEditor::finish`] gives the text with only
/// the edited lines changed (each keeps its line end), removed lines gone
/// and added lines at the end of their part.
///
/// ```
/// use imsip::sdp::{Attribute, Direction, Part, Sdp, SdpEditor};
///
/// let text = "v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n\
/// m=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
/// let sdp = Sdp::parse(text)?;
/// let mut e = SdpEditor::new(&sdp);
/// e.set_port(0, 50000)?;
/// e.set_direction(Part::Media(0), Direction::SendOnly); // hold
/// e.bump_version()?;
/// assert_eq!(
///     e.finish(),
///     "v=0\r\no=- 7 8 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n\
/// m=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n"
/// );
/// # Ok::<(), imsip::sdp::SdpError>(())
/// ```
#[derive(Debug)]
pub struct SdpEditor<'s, 'a> {
    sdp: &'s Sdp<'a>,
    /// A new value for a line, or `None` to remove it.
    changes: Vec<(usize, Option<String>)>,
    /// Lines added at the end of a part: the part and `<letter>=<value>`.
    added: Vec<(Part, String)>,
    /// Lines inserted before a line (its index; the line count for the
    /// end).
    inserted: Vec<(usize, String)>,
}

impl<'s, 'a> SdpEditor<'s, 'a> {
    /// An editor of `sdp` with no changes.
    pub fn new(sdp: &'s Sdp<'a>) -> SdpEditor<'s, 'a> {
        SdpEditor {
            sdp,
            changes: Vec::new(),
            added: Vec::new(),
            inserted: Vec::new(),
        }
    }

    /// The range of line indexes of `part`.
    fn range(&self, part: Part) -> std::ops::Range<usize> {
        self.sdp.range(match part {
            Part::Session => None,
            Part::Media(i) => Some(i),
        })
    }

    /// The current value of line `i` (`None` once removed).
    fn value(&self, i: usize) -> Option<&str> {
        match self.changes.iter().rev().find(|(j, _)| *j == i) {
            Some((_, v)) => v.as_deref(),
            None => Some(self.sdp.lines[i].value),
        }
    }

    fn set(&mut self, i: usize, value: Option<String>) {
        self.changes.push((i, value));
    }

    /// Replaces the value of line `index` (of [`Sdp::lines`]).
    pub fn replace_line(&mut self, index: usize, value: &str) {
        if index < self.sdp.lines.len() {
            self.set(index, Some(value.to_owned()));
        }
    }

    /// Removes line `index`.
    pub fn remove_line(&mut self, index: usize) {
        if index < self.sdp.lines.len() {
            self.set(index, None);
        }
    }

    /// Sets the `o=` line.
    pub fn set_origin(&mut self, origin: &Origin<'_>) {
        if let Some(i) = self.sdp.lines.iter().position(|l| l.kind == b'o') {
            self.set(i, Some(origin.to_string()));
        }
    }

    /// Raises the session version by one (RFC 3264 §8: every new offer
    /// or answer in a session does).
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] when the `o=` line does not parse.
    pub fn bump_version(&mut self) -> Result<(), SdpError> {
        let i = self
            .sdp
            .lines
            .iter()
            .position(|l| l.kind == b'o')
            .ok_or(SdpError::new(SdpErrorKind::MissingOrigin, 0, 0))?;
        let current = self.value(i).unwrap_or_default().to_owned();
        let mut origin = Origin::parse(&current)
            .ok_or_else(|| self.sdp.lines[i].error(SdpErrorKind::BadValue))?;
        origin.session_version = origin.session_version.wrapping_add(1);
        let text = origin.to_string();
        self.set(i, Some(text));
        Ok(())
    }

    /// Sets the port of media description `media` (0 rejects or disables
    /// it, RFC 3264 §8.2).
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] when its `m=` line does not parse or
    /// there is no such media description.
    pub fn set_port(&mut self, media: usize, port: u16) -> Result<(), SdpError> {
        let i = self.range(Part::Media(media)).start;
        let line = self
            .sdp
            .lines
            .get(i)
            .ok_or(SdpError::new(SdpErrorKind::BadValue, 0, 0))?;
        let current = self.value(i).unwrap_or(line.value).to_owned();
        let mut m = super::lines::MediaLine::parse(&current)
            .ok_or_else(|| line.error(SdpErrorKind::BadValue))?;
        m.port = port;
        let text = m.to_string();
        self.set(i, Some(text));
        Ok(())
    }

    /// Sets the connection of `part`: replaces its `c=` line, or adds one
    /// (after the `m=` line's `i=`, or before the session's `b=`/`t=`, in
    /// the order RFC 8866 wants).
    pub fn set_connection(&mut self, part: Part, connection: &Connection<'_>) {
        if matches!(part, Part::Media(i) if i >= self.sdp.media.len()) {
            return;
        }
        let range = self.range(part);
        let text = connection.to_string();
        match range.clone().find(|&i| self.sdp.lines[i].kind == b'c') {
            Some(i) => self.set(i, Some(text)),
            None => {
                // Before the first line that must follow c=.
                let follows: &[u8] = match part {
                    Part::Session => b"btrzka",
                    Part::Media(_) => b"bka",
                };
                let at = range
                    .clone()
                    .skip(1)
                    .find(|&i| follows.contains(&self.sdp.lines[i].kind))
                    .unwrap_or(range.end);
                self.insert_before(at, format!("c={text}"));
            }
        }
    }

    /// A line inserted before line `index`.
    fn insert_before(&mut self, index: usize, line: String) {
        self.inserted.push((index, line));
    }

    /// Sets the direction of `part` (RFC 3264 §5.1, §8.4: `sendonly` puts
    /// the stream on hold, `sendrecv` resumes it): replaces its direction
    /// attribute, or adds one.
    pub fn set_direction(&mut self, part: Part, direction: Direction) {
        let range = self.range(part);
        let found = range.clone().find(|&i| {
            let l = &self.sdp.lines[i];
            l.kind == b'a'
                && self
                    .value(i)
                    .is_some_and(|v| Direction::from_name(v).is_some())
        });
        match found {
            Some(i) => self.set(i, Some(direction.as_str().to_owned())),
            None => self.added.push((part, format!("a={}", direction.as_str()))),
        }
    }

    /// Adds an attribute at the end of `part`.
    pub fn add_attribute(&mut self, part: Part, attribute: &Attribute<'_>) {
        self.added.push((part, format!("a={attribute}")));
    }

    /// Removes the attributes of `part` named `name`.
    pub fn remove_attributes(&mut self, part: Part, name: &str) {
        for i in self.range(part) {
            let l = &self.sdp.lines[i];
            if l.kind == b'a'
                && self
                    .value(i)
                    .is_some_and(|v| v.split(':').next() == Some(name))
            {
                self.set(i, None);
            }
        }
    }

    /// The edited text.
    pub fn finish(&self) -> String {
        let text = self.sdp.text;
        let lines = &self.sdp.lines;
        let mut out = String::with_capacity(text.len() + 64);
        // The line end new lines get: the first line's.
        let eol = if text.as_bytes().get(lines[0].value.len() + 2) == Some(&b'\r') {
            "\r\n"
        } else {
            "\n"
        };
        let part_end = |p: Part| self.range(p).end;
        let parts: Vec<Part> = std::iter::once(Part::Session)
            .chain((0..self.sdp.media.len()).map(Part::Media))
            .collect();
        let push_line = |out: &mut String, line: &str| {
            // The input's last line may lack its end.
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(line);
            out.push_str(eol);
        };
        for (i, l) in lines.iter().enumerate() {
            let start = l.offset();
            let end = lines.get(i + 1).map_or(text.len(), |n| n.offset());
            let raw = &text[start..end];
            let value_end = 2 + l.value.len();
            let changed = self.changes.iter().any(|(j, _)| *j == i);
            match self.value(i) {
                None => {}
                Some(_) if !changed => out.push_str(raw),
                Some(v) => {
                    out.push_str(&raw[..2]);
                    out.push_str(v);
                    let rest = &raw[value_end..];
                    out.push_str(if rest.is_empty() { eol } else { rest });
                }
            }
            // Lines inserted before the next line (a `c=` at the end of a
            // part: before that part's added attributes), then the lines
            // added to a part after its last line.
            for (_, line) in self.inserted.iter().filter(|(at, _)| *at == i + 1) {
                push_line(&mut out, line);
            }
            for p in &parts {
                if part_end(*p) == i + 1 {
                    for (_, line) in self.added.iter().filter(|(q, _)| q == p) {
                        push_line(&mut out, line);
                    }
                }
            }
        }
        out
    }
}
