//! The Route header ([RFC 3261 §20.34](https://www.rfc-editor.org/rfc/rfc3261#section-20.34)).

use super::name_addr::name_addr_header;

name_addr_header! {
    /// One element of a Route header: `<sip:p1.example.com;lr>`. The URI must
    /// be in angle brackets (`route-param = name-addr *( SEMI rr-param )`).
    ///
    /// ```
    /// use imsip::header::{Route, TypedHeader};
    ///
    /// let route = Route::parse("<sip:pcscf.ims.example.net;lr>").unwrap();
    /// assert!(route.uri().as_sip().unwrap().is_loose_route());
    /// assert!(Route::parse("sip:pcscf.ims.example.net;lr").is_err());
    /// ```
    Route, Route, addr_spec = false
}
