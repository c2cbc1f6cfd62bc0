//! The From header ([RFC 3261 §20.20](https://www.rfc-editor.org/rfc/rfc3261#section-20.20)).

use super::name_addr::{name_addr_header, tag_methods};

name_addr_header! {
    /// `From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774`: the
    /// logical initiator of the request.
    ///
    /// Import it as `header::From`, since the name shadows the prelude's
    /// `From` trait in a glob import.
    ///
    /// ```
    /// use imsip::header::{self, TypedHeader};
    ///
    /// let from = header::From::parse("Alice <sip:alice@atlanta.example.com>;tag=1928301774").unwrap();
    /// assert_eq!(from.tag(), Some("1928301774"));
    /// assert_eq!(from.name_addr.display_name.as_deref(), Some("Alice"));
    /// ```
    From, From, addr_spec = true
}

tag_methods!(From);
