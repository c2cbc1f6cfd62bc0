//! Randomness for secrets and identifiers: branches, tags, Call-IDs, nonces
//! and keys.
//!
//! Everything in imsip that needs randomness takes a [`Random`], so that a
//! test can seed it and get the same messages every run. Production code
//! uses the operating system's cryptographically secure generator,
//! [`OsRandom`], which is also what every default of the crate uses (an
//! [`Endpoint`](crate::endpoint::Endpoint) without a seed, the key of the
//! To tags a response builder adds).
//!
//! RFC 3261 asks for tags with at least 32 random bits (§19.3), Call-IDs that
//! are globally unique over space and time and hard to guess (§8.1.1.4), and
//! branches unique over space and time (§8.1.1.7); a Digest nonce key or an
//! AKA RAND must be unpredictable. [`SeededRandom`] is reproducible but
//! predictable: use it for tests and simulations only.
//!
//! ```
//! use imsip::random::{self, OsRandom, Random, SeededRandom};
//!
//! // Production: the operating system's generator.
//! let mut os = OsRandom::new();
//! let mut key = [0u8; 32];
//! os.fill_bytes(&mut key);
//! assert_ne!(random::branch(&mut os), random::branch(&mut os));
//!
//! // Tests: a seed, the same values every run.
//! let mut rng = SeededRandom::new(7);
//! let branch = random::branch(&mut rng);
//! assert!(branch.starts_with("z9hG4bK") && branch.len() == 7 + 22);
//! assert_eq!(random::tag(&mut SeededRandom::new(7)), random::tag(&mut SeededRandom::new(7)));
//! let call_id = random::call_id(&mut rng, Some("pcscf.ims.example.net"));
//! assert!(call_id.ends_with("@pcscf.ims.example.net"));
//! ```

/// The branch prefix of RFC 3261 §8.1.1.7 that marks a globally unique
/// branch (re-exported as `header::MAGIC_COOKIE`).
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// A source of random 64-bit values.
pub trait Random {
    /// The next value.
    fn next_u64(&mut self) -> u64;

    /// Fills `dst` with random octets.
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

impl<R: Random + ?Sized> Random for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        (**self).fill_bytes(dst);
    }
}

/// Octets [`OsRandom`] asks the operating system for at a time.
const OS_BUFFER: usize = 256;

/// The operating system's cryptographically secure generator (through the
/// `getrandom` crate: `getrandom(2)` on Linux, `getentropy` or the
/// platform's equivalent elsewhere).
///
/// Values are read 256 octets at a time, so a tag costs a copy,
/// not a system call; the unread octets are wiped when the generator is
/// dropped, and a clone starts with an empty buffer (two clones never hand
/// out the same octets). A process that forks after creating one should
/// create a new one in the child.
///
/// # Panics
/// When the operating system cannot provide randomness (which `getrandom`
/// reports only on a broken or very early-boot system): the crate does not
/// go on with predictable secrets.
pub struct OsRandom {
    buf: [u8; OS_BUFFER],
    /// Octets of `buf` already handed out.
    used: usize,
}

impl OsRandom {
    /// A generator with an empty buffer (filled on first use).
    pub const fn new() -> Self {
        OsRandom {
            buf: [0; OS_BUFFER],
            used: OS_BUFFER,
        }
    }

    fn refill(&mut self) {
        if let Err(e) = getrandom::fill(&mut self.buf) {
            panic!("the operating system's random generator failed: {e}");
        }
        self.used = 0;
    }
}

impl Default for OsRandom {
    fn default() -> Self {
        OsRandom::new()
    }
}

impl Clone for OsRandom {
    /// A new generator: the buffered octets are not copied.
    fn clone(&self) -> Self {
        OsRandom::new()
    }
}

impl std::fmt::Debug for OsRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OsRandom")
    }
}

impl Drop for OsRandom {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.buf);
    }
}

impl Random for OsRandom {
    fn next_u64(&mut self) -> u64 {
        if self.used + 8 > OS_BUFFER {
            self.refill();
        }
        let mut v = [0u8; 8];
        v.copy_from_slice(&self.buf[self.used..self.used + 8]);
        self.buf[self.used..self.used + 8].fill(0);
        self.used += 8;
        u64::from_le_bytes(v)
    }

    /// Keys and longer secrets come straight from the operating system.
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        if let Err(e) = getrandom::fill(dst) {
            panic!("the operating system's random generator failed: {e}");
        }
    }
}

/// The generator of a stateful element: the operating system's unless a
/// seed is given (tests, simulations).
#[derive(Clone, Debug)]
pub enum Generator {
    /// [`OsRandom`] (boxed: its buffer is 256 octets).
    Os(Box<OsRandom>),
    /// [`SeededRandom`]: reproducible and predictable.
    Seeded(SeededRandom),
}

impl Generator {
    /// [`Generator::Seeded`] with `seed`, or [`Generator::Os`] for `None`.
    pub fn from_seed(seed: Option<u64>) -> Self {
        match seed {
            Some(seed) => Generator::Seeded(SeededRandom::new(seed)),
            None => Generator::Os(Box::default()),
        }
    }
}

impl Default for Generator {
    fn default() -> Self {
        Generator::Os(Box::default())
    }
}

impl Random for Generator {
    fn next_u64(&mut self) -> u64 {
        match self {
            Generator::Os(r) => r.next_u64(),
            Generator::Seeded(r) => r.next_u64(),
        }
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        match self {
            Generator::Os(r) => r.fill_bytes(dst),
            Generator::Seeded(r) => r.fill_bytes(dst),
        }
    }
}

/// A To tag for the responses to one request, the same for every response
/// to it (a 180 and the 200 after it share their early dialog's tag): the
/// request's identifying `parts` under HMAC-SHA-256 with a key drawn once
/// per process from [`OsRandom`], so the tag is unpredictable and as
/// unique as a random one (RFC 3261 §19.3) without being stored.
pub(crate) fn response_tag(parts: &[&[u8]]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    static KEY: std::sync::OnceLock<zeroize::Zeroizing<[u8; 32]>> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(|| {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        OsRandom::new().fill_bytes(&mut *key);
        key
    });
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key[..])
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    for part in parts {
        // Lengths first, so that parts that concatenate alike differ.
        mac.update(&(part.len() as u32).to_le_bytes());
        mac.update(part);
    }
    let digest = mac.finalize().into_bytes();
    let mut words = digest.chunks_exact(8).map(|c| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_le_bytes(w)
    });
    let mut from_digest = std::iter::from_fn(move || words.next());
    let mut source = FnRandom(&mut from_digest);
    tag(&mut source)
}

/// A [`Random`] over a finite supply of values (the digest's words); a tag
/// needs two of the four.
struct FnRandom<'a, I: Iterator<Item = u64>>(&'a mut I);

impl<I: Iterator<Item = u64>> Random for FnRandom<'_, I> {
    fn next_u64(&mut self) -> u64 {
        self.0.next().unwrap_or_default()
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
    fn os_random_hands_out_each_octet_once() {
        let mut os = OsRandom::new();
        // Across several refills: no value twice (64-bit collisions are
        // out of reach), and the buffer wiped as it is read.
        let values: std::collections::HashSet<u64> = (0..1_000).map(|_| os.next_u64()).collect();
        assert_eq!(values.len(), 1_000);
        assert!(os.buf[..os.used].iter().all(|&b| b == 0));
        let mut clone = os.clone();
        assert_eq!(clone.used, OS_BUFFER);
        assert_ne!(clone.next_u64(), os.next_u64());
        let mut key = [0u8; 48];
        os.fill_bytes(&mut key);
        assert_ne!(key, [0u8; 48]);
        let a = response_tag(&[b"call", b"tag"]);
        assert_eq!(a, response_tag(&[b"call", b"tag"]));
        assert_ne!(a, response_tag(&[b"cal", b"ltag"]));
        assert_eq!(a.len(), 16);
        assert!(crate::syntax::is_token(a.as_bytes()));
        assert_eq!(format!("{os:?}"), "OsRandom");
    }

    #[test]
    fn generators_by_seed() {
        let mut a = Generator::from_seed(Some(3));
        let mut b = Generator::Seeded(SeededRandom::new(3));
        assert_eq!(a.next_u64(), b.next_u64());
        let mut buf = [0u8; 11];
        a.fill_bytes(&mut buf);
        let mut expected = [0u8; 11];
        b.fill_bytes(&mut expected);
        assert_eq!(buf, expected);
        assert!(matches!(Generator::from_seed(None), Generator::Os(_)));
    }

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
