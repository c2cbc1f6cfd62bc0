//! The Event header ([RFC 6665 §8.2.1](https://www.rfc-editor.org/rfc/rfc6665#section-8.2.1)).

use super::shapes::token_params_header;

token_params_header! {
    /// `Event: reg;id=1` (compact form `o`): the event package of a SUBSCRIBE
    /// or NOTIFY, with its parameters.
    ///
    /// ```
    /// use imsip::header::{Event, TypedHeader};
    ///
    /// let e = Event::parse("presence.winfo;id=4711").unwrap();
    /// assert_eq!(e.value, "presence.winfo");
    /// assert_eq!(e.id(), Some("4711"));
    /// assert_eq!(e.package(), "presence");
    /// assert_eq!(e.templates().collect::<Vec<_>>(), ["winfo"]);
    /// ```
    Event, Event, value = "The event type: a package name and optional `.`-separated templates."
}

impl Event<'_> {
    /// The `id` parameter, which tells subscriptions of one dialog apart.
    pub fn id(&self) -> Option<&str> {
        self.params.value("id")
    }

    /// The event package (the event type up to the first `.`).
    pub fn package(&self) -> &str {
        self.value.split('.').next().unwrap_or_default()
    }

    /// The event templates after the package (`winfo` in `presence.winfo`).
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        self.value.split('.').skip(1)
    }

    /// Whether two Event values name the same subscription: same event type
    /// and same `id` (RFC 6665 §8.2.1, the event type compared as a token,
    /// case-insensitively).
    pub fn matches(&self, other: &Event<'_>) -> bool {
        self.value.eq_ignore_ascii_case(&other.value) && self.id() == other.id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    #[test]
    fn rfc_examples() {
        for (text, value, id) in [
            ("reg", "reg", None),
            ("dialog;id=xyz", "dialog", Some("xyz")),
            ("presence ; id = 1", "presence", Some("1")),
            ("refer;id=93809824", "refer", Some("93809824")),
        ] {
            let e = Event::parse(text).unwrap();
            assert_eq!((e.value.as_ref(), e.id()), (value, id), "{text}");
        }
        assert!(Event::parse("").is_err());
        assert!(Event::parse("a b").is_err());
        assert!(
            Event::parse("reg;id=1")
                .unwrap()
                .matches(&Event::parse("REG;id=1").unwrap())
        );
        assert!(
            !Event::parse("reg;id=1")
                .unwrap()
                .matches(&Event::parse("reg").unwrap())
        );
        assert_eq!(
            Event::parse("presence ; id = 1").unwrap().to_string(),
            "presence;id=1"
        );
    }
}
