//! Digest known answers: every row of `tests/data/digest/vectors.tsv`
//! (RFC 2617 §3.5, RFC 7616 §3.9.1 MD5 and SHA-256, RFC 7616 §3.9.2
//! SHA-512-256 as corrected by erratum 4897, and SIPp-derived MD5, AKAv1-MD5
//! and AKAv2-MD5 rows built on TS 35.208 set 3).

mod common;

use imsip::auth::Secret;
use imsip::auth::aka;
use imsip::auth::digest::{self, Algorithm, Nonces, Qop, Request};
use imsip::auth::milenage::Milenage;
use imsip::header::Credentials;

struct Row {
    id: String,
    algorithm: Algorithm,
    username: String,
    realm: String,
    password: String,
    method: String,
    uri: String,
    nonce: String,
    nc: u32,
    cnonce: String,
    qop: Qop,
    ha1: String,
    response: String,
    extra: String,
}

fn rows() -> Vec<Row> {
    let text = String::from_utf8(common::data("digest/vectors.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                id: c[0].into(),
                algorithm: Algorithm::parse(c[2]).unwrap(),
                username: c[3].into(),
                realm: c[4].into(),
                password: c[5].into(),
                method: c[6].into(),
                uri: c[7].into(),
                nonce: c[8].into(),
                nc: u32::from_str_radix(c[9], 16).unwrap(),
                cnonce: c[10].into(),
                qop: Qop::parse(c[11]).unwrap(),
                ha1: c[12].into(),
                response: c[14].into(),
                extra: c.get(16).copied().unwrap_or_default().into(),
            }
        })
        .collect()
}

fn extra(row: &Row, key: &str) -> Option<String> {
    row.extra
        .split([' ', ';'])
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_owned())
}

fn hex<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0u8; N];
    for i in 0..N {
        out[i] = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn password(row: &Row) -> Vec<u8> {
    if row.algorithm == Algorithm::AkaV1Md5 {
        // The RES, computed from the subscriber data rather than trusted.
        let m = Milenage::new(
            &hex(&extra(row, "K").unwrap()),
            &hex(&extra(row, "OP").unwrap()),
        );
        let rand = hex::<16>(&extra(row, "RAND").unwrap());
        let sqn = u64::from_str_radix(&extra(row, "SQN").unwrap(), 16).unwrap();
        let av = aka::vector(&m, rand, sqn, hex(&extra(row, "AMF").unwrap()));
        assert_eq!(
            aka::digest_nonce(&av.rand, &av.autn, b""),
            row.nonce,
            "{}: nonce",
            row.id
        );
        let res = av.xres;
        assert_eq!(
            res.expose(),
            &hex::<8>(row.password.strip_prefix("hex:").unwrap())
        );
        return aka::akav1_password(&res).to_vec();
    }
    if row.algorithm == Algorithm::AkaV2Md5 {
        let keys = extra(row, "RES||IK||CK").unwrap();
        let res = Secret::<8>::from_hex(&keys[..16]).unwrap();
        let ik = Secret::<16>::from_hex(&keys[16..48]).unwrap();
        let ck = Secret::<16>::from_hex(&keys[48..80]).unwrap();
        let pw = aka::akav2_password(&res, &ik, &ck);
        assert_eq!(pw, row.password, "{}: AKAv2 password", row.id);
        return pw.into_bytes();
    }
    row.password.as_bytes().to_vec()
}

#[test]
fn every_row() {
    let rows = rows();
    assert_eq!(rows.len(), 7);
    for row in &rows {
        let pw = password(row);
        let ha1 = digest::ha1(row.algorithm, &row.username, &row.realm, &pw);
        assert_eq!(ha1.expose(), row.ha1, "{}: HA1", row.id);
        let req = Request {
            method: &row.method,
            uri: &row.uri,
            body: b"",
        };
        let n = Nonces {
            nonce: &row.nonce,
            cnonce: &row.cnonce,
            nc: row.nc,
            qop: Some(row.qop),
        };
        let response = digest::response(row.algorithm, &ha1, &n, &req);
        assert_eq!(response, row.response, "{}: response", row.id);

        // The same through credentials and verify().
        let creds = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{}\", algorithm={}, qop={}, nc={:08x}, cnonce=\"{}\"",
            row.username,
            row.realm,
            row.nonce,
            row.uri,
            row.response,
            row.algorithm,
            row.qop.as_str(),
            row.nc,
            row.cnonce
        );
        let creds = Credentials::parse(&creds).unwrap();
        assert!(digest::verify(&creds, &ha1, &req), "{}", row.id);
        let wrong = digest::ha1(row.algorithm, &row.username, &row.realm, b"wrong");
        assert!(!digest::verify(&creds, &wrong, &req), "{}", row.id);
    }
}

#[test]
fn userhash_of_rfc7616_erratum_4897() {
    let row = rows()
        .into_iter()
        .find(|r| r.algorithm == Algorithm::Sha512_256)
        .unwrap();
    assert_eq!(
        Algorithm::Sha512_256.userhash(&row.username, &row.realm),
        extra(&row, "userhash").unwrap()
    );
}
