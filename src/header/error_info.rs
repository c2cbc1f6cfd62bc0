//! The Error-Info header ([RFC 3261 §20.18](https://www.rfc-editor.org/rfc/rfc3261#section-20.18)).

use super::shapes::uri_params_header;

uri_params_header! {
    /// One element of an Error-Info header: `<sip:not-in-service-recording@atlanta.com>`,
    /// a pointer to more information about an error response (a recording
    /// to play, a page to show), with parameters.
    ///
    /// ```
    /// use imsip::header::{ErrorInfo, TypedHeader};
    ///
    /// // RFC 3261 §20.18.
    /// let e = ErrorInfo::parse("<sip:not-in-service-recording@atlanta.com>").unwrap();
    /// assert_eq!(e.uri.scheme(), "sip");
    /// assert!(e.params.is_empty());
    /// ```
    ErrorInfo, ErrorInfo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.18, and an HTTP pointer with a parameter.
        for (text, canonical) in [
            (
                "<sip:not-in-service-recording@atlanta.com>",
                "<sip:not-in-service-recording@atlanta.com>",
            ),
            (
                " <http://www.example.com/errors/404.html> ; lang = en ",
                "<http://www.example.com/errors/404.html>;lang=en",
            ),
        ] {
            assert_eq!(ErrorInfo::parse(text).unwrap().to_string(), canonical);
        }
        for (text, kind) in [
            ("sip:x@y", HeaderErrorKind::AngleBracket),
            ("<sip:x@y", HeaderErrorKind::AngleBracket),
            ("<sip:x@y>;", HeaderErrorKind::Param),
            ("<sip:x@y> <sip:z@w>", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(ErrorInfo::parse(text).unwrap_err().kind(), kind, "{text}");
        }
    }
}
