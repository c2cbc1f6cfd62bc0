//! proptest strategies that produce valid SIP text: URIs, header values and
//! whole messages, in canonical and in deliberately untidy forms.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// A token (RFC 3261 §25.1).
pub(crate) fn token() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~-]{1,12}"
}

/// A lower-case host label.
fn label() -> impl Strategy<Value = String> {
    "[a-z]([a-z0-9-]{0,8}[a-z0-9])?"
}

/// A host name.
pub(crate) fn domain() -> impl Strategy<Value = String> {
    (vec(label(), 1..4), label()).prop_map(|(mut labels, top)| {
        labels.push(top);
        labels.join(".")
    })
}

/// A host as written in a URI: name, IPv4 or IPv6 reference.
pub(crate) fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => domain(),
        2 => any::<[u8; 4]>().prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        1 => any::<[u16; 8]>().prop_map(|s| format!("[{}]", std::net::Ipv6Addr::from(s))),
    ]
}

/// Escapes everything outside `unreserved` and the characters in `keep`.
fn escape_some(raw: &[u8], keep: &str) -> String {
    let mut out = String::new();
    for &b in raw {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SIP user part: any octets, escaped as needed.
pub(crate) fn user() -> impl Strategy<Value = String> {
    vec(any::<u8>(), 1..16).prop_map(|raw| escape_some(&raw, "&=+$,;?/"))
}

/// `;name[=value]` URI parameters.
pub(crate) fn uri_params() -> impl Strategy<Value = String> {
    vec(
        (
            "[a-z][a-z0-9-]{0,8}",
            proptest::option::of("[a-zA-Z0-9_.!~*'()\\[\\]/:&+$-]{1,10}"),
        ),
        0..4,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .filter(|(n, _)| !["transport", "user", "method", "ttl", "maddr"].contains(&n.as_str()))
            .map(|(n, v)| match v {
                Some(v) => format!(";{n}={v}"),
                None => format!(";{n}"),
            })
            .collect()
    })
}

/// A SIP or SIPS URI in canonical form.
pub(crate) fn sip_uri() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        proptest::option::of((user(), proptest::option::of("[a-zA-Z0-9&=+$,_.-]{0,8}"))),
        host(),
        proptest::option::of(any::<u16>()),
        uri_params(),
        proptest::option::of(vec(("[a-zA-Z][a-zA-Z0-9]{0,6}", "[a-zA-Z0-9]{0,6}"), 1..3)),
    )
        .prop_map(|(secure, userinfo, host, port, params, headers)| {
            let mut s = String::from(if secure { "sips:" } else { "sip:" });
            if let Some((user, password)) = userinfo {
                s.push_str(&user);
                if let Some(pw) = password {
                    s.push(':');
                    s.push_str(&pw);
                }
                s.push('@');
            }
            s.push_str(&host);
            if let Some(p) = port {
                s.push_str(&format!(":{p}"));
            }
            s.push_str(&params);
            if let Some(h) = headers {
                s.push('?');
                let fields: Vec<String> = h.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
                s.push_str(&fields.join("&"));
            }
            s
        })
}

/// A `tel:` URI.
pub(crate) fn tel_uri() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            "[0-9]{1,3}",
            "[0-9]{1,10}",
            proptest::option::of("[0-9]{1,4}")
        )
            .prop_map(|(cc, n, ext)| match ext {
                Some(e) => format!("tel:+{cc}-{n};ext={e}"),
                None => format!("tel:+{cc}-{n}"),
            }),
        ("[0-9*#]{1,8}", domain()).prop_map(|(n, d)| format!("tel:{n};phone-context={d}")),
    ]
}

/// Any URI: SIP mostly, some tel and some opaque.
pub(crate) fn uri() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => sip_uri(),
        1 => tel_uri(),
        1 => ("[a-z][a-z0-9+.-]{0,6}", "[a-zA-Z0-9/:@&=+$,.-]{1,16}")
            .prop_filter("not a known scheme", |(s, _)| !["sip", "sips", "tel"].contains(&s.as_str()))
            .prop_map(|(s, r)| format!("{s}:{r}")),
    ]
}

/// Text that a quoted string can carry (no CR or LF; anything else,
/// including quotes, backslashes, controls and non-ASCII).
pub(crate) fn quotable() -> impl Strategy<Value = String> {
    "[^\r\n]{0,12}"
}

/// Quotes `text` as a quoted-string.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 && c != '\t' || c as u32 == 0x7f => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Linear white space: nothing, spaces, or a fold.
pub(crate) fn lws() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        2 => " {1,3}",
        1 => Just("\r\n ".to_owned()),
        1 => Just(" \r\n\t ".to_owned()),
    ]
}

/// `;name=value` generic parameters with optional white space.
pub(crate) fn header_params() -> impl Strategy<Value = String> {
    vec(
        (
            lws(),
            "[a-z][a-z0-9-]{0,8}",
            prop_oneof![
                Just(None),
                token().prop_map(Some),
                quotable().prop_map(|t| Some(quote(&t))),
            ],
            lws(),
        ),
        0..4,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .filter(|(_, n, _, _)| {
                ![
                    "q", "expires", "branch", "ttl", "maddr", "received", "rport",
                ]
                .contains(&n.as_str())
            })
            .map(|(a, n, v, b)| match v {
                Some(v) => format!("{a};{b}{n}{a}={b}{v}"),
                None => format!("{a};{b}{n}"),
            })
            .collect()
    })
}

/// A name-addr or addr-spec.
pub(crate) fn name_addr() -> impl Strategy<Value = String> {
    prop_oneof![
        (proptest::option::of(quotable()), uri(), lws()).prop_map(|(d, u, w)| match d {
            Some(d) => format!("{}{w}<{u}>", quote(&d)),
            None => format!("<{u}>"),
        }),
        (vec(token(), 1..3), uri()).prop_map(|(t, u)| format!("{} <{u}>", t.join(" "))),
    ]
}

/// A From or To value.
pub(crate) fn from_to() -> impl Strategy<Value = String> {
    (name_addr(), header_params(), proptest::option::of(token())).prop_map(|(na, p, tag)| match tag
    {
        Some(t) => format!("{na}{p};tag={t}"),
        None => format!("{na}{p}"),
    })
}

/// A Via value.
pub(crate) fn via() -> impl Strategy<Value = String> {
    (
        select(vec!["UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "tcp", "XYZ"]),
        lws(),
        host(),
        proptest::option::of(any::<u16>()),
        token(),
        proptest::option::of(proptest::option::of(any::<u16>())),
        header_params(),
    )
        .prop_map(|(t, w, host, port, branch, rport, params)| {
            let mut s = format!("SIP{w}/{w}2.0{w}/{w}{t} {host}");
            if let Some(p) = port {
                s.push_str(&format!(":{p}"));
            }
            s.push_str(&format!(";branch=z9hG4bK{branch}"));
            match rport {
                Some(Some(p)) => s.push_str(&format!(";rport={p}")),
                Some(None) => s.push_str(";rport"),
                None => {}
            }
            s.push_str(&params);
            s
        })
}

/// A Contact value.
pub(crate) fn contact() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("*".to_owned()),
        8 => (name_addr(), proptest::option::of(0u16..=1000), proptest::option::of(any::<u32>()), header_params())
            .prop_map(|(na, q, e, p)| {
                let mut s = na;
                if let Some(q) = q {
                    s.push_str(&format!(";q={}.{:03}", q / 1000, q % 1000));
                }
                if let Some(e) = e {
                    s.push_str(&format!(";expires={e}"));
                }
                s.push_str(&p);
                s
            }),
    ]
}

/// Digest credentials.
pub(crate) fn credentials() -> impl Strategy<Value = String> {
    (
        quotable(),
        domain(),
        "[a-zA-Z0-9+/]{8,24}={0,2}",
        sip_uri(),
        "[0-9a-f]{32}",
        any::<u32>(),
    )
        .prop_map(|(user, realm, nonce, uri, resp, nc)| {
            format!(
                "Digest username={}, realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{resp}\", algorithm=MD5, qop=auth, nc={nc:08x}, cnonce=\"abc\"",
                quote(&user)
            )
        })
}

/// A header field: its name as written and a valid value for it.
pub(crate) fn header_field() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        via().prop_map(|v| ("Via".to_owned(), v)),
        via().prop_map(|v| ("v".to_owned(), v)),
        from_to().prop_map(|v| ("From".to_owned(), v)),
        from_to().prop_map(|v| ("t".to_owned(), v)),
        contact().prop_map(|v| ("Contact".to_owned(), v)),
        name_addr().prop_map(|v| ("Route".to_owned(), v)),
        (1u32..1_000_000, select(vec!["INVITE", "REGISTER", "X-NEW"]))
            .prop_map(|(n, m)| ("CSeq".to_owned(), format!("{n} {m}"))),
        "[a-zA-Z0-9.!%*_+`'~()<>:\\\\/\\[\\]?{}-]{1,20}(@[a-z0-9.]{1,10})?"
            .prop_map(|v| ("Call-ID".to_owned(), v)),
        (0u32..=255).prop_map(|v| ("Max-Forwards".to_owned(), v.to_string())),
        credentials().prop_map(|v| ("Authorization".to_owned(), v)),
        ("[A-Z][A-Za-z0-9-]{0,14}", "[ -~]{0,30}")
            .prop_map(|(n, v)| (format!("X-{n}"), v.trim().to_owned())),
        "[a-zA-Z0-9-]{1,10}(, ?[a-zA-Z0-9-]{1,10}){0,3}".prop_map(|v| ("Supported".to_owned(), v)),
    ]
}

/// A whole message: (bytes, its parts) with a correct Content-Length.
#[derive(Clone, Debug)]
pub(crate) struct Generated {
    pub(crate) bytes: Vec<u8>,
    pub(crate) request: Option<(String, String)>,
    pub(crate) status: Option<(u16, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

pub(crate) fn message() -> impl Strategy<Value = Generated> {
    let start = prop_oneof![
        (
            prop_oneof![
                select(vec![
                    "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "MESSAGE"
                ])
                .prop_map(str::to_owned),
                token()
            ],
            uri()
        )
            .prop_map(|(m, u)| (Some((m, u)), None)),
        (100u16..700, "[ -~]{0,20}").prop_map(|(c, r)| (None, Some((c, r.trim().to_owned())))),
    ];
    (start, vec(header_field(), 0..12), vec(any::<u8>(), 0..64)).prop_map(
        |((request, status), mut headers, body)| {
            headers.push(("Content-Length".to_owned(), body.len().to_string()));
            let mut bytes = Vec::new();
            match (&request, &status) {
                (Some((m, u)), _) => {
                    bytes.extend_from_slice(format!("{m} {u} SIP/2.0\r\n").as_bytes())
                }
                (_, Some((c, r))) => {
                    bytes.extend_from_slice(format!("SIP/2.0 {c} {r}\r\n").as_bytes())
                }
                _ => unreachable!(),
            }
            for (n, v) in &headers {
                bytes.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&body);
            Generated {
                bytes,
                request,
                status,
                headers,
                body,
            }
        },
    )
}
