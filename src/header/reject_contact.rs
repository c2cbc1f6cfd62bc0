//! The Reject-Contact header ([RFC 3841 §10](https://www.rfc-editor.org/rfc/rfc3841#section-10)).
//!
//! Its value has the shape of Accept-Contact (`"*" *(SEMI rc-params)`), see
//! [`super::AcceptContact`].

use super::accept_contact::{caller_prefs_header, rc_param_ok};

caller_prefs_header! {
    /// One element of a Reject-Contact header (compact form `j`): `*` and
    /// features that rule a contact out (`rc-value = "*" *(SEMI rc-params)`).
    ///
    /// Parsing checks that a feature parameter's value is quoted.
    ///
    /// ```
    /// use imsip::header::{RejectContact, TypedHeader};
    ///
    /// let r = RejectContact::parse("*;actor=\"msg-taker\";video").unwrap();
    /// assert_eq!(r.feature_value("actor").as_deref(), Some("msg-taker"));
    /// assert!(r.has_feature("video"));
    /// ```
    RejectContact, RejectContact, check = rc_param_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3841 §9, with the compact form `j`.
        let msg = MessageRef::parse(
            b"INVITE sip:bob@example.com SIP/2.0\r\nj: *;actor=\"msg-taker\";video\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let r = msg.header::<RejectContact<'_>>().unwrap().unwrap();
        assert_eq!(r.features().count(), 2);
        assert_eq!(r.to_string(), "*;actor=\"msg-taker\";video");
        let r = RejectContact::parse("* ; +sip.automata ; require").unwrap();
        assert!(r.has_feature("+sip.automata"));
        assert!(!r.has_feature("require"));
        assert_eq!(r.to_string(), "*;+sip.automata;require");
        assert_eq!(RejectContact::parse(&r.to_string()).unwrap(), r);
        let kind = |s| RejectContact::parse(s).unwrap_err().kind();
        assert_eq!(kind("*;video=yes"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("<sip:a@b>"), HeaderErrorKind::Expected(b'*'));
    }
}
