//! Typed attributes: the ones offer/answer and VoLTE read (RFC 8866 §6,
//! RFC 3264, RFC 3605, RFC 5761, RFC 5888, RFC 3312), others kept as
//! written.

use std::fmt;

use super::lines::Connection;
use super::precondition::PreconditionStatus;

/// The direction attributes (RFC 8866 §6.7, RFC 3264 §5.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `sendrecv` (the default).
    SendRecv,
    /// `sendonly`.
    SendOnly,
    /// `recvonly`.
    RecvOnly,
    /// `inactive`.
    Inactive,
}

impl Direction {
    /// The direction an attribute name means.
    pub fn from_name(name: &str) -> Option<Direction> {
        Some(match name {
            "sendrecv" => Direction::SendRecv,
            "sendonly" => Direction::SendOnly,
            "recvonly" => Direction::RecvOnly,
            "inactive" => Direction::Inactive,
            _ => return None,
        })
    }

    /// The attribute name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::SendRecv => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::RecvOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }

    /// Whether this side sends.
    pub fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }

    /// Whether this side receives.
    pub fn receives(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::RecvOnly)
    }

    /// The direction with sending and receiving as given.
    pub fn from_flags(sends: bool, receives: bool) -> Direction {
        match (sends, receives) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }

    /// The same stream seen from the other end (sendonly ↔ recvonly).
    pub fn reversed(self) -> Direction {
        Direction::from_flags(self.receives(), self.sends())
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rtpmap<'a> {
    /// The payload type.
    pub payload: u8,
    /// The encoding name (`AMR-WB`, `telephone-event`...), as written.
    pub encoding: &'a str,
    /// The clock rate.
    pub clock: u32,
    /// The encoding parameters (channels for audio), when given.
    pub channels: Option<u16>,
}

impl<'a> Rtpmap<'a> {
    /// Parses an `rtpmap` value.
    pub fn parse(value: &'a str) -> Option<Rtpmap<'a>> {
        let space = memchr::memchr(b' ', value.as_bytes())?;
        let (payload, rest) = (&value[..space], &value[space + 1..]);
        let payload: u8 = payload.parse().ok().filter(|p| *p <= 127)?;
        let mut parts = rest.trim_end().split('/');
        let encoding = parts.next().filter(|e| !e.is_empty() && !e.contains(' '))?;
        let clock = parts.next()?.parse().ok()?;
        let channels = parts.next().map(str::parse).transpose().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Rtpmap {
            payload,
            encoding,
            clock,
            channels,
        })
    }

    /// Whether `other` is the same codec: encoding names compared without
    /// case (RFC 4855 §3), the same clock rate and channels (1 when not
    /// given).
    pub fn same_codec(&self, other: &Rtpmap<'_>) -> bool {
        self.encoding.eq_ignore_ascii_case(other.encoding)
            && self.clock == other.clock
            && self.channels.unwrap_or(1) == other.channels.unwrap_or(1)
    }
}

impl fmt::Display for Rtpmap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.payload, self.encoding, self.clock)?;
        if let Some(c) = self.channels {
            write!(f, "/{c}")?;
        }
        Ok(())
    }
}

/// `a=fmtp:<format> <parameters>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fmtp<'a> {
    /// The format (payload type).
    pub format: &'a str,
    /// The parameters, as written.
    pub params: &'a str,
}

impl<'a> Fmtp<'a> {
    /// Parses an `fmtp` value.
    pub fn parse(value: &'a str) -> Option<Fmtp<'a>> {
        let (format, params) = value.split_once(' ').unwrap_or((value, ""));
        if format.is_empty() {
            return None;
        }
        Some(Fmtp {
            format,
            params: params.trim(),
        })
    }

    /// The `;`-separated parameters as name and value (`None` for a
    /// parameter without `=`), spaces around them trimmed.
    pub fn params(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + use<'a> {
        fmtp_params(self.params)
    }

    /// The value of parameter `name` (compared without case).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        fmtp_param(self.params, name)
    }
}

/// The `;`-separated parameters of an `fmtp` as name and value (`None` for
/// a parameter without `=`), spaces around them trimmed.
pub(crate) fn fmtp_params(params: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    params
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (p, None),
        })
}

/// The value of parameter `name` in `fmtp` parameters (names without
/// case; `""` for a parameter without `=`).
pub(crate) fn fmtp_param<'a>(params: &'a str, name: &str) -> Option<&'a str> {
    fmtp_params(params)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.unwrap_or(""))
}

/// `a=rtcp:<port> [<connection>]` (RFC 3605).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rtcp<'a> {
    /// The RTCP port.
    pub port: u16,
    /// Its address, when not the media's.
    pub connection: Option<Connection<'a>>,
}

/// `a=group:<semantics> <mid>...` (RFC 5888).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group<'a> {
    /// The semantics (`BUNDLE`, `LS`, `FID`...).
    pub semantics: &'a str,
    /// The identification tags, space-separated as written.
    pub mids: &'a str,
}

impl<'a> Group<'a> {
    /// The tags one by one.
    pub fn mids(&self) -> impl Iterator<Item = &'a str> {
        self.mids.split(' ').filter(|m| !m.is_empty())
    }
}

/// A typed attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// `rtpmap`.
    Rtpmap(Rtpmap<'a>),
    /// `fmtp`.
    Fmtp(Fmtp<'a>),
    /// `ptime` (milliseconds; fractions as written are rounded down).
    Ptime(u32),
    /// `maxptime` (milliseconds).
    MaxPtime(u32),
    /// `sendrecv`, `sendonly`, `recvonly`, `inactive`.
    Direction(Direction),
    /// `rtcp` (RFC 3605).
    Rtcp(Rtcp<'a>),
    /// `rtcp-mux` (RFC 5761).
    RtcpMux,
    /// `mid` (RFC 5888).
    Mid(&'a str),
    /// `group` (RFC 5888).
    Group(Group<'a>),
    /// `curr` (RFC 3312): the current status of a precondition.
    Current(PreconditionStatus<'a>),
    /// `des` (RFC 3312): the desired status.
    Desired(PreconditionStatus<'a>),
    /// `conf` (RFC 3312): a request to confirm a status.
    Confirm(PreconditionStatus<'a>),
    /// `candidate` (ICE), kept as written.
    Candidate(&'a str),
    /// `crypto` (SDES, RFC 4568), kept as written.
    Crypto(&'a str),
    /// Another attribute, as written.
    Other {
        /// The name.
        name: &'a str,
        /// The value, when there is one.
        value: Option<&'a str>,
    },
}

fn milliseconds(v: &str) -> Option<u32> {
    let whole = v.split_once('.').map_or(v, |(w, _)| w);
    whole.parse().ok()
}

impl<'a> Attribute<'a> {
    /// The typed attribute `name` with `value`; `None` when a typed
    /// attribute's value does not follow its grammar.
    pub fn parse(name: &'a str, value: Option<&'a str>) -> Option<Attribute<'a>> {
        if let Some(d) = Direction::from_name(name) {
            return value.is_none().then_some(Attribute::Direction(d));
        }
        Some(match (name, value) {
            ("rtpmap", Some(v)) => Attribute::Rtpmap(Rtpmap::parse(v)?),
            ("fmtp", Some(v)) => Attribute::Fmtp(Fmtp::parse(v)?),
            ("ptime", Some(v)) => Attribute::Ptime(milliseconds(v)?),
            ("maxptime", Some(v)) => Attribute::MaxPtime(milliseconds(v)?),
            ("rtcp", Some(v)) => {
                let (port, rest) = v.split_once(' ').unwrap_or((v, ""));
                Attribute::Rtcp(Rtcp {
                    port: port.parse().ok()?,
                    connection: if rest.is_empty() {
                        None
                    } else {
                        Some(Connection::parse(rest)?)
                    },
                })
            }
            ("rtcp-mux", None) => Attribute::RtcpMux,
            ("mid", Some(v)) if !v.is_empty() => Attribute::Mid(v),
            ("group", Some(v)) => {
                let (semantics, mids) = v.split_once(' ').unwrap_or((v, ""));
                if semantics.is_empty() {
                    return None;
                }
                Attribute::Group(Group { semantics, mids })
            }
            ("curr", Some(v)) => Attribute::Current(PreconditionStatus::parse(v, false)?),
            ("des", Some(v)) => Attribute::Desired(PreconditionStatus::parse(v, true)?),
            ("conf", Some(v)) => Attribute::Confirm(PreconditionStatus::parse(v, false)?),
            ("candidate", Some(v)) => Attribute::Candidate(v),
            ("crypto", Some(v)) => Attribute::Crypto(v),
            ("rtpmap" | "fmtp" | "ptime" | "maxptime" | "rtcp" | "mid" | "group", _)
            | ("curr" | "des" | "conf" | "candidate" | "crypto" | "rtcp-mux", _) => return None,
            (name, value) => Attribute::Other { name, value },
        })
    }
}

impl fmt::Display for Attribute<'_> {
    /// The attribute as the value of an `a=` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attribute::Rtpmap(r) => write!(f, "rtpmap:{r}"),
            Attribute::Fmtp(p) if p.params.is_empty() => write!(f, "fmtp:{}", p.format),
            Attribute::Fmtp(p) => write!(f, "fmtp:{} {}", p.format, p.params),
            Attribute::Ptime(ms) => write!(f, "ptime:{ms}"),
            Attribute::MaxPtime(ms) => write!(f, "maxptime:{ms}"),
            Attribute::Direction(d) => f.write_str(d.as_str()),
            Attribute::Rtcp(r) => match &r.connection {
                Some(c) => write!(f, "rtcp:{} {c}", r.port),
                None => write!(f, "rtcp:{}", r.port),
            },
            Attribute::RtcpMux => f.write_str("rtcp-mux"),
            Attribute::Mid(m) => write!(f, "mid:{m}"),
            Attribute::Group(g) if g.mids.is_empty() => write!(f, "group:{}", g.semantics),
            Attribute::Group(g) => write!(f, "group:{} {}", g.semantics, g.mids),
            Attribute::Current(s) => write!(f, "curr:{s}"),
            Attribute::Desired(s) => write!(f, "des:{s}"),
            Attribute::Confirm(s) => write!(f, "conf:{s}"),
            Attribute::Candidate(c) => write!(f, "candidate:{c}"),
            Attribute::Crypto(c) => write!(f, "crypto:{c}"),
            Attribute::Other { name, value } => match value {
                Some(v) => write!(f, "{name}:{v}"),
                None => f.write_str(name),
            },
        }
    }
}
