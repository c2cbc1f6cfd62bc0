//! The P-Charging-Vector header ([RFC 7315 §5.6](https://www.rfc-editor.org/rfc/rfc7315#section-5.6),
//! with the parameters of TS 24.229 §7.2A.5).

use std::borrow::Cow;

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
    /// assert_eq!(v.icid_value().as_deref(), Some("1234bc9876e"));
    /// assert_eq!(v.orig_ioi().as_deref(), Some("home1.net"));
    /// assert_eq!(v.term_ioi(), None);
    /// assert!(PChargingVector::parse("orig-ioi=home1.net").is_err());
    /// ```
    PChargingVector, PChargingVector, check = crate::params::any, required = ["icid-value"]
}

/// Each accessor returns its parameter's value with any quotes removed
/// (TS 24.229 allows a token, a host or a quoted string).
impl PChargingVector<'_> {
    /// The `icid-value`: the IMS charging identifier of the session.
    pub fn icid_value(&self) -> Option<Cow<'_, str>> {
        self.0.get("icid-value").and_then(|p| p.unquoted())
    }

    /// The `icid-generated-at` parameter: the host that generated the ICID.
    pub fn icid_generated_at(&self) -> Option<Cow<'_, str>> {
        self.0.get("icid-generated-at").and_then(|p| p.unquoted())
    }

    /// The `orig-ioi` parameter: the originating network's identifier.
    pub fn orig_ioi(&self) -> Option<Cow<'_, str>> {
        self.0.get("orig-ioi").and_then(|p| p.unquoted())
    }

    /// The `term-ioi` parameter: the terminating network's identifier.
    pub fn term_ioi(&self) -> Option<Cow<'_, str>> {
        self.0.get("term-ioi").and_then(|p| p.unquoted())
    }

    /// The `transit-ioi` parameter (TS 24.229): transit networks crossed.
    pub fn transit_ioi(&self) -> Option<Cow<'_, str>> {
        self.0.get("transit-ioi").and_then(|p| p.unquoted())
    }

    /// The `related-icid` parameter (TS 24.229): the ICID of a related
    /// session.
    pub fn related_icid(&self) -> Option<Cow<'_, str>> {
        self.0.get("related-icid").and_then(|p| p.unquoted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    /// Values from RFC 7315 §5.6 and the TS 24.229 / TS 24.228 flows.
    #[test]
    fn examples() {
        let v = PChargingVector::parse(
            "icid-value=\"AyretyU0dm+6O2IrT5tAFrbHLso=023551024\"; orig-ioi=home1.net; term-ioi=home2.net; transit-ioi=\"net3.example\"; related-icid=abc",
        )
        .unwrap();
        assert_eq!(
            v.icid_value().as_deref(),
            Some("AyretyU0dm+6O2IrT5tAFrbHLso=023551024")
        );
        assert_eq!(v.orig_ioi().as_deref(), Some("home1.net"));
        assert_eq!(v.term_ioi().as_deref(), Some("home2.net"));
        assert_eq!(v.transit_ioi().as_deref(), Some("net3.example"));
        assert_eq!(v.related_icid().as_deref(), Some("abc"));
        assert_eq!(v.icid_generated_at(), None);

        let v =
            PChargingVector::parse("icid-value=1234bc9876e;icid-generated-at=192.0.6.8").unwrap();
        assert_eq!(v.icid_generated_at().as_deref(), Some("192.0.6.8"));
        assert_eq!(
            v.to_string(),
            "icid-value=1234bc9876e;icid-generated-at=192.0.6.8"
        );
        let v = PChargingVector::parse("icid-value=1234bc9876e;icid-generated-at=[2001:db8::1]")
            .unwrap();
        assert_eq!(v.icid_generated_at().as_deref(), Some("[2001:db8::1]"));

        assert!(PChargingVector::parse("").is_err());
        assert!(PChargingVector::parse("orig-ioi=home1.net").is_err());
        assert!(PChargingVector::parse("icid-value=a;;x").is_err());
    }
}
