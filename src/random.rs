//! Randomness for identifiers: branches, tags and Call-IDs.
//!
//! imsip never picks a random source itself. Everything that needs one takes
//! a [`Random`], so that a test can seed it and get the same messages every
//! run, and production code can plug in its operating system's generator.
//!
//! RFC 3261 asks for tags with at least 32 random bits (§19.3), Call-IDs that
//! are globally unique over space and time and hard to guess (§8.1.1.4), and
//! branches unique over space and time (§8.1.1.7). [`SeededRandom`] is
//! reproducible but predictable: use it for tests and simulations, and a
//! cryptographically secure source (for example one filled from `getrandom`)
//! in production.
//!
//! ```
//! use imsip::random::{self, SeededRandom};
//!
//! let mut rng = SeededRandom::new(7);
//! let branch = random::branch(&mut rng);
//! assert!(branch.starts_with("z9hG4bK") && branch.len() == 7 + 22);
//! assert_eq!(random::tag(&mut SeededRandom::new(7)), random::tag(&mut SeededRandom::new(7)));
//! let call_id = random::call_id(&mut rng, Some("pcscf.ims.example.net"));
//! assert!(call_id.ends_with("@pcscf.ims.example.net"));
//! ```

use crate::header::MAGIC_COOKIE;

/// A source of random 64-bit values.
pub trait Random {
    /// The next value.
    fn next_u64(&mut self) -> u64;
}

impl<R: Random + ?Sized> Random for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

/// A seeded generator (SplitMix64): the same seed gives the same sequence.
/// Fast and statistically fine, not cryptographically secure.
#[derive(Clone, Debug)]
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    /// A generator that starts from `seed`.
    pub const fn new(seed: u64) -> Self {
        SeededRandom { state: seed }
    }
}

impl Random for SeededRandom {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Characters of the identifiers: letters and digits, which are tokens,
/// words and URI-safe everywhere.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` characters of `ALPHABET`, about 5.95 random bits each.
fn chars(rng: &mut impl Random, n: usize, out: &mut String) {
    let mut left = 0;
    let mut bits = 0u64;
    for _ in 0..n {
        if left < 6 {
            bits = rng.next_u64();
            left = 64;
        }
        // 62 values from 6 bits: fold the two spare values back (a 2/64
        // bias on two characters, harmless for identifiers).
        out.push(char::from(ALPHABET[(bits & 63) as usize % 62]));
        bits >>= 6;
        left -= 6;
    }
}

/// A new Via branch: the magic cookie `z9hG4bK` and 22 random characters
/// (about 130 bits).
pub fn branch(rng: &mut impl Random) -> String {
    let mut out = String::with_capacity(MAGIC_COOKIE.len() + 22);
    out.push_str(MAGIC_COOKIE);
    chars(rng, 22, &mut out);
    out
}

/// A new From or To tag: 16 random characters (about 95 bits).
pub fn tag(rng: &mut impl Random) -> String {
    let mut out = String::with_capacity(16);
    chars(rng, 16, &mut out);
    out
}

/// A new Call-ID: 24 random characters (about 143 bits), and `@host` when
/// given (RFC 3261 §8.1.1.4 recommends it for uniqueness).
pub fn call_id(rng: &mut impl Random, host: Option<&str>) -> String {
    let mut out = String::with_capacity(24 + host.map_or(0, |h| h.len() + 1));
    chars(rng, 24, &mut out);
    if let Some(h) = host {
        out.push('@');
        out.push_str(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{CallId, TypedHeader, Via};

    #[test]
    fn reproducible_and_distinct() {
        let a: Vec<String> = (0..100)
            .map(|_| branch(&mut SeededRandom::new(1)))
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut rng = SeededRandom::new(1);
        let many: std::collections::HashSet<String> = (0..10_000).map(|_| tag(&mut rng)).collect();
        assert_eq!(many.len(), 10_000);
    }

    #[test]
    fn identifiers_are_valid_where_they_go() {
        let mut rng = SeededRandom::new(42);
        let b = branch(&mut rng);
        let via = format!("SIP/2.0/UDP h;branch={b}");
        assert!(Via::parse(&via).unwrap().has_magic_cookie());
        let id = call_id(&mut rng, Some("example.net"));
        assert_eq!(CallId::parse(&id).unwrap().as_str(), id);
        assert!(crate::syntax::is_token(tag(&mut rng).as_bytes()));
    }
}
