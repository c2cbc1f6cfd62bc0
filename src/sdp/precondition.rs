//! Preconditions (RFC 3312, RFC 4032): the `curr`, `des` and `conf`
//! attributes and the status table that says when a session's
//! preconditions are met.
//!
//! A side keeps one [`PreconditionTable`] per media stream. What it knows of
//! its own resources it sets itself ([`PreconditionTable::set_current`]);
//! what the peer says it learns from the peer's session descriptions
//! ([`PreconditionTable::apply_remote`]), where "local" and "remote", and
//! "send" and "recv", are the peer's point of view and are turned around.
//! The attributes for the next offer or answer come from
//! [`PreconditionTable::attributes`].
//!
//! ```
//! use imsip::sdp::{PreconditionTable, QosDirection, Sdp, StatusType, Strength};
//!
//! // The callee received an offer with segmented QoS, mandatory both ways.
//! let offer = Sdp::parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n\
//! t=0 0\r\nm=audio 5004 RTP/AVP 0\r\na=curr:qos local none\r\na=curr:qos remote none\r\n\
//! a=des:qos mandatory local sendrecv\r\na=des:qos mandatory remote sendrecv\r\n")?;
//! let mut table = PreconditionTable::default();
//! table.apply_remote(offer.media_at(0).unwrap().attributes())?;
//! // Its own desire: mandatory on its access too.
//! table.desire(StatusType::Local, QosDirection::SendRecv, Strength::Mandatory);
//! assert!(!table.is_met());
//! table.set_current(StatusType::Local, QosDirection::SendRecv); // own bearer up
//! assert!(!table.is_met()); // the caller's side is not
//! let update = Sdp::parse("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n\
//! t=0 0\r\nm=audio 5004 RTP/AVP 0\r\na=curr:qos local sendrecv\r\na=curr:qos remote none\r\n\
//! a=des:qos mandatory local sendrecv\r\na=des:qos mandatory remote sendrecv\r\n")?;
//! table.apply_remote(update.media_at(0).unwrap().attributes())?;
//! assert!(table.is_met()); // now the phone may ring
//! # Ok::<(), imsip::sdp::SdpError>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use super::RawAttribute;
use super::attr::Attribute;
use super::error::SdpError;

/// Which segment a status is about (RFC 3312 §5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum StatusType {
    /// End to end.
    E2e,
    /// The segment of the side that wrote the attribute.
    Local,
    /// The segment of the other side.
    Remote,
}

impl StatusType {
    fn parse(s: &str) -> Option<StatusType> {
        Some(match s {
            "e2e" => StatusType::E2e,
            "local" => StatusType::Local,
            "remote" => StatusType::Remote,
            _ => return None,
        })
    }

    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusType::E2e => "e2e",
            StatusType::Local => "local",
            StatusType::Remote => "remote",
        }
    }

    /// As the other side calls it.
    pub fn reversed(self) -> StatusType {
        match self {
            StatusType::E2e => StatusType::E2e,
            StatusType::Local => StatusType::Remote,
            StatusType::Remote => StatusType::Local,
        }
    }
}

/// The directions a status covers, from the writer's point of view.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum QosDirection {
    /// Neither.
    None,
    /// Sending.
    Send,
    /// Receiving.
    Recv,
    /// Both.
    SendRecv,
}

impl QosDirection {
    fn parse(s: &str) -> Option<QosDirection> {
        Some(match s {
            "none" => QosDirection::None,
            "send" => QosDirection::Send,
            "recv" => QosDirection::Recv,
            "sendrecv" => QosDirection::SendRecv,
            _ => return None,
        })
    }

    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            QosDirection::None => "none",
            QosDirection::Send => "send",
            QosDirection::Recv => "recv",
            QosDirection::SendRecv => "sendrecv",
        }
    }

    /// Whether it covers sending.
    pub fn send(self) -> bool {
        matches!(self, QosDirection::Send | QosDirection::SendRecv)
    }

    /// Whether it covers receiving.
    pub fn recv(self) -> bool {
        matches!(self, QosDirection::Recv | QosDirection::SendRecv)
    }

    /// The direction covering `send` and `recv`.
    pub fn from_flags(send: bool, recv: bool) -> QosDirection {
        match (send, recv) {
            (true, true) => QosDirection::SendRecv,
            (true, false) => QosDirection::Send,
            (false, true) => QosDirection::Recv,
            (false, false) => QosDirection::None,
        }
    }

    /// As the other side sees it (send ↔ recv).
    pub fn reversed(self) -> QosDirection {
        QosDirection::from_flags(self.recv(), self.send())
    }
}

/// The strength of a desired status (RFC 3312 §5), weakest first as far as
/// they order: `none` < `optional` < `mandatory`; `failure` and `unknown`
/// stand apart.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strength {
    /// Not desired.
    None,
    /// Desired if possible.
    Optional,
    /// Required before the session may start (alerting waits).
    Mandatory,
    /// The precondition failed: the session fails.
    Failure,
    /// The writer does not know (it asks the other side).
    Unknown,
}

impl Strength {
    fn parse(s: &str) -> Option<Strength> {
        Some(match s {
            "mandatory" => Strength::Mandatory,
            "optional" => Strength::Optional,
            "none" => Strength::None,
            "failure" => Strength::Failure,
            "unknown" => Strength::Unknown,
            _ => return None,
        })
    }

    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Mandatory => "mandatory",
            Strength::Optional => "optional",
            Strength::None => "none",
            Strength::Failure => "failure",
            Strength::Unknown => "unknown",
        }
    }
}

/// The value of a `curr`, `des` or `conf` attribute: the precondition type
/// (`qos`), the strength (`des` only), the segment and the directions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreconditionStatus<'a> {
    /// The precondition type (`qos`, RFC 3312; others per RFC 4032).
    pub kind: Cow<'a, str>,
    /// The strength (`des` only).
    pub strength: Option<Strength>,
    /// The segment.
    pub status: StatusType,
    /// The directions.
    pub direction: QosDirection,
}

impl<'a> PreconditionStatus<'a> {
    /// Parses a `curr` or `conf` value (`with_strength` false) or a `des`
    /// value.
    pub fn parse(value: &'a str, with_strength: bool) -> Option<PreconditionStatus<'a>> {
        let mut it = value.split(' ').filter(|s| !s.is_empty());
        let kind = it.next()?;
        let strength = if with_strength {
            Some(Strength::parse(it.next()?)?)
        } else {
            None
        };
        let status = StatusType::parse(it.next()?)?;
        let direction = QosDirection::parse(it.next()?)?;
        if it.next().is_some() {
            return None;
        }
        Some(PreconditionStatus {
            kind: Cow::Borrowed(kind),
            strength,
            status,
            direction,
        })
    }
}

impl fmt::Display for PreconditionStatus<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        if let Some(s) = self.strength {
            write!(f, " {}", s.as_str())?;
        }
        write!(f, " {} {}", self.status.as_str(), self.direction.as_str())
    }
}

/// One row of the table: a segment and a direction.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct Row {
    current: bool,
    desired: Option<Strength>,
    confirm: bool,
}

/// The status table of the `qos` precondition for one media stream (RFC
/// 3312 §5), from this side's point of view: for each segment (end to end,
/// this side's, the other side's) and direction (this side sending,
/// receiving), whether resources are reserved, how strongly they are
/// desired, and whether a confirmation was asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreconditionTable {
    /// e2e, local, remote × send, recv.
    rows: [[Row; 2]; 3],
}

fn segment(s: StatusType) -> usize {
    match s {
        StatusType::E2e => 0,
        StatusType::Local => 1,
        StatusType::Remote => 2,
    }
}

fn directions(d: QosDirection) -> impl Iterator<Item = usize> {
    [d.send().then_some(0), d.recv().then_some(1)]
        .into_iter()
        .flatten()
}

impl PreconditionTable {
    /// Resources are now reserved on `status` (this side's view) in the
    /// directions `direction`: the current status of those rows.
    pub fn set_current(&mut self, status: StatusType, direction: QosDirection) {
        for d in directions(direction) {
            self.rows[segment(status)][d].current = true;
        }
    }

    /// This side desires `status` in `direction` with `strength`; a desire
    /// only grows (RFC 3312 §5.1.1: `mandatory` is not weakened), except
    /// that `failure` overrides.
    pub fn desire(&mut self, status: StatusType, direction: QosDirection, strength: Strength) {
        for d in directions(direction) {
            let row = &mut self.rows[segment(status)][d];
            row.desired = Some(match (row.desired, strength) {
                (_, Strength::Failure) | (Some(Strength::Failure), _) => Strength::Failure,
                (Some(Strength::Unknown) | None, s) => s,
                (Some(old), Strength::Unknown) => old,
                (Some(old), s) => old.max(s),
            });
        }
    }

    /// Applies the `curr`, `des` and `conf` attributes (of type `qos`) of
    /// a media description the other side sent, turning its "local" into
    /// this side's "remote" and its "send" into "recv".
    ///
    /// # Errors
    /// An [`SdpError`] for a precondition attribute that does not parse.
    pub fn apply_remote<'a>(
        &mut self,
        attributes: impl Iterator<Item = RawAttribute<'a>>,
    ) -> Result<(), SdpError> {
        for a in attributes.filter(|a| matches!(a.name, "curr" | "des" | "conf")) {
            let (status, row_kind) = match a.typed()? {
                Attribute::Current(s) => (s, 0),
                Attribute::Desired(s) => (s, 1),
                Attribute::Confirm(s) => (s, 2),
                _ => continue,
            };
            if status.kind != "qos" {
                continue;
            }
            // What the other side says of this side's segment is its
            // echo of what it was told; this side knows better.
            if row_kind == 0 && status.status == StatusType::Remote {
                continue;
            }
            let seg = segment(status.status.reversed());
            for d in directions(status.direction.reversed()) {
                match row_kind {
                    0 => self.rows[seg][d].current = true,
                    1 => {
                        let strength = status.strength.unwrap_or(Strength::None);
                        self.desire(status.status.reversed(), dir_of(d), strength);
                    }
                    _ => self.rows[seg][d].confirm = true,
                }
            }
            // A `curr` of the other side's own segment names what is
            // reserved there; rows it leaves out are not (a `curr:qos local
            // send` says its recv is not). An end-to-end status only adds
            // what the other side knows.
            if row_kind == 0 && status.status == StatusType::Local {
                let covered = status.direction.reversed();
                for d in 0..2 {
                    if !directions(covered).any(|c| c == d) {
                        self.rows[seg][d].current = false;
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether every row desired `mandatory` has its resources (RFC 3312
    /// §5: the preconditions are met, the session may proceed: alerting,
    /// the 180).
    pub fn is_met(&self) -> bool {
        !self.has_failed()
            && self
                .rows
                .iter()
                .flatten()
                .all(|r| r.desired != Some(Strength::Mandatory) || r.current)
    }

    /// Whether a row is desired with `failure`: the session fails.
    pub fn has_failed(&self) -> bool {
        self.rows
            .iter()
            .flatten()
            .any(|r| r.desired == Some(Strength::Failure))
    }

    /// Whether the other side asked to be told when `status` in the given
    /// direction (this side's view) is reserved.
    pub fn confirm_requested(&self, status: StatusType, direction: QosDirection) -> bool {
        directions(direction).any(|d| self.rows[segment(status)][d].confirm)
    }

    /// The `curr` and `des` attributes for this side's next description:
    /// for each segment with a desire, the current status and the desired
    /// strength per direction (send and recv together when they agree).
    /// Segmented tables give `local` and `remote` lines, an end-to-end one
    /// `e2e` lines.
    pub fn attributes(&self) -> Vec<Attribute<'static>> {
        let mut out = Vec::new();
        for status in [StatusType::E2e, StatusType::Local, StatusType::Remote] {
            let rows = &self.rows[segment(status)];
            if rows.iter().all(|r| r.desired.is_none()) {
                continue;
            }
            out.push(Attribute::Current(PreconditionStatus {
                kind: Cow::Borrowed("qos"),
                strength: None,
                status,
                direction: QosDirection::from_flags(rows[0].current, rows[1].current),
            }));
        }
        for status in [StatusType::E2e, StatusType::Local, StatusType::Remote] {
            let rows = &self.rows[segment(status)];
            let (send, recv) = (rows[0].desired, rows[1].desired);
            let mut push = |strength: Option<Strength>, direction| {
                if let Some(strength) = strength {
                    out.push(Attribute::Desired(PreconditionStatus {
                        kind: Cow::Borrowed("qos"),
                        strength: Some(strength),
                        status,
                        direction,
                    }));
                }
            };
            if send == recv {
                push(send, QosDirection::SendRecv);
            } else {
                push(send, QosDirection::Send);
                push(recv, QosDirection::Recv);
            }
        }
        out
    }
}

fn dir_of(d: usize) -> QosDirection {
    if d == 0 {
        QosDirection::Send
    } else {
        QosDirection::Recv
    }
}
