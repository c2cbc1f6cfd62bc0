//! Session timers (RFC 4028): negotiation of the interval and the
//! refresher in the INVITE and its 2xx, 422 with Min-SE, refreshes by the
//! refresher at half the interval, BYE when the session expires.

use std::time::{Duration, Instant};

use crate::header::{HeaderName, MinSe, Refresher, SessionExpires};
use crate::message::MessageRef;

/// What a user agent asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimerConfig {
    /// The session interval asked for and offered (Session-Expires), in
    /// seconds: 1800 by default.
    pub interval: u32,
    /// The smallest interval accepted (Min-SE): 90 s, the RFC's floor, by
    /// default.
    pub min_se: u32,
}

impl Default for SessionTimerConfig {
    fn default() -> Self {
        SessionTimerConfig {
            interval: 1800,
            min_se: 90,
        }
    }
}

/// A session timer running on a confirmed session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimer {
    /// The negotiated interval, in seconds.
    pub interval: u32,
    /// Whether this side refreshes.
    pub refreshing: bool,
    /// When this side refreshes (the refresher) or gives up on the session
    /// (the other side).
    pub due: Instant,
}

impl SessionTimer {
    /// A timer for `interval` seconds from `now`: the refresher refreshes
    /// at half the interval; the other side ends the session at the
    /// interval less a third of it or 32 s, whichever is less (RFC 4028
    /// §10).
    pub(super) fn start(now: Instant, interval: u32, refreshing: bool) -> SessionTimer {
        let interval = interval.max(1);
        let wait = if refreshing {
            interval / 2
        } else {
            interval - (interval / 3).min(32)
        };
        SessionTimer {
            interval,
            refreshing,
            due: now + Duration::from_secs(u64::from(wait.max(1))),
        }
    }
}

/// Whether `msg` lists `timer` in Supported or Require.
pub(super) fn supports_timer(msg: &MessageRef<'_>) -> bool {
    msg.values(HeaderName::Supported)
        .chain(msg.values(HeaderName::Require))
        .any(|t| t.eq_ignore_ascii_case(b"timer"))
}

/// The Session-Expires of `msg`: the interval and the refresher parameter.
pub(super) fn session_expires(msg: &MessageRef<'_>) -> Option<(u32, Option<Refresher>)> {
    let se = msg.header::<SessionExpires<'_>>()?.ok()?;
    Some((se.delta_seconds, se.refresher()))
}

/// The Min-SE of `msg`, if any.
pub(super) fn min_se(msg: &MessageRef<'_>) -> Option<u32> {
    msg.header::<MinSe<'_>>()?.ok().map(|m| m.delta_seconds)
}

/// The UAS's decision on an INVITE (RFC 4028 §9): `Err(min)` when its
/// Session-Expires is below this side's Min-SE (answer 422 with Min-SE:
/// min); `Ok(None)` for no timer; else the interval and who refreshes, as
/// the 2xx says it (`refresher=uac|uas`).
pub(super) fn uas_decision(
    invite: &MessageRef<'_>,
    config: &SessionTimerConfig,
) -> Result<Option<(u32, Refresher)>, u32> {
    let peer_supports = supports_timer(invite);
    match session_expires(invite) {
        Some((asked, _)) if asked < config.min_se => Err(config.min_se),
        Some((asked, refresher)) => {
            // The UAS may shorten the interval, never below the request's
            // Min-SE (or its own).
            let floor = min_se(invite).unwrap_or(90).max(config.min_se);
            let interval = asked.min(config.interval.max(floor));
            let refresher = refresher.unwrap_or(if peer_supports {
                Refresher::Uac
            } else {
                Refresher::Uas
            });
            Ok(Some((interval, refresher)))
        }
        None if peer_supports => Ok(Some((config.interval, Refresher::Uac))),
        // The UAC knows nothing of timers: this side refreshes (§9).
        None => Ok(Some((config.interval, Refresher::Uas))),
    }
}

/// Whether this side is the refresher named by
/// `refresher` in a transaction it sent (`sent`) or received.
pub(super) fn is_me(refresher: Refresher, sent: bool) -> bool {
    matches!(
        (refresher, sent),
        (Refresher::Uac, true) | (Refresher::Uas, false)
    )
}
