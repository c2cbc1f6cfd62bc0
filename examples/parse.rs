//! Parses one SIP message and prints its structure, its typed headers and the
//! validation verdict.
//!
//! ```text
//! cargo run --example parse -- tests/data/rfc4475/wsinv.sip
//! cat message.sip | cargo run --example parse
//! cargo run --example parse -- --proxy message.sip     # validate as a proxy
//! ```

use std::io::Read;
use std::process::ExitCode;

use imsip::header::{
    self, Allow, Authorization, CSeq, CallId, Contact, ContentLength, ContentType, Expires,
    HeaderName, MaxForwards, ProxyAuthenticate, ProxyAuthorization, ProxyRequire, RecordRoute,
    Require, Route, Supported, To, TypedHeader, Unsupported, Via, WwwAuthenticate,
};
use imsip::{MessageRef, ParseConfig, StartLine, ValidationPolicy};

fn main() -> ExitCode {
    let mut proxy = false;
    let mut path = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--proxy" => proxy = true,
            "-h" | "--help" => {
                eprintln!("usage: parse [--proxy] [FILE]   (reads stdin without FILE)");
                return ExitCode::SUCCESS;
            }
            _ => path = Some(arg),
        }
    }
    let data = match &path {
        Some(p) => match std::fs::read(p) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("cannot read {p}: {e}");
                return ExitCode::from(2);
            }
        },
        None => {
            let mut d = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut d) {
                eprintln!("cannot read stdin: {e}");
                return ExitCode::from(2);
            }
            d
        }
    };

    let msg = match MessageRef::parse(&data) {
        Ok(m) => m,
        Err(e) => {
            println!("parse error: {e} ({:?})", e.kind());
            if e.is_framing() {
                if let Ok(head) = MessageRef::parse_head(&data, &ParseConfig::default()) {
                    println!(
                        "the header section is intact: a server answers {} to it",
                        e.status_code().as_u16()
                    );
                    print_message(&head);
                }
            } else {
                println!(
                    "a server drops it, or answers {} when it can",
                    e.status_code().as_u16()
                );
            }
            return ExitCode::FAILURE;
        }
    };
    print_message(&msg);

    let policy = if proxy {
        ValidationPolicy::proxy(&[])
    } else {
        ValidationPolicy::user_agent(&[])
    };
    match msg.validate_with(&policy) {
        Ok(()) => {
            println!("\nverdict: valid");
            ExitCode::SUCCESS
        }
        Err(e) => {
            if msg.is_request() {
                println!("\nverdict: {e}; answer {}", e.status_code().as_u16());
            } else {
                println!("\nverdict: {e}; drop the response");
            }
            ExitCode::FAILURE
        }
    }
}

fn print_message(msg: &MessageRef<'_>) {
    match msg.start_line() {
        StartLine::Request(r) => {
            println!("request   {} {} {}", r.method, r.uri, r.version);
            match msg.request_uri() {
                Some(Ok(uri)) => println!("  uri     {uri:?}"),
                Some(Err(e)) => println!("  uri     error: {e}"),
                None => {}
            }
        }
        StartLine::Response(s) => println!(
            "response  {} {} {:?}",
            s.version,
            s.code.as_u16(),
            String::from_utf8_lossy(s.reason)
        ),
    }
    println!("headers   {}", msg.header_count());
    for h in msg.headers() {
        let shown = match h.known() {
            Some(n) if n.as_str() != h.name() => format!("{} ({})", h.name(), n),
            _ => h.name().to_owned(),
        };
        println!("  {shown}: {}", printable(h.value()));
        if let Some(name) = h.known() {
            for element in h.elements() {
                if let Some(t) = typed(name, element) {
                    println!("      = {t}");
                }
            }
        }
    }
    let body = msg.body();
    println!("body      {} octets", body.len());
    if !body.is_empty() {
        let preview: String = printable(&body[..body.len().min(240)]);
        println!("  {preview}");
    }
}

fn printable(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .chars()
        .map(|c| match c {
            '\r' => "\\r".to_owned(),
            '\n' => "\\n".to_owned(),
            c if c.is_control() => format!("\\x{:02x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

fn typed(name: HeaderName, element: &[u8]) -> Option<String> {
    let Ok(value) = std::str::from_utf8(element) else {
        return Some("error: not UTF-8".into());
    };
    fn show<'a, H: TypedHeader<'a> + std::fmt::Debug>(value: &'a str) -> Option<String> {
        Some(match H::parse(value) {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {e}"),
        })
    }
    match name {
        HeaderName::Via => show::<Via<'_>>(value),
        HeaderName::From => show::<header::From<'_>>(value),
        HeaderName::To => show::<To<'_>>(value),
        HeaderName::CallId => show::<CallId<'_>>(value),
        HeaderName::CSeq => show::<CSeq<'_>>(value),
        HeaderName::MaxForwards => show::<MaxForwards>(value),
        HeaderName::Contact => show::<Contact<'_>>(value),
        HeaderName::Route => show::<Route<'_>>(value),
        HeaderName::RecordRoute => show::<RecordRoute<'_>>(value),
        HeaderName::ContentLength => show::<ContentLength>(value),
        HeaderName::ContentType => show::<ContentType<'_>>(value),
        HeaderName::Expires => show::<Expires>(value),
        HeaderName::Allow => show::<Allow<'_>>(value),
        HeaderName::Supported => show::<Supported<'_>>(value),
        HeaderName::Require => show::<Require<'_>>(value),
        HeaderName::ProxyRequire => show::<ProxyRequire<'_>>(value),
        HeaderName::Unsupported => show::<Unsupported<'_>>(value),
        HeaderName::Authorization => show::<Authorization<'_>>(value),
        HeaderName::ProxyAuthorization => show::<ProxyAuthorization<'_>>(value),
        HeaderName::WwwAuthenticate => show::<WwwAuthenticate<'_>>(value),
        HeaderName::ProxyAuthenticate => show::<ProxyAuthenticate<'_>>(value),
        _ => None,
    }
}
