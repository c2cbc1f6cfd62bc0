//! The To header ([RFC 3261 §20.39](https://www.rfc-editor.org/rfc/rfc3261#section-20.39)).

use super::name_addr::{name_addr_header, tag_methods};

name_addr_header! {
    /// `To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf`: the logical
    /// recipient of the request.
    ///
    /// ```
    /// use imsip::header::{To, TypedHeader};
    ///
    /// let to = To::parse("sip:bob@biloxi.example.com").unwrap();
    /// assert_eq!(to.tag(), None);
    /// ```
    To, To, addr_spec = true
}

tag_methods!(To);
