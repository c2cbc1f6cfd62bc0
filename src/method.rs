//! SIP request methods (RFC 3261 §7.1 and the extensions that define methods).

use std::borrow::Cow;
use std::fmt;

use crate::syntax;

/// A request method. Methods are case-sensitive (RFC 3261 §7.1): `INVITE` is
/// [`Method::Invite`], `invite` is an extension method.
///
/// ```
/// use imsip::Method;
///
/// assert_eq!(Method::parse("INVITE"), Some(Method::Invite));
/// assert_eq!(Method::parse("NEWMETHOD").unwrap().as_str(), "NEWMETHOD");
/// assert_eq!(Method::parse("BAD METHOD"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method<'a> {
    /// `INVITE`, RFC 3261.
    Invite,
    /// `ACK`, RFC 3261.
    Ack,
    /// `BYE`, RFC 3261.
    Bye,
    /// `CANCEL`, RFC 3261.
    Cancel,
    /// `OPTIONS`, RFC 3261.
    Options,
    /// `REGISTER`, RFC 3261.
    Register,
    /// `PRACK`, RFC 3262.
    Prack,
    /// `SUBSCRIBE`, RFC 6665.
    Subscribe,
    /// `NOTIFY`, RFC 6665.
    Notify,
    /// `PUBLISH`, RFC 3903.
    Publish,
    /// `INFO`, RFC 6086.
    Info,
    /// `REFER`, RFC 3515.
    Refer,
    /// `MESSAGE`, RFC 3428.
    Message,
    /// `UPDATE`, RFC 3311.
    Update,
    /// Any other method (a token). Build it with [`Method::parse`] so that a
    /// known method never ends up here.
    Extension(Cow<'a, str>),
}

impl<'a> Method<'a> {
    /// The method named by `token`, or `None` when it is not a token.
    pub fn parse(token: &'a str) -> Option<Method<'a>> {
        let known = Method::known(token.as_bytes());
        if known.is_some() {
            return known;
        }
        if syntax::is_token(token.as_bytes()) {
            Some(Method::Extension(Cow::Borrowed(token)))
        } else {
            None
        }
    }

    /// A number for each known method (1–14), 0 for an extension: what a
    /// hash of a method needs instead of its name.
    pub(crate) fn code(&self) -> u8 {
        match self {
            Method::Invite => 1,
            Method::Ack => 2,
            Method::Bye => 3,
            Method::Cancel => 4,
            Method::Options => 5,
            Method::Register => 6,
            Method::Prack => 7,
            Method::Subscribe => 8,
            Method::Notify => 9,
            Method::Publish => 10,
            Method::Info => 11,
            Method::Refer => 12,
            Method::Message => 13,
            Method::Update => 14,
            Method::Extension(_) => 0,
        }
    }

    /// The known method spelled exactly `token`.
    #[inline]
    pub(crate) fn known(token: &[u8]) -> Option<Method<'static>> {
        Some(match token {
            b"INVITE" => Method::Invite,
            b"ACK" => Method::Ack,
            b"BYE" => Method::Bye,
            b"CANCEL" => Method::Cancel,
            b"OPTIONS" => Method::Options,
            b"REGISTER" => Method::Register,
            b"PRACK" => Method::Prack,
            b"SUBSCRIBE" => Method::Subscribe,
            b"NOTIFY" => Method::Notify,
            b"PUBLISH" => Method::Publish,
            b"INFO" => Method::Info,
            b"REFER" => Method::Refer,
            b"MESSAGE" => Method::Message,
            b"UPDATE" => Method::Update,
            _ => return None,
        })
    }

    /// The method name.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Invite => "INVITE",
            Method::Ack => "ACK",
            Method::Bye => "BYE",
            Method::Cancel => "CANCEL",
            Method::Options => "OPTIONS",
            Method::Register => "REGISTER",
            Method::Prack => "PRACK",
            Method::Subscribe => "SUBSCRIBE",
            Method::Notify => "NOTIFY",
            Method::Publish => "PUBLISH",
            Method::Info => "INFO",
            Method::Refer => "REFER",
            Method::Message => "MESSAGE",
            Method::Update => "UPDATE",
            Method::Extension(m) => m,
        }
    }

    /// Copies borrowed text so the method outlives the input.
    pub fn into_owned(self) -> Method<'static> {
        match self {
            Method::Extension(m) => Method::Extension(Cow::Owned(m.into_owned())),
            Method::Invite => Method::Invite,
            Method::Ack => Method::Ack,
            Method::Bye => Method::Bye,
            Method::Cancel => Method::Cancel,
            Method::Options => Method::Options,
            Method::Register => Method::Register,
            Method::Prack => Method::Prack,
            Method::Subscribe => Method::Subscribe,
            Method::Notify => Method::Notify,
            Method::Publish => Method::Publish,
            Method::Info => Method::Info,
            Method::Refer => Method::Refer,
            Method::Message => Method::Message,
            Method::Update => Method::Update,
        }
    }
}

impl fmt::Display for Method<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        for m in [
            "INVITE",
            "ACK",
            "BYE",
            "CANCEL",
            "OPTIONS",
            "REGISTER",
            "PRACK",
            "SUBSCRIBE",
            "NOTIFY",
            "PUBLISH",
            "INFO",
            "REFER",
            "MESSAGE",
            "UPDATE",
        ] {
            let parsed = Method::parse(m).unwrap();
            assert!(!matches!(parsed, Method::Extension(_)));
            assert_eq!(parsed.as_str(), m);
        }
        assert_eq!(
            Method::parse("invite"),
            Some(Method::Extension("invite".into()))
        );
        assert_eq!(
            Method::parse("RE%47IST%45R").unwrap().as_str(),
            "RE%47IST%45R"
        );
        assert_eq!(Method::parse(""), None);
    }
}
