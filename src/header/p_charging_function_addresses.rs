//! The P-Charging-Function-Addresses header ([RFC 7315 §5.5](https://www.rfc-editor.org/rfc/rfc7315#section-5.5)).

use std::borrow::Cow;
use std::fmt;

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;

/// Checks `ccf = "ccf" EQUAL gen-value` and `ecf = "ecf" EQUAL gen-value`.
fn charge_addr_ok(name: &str, value: Option<&str>) -> bool {
    if name.eq_ignore_ascii_case("ccf") || name.eq_ignore_ascii_case("ecf") {
        value.is_some()
    } else {
        true
    }
}

/// `P-Charging-Function-Addresses: ccf=192.0.8.1; ecf=192.0.8.3`: the
/// charging functions (offline `ccf`, online `ecf`) that the network
/// elements of a session report to. Each may appear several times, primary
/// first.
///
/// The value is parameters only
/// (`charge-addr-params *(SEMI charge-addr-params)`); parsing requires at
/// least one `ccf` or `ecf`, each with a value.
///
/// ```
/// use imsip::header::{PChargingFunctionAddresses, TypedHeader};
///
/// let p = PChargingFunctionAddresses::parse("ccf=192.0.8.1; ecf=192.0.8.3").unwrap();
/// assert_eq!(p.ccf().collect::<Vec<_>>(), ["192.0.8.1"]);
/// assert_eq!(p.ecf().collect::<Vec<_>>(), ["192.0.8.3"]);
/// assert_eq!(p.to_string(), "ccf=192.0.8.1;ecf=192.0.8.3");
/// assert!(PChargingFunctionAddresses::parse("x=1").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PChargingFunctionAddresses<'a>(pub Params<'a>);

impl PChargingFunctionAddresses<'_> {
    /// The values of the `name` parameters, unquoted, in order.
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Cow<'s, str>> + 's {
        self.0
            .iter()
            .filter(move |p| p.is(name))
            .filter_map(|p| p.unquoted())
    }

    /// The `ccf` addresses (Charging Collection Function), primary first.
    pub fn ccf(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        self.values("ccf")
    }

    /// The `ecf` addresses (Event Charging Function), primary first.
    pub fn ecf(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        self.values("ecf")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> PChargingFunctionAddresses<'static> {
        PChargingFunctionAddresses(self.0.into_owned())
    }
}

impl<'a> TypedHeader<'a> for PChargingFunctionAddresses<'a> {
    const NAME: HeaderName = HeaderName::PChargingFunctionAddresses;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let params = c.param_list(charge_addr_ok)?;
        c.finish()?;
        if !params.contains("ccf") && !params.contains("ecf") {
            return Err(HeaderError::new(HeaderErrorKind::MissingParam, 0));
        }
        Ok(PChargingFunctionAddresses(params))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        self.0.encode(dst);
    }
}

impl fmt::Display for PChargingFunctionAddresses<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 7315 §4.5.
        let p = PChargingFunctionAddresses::parse(
            "ccf=[5555::b99:c88:d77:e66]; ccf=[5555::a55:b44:c33:d22];\r\n ecf=[5555::1ff:2ee:3dd:4cc]; ecf=[5555::6aa:7bb:8cc:9dd]",
        )
        .unwrap();
        assert_eq!(
            p.ccf().collect::<Vec<_>>(),
            ["[5555::b99:c88:d77:e66]", "[5555::a55:b44:c33:d22]"]
        );
        assert_eq!(
            p.ecf().collect::<Vec<_>>(),
            ["[5555::1ff:2ee:3dd:4cc]", "[5555::6aa:7bb:8cc:9dd]"]
        );
        assert_eq!(
            p.to_string(),
            "ccf=[5555::b99:c88:d77:e66];ccf=[5555::a55:b44:c33:d22];ecf=[5555::1ff:2ee:3dd:4cc];ecf=[5555::6aa:7bb:8cc:9dd]"
        );
        // Only one kind, quoted, with an extension parameter.
        let p = PChargingFunctionAddresses::parse("ecf=\"token1.home1.net\";x-y=1").unwrap();
        assert_eq!(p.ccf().count(), 0);
        assert_eq!(p.ecf().collect::<Vec<_>>(), ["token1.home1.net"]);
        let text = p.to_string();
        assert_eq!(PChargingFunctionAddresses::parse(&text).unwrap(), p);
        assert_eq!(p.clone().into_owned(), p);
    }

    #[test]
    fn malformed() {
        let kind = |s| PChargingFunctionAddresses::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("x=1"), HeaderErrorKind::MissingParam);
        assert_eq!(kind("ccf"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("ccf=1;ecf"), HeaderErrorKind::ParamValue);
        assert_eq!(kind(";ccf=1"), HeaderErrorKind::Param);
        assert_eq!(kind("ccf=1;"), HeaderErrorKind::Param);
        assert_eq!(kind("ccf=1 ecf=2"), HeaderErrorKind::Trailing);
    }
}
