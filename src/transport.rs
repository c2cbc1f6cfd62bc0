//! Transport protocols named in Via headers and `transport` URI parameters.

use std::borrow::Cow;
use std::fmt;

/// A transport protocol. Parsing ignores ASCII case; known transports print
/// in upper case as in a Via header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport<'a> {
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
    /// Any other transport token, as written.
    Other(Cow<'a, str>),
}

impl<'a> Transport<'a> {
    /// The transport named by `token` (any case).
    pub fn parse(token: &'a str) -> Transport<'a> {
        let t = token.as_bytes();
        let eq = |s: &[u8]| crate::syntax::eq_fold(t, s);
        if eq(b"UDP") {
            Transport::Udp
        } else if eq(b"TCP") {
            Transport::Tcp
        } else if eq(b"TLS") {
            Transport::Tls
        } else if eq(b"SCTP") {
            Transport::Sctp
        } else if eq(b"TLS-SCTP") {
            Transport::TlsSctp
        } else if eq(b"WS") {
            Transport::Ws
        } else if eq(b"WSS") {
            Transport::Wss
        } else {
            Transport::Other(Cow::Borrowed(token))
        }
    }

    /// The name as written in a Via header.
    pub fn as_str(&self) -> &str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
            Transport::Sctp => "SCTP",
            Transport::TlsSctp => "TLS-SCTP",
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
            Transport::Other(t) => t,
        }
    }

    /// Whether the transport delivers reliably, so that SIP does not
    /// retransmit over it (RFC 3261 §17.1.1.2). Unknown transports count as
    /// unreliable.
    pub fn is_reliable(&self) -> bool {
        !matches!(self, Transport::Udp | Transport::Other(_))
    }

    /// Whether the transport is secured by TLS.
    pub fn is_secure(&self) -> bool {
        matches!(self, Transport::Tls | Transport::TlsSctp | Transport::Wss)
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Transport<'static> {
        match self {
            Transport::Other(t) => Transport::Other(Cow::Owned(t.into_owned())),
            Transport::Udp => Transport::Udp,
            Transport::Tcp => Transport::Tcp,
            Transport::Tls => Transport::Tls,
            Transport::Sctp => Transport::Sctp,
            Transport::TlsSctp => Transport::TlsSctp,
            Transport::Ws => Transport::Ws,
            Transport::Wss => Transport::Wss,
        }
    }
}

impl fmt::Display for Transport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
