//! MILENAGE against 3GPP TS 35.208 §4.3 (all 20 test sets) and the AUTS
//! resynchronisation vectors.

mod common;

use imsip::auth::milenage::Milenage;

fn hex<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0u8; N];
    assert_eq!(s.len(), 2 * N, "{s}");
    for i in 0..N {
        out[i] = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(common::data(file)).unwrap();
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let _header = lines.next();
    lines
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn ts35208_all_sets() {
    let sets = rows("milenage/ts35208.tsv");
    assert_eq!(sets.len(), 20);
    for r in &sets {
        let (k, rand, sqn, amf, op, opc) = (
            hex::<16>(&r[1]),
            hex::<16>(&r[2]),
            hex::<6>(&r[3]),
            hex::<2>(&r[4]),
            hex::<16>(&r[5]),
            hex::<16>(&r[6]),
        );
        let from_op = Milenage::new(&k, &op);
        assert_eq!(from_op.opc().expose(), &opc, "set {} OPc", r[0]);
        for m in [from_op, Milenage::with_opc(&k, &opc)] {
            assert_eq!(m.f1(&rand, &sqn, &amf), hex::<8>(&r[7]), "set {} f1", r[0]);
            assert_eq!(
                m.f1_star(&rand, &sqn, &amf),
                hex::<8>(&r[8]),
                "set {} f1*",
                r[0]
            );
            let out = m.f2345(&rand);
            assert_eq!(out.res.expose(), &hex::<8>(&r[9]), "set {} f2", r[0]);
            assert_eq!(out.ck.expose(), &hex::<16>(&r[10]), "set {} f3", r[0]);
            assert_eq!(out.ik.expose(), &hex::<16>(&r[11]), "set {} f4", r[0]);
            assert_eq!(out.ak, hex::<6>(&r[12]), "set {} f5", r[0]);
            assert_eq!(m.f5_star(&rand), hex::<6>(&r[13]), "set {} f5*", r[0]);
            let all = m.all(&rand, &sqn, &amf);
            assert_eq!(all.mac_a, hex::<8>(&r[7]), "set {} all f1", r[0]);
            assert_eq!(all.mac_s, hex::<8>(&r[8]), "set {} all f1*", r[0]);
            assert_eq!(all.outputs, out, "set {} all f2-f5", r[0]);
            assert_eq!(all.ak_star, hex::<6>(&r[13]), "set {} all f5*", r[0]);
            assert_eq!(m.f1_both(&rand, &sqn, &amf), (all.mac_a, all.mac_s));
        }
    }
}

#[test]
fn auts_rows() {
    let rows = rows("milenage/auts.tsv");
    assert_eq!(rows.len(), 2);
    for r in &rows {
        let m = Milenage::with_opc(&hex::<16>(&r[0]), &hex::<16>(&r[1]));
        let rand = hex::<16>(&r[2]);
        let auts = hex::<14>(&r[3]);
        let ak_star = m.f5_star(&rand);
        assert_eq!(ak_star, hex::<6>(&r[6]));
        let mut sqn_ms = [0u8; 6];
        for i in 0..6 {
            sqn_ms[i] = auts[i] ^ ak_star[i];
        }
        let mac_s = m.f1_star(&rand, &sqn_ms, &[0, 0]);
        assert_eq!(mac_s, hex::<8>(&r[7]));
        let valid = mac_s == auts[6..];
        assert_eq!(valid, r[5] == "valid", "{}", r[5]);
        if valid {
            assert_eq!(sqn_ms, hex::<6>(&r[4]));
        }
    }
}

#[test]
fn debug_shows_no_key() {
    let m = Milenage::new(&[0x11; 16], &[0x22; 16]);
    assert_eq!(format!("{m:?}"), "Milenage(<redacted>)");
    let out = m.f2345(&[0x33; 16]);
    let shown = format!("{out:?}");
    assert!(
        !shown.contains("0x") && shown.contains("redacted"),
        "{shown}"
    );
}
