//! Transport protocols: the ones a SIP element sends over ([`Transport`],
//! `Copy`), and a transport as a Via header or a `transport` URI parameter
//! names it ([`TransportName`], which also holds tokens no RFC defines).

use std::borrow::Cow;
use std::fmt;

/// A transport protocol SIP runs over. Parsing ignores ASCII case; it
/// prints in upper case as in a Via header.
///
/// ```
/// use imsip::Transport;
///
/// assert_eq!(Transport::from_token("tls"), Some(Transport::Tls));
/// assert!(Transport::Tcp.is_reliable() && !Transport::Udp.is_reliable());
/// assert_eq!(Transport::Tls.default_port(), 5061);
/// assert_eq!(Transport::from_token("FOO"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// UDP (RFC 3261).
    Udp,
    /// TCP (RFC 3261).
    Tcp,
    /// TLS over TCP (RFC 3261).
    Tls,
    /// SCTP (RFC 4168).
    Sctp,
    /// TLS over SCTP (RFC 4168).
    TlsSctp,
    /// WebSocket (RFC 7118).
    Ws,
    /// Secure WebSocket (RFC 7118).
    Wss,
}

impl Transport {
    /// Every transport, in the order of the enum.
    pub const ALL: [Transport; 7] = [
        Transport::Udp,
        Transport::Tcp,
        Transport::Tls,
        Transport::Sctp,
        Transport::TlsSctp,
        Transport::Ws,
        Transport::Wss,
    ];

    /// The transport named by `token` (any case); `None` for a token that
    /// names no transport of this enum.
    pub fn from_token(token: &str) -> Option<Transport> {
        let t = token.as_bytes();
        Transport::ALL
            .into_iter()
            .find(|known| crate::syntax::eq_fold(t, known.as_str().as_bytes()))
    }

    /// The name as written in a Via header.
    pub const fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
            Transport::Sctp => "SCTP",
            Transport::TlsSctp => "TLS-SCTP",
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
        }
    }

    /// Whether the transport delivers reliably, so that SIP does not
    /// retransmit over it (RFC 3261 §17.1.1.2).
    pub const fn is_reliable(self) -> bool {
        !matches!(self, Transport::Udp)
    }

    /// Whether the transport is secured by TLS.
    pub const fn is_secure(self) -> bool {
        matches!(self, Transport::Tls | Transport::TlsSctp | Transport::Wss)
    }

    /// The port a sent-by or URI without a port means over this transport:
    /// 5061 for the TLS transports, 5060 for the others (RFC 3261 §18.2.2,
    /// §19.1.2).
    pub const fn default_port(self) -> u16 {
        if self.is_secure() { 5061 } else { 5060 }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transport as a Via header or a `transport` URI parameter names it: one
/// of the [`Transport`]s, or another token kept as written (the grammar
/// allows any token, RFC 3261 §25.1 `other-transport`).
///
/// ```
/// use imsip::{Transport, TransportName};
///
/// let name = TransportName::parse("tcp");
/// assert_eq!(name, Transport::Tcp);
/// assert_eq!(name.known(), Some(Transport::Tcp));
/// let other = TransportName::parse("QUIC");
/// assert_eq!((other.known(), other.as_str()), (None, "QUIC"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportName<'a> {
    /// A transport this crate knows.
    Known(Transport),
    /// Any other transport token, as written.
    Other(Cow<'a, str>),
}

impl<'a> TransportName<'a> {
    /// The transport named by `token` (any case).
    pub fn parse(token: &'a str) -> TransportName<'a> {
        match Transport::from_token(token) {
            Some(t) => TransportName::Known(t),
            None => TransportName::Other(Cow::Borrowed(token)),
        }
    }

    /// The [`Transport`], when it is one this crate knows.
    pub fn known(&self) -> Option<Transport> {
        match self {
            TransportName::Known(t) => Some(*t),
            TransportName::Other(_) => None,
        }
    }

    /// The name: upper case for a known transport, as written otherwise.
    pub fn as_str(&self) -> &str {
        match self {
            TransportName::Known(t) => t.as_str(),
            TransportName::Other(t) => t,
        }
    }

    /// The port a sent-by without a port means: that of the known
    /// transport, 5060 for another one.
    pub fn default_port(&self) -> u16 {
        self.known().map_or(5060, Transport::default_port)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> TransportName<'static> {
        match self {
            TransportName::Known(t) => TransportName::Known(t),
            TransportName::Other(t) => TransportName::Other(Cow::Owned(t.into_owned())),
        }
    }
}

impl From<Transport> for TransportName<'_> {
    fn from(t: Transport) -> Self {
        TransportName::Known(t)
    }
}

impl PartialEq<Transport> for TransportName<'_> {
    fn eq(&self, other: &Transport) -> bool {
        self.known() == Some(*other)
    }
}

impl fmt::Display for TransportName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_in_any_case() {
        for t in Transport::ALL {
            assert_eq!(Transport::from_token(t.as_str()), Some(t));
            assert_eq!(Transport::from_token(&t.as_str().to_lowercase()), Some(t));
            assert_eq!(TransportName::parse(t.as_str()), t);
        }
        for other in ["", "UDPX", "TLS-", "SCTP-TLS", "T\u{e9}P"] {
            assert_eq!(Transport::from_token(other), None, "{other}");
            assert_eq!(TransportName::parse(other).as_str(), other);
        }
    }
}
