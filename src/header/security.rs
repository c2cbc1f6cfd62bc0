//! The security agreement headers Security-Client, Security-Server and
//! Security-Verify ([RFC 3329 §2.2](https://www.rfc-editor.org/rfc/rfc3329#section-2.2)),
//! with the `ipsec-3gpp` mechanism and its parameters of 3GPP TS 33.203
//! Annex H and TS 24.229 §7.2A.7.
//!
//! The three headers share one value, [`SecMechanism`]
//! (`mechanism-name *(SEMI mech-parameters)`); each header type wraps it and
//! dereferences to it.

use std::fmt;
use std::ops::{Deref, DerefMut};

use super::keyword::{self, keyword_enum};
use super::{Cursor, HeaderError, HeaderErrorKind, QValue};
use crate::params::Params;
use crate::syntax;

keyword_enum! {
    /// The `mechanism-name` of a security mechanism.
    MechanismName {
        /// `digest`: HTTP Digest with integrity of the agreement (RFC 3329).
        Digest => "digest",
        /// `tls`: TLS (RFC 3329).
        Tls => "tls",
        /// `ipsec-ike`: IPsec keyed with IKE (RFC 3329).
        IpsecIke => "ipsec-ike",
        /// `ipsec-man`: manually keyed IPsec (RFC 3329).
        IpsecMan => "ipsec-man",
        /// `ipsec-3gpp`: IPsec keyed by IMS AKA (TS 33.203).
        Ipsec3gpp => "ipsec-3gpp",
    }
}

keyword_enum! {
    /// The integrity algorithm of `ipsec-3gpp` (the `alg` parameter).
    IntegrityAlg {
        /// `hmac-md5-96` (RFC 3329; removed by later TS 33.203 releases).
        HmacMd5 => "hmac-md5-96",
        /// `hmac-sha-1-96`.
        HmacSha1 => "hmac-sha-1-96",
        /// `aes-gmac` (TS 33.203).
        AesGmac => "aes-gmac",
        /// `null`: no separate integrity algorithm (with `aes-gcm`).
        Null => "null",
    }
}

keyword_enum! {
    /// The encryption algorithm of `ipsec-3gpp` (the `ealg` parameter).
    EncryptionAlg {
        /// `des-ede3-cbc`.
        DesEde3Cbc => "des-ede3-cbc",
        /// `aes-cbc`.
        AesCbc => "aes-cbc",
        /// `aes-gcm` (TS 33.203).
        AesGcm => "aes-gcm",
        /// `null`: no encryption.
        Null => "null",
    }
}

keyword_enum! {
    /// The IPsec protocol of `ipsec-3gpp` (the `prot` parameter).
    IpsecProtocol {
        /// `ah`: Authentication Header.
        Ah => "ah",
        /// `esp`: Encapsulating Security Payload.
        Esp => "esp",
    }
}

keyword_enum! {
    /// The IPsec mode of `ipsec-3gpp` (the `mod` parameter).
    IpsecMode {
        /// `trans`: transport mode.
        Trans => "trans",
        /// `tun`: tunnel mode.
        Tun => "tun",
        /// `UDP-enc-tun`: tunnel mode with UDP encapsulation (TS 33.203,
        /// NAT traversal).
        UdpEncTun => "UDP-enc-tun",
    }
}

/// One security mechanism: `ipsec-3gpp;alg=hmac-sha-1-96;spi-c=23456789`.
///
/// Parsing checks the parameters RFC 3329 and TS 33.203 define: `q` a
/// qvalue; `d-alg`, `d-qop`, `alg`, `ealg`, `prot` and `mod` tokens; `d-ver`
/// a quoted string of 32 lower-case hex digits; `spi-c` and `spi-s` numbers
/// up to 2³²−1 and `port-c` and `port-s` up to 65535
/// ([`HeaderErrorKind::OutOfRange`] beyond). So the typed accessors cannot
/// fail on a parsed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecMechanism<'a> {
    /// The mechanism.
    pub mechanism: MechanismName<'a>,
    /// The mechanism parameters.
    pub params: Params<'a>,
}

impl<'a> SecMechanism<'a> {
    /// A mechanism without parameters.
    pub fn new(mechanism: MechanismName<'a>) -> Self {
        SecMechanism {
            mechanism,
            params: Params::header(),
        }
    }

    /// `q`: the preference among the mechanisms offered.
    pub fn q(&self) -> Option<QValue> {
        self.params.value("q").and_then(QValue::parse)
    }

    /// `d-alg`: the Digest algorithm (RFC 3329 §2.2).
    pub fn d_alg(&self) -> Option<&str> {
        self.params.value("d-alg")
    }

    /// `d-qop`: the Digest quality of protection.
    pub fn d_qop(&self) -> Option<&str> {
        self.params.value("d-qop")
    }

    /// `d-ver`: the Digest verification value, 32 hex digits (without the
    /// quotes).
    pub fn d_ver(&self) -> Option<&str> {
        self.params
            .value("d-ver")
            .and_then(|v| v.strip_prefix('"'))
            .and_then(|v| v.strip_suffix('"'))
    }

    /// `alg`: the IPsec integrity algorithm.
    pub fn alg(&self) -> Option<IntegrityAlg<'_>> {
        self.params.value("alg").map(IntegrityAlg::from_token)
    }

    /// `ealg`: the IPsec encryption algorithm (none given means `null`,
    /// TS 33.203).
    pub fn ealg(&self) -> Option<EncryptionAlg<'_>> {
        self.params.value("ealg").map(EncryptionAlg::from_token)
    }

    /// `prot`: the IPsec protocol (none given means `esp`).
    pub fn prot(&self) -> Option<IpsecProtocol<'_>> {
        self.params.value("prot").map(IpsecProtocol::from_token)
    }

    /// `mod`: the IPsec mode (none given means `trans`).
    pub fn mode(&self) -> Option<IpsecMode<'_>> {
        self.params.value("mod").map(IpsecMode::from_token)
    }

    /// `spi-c`: the SPI of the security association the client receives on.
    pub fn spi_c(&self) -> Option<u32> {
        self.number("spi-c")
    }

    /// `spi-s`: the SPI of the security association the server receives on.
    pub fn spi_s(&self) -> Option<u32> {
        self.number("spi-s")
    }

    /// `port-c`: the client's protected port.
    pub fn port_c(&self) -> Option<u16> {
        self.number("port-c").and_then(|p| u16::try_from(p).ok())
    }

    /// `port-s`: the server's protected port.
    pub fn port_s(&self) -> Option<u16> {
        self.number("port-s").and_then(|p| u16::try_from(p).ok())
    }

    fn number(&self, name: &str) -> Option<u32> {
        self.params
            .value(name)
            .and_then(|v| syntax::parse_u32(v.as_bytes()).ok())
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> SecMechanism<'static> {
        SecMechanism {
            mechanism: self.mechanism.into_owned(),
            params: self.params.into_owned(),
        }
    }

    /// Parses `mechanism-name *(SEMI mech-parameters)`.
    pub(crate) fn parse_value(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let mechanism = MechanismName::from_token(c.token()?);
        let mut overflow = false;
        let params = c
            .params_checked(|name, value| mech_parameter_ok(name, value, &mut overflow))
            .map_err(|e| keyword::overflow_error(e, overflow))?;
        c.finish()?;
        Ok(SecMechanism { mechanism, params })
    }

    /// Writes the mechanism in canonical form.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.mechanism.as_str().as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for SecMechanism<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

/// Checks the `mech-parameters` RFC 3329 and TS 33.203 define.
fn mech_parameter_ok(name: &str, value: Option<&str>, overflow: &mut bool) -> bool {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    if is("q") {
        value.and_then(QValue::parse).is_some()
    } else if is("d-ver") {
        value.is_some_and(|v| {
            v.len() == 34
                && v.starts_with('"')
                && v.ends_with('"')
                && v.bytes()
                    .skip(1)
                    .take(32)
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
    } else if is("spi-c") || is("spi-s") {
        keyword::number_value(value, u32::MAX, overflow)
    } else if is("port-c") || is("port-s") {
        keyword::number_value(value, u32::from(u16::MAX), overflow)
    } else if is("d-alg") || is("d-qop") || is("alg") || is("ealg") || is("prot") || is("mod") {
        keyword::is_token_value(value)
    } else {
        true
    }
}

/// Defines a security agreement header wrapping a [`SecMechanism`].
macro_rules! sec_agree_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a>(pub SecMechanism<'a>);

        impl<'a> $ty<'a> {
            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty(self.0.into_owned())
            }
        }

        impl<'a> From<SecMechanism<'a>> for $ty<'a> {
            fn from(m: SecMechanism<'a>) -> Self {
                $ty(m)
            }
        }

        impl<'a> Deref for $ty<'a> {
            type Target = SecMechanism<'a>;

            fn deref(&self) -> &SecMechanism<'a> {
                &self.0
            }
        }

        impl DerefMut for $ty<'_> {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }

        impl<'a> super::TypedHeader<'a> for $ty<'a> {
            const NAME: super::HeaderName = super::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, HeaderError> {
                SecMechanism::parse_value(value).map($ty)
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                self.0.encode(dst);
            }
        }

        impl fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

sec_agree_header! {
    /// One element of a Security-Client header: a mechanism the client
    /// supports, in a request (for IMS, the UE's `ipsec-3gpp` offer with its
    /// SPIs and ports in the initial REGISTER).
    ///
    /// ```
    /// use imsip::header::{IntegrityAlg, MechanismName, SecurityClient, TypedHeader};
    ///
    /// let s = SecurityClient::parse("ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357").unwrap();
    /// assert_eq!(s.mechanism, MechanismName::Ipsec3gpp);
    /// assert_eq!(s.alg(), Some(IntegrityAlg::HmacSha1));
    /// assert_eq!((s.spi_c(), s.spi_s()), (Some(23456789), Some(12345678)));
    /// assert_eq!((s.port_c(), s.port_s()), (Some(2468), Some(1357)));
    /// ```
    SecurityClient, SecurityClient
}

sec_agree_header! {
    /// One element of a Security-Server header: a mechanism the server
    /// supports, in a 494 or 401 response (for IMS, the P-CSCF's SPIs and
    /// ports).
    ///
    /// ```
    /// use imsip::header::{SecurityServer, TypedHeader};
    ///
    /// let s = SecurityServer::parse("ipsec-3gpp; q=0.1; alg=hmac-sha-1-96; spi-c=98765432; spi-s=87654321; port-c=8642; port-s=7531").unwrap();
    /// assert_eq!(s.q().unwrap().thousandths(), 100);
    /// assert_eq!(s.port_s(), Some(7531));
    /// ```
    SecurityServer, SecurityServer
}

sec_agree_header! {
    /// One element of a Security-Verify header: the client's copy of a
    /// Security-Server mechanism, sent back over the protected connection
    /// so the server can detect a downgrade.
    ///
    /// ```
    /// use imsip::header::{MechanismName, SecurityVerify, TypedHeader};
    ///
    /// let s = SecurityVerify::parse("tls;q=0.2").unwrap();
    /// assert_eq!(s.mechanism, MechanismName::Tls);
    /// assert_eq!(s.to_string(), "tls;q=0.2");
    /// ```
    SecurityVerify, SecurityVerify
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::TypedHeader;

    #[test]
    fn rfc3329_examples() {
        // RFC 3329 §3.
        let c = SecurityClient::parse("digest").unwrap();
        assert_eq!(c.mechanism, MechanismName::Digest);
        assert!(c.params.is_empty());
        let s = SecurityServer::parse("ipsec-ike;q=0.1").unwrap();
        assert_eq!(s.mechanism, MechanismName::IpsecIke);
        assert_eq!(s.q(), QValue::from_thousandths(100));
        let v = SecurityVerify::parse("tls;q=0.2").unwrap();
        assert_eq!(v.q(), QValue::from_thousandths(200));
        assert_eq!(
            SecurityServer::parse("ipsec-man").unwrap().mechanism,
            MechanismName::IpsecMan
        );
        // RFC 3329 §2.2: the Digest parameters.
        let c = SecurityClient::parse(
            "digest;d-alg=md5;d-qop=auth-int;d-ver=\"0123456789abcdef0123456789abcdef\"",
        )
        .unwrap();
        assert_eq!(c.d_alg(), Some("md5"));
        assert_eq!(c.d_qop(), Some("auth-int"));
        assert_eq!(c.d_ver(), Some("0123456789abcdef0123456789abcdef"));
    }

    #[test]
    fn ipsec_3gpp() {
        // TS 33.203 and TS 24.229: the UE's offer, the P-CSCF's answer.
        let c = SecurityClient::parse(
            "ipsec-3gpp; alg=hmac-sha-1-96; ealg=aes-cbc; prot=esp; mod=trans; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357",
        )
        .unwrap();
        assert_eq!(c.mechanism, MechanismName::Ipsec3gpp);
        assert_eq!(c.alg(), Some(IntegrityAlg::HmacSha1));
        assert_eq!(c.ealg(), Some(EncryptionAlg::AesCbc));
        assert_eq!(c.prot(), Some(IpsecProtocol::Esp));
        assert_eq!(c.mode(), Some(IpsecMode::Trans));
        assert_eq!(c.spi_c(), Some(23456789));
        assert_eq!(c.spi_s(), Some(12345678));
        assert_eq!(c.port_c(), Some(2468));
        assert_eq!(c.port_s(), Some(1357));
        assert_eq!(
            c.to_string(),
            "ipsec-3gpp;alg=hmac-sha-1-96;ealg=aes-cbc;prot=esp;mod=trans;spi-c=23456789;spi-s=12345678;port-c=2468;port-s=1357"
        );
        let s = SecurityServer::parse(
            "ipsec-3gpp;q=0.1;alg=hmac-md5-96;ealg=des-ede3-cbc;prot=ah;mod=UDP-enc-tun;spi-c=4294967295;spi-s=0;port-c=65535;port-s=0",
        )
        .unwrap();
        assert_eq!(s.alg(), Some(IntegrityAlg::HmacMd5));
        assert_eq!(s.ealg(), Some(EncryptionAlg::DesEde3Cbc));
        assert_eq!(s.prot(), Some(IpsecProtocol::Ah));
        assert_eq!(s.mode(), Some(IpsecMode::UdpEncTun));
        assert_eq!(s.spi_c(), Some(u32::MAX));
        assert_eq!(s.port_c(), Some(u16::MAX));
        let v = SecurityVerify::parse("IPSEC-3GPP;alg=aes-gmac;ealg=aes-gcm;mod=tun").unwrap();
        assert_eq!(v.mechanism, MechanismName::Ipsec3gpp);
        assert_eq!(v.alg(), Some(IntegrityAlg::AesGmac));
        assert_eq!(v.ealg(), Some(EncryptionAlg::AesGcm));
        assert_eq!(v.mode(), Some(IpsecMode::Tun));
        assert_eq!(
            v.to_string(),
            "ipsec-3gpp;alg=aes-gmac;ealg=aes-gcm;mod=tun"
        );
        let v = SecurityVerify::parse("x-mech;alg=null;ealg=null;prot=x").unwrap();
        assert_eq!(v.mechanism, MechanismName::Other("x-mech".into()));
        assert_eq!(v.alg(), Some(IntegrityAlg::Null));
        assert_eq!(v.ealg(), Some(EncryptionAlg::Null));
        assert_eq!(v.prot(), Some(IpsecProtocol::Other("x".into())));
        assert_eq!(v.clone().into_owned(), v);
    }

    #[test]
    fn built() {
        let mut m = SecMechanism::new(MechanismName::Ipsec3gpp);
        m.params.push("spi-c", Some("1")).unwrap();
        let c = SecurityClient::from(m);
        assert_eq!(c.to_string(), "ipsec-3gpp;spi-c=1");
        assert_eq!(SecurityClient::parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn malformed() {
        let kind = |s| SecurityClient::parse(s).unwrap_err().kind();
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind(";q=0.1"), HeaderErrorKind::Token);
        assert_eq!(kind("tls, digest"), HeaderErrorKind::Trailing);
        assert_eq!(kind("tls;q=2"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("tls;q"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("ipsec-3gpp;spi-c=4294967296"),
            HeaderErrorKind::OutOfRange
        );
        assert_eq!(kind("ipsec-3gpp;port-s=65536"), HeaderErrorKind::OutOfRange);
        assert_eq!(kind("ipsec-3gpp;port-s=x"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("ipsec-3gpp;spi-s=-1"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("ipsec-3gpp;alg=\"hmac-sha-1-96\""),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(kind("ipsec-3gpp;mod"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("digest;d-ver=0123456789abcdef0123456789abcdef"),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("digest;d-ver=\"0123456789ABCDEF0123456789ABCDEF\""),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(kind("digest;d-ver=\"0123\""), HeaderErrorKind::ParamValue);
        assert_eq!(kind("tls;;"), HeaderErrorKind::Param);
    }
}
