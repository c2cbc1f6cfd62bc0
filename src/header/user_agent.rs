//! The User-Agent header ([RFC 3261 §20.41](https://www.rfc-editor.org/rfc/rfc3261#section-20.41)).

use super::server::server_val_header;

server_val_header! {
    /// `User-Agent: Softphone Beta1.5`: the software of the UAC, as products
    /// (`name/version`) and comments.
    ///
    /// The value is kept in canonical form: one space between products and
    /// comments, none around `/`, folds unfolded.
    ///
    /// ```
    /// use imsip::header::{TypedHeader, UserAgent};
    ///
    /// // RFC 3261 §20.41.
    /// let ua = UserAgent::parse("Softphone Beta1.5").unwrap();
    /// assert_eq!(ua.products().map(|p| p.name).collect::<Vec<_>>(), ["Softphone", "Beta1.5"]);
    /// // RFC 4475 §3.1.1.11.
    /// let ua = UserAgent::parse("SIPimp.org/0.2.5 (curses)").unwrap();
    /// assert_eq!(ua.products().next().unwrap().version, Some("0.2.5"));
    /// assert_eq!(ua.comments().collect::<Vec<_>>(), ["curses"]);
    /// ```
    UserAgent, UserAgent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.41, RFC 4475 §3.1.1.11, and other common shapes.
        for (text, canonical) in [
            ("Softphone Beta1.5", "Softphone Beta1.5"),
            ("imsip-test/1.0", "imsip-test/1.0"),
            (
                "IM-client/OMA1.0 HomeIMS/v1.2",
                "IM-client/OMA1.0 HomeIMS/v1.2",
            ),
            (
                "X-Lite release 5.0 stamp 12345",
                "X-Lite release 5.0 stamp 12345",
            ),
            ("Foo/1.0\r\n (bar)", "Foo/1.0 (bar)"),
        ] {
            let ua = UserAgent::parse(text).unwrap();
            assert_eq!(ua.as_str(), canonical, "{text:?}");
            assert_eq!(ua.to_string(), canonical);
        }
        assert_eq!(
            UserAgent::parse("").unwrap_err().kind(),
            HeaderErrorKind::Empty
        );
        assert_eq!(
            UserAgent::parse("a,b").unwrap_err().kind(),
            HeaderErrorKind::Trailing
        );
    }
}
