//! The Feature-Caps header ([RFC 6809 §6](https://www.rfc-editor.org/rfc/rfc6809#section-6)).

use std::borrow::Cow;
use std::fmt;

use super::accept_contact::{is_feature_value, is_other_tag, parse_star};
use super::{HeaderError, HeaderName, TypedHeader};
use crate::params::{Param, Params};

/// Checks `feature-cap = "+" fcap-name [EQUAL LDQUOT (fcap-value-list /
/// fcap-string-value) RDQUOT]`: the grammar has no other parameters.
fn feature_cap_ok(name: &str, value: Option<&str>) -> bool {
    is_other_tag(name) && is_feature_value(value)
}

/// One element of a Feature-Caps header: `*` and the capabilities of a
/// proxy or B2BUA on the path (`fc-value = "*" *(SEMI feature-cap)`), each
/// a `+` feature tag with an optional quoted value.
///
/// Parsing refuses any parameter that is not a `+` feature tag, and
/// unquoted values.
///
/// ```
/// use imsip::header::{FeatureCaps, TypedHeader};
///
/// let f = FeatureCaps::parse("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\";+g.3gpp.trf").unwrap();
/// assert!(f.contains("+g.3gpp.trf"));
/// assert_eq!(f.value("+g.3gpp.icsi-ref").as_deref(), Some("urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"));
/// assert!(FeatureCaps::parse("*;audio").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureCaps<'a> {
    /// The feature capability indicators.
    pub params: Params<'a>,
}

impl<'a> FeatureCaps<'a> {
    /// `*` without capabilities.
    pub fn new() -> Self {
        FeatureCaps {
            params: Params::header(),
        }
    }

    /// The capability indicators, in order.
    pub fn iter(&self) -> impl Iterator<Item = Param<'_>> + '_ {
        self.params.iter()
    }

    /// Whether the indicator `name` (with its `+`) is present.
    pub fn contains(&self, name: &str) -> bool {
        self.params.contains(name)
    }

    /// The value of the indicator `name` without its quotes; `None` when it
    /// is absent or has no value.
    pub fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        self.params.get(name).and_then(|p| p.unquoted())
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> FeatureCaps<'static> {
        FeatureCaps {
            params: self.params.into_owned(),
        }
    }
}

impl Default for FeatureCaps<'_> {
    fn default() -> Self {
        FeatureCaps::new()
    }
}

impl<'a> TypedHeader<'a> for FeatureCaps<'a> {
    const NAME: HeaderName = HeaderName::FeatureCaps;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        Ok(FeatureCaps {
            params: parse_star(value, feature_cap_ok)?,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.push(b'*');
        self.params.encode(dst);
    }
}

impl fmt::Display for FeatureCaps<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRef;
    use crate::header::HeaderErrorKind;

    #[test]
    fn examples() {
        // RFC 6809 §6 and the indicators of TS 24.229 (transit and roaming
        // functions, MMTel ICSI).
        let msg = MessageRef::parse(
            b"SIP/2.0 200 OK\r\nFeature-Caps: *;+g.3gpp.trf=\"<sip:trf.home1.net>\", *;+g.3gpp.home-visited=\"home1.net\"\r\nFeature-Caps: * ; +sip.pns = \"apns\" ; +sip.pnsreg\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let v: Vec<_> = msg
            .header_all::<FeatureCaps<'_>>()
            .map(Result::unwrap)
            .collect();
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].value("+g.3gpp.trf").as_deref(),
            Some("<sip:trf.home1.net>")
        );
        assert_eq!(
            v[1].value("+G.3GPP.HOME-VISITED").as_deref(),
            Some("home1.net")
        );
        assert!(v[2].contains("+sip.pnsreg"));
        assert_eq!(v[2].value("+sip.pnsreg"), None);
        assert_eq!(v[2].iter().count(), 2);
        assert_eq!(v[2].to_string(), "*;+sip.pns=\"apns\";+sip.pnsreg");
        assert_eq!(FeatureCaps::parse(&v[2].to_string()).unwrap(), v[2]);
        assert_eq!(FeatureCaps::parse("*").unwrap(), FeatureCaps::new());
        assert_eq!(v[0].clone().into_owned(), v[0]);
    }

    #[test]
    fn malformed() {
        let kind = |s| FeatureCaps::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("+g.3gpp.trf"), HeaderErrorKind::Expected(b'*'));
        assert_eq!(kind("*;audio"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;+1x"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;+g.foo=bar"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("*;"), HeaderErrorKind::Param);
        assert_eq!(kind("*;+g.foo,x"), HeaderErrorKind::Trailing);
    }
}
