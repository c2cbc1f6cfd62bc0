//! Property tests of authentication: a client and a server built from random
//! credentials agree; any change to what the response covers is refused; a
//! replayed nc is refused; a USIM that fell behind resynchronises.

use std::time::{Duration, Instant};

use imsip::auth::aka::{self, SqnGenerator, Usim, UsimError};
use imsip::auth::digest::{
    self, Algorithm, DigestClient, DigestServer, Qop, Request, ServerConfig, VerifyError,
};
use imsip::auth::milenage::Milenage;
use imsip::header::Credentials;
use imsip::random::SeededRandom;
use proptest::prelude::*;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Md5),
        Just(Algorithm::Md5Sess),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha256Sess),
        Just(Algorithm::Sha512_256),
        Just(Algorithm::Sha512_256Sess),
    ]
}

/// Flips one bit of the quoted value of `param` in `creds`' text.
fn flip(creds: &Credentials<'_>, param: &str, bit: usize) -> Credentials<'static> {
    let text = creds.to_string();
    let value = creds.param(param).unwrap().into_owned();
    let mut bytes = value.clone().into_bytes();
    let i = bit % bytes.len();
    // Stay printable and inside a quoted string.
    bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
    let changed = String::from_utf8(bytes).unwrap();
    let out = text.replacen(
        &format!("{param}=\"{value}\""),
        &format!("{param}=\"{changed}\""),
        1,
    );
    Credentials::parse(&out).unwrap().into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn client_and_server_agree_and_detect_tampering(
        user in "[a-z][a-z0-9.]{0,12}",
        password in proptest::collection::vec(any::<u8>(), 0..24),
        realm in "[a-z]{1,10}\\.example\\.net",
        alg in algorithm(),
        auth_int in any::<bool>(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        seed in any::<u64>(),
        bit in any::<usize>(),
        userhash in any::<bool>(),
    ) {
        let now = Instant::now();
        let mut config = ServerConfig::new(&realm);
        config.algorithms = vec![alg];
        config.qop = if auth_int { vec![Qop::AuthInt] } else { vec![Qop::Auth] };
        config.userhash = userhash;
        let mut server = DigestServer::new(config, [seed as u8; 32], now);
        let mut rng = SeededRandom::new(seed);
        let challenges = server.challenges(now, &mut rng, false);
        let uri = format!("sip:{realm}");
        let req = Request { method: "REGISTER", uri: &uri, body: &body };
        let mut client = DigestClient::new(&user, &password).prefer_auth_int(true);
        let creds = client.answer(&challenges, &req, &mut rng).unwrap();
        let lookup = |name: &str, a: Algorithm| {
            let expected = if userhash { a.userhash(&user, &realm) } else { user.clone() };
            (name == expected).then(|| digest::ha1(a, &user, &realm, &password))
        };

        // Each tampered copy first, on a fresh server, so no nc is used up.
        for param in ["response", "nonce", "realm", "uri", "cnonce"] {
            let mut fresh = DigestServer::new(server.config().clone(), [seed as u8; 32], now);
            let bad = flip(&creds, param, bit);
            prop_assert!(fresh.verify(now, &bad, &req, lookup).is_err(), "{} changed", param);
        }
        if auth_int {
            let mut other = body.clone();
            other.push(0);
            let moved = Request { method: "REGISTER", uri: &uri, body: &other };
            let mut fresh = DigestServer::new(server.config().clone(), [seed as u8; 32], now);
            prop_assert_eq!(fresh.verify(now, &creds, &moved, lookup).unwrap_err(), VerifyError::Mismatch);
        }
        let other_method = Request { method: "INVITE", uri: &uri, body: &body };
        let mut fresh = DigestServer::new(server.config().clone(), [seed as u8; 32], now);
        prop_assert!(fresh.verify(now, &creds, &other_method, lookup).is_err());

        // The real thing verifies once; the replay does not.
        let ok = server.verify(now, &creds, &req, lookup).unwrap();
        prop_assert_eq!(ok.algorithm, alg);
        prop_assert!(ok.authentication_info.rspauth().is_some());
        prop_assert_eq!(server.verify(now, &creds, &req, lookup).unwrap_err(), VerifyError::Replay);

        // The next request on the same nonce (nc 2) is fine; later the nonce is stale.
        client.accepted();
        let again = client.authorize(&req, &mut rng).unwrap();
        prop_assert_eq!(again.nc(), Some(2));
        prop_assert!(server.verify(now, &again, &req, lookup).is_ok());
        let later = now + Duration::from_secs(301);
        let stale = client.authorize(&req, &mut rng).unwrap();
        let err = server.verify(later, &stale, &req, lookup).unwrap_err();
        prop_assert!(err.is_stale());
        // The stale challenge is answered without asking for the password again.
        let renewed = server.challenges(later, &mut rng, true);
        let fresh = client.answer(&renewed, &req, &mut rng).unwrap();
        prop_assert!(server.verify(later, &fresh, &req, lookup).is_ok());
    }

    #[test]
    fn a_usim_behind_the_network_resynchronises(
        k in any::<[u8; 16]>(),
        opc in any::<[u8; 16]>(),
        used in 1u32..20,
        jump in 0u64..1000,
        rands in proptest::collection::vec(any::<[u8; 16]>(), 3),
    ) {
        let network = Milenage::with_opc(&k, &opc);
        let mut usim = Usim::new(Milenage::with_opc(&k, &opc));
        // The USIM has seen `used` challenges the network then forgot
        // (a restored HSS backup, say).
        let mut ahead = SqnGenerator::new(jump << 5);
        for _ in 0..used {
            let av = aka::vector(&network, rands[0], ahead.next(), [0x80, 0]);
            prop_assert!(usim.authenticate(&av.rand, &av.autn).is_ok());
        }
        let mut hss = SqnGenerator::new(0);
        let av = aka::vector(&network, rands[1], hss.next(), [0x80, 0]);
        let auts = match usim.authenticate(&av.rand, &av.autn) {
            Err(UsimError::SyncFailure { auts }) => auts,
            other => return Err(TestCaseError::fail(format!("expected a sync failure, got {other:?}"))),
        };
        // Through the Digest `auts` parameter and back.
        let auts = aka::parse_auts(&aka::encode_auts(&auts)).unwrap();
        let sqn_ms = aka::resynchronise(&network, &av.rand, &auts).unwrap();
        prop_assert_eq!(sqn_ms, usim.sqn_ms());
        hss.resynchronise(sqn_ms);
        let next = aka::vector(&network, rands[2], hss.next(), [0x80, 0]);
        let answer = usim.authenticate(&next.rand, &next.autn).unwrap();
        prop_assert_eq!(answer.res, next.xres);
    }
}
