//! Memory per live transaction, measured with a counting global allocator
//! (bytes held, allocations minus frees): the figure in
//! `docs/performance.md`. Prints the numbers; asserts generous bounds so a
//! regression that multiplies them is caught.
//!
//! The allocator needs `unsafe`; the library itself forbids it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use imsip::endpoint::{Endpoint, EndpointConfig, Event, Flow};
use imsip::{StatusCode, Transport};

struct Counting;

static HELD: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed unchanged to the system allocator; the
// wrapper only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const N: usize = 10_000;

fn request(method: &str, n: usize) -> String {
    format!(
        "{method} sip:bob@192.0.2.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKmem{n}\r\n\
Max-Forwards: 70\r\n\
From: <sip:alice@192.0.2.1>;tag=fa{n}\r\n\
To: <sip:bob@192.0.2.2>\r\n\
Call-ID: mem{n}@192.0.2.1\r\n\
CSeq: 1 {method}\r\n\
Content-Length: 0\r\n\r\n"
    )
}

/// Bytes held per server transaction after `N` requests were answered with
/// `status` (and the events dropped): what a busy UDP server keeps for
/// Timer J / Timer H.
fn per_transaction(method: &str, status: u16) -> isize {
    let mut node = Endpoint::new(EndpointConfig::default());
    let source: SocketAddr = "192.0.2.1:5060".parse().unwrap();
    let local: SocketAddr = "192.0.2.2:5060".parse().unwrap();
    let now = Instant::now();
    // Warm the maps up to their size, then measure a second batch.
    let before = HELD.load(Ordering::Relaxed);
    for n in 0..N {
        let text = request(method, n);
        node.handle_input(
            now,
            Flow::new(Transport::Udp, local, source),
            bytes::Bytes::copy_from_slice(text.as_bytes()),
        );
        while let Some(e) = node.poll_event() {
            if let Event::Request {
                transaction,
                request,
                ..
            } = e
            {
                let r = request
                    .as_ref()
                    .response(StatusCode::new(status).unwrap())
                    .unwrap()
                    .to_tag("t")
                    .build()
                    .unwrap();
                node.respond(now, transaction, r).unwrap();
            }
        }
        while node.poll_transmit().is_some() {}
    }
    assert_eq!(node.transactions(), N);
    let held = HELD.load(Ordering::Relaxed) - before;
    drop(node);
    held / N as isize
}

#[test]
fn bytes_per_live_transaction() {
    let options = per_transaction("OPTIONS", 200);
    let invite = per_transaction("INVITE", 486);
    eprintln!("held per server transaction: OPTIONS/200 {options} B, INVITE/486 {invite} B");
    assert!(options < 4096, "{options}");
    assert!(invite < 8192, "{invite}");
}
