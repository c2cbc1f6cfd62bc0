#[path = "../../../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;
use rsip::prelude::*;
fn main() {
    let data = common::IMS_REGISTER;
    let msg = rsip::SipMessage::try_from(data);
    println!("parse: {:?}", msg.as_ref().map(|_| ()).map_err(|e| e.to_string()));
    let msg = msg.unwrap();
    println!("via: {:?}", msg.via_header().map(|v| v.typed()));
    println!("cseq: {:?}", msg.cseq_header().map(|v| v.typed()));
    println!("callid: {:?}", msg.call_id_header());
    println!("from: {:?}", msg.from_header().map(|v| v.typed()));
    println!("to: {:?}", msg.to_header().map(|v| v.typed()));
    let msg = rsipstack::sip::SipMessage::try_from(data).unwrap();
    use rsipstack::sip::prelude::*;
    println!("rsipstack via: {:?}", msg.top_via_header().map(|v| v.typed()));
}
