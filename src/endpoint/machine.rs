//! The live transactions: a slab of entries, each a transaction machine
//! with its key, its flow and its timer, addressed by a [`Handle`] (index
//! and generation, so a stale handle never reaches a new transaction).

use std::fmt;
use std::time::Instant;

use bytes::Bytes;

use super::key::Key;
use super::{ClientId, Flow, ServerId, TransactionId};
use crate::Message;
use crate::transaction::{
    ClientInvite, ClientNonInvite, ServerInvite, ServerNonInvite, State, Termination, Transaction,
};
use crate::uri::Host;

/// Where an entry is in the [`Slab`]: its index and the generation of the
/// slot when the entry was put there.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Handle(u64);

impl Handle {
    fn new(index: u32, generation: u32) -> Handle {
        Handle(u64::from(generation) << 32 | u64::from(index))
    }

    fn index(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }

    fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}.{}", self.index(), self.generation())
    }
}

/// One of the four machines of [`crate::transaction`].
#[derive(Clone, Debug)]
#[allow(clippy::enum_variant_names)] // the RFC's names
pub(super) enum Machine {
    // The INVITE machines keep the parsed INVITE (for the ACK and for
    // CANCEL); boxed, so a slot is sized for the small non-INVITE ones.
    ClientInvite(Box<ClientInvite>),
    ClientNonInvite(ClientNonInvite),
    ServerInvite(Box<ServerInvite>),
    ServerNonInvite(ServerNonInvite),
}

/// `$body` with `$m` bound to the machine inside `$machine`, whichever of
/// the four it is: the [`Transaction`] verbs called without a virtual call.
macro_rules! each {
    ($machine:expr, $m:ident => $body:expr) => {
        match $machine {
            Machine::ClientInvite($m) => $body,
            Machine::ClientNonInvite($m) => $body,
            Machine::ServerInvite($m) => $body,
            Machine::ServerNonInvite($m) => $body,
        }
    };
}

impl Machine {
    /// [`Transaction::state`].
    pub(super) fn state(&self) -> State {
        each!(self, m => m.state())
    }

    /// [`Transaction::termination`].
    pub(super) fn termination(&self) -> Option<Termination> {
        each!(self, m => m.termination())
    }

    /// [`Transaction::handle_timeout`].
    pub(super) fn handle_timeout(&mut self, now: Instant) {
        each!(self, m => m.handle_timeout(now))
    }

    /// [`Transaction::handle_transport_error`].
    pub(super) fn handle_transport_error(&mut self) {
        each!(self, m => m.handle_transport_error())
    }

    /// [`Transaction::poll_transmit`].
    pub(super) fn poll_transmit(&mut self) -> Option<Bytes> {
        each!(self, m => m.poll_transmit())
    }

    /// [`Transaction::poll_timeout`].
    pub(super) fn poll_timeout(&self) -> Option<Instant> {
        each!(self, m => m.poll_timeout())
    }

    /// A client transaction's request, as sent.
    pub(super) fn client_request(&self) -> Option<&[u8]> {
        match self {
            Machine::ClientInvite(m) => Some(m.request().bytes()),
            Machine::ClientNonInvite(m) => Some(m.request()),
            _ => None,
        }
    }

    /// A client transaction's request as a message: the INVITE machine
    /// keeps it parsed, the others keep its octets (the index is not worth
    /// its memory for what is asked for only to retry after a 401).
    pub(super) fn client_message(&self) -> Option<Message> {
        match self {
            Machine::ClientInvite(m) => Some(m.request().clone()),
            Machine::ClientNonInvite(m) => Message::parse(m.request().clone()).ok(),
            _ => None,
        }
    }

    pub(super) fn is_client(&self) -> bool {
        matches!(self, Machine::ClientInvite(_) | Machine::ClientNonInvite(_))
    }
}

/// A live transaction.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub(super) machine: Machine,
    pub(super) key: Key,
    /// `key`'s hash in the key table.
    pub(super) hash: u64,
    /// Where what the transaction sends goes: a client's target, or for a
    /// server the flow its request came in on with the remote address
    /// where responses go (RFC 3261 §18.2.2).
    pub(super) flow: Flow,
    /// The deadline in the timer heap.
    pub(super) deadline: Option<Instant>,
    /// Server, RFC 2543 key: the To tag of the final response sent (ACK
    /// matching).
    pub(super) to_tag: Option<Box<str>>,
    /// Client: what the request's top Via said.
    pub(super) sent: Option<Sent>,
}

impl Entry {
    /// This entry's handle as the user sees it.
    pub(super) fn id(&self, handle: Handle) -> TransactionId {
        if self.machine.is_client() {
            TransactionId::Client(ClientId(handle))
        } else {
            TransactionId::Server(ServerId(handle))
        }
    }
}

/// The top Via of a client transaction's request.
#[derive(Clone, Debug)]
pub(super) struct Sent {
    /// Its `sent-by`, host and port with the transport's default (RFC 3261
    /// §18.1.2).
    pub(super) host: Host<'static>,
    pub(super) port: u16,
    /// Where its value is in the request (offset, length: within the
    /// header section, so 16 bits each), when the first Via field holds
    /// that value alone: a response whose top Via is the same octets
    /// matches without a parse.
    pub(super) via: Option<(u16, u16)>,
}

#[derive(Clone, Debug, Default)]
struct Slot {
    generation: u32,
    entry: Option<Entry>,
}

/// The entries, in slots that are reused; a freed slot's generation moves
/// on, so the handles of its earlier entries find nothing.
#[derive(Debug, Default)]
pub(super) struct Slab {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
}

impl Slab {
    /// How many entries are live.
    pub(super) fn len(&self) -> usize {
        self.live
    }

    pub(super) fn get(&self, h: Handle) -> Option<&Entry> {
        let slot = self.slots.get(h.index())?;
        (slot.generation == h.generation())
            .then_some(slot.entry.as_ref())
            .flatten()
    }

    pub(super) fn get_mut(&mut self, h: Handle) -> Option<&mut Entry> {
        let slot = self.slots.get_mut(h.index())?;
        if slot.generation != h.generation() {
            return None;
        }
        slot.entry.as_mut()
    }

    /// Puts `entry` in a free slot.
    pub(super) fn insert(&mut self, entry: Entry) -> Handle {
        self.live += 1;
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(Slot::default());
                (self.slots.len() - 1) as u32
            }
        };
        let slot = &mut self.slots[index as usize];
        slot.entry = Some(entry);
        Handle::new(index, slot.generation)
    }

    /// Drops the entry of `h` where it lies (an entry is a few hundred
    /// octets) and frees its slot; the entry's key hash and user handle.
    pub(super) fn remove(&mut self, h: Handle) -> Option<(u64, TransactionId)> {
        let slot = self.slots.get_mut(h.index())?;
        if slot.generation != h.generation() {
            return None;
        }
        let entry = slot.entry.as_ref()?;
        let out = (entry.hash, entry.id(h));
        slot.entry = None;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(h.index() as u32);
        self.live -= 1;
        Some(out)
    }

    /// The hash of the key of a live entry (0 for none), for the key
    /// table's resizes.
    pub(super) fn hash_of(&self, h: Handle) -> u64 {
        self.get(h).map_or(0, |e| e.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_pack_index_and_generation() {
        for (i, g) in [(0, 0), (7, 1), (u32::MAX, u32::MAX), (1 << 20, 3)] {
            let h = Handle::new(i, g);
            assert_eq!((h.index(), h.generation()), (i as usize, g));
        }
        assert_eq!(format!("{:?}", Handle::new(3, 2)), "#3.2");
    }
}
