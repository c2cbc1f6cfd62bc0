//! The Content-Encoding header ([RFC 3261 §20.12](https://www.rfc-editor.org/rfc/rfc3261#section-20.12)).

use super::shapes::token_header;

token_header! {
    /// One element of a Content-Encoding header (compact form `e`): a
    /// content coding applied to the body, in the order applied.
    ///
    /// ```
    /// use imsip::header::{ContentEncoding, TypedHeader};
    ///
    /// // RFC 3261 §20.12: `Content-Encoding: gzip` and `e: tar`.
    /// assert_eq!(ContentEncoding::parse("gzip").unwrap().as_str(), "gzip");
    /// assert_eq!(ContentEncoding::parse("tar").unwrap().as_str(), "tar");
    /// assert!(ContentEncoding::parse("gzip;q=1").is_err());
    /// ```
    ContentEncoding, ContentEncoding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.12.
        for text in ["gzip", "tar", "deflate", "x-compress"] {
            assert_eq!(ContentEncoding::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            ContentEncoding::parse("\r\n gzip ").unwrap().as_str(),
            "gzip"
        );
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("gzip tar", HeaderErrorKind::Trailing),
            ("gzip;x", HeaderErrorKind::Trailing),
            ("(gzip)", HeaderErrorKind::Token),
        ] {
            assert_eq!(
                ContentEncoding::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
