//! The P-Early-Media header ([RFC 5009 §8](https://www.rfc-editor.org/rfc/rfc5009#section-8)).

use super::keyword::{keyword_enum, keyword_header};

keyword_enum! {
    /// One element of a P-Early-Media header (`em-param`): whether early
    /// media is authorised, and in which direction (RFC 5009 §8), or that
    /// the sender supports the header (`supported`) or gates early media
    /// (`gated`).
    ///
    /// The header may be empty (`[ em-param *(COMMA em-param) ]`): then the
    /// message has no element to parse.
    ///
    /// ```
    /// use imsip::header::{PEarlyMedia, TypedHeader};
    ///
    /// assert_eq!(PEarlyMedia::parse("sendrecv").unwrap(), PEarlyMedia::SendRecv);
    /// assert_eq!(PEarlyMedia::parse("supported").unwrap(), PEarlyMedia::Supported);
    /// assert_eq!(PEarlyMedia::parse("x-new").unwrap().as_str(), "x-new");
    /// ```
    PEarlyMedia {
        /// `sendrecv`: early media authorised in both directions.
        SendRecv => "sendrecv",
        /// `sendonly`: early media authorised from the sender only.
        SendOnly => "sendonly",
        /// `recvonly`: early media authorised towards the sender only.
        RecvOnly => "recvonly",
        /// `inactive`: early media not authorised.
        Inactive => "inactive",
        /// `gated`: a network element upstream gates early media.
        Gated => "gated",
        /// `supported`: the sender understands P-Early-Media.
        Supported => "supported",
    }
}

keyword_header!(PEarlyMedia, PEarlyMedia);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 5009 §8: one value per media stream, in SDP order.
        let msg = MessageRef::parse(
            b"SIP/2.0 183 Session Progress\r\nP-Early-Media: sendrecv, sendonly,\r\n Inactive, gated\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let v: Vec<_> = msg
            .header_all::<PEarlyMedia<'_>>()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            v,
            [
                PEarlyMedia::SendRecv,
                PEarlyMedia::SendOnly,
                PEarlyMedia::Inactive,
                PEarlyMedia::Gated
            ]
        );
        for (text, canonical) in [
            ("supported", "supported"),
            ("RECVONLY", "recvonly"),
            (" x-new ", "x-new"),
        ] {
            let e = PEarlyMedia::parse(text).unwrap();
            let mut out = Vec::new();
            e.encode(&mut out);
            assert_eq!(out, canonical.as_bytes());
            assert_eq!(e.to_string(), canonical);
            assert_eq!(PEarlyMedia::parse(canonical).unwrap(), e);
        }
        assert_eq!(
            PEarlyMedia::parse("x").unwrap().into_owned(),
            PEarlyMedia::Other("x".into())
        );
        let kind = |s| PEarlyMedia::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("sendrecv gated"), HeaderErrorKind::Trailing);
        assert_eq!(kind("sendrecv;x"), HeaderErrorKind::Trailing);
        assert_eq!(kind("\"gated\""), HeaderErrorKind::Token);
    }
}
