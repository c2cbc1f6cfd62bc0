//! The values of the `o=`, `c=`, `b=`, `t=` and `m=` lines (RFC 8866 §5).

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

/// Splits `s` at single spaces into exactly `N` fields.
fn fields<const N: usize>(s: &str) -> Option<[&str; N]> {
    let mut out = [""; N];
    let mut it = s.split(' ');
    for slot in &mut out {
        *slot = it.next().filter(|f| !f.is_empty())?;
    }
    it.next().is_none().then_some(out)
}

/// A token of RFC 8866 (`token-char`: visible ASCII but a few separators).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            matches!(b, 0x21 | 0x23..=0x27 | 0x2a..=0x2b | 0x2d..=0x2e | 0x30..=0x39 | 0x41..=0x5a | 0x5e..=0x7e)
        })
}

/// Visible ASCII or UTF-8, no spaces: `non-ws-string`.
fn is_non_ws(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

/// The `o=` line: who made the session description and its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The user name (`-` when none).
    pub username: Cow<'a, str>,
    /// The session id, digits as written.
    pub session_id: Cow<'a, str>,
    /// The version, raised on every change (RFC 3264 §8).
    pub session_version: u64,
    /// The network type (`IN`).
    pub net_type: Cow<'a, str>,
    /// The address type (`IP4`, `IP6`).
    pub addr_type: Cow<'a, str>,
    /// The address (an IP address or a name).
    pub address: Cow<'a, str>,
}

impl<'a> Origin<'a> {
    /// Parses the value of an `o=` line.
    pub fn parse(value: &'a str) -> Option<Origin<'a>> {
        let [username, id, version, net, addr_type, address] = fields::<6>(value)?;
        if !is_non_ws(username)
            || !id.bytes().all(|b| b.is_ascii_digit())
            || !is_token(net)
            || !is_token(addr_type)
            || !is_non_ws(address)
        {
            return None;
        }
        Some(Origin {
            username: Cow::Borrowed(username),
            session_id: Cow::Borrowed(id),
            session_version: version.parse().ok()?,
            net_type: Cow::Borrowed(net),
            addr_type: Cow::Borrowed(addr_type),
            address: Cow::Borrowed(address),
        })
    }

    /// An `IN` origin for `address`.
    pub fn new(username: &str, session_id: u64, version: u64, address: IpAddr) -> Origin<'static> {
        Origin {
            username: Cow::Owned(username.to_owned()),
            session_id: Cow::Owned(session_id.to_string()),
            session_version: version,
            net_type: Cow::Borrowed("IN"),
            addr_type: Cow::Borrowed(if address.is_ipv4() { "IP4" } else { "IP6" }),
            address: Cow::Owned(address.to_string()),
        }
    }

    /// The owned form.
    pub fn into_owned(self) -> Origin<'static> {
        Origin {
            username: Cow::Owned(self.username.into_owned()),
            session_id: Cow::Owned(self.session_id.into_owned()),
            session_version: self.session_version,
            net_type: Cow::Owned(self.net_type.into_owned()),
            addr_type: Cow::Owned(self.addr_type.into_owned()),
            address: Cow::Owned(self.address.into_owned()),
        }
    }
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {}",
            self.username,
            self.session_id,
            self.session_version,
            self.net_type,
            self.addr_type,
            self.address
        )
    }
}

/// The address of a `c=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionAddress<'a> {
    /// An IP address (IPv4 or IPv6, RFC 5118's cases included), with the
    /// multicast TTL and address count when given (`/ttl/count`).
    Ip {
        /// The address.
        address: IpAddr,
        /// The TTL (IPv4 multicast).
        ttl: Option<u8>,
        /// How many addresses from this one.
        count: Option<u32>,
    },
    /// A name, or an address of another type, as written.
    Other(Cow<'a, str>),
}

impl fmt::Display for ConnectionAddress<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionAddress::Ip {
                address,
                ttl,
                count,
            } => {
                write!(f, "{address}")?;
                if let Some(t) = ttl {
                    write!(f, "/{t}")?;
                }
                if let Some(c) = count {
                    write!(f, "/{c}")?;
                }
                Ok(())
            }
            ConnectionAddress::Other(s) => f.write_str(s),
        }
    }
}

/// The `c=` line: where media goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection<'a> {
    /// The network type (`IN`).
    pub net_type: Cow<'a, str>,
    /// The address type (`IP4`, `IP6`).
    pub addr_type: Cow<'a, str>,
    /// The address.
    pub address: ConnectionAddress<'a>,
}

impl<'a> Connection<'a> {
    /// Parses the value of a `c=` line. For `IN IP4` and `IN IP6` the
    /// address must be an address of that family (an IPv6 address is
    /// written without brackets, RFC 5118 §4.5); a name is kept as written.
    pub fn parse(value: &'a str) -> Option<Connection<'a>> {
        let [net, addr_type, address] = fields::<3>(value)?;
        if !is_token(net) || !is_token(addr_type) || !is_non_ws(address) {
            return None;
        }
        let mut parts = address.split('/');
        let host = parts.next()?;
        let ttl_or_count = parts.next();
        let count = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let address = match host.parse::<IpAddr>() {
            Ok(ip) => {
                let family_ok = match addr_type {
                    "IP4" => ip.is_ipv4(),
                    "IP6" => ip.is_ipv6(),
                    _ => true,
                };
                if !family_ok {
                    return None;
                }
                // IPv4 multicast: /ttl[/count]; IPv6: /count.
                let (ttl, count) = match (ip, ttl_or_count, count) {
                    (_, None, _) => (None, None),
                    (IpAddr::V4(_), Some(t), c) => {
                        (Some(t.parse().ok()?), c.map(str::parse).transpose().ok()?)
                    }
                    (IpAddr::V6(_), Some(c), None) => (None, Some(c.parse().ok()?)),
                    (IpAddr::V6(_), Some(_), Some(_)) => return None,
                };
                ConnectionAddress::Ip {
                    address: ip,
                    ttl,
                    count,
                }
            }
            Err(_) => {
                if host.contains(':') && addr_type == "IP6" || host.starts_with('[') {
                    // Not a valid IPv6 address (RFC 5118 §4.5: no brackets).
                    return None;
                }
                ConnectionAddress::Other(Cow::Borrowed(address))
            }
        };
        Some(Connection {
            net_type: Cow::Borrowed(net),
            addr_type: Cow::Borrowed(addr_type),
            address,
        })
    }

    /// `IN IP4` or `IN IP6` for `address`.
    pub fn ip(address: IpAddr) -> Connection<'static> {
        Connection {
            net_type: Cow::Borrowed("IN"),
            addr_type: Cow::Borrowed(if address.is_ipv4() { "IP4" } else { "IP6" }),
            address: ConnectionAddress::Ip {
                address,
                ttl: None,
                count: None,
            },
        }
    }

    /// The IP address, when it is one.
    pub fn ip_address(&self) -> Option<IpAddr> {
        match self.address {
            ConnectionAddress::Ip { address, .. } => Some(address),
            ConnectionAddress::Other(_) => None,
        }
    }

    /// The owned form.
    pub fn into_owned(self) -> Connection<'static> {
        Connection {
            net_type: Cow::Owned(self.net_type.into_owned()),
            addr_type: Cow::Owned(self.addr_type.into_owned()),
            address: match self.address {
                ConnectionAddress::Ip {
                    address,
                    ttl,
                    count,
                } => ConnectionAddress::Ip {
                    address,
                    ttl,
                    count,
                },
                ConnectionAddress::Other(s) => ConnectionAddress::Other(Cow::Owned(s.into_owned())),
            },
        }
    }
}

impl fmt::Display for Connection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.net_type, self.addr_type, self.address)
    }
}

/// The kind of a `b=` line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BandwidthType<'a> {
    /// Conference total (`CT`).
    Ct,
    /// Application specific, kbit/s (`AS`).
    As,
    /// Transport independent, bit/s (`TIAS`, RFC 3890).
    Tias,
    /// RTCP bandwidth of senders, bit/s (`RS`, RFC 3556).
    Rs,
    /// RTCP bandwidth of receivers, bit/s (`RR`, RFC 3556).
    Rr,
    /// Another, as written.
    Other(Cow<'a, str>),
}

impl<'a> BandwidthType<'a> {
    fn parse(s: &'a str) -> BandwidthType<'a> {
        match s {
            "CT" => BandwidthType::Ct,
            "AS" => BandwidthType::As,
            "TIAS" => BandwidthType::Tias,
            "RS" => BandwidthType::Rs,
            "RR" => BandwidthType::Rr,
            other => BandwidthType::Other(Cow::Borrowed(other)),
        }
    }

    /// As written in a `b=` line.
    pub fn as_str(&self) -> &str {
        match self {
            BandwidthType::Ct => "CT",
            BandwidthType::As => "AS",
            BandwidthType::Tias => "TIAS",
            BandwidthType::Rs => "RS",
            BandwidthType::Rr => "RR",
            BandwidthType::Other(s) => s,
        }
    }
}

/// A `b=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bandwidth<'a> {
    /// The kind.
    pub kind: BandwidthType<'a>,
    /// The value, in the kind's unit.
    pub value: u64,
}

impl<'a> Bandwidth<'a> {
    /// Parses the value of a `b=` line.
    pub fn parse(value: &'a str) -> Option<Bandwidth<'a>> {
        let (kind, v) = value.split_once(':')?;
        if !is_token(kind) || v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Bandwidth {
            kind: BandwidthType::parse(kind),
            value: v.parse().ok()?,
        })
    }

    /// The owned form.
    pub fn into_owned(self) -> Bandwidth<'static> {
        Bandwidth {
            kind: match self.kind {
                BandwidthType::Other(s) => BandwidthType::Other(Cow::Owned(s.into_owned())),
                BandwidthType::Ct => BandwidthType::Ct,
                BandwidthType::As => BandwidthType::As,
                BandwidthType::Tias => BandwidthType::Tias,
                BandwidthType::Rs => BandwidthType::Rs,
                BandwidthType::Rr => BandwidthType::Rr,
            },
            value: self.value,
        }
    }
}

impl fmt::Display for Bandwidth<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.value)
    }
}

/// A `t=` line: start and stop times (NTP seconds; `0 0` for a session
/// without bounds, as SIP uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Timing {
    /// The start.
    pub start: u64,
    /// The stop.
    pub stop: u64,
}

impl Timing {
    /// Parses the value of a `t=` line.
    pub fn parse(value: &str) -> Option<Timing> {
        let [start, stop] = fields::<2>(value)?;
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(start) || !digits(stop) {
            return None;
        }
        Some(Timing {
            start: start.parse().ok()?,
            stop: stop.parse().ok()?,
        })
    }
}

impl fmt::Display for Timing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.start, self.stop)
    }
}

/// An `m=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaLine<'a> {
    /// The media type (`audio`, `video`, `text`, `application`,
    /// `message`, or another token).
    pub media: Cow<'a, str>,
    /// The transport port (0: rejected or disabled, RFC 3264).
    pub port: u16,
    /// The number of ports (`port/count`), when given.
    pub port_count: Option<u16>,
    /// The protocol (`RTP/AVP`, `RTP/AVPF`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`...).
    pub proto: Cow<'a, str>,
    /// The formats, space-separated as written (payload types for RTP).
    pub formats: Cow<'a, str>,
}

impl<'a> MediaLine<'a> {
    /// Parses the value of an `m=` line.
    pub fn parse(value: &'a str) -> Option<MediaLine<'a>> {
        let mut it = value.splitn(4, ' ');
        let media = it.next().filter(|s| is_token(s))?;
        let port = it.next()?;
        let proto = it.next().filter(|s| !s.is_empty())?;
        let formats = it.next().unwrap_or("");
        if !proto.split('/').all(is_token) || formats.split(' ').any(|f| !is_token(f)) {
            return None;
        }
        let (port, port_count) = match port.split_once('/') {
            Some((p, n)) => (p, Some(n.parse().ok()?)),
            None => (port, None),
        };
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(MediaLine {
            media: Cow::Borrowed(media),
            port: port.parse().ok()?,
            port_count,
            proto: Cow::Borrowed(proto),
            formats: Cow::Borrowed(formats),
        })
    }

    /// The formats, one by one.
    pub fn formats(&self) -> impl Iterator<Item = &str> {
        self.formats.split(' ').filter(|f| !f.is_empty())
    }

    /// The owned form.
    pub fn into_owned(self) -> MediaLine<'static> {
        MediaLine {
            media: Cow::Owned(self.media.into_owned()),
            port: self.port,
            port_count: self.port_count,
            proto: Cow::Owned(self.proto.into_owned()),
            formats: Cow::Owned(self.formats.into_owned()),
        }
    }
}

impl fmt::Display for MediaLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.media, self.port)?;
        if let Some(n) = self.port_count {
            write!(f, "/{n}")?;
        }
        write!(f, " {}", self.proto)?;
        if !self.formats.is_empty() {
            write!(f, " {}", self.formats)?;
        }
        Ok(())
    }
}
