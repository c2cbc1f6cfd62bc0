//! Headers whose elements are option tags: Supported, Require, Proxy-Require
//! and Unsupported ([RFC 3261 §19.2](https://www.rfc-editor.org/rfc/rfc3261#section-19.2)).

macro_rules! option_tag_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $ty<'a>(pub std::borrow::Cow<'a, str>);

        impl<'a> $ty<'a> {
            /// The option tag.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<'a> super::TypedHeader<'a> for $ty<'a> {
            const NAME: super::HeaderName = super::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, super::HeaderError> {
                let mut c = super::Cursor::new(value);
                let tag = c.token()?;
                c.finish()?;
                Ok($ty(std::borrow::Cow::Borrowed(tag)))
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.extend_from_slice(self.0.as_bytes());
            }
        }
    };
}

option_tag_header! {
    /// One element of a Supported header (compact form `k`): an extension the
    /// sender supports ([RFC 3261 §20.37](https://www.rfc-editor.org/rfc/rfc3261#section-20.37)).
    Supported, Supported
}

option_tag_header! {
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

option_tag_header! {
    /// One element of a Proxy-Require header: an extension proxies must
    /// support ([RFC 3261 §20.29](https://www.rfc-editor.org/rfc/rfc3261#section-20.29)).
    ProxyRequire, ProxyRequire
}

option_tag_header! {
    /// One element of an Unsupported header: a required extension the
    /// responder does not support ([RFC 3261 §20.40](https://www.rfc-editor.org/rfc/rfc3261#section-20.40)).
    Unsupported, Unsupported
}
