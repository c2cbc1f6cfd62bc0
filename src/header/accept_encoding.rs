//! The Accept-Encoding header ([RFC 3261 §20.2](https://www.rfc-editor.org/rfc/rfc3261#section-20.2)).

use super::QValue;
use super::accept::{Q_ONE, q_of};
use super::shapes::token_params_header;

token_params_header! {
    /// One element of an Accept-Encoding header: a content coding the sender
    /// accepts (`gzip`), or `*` for any, with accept parameters such as `q`.
    ///
    /// Parsing checks that `q` is a `qvalue`.
    ///
    /// ```
    /// use imsip::header::{AcceptEncoding, QValue, TypedHeader};
    ///
    /// // RFC 3261 §20.2: `Accept-Encoding: gzip`
    /// let e = AcceptEncoding::parse("gzip").unwrap();
    /// assert_eq!(e.value, "gzip");
    /// assert_eq!(e.quality(), QValue::from_thousandths(1000).unwrap());
    /// let any = AcceptEncoding::parse("*;q=0").unwrap();
    /// assert!(any.is_wildcard());
    /// assert_eq!(any.q(), QValue::from_thousandths(0));
    /// ```
    AcceptEncoding, AcceptEncoding,
    value = "The content coding (`gzip`, `identity`), or `*`.",
    check = crate::header::accept::q_param_ok
}

impl AcceptEncoding<'_> {
    /// Whether the coding is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.value == "*"
    }

    /// The `q` parameter, if present.
    pub fn q(&self) -> Option<QValue> {
        q_of(&self.params)
    }

    /// The preference: the `q` parameter, 1 when absent.
    pub fn quality(&self) -> QValue {
        self.q().unwrap_or(Q_ONE)
    }

    /// Whether the coding is `coding`, ignoring ASCII case (content codings
    /// are case-insensitive).
    pub fn is(&self, coding: &str) -> bool {
        self.value.eq_ignore_ascii_case(coding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3261 §20.2, and the identity coding of RFC 2616 §14.3.
        for (text, coding, q, canonical) in [
            ("gzip", "gzip", None, "gzip"),
            ("identity", "identity", None, "identity"),
            (
                "* ;\r\n q = 0.5",
                "*",
                QValue::from_thousandths(500),
                "*;q=0.5",
            ),
            (
                "compress;q=1.000",
                "compress",
                QValue::from_thousandths(1000),
                "compress;q=1.000",
            ),
        ] {
            let e = AcceptEncoding::parse(text).unwrap();
            assert_eq!((e.value.as_ref(), e.q()), (coding, q), "{text}");
            assert_eq!(e.to_string(), canonical);
        }
        assert!(AcceptEncoding::parse("GZIP").unwrap().is("gzip"));
        for (text, kind) in [
            ("", HeaderErrorKind::Token),
            ("gzip;q=1.1", HeaderErrorKind::ParamValue),
            ("gzip;q=abc", HeaderErrorKind::ParamValue),
            ("gzip deflate", HeaderErrorKind::Trailing),
            ("gzip;", HeaderErrorKind::Param),
            ("\"gzip\"", HeaderErrorKind::Token),
        ] {
            assert_eq!(
                AcceptEncoding::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
