//! The state of one INVITE session and of its offer/answer exchange.

use std::time::{Duration, Instant};

use bytes::Bytes;
use smallvec::SmallVec;

use crate::dialog::{Dialog, DialogIdRef, Role};
use crate::endpoint::{ClientId, Flow, ServerId};
use crate::header::MediaType;
use crate::message::Message;

/// A message body with its type: an SDP offer or answer, or any other
/// payload. The user-agent core carries it as it is and tracks who offered
/// (RFC 3264); with the `sdp` feature, [`Body::parse_sdp`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The Content-Type.
    pub content_type: MediaType<'static>,
    /// The octets.
    pub data: Bytes,
}

impl Body {
    /// A body of the given type.
    pub fn new(content_type: MediaType<'static>, data: impl Into<Bytes>) -> Body {
        Body {
            content_type,
            data: data.into(),
        }
    }

    /// An `application/sdp` body.
    pub fn sdp(data: impl Into<Bytes>) -> Body {
        Body::new(MediaType::new("application", "sdp"), data)
    }

    /// An `application/sdp` body with `description`.
    #[cfg(feature = "sdp")]
    pub fn from_description(description: &crate::sdp::SessionDescription) -> Body {
        Body::sdp(description.encode())
    }

    /// The session description, when the body is `application/sdp`.
    #[cfg(feature = "sdp")]
    pub fn parse_sdp(&self) -> Option<Result<crate::sdp::Sdp<'_>, crate::sdp::SdpError>> {
        let is_sdp = self
            .content_type
            .top_level
            .eq_ignore_ascii_case("application")
            && self.content_type.subtype.eq_ignore_ascii_case("sdp");
        is_sdp.then(|| crate::sdp::Sdp::parse_bytes(&self.data))
    }
}

/// Where the offer/answer exchange of a session stands (RFC 3264 §4, RFC
/// 3261 §13.2.1, RFC 6337).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OfferState {
    /// No offer outstanding.
    Stable,
    /// This side sent an offer and waits for the answer.
    OfferSent,
    /// The peer sent an offer that this side owes an answer to.
    OfferReceived,
}

/// The offer/answer state of a session: who offered last, whether an
/// answer is owed, and the last session descriptions each side sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferAnswer {
    state: OfferState,
    local: Option<Bytes>,
    remote: Option<Bytes>,
    exchanges: u32,
    /// Whether the last offer was this side's.
    offered: bool,
    /// The descriptions and `offered` before the offer in progress, for a
    /// rollback: a failed offer leaves the session as it was (RFC 3261
    /// §14.1).
    before: Option<(Option<Bytes>, Option<Bytes>, bool)>,
}

impl OfferAnswer {
    pub(super) fn new() -> OfferAnswer {
        OfferAnswer {
            state: OfferState::Stable,
            local: None,
            remote: None,
            exchanges: 0,
            offered: false,
            before: None,
        }
    }

    fn snapshot(&mut self) {
        self.before = Some((self.local.clone(), self.remote.clone(), self.offered));
    }

    /// The state of the exchange.
    pub fn state(&self) -> OfferState {
        self.state
    }

    /// The last description this side sent (offer or answer).
    pub fn local(&self) -> Option<&Bytes> {
        self.local.as_ref()
    }

    /// The last description the peer sent (offer or answer).
    pub fn remote(&self) -> Option<&Bytes> {
        self.remote.as_ref()
    }

    /// How many offer/answer exchanges completed.
    pub fn completed(&self) -> u32 {
        self.exchanges
    }

    /// The last description this side sent, parsed.
    #[cfg(feature = "sdp")]
    pub fn local_sdp(&self) -> Option<Result<crate::sdp::Sdp<'_>, crate::sdp::SdpError>> {
        self.local.as_ref().map(|b| crate::sdp::Sdp::parse_bytes(b))
    }

    /// The last description the peer sent, parsed.
    #[cfg(feature = "sdp")]
    pub fn remote_sdp(&self) -> Option<Result<crate::sdp::Sdp<'_>, crate::sdp::SdpError>> {
        self.remote
            .as_ref()
            .map(|b| crate::sdp::Sdp::parse_bytes(b))
    }

    /// The answer this side owes ([`OfferState::OfferReceived`]), made
    /// from the peer's offer and `capabilities` ([`crate::sdp::answer`]);
    /// its version follows the last description this side sent in the
    /// session (RFC 3264 §8: the same session id, the version one higher).
    /// `None` when no offer is owed an answer.
    ///
    /// # Errors
    /// The offer does not parse, or nothing in it is acceptable (answer
    /// 488).
    #[cfg(feature = "sdp")]
    pub fn answer(
        &self,
        capabilities: &crate::sdp::Capabilities,
    ) -> Option<Result<crate::sdp::SessionDescription, crate::sdp::OfferAnswerError>> {
        if self.state != OfferState::OfferReceived {
            return None;
        }
        let remote = self.remote.as_ref()?;
        Some((|| {
            let offer = crate::sdp::Sdp::parse_bytes(remote)?;
            let mut d = crate::sdp::answer(&offer, capabilities)?;
            self.follow_version(&mut d);
            Ok(d)
        })())
    }

    /// An offer of `capabilities` ([`crate::sdp::offer`]) for this
    /// session: the first, or a new one (a re-INVITE, an UPDATE) with the
    /// origin of the last description this side sent and its version one
    /// higher (RFC 3264 §8).
    #[cfg(feature = "sdp")]
    pub fn offer(&self, capabilities: &crate::sdp::Capabilities) -> crate::sdp::SessionDescription {
        let mut d = crate::sdp::offer(capabilities);
        self.follow_version(&mut d);
        d
    }

    /// Gives `d` the origin of the last description this side sent, its
    /// version one higher.
    #[cfg(feature = "sdp")]
    fn follow_version(&self, d: &mut crate::sdp::SessionDescription) {
        if let Some(Ok(last)) = self.local_sdp()
            && let Ok(o) = last.origin()
        {
            d.origin = o.into_owned();
            d.origin.session_version = d.origin.session_version.wrapping_add(1);
        }
    }

    /// Checks the peer's answer against this side's offer
    /// ([`crate::sdp::check_answer`]), once an exchange this side began
    /// completed; `None` otherwise.
    #[cfg(feature = "sdp")]
    pub fn check_answer(&self) -> Option<Result<(), crate::sdp::OfferAnswerError>> {
        if self.state != OfferState::Stable || !self.offered {
            return None;
        }
        let (local, remote) = (self.local.as_ref()?, self.remote.as_ref()?);
        Some((|| {
            let offer = crate::sdp::Sdp::parse_bytes(local)?;
            let answer = crate::sdp::Sdp::parse_bytes(remote)?;
            crate::sdp::check_answer(&offer, &answer)
        })())
    }

    /// This side sent `body` (an offer when stable, an answer when an
    /// offer was received).
    pub(super) fn sent(&mut self, body: &Bytes) {
        if self.state == OfferState::Stable {
            self.snapshot();
        }
        self.local = Some(body.clone());
        self.state = match self.state {
            OfferState::OfferReceived => {
                self.exchanges += 1;
                self.before = None;
                OfferState::Stable
            }
            _ => {
                self.offered = true;
                OfferState::OfferSent
            }
        };
    }

    /// The peer sent `body`.
    pub(super) fn received(&mut self, body: &Bytes) {
        if self.state == OfferState::Stable {
            self.snapshot();
        }
        self.remote = Some(body.clone());
        self.state = match self.state {
            OfferState::OfferSent => {
                self.exchanges += 1;
                self.before = None;
                OfferState::Stable
            }
            _ => {
                self.offered = false;
                OfferState::OfferReceived
            }
        };
    }

    /// An offer went unanswered (its request failed, or this side
    /// refused it): back to stable, with the descriptions from before it.
    pub(super) fn rollback(&mut self) {
        if self.state != OfferState::Stable
            && let Some((local, remote, offered)) = self.before.take()
        {
            self.local = local;
            self.remote = remote;
            self.offered = offered;
        }
        self.state = OfferState::Stable;
    }
}

/// How far an INVITE session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// The INVITE is out (UAC) or in (UAS), no dialog yet.
    Initial,
    /// At least one early dialog (a provisional response with a To tag).
    Early,
    /// The UAS sent its 2xx and waits for the ACK.
    Answered,
    /// The dialog is confirmed.
    Confirmed,
    /// A BYE or CANCEL is out; the session ends when it completes.
    Ending,
}

/// A 2xx this side retransmits until its ACK (RFC 3261 §13.3.1.4).
#[derive(Clone, Debug)]
pub(super) struct Retransmit {
    pub(super) server: ServerId,
    pub(super) response: Message,
    pub(super) seq: u32,
    pub(super) next: Instant,
    pub(super) interval: Duration,
    pub(super) deadline: Instant,
}

/// A reliable provisional response this side retransmits until its PRACK
/// (RFC 3262 §3).
#[derive(Clone, Debug)]
pub(super) struct Reliable {
    pub(super) response: Message,
    pub(super) rseq: u32,
    pub(super) next: Instant,
    pub(super) interval: Duration,
    pub(super) deadline: Instant,
}

/// A re-INVITE or UPDATE this side sent, waiting for its answer.
#[derive(Clone, Debug)]
pub(super) struct Outgoing {
    pub(super) client: ClientId,
    pub(super) is_invite: bool,
    pub(super) body: Option<Body>,
    /// A session refresh (RFC 4028) the core sent itself: its outcome is
    /// not reported.
    pub(super) refresh: bool,
}

/// A re-INVITE or UPDATE the peer sent, waiting for the user.
#[derive(Clone, Debug)]
pub(super) struct Incoming {
    pub(super) server: ServerId,
    pub(super) request: Message,
}

/// One INVITE session: the initial transaction, its dialogs and what is
/// pending in them.
#[derive(Debug)]
pub(super) struct Session {
    pub(super) generation: u32,
    pub(super) role: Role,
    pub(super) phase: Phase,
    /// The initial INVITE (sent or received).
    pub(super) invite: Message,
    /// The flow to the peer: the one the INVITE went out or came in on.
    pub(super) flow: Flow,
    pub(super) server: Option<ServerId>,
    /// The UAC's early dialogs (one per fork) or the UAS's one; once
    /// confirmed, the first is the session's dialog.
    pub(super) dialogs: SmallVec<[Dialog; 1]>,
    /// The UAS's To tag.
    pub(super) local_tag: String,
    /// The Contact this side puts in what it sends.
    pub(super) contact: String,
    /// The UAC's ACK of the 2xx, sent again for each retransmitted 2xx.
    pub(super) ack: Option<Message>,
    /// The UAC's ACK waits for the user's answer to an offer in the 2xx
    /// to the INVITE with this CSeq number.
    pub(super) ack_owed: Option<u32>,
    pub(super) retransmit: Option<Retransmit>,
    /// The user hung up before this was possible: a CANCEL waits for a
    /// provisional response (RFC 3261 §9.1), a UAS's BYE for the ACK (§15).
    pub(super) hangup_pending: bool,
    /// The UAC cancelled the INVITE.
    pub(super) cancelled: bool,
    pub(super) offer_answer: OfferAnswer,
    pub(super) outgoing: Option<Outgoing>,
    pub(super) incoming: Option<Incoming>,
    /// A re-INVITE or UPDATE to send again after a 491 (RFC 3261 §14.1).
    /// (when, re-INVITE rather than UPDATE, the offer, a refresh).
    pub(super) glare_retry: Option<(Instant, bool, Option<Body>, bool)>,
    /// The UAS's next RSeq.
    pub(super) rseq: u32,
    /// The UAS's reliable provisional response waiting for its PRACK.
    pub(super) reliable: Option<Reliable>,
    /// Provisional responses held back until that PRACK (one reliable
    /// provisional response is outstanding at a time).
    pub(super) queued: std::collections::VecDeque<(crate::status::StatusCode, Option<Body>)>,
    /// A 2xx held back until that PRACK: its body.
    pub(super) answer_pending: Option<Option<Body>>,
    /// The UAC's last RSeq per early dialog (by remote tag), and whether
    /// its PRACK got a 2xx.
    pub(super) rseqs: SmallVec<[(String, u32, bool); 1]>,
    /// The UAC's PRACK in flight: its transaction, the dialog's remote tag
    /// and the RSeq.
    pub(super) prack_client: Option<(ClientId, String, u32)>,
    /// When a cancelled INVITE without a final response is given up (RFC
    /// 3261 §9.1: 64·T1 after the CANCEL).
    pub(super) cancel_deadline: Option<Instant>,
    /// The UAS's session-timer decision for its 2xx (RFC 4028 §9).
    pub(super) timer_offer: Option<(u32, crate::header::Refresher)>,
    /// The running session timer.
    pub(super) timer: Option<super::timer::SessionTimer>,
    /// Whether the peer allows UPDATE (its Allow), for refreshes.
    pub(super) peer_allows_update: bool,
    /// The UAC's Digest credentials for a challenged INVITE.
    pub(super) auth: Option<Box<crate::auth::digest::DigestClient>>,
    /// Challenges answered for this INVITE so far.
    pub(super) challenges: u8,
    /// The UAC owes a PRACK with an answer to the offer in a reliable
    /// provisional response: the dialog's remote tag and the RSeq.
    pub(super) prack_owed: Option<(String, u32)>,
}

impl Session {
    /// A session in its first phase, started by `invite` (sent as `Uac`,
    /// received as `Uas`) on `flow`; the rest as nothing has happened yet.
    pub(super) fn new(
        generation: u32,
        role: Role,
        invite: Message,
        flow: Flow,
        contact: String,
    ) -> Session {
        Session {
            generation,
            role,
            phase: Phase::Initial,
            invite,
            flow,
            server: None,
            dialogs: SmallVec::new(),
            local_tag: String::new(),
            contact,
            ack: None,
            ack_owed: None,
            retransmit: None,
            hangup_pending: false,
            cancelled: false,
            offer_answer: OfferAnswer::new(),
            outgoing: None,
            incoming: None,
            glare_retry: None,
            rseq: 0,
            reliable: None,
            queued: Default::default(),
            answer_pending: None,
            rseqs: SmallVec::new(),
            prack_owed: None,
            prack_client: None,
            cancel_deadline: None,
            timer_offer: None,
            timer: None,
            peer_allows_update: false,
            auth: None,
            challenges: 0,
        }
    }

    /// The confirmed (or, on the UAS, early) dialog.
    pub(super) fn dialog(&self) -> Option<&Dialog> {
        self.dialogs.first()
    }

    pub(super) fn dialog_mut(&mut self) -> Option<&mut Dialog> {
        self.dialogs.first_mut()
    }

    pub(super) fn find_dialog(&self, id: DialogIdRef<'_>) -> Option<usize> {
        self.dialogs.iter().position(|d| *d.id() == id)
    }

    /// The earliest instant this session's timers fire.
    pub(super) fn wake(&self) -> Option<Instant> {
        let r = self.retransmit.as_ref().map(|r| r.next.min(r.deadline));
        let g = self.glare_retry.as_ref().map(|g| g.0);
        let p = self.reliable.as_ref().map(|r| r.next.min(r.deadline));
        let c = self
            .cancel_deadline
            .filter(|_| matches!(self.phase, Phase::Initial | Phase::Early));
        let t = self.timer.as_ref().map(|t| t.due);
        [r, g, p, c, t].into_iter().flatten().min()
    }
}

#[cfg(test)]
mod offer_answer_tests {
    use super::*;

    #[test]
    fn a_failed_offer_leaves_the_session_as_it_was() {
        let mut oa = OfferAnswer::new();
        let (o1, a1) = (
            Bytes::from_static(b"offer 1"),
            Bytes::from_static(b"answer 1"),
        );
        oa.sent(&o1);
        oa.received(&a1);
        assert_eq!((oa.state(), oa.completed()), (OfferState::Stable, 1));
        // A re-offer of this side is refused (488, 491).
        oa.sent(&Bytes::from_static(b"offer 2"));
        assert_eq!(oa.state(), OfferState::OfferSent);
        oa.rollback();
        assert_eq!(oa.local(), Some(&o1));
        assert_eq!(oa.remote(), Some(&a1));
        assert_eq!(oa.state(), OfferState::Stable);
        // The peer's offer that this side refuses.
        oa.received(&Bytes::from_static(b"their offer"));
        oa.rollback();
        assert_eq!(oa.remote(), Some(&a1));
        assert!(
            oa.offered,
            "the last completed exchange was this side's offer"
        );
        assert_eq!(oa.completed(), 1);
    }

    #[cfg(feature = "sdp")]
    #[test]
    fn a_new_offer_follows_the_version_of_the_last_description() {
        let caps = crate::sdp::Capabilities {
            address: "192.0.2.1".parse().unwrap(),
            session_id: 77,
            streams: vec![crate::sdp::StreamConfig::audio(
                4000,
                vec![crate::sdp::Codec::new("PCMU", 8000)],
            )],
        };
        let mut oa = OfferAnswer::new();
        let first = oa.offer(&caps);
        assert_eq!(first.origin.session_version, 77);
        oa.sent(&Bytes::from(first.encode()));
        oa.received(&Bytes::from_static(b"v=0\r\n"));
        let second = oa.offer(&caps);
        assert_eq!(second.origin.session_id, "77");
        assert_eq!(second.origin.session_version, 78);
    }
}
