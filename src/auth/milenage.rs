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

const C: [u8; 5] = [0, 1, 2, 4, 8];
const R: [usize; 5] = [8, 0, 4, 8, 12];

impl Milenage {
    /// From K and the operator variant OP (computes OPc = OP ⊕ E_K(OP)).
    pub fn new(k: &[u8; 16], op: &[u8; 16]) -> Self {
        let cipher = Aes128::new(&Array::from(*k));
        let mut opc = *op;
        encrypt(&cipher, &mut opc);
        xor(&mut opc, op);
        Milenage {
            cipher,
            opc: Secret::new(opc),
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

    /// TEMP = E_K(RAND ⊕ OPc).
    fn temp(&self, rand: &[u8; 16]) -> [u8; 16] {
        let mut t = *rand;
        xor(&mut t, self.opc.expose());
        encrypt(&self.cipher, &mut t);
        t
    }

    /// OUT1 for f1 and f1*.
    fn out1(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> [u8; 16] {
        let temp = self.temp(rand);
        let mut in1 = [0u8; 16];
        in1[..6].copy_from_slice(sqn);
        in1[6..8].copy_from_slice(amf);
        in1[8..14].copy_from_slice(sqn);
        in1[14..].copy_from_slice(amf);
        xor(&mut in1, self.opc.expose());
        let mut block = rotate(&in1, R[0]);
        xor(&mut block, &temp);
        block[15] ^= C[0];
        encrypt(&self.cipher, &mut block);
        xor(&mut block, self.opc.expose());
        block
    }

    /// OUTi, i = 2…5, from TEMP.
    fn out(&self, temp: &[u8; 16], i: usize) -> [u8; 16] {
        let mut t = *temp;
        xor(&mut t, self.opc.expose());
        let mut block = rotate(&t, R[i - 1]);
        block[15] ^= C[i - 1];
        encrypt(&self.cipher, &mut block);
        xor(&mut block, self.opc.expose());
        block
    }

    /// f1: the network authentication code MAC-A.
    pub fn f1(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> [u8; 8] {
        first::<8>(&self.out1(rand, sqn, amf), 0)
    }

    /// f1*: the resynchronisation authentication code MAC-S.
    pub fn f1_star(&self, rand: &[u8; 16], sqn: &[u8; 6], amf: &[u8; 2]) -> [u8; 8] {
        first::<8>(&self.out1(rand, sqn, amf), 8)
    }

    /// f2, f3, f4 and f5: RES, CK, IK and AK for `rand`.
    pub fn f2345(&self, rand: &[u8; 16]) -> Outputs {
        let temp = self.temp(rand);
        let out2 = self.out(&temp, 2);
        let out3 = self.out(&temp, 3);
        let out4 = self.out(&temp, 4);
        Outputs {
            res: Secret::new(first::<8>(&out2, 8)),
            ck: Secret::new(out3),
            ik: Secret::new(out4),
            ak: first::<6>(&out2, 0),
        }
    }

    /// f5*: the anonymity key AK* that masks SQN_MS in AUTS.
    pub fn f5_star(&self, rand: &[u8; 16]) -> [u8; 6] {
        let temp = self.temp(rand);
        first::<6>(&self.out(&temp, 5), 0)
    }
}

fn encrypt(cipher: &Aes128, block: &mut [u8; 16]) {
    let mut b = Array::from(*block);
    cipher.encrypt_block(&mut b);
    block.copy_from_slice(&b);
}

fn xor(a: &mut [u8; 16], b: &[u8; 16]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= y;
    }
}

/// Rotates left by `octets` octets (the r constants are multiples of 8 bits).
fn rotate(x: &[u8; 16], octets: usize) -> [u8; 16] {
    let mut out = *x;
    out.rotate_left(octets);
    out
}

fn first<const N: usize>(x: &[u8; 16], from: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&x[from..from + N]);
    out
}
