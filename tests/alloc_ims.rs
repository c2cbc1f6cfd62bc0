//! Parsing the IMS and 3GPP typed headers, and reading their typed
//! accessors, allocates nothing: measured with a counting global allocator,
//! as in `alloc.rs`.
//!
//! The allocator needs `unsafe`; the library itself forbids it.
#![allow(unsafe_code)]

mod common;
#[path = "common/counting.rs"]
mod counting;

use counting::allocations;
use imsip::MessageRef;
use imsip::header::{
    AcceptContact, FeatureCaps, PAccessNetworkInfo, PAssertedIdentity, PAssociatedUri,
    PCalledPartyId, PChargingFunctionAddresses, PEarlyMedia, PPreferredIdentity, PServedUser,
    PVisitedNetworkId, Path, PrivValue, Privacy, RejectContact, RequestDisposition, SecurityClient,
    SecurityServer, SecurityVerify, ServiceRoute, TypedHeader,
};

#[test]
fn ims_register_headers_allocate_nothing() {
    let (n, ok) = allocations(|| {
        let msg = MessageRef::parse(common::IMS_REGISTER).unwrap();
        let mut ok = true;
        for p in msg.header_all::<PAccessNetworkInfo<'_>>() {
            let p = p.unwrap();
            ok &= p.utran_cell_id_3gpp().as_deref() == Some("0010100010019B01");
        }
        let client = msg.header::<SecurityClient<'_>>().unwrap().unwrap();
        ok &= client.spi_c() == Some(23456789) && client.port_s() == Some(1357);
        ok &= client.alg().is_some();
        for v in msg.header_all::<SecurityVerify<'_>>() {
            let v = v.unwrap();
            ok &= v.q().is_some() && v.spi_s() == Some(87654321);
        }
        ok
    });
    assert!(ok);
    assert_eq!(n, 0, "allocations while reading the sec-agree headers");
}

#[test]
fn every_header_parses_without_allocating() {
    let (n, ok) = allocations(|| {
        let mut ok = true;
        let id = PAssertedIdentity::parse("\"Cullen Jennings\" <sip:fluffy@cisco.com>").unwrap();
        ok &= id.name_addr.display_name.as_deref() == Some("Cullen Jennings");
        ok &= PPreferredIdentity::parse("tel:7042;phone-context=example.com").is_ok();
        let p = Privacy::parse("id;critical").unwrap();
        ok &= p.contains(&PrivValue::Id) && p.values().count() == 2;
        ok &= PAssociatedUri::parse("<sip:user1_public2@home1.net>").is_ok();
        ok &= PCalledPartyId::parse("<sip:user1-business@example.com>").is_ok();
        let v = PVisitedNetworkId::parse("\"Visited network number 1\"").unwrap();
        ok &= v.network == "Visited network number 1";
        let a = PAccessNetworkInfo::parse(
            "3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=262011F4E2B8B601; network-provided; local-time-zone=\"UTC+01:00\"",
        )
        .unwrap();
        ok &= a.local_time_zone().as_deref() == Some("UTC+01:00") && a.is_network_provided();
        let c = PChargingFunctionAddresses::parse("ccf=192.0.8.1; ecf=192.0.8.3").unwrap();
        ok &= c.ccf().count() == 1;
        let s = PServedUser::parse("<sip:user@example.com>; sescase=orig; regstate=reg").unwrap();
        ok &= s.sescase().is_some() && s.regstate().is_some();
        ok &= PEarlyMedia::parse("sendrecv").is_ok();
        ok &= Path::parse("<sip:P1.EXAMPLEVISITED.COM;lr>").is_ok();
        ok &= ServiceRoute::parse("<sip:orig@scscf1.home1.net;lr>").is_ok();
        ok &= SecurityServer::parse("ipsec-3gpp;q=0.1;alg=hmac-sha-1-96;mod=trans").is_ok();
        let f =
            FeatureCaps::parse("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"")
                .unwrap();
        ok &= f.value("+g.3gpp.icsi-ref").is_some();
        let ac = AcceptContact::parse("*;audio;require").unwrap();
        ok &= ac.is_required() && ac.has_feature("audio");
        ok &= RejectContact::parse("*;actor=\"msg-taker\";video").is_ok();
        ok &= RequestDisposition::parse("no-fork").is_ok();
        ok
    });
    assert!(ok);
    assert_eq!(n, 0, "allocations while parsing the IMS headers");
}
