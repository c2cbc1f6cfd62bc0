//! The Allow header ([RFC 3261 §20.5](https://www.rfc-editor.org/rfc/rfc3261#section-20.5)).

use super::{Cursor, HeaderError, HeaderErrorKind, HeaderName, TypedHeader};
use crate::method::Method;

/// One element of an Allow header: a method the sender supports.
///
/// ```
/// use imsip::header::Allow;
/// use imsip::{Method, MessageRef};
///
/// let msg = MessageRef::parse(b"SIP/2.0 200 OK\r\nAllow: INVITE, ACK,BYE\r\nAllow: PRACK\r\n\r\n").unwrap();
/// let methods: Vec<Method> = msg.header_all::<Allow>().map(|a| a.unwrap().0).collect();
/// assert_eq!(methods, [Method::Invite, Method::Ack, Method::Bye, Method::Prack]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Allow<'a>(pub Method<'a>);

impl<'a> TypedHeader<'a> for Allow<'a> {
    const NAME: HeaderName = HeaderName::Allow;

    fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut c = Cursor::new(value);
        let token = c
            .token()
            .map_err(|e| HeaderError::new(HeaderErrorKind::Method, e.offset()))?;
        c.finish()?;
        Method::parse(token)
            .map(Allow)
            .ok_or(HeaderError::new(HeaderErrorKind::Method, 0))
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.0.as_str().as_bytes());
    }
}
