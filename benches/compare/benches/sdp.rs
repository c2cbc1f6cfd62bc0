//! Parsing a VoLTE SDP offer (AMR-WB, AMR, telephone-event, segmented QoS
//! preconditions, IPv6: `tests/data/sdp/volte_offer.sdp`), side by side
//! with the Rust SDP crates people use:
//!
//! * `webrtc_sdp`: Mozilla's parser (Firefox), `parse_sdp(text, false)`;
//! * `sdp_webrtc_rs`: webrtc-rs's `sdp`, `SessionDescription::unmarshal`.
//!   It refuses the offer: it knows no `b=RS`/`b=RR` (RFC 3556), which
//!   VoLTE offers carry; it is measured on the offer without those two
//!   lines (`OFFER_NO_RS_RR`);
//! * `sdp_types`: ezk's `sdp-types`, `Session::parse`.
//!
//! They all build owned, typed values of every line. imsip is measured
//! three ways:
//!
//! * `imsip_typed`: `Sdp::parse` and then every value typed as the others
//!   type it (origin, connection, bandwidths, timing, each media line and
//!   every attribute, preconditions included), borrowed from the input:
//!   the like-for-like figure;
//! * `imsip_index`: `Sdp::parse` alone (structure and order checked, lines
//!   indexed; values typed when read);
//! * `imsip_owned`: `Sdp::parse` and `to_description` (owned model).
//!
//! Before measuring, each crate's result is checked (five formats in the
//! audio stream, 27 lines' worth of content).
//!
//! `cd benches/compare && cargo bench --bench sdp`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imsip::sdp::Sdp;

const OFFER: &str = include_str!("../../../tests/data/sdp/volte_offer.sdp");

/// The offer without its RTCP bandwidth lines, which webrtc-rs's `sdp`
/// refuses.
fn offer_no_rs_rr() -> String {
    OFFER.replace("b=RS:0\r\n", "").replace("b=RR:2000\r\n", "")
}

/// Everything typed, as the other crates do; a sum so nothing is skipped.
fn imsip_typed(text: &str) -> usize {
    let sdp = Sdp::parse(text).unwrap();
    let mut n = sdp.origin().unwrap().session_version as usize;
    n += usize::from(sdp.connection().unwrap().unwrap().ip_address().is_some());
    for b in sdp.bandwidths() {
        n += b.unwrap().value as usize;
    }
    for t in sdp.timings() {
        n += t.unwrap().start as usize;
    }
    for a in sdp.attributes() {
        n += usize::from(a.typed().is_ok());
    }
    for m in sdp.media() {
        let line = m.line().unwrap();
        n += usize::from(line.port) + line.formats().count();
        for b in m.bandwidths() {
            n += b.unwrap().value as usize;
        }
        for a in m.attributes() {
            n += usize::from(a.typed().is_ok());
        }
    }
    n
}

fn check() {
    let s = Sdp::parse(OFFER).unwrap();
    assert_eq!(s.media_at(0).unwrap().formats().count(), 5);
    assert!(imsip_typed(OFFER) > 49152);
    assert_eq!(s.to_description().unwrap().media[0].attributes.len(), 17);
    let w = webrtc_sdp::parse_sdp(OFFER, false).unwrap();
    assert_eq!(w.media.len(), 1);
    assert!(
        sdp::SessionDescription::unmarshal(&mut std::io::Cursor::new(OFFER.as_bytes())).is_err()
    );
    let trimmed = offer_no_rs_rr();
    let r = sdp::SessionDescription::unmarshal(&mut std::io::Cursor::new(trimmed.as_bytes()))
        .unwrap();
    assert_eq!(r.media_descriptions[0].media_name.formats.len(), 5);
    let e = sdp_types::Session::parse(OFFER.as_bytes()).unwrap();
    assert_eq!(e.medias.len(), 1);
}

fn benches(c: &mut Criterion) {
    check();
    let mut g = c.benchmark_group("sdp_volte_offer");
    g.throughput(Throughput::Bytes(OFFER.len() as u64));
    g.bench_function("imsip_typed", |b| b.iter(|| imsip_typed(black_box(OFFER))));
    g.bench_function("imsip_index", |b| {
        b.iter(|| Sdp::parse(black_box(OFFER)).unwrap().lines().len())
    });
    g.bench_function("imsip_owned", |b| {
        b.iter(|| Sdp::parse(black_box(OFFER)).unwrap().to_description().unwrap())
    });
    g.bench_function("webrtc_sdp", |b| {
        b.iter(|| webrtc_sdp::parse_sdp(black_box(OFFER), false).unwrap())
    });
    let trimmed = offer_no_rs_rr();
    g.bench_function("sdp_webrtc_rs_no_rs_rr", |b| {
        b.iter(|| {
            sdp::SessionDescription::unmarshal(&mut std::io::Cursor::new(
                black_box(trimmed.as_str()).as_bytes(),
            ))
            .unwrap()
        })
    });
    g.bench_function("imsip_typed_no_rs_rr", |b| {
        b.iter(|| imsip_typed(black_box(trimmed.as_str())))
    });
    g.bench_function("sdp_types", |b| {
        b.iter(|| sdp_types::Session::parse(black_box(OFFER).as_bytes()).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
