//! multipart bodies: RFC 4475 `mpart01` (binary part with NULs and bare CRs)
//! and builder → parser round trips.

mod common;

use imsip::MessageRef;
use imsip::header::MediaType;
use imsip::multipart::{Multipart, MultipartBuilder};
use proptest::prelude::*;

#[test]
fn rfc4475_mpart01_binary_part() {
    let data = common::data("rfc4475/mpart01.sip");
    let msg = MessageRef::parse(&data).unwrap();
    let mp = Multipart::from_message(&msg).unwrap();
    assert_eq!(mp.boundary(), "7a9cbec02ceef655");
    let parts: Vec<_> = mp.parts().collect::<Result<_, _>>().unwrap();
    assert_eq!(parts.len(), 2);
    assert!(
        parts[0]
            .content_type()
            .unwrap()
            .unwrap()
            .is("text", "plain")
    );
    assert_eq!(parts[0].body(), b"Hello");
    assert!(
        parts[1]
            .content_type()
            .unwrap()
            .unwrap()
            .is("application", "octet-stream")
    );
    assert_eq!(
        parts[1].header("Content-Transfer-Encoding"),
        Some(&b"binary"[..])
    );
    let binary = parts[1].body();
    assert!(binary.contains(&0));
    assert!(binary.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n'));
    // Zero-copy: the part bodies are slices of the received datagram.
    let range = data.as_ptr_range();
    assert!(range.contains(&binary.as_ptr()));
}

#[test]
fn not_multipart() {
    let msg = MessageRef::parse(common::INVITE).unwrap();
    assert!(Multipart::from_message(&msg).is_err());
}

proptest! {
    #[test]
    fn built_bodies_read_back(
        parts in proptest::collection::vec(
            ("[a-z]{1,8}", "[a-z0-9.+-]{1,12}", proptest::collection::vec(any::<u8>(), 0..200)),
            1..5,
        ),
        boundary in "[a-zA-Z0-9'()+_,./:=?-]{1,40}",
    ) {
        // A boundary must not occur in the parts; skip the rare collision.
        let delimiter = format!("\r\n--{boundary}");
        prop_assume!(parts.iter().all(|(_, _, b)| !b.windows(delimiter.len()).any(|w| w == delimiter.as_bytes())));
        let mut builder = MultipartBuilder::new(&boundary).unwrap();
        let types: Vec<MediaType<'_>> = parts.iter().map(|(t, s, _)| MediaType::new(t, s)).collect();
        for ((_, _, body), ct) in parts.iter().zip(&types) {
            builder = builder.part(ct, &[("Content-Disposition", "render")], body);
        }
        let (content_type, body) = builder.finish();
        prop_assert!(content_type.is("multipart", "mixed"));
        let mp = Multipart::new(&body, &boundary).unwrap();
        let read: Vec<_> = mp.parts().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(read.len(), parts.len());
        for (r, ((_, _, b), ct)) in read.iter().zip(parts.iter().zip(&types)) {
            prop_assert_eq!(r.body(), &b[..]);
            prop_assert_eq!(&r.content_type().unwrap().unwrap(), ct);
            prop_assert_eq!(r.header("content-disposition"), Some(&b"render"[..]));
        }
    }
}
