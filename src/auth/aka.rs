//! Authentication and Key Agreement ([3GPP TS 33.102 §6.3](https://www.3gpp.org/dynareport/33102.htm),
//! TS 33.203 for IMS) on both sides, and its use in SIP Digest (RFC 3310
//! AKAv1-MD5, RFC 4169 AKAv2-MD5).
//!
//! Network side (HSS / AuC): [`SqnGenerator`] hands out sequence numbers
//! (SEQ ‖ IND, TS 33.102 Annex C), [`vector`] makes an authentication
//! vector (RAND, XRES, CK, IK, AUTN), [`resynchronise`] recovers the USIM's
//! sequence number from AUTS.
//!
//! S-CSCF and P-CSCF: [`challenge`] writes the 401's Digest AKA challenge
//! (with `ck` and `ik` for the P-CSCF), [`take_keys`] is the P-CSCF taking
//! them out, [`verify_credentials`] checks the UE's answer or reports its
//! AUTS.
//!
//! UE side: [`Usim`] checks AUTN (MAC-A and SQN freshness with the array
//! scheme of Annex C.2) and answers RES, CK and IK, or AUTS on a
//! synchronisation failure.
//!
//! ```
//! use imsip::auth::aka::{self, SqnGenerator, Usim, UsimError};
//! use imsip::auth::milenage::Milenage;
//!
//! let k = [0x11; 16];
//! let opc = [0x22; 16];
//! let network = Milenage::with_opc(&k, &opc);
//! let mut sqns = SqnGenerator::new(0);
//! let av = aka::vector(&network, [0x33; 16], sqns.next(), [0x80, 0x00]);
//!
//! let mut usim = Usim::new(Milenage::with_opc(&k, &opc));
//! let answer = usim.authenticate(&av.rand, &av.autn).unwrap();
//! assert_eq!(answer.res, av.xres);
//! assert_eq!(answer.ck, av.ck);
//!
//! // The same challenge again is a replay: the USIM asks to resynchronise.
//! let Err(UsimError::SyncFailure { auts }) = usim.authenticate(&av.rand, &av.autn) else { panic!() };
//! let sqn_ms = aka::resynchronise(&network, &av.rand, &auts).unwrap();
//! sqns.resynchronise(sqn_ms);
//! let fresh = aka::vector(&network, [0x44; 16], sqns.next(), [0x80, 0x00]);
//! assert!(usim.authenticate(&fresh.rand, &fresh.autn).is_ok());
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use thiserror::Error;

use super::Secret;
use super::digest::{self, Algorithm, DigestClient, Ha1, Request};
use super::milenage::Milenage;
use crate::header::{Challenge, Credentials};
use crate::random::Random;

/// Bits of IND, the array index in SQN (TS 33.102 Annex C.3.2 profile).
pub const IND_BITS: u32 = 5;
/// The largest SQN (48 bits).
pub const SQN_MAX: u64 = (1 << 48) - 1;
/// The default limit Δ on how far SEQ may jump ahead (Annex C.3.2: 2^28).
pub const DEFAULT_DELTA: u64 = 1 << 28;

/// An authentication vector: what the HSS gives the S-CSCF for one
/// challenge. CK, IK and XRES are secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthVector {
    /// The random challenge.
    pub rand: [u8; 16],
    /// The expected response.
    pub xres: Secret<8>,
    /// The cipher key.
    pub ck: Secret<16>,
    /// The integrity key.
    pub ik: Secret<16>,
    /// The network authentication token: SQN ⊕ AK ‖ AMF ‖ MAC-A.
    pub autn: [u8; 16],
}

fn sqn_bytes(sqn: u64) -> [u8; 6] {
    let b = (sqn & SQN_MAX).to_be_bytes();
    [b[2], b[3], b[4], b[5], b[6], b[7]]
}

fn sqn_value(b: &[u8; 6]) -> u64 {
    u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
}

/// Makes the authentication vector for `rand`, sequence number `sqn` and
/// `amf` (TS 33.102 §6.3.2).
pub fn vector(m: &Milenage, rand: [u8; 16], sqn: u64, amf: [u8; 2]) -> AuthVector {
    let sqn = sqn_bytes(sqn);
    let all = m.all(&rand, &sqn, &amf);
    let (mac_a, out) = (all.mac_a, all.outputs);
    let mut autn = [0u8; 16];
    for i in 0..6 {
        autn[i] = sqn[i] ^ out.ak[i];
    }
    autn[6..8].copy_from_slice(&amf);
    autn[8..].copy_from_slice(&mac_a);
    AuthVector {
        rand,
        xres: out.res,
        ck: out.ck,
        ik: out.ik,
        autn,
    }
}

/// Why AUTS was refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Error)]
pub enum ResyncError {
    /// MAC-S does not verify: not this subscriber's USIM, or tampered.
    #[error("MAC-S does not verify")]
    MacS,
}

/// Recovers SQN_MS from AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S, checking MAC-S with
/// the dummy AMF 0000 (TS 33.102 §6.3.3, §6.3.5).
///
/// # Errors
/// [`ResyncError::MacS`] when MAC-S does not verify.
pub fn resynchronise(m: &Milenage, rand: &[u8; 16], auts: &[u8; 14]) -> Result<u64, ResyncError> {
    let ak_star = m.f5_star(rand);
    let mut sqn = [0u8; 6];
    for i in 0..6 {
        sqn[i] = auts[i] ^ ak_star[i];
    }
    let mac_s = m.f1_star(rand, &sqn, &[0, 0]);
    if !super::ct_eq(&mac_s, &auts[6..]) {
        return Err(ResyncError::MacS);
    }
    Ok(sqn_value(&sqn))
}

/// The network's sequence numbers for one subscriber (TS 33.102 Annex C.1):
/// SQN = SEQ ‖ IND, SEQ counting up one per vector, IND cycling through
/// the 32 array slots (or fixed per serving node with
/// [`SqnGenerator::next_with_ind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqnGenerator {
    seq: u64,
    ind: u64,
}

impl SqnGenerator {
    /// Continues after `sqn` (the last SQN used, 0 for a new subscriber).
    pub fn new(sqn: u64) -> Self {
        SqnGenerator {
            seq: sqn >> IND_BITS,
            ind: sqn & ((1 << IND_BITS) - 1),
        }
    }

    /// The next SQN, with the next IND.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.ind = (self.ind + 1) & ((1 << IND_BITS) - 1);
        self.next_with_ind(self.ind)
    }

    /// The next SQN with a given IND (Annex C.1.2 lets the AuC tie IND to
    /// the requesting node).
    pub fn next_with_ind(&mut self, ind: u64) -> u64 {
        self.seq = (self.seq + 1) & (SQN_MAX >> IND_BITS);
        (self.seq << IND_BITS) | (ind & ((1 << IND_BITS) - 1))
    }

    /// The SQN last handed out.
    pub fn current(&self) -> u64 {
        (self.seq << IND_BITS) | self.ind
    }

    /// After a resynchronisation: continue above SQN_MS (TS 33.102 §6.3.5),
    /// never going back.
    pub fn resynchronise(&mut self, sqn_ms: u64) {
        self.seq = self.seq.max(sqn_ms >> IND_BITS);
    }
}

/// The USIM's answer to a good challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsimAnswer {
    /// RES.
    pub res: Secret<8>,
    /// CK.
    pub ck: Secret<16>,
    /// IK.
    pub ik: Secret<16>,
}

/// Why the USIM refused a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum UsimError {
    /// MAC-A does not verify: the network is not authentic (TS 33.102
    /// §6.3.3 "user authentication reject" with cause MAC failure).
    #[error("MAC failure: the network is not authentic")]
    MacFailure,
    /// SQN is not fresh: send AUTS so that the network resynchronises.
    #[error("synchronisation failure")]
    SyncFailure {
        /// AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S.
        auts: [u8; 14],
    },
}

/// A model of the USIM's AKA function: MILENAGE and the sequence number
/// array of TS 33.102 Annex C.2.
#[derive(Clone, Debug)]
pub struct Usim {
    milenage: Milenage,
    /// SEQ_MS(i): the highest SEQ accepted with IND i.
    seq_ms: [u64; 1 << IND_BITS],
    /// IND of the highest SEQ accepted anywhere.
    last_ind: u64,
    delta: u64,
    limit: Option<u64>,
}

impl Usim {
    /// A fresh USIM (every SEQ_MS(i) is 0) with the default Δ and no age
    /// limit L.
    pub fn new(milenage: Milenage) -> Self {
        Usim {
            milenage,
            seq_ms: [0; 1 << IND_BITS],
            last_ind: 0,
            delta: DEFAULT_DELTA,
            limit: None,
        }
    }

    /// Sets Δ, the largest jump of SEQ accepted (Annex C.2.1).
    #[must_use]
    pub fn with_delta(mut self, delta: u64) -> Self {
        self.delta = delta;
        self
    }

    /// Sets L, the age limit: a SEQ more than L below the highest accepted
    /// is refused (Annex C.2.2).
    #[must_use]
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// SQN_MS: the highest sequence number accepted so far.
    pub fn sqn_ms(&self) -> u64 {
        let seq = self.seq_ms.iter().copied().max().unwrap_or(0);
        (seq << IND_BITS) | self.last_ind
    }

    /// Checks a challenge (TS 33.102 §6.3.3): MAC-A first, then freshness.
    ///
    /// # Errors
    /// [`UsimError::MacFailure`] or [`UsimError::SyncFailure`] with AUTS.
    pub fn authenticate(
        &mut self,
        rand: &[u8; 16],
        autn: &[u8; 16],
    ) -> Result<UsimAnswer, UsimError> {
        let out = self.milenage.f2345(rand);
        let mut sqn = [0u8; 6];
        for i in 0..6 {
            sqn[i] = autn[i] ^ out.ak[i];
        }
        let amf = [autn[6], autn[7]];
        let xmac = self.milenage.f1(rand, &sqn, &amf);
        if !super::ct_eq(&xmac, &autn[8..]) {
            return Err(UsimError::MacFailure);
        }
        let sqn = sqn_value(&sqn);
        let seq = sqn >> IND_BITS;
        let ind = (sqn & ((1 << IND_BITS) - 1)) as usize;
        let highest = self.seq_ms.iter().copied().max().unwrap_or(0);
        let fresh = seq.saturating_sub(highest) <= self.delta
            && self.limit.is_none_or(|l| highest.saturating_sub(seq) < l)
            && seq > self.seq_ms[ind];
        if !fresh {
            return Err(UsimError::SyncFailure {
                auts: self.auts(rand),
            });
        }
        self.seq_ms[ind] = seq;
        if seq >= highest {
            self.last_ind = ind as u64;
        }
        Ok(UsimAnswer {
            res: out.res,
            ck: out.ck,
            ik: out.ik,
        })
    }

    /// AUTS for `rand`: (SQN_MS ⊕ AK*) ‖ MAC-S with AMF 0000.
    fn auts(&self, rand: &[u8; 16]) -> [u8; 14] {
        let sqn_ms = sqn_bytes(self.sqn_ms());
        let all = self.milenage.all(rand, &sqn_ms, &[0, 0]);
        let (ak_star, mac_s) = (all.ak_star, all.mac_s);
        let mut auts = [0u8; 14];
        for i in 0..6 {
            auts[i] = sqn_ms[i] ^ ak_star[i];
        }
        auts[6..].copy_from_slice(&mac_s);
        auts
    }
}

/// The Digest AKA nonce: base64(RAND ‖ AUTN ‖ server data) (RFC 3310 §3.2).
pub fn digest_nonce(rand: &[u8; 16], autn: &[u8; 16], server_data: &[u8]) -> String {
    let mut raw = Vec::with_capacity(32 + server_data.len());
    raw.extend_from_slice(rand);
    raw.extend_from_slice(autn);
    raw.extend_from_slice(server_data);
    STANDARD.encode(raw)
}

/// RAND, AUTN and the server data of a Digest AKA nonce.
pub fn parse_digest_nonce(nonce: &str) -> Option<([u8; 16], [u8; 16], Vec<u8>)> {
    let raw = STANDARD.decode(nonce).ok()?;
    if raw.len() < 32 {
        return None;
    }
    let rand: [u8; 16] = raw[..16].try_into().ok()?;
    let autn: [u8; 16] = raw[16..32].try_into().ok()?;
    Some((rand, autn, raw[32..].to_vec()))
}

/// The Digest password of AKAv1-MD5: the RES octets themselves (RFC 3310
/// §3.3; not their hex).
pub fn akav1_password(res: &Secret<8>) -> &[u8] {
    res.expose()
}

/// The Digest password of AKAv2-MD5 (RFC 4169 §4):
/// base64(HMAC-MD5(key = RES ‖ IK ‖ CK, "http-digest-akav2-password")).
pub fn akav2_password(res: &Secret<8>, ik: &Secret<16>, ck: &Secret<16>) -> String {
    let mut key = zeroize::Zeroizing::new([0u8; 40]);
    key[..8].copy_from_slice(res.expose());
    key[8..24].copy_from_slice(ik.expose());
    key[24..].copy_from_slice(ck.expose());
    let mut mac = Hmac::<Md5>::new_from_slice(&key[..])
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"http-digest-akav2-password");
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The HA1 a network element checks Digest AKA credentials against, from
/// the vector it issued: the password is XRES (AKAv1) or the RFC 4169
/// derivation of XRES, IK and CK (AKAv2). `None` for a non-AKA algorithm.
pub fn digest_ha1(
    algorithm: Algorithm,
    username: &str,
    realm: &str,
    av: &AuthVector,
) -> Option<Ha1> {
    match algorithm {
        Algorithm::AkaV1Md5 => Some(digest::ha1(
            algorithm,
            username,
            realm,
            akav1_password(&av.xres),
        )),
        Algorithm::AkaV2Md5 => Some(digest::ha1(
            algorithm,
            username,
            realm,
            akav2_password(&av.xres, &av.ik, &av.ck).as_bytes(),
        )),
        _ => None,
    }
}

/// The Digest AKA challenge for `av` that an S-CSCF sends in a 401 (RFC 3310
/// §3.1, TS 24.229 §5.4.1.2.1): `realm`, the nonce made of RAND and AUTN,
/// `algorithm` (AKAv1-MD5 or AKAv2-MD5), `qop="auth"`, and with `keys` the
/// `ck` and `ik` parameters (32 hex digits each) that the P-CSCF takes out
/// with [`take_keys`] before the response reaches the UE.
///
/// `None` when `algorithm` is not a Digest AKA algorithm.
///
/// ```
/// use imsip::auth::aka::{self, SqnGenerator};
/// use imsip::auth::digest::Algorithm;
/// use imsip::auth::milenage::Milenage;
///
/// let av = aka::vector(&Milenage::with_opc(&[1; 16], &[2; 16]), [3; 16], 32, [0x80, 0]);
/// let c = aka::challenge("ims.example.net", Algorithm::AkaV1Md5, &av, true).unwrap();
/// assert_eq!(c.algorithm().as_deref(), Some("AKAv1-MD5"));
/// assert_eq!(c.ck().unwrap().len(), 32);
///
/// // The P-CSCF keeps CK and IK and forwards the challenge without them.
/// let (to_ue, ck, ik) = aka::take_keys(&c).unwrap();
/// assert_eq!((&ck, &ik), (&av.ck, &av.ik));
/// assert!(to_ue.ck().is_none() && to_ue.ik().is_none());
/// ```
pub fn challenge(
    realm: &str,
    algorithm: Algorithm,
    av: &AuthVector,
    keys: bool,
) -> Option<Challenge<'static>> {
    if !algorithm.is_aka() {
        return None;
    }
    let mut c = Challenge::new("Digest");
    c.params.push_quoted("realm", realm).ok()?;
    c.params
        .push_quoted("nonce", &digest_nonce(&av.rand, &av.autn, b""))
        .ok()?;
    c.params.push_token("algorithm", algorithm.as_str()).ok()?;
    c.params.push_quoted("qop", "auth").ok()?;
    if keys {
        c.params
            .push_quoted("ck", &super::hex(av.ck.expose()))
            .ok()?;
        c.params
            .push_quoted("ik", &super::hex(av.ik.expose()))
            .ok()?;
    }
    Some(c.into_owned())
}

/// The P-CSCF side of a 401 from the S-CSCF (TS 24.229 §5.2.2.1): CK and IK
/// from the challenge's `ck` and `ik` parameters, and the challenge without
/// them, to forward to the UE. `None` when either key is missing or is not
/// 32 hex digits.
pub fn take_keys(
    challenge: &Challenge<'_>,
) -> Option<(Challenge<'static>, Secret<16>, Secret<16>)> {
    let ck = Secret::<16>::from_hex(&challenge.ck()?)?;
    let ik = Secret::<16>::from_hex(&challenge.ik()?)?;
    let mut forwarded = challenge.clone().into_owned();
    forwarded.params.remove("ck");
    forwarded.params.remove("ik");
    Some((forwarded, ck, ik))
}

/// What an S-CSCF concludes from Digest AKA credentials (see
/// [`verify_credentials`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AkaVerdict {
    /// RES matched XRES: the UE is authenticated. Consume the vector.
    Authenticated,
    /// The UE's USIM reported a synchronisation failure. Send RAND and AUTS
    /// to the HSS ([`resynchronise`] there), then challenge with a vector
    /// made after the recovered SQN.
    Resynchronise {
        /// The AUTS the UE sent.
        auts: [u8; 14],
    },
}

/// Why Digest AKA credentials were refused by [`verify_credentials`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AkaVerifyError {
    /// Not Digest AKA, or a required parameter is missing or malformed
    /// (answer 400 or challenge again).
    #[error("malformed Digest AKA credentials")]
    Malformed,
    /// The nonce is not the one issued with this vector, or the realm
    /// differs: an old or foreign challenge (challenge again).
    #[error("credentials answer another challenge")]
    OtherChallenge,
    /// The response does not match: wrong RES (answer 403, TS 24.229
    /// §5.4.1.2.2).
    #[error("response does not match")]
    Mismatch,
}

/// Checks Digest AKA credentials against the vector `av` the challenge was
/// made from (RFC 3310 §3.3, RFC 4169, TS 24.229 §5.4.1.2.2): the nonce must
/// carry this vector's RAND and AUTN and the realm must be `realm`; an
/// `auts` parameter means the USIM asks to resynchronise; otherwise the
/// response is recomputed with XRES as the password (AKAv1) or the RFC 4169
/// derivation (AKAv2) and compared in constant time.
///
/// A vector serves one challenge: after [`AkaVerdict::Authenticated`] make a
/// new one for the next, so `nc` replays cannot happen.
///
/// # Errors
/// An [`AkaVerifyError`].
pub fn verify_credentials(
    credentials: &Credentials<'_>,
    realm: &str,
    av: &AuthVector,
    req: &Request<'_>,
) -> Result<AkaVerdict, AkaVerifyError> {
    let algorithm = credentials
        .algorithm()
        .and_then(|a| Algorithm::parse(&a))
        .filter(|a| a.is_aka())
        .ok_or(AkaVerifyError::Malformed)?;
    let nonce = credentials.nonce().ok_or(AkaVerifyError::Malformed)?;
    let (rand, autn, _) = parse_digest_nonce(&nonce).ok_or(AkaVerifyError::OtherChallenge)?;
    if rand != av.rand || autn != av.autn || credentials.realm().as_deref() != Some(realm) {
        return Err(AkaVerifyError::OtherChallenge);
    }
    if let Some(auts) = credentials.auts() {
        let auts = parse_auts(&auts).ok_or(AkaVerifyError::Malformed)?;
        return Ok(AkaVerdict::Resynchronise { auts });
    }
    let username = credentials.username().ok_or(AkaVerifyError::Malformed)?;
    let ha1 = digest_ha1(algorithm, &username, realm, av).ok_or(AkaVerifyError::Malformed)?;
    if digest::verify(credentials, &ha1, req) {
        Ok(AkaVerdict::Authenticated)
    } else {
        Err(AkaVerifyError::Mismatch)
    }
}

/// Why a [`DigestAkaClient`] could not answer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AkaClientError {
    /// No AKAv1-MD5 or AKAv2-MD5 challenge, or its nonce is not RAND ‖ AUTN.
    #[error("no usable Digest AKA challenge")]
    Unsupported,
    /// AUTN failed MAC-A: the challenge did not come from the home network
    /// (TS 33.102 §6.3.3). Do not answer it.
    #[error("the network failed authentication (MAC failure)")]
    MacFailure,
    /// The response is not a 401 or 407, or what it answers is not a
    /// request.
    #[error("not a 401 or 407 to a request")]
    NotAChallenge,
    /// The request could not be sent again
    /// ([`crate::MessageRef::reissue`]).
    #[error("the request cannot be sent again: {0}")]
    Build(crate::message::BuildError),
}

/// The UE side of Digest AKA: a USIM and a Digest client (RFC 3310, RFC
/// 4169, TS 24.229 §5.1.1.5).
///
/// A good challenge is answered with RES as the password and leaves CK and
/// IK for the IPsec security association; a challenge whose SQN is not fresh
/// is answered with `auts` (and an empty password, RFC 3310 §3.4), after
/// which the network challenges again.
#[derive(Debug)]
pub struct DigestAkaClient {
    usim: Usim,
    digest: DigestClient,
    keys: Option<(Secret<16>, Secret<16>)>,
}

impl DigestAkaClient {
    /// A client for the private identity `username` with `usim`.
    pub fn new(username: &str, usim: Usim) -> Self {
        DigestAkaClient {
            usim,
            digest: DigestClient::new(username, b"")
                .with_algorithms(&[Algorithm::AkaV2Md5, Algorithm::AkaV1Md5]),
            keys: None,
        }
    }

    /// CK and IK of the last challenge answered with RES.
    pub fn keys(&self) -> Option<(&Secret<16>, &Secret<16>)> {
        self.keys.as_ref().map(|(ck, ik)| (ck, ik))
    }

    /// The USIM.
    pub fn usim(&self) -> &Usim {
        &self.usim
    }

    /// Answers a 401's challenges.
    ///
    /// # Errors
    /// [`AkaClientError::Unsupported`] or [`AkaClientError::MacFailure`].
    pub fn answer<'a>(
        &mut self,
        challenges: impl IntoIterator<Item = &'a Challenge<'a>>,
        req: &Request<'_>,
        rng: &mut impl Random,
    ) -> Result<Credentials<'static>, AkaClientError> {
        let challenges: Vec<&Challenge<'a>> = challenges.into_iter().collect();
        let (challenge, algorithm) = digest::strongest(challenges.iter().copied().filter(|c| {
            c.algorithm()
                .and_then(|a| Algorithm::parse(&a))
                .is_some_and(Algorithm::is_aka)
        }))
        .ok_or(AkaClientError::Unsupported)?;
        let nonce = challenge.nonce().ok_or(AkaClientError::Unsupported)?;
        let (rand, autn, _) = parse_digest_nonce(&nonce).ok_or(AkaClientError::Unsupported)?;
        // Every AKA challenge carries a new nonce: a second one is no sign
        // of a wrong password.
        self.digest.accepted();
        match self.usim.authenticate(&rand, &autn) {
            Ok(answer) => {
                let password = match algorithm {
                    Algorithm::AkaV2Md5 => {
                        akav2_password(&answer.res, &answer.ik, &answer.ck).into_bytes()
                    }
                    _ => akav1_password(&answer.res).to_vec(),
                };
                self.digest.set_password(&password);
                self.keys = Some((answer.ck, answer.ik));
                self.digest
                    .answer([challenge], req, rng)
                    .map_err(|_| AkaClientError::Unsupported)
            }
            Err(UsimError::SyncFailure { auts }) => {
                self.digest.set_password(b"");
                let mut creds = self
                    .digest
                    .answer([challenge], req, rng)
                    .map_err(|_| AkaClientError::Unsupported)?;
                let _ = creds.params.push_quoted("auts", &encode_auts(&auts));
                self.digest.accepted();
                Ok(creds)
            }
            Err(UsimError::MacFailure) => Err(AkaClientError::MacFailure),
        }
    }
}

impl DigestAkaClient {
    /// `request` sent again after `response`, its 401 (or 407), with the
    /// answer to the AKA challenge: RES, or AUTS when the USIM asks to
    /// resynchronise (then the network challenges again). A new branch
    /// and the CSeq number one higher ([`crate::MessageRef::reissue`]),
    /// the Authorization replacing any for the same realm.
    ///
    /// # Errors
    /// [`AkaClientError::NotAChallenge`], [`AkaClientError::Unsupported`],
    /// [`AkaClientError::MacFailure`] (do not answer: the network is not
    /// the home network), [`AkaClientError::Build`].
    pub fn retry(
        &mut self,
        request: &crate::MessageRef<'_>,
        response: &crate::MessageRef<'_>,
        rng: &mut impl Random,
    ) -> Result<crate::Message, AkaClientError> {
        let challenger = response
            .status()
            .and_then(digest::Challenger::of_status)
            .ok_or(AkaClientError::NotAChallenge)?;
        let req = Request::from_message(request).ok_or(AkaClientError::NotAChallenge)?;
        let challenges = challenger.challenges(response);
        let credentials = self.answer(&challenges, &req, rng)?;
        digest::with_credentials(request, challenger, &credentials, rng).map_err(|e| match e {
            digest::ClientError::Build(b) => AkaClientError::Build(b),
            _ => AkaClientError::NotAChallenge,
        })
    }
}

/// Decodes the `auts` parameter (base64 of 14 octets).
pub fn parse_auts(auts: &str) -> Option<[u8; 14]> {
    STANDARD.decode(auts.trim()).ok()?.try_into().ok()
}

/// Encodes AUTS for the `auts` parameter.
pub fn encode_auts(auts: &[u8; 14]) -> String {
    STANDARD.encode(auts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Milenage, Usim) {
        let k = [0x46; 16];
        let op = [0xcd; 16];
        (Milenage::new(&k, &op), Usim::new(Milenage::new(&k, &op)))
    }

    /// The whole IMS AKA registration: S-CSCF challenge with keys, P-CSCF
    /// taking them out, the UE answering, the S-CSCF verifying; then a UE
    /// whose SQN is ahead resynchronising through the HSS.
    #[test]
    fn scscf_pcscf_and_ue() {
        use crate::random::SeededRandom;
        let realm = "ims.example.net";
        let req = Request {
            method: "REGISTER",
            uri: "sip:ims.example.net",
            body: b"",
        };
        let mut rng = SeededRandom::new(5);
        for algorithm in [Algorithm::AkaV1Md5, Algorithm::AkaV2Md5] {
            let (hss, usim) = pair();
            let mut sqns = SqnGenerator::new(0);
            let mut ue = DigestAkaClient::new("alice@ims.example.net", usim);

            let av = vector(&hss, [7; 16], sqns.next(), [0x80, 0]);
            let from_scscf = challenge(realm, algorithm, &av, true).unwrap();
            let text = from_scscf.to_string();
            let reparsed = Challenge::parse(&text).unwrap();
            let (to_ue, ck, ik) = take_keys(&reparsed).unwrap();
            assert_eq!((ck, ik), (av.ck.clone(), av.ik.clone()));
            assert!(!to_ue.to_string().contains("ck="));
            assert!(take_keys(&to_ue).is_none());

            let creds = ue.answer([&to_ue], &req, &mut rng).unwrap();
            assert_eq!(
                verify_credentials(&creds, realm, &av, &req),
                Ok(AkaVerdict::Authenticated)
            );
            // The UE holds the same keys as the P-CSCF.
            let (ue_ck, ue_ik) = ue.keys().unwrap();
            assert_eq!((ue_ck, ue_ik), (&av.ck, &av.ik));
            assert_eq!(
                verify_credentials(&creds, "other.net", &av, &req),
                Err(AkaVerifyError::OtherChallenge)
            );
            let next = vector(&hss, [8; 16], sqns.next(), [0x80, 0]);
            assert_eq!(
                verify_credentials(&creds, realm, &next, &req),
                Err(AkaVerifyError::OtherChallenge)
            );
            let mut wrong = creds.clone();
            wrong.params.remove("response");
            wrong
                .params
                .push_quoted("response", &"0".repeat(32))
                .unwrap();
            assert_eq!(
                verify_credentials(&wrong, realm, &av, &req),
                Err(AkaVerifyError::Mismatch)
            );
            assert!(challenge(realm, Algorithm::Md5, &av, false).is_none());

            // The HSS lost its SQN (restored backup): the USIM is ahead.
            let mut restored = SqnGenerator::new(0);
            let stale = vector(&hss, [9; 16], restored.next(), [0x80, 0]);
            let c = challenge(realm, algorithm, &stale, false).unwrap();
            let creds = ue.answer([&c], &req, &mut rng).unwrap();
            let Ok(AkaVerdict::Resynchronise { auts }) =
                verify_credentials(&creds, realm, &stale, &req)
            else {
                panic!("expected a resynchronisation")
            };
            restored.resynchronise(resynchronise(&hss, &stale.rand, &auts).unwrap());
            let fresh = vector(&hss, [10; 16], restored.next(), [0x80, 0]);
            let c = challenge(realm, algorithm, &fresh, false).unwrap();
            let creds = ue.answer([&c], &req, &mut rng).unwrap();
            assert_eq!(
                verify_credentials(&creds, realm, &fresh, &req),
                Ok(AkaVerdict::Authenticated)
            );
        }
    }

    #[test]
    fn mac_failure_is_distinct() {
        let (m, mut usim) = pair();
        let mut av = vector(&m, [1; 16], SqnGenerator::new(0).next(), [0x80, 0]);
        av.autn[15] ^= 1;
        assert_eq!(
            usim.authenticate(&av.rand, &av.autn),
            Err(UsimError::MacFailure)
        );
        let other = Milenage::new(&[9; 16], &[9; 16]);
        let av = vector(&other, [1; 16], 64, [0x80, 0]);
        assert_eq!(
            usim.authenticate(&av.rand, &av.autn),
            Err(UsimError::MacFailure)
        );
    }

    #[test]
    fn freshness_rules() {
        let (m, mut usim) = pair();
        let mut sqns = SqnGenerator::new(0);
        for _ in 0..100 {
            let av = vector(&m, [2; 16], sqns.next(), [0x80, 0]);
            assert!(usim.authenticate(&av.rand, &av.autn).is_ok());
        }
        // Out of order within the array is fine: an older SEQ in another slot.
        let mut a = SqnGenerator::new(sqns.current());
        let first = a.next_with_ind(3);
        let second = a.next_with_ind(4);
        let av2 = vector(&m, [3; 16], second, [0x80, 0]);
        let av1 = vector(&m, [4; 16], first, [0x80, 0]);
        assert!(usim.authenticate(&av2.rand, &av2.autn).is_ok());
        assert!(usim.authenticate(&av1.rand, &av1.autn).is_ok());
        // A jump beyond Δ is refused and resynchronises.
        let far = sqns.current() + ((DEFAULT_DELTA + 10) << IND_BITS);
        let av = vector(&m, [5; 16], far, [0x80, 0]);
        let Err(UsimError::SyncFailure { auts }) = usim.authenticate(&av.rand, &av.autn) else {
            panic!()
        };
        let sqn_ms = resynchronise(&m, &av.rand, &auts).unwrap();
        assert_eq!(sqn_ms, usim.sqn_ms());
        let mut bad = auts;
        bad[13] ^= 1;
        assert_eq!(resynchronise(&m, &av.rand, &bad), Err(ResyncError::MacS));
        // Age limit L.
        let (m, usim) = pair();
        let mut usim = usim.with_limit(4);
        let mut g = SqnGenerator::new(0);
        let old = g.next_with_ind(1);
        for _ in 0..10 {
            let av = vector(&m, [6; 16], g.next_with_ind(2), [0x80, 0]);
            usim.authenticate(&av.rand, &av.autn).unwrap();
        }
        let av = vector(&m, [7; 16], old, [0x80, 0]);
        assert!(matches!(
            usim.authenticate(&av.rand, &av.autn),
            Err(UsimError::SyncFailure { .. })
        ));
    }

    #[test]
    fn nonce_and_auts_encoding() {
        let n = digest_nonce(&[1; 16], &[2; 16], b"srv");
        let (r, a, s) = parse_digest_nonce(&n).unwrap();
        assert_eq!((r, a, s.as_slice()), ([1; 16], [2; 16], &b"srv"[..]));
        assert!(parse_digest_nonce("c2hvcnQ=").is_none());
        let auts = [7u8; 14];
        assert_eq!(parse_auts(&encode_auts(&auts)), Some(auts));
        assert_eq!(parse_auts("bad"), None);
    }
}
