//! Secret bytes: wiped when dropped, never printed, compared in constant time.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// `N` secret octets (a key, a response, an HA1): zeroised on drop, shown
/// as `<redacted>` by `Debug`, compared in constant time by `==`.
#[derive(Clone)]
pub struct Secret<const N: usize>([u8; N]);

impl<const N: usize> Drop for Secret<N> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<const N: usize> ZeroizeOnDrop for Secret<N> {}

impl<const N: usize> Secret<N> {
    /// Wraps `bytes`.
    pub const fn new(bytes: [u8; N]) -> Self {
        Secret(bytes)
    }

    /// Copies `bytes` when they are exactly `N` long.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; N]>::try_from(bytes).ok().map(Secret)
    }

    /// Parses `2N` hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<Self> {
        let mut out = [0u8; N];
        let b = hex.as_bytes();
        if b.len() != 2 * N {
            return None;
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = crate::syntax::hex_value(b[2 * i])? << 4 | crate::syntax::hex_value(b[2 * i + 1])?;
        }
        Some(Secret(out))
    }

    /// The octets. Keep what you do with them out of logs.
    pub fn expose(&self) -> &[u8; N] {
        &self.0
    }
}

impl<const N: usize> fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret<{N}>(<redacted>)")
    }
}

impl<const N: usize> PartialEq for Secret<N> {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl<const N: usize> Eq for Secret<N> {}

impl<const N: usize> From<[u8; N]> for Secret<N> {
    fn from(bytes: [u8; N]) -> Self {
        Secret(bytes)
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Whether two byte strings are equal, in time that depends only on their
/// lengths.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_secret() {
        let s = Secret::<4>::from_hex("DEADbeef").unwrap();
        assert_eq!(s.expose(), &[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(format!("{s:?}"), "Secret<4>(<redacted>)");
        assert_eq!(s, Secret::new([0xde, 0xad, 0xbe, 0xef]));
        assert_ne!(s, Secret::new([0xde, 0xad, 0xbe, 0xee]));
        assert!(Secret::<4>::from_hex("deadbee").is_none());
        assert!(Secret::<4>::from_hex("deadbeeg").is_none());
        assert_eq!(hex(&[0, 0xff, 0x1a]), "00ff1a");
        assert!(ct_eq(b"abc", b"abc") && !ct_eq(b"abc", b"abd") && !ct_eq(b"ab", b"abc"));
    }
}
