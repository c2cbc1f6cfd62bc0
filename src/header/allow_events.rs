//! The Allow-Events header ([RFC 6665 §8.2.2](https://www.rfc-editor.org/rfc/rfc6665#section-8.2.2)).

use super::shapes::token_header;

token_header! {
    /// One element of an Allow-Events header (compact form `u`): an event
    /// type (`package *("." template)`) the sender accepts SUBSCRIBE and
    /// NOTIFY requests for.
    ///
    /// Like [`super::Event`], the event type is checked as a token.
    ///
    /// ```
    /// use imsip::header::{AllowEvents, TypedHeader};
    /// use imsip::MessageRef;
    ///
    /// let e = AllowEvents::parse("presence.winfo").unwrap();
    /// assert_eq!(e.package(), "presence");
    /// assert_eq!(e.templates().collect::<Vec<_>>(), ["winfo"]);
    ///
    /// let msg = MessageRef::parse(b"SIP/2.0 200 OK\r\nu: reg, dialog,conference\r\n\r\n").unwrap();
    /// let events: Vec<_> = msg.header_all::<AllowEvents>().map(|e| e.unwrap()).collect();
    /// assert_eq!(events.iter().map(AllowEvents::as_str).collect::<Vec<_>>(), ["reg", "dialog", "conference"]);
    /// ```
    AllowEvents, AllowEvents
}

impl AllowEvents<'_> {
    /// The event package (the event type up to the first `.`).
    pub fn package(&self) -> &str {
        self.0.split('.').next().unwrap_or_default()
    }

    /// The event templates after the package (`winfo` in `presence.winfo`).
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        self.0.split('.').skip(1)
    }

    /// Whether this is the event type `event` (compared as tokens,
    /// ignoring ASCII case, RFC 6665 §8.2.1).
    pub fn is(&self, event: &str) -> bool {
        self.0.eq_ignore_ascii_case(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 6665 §8.2.2 and TS 24.229 (reg, dialog, conference, presence).
        for (text, package) in [
            ("presence", "presence"),
            ("reg", "reg"),
            (" dialog ", "dialog"),
            ("message-summary", "message-summary"),
            ("presence.winfo", "presence"),
            ("refer", "refer"),
        ] {
            let e = AllowEvents::parse(text).unwrap();
            assert_eq!(e.package(), package, "{text}");
            assert_eq!(e.to_string(), text.trim());
        }
        assert!(AllowEvents::parse("Presence").unwrap().is("presence"));
        assert_eq!(
            AllowEvents::parse("").unwrap_err().kind(),
            HeaderErrorKind::Token
        );
        assert_eq!(
            AllowEvents::parse("reg dialog").unwrap_err().kind(),
            HeaderErrorKind::Trailing
        );
        assert_eq!(
            AllowEvents::parse("reg;id=1").unwrap_err().kind(),
            HeaderErrorKind::Trailing
        );
        let owned = AllowEvents::parse("reg").unwrap().into_owned();
        assert_eq!(owned.as_str(), "reg");
    }
}
