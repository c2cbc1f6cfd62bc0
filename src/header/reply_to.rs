//! The Reply-To header ([RFC 3261 §20.31](https://www.rfc-editor.org/rfc/rfc3261#section-20.31)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// `Reply-To: Bob <sip:bob@biloxi.com>`: where to send a reply, when it
    /// should not go to the From address (a callback to another URI).
    ///
    /// ```
    /// use imsip::header::{ReplyTo, TypedHeader};
    ///
    /// // RFC 3261 §20.31.
    /// let r = ReplyTo::parse("Bob <sip:bob@biloxi.com>").unwrap();
    /// assert_eq!(r.name_addr.display_name.as_deref(), Some("Bob"));
    /// assert_eq!(r.uri().to_string(), "sip:bob@biloxi.com");
    /// assert_eq!(r.to_string(), "\"Bob\" <sip:bob@biloxi.com>");
    /// ```
    ReplyTo, ReplyTo, addr_spec = true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.31, and addr-spec and parameter forms of §25.1.
        for (text, canonical) in [
            ("Bob <sip:bob@biloxi.com>", "\"Bob\" <sip:bob@biloxi.com>"),
            ("sip:bob@biloxi.com;x=1", "<sip:bob@biloxi.com>;x=1"),
            (
                "\"Bob B\" <sip:bob@biloxi.com;transport=tcp> ; x = y",
                "\"Bob B\" <sip:bob@biloxi.com;transport=tcp>;x=y",
            ),
            ("<tel:+1-201-555-0123>", "<tel:+1-201-555-0123>"),
        ] {
            assert_eq!(
                ReplyTo::parse(text).unwrap().to_string(),
                canonical,
                "{text}"
            );
        }
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("Bob, Jr <sip:bob@biloxi.com>", HeaderErrorKind::DisplayName),
            ("<sip:bob@biloxi.com", HeaderErrorKind::AngleBracket),
            ("<sip:bob@biloxi.com>;", HeaderErrorKind::Param),
        ] {
            assert_eq!(ReplyTo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
