//! The Subscription-State header ([RFC 6665 §8.2.3](https://www.rfc-editor.org/rfc/rfc6665#section-8.2.3)).

use std::borrow::Cow;
use std::fmt;

use super::param_check::{self, number, number_value, token};
use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::params::Params;

/// `Subscription-State: active;expires=600000`: the state of the
/// subscription a NOTIFY reports, with `reason`, `expires` and `retry-after`.
///
/// Parsing checks that `reason` is a token and that `expires` and
/// `retry-after` are delta-seconds up to 2³²−1 (each at most once), so the
/// accessors cannot fail.
///
/// ```
/// use imsip::header::{EventReason, SubscriptionState, Substate, TypedHeader};
///
/// let s = SubscriptionState::parse("active;expires=600000").unwrap(); // TS 24.229 reg event
/// assert_eq!(s.state, Substate::Active);
/// assert_eq!(s.expires(), Some(600000));
///
/// let s = SubscriptionState::parse("terminated;reason=timeout").unwrap();
/// assert!(s.state.is_terminated());
/// assert_eq!(s.reason(), Some(EventReason::Timeout));
/// assert!(SubscriptionState::parse("active;expires=soon").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionState<'a> {
    /// The subscription state.
    pub state: Substate<'a>,
    /// The parameters (`reason`, `expires`, `retry-after`, others).
    pub params: Params<'a>,
}

/// A `substate-value`. Known values are recognised ignoring ASCII case and
/// written in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Substate<'a> {
    /// `active`: the subscription has been accepted.
    Active,
    /// `pending`: the subscription is awaiting authorisation.
    Pending,
    /// `terminated`: the subscription has ended.
    Terminated,
    /// Any other state (a token). Build it with [`Substate::parse`] so that a
    /// known state never ends up here.
    Other(Cow<'a, str>),
}

impl<'a> Substate<'a> {
    /// The state named by `token`, or `None` when it is not a token.
    pub fn parse(token: &'a str) -> Option<Substate<'a>> {
        Some(if token.eq_ignore_ascii_case("active") {
            Substate::Active
        } else if token.eq_ignore_ascii_case("pending") {
            Substate::Pending
        } else if token.eq_ignore_ascii_case("terminated") {
            Substate::Terminated
        } else if crate::syntax::is_token(token.as_bytes()) {
            Substate::Other(Cow::Borrowed(token))
        } else {
            return None;
        })
    }

    /// The state as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Substate::Active => "active",
            Substate::Pending => "pending",
            Substate::Terminated => "terminated",
            Substate::Other(s) => s,
        }
    }

    /// Whether the state is `terminated`.
    pub fn is_terminated(&self) -> bool {
        *self == Substate::Terminated
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> Substate<'static> {
        match self {
            Substate::Active => Substate::Active,
            Substate::Pending => Substate::Pending,
            Substate::Terminated => Substate::Terminated,
            Substate::Other(s) => Substate::Other(Cow::Owned(s.into_owned())),
        }
    }
}

impl fmt::Display for Substate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `reason` parameter of a terminated or pending subscription
/// (`event-reason-value`, RFC 6665 §4.1.3). Known values are recognised
/// ignoring ASCII case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventReason<'a> {
    /// `deactivated`: the subscriber may resubscribe at once.
    Deactivated,
    /// `probation`: the subscriber may resubscribe later (`retry-after`).
    Probation,
    /// `rejected`: authorisation was refused.
    Rejected,
    /// `timeout`: the subscription was not refreshed in time.
    Timeout,
    /// `giveup`: authorisation took too long.
    Giveup,
    /// `noresource`: the resource no longer exists.
    Noresource,
    /// `invariant`: the resource's state will not change.
    Invariant,
    /// Any other reason (a token). Build it with [`EventReason::parse`].
    Other(Cow<'a, str>),
}

impl<'a> EventReason<'a> {
    /// The reason named by `token`, or `None` when it is not a token.
    pub fn parse(token: &'a str) -> Option<EventReason<'a>> {
        const KNOWN: [(&str, EventReason<'static>); 7] = [
            ("deactivated", EventReason::Deactivated),
            ("probation", EventReason::Probation),
            ("rejected", EventReason::Rejected),
            ("timeout", EventReason::Timeout),
            ("giveup", EventReason::Giveup),
            ("noresource", EventReason::Noresource),
            ("invariant", EventReason::Invariant),
        ];
        if let Some((_, r)) = KNOWN.iter().find(|(k, _)| k.eq_ignore_ascii_case(token)) {
            return Some(r.clone());
        }
        crate::syntax::is_token(token.as_bytes())
            .then_some(EventReason::Other(Cow::Borrowed(token)))
    }

    /// The reason as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            EventReason::Deactivated => "deactivated",
            EventReason::Probation => "probation",
            EventReason::Rejected => "rejected",
            EventReason::Timeout => "timeout",
            EventReason::Giveup => "giveup",
            EventReason::Noresource => "noresource",
            EventReason::Invariant => "invariant",
            EventReason::Other(s) => s,
        }
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> EventReason<'static> {
        match self {
            EventReason::Other(s) => EventReason::Other(Cow::Owned(s.into_owned())),
            EventReason::Deactivated => EventReason::Deactivated,
            EventReason::Probation => EventReason::Probation,
            EventReason::Rejected => EventReason::Rejected,
            EventReason::Timeout => EventReason::Timeout,
            EventReason::Giveup => EventReason::Giveup,
            EventReason::Noresource => EventReason::Noresource,
            EventReason::Invariant => EventReason::Invariant,
        }
    }
}

impl fmt::Display for EventReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'a> SubscriptionState<'a> {
    /// A state without parameters.
    pub fn new(state: Substate<'a>) -> Self {
        SubscriptionState {
            state,
            params: Params::header(),
        }
    }

    /// The `reason` parameter.
    pub fn reason(&self) -> Option<EventReason<'_>> {
        self.params.value("reason").and_then(EventReason::parse)
    }

    /// The `expires` parameter: seconds left in the subscription.
    pub fn expires(&self) -> Option<u32> {
        number_value(self.params.value("expires"))
    }

    /// The `retry-after` parameter: seconds before the subscriber should
    /// try again.
    pub fn retry_after(&self) -> Option<u32> {
        number_value(self.params.value("retry-after"))
    }

    /// Copies borrowed text so the value outlives the input.
    pub fn into_owned(self) -> SubscriptionState<'static> {
        SubscriptionState {
            state: self.state.into_owned(),
            params: self.params.into_owned(),
        }
    }
}

impl<'a> TypedHeader<'a> for SubscriptionState<'a> {
    const NAME: HeaderName = HeaderName::SubscriptionState;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        if c.peek().is_none() {
            return Err(c.error(HeaderErrorKind::Empty));
        }
        let start = c.pos;
        let state =
            Substate::parse(c.token()?).ok_or(HeaderError::new(HeaderErrorKind::Token, start))?;
        let params = param_check::params(
            &mut c,
            &["reason", "expires", "retry-after"],
            |name, v| match name {
                "reason" => token(v),
                _ => number(v),
            },
        )?;
        c.finish()?;
        Ok(SubscriptionState { state, params })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.state.as_str().as_bytes());
        self.params.encode(dst);
    }
}

impl fmt::Display for SubscriptionState<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> HeaderErrorKind {
        SubscriptionState::parse(s).unwrap_err().kind()
    }

    #[test]
    fn examples() {
        // RFC 6665 §4.1.3 (reasons), RFC 3515 (refer subscriptions) and TS 24.229
        // (the reg event package).
        for (text, state, reason, expires, retry) in [
            (
                "active;expires=3600",
                Substate::Active,
                None,
                Some(3600),
                None,
            ),
            (
                "pending;expires=600",
                Substate::Pending,
                None,
                Some(600),
                None,
            ),
            (
                "terminated;reason=noresource",
                Substate::Terminated,
                Some(EventReason::Noresource),
                None,
                None,
            ),
            (
                "terminated;reason=probation;retry-after=3600",
                Substate::Terminated,
                Some(EventReason::Probation),
                None,
                Some(3600),
            ),
            (
                "terminated;reason=rejected",
                Substate::Terminated,
                Some(EventReason::Rejected),
                None,
                None,
            ),
            (
                "terminated;reason=deactivated",
                Substate::Terminated,
                Some(EventReason::Deactivated),
                None,
                None,
            ),
            (
                "terminated;reason=giveup;retry-after=60",
                Substate::Terminated,
                Some(EventReason::Giveup),
                None,
                Some(60),
            ),
            (
                "Terminated ; reason = Invariant",
                Substate::Terminated,
                Some(EventReason::Invariant),
                None,
                None,
            ),
            (
                "waiting;reason=policy-change",
                Substate::Other("waiting".into()),
                Some(EventReason::Other("policy-change".into())),
                None,
                None,
            ),
            ("active", Substate::Active, None, None, None),
        ] {
            let s = SubscriptionState::parse(text).unwrap();
            assert_eq!(s.state, state, "{text}");
            assert_eq!(s.reason(), reason, "{text}");
            assert_eq!(s.expires(), expires, "{text}");
            assert_eq!(s.retry_after(), retry, "{text}");
        }
    }

    #[test]
    fn canonical() {
        let s = SubscriptionState::parse("ACTIVE ;\r\n expires = 0").unwrap();
        assert_eq!(s.to_string(), "active;expires=0");
        assert_eq!(SubscriptionState::parse(&s.to_string()).unwrap(), s);
        let mut built = SubscriptionState::new(Substate::Terminated);
        built.params.push("reason", Some("timeout")).unwrap();
        assert_eq!(built.to_string(), "terminated;reason=timeout");
        assert_eq!(
            built.clone().into_owned(),
            SubscriptionState::parse("terminated;reason=timeout").unwrap()
        );
    }

    #[test]
    fn malformed() {
        assert_eq!(kind(""), HeaderErrorKind::Empty);
        assert_eq!(kind(";expires=1"), HeaderErrorKind::Token);
        assert_eq!(kind("active expires=1"), HeaderErrorKind::Trailing);
        assert_eq!(kind("active;expires=-1"), HeaderErrorKind::ParamValue);
        assert_eq!(kind("active;expires"), HeaderErrorKind::ParamValue);
        assert_eq!(
            kind("active;expires=4294967296"),
            HeaderErrorKind::OutOfRange
        );
        assert_eq!(
            kind("terminated;retry-after=99999999999"),
            HeaderErrorKind::OutOfRange
        );
        assert_eq!(
            kind("terminated;reason=\"timeout\""),
            HeaderErrorKind::ParamValue
        );
        assert_eq!(
            kind("active;expires=1;expires=2"),
            HeaderErrorKind::DuplicateParam
        );
        assert_eq!(kind("active;;"), HeaderErrorKind::Param);
    }
}
