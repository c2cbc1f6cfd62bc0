//! The Accept-Resource-Priority header ([RFC 4412 §3.2](https://www.rfc-editor.org/rfc/rfc4412#section-3.2)).

use super::resource_priority::r_value_header;

r_value_header!(
    /// One element of an Accept-Resource-Priority header: `dsn.flash-override`,
    /// a resource priority the sender supports (in a 2xx to OPTIONS or a 417).
    ///
    /// The header may be empty (no value is supported); such a field simply has
    /// no elements.
    ///
    /// ```
    /// use imsip::header::{AcceptResourcePriority, TypedHeader};
    /// use imsip::MessageRef;
    ///
    /// let msg = MessageRef::parse(b"SIP/2.0 200 OK\r\nAccept-Resource-Priority: dsn.flash-override,\r\n dsn.flash, dsn.immediate, dsn.priority, dsn.routine\r\n\r\n").unwrap();
    /// let values: Vec<_> = msg.header_all::<AcceptResourcePriority<'_>>().map(|v| v.unwrap().priority.into_owned()).collect();
    /// assert_eq!(values, ["flash-override", "flash", "immediate", "priority", "routine"]);
    /// ```
    AcceptResourcePriority,
    AcceptResourcePriority
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{HeaderErrorKind, TypedHeader};

    #[test]
    fn examples() {
        // RFC 4412 §3.2 and §11 (417 Unknown Resource-Priority).
        for (text, ns, prio) in [
            ("dsn.flash-override", "dsn", "flash-override"),
            ("dsn.routine", "dsn", "routine"),
            ("wps.0", "wps", "0"),
            (" ets.4 ", "ets", "4"),
        ] {
            let r = AcceptResourcePriority::parse(text).unwrap();
            assert_eq!(
                (r.namespace.as_ref(), r.priority.as_ref()),
                (ns, prio),
                "{text}"
            );
            assert_eq!(r.to_string(), text.trim());
        }
        // An empty Accept-Resource-Priority has no elements.
        let msg = crate::MessageRef::parse(
            b"SIP/2.0 417 Unknown Resource-Priority\r\nAccept-Resource-Priority:\r\n\r\n",
        )
        .unwrap();
        assert_eq!(msg.header_all::<AcceptResourcePriority<'_>>().count(), 0);
        assert_eq!(
            AcceptResourcePriority::new("dsn", "routine").unwrap(),
            AcceptResourcePriority::parse("dsn.routine")
                .unwrap()
                .into_owned()
        );
        assert!(AcceptResourcePriority::new("dsn", "a b").is_none());
        for (text, kind) in [
            ("", HeaderErrorKind::Empty),
            ("dsn", HeaderErrorKind::Expected(b'.')),
            ("dsn.a.b", HeaderErrorKind::Token),
            ("dsn.flash dsn.routine", HeaderErrorKind::Trailing),
        ] {
            assert_eq!(
                AcceptResourcePriority::parse(text).unwrap_err().kind(),
                kind,
                "{text}"
            );
        }
    }
}
