//! Property test of stream framing: messages and keep-alives written to a
//! stream and read back in arbitrary chunks come out whole and in order.

mod common;

use common::strategies::message;
use imsip::{FlowSide, Frame, MessageRef, ParseConfig, frame};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Message(Vec<u8>),
    Ping,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn chunked_stream_frames_every_message(
        items in proptest::collection::vec(
            prop_oneof![4 => message().prop_map(|g| Item::Message(g.bytes)), 1 => Just(Item::Ping)],
            1..6,
        ),
        chunks in proptest::collection::vec(1usize..200, 1..40),
    ) {
        let mut stream = Vec::new();
        for item in &items {
            match item {
                Item::Message(m) => stream.extend_from_slice(m),
                Item::Ping => stream.extend_from_slice(b"\r\n\r\n"),
            }
        }
        let config = ParseConfig::default();
        let mut buffer: Vec<u8> = Vec::new();
        let mut seen = Vec::new();
        let mut fed = 0;
        let mut sizes = chunks.iter().cycle();
        while fed < stream.len() || !buffer.is_empty() {
            if fed < stream.len() {
                let n = (*sizes.next().unwrap()).min(stream.len() - fed);
                buffer.extend_from_slice(&stream[fed..fed + n]);
                fed += n;
            }
            loop {
                match frame(&buffer, FlowSide::Server, &config).unwrap() {
                    Frame::Partial => break,
                    Frame::Ping => seen.push(Item::Ping),
                    Frame::Pong => panic!("a ping split in two should wait, not pong"),
                    Frame::Message { len } => {
                        let m = MessageRef::parse(&buffer[..len]).unwrap();
                        prop_assert_eq!(m.len(), len);
                        seen.push(Item::Message(buffer[..len].to_vec()));
                    }
                }
                let n = frame(&buffer, FlowSide::Server, &config).unwrap().consumed();
                buffer.drain(..n);
            }
            if fed == stream.len() && !buffer.is_empty() {
                // Everything was fed; whatever is left must be a whole frame.
                prop_assert!(!matches!(frame(&buffer, FlowSide::Server, &config).unwrap(), Frame::Partial), "{:?}", buffer);
            }
        }
        prop_assert_eq!(seen, items);
    }
}
