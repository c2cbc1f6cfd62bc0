//! Headers whose elements are option tags: Supported, Require, Proxy-Require
//! and Unsupported ([RFC 3261 §19.2](https://www.rfc-editor.org/rfc/rfc3261#section-19.2)).

use super::shapes::token_header;

token_header! {
    /// One element of a Supported header (compact form `k`): an extension the
    /// sender supports ([RFC 3261 §20.37](https://www.rfc-editor.org/rfc/rfc3261#section-20.37)).
    Supported, Supported
}

token_header! {
    /// One element of a Require header: an extension the UAS must support
    /// ([RFC 3261 §20.32](https://www.rfc-editor.org/rfc/rfc3261#section-20.32)).
    ///
    /// ```
    /// use imsip::header::{Require, TypedHeader};
    ///
    /// assert_eq!(Require::parse("sec-agree").unwrap().as_str(), "sec-agree");
    /// ```
    Require, Require
}

token_header! {
    /// One element of a Proxy-Require header: an extension proxies must
    /// support ([RFC 3261 §20.29](https://www.rfc-editor.org/rfc/rfc3261#section-20.29)).
    ProxyRequire, ProxyRequire
}

token_header! {
    /// One element of an Unsupported header: a required extension the
    /// responder does not support ([RFC 3261 §20.40](https://www.rfc-editor.org/rfc/rfc3261#section-20.40)).
    Unsupported, Unsupported
}
