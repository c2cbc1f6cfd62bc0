//! The dialogs of a user agent by identifier, looked up with the
//! identifier borrowed from a message (no copies per message).

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

use super::Owner;
use crate::dialog::{DialogId, DialogIdRef};

/// Dialog identifiers and the session each belongs to. Keys are hashed
/// with a per-table random key (SipHash), so a peer cannot choose tags
/// that collide.
#[derive(Debug, Default)]
pub(super) struct DialogTable {
    table: HashTable<(DialogId, Owner)>,
    hasher: RandomState,
}

impl DialogTable {
    fn hash(&self, id: DialogIdRef<'_>) -> u64 {
        self.hasher
            .hash_one((id.call_id, id.local_tag, id.remote_tag))
    }

    /// What dialog `id` belongs to.
    pub(super) fn get(&self, id: DialogIdRef<'_>) -> Option<Owner> {
        let hash = self.hash(id);
        self.table.find(hash, |(k, _)| *k == id).map(|(_, s)| *s)
    }

    /// Records that dialog `id` belongs to `session` (replacing what it
    /// belonged to before).
    pub(super) fn insert(&mut self, id: DialogId, session: impl Into<Owner>) {
        let session = session.into();
        let hash = self.hash(id.as_ref());
        match self.table.find_mut(hash, |(k, _)| *k == id.as_ref()) {
            Some(entry) => entry.1 = session,
            None => {
                let hasher = &self.hasher;
                self.table.insert_unique(hash, (id, session), |(k, _)| {
                    hasher.hash_one((
                        k.call_id.as_str(),
                        k.local_tag.as_str(),
                        k.remote_tag.as_str(),
                    ))
                });
            }
        }
    }

    /// Forgets dialog `id` if it belongs to `session`.
    pub(super) fn remove(&mut self, id: DialogIdRef<'_>, session: impl Into<Owner>) {
        let session = session.into();
        let hash = self.hash(id);
        if let Ok(entry) = self
            .table
            .find_entry(hash, |(k, s)| *k == id && *s == session)
        {
            entry.remove();
        }
    }
}
