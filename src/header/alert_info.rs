//! The Alert-Info header ([RFC 3261 §20.4](https://www.rfc-editor.org/rfc/rfc3261#section-20.4)).

use super::shapes::uri_params_header;

uri_params_header! {
    /// One element of an Alert-Info header: `<http://www.example.com/sounds/moo.wav>`,
    /// an alternative ring tone or ringback, with parameters (RFC 7462 adds
    /// URNs such as `<urn:alert:service:call-waiting>`).
    ///
    /// ```
    /// use imsip::header::{AlertInfo, TypedHeader};
    ///
    /// let a = AlertInfo::parse("<http://www.example.com/sounds/moo.wav>;volume=low").unwrap();
    /// assert_eq!(a.uri.scheme(), "http");
    /// assert_eq!(a.params.value("volume"), Some("low"));
    /// ```
    AlertInfo, AlertInfo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    #[test]
    fn examples() {
        let a = AlertInfo::parse("<urn:alert:service:call-waiting>").unwrap();
        assert_eq!(a.uri.to_string(), "urn:alert:service:call-waiting");
        assert!(AlertInfo::parse("http://www.example.com/sounds/moo.wav").is_err());
        assert!(AlertInfo::parse("<http://x").is_err());
        assert_eq!(
            AlertInfo::parse(" < http://x.example/a > ")
                .map(|_| ())
                .unwrap_err()
                .kind(),
            crate::header::HeaderErrorKind::Uri(crate::uri::UriErrorKind::Scheme)
        );
    }
}
