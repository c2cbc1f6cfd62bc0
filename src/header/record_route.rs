//! The Record-Route header ([RFC 3261 §20.30](https://www.rfc-editor.org/rfc/rfc3261#section-20.30)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// One element of a Record-Route header: `<sip:p1.example.com;lr>`. The
    /// URI must be in angle brackets.
    ///
    /// ```
    /// use imsip::header::{RecordRoute, TypedHeader};
    ///
    /// let rr = RecordRoute::parse("<sip:scscf.ims.example.net;lr>;ftag=x").unwrap();
    /// assert_eq!(rr.params.value("ftag"), Some("x"));
    /// ```
    RecordRoute, RecordRoute, addr_spec = false
}
