//! The owned session description: built by an offerer or answerer, or
//! made from a parsed one, and written in the canonical line order of RFC
//! 8866 §5.

use std::fmt;
use std::net::IpAddr;

use super::attr::{Attribute, Direction};
use super::lines::{Bandwidth, Connection, MediaLine, Origin, Timing};
use super::{Line, Sdp, SdpError, SdpErrorKind, split_attribute};

/// An attribute as the builder keeps it: a name and an optional value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttributeLine {
    /// The name.
    pub name: String,
    /// The value after the `:`.
    pub value: Option<String>,
}

impl AttributeLine {
    /// `a=<name>:<value>`, or `a=<name>` for `None`.
    pub fn new(name: &str, value: Option<&str>) -> AttributeLine {
        AttributeLine {
            name: name.to_owned(),
            value: value.map(str::to_owned),
        }
    }
}

impl From<&Attribute<'_>> for AttributeLine {
    fn from(a: &Attribute<'_>) -> AttributeLine {
        let text = a.to_string();
        let (name, value) = split_attribute(&text);
        AttributeLine::new(name, value)
    }
}

impl fmt::Display for AttributeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}:{v}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// One media description, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaDescription {
    /// The `m=` line.
    pub line: MediaLine<'static>,
    /// `i=`.
    pub information: Option<String>,
    /// `c=` lines.
    pub connections: Vec<Connection<'static>>,
    /// `b=` lines.
    pub bandwidths: Vec<Bandwidth<'static>>,
    /// `k=` (obsolete; kept when read).
    pub key: Option<String>,
    /// `a=` lines, in order.
    pub attributes: Vec<AttributeLine>,
}

impl MediaDescription {
    /// A media description of `media` (`audio`...) on `port` over `proto`
    /// with no formats yet.
    pub fn new(media: &str, port: u16, proto: &str) -> MediaDescription {
        MediaDescription {
            line: MediaLine {
                media: media.to_owned().into(),
                port,
                port_count: None,
                proto: proto.to_owned().into(),
                formats: String::new().into(),
            },
            information: None,
            connections: Vec::new(),
            bandwidths: Vec::new(),
            key: None,
            attributes: Vec::new(),
        }
    }

    /// Adds a format to the `m=` line.
    pub fn push_format(&mut self, format: &str) {
        let f = self.line.formats.to_mut();
        if !f.is_empty() {
            f.push(' ');
        }
        f.push_str(format);
    }

    /// Adds an attribute.
    pub fn push(&mut self, attribute: &Attribute<'_>) {
        self.attributes.push(attribute.into());
    }

    /// The first attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeLine> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The direction attribute, `sendrecv` when there is none.
    pub fn direction(&self) -> Direction {
        self.attributes
            .iter()
            .find_map(|a| Direction::from_name(&a.name).filter(|_| a.value.is_none()))
            .unwrap_or(Direction::SendRecv)
    }

    /// Sets the direction attribute (replacing any).
    pub fn set_direction(&mut self, direction: Direction) {
        let at = self
            .attributes
            .iter()
            .position(|a| Direction::from_name(&a.name).is_some() && a.value.is_none());
        let line = AttributeLine::new(direction.as_str(), None);
        match at {
            Some(i) => self.attributes[i] = line,
            None => self.attributes.push(line),
        }
    }
}

/// A session description, owned: what an offerer or answerer builds.
/// [`fmt::Display`] writes it in the order of RFC 8866 §5 with CRLF line
/// ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionDescription {
    /// `o=`.
    pub origin: Origin<'static>,
    /// `s=` (`-` when there is nothing to say).
    pub session_name: String,
    /// `i=`.
    pub information: Option<String>,
    /// Lines of the session part this model does not type (`u=`, `e=`,
    /// `p=`, `r=`, `z=`, `k=`) with their letter, written in their place.
    pub other: Vec<(char, String)>,
    /// `c=`.
    pub connection: Option<Connection<'static>>,
    /// `b=` lines.
    pub bandwidths: Vec<Bandwidth<'static>>,
    /// `t=` lines (at least one is written: `t=0 0` when empty).
    pub timings: Vec<Timing>,
    /// Session-level `a=` lines.
    pub attributes: Vec<AttributeLine>,
    /// The media descriptions.
    pub media: Vec<MediaDescription>,
}

impl SessionDescription {
    /// A description from `address` (`o=` and `c=`), session id and
    /// version `id`, name `-`, `t=0 0`, no media yet.
    pub fn new(address: IpAddr, id: u64) -> SessionDescription {
        SessionDescription {
            origin: Origin::new("-", id, id, address),
            session_name: "-".to_owned(),
            information: None,
            other: Vec::new(),
            connection: Some(Connection::ip(address)),
            bandwidths: Vec::new(),
            timings: vec![Timing::default()],
            attributes: Vec::new(),
            media: Vec::new(),
        }
    }

    /// The text, as [`fmt::Display`] writes it.
    pub fn encode(&self) -> String {
        self.to_string()
    }
}

/// The rank of an untyped session line among the others (RFC 8866 §5).
fn other_rank(c: char) -> u8 {
    match c {
        'u' => 0,
        'e' => 1,
        'p' => 2,
        'r' => 3,
        'z' => 4,
        _ => 5,
    }
}

impl fmt::Display for SessionDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let others = |f: &mut fmt::Formatter<'_>, from: u8, to: u8| -> fmt::Result {
            for (c, v) in self
                .other
                .iter()
                .filter(|(c, _)| (from..=to).contains(&other_rank(*c)))
            {
                write!(f, "{c}={v}\r\n")?;
            }
            Ok(())
        };
        write!(f, "v=0\r\no={}\r\ns={}\r\n", self.origin, self.session_name)?;
        if let Some(i) = &self.information {
            write!(f, "i={i}\r\n")?;
        }
        others(f, 0, 2)?;
        if let Some(c) = &self.connection {
            write!(f, "c={c}\r\n")?;
        }
        for b in &self.bandwidths {
            write!(f, "b={b}\r\n")?;
        }
        if self.timings.is_empty() {
            f.write_str("t=0 0\r\n")?;
        }
        for (n, t) in self.timings.iter().enumerate() {
            write!(f, "t={t}\r\n")?;
            // Repeat times follow the last timing.
            if n + 1 == self.timings.len() {
                others(f, 3, 3)?;
            }
        }
        others(f, 4, 5)?;
        for a in &self.attributes {
            write!(f, "a={a}\r\n")?;
        }
        for m in &self.media {
            write!(f, "m={}\r\n", m.line)?;
            if let Some(i) = &m.information {
                write!(f, "i={i}\r\n")?;
            }
            for c in &m.connections {
                write!(f, "c={c}\r\n")?;
            }
            for b in &m.bandwidths {
                write!(f, "b={b}\r\n")?;
            }
            if let Some(k) = &m.key {
                write!(f, "k={k}\r\n")?;
            }
            for a in &m.attributes {
                write!(f, "a={a}\r\n")?;
            }
        }
        Ok(())
    }
}

fn attribute_line(l: &Line<'_>) -> AttributeLine {
    let (name, value) = split_attribute(l.value);
    AttributeLine::new(name, value)
}

impl Sdp<'_> {
    /// The owned description: every line kept, typed where the model types
    /// it (repeat times after the last timing).
    ///
    /// # Errors
    /// [`SdpErrorKind::BadValue`] for an `o=`, `c=`, `b=`, `t=` or `m=`
    /// line that does not follow its grammar.
    pub fn to_description(&self) -> Result<SessionDescription, SdpError> {
        let bad = |l: &Line<'_>| l.error(SdpErrorKind::BadValue);
        let mut d = SessionDescription {
            origin: self.origin()?.into_owned(),
            session_name: self.session_name().to_owned(),
            information: None,
            other: Vec::new(),
            connection: None,
            bandwidths: Vec::new(),
            timings: Vec::new(),
            attributes: Vec::new(),
            media: Vec::new(),
        };
        for l in self.session_lines() {
            match l.kind {
                b'i' => d.information = Some(l.value.to_owned()),
                b'c' => {
                    d.connection = Some(
                        Connection::parse(l.value)
                            .ok_or_else(|| bad(l))?
                            .into_owned(),
                    );
                }
                b'b' => d.bandwidths.push(
                    Bandwidth::parse(l.value)
                        .ok_or_else(|| bad(l))?
                        .into_owned(),
                ),
                b't' => d
                    .timings
                    .push(Timing::parse(l.value).ok_or_else(|| bad(l))?),
                b'a' => d.attributes.push(attribute_line(l)),
                b'u' | b'e' | b'p' | b'r' | b'z' | b'k' => {
                    d.other.push((char::from(l.kind), l.value.to_owned()));
                }
                _ => {}
            }
        }
        for m in self.media() {
            let mut md = MediaDescription {
                line: m.line()?.into_owned(),
                information: None,
                connections: Vec::new(),
                bandwidths: Vec::new(),
                key: None,
                attributes: Vec::new(),
            };
            for l in &m.lines()[1..] {
                match l.kind {
                    b'i' => md.information = Some(l.value.to_owned()),
                    b'c' => md.connections.push(
                        Connection::parse(l.value)
                            .ok_or_else(|| bad(l))?
                            .into_owned(),
                    ),
                    b'b' => md.bandwidths.push(
                        Bandwidth::parse(l.value)
                            .ok_or_else(|| bad(l))?
                            .into_owned(),
                    ),
                    b'k' => md.key = Some(l.value.to_owned()),
                    b'a' => md.attributes.push(attribute_line(l)),
                    _ => {}
                }
            }
            d.media.push(md);
        }
        Ok(d)
    }
}
