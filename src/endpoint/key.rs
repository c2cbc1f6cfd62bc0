//! Transaction keys ([RFC 3261 §17.1.3](https://www.rfc-editor.org/rfc/rfc3261#section-17.1.3),
//! [§17.2.3](https://www.rfc-editor.org/rfc/rfc3261#section-17.2.3)) and
//! the table that finds a transaction by its key.
//!
//! A key is looked up borrowed from the message ([`KeyRef`]); only a new
//! transaction stores one ([`Key`], its parts one after another in one
//! inline buffer). The table holds transaction handles hashed by their
//! entry's key with keyed SipHash (keys come from the network), so a lookup
//! copies nothing.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use hashbrown::HashTable;
use smallvec::SmallVec;

use super::via;
use crate::header::HeaderName;
use crate::header::Via;
use crate::header::via::Noted;
use crate::{MessageRef, Method};

/// What a transaction is found by, borrowed from a message or from the
/// transaction's own [`Key`]: looking a message up allocates nothing.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct KeyRef<'a> {
    pub(super) parts: Parts<'a>,
    /// The CSeq method for a client transaction; the request method for a
    /// server transaction (an ACK looks for its INVITE's).
    pub(super) method: &'a Method<'a>,
}

/// A key apart from its method. Octets, not text: they are compared as
/// octets, and a stored key hands them back without a UTF-8 check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Parts<'a> {
    /// A client transaction (RFC 3261 §17.1.3): the branch.
    Client { branch: &'a [u8] },
    /// A server transaction of an RFC 3261 request (§17.2.3): branch and
    /// sent-by ([`via::sent_by_key`]).
    Branch { branch: &'a [u8], sent_by: &'a [u8] },
    /// A server transaction of an RFC 2543 request (no magic cookie):
    /// Request-URI, From tag, Call-ID, CSeq number, top Via.
    Legacy {
        request_uri: &'a [u8],
        from_tag: &'a [u8],
        call_id: &'a [u8],
        cseq: u32,
        top_via: &'a [u8],
    },
}

/// Octets of a key's buffer kept inline: a branch of up to ~48 octets and a
/// binary sent-by fit, so the usual key allocates nothing.
const KEY_INLINE: usize = 56;

/// Octets [`KeyRef`]'s hash gathers before it writes them to the hasher.
const HASH_BUFFER: usize = 128;

impl Hash for KeyRef<'_> {
    /// One `write` of the parts, each after its length: SipHash costs per
    /// call as well as per octet, and the lengths keep two keys that
    /// concatenate to the same octets apart (equal keys hash alike; a
    /// known method by its one-octet code, an extension by its name).
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut buf = [0u8; HASH_BUFFER];
        let mut n = 0;
        let mut put = |part: &[u8]| {
            let len = (part.len() as u32).to_le_bytes();
            if let Some(dst) = buf.get_mut(n..n + 4 + part.len()) {
                dst[..4].copy_from_slice(&len);
                dst[4..].copy_from_slice(part);
                n += 4 + part.len();
            } else {
                // Longer keys (rare): the same octets, written as they
                // come.
                state.write(&buf[..n]);
                n = 0;
                state.write(&len);
                state.write(part);
            }
        };
        let (shape, parts) = self.layout();
        match self.method.code() {
            0 => put(self.method.as_str().as_bytes()),
            code => put(&[code]),
        }
        if let Shape::Legacy { cseq, .. } = shape {
            put(&cseq.to_le_bytes());
        }
        for part in &parts[..shape.parts()] {
            put(part);
        }
        state.write(&buf[..n]);
    }
}

impl<'a> KeyRef<'a> {
    /// The same key with another method (an ACK's or CANCEL's key turned
    /// into its INVITE's).
    pub(super) fn with_method<'b>(&self, method: &'b Method<'b>) -> KeyRef<'b>
    where
        'a: 'b,
    {
        KeyRef {
            parts: self.parts,
            method,
        }
    }

    /// The parts in their stored order (unused ones empty) and the shape
    /// that says where each ends once they are stored one after another.
    fn layout(&self) -> (Shape, [&'a [u8]; 4]) {
        match self.parts {
            Parts::Client { branch } => (Shape::Client, [branch, &[], &[], &[]]),
            Parts::Branch { branch, sent_by } => (
                Shape::Branch {
                    branch: branch.len() as u32,
                },
                [branch, sent_by, &[], &[]],
            ),
            Parts::Legacy {
                request_uri,
                from_tag,
                call_id,
                cseq,
                top_via,
            } => {
                let uri = request_uri.len() as u32;
                let tag = uri + from_tag.len() as u32;
                (
                    Shape::Legacy {
                        ends: [uri, tag, tag + call_id.len() as u32],
                        cseq,
                    },
                    [request_uri, from_tag, call_id, top_via],
                )
            }
        }
    }

    /// The key to store in a new transaction's entry.
    pub(super) fn to_owned(&self) -> Key {
        let (shape, parts) = self.layout();
        // Only the parts the shape has: a copy of an empty part still
        // costs a call.
        let parts = &parts[..shape.parts()];
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let buf = if len <= KEY_INLINE {
            let mut inline = [0u8; KEY_INLINE];
            let mut n = 0;
            for part in parts {
                inline[n..n + part.len()].copy_from_slice(part);
                n += part.len();
            }
            SmallVec::from_buf_and_len(inline, n)
        } else {
            SmallVec::from_vec(parts.concat())
        };
        Key {
            shape,
            buf,
            method: self.method.clone().into_owned(),
        }
    }
}

/// A transaction's key, owned by its entry (the key table holds only
/// transaction handles): the parts one after another in one buffer, where
/// `shape` says they end.
#[derive(Clone, Debug)]
pub(super) struct Key {
    shape: Shape,
    buf: SmallVec<[u8; KEY_INLINE]>,
    method: Method<'static>,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Client,
    Branch {
        /// Where the branch ends and the sent-by starts.
        branch: u32,
    },
    Legacy {
        /// Where the Request-URI, the From tag and the Call-ID end; the
        /// top Via is the rest (a message is at most `u32::MAX` octets).
        ends: [u32; 3],
        cseq: u32,
    },
}

impl Shape {
    /// How many of [`KeyRef::layout`]'s parts a key of this shape has.
    fn parts(self) -> usize {
        match self {
            Shape::Client => 1,
            Shape::Branch { .. } => 2,
            Shape::Legacy { .. } => 4,
        }
    }
}

impl Key {
    pub(super) fn as_ref(&self) -> KeyRef<'_> {
        let b = &self.buf[..];
        let parts = match self.shape {
            Shape::Client => Parts::Client { branch: b },
            Shape::Branch { branch } => {
                let (branch, sent_by) = b.split_at(branch as usize);
                Parts::Branch { branch, sent_by }
            }
            Shape::Legacy {
                ends: [uri, tag, call_id],
                cseq,
            } => {
                let [uri, tag, call_id] = [uri, tag, call_id].map(|e| e as usize);
                Parts::Legacy {
                    request_uri: &b[..uri],
                    from_tag: &b[uri..tag],
                    call_id: &b[tag..call_id],
                    cseq,
                    top_via: &b[call_id..],
                }
            }
        };
        KeyRef {
            parts,
            method: &self.method,
        }
    }

    /// Whether this is an RFC 2543 key (an ACK for its INVITE's non-2xx
    /// then matches on the To tag too).
    pub(super) fn is_legacy(&self) -> bool {
        matches!(self.shape, Shape::Legacy { .. })
    }
}

/// A key with its hash, computed once when the message is looked up and
/// kept for the insertion and the removal.
pub(super) struct HashedKey {
    pub(super) key: Key,
    pub(super) hash: u64,
}

/// The parts of a server key that are computed rather than borrowed from
/// the message: the normalised sent-by; the Call-ID and top Via of an
/// RFC 2543 request (rare enough to be copied).
#[derive(Default)]
pub(super) struct KeyScratch {
    sent_by: SmallVec<[u8; 64]>,
    call_id: String,
    top_via: String,
}

/// The key a request is matched on (RFC 3261 §17.2.3), with `method` (an
/// ACK's key names ACK; [`KeyRef::with_method`] turns it into its
/// INVITE's). Borrowed from the message and `scratch`.
pub(super) fn server_key<'s>(
    m: &'s MessageRef<'_>,
    top: &'s Via<'_>,
    noted: &'s Noted<'_>,
    method: &'s Method<'_>,
    scratch: &'s mut KeyScratch,
) -> Option<KeyRef<'s>> {
    if let Some(branch) = noted.rfc3261_branch() {
        via::sent_by_key(top, &mut scratch.sent_by);
        return Some(KeyRef {
            parts: Parts::Branch {
                branch: branch.as_bytes(),
                sent_by: &scratch.sent_by,
            },
            method,
        });
    }
    let cseq = m.cseq().ok()?;
    scratch.call_id = m.call_id().ok()?.as_str().to_owned();
    scratch.top_via = String::from_utf8_lossy(m.values(HeaderName::Via).next()?).into_owned();
    Some(KeyRef {
        parts: Parts::Legacy {
            request_uri: m.request_uri_str()?.as_bytes(),
            from_tag: m.from_tag().ok()?.unwrap_or_default().as_bytes(),
            call_id: scratch.call_id.as_bytes(),
            cseq: cseq.seq,
            top_via: scratch.top_via.as_bytes(),
        },
        method,
    })
}

/// The live transactions by key: handles `T` hashed by their entry's key
/// (keyed SipHash: the keys come from the network). The entries, and so the
/// keys, live elsewhere; the table asks for them through closures.
#[derive(Debug)]
pub(super) struct KeyTable<T> {
    table: HashTable<T>,
    hasher: RandomState,
}

impl<T: Copy + PartialEq> KeyTable<T> {
    pub(super) fn new() -> Self {
        KeyTable {
            table: HashTable::new(),
            hasher: RandomState::new(),
        }
    }

    /// The hash of `key` in this table.
    pub(super) fn hash(&self, key: &KeyRef<'_>) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The handle hashed to `hash` for which `is` (its entry's key equals
    /// the one looked for) holds.
    pub(super) fn find(&self, hash: u64, is: impl Fn(T) -> bool) -> Option<T> {
        self.table.find(hash, |&t| is(t)).copied()
    }

    /// Adds `handle` under `hash`; `hash_of` gives the hash of a handle
    /// already in the table (for a resize).
    pub(super) fn insert(&mut self, hash: u64, handle: T, hash_of: impl Fn(T) -> u64) {
        self.table.insert_unique(hash, handle, |&t| hash_of(t));
    }

    /// Removes `handle`, which was inserted under `hash`.
    pub(super) fn remove(&mut self, hash: u64, handle: T) {
        if let Ok(found) = self.table.find_entry(hash, |&t| t == handle) {
            found.remove();
        }
    }

    /// How many handles the table holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The octets of a test key and its method.
    type TestKey = (Vec<u8>, Vec<u8>, Vec<u8>, Method<'static>);

    /// Keys of every shape and size: inline (up to 56 octets), on the heap,
    /// and longer than the hash's 128-octet buffer.
    fn keys() -> Vec<TestKey> {
        let mut out = Vec::new();
        for len in [1, 20, 47, 48, 52, 56, 57, 100, 124, 125, 128, 129, 300] {
            let branch: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            for method in [
                Method::Invite,
                Method::Options,
                Method::Extension("PUBLISHX".into()),
            ] {
                out.push((branch.clone(), Vec::new(), Vec::new(), method.clone()));
                out.push((
                    branch.clone(),
                    b"4\x7f\0\0\x01\x13\xc4".to_vec(),
                    Vec::new(),
                    method.clone(),
                ));
                out.push((
                    branch.clone(),
                    b"uri".to_vec(),
                    b"tag;call".to_vec(),
                    method,
                ));
            }
        }
        out
    }

    fn key_ref(k: &TestKey) -> KeyRef<'_> {
        let (a, b, c, method) = k;
        let parts = match (b.is_empty(), c.is_empty()) {
            (true, _) => Parts::Client { branch: a },
            (false, true) => Parts::Branch {
                branch: a,
                sent_by: b,
            },
            (false, false) => Parts::Legacy {
                request_uri: b,
                from_tag: &c[..3],
                call_id: &c[4..],
                cseq: a.len() as u32,
                top_via: a,
            },
        };
        KeyRef { parts, method }
    }

    #[test]
    fn a_stored_key_is_the_key_it_was_made_from() {
        let table = KeyTable::<u32>::new();
        for k in keys() {
            let r = key_ref(&k);
            let stored = r.to_owned();
            assert_eq!(stored.as_ref(), r);
            assert_eq!(table.hash(&stored.as_ref()), table.hash(&r));
            assert_eq!(stored.is_legacy(), matches!(r.parts, Parts::Legacy { .. }));
            // Inline up to 56 octets, on the heap beyond.
            let len = stored.buf.len();
            assert_eq!(stored.buf.spilled(), len > KEY_INLINE, "{len}");
        }
    }

    #[test]
    fn parts_that_concatenate_alike_hash_apart() {
        let table = KeyTable::<u32>::new();
        let m = Method::Invite;
        let a = KeyRef {
            parts: Parts::Branch {
                branch: b"z9hG4bKab",
                sent_by: b"c",
            },
            method: &m,
        };
        let b = KeyRef {
            parts: Parts::Branch {
                branch: b"z9hG4bKa",
                sent_by: b"bc",
            },
            method: &m,
        };
        assert_ne!(a, b);
        assert_ne!(table.hash(&a), table.hash(&b));
        assert_ne!(a.to_owned().as_ref(), b);
    }

    #[test]
    fn the_table_finds_every_key_and_forgets_removed_ones() {
        let all = keys();
        let stored: Vec<Key> = all.iter().map(|k| key_ref(k).to_owned()).collect();
        let mut table = KeyTable::<usize>::new();
        let hashes: Vec<u64> = stored.iter().map(|k| table.hash(&k.as_ref())).collect();
        for (i, &h) in hashes.iter().enumerate() {
            table.insert(h, i, |j| hashes[j]);
        }
        assert_eq!(table.len(), all.len());
        for (i, k) in all.iter().enumerate() {
            let r = key_ref(k);
            let found = table.find(table.hash(&r), |j| stored[j].as_ref() == r);
            assert_eq!(found, Some(i));
            // The same parts under another method are another key.
            let other = Method::Bye;
            let found = table.find(table.hash(&r.with_method(&other)), |j| {
                stored[j].as_ref() == r.with_method(&other)
            });
            assert_eq!(found, None);
        }
        for (i, &h) in hashes.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
            table.remove(h, i);
        }
        for (i, k) in all.iter().enumerate() {
            let r = key_ref(k);
            let found = table.find(table.hash(&r), |j| stored[j].as_ref() == r);
            assert_eq!(found, (i % 2 == 1).then_some(i));
        }
    }
}
