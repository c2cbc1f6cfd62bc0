//! The Request-Disposition header ([RFC 3841 §10](https://www.rfc-editor.org/rfc/rfc3841#section-10)).

use super::keyword::{keyword_enum, keyword_header};

keyword_enum! {
    /// One element of a Request-Disposition header (compact form `d`): a
    /// directive from the caller on how proxies are to handle the request
    /// (RFC 3841 §9.1).
    ///
    /// ```
    /// use imsip::header::{RequestDisposition, TypedHeader};
    ///
    /// assert_eq!(RequestDisposition::parse("no-fork").unwrap(), RequestDisposition::NoFork);
    /// assert_eq!(RequestDisposition::parse("x-new").unwrap().as_str(), "x-new");
    /// ```
    RequestDisposition {
        /// `proxy`: proxy the request.
        Proxy => "proxy",
        /// `redirect`: redirect rather than proxy.
        Redirect => "redirect",
        /// `cancel`: the proxy is to CANCEL pending branches on a 2xx.
        Cancel => "cancel",
        /// `no-cancel`: the caller cancels pending branches itself.
        NoCancel => "no-cancel",
        /// `fork`: try several contacts.
        Fork => "fork",
        /// `no-fork`: try only the best contact.
        NoFork => "no-fork",
        /// `recurse`: follow 3xx responses.
        Recurse => "recurse",
        /// `no-recurse`: pass 3xx responses back.
        NoRecurse => "no-recurse",
        /// `parallel`: try the contacts in parallel.
        Parallel => "parallel",
        /// `sequential`: try the contacts one after the other.
        Sequential => "sequential",
        /// `queue`: queue the request if the callee is busy.
        Queue => "queue",
        /// `no-queue`: answer busy at once.
        NoQueue => "no-queue",
    }
}

keyword_header!(RequestDisposition, RequestDisposition);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 3841 §10 (and the compact form `d`).
        let msg = MessageRef::parse(
            b"INVITE sip:bob@example.com SIP/2.0\r\nRequest-Disposition: proxy, recurse, parallel\r\nd: no-cancel,Queue\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let v: Vec<_> = msg
            .header_all::<RequestDisposition<'_>>()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            v,
            [
                RequestDisposition::Proxy,
                RequestDisposition::Recurse,
                RequestDisposition::Parallel,
                RequestDisposition::NoCancel,
                RequestDisposition::Queue,
            ]
        );
        for (text, d) in [
            ("redirect", RequestDisposition::Redirect),
            ("cancel", RequestDisposition::Cancel),
            ("fork", RequestDisposition::Fork),
            ("no-fork", RequestDisposition::NoFork),
            ("no-recurse", RequestDisposition::NoRecurse),
            ("sequential", RequestDisposition::Sequential),
            ("no-queue", RequestDisposition::NoQueue),
        ] {
            let parsed = RequestDisposition::parse(text).unwrap();
            assert_eq!(parsed, d);
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(
            RequestDisposition::parse("NO-FORK").unwrap().to_string(),
            "no-fork"
        );
        let kind = |s| RequestDisposition::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("proxy recurse"), HeaderErrorKind::Trailing);
        assert_eq!(kind("<proxy>"), HeaderErrorKind::Token);
    }
}
