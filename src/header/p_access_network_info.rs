//! The P-Access-Network-Info header ([RFC 7315 §5.4](https://www.rfc-editor.org/rfc/rfc7315#section-5.4),
//! `extension-access-info` as updated by [RFC 7913](https://www.rfc-editor.org/rfc/rfc7913#section-3),
//! and the values and parameters of 3GPP TS 24.229 §7.2A.4).

use std::borrow::Cow;
use std::fmt;

use super::keyword::{self, keyword_enum};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;

keyword_enum! {
    /// The `access-type` or `access-class` of a P-Access-Network-Info value:
    /// the technology the user agent reaches the IP network with.
    AccessType {
        /// `IEEE-802.11` (WLAN).
        Ieee80211 => "IEEE-802.11",
        /// `IEEE-802.11a`.
        Ieee80211a => "IEEE-802.11a",
        /// `IEEE-802.11b`.
        Ieee80211b => "IEEE-802.11b",
        /// `IEEE-802.11g`.
        Ieee80211g => "IEEE-802.11g",
        /// `IEEE-802.11n`.
        Ieee80211n => "IEEE-802.11n",
        /// `3GPP-GERAN` (an access type and an access class).
        Geran => "3GPP-GERAN",
        /// `3GPP-UTRAN-FDD`.
        UtranFdd => "3GPP-UTRAN-FDD",
        /// `3GPP-UTRAN-TDD`.
        UtranTdd => "3GPP-UTRAN-TDD",
        /// `3GPP-E-UTRAN-FDD` (LTE).
        EUtranFdd => "3GPP-E-UTRAN-FDD",
        /// `3GPP-E-UTRAN-TDD` (LTE).
        EUtranTdd => "3GPP-E-UTRAN-TDD",
        /// `3GPP-NR-FDD` (5G NR, TS 24.229).
        NrFdd => "3GPP-NR-FDD",
        /// `3GPP-NR-TDD` (5G NR, TS 24.229).
        NrTdd => "3GPP-NR-TDD",
        /// `3GPP-NR-U-FDD` (NR in unlicensed bands, TS 24.229).
        NrUFdd => "3GPP-NR-U-FDD",
        /// `3GPP-NR-U-TDD` (NR in unlicensed bands, TS 24.229).
        NrUTdd => "3GPP-NR-U-TDD",
        /// `ADSL`.
        Adsl => "ADSL",
        /// `ADSL2`.
        Adsl2 => "ADSL2",
        /// `ADSL2+`.
        Adsl2Plus => "ADSL2+",
        /// `RADSL`.
        Radsl => "RADSL",
        /// `SDSL`.
        Sdsl => "SDSL",
        /// `HDSL`.
        Hdsl => "HDSL",
        /// `HDSL2`.
        Hdsl2 => "HDSL2",
        /// `G.SHDSL`.
        GShdsl => "G.SHDSL",
        /// `VDSL`.
        Vdsl => "VDSL",
        /// `IDSL`.
        Idsl => "IDSL",
        /// `3GPP2-1X` (cdma2000 1x).
        Cdma1x => "3GPP2-1X",
        /// `3GPP2-1X-Femto`.
        Cdma1xFemto => "3GPP2-1X-Femto",
        /// `3GPP2-1X-HRPD`.
        Cdma1xHrpd => "3GPP2-1X-HRPD",
        /// `3GPP2-UMB`.
        Umb => "3GPP2-UMB",
        /// `DOCSIS` (cable).
        Docsis => "DOCSIS",
        /// `IEEE-802.3` (Ethernet).
        Ieee8023 => "IEEE-802.3",
        /// `IEEE-802.3a`.
        Ieee8023a => "IEEE-802.3a",
        /// `IEEE-802.3e`.
        Ieee8023e => "IEEE-802.3e",
        /// `IEEE-802.3i`.
        Ieee8023i => "IEEE-802.3i",
        /// `IEEE-802.3j`.
        Ieee8023j => "IEEE-802.3j",
        /// `IEEE-802.3u`.
        Ieee8023u => "IEEE-802.3u",
        /// `IEEE-802.3ab`.
        Ieee8023ab => "IEEE-802.3ab",
        /// `IEEE-802.3ae`.
        Ieee8023ae => "IEEE-802.3ae",
        /// `IEEE-802.3ak`.
        Ieee8023ak => "IEEE-802.3ak",
        /// `IEEE-802.3ah`.
        Ieee8023ah => "IEEE-802.3ah",
        /// `IEEE-802.3aq`.
        Ieee8023aq => "IEEE-802.3aq",
        /// `IEEE-802.3an`.
        Ieee8023an => "IEEE-802.3an",
        /// `IEEE-802.3y`.
        Ieee8023y => "IEEE-802.3y",
        /// `IEEE-802.3z`.
        Ieee8023z => "IEEE-802.3z",
        /// `GPON` (fibre).
        Gpon => "GPON",
        /// `XGPON1` (fibre).
        Xgpon1 => "XGPON1",
        /// `GSTN` (the fixed telephone network).
        Gstn => "GSTN",
        /// `DVB-RCS2` (satellite).
        DvbRcs2 => "DVB-RCS2",
        /// The access class `3GPP-UTRAN`.
        Utran => "3GPP-UTRAN",
        /// The access class `3GPP-E-UTRAN`.
        EUtran => "3GPP-E-UTRAN",
        /// The access class `3GPP-NR` (TS 24.229).
        Nr => "3GPP-NR",
        /// The access class `3GPP-WLAN`.
        Wlan => "3GPP-WLAN",
        /// The access class `3GPP-GAN`.
        Gan => "3GPP-GAN",
        /// The access class `3GPP-HSPA`.
        Hspa => "3GPP-HSPA",
        /// The access class `3GPP2`.
        ThreeGpp2 => "3GPP2",
    }
}

/// The `access-info` parameters whose value is `token / quoted-string`.
const TOKEN_OR_QUOTED: [&str; 11] = [
    "cgi-3gpp",
    "utran-cell-id-3gpp",
    "i-wlan-node-id",
    "dsl-location",
    "eth-location",
    "fiber-location",
    "ci-3gpp2",
    "ci-3gpp2-femto",
    "gstn-location",
    "operator-specific-GI",
    "utran-sai-3gpp",
];

/// The `access-info` parameters whose value is a `quoted-string`.
const QUOTED: [&str; 3] = [
    "dvb-rcs2-node-id",
    "local-time-zone",
    "daylight-saving-time",
];

/// Checks the `access-info` parameters RFC 7315 and TS 24.229 define;
/// others are `generic-param` (RFC 7913).
fn access_info_ok(name: &str, value: Option<&str>) -> bool {
    if name.eq_ignore_ascii_case("network-provided") {
        keyword::is_flag(value)
    } else if TOKEN_OR_QUOTED.iter().any(|n| name.eq_ignore_ascii_case(n)) {
        keyword::is_token_or_quoted(value)
    } else if QUOTED.iter().any(|n| name.eq_ignore_ascii_case(n)) {
        keyword::is_quoted(value)
    } else {
        true
    }
}

/// One element of a P-Access-Network-Info header
/// (`access-net-spec = (access-type / access-class) *(SEMI access-info)`):
/// the access network the user agent is attached through and where in it
/// (the cell, the DSL line, the WLAN access point ...), added by the UE or,
/// with `network-provided`, by the network.
///
/// Parsing checks the values of the `access-info` parameters RFC 7315 and
/// TS 24.229 define: `token / quoted-string` for the locations, a quoted
/// string for `local-time-zone`, `daylight-saving-time` and
/// `dvb-rcs2-node-id`, no value for `network-provided`. The accessors give
/// a value unquoted.
///
/// ```
/// use imsip::header::{AccessType, PAccessNetworkInfo, TypedHeader};
///
/// let p = PAccessNetworkInfo::parse("3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=0010100010019B01").unwrap();
/// assert_eq!(p.access_type, AccessType::EUtranFdd);
/// assert_eq!(p.utran_cell_id_3gpp().as_deref(), Some("0010100010019B01"));
/// assert!(!p.is_network_provided());
/// assert_eq!(p.to_string(), "3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=0010100010019B01");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PAccessNetworkInfo<'a> {
    /// The access type or access class.
    pub access_type: AccessType<'a>,
    /// The `access-info` parameters.
    pub params: Params<'a>,
}

impl<'a> PAccessNetworkInfo<'a> {
    /// A value without `access-info`.
    pub fn new(access_type: AccessType<'a>) -> Self {
        PAccessNetworkInfo {
            access_type,
            params: Params::header(),
        }
    }

    /// The value of the `access-info` parameter `name`, unquoted.
    pub fn access_info(&self, name: &str) -> Option<Cow<'_, str>> {
        self.params.get(name).and_then(|p| p.unquoted())
    }

    /// `cgi-3gpp`: the Cell Global Identity (GERAN), hex digits.
    pub fn cgi_3gpp(&self) -> Option<Cow<'_, str>> {
        self.access_info("cgi-3gpp")
    }

    /// `utran-cell-id-3gpp`: MCC, MNC, area code and cell identity (UTRAN,
    /// E-UTRAN and NR).
    pub fn utran_cell_id_3gpp(&self) -> Option<Cow<'_, str>> {
        self.access_info("utran-cell-id-3gpp")
    }

    /// `utran-sai-3gpp`: the UTRAN service area identity.
    pub fn utran_sai_3gpp(&self) -> Option<Cow<'_, str>> {
        self.access_info("utran-sai-3gpp")
    }

    /// `i-wlan-node-id`: the WLAN access point's MAC address.
    pub fn i_wlan_node_id(&self) -> Option<Cow<'_, str>> {
        self.access_info("i-wlan-node-id")
    }

    /// `dsl-location`: the DSL line identifier.
    pub fn dsl_location(&self) -> Option<Cow<'_, str>> {
        self.access_info("dsl-location")
    }

    /// `eth-location`: the Ethernet line identifier.
    pub fn eth_location(&self) -> Option<Cow<'_, str>> {
        self.access_info("eth-location")
    }

    /// `fiber-location`: the fibre line identifier.
    pub fn fiber_location(&self) -> Option<Cow<'_, str>> {
        self.access_info("fiber-location")
    }

    /// `ci-3gpp2`: the cdma2000 cell identity.
    pub fn ci_3gpp2(&self) -> Option<Cow<'_, str>> {
        self.access_info("ci-3gpp2")
    }

    /// `ci-3gpp2-femto`: the cdma2000 femtocell identity.
    pub fn ci_3gpp2_femto(&self) -> Option<Cow<'_, str>> {
        self.access_info("ci-3gpp2-femto")
    }

    /// `gstn-location`: the GSTN line identifier.
    pub fn gstn_location(&self) -> Option<Cow<'_, str>> {
        self.access_info("gstn-location")
    }

    /// `dvb-rcs2-node-id`: the satellite terminal identifier.
    pub fn dvb_rcs2_node_id(&self) -> Option<Cow<'_, str>> {
        self.access_info("dvb-rcs2-node-id")
    }

    /// `operator-specific-GI`: an operator-defined geographical identifier.
    pub fn operator_specific_gi(&self) -> Option<Cow<'_, str>> {
        self.access_info("operator-specific-GI")
    }

    /// `local-time-zone`: the user's time zone (`UTC+01:00`).
    pub fn local_time_zone(&self) -> Option<Cow<'_, str>> {
        self.access_info("local-time-zone")
    }

    /// `daylight-saving-time` (TS 24.229): the daylight saving adjustment
    /// in hours (`"00"` to `"02"`).
    pub fn daylight_saving_time(&self) -> Option<Cow<'_, str>> {
        self.access_info("daylight-saving-time")
    }

    /// Whether the network, not the user agent, supplied the value
    /// (`network-provided`).
    pub fn is_network_provided(&self) -> bool {
        self.params.contains("network-provided")
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> PAccessNetworkInfo<'static> {
        PAccessNetworkInfo {
            access_type: self.access_type.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for PAccessNetworkInfo<'a> {
    const NAME: HeaderName = HeaderName::PAccessNetworkInfo;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let access_type = AccessType::from_token(c.token()?);
        let params = c.params_checked(access_info_ok)?;
        c.finish()?;
        Ok(PAccessNetworkInfo {
            access_type,
            params,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.access_type.as_str().as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for PAccessNetworkInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // RFC 7315 §4.4 and the TS 24.229 / TS 24.228 flows.
        let p =
            PAccessNetworkInfo::parse("3GPP-UTRAN-TDD; utran-cell-id-3gpp=23456789ABCDE").unwrap();
        assert_eq!(p.access_type, AccessType::UtranTdd);
        assert_eq!(p.utran_cell_id_3gpp().as_deref(), Some("23456789ABCDE"));
        let p = PAccessNetworkInfo::parse("3GPP-GERAN; cgi-3gpp=23456789ABCDE").unwrap();
        assert_eq!(p.cgi_3gpp().as_deref(), Some("23456789ABCDE"));
        let p = PAccessNetworkInfo::parse("IEEE-802.11; i-wlan-node-id=ffeeddccbbaa").unwrap();
        assert_eq!(p.access_type, AccessType::Ieee80211);
        assert_eq!(p.i_wlan_node_id().as_deref(), Some("ffeeddccbbaa"));
        // TS 24.229 §5.2.7.2: the P-CSCF adds what the network knows.
        let p = PAccessNetworkInfo::parse(
            "3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=262011F4E2B8B601; network-provided; local-time-zone=\"UTC+01:00\"; daylight-saving-time=\"01\"",
        )
        .unwrap();
        assert!(p.is_network_provided());
        assert_eq!(p.local_time_zone().as_deref(), Some("UTC+01:00"));
        assert_eq!(p.daylight_saving_time().as_deref(), Some("01"));
        assert_eq!(
            p.to_string(),
            "3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=262011F4E2B8B601;network-provided;local-time-zone=\"UTC+01:00\";daylight-saving-time=\"01\""
        );
        let p =
            PAccessNetworkInfo::parse("3GPP-NR-TDD;utran-cell-id-3gpp=001010000123456789").unwrap();
        assert_eq!(p.access_type, AccessType::NrTdd);
        let p = PAccessNetworkInfo::parse(
            "ADSL;dsl-location=\"line 7\";eth-location=x;fiber-location=y;gstn-location=z",
        )
        .unwrap();
        assert_eq!(p.dsl_location().as_deref(), Some("line 7"));
        assert_eq!(p.eth_location().as_deref(), Some("x"));
        assert_eq!(p.fiber_location().as_deref(), Some("y"));
        assert_eq!(p.gstn_location().as_deref(), Some("z"));
        let p = PAccessNetworkInfo::parse("3GPP2-1X-Femto;ci-3gpp2-femto=1;ci-3gpp2=2;operator-specific-GI=\"g\";utran-sai-3gpp=3;dvb-rcs2-node-id=\"n\";x-ext=[2001:db8::1]").unwrap();
        assert_eq!(p.access_type, AccessType::Cdma1xFemto);
        assert_eq!(p.ci_3gpp2_femto().as_deref(), Some("1"));
        assert_eq!(p.ci_3gpp2().as_deref(), Some("2"));
        assert_eq!(p.operator_specific_gi().as_deref(), Some("g"));
        assert_eq!(p.utran_sai_3gpp().as_deref(), Some("3"));
        assert_eq!(p.dvb_rcs2_node_id().as_deref(), Some("n"));
        assert_eq!(p.access_info("x-ext").as_deref(), Some("[2001:db8::1]"));
        // Access classes, case-insensitive keywords and extension tokens.
        assert_eq!(
            PAccessNetworkInfo::parse("3GPP-WLAN").unwrap().access_type,
            AccessType::Wlan
        );
        let p = PAccessNetworkInfo::parse("3gpp-e-utran-fdd").unwrap();
        assert_eq!(p.access_type, AccessType::EUtranFdd);
        assert_eq!(p.to_string(), "3GPP-E-UTRAN-FDD");
        let p = PAccessNetworkInfo::parse("IEEE-802.11be").unwrap();
        assert_eq!(p.access_type, AccessType::Other("IEEE-802.11be".into()));
        assert_eq!(p.to_string(), "IEEE-802.11be");
        let built = PAccessNetworkInfo::new(AccessType::Adsl2Plus);
        assert_eq!(built.to_string(), "ADSL2+");
        assert_eq!(built.clone().into_owned(), built);
    }

    #[test]
    fn malformed() {
        let kind = |s| PAccessNetworkInfo::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind("\"3GPP-GERAN\""), HeaderErrorKind::Token);
        assert_eq!(kind("3GPP-GERAN 3GPP-UTRAN"), HeaderErrorKind::Trailing);
        assert_eq!(kind("3GPP-GERAN;cgi-3gpp"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("3GPP-GERAN;cgi-3gpp=[::1]"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("3GPP-GERAN;network-provided=yes"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("3GPP-GERAN;local-time-zone=UTC"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("3GPP-GERAN;daylight-saving-time=01"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(kind("3GPP-GERAN;;"), HeaderErrorKind::Param);
        // RFC 3455's bare quoted `extension-access-info`, gone since RFC 7913.
        assert_eq!(kind("3GPP-GERAN;\"xyz\""), HeaderErrorKind::Param);
    }
}
