//! The MILENAGE algorithm set ([3GPP TS 35.206](https://www.3gpp.org/dynareport/35206.htm)):
//! the authentication and key generation functions f1, f1*, f2, f3, f4, f5
//! and f5* of UMTS/LTE/IMS AKA, on AES-128 (RustCrypto `aes`, which uses
//! AES-NI when the CPU has it).
//!
//! ```text
//! TEMP = E_K(RAND ⊕ OPc)
//! OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc   IN1 = SQN ‖ AMF ‖ SQN ‖ AMF
//! OUTi = E_K(rot(TEMP ⊕ OPc, ri) ⊕ ci) ⊕ OPc         i = 2…5
//! f1 = OUT1[0..8]  f1* = OUT1[8..16]  f5 = OUT2[0..6]  f2 = OUT2[8..16]
//! f3 = OUT3        f4 = OUT4          f5* = OUT5[0..6]
//! r1..r5 = 64, 0, 32, 64, 96 bits     c1..c5 = 0, 1, 2, 4, 8 (last octet)
//! ```

use aes::Aes128;
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};

use super::secret::Secret;

/// The outputs of f2, f3, f4 and f5 for one RAND.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outputs {
    /// f2: the response RES (XRES on the network side).
    pub res: Secret<8>,
    /// f3: the cipher key CK.
    pub ck: Secret<16>,
    /// f4: the integrity key IK.
    pub ik: Secret<16>,
    /// f5: the anonymity key AK that masks SQN in AUTN.
    pub ak: [u8; 6],
}

/// MILENAGE for one subscriber: the key K and the operator variant OPc.
///
/// The expanded key schedule and OPc are wiped when it is dropped; `Debug`
/// shows neither.
///
/// ```
/// use imsip::auth::milenage::Milenage;
///
/// // TS 35.208 §4.3 test set 1.
/// let k = [0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f, 0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc];
/// let op = [0xcd, 0xc2, 0x02, 0xd5, 0x12, 0x3e, 0x20, 0xf6, 0x2b, 0x6d, 0x67, 0x6a, 0xc7, 0x2c, 0xb3, 0x18];
/// let rand = [0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d, 0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35];
/// let m = Milenage::new(&k, &op);
/// let mac_a = m.f1(&rand, &[0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07], &[0xb9, 0xb9]);
/// assert_eq!(mac_a, [0x4a, 0x9f, 0xfa, 0xc3, 0x54, 0xdf, 0xaf, 0xb3]);
/// let out = m.f2345(&rand);
/// assert_eq!(out.res.expose(), &[0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf]);
/// ```
#[derive(Clone)]
pub struct Milenage {
    cipher: Aes128,
    opc: Secret<16>,
}

impl std::fmt::Debug for Milenage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Milenage(<redacted>)")
    }
}

/// c1..c5 (in the last octet).
const C: [u128; 5] = [0, 1, 2, 4, 8];
/// r1..r5 in bits.
const R: [u32; 5] = [64, 0, 32, 64, 96];

/// Everything MILENAGE gives for one RAND, SQN and AMF: f1, f1*, f2–f5 and
/// f5*, computed with six AES blocks (TEMP, then OUT1–OUT5 together).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllOutputs {
    /// f1: MAC-A.
    pub mac_a: [u8; 8],
    /// f1*: MAC-S.
    pub mac_s: [u8; 8],
    /// f2–f5: RES, CK, IK and AK.
    pub outputs: Outputs,
    /// f5*: AK*.
    pub ak_star: [u8; 6],
}

impl Milenage {
    /// From K and the operator variant OP (computes OPc = OP ⊕ E_K(OP)).
    pub fn new(k: &[u8; 16], op: &[u8; 16]) -> Self {
        let cipher = Aes128::new(&Array::from(*k));
        let op_value = u128::from_be_bytes(*op);
        let [opc] = encrypt_xor(&cipher, [op_value], op_value);
        Milenage {
            cipher,
            opc: Secret::new(opc.to_be_bytes()),
        }
    }

    /// From K and OPc (what an HSS usually stores).
    pub fn with_opc(k: &[u8; 16], opc: &[u8; 16]) -> Self {
        Milenage {
            cipher: Aes128::new(&Array::from(*k)),
            opc: Secret::new(*opc),
        }
    }

    /// OPc.
    pub fn opc(&self) -> &Secret<16> {
        &self.opc
    }

    fn opc_value(&self) -> u128 {
        u128::from_be_bytes(*self.opc.expose())
    }

    /// TEMP = E_K(RAND ⊕ OPc).
    fn temp(&self, rand: &[u8; 16]) -> u128 {
        let opc = self.opc_value();
        let [t] = encrypt_xor(&self.cipher, [u128::from_be_bytes(*rand) ^ opc], 0);
        t
    }

    /// The input block of OUT1.
    fn in1(&self, temp: u128, sqn: &[u8; 6], amf: &[u8; 2]) -> u128 {
        let mut half = [0u8; 8];
        half[..6].copy_from_slice(sqn);
        half[6..].copy_from_slice(amf);
        let half = u64::from_be_bytes(half);
        let in1 = (u128::from(half) << 64) | u128::from(half);
        temp ^ (in1 ^ self.opc_value()).rotate_left(R[0]) ^ C[0]
    }

    /// The input block of OUTi, i = 2…5.
    fn in_i(&self, temp: u128, i: usize) -> u128 {
        (temp ^ self.opc_value()).rotate_left(R[i - 1]) ^ C[i - 1]
    }

    /// f1 and f1* (MAC-A and MAC-S) together: both come from OUT1.
    pub fn f1_both(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> ([u8; 8], [u8; 8]) {
        let temp = self.temp(rand);
        let [out1] = encrypt_xor(&self.cipher, [self.in1(temp, sqn, amf)], self.opc_value());
        let out1 = out1.to_be_bytes();
        (first::<8>(&out1, 0), first::<8>(&out1, 8))
    }

    /// f1: the network authentication code MAC-A.
    pub fn f1(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> [u8; 8] {
        self.f1_both(rand, sqn, amf).0
    }

    /// f1*: the resynchronisation authentication code MAC-S.
    pub fn f1_star(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> [u8; 8] {
        self.f1_both(rand, sqn, amf).1
    }

    /// f2, f3, f4 and f5: RES, CK, IK and AK for `rand`.
    pub fn f2345(&self, rand: &[u8; 16]) -> Outputs {
        let temp = self.temp(rand);
        let [out2, out3, out4] = encrypt_xor(
            &self.cipher,
            [self.in_i(temp, 2), self.in_i(temp, 3), self.in_i(temp, 4)],
            self.opc_value(),
        );
        outputs(out2, out3, out4)
    }

    /// f5*: the anonymity key AK* that masks SQN_MS in AUTS.
    pub fn f5_star(&self, rand: &[u8; 16]) -> [u8; 6] {
        let temp = self.temp(rand);
        let [out5] = encrypt_xor(&self.cipher, [self.in_i(temp, 5)], self.opc_value());
        first::<6>(&out5.to_be_bytes(), 0)
    }

    /// f1, f1*, f2, f3, f4, f5 and f5* at once: what an authentication
    /// vector needs, with TEMP computed once and OUT1–OUT5 encrypted side by
    /// side.
    pub fn all(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> AllOutputs {
        let temp = self.temp(rand);
        let [out1, out2, out3, out4, out5] = encrypt_xor(
            &self.cipher,
            [
                self.in1(temp, sqn, amf),
                self.in_i(temp, 2),
                self.in_i(temp, 3),
                self.in_i(temp, 4),
                self.in_i(temp, 5),
            ],
            self.opc_value(),
        );
        let out1 = out1.to_be_bytes();
        AllOutputs {
            mac_a: first::<8>(&out1, 0),
            mac_s: first::<8>(&out1, 8),
            outputs: outputs(out2, out3, out4),
            ak_star: first::<6>(&out5.to_be_bytes(), 0),
        }
    }
}

fn outputs(out2: u128, out3: u128, out4: u128) -> Outputs {
    let out2 = out2.to_be_bytes();
    Outputs {
        res: Secret::new(first::<8>(&out2, 8)),
        ck: Secret::new(out3.to_be_bytes()),
        ik: Secret::new(out4.to_be_bytes()),
        ak: first::<6>(&out2, 0),
    }
}

/// E_K of each block (side by side, which AES-NI pipelines), each XORed
/// with `mask` afterwards.
fn encrypt_xor<const N: usize>(cipher: &Aes128, blocks: [u128; N], mask: u128) -> [u128; N] {
    let mut arrays = blocks.map(|b| Array::from(b.to_be_bytes()));
    cipher.encrypt_blocks(&mut arrays);
    arrays.map(|a| u128::from_be_bytes(a.into()) ^ mask)
}

fn first<const N: usize>(x: &[u8; 16], from: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&x[from..from + N]);
    out
}
