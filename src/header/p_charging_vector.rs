//! The P-Charging-Vector header ([RFC 7315 §5.6](https://www.rfc-editor.org/rfc/rfc7315#section-5.6),
//! with the parameters of TS 24.229 §7.2A.5).

use super::shapes::param_list_header;

param_list_header! {
    /// `P-Charging-Vector: icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net`:
    /// the IMS charging identifier and the inter-operator identifiers, carried
    /// along a session so that every element's charging records match up.
    ///
    /// Parsing requires `icid-value`, as RFC 7315 does.
    ///
    /// ```
    /// use imsip::header::{PChargingVector, TypedHeader};
    ///
    /// let v = PChargingVector::parse("icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net").unwrap();
    /// assert_eq!(v.icid_value(), Some("1234bc9876e"));
    /// assert_eq!(v.orig_ioi(), Some("home1.net"));
    /// assert_eq!(v.term_ioi(), None);
    /// assert!(PChargingVector::parse("orig-ioi=home1.net").is_err());
    /// ```
    PChargingVector, PChargingVector, check = crate::params::any, required = ["icid-value"]
}

impl PChargingVector<'_> {
    /// The `icid-value`: the IMS charging identifier of the session.
    pub fn icid_value(&self) -> Option<&str> {
        self.0.value("icid-value")
    }

    /// The `icid-generated-at` parameter: the host that generated the ICID.
    pub fn icid_generated_at(&self) -> Option<&str> {
        self.0.value("icid-generated-at")
    }

    /// The `orig-ioi` parameter: the originating network's identifier.
    pub fn orig_ioi(&self) -> Option<&str> {
        self.0.value("orig-ioi")
    }

    /// The `term-ioi` parameter: the terminating network's identifier.
    pub fn term_ioi(&self) -> Option<&str> {
        self.0.value("term-ioi")
    }

    /// The `transit-ioi` parameter (TS 24.229): transit networks crossed.
    pub fn transit_ioi(&self) -> Option<&str> {
        self.0.value("transit-ioi")
    }

    /// The `related-icid` parameter (TS 24.229): the ICID of a related
    /// session.
    pub fn related_icid(&self) -> Option<&str> {
        self.0.value("related-icid")
    }
}
