//! Authentication: MILENAGE, AKA and Digest, for the UE and the network side.
//!
//! Everything here is a pure function or a small state object: no I/O, no
//! clock, no randomness of its own (callers pass a [`crate::random::Random`]
//! and the time). Keys, OPc, CK, IK, RES and password hashes live in
//! [`Secret`]s: wiped on drop, never printed, compared in constant time.

pub mod aka;
pub mod digest;
#[cfg(feature = "http")]
pub mod http;
pub mod milenage;
mod secret;

pub use secret::Secret;
pub(crate) use secret::{ct_eq, hex};
