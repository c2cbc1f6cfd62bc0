//! Character classes and grammar primitives of RFC 3261 §25, shared by every
//! parser in the crate.
//!
//! Everything here works on bytes and positions so that callers can slice the
//! input without copying. Classes contain only ASCII bytes (or, where noted, all
//! non-ASCII bytes), so a position found by scanning a class is always on a UTF-8
//! character boundary of a `str` input.

use std::borrow::Cow;

pub(crate) const TOKEN: u16 = 1 << 0;
pub(crate) const WORD: u16 = 1 << 1;
pub(crate) const UNRESERVED: u16 = 1 << 2;
/// `user` characters apart from escapes.
pub(crate) const USER: u16 = 1 << 3;
/// `password` characters apart from escapes.
pub(crate) const PASSWORD: u16 = 1 << 4;
/// `paramchar` apart from escapes.
pub(crate) const PARAM: u16 = 1 << 5;
/// `hname` / `hvalue` characters apart from escapes.
pub(crate) const HNV: u16 = 1 << 6;
/// Characters of a host name or IPv4 address.
pub(crate) const HOST: u16 = 1 << 7;
/// `uric`: reserved and unreserved characters (escapes apart).
pub(crate) const URIC: u16 = 1 << 8;
pub(crate) const DIGIT: u16 = 1 << 9;
pub(crate) const ALPHA: u16 = 1 << 10;
pub(crate) const HEX: u16 = 1 << 11;
/// Characters after the first of a URI scheme.
pub(crate) const SCHEME: u16 = 1 << 12;
/// Space and horizontal tab.
pub(crate) const WSP: u16 = 1 << 13;
/// Characters of a generic-param value outside quotes: token, and the extra
/// characters of `host` (IPv6 references).
pub(crate) const GEN_VALUE: u16 = 1 << 14;
/// Octets that stand for themselves inside a quoted string: `qdtext` apart
/// from line breaks (space, tab, `%x21`, `%x23-5B`, `%x5D-7E`, non-ASCII).
pub(crate) const QDTEXT: u16 = 1 << 15;

const fn set(table: &mut [u16; 256], chars: &[u8], class: u16) {
    let mut i = 0;
    while i < chars.len() {
        table[chars[i] as usize] |= class;
        i += 1;
    }
}

const fn set_range(table: &mut [u16; 256], from: u8, to: u8, class: u16) {
    let mut c = from as usize;
    while c <= to as usize {
        table[c] |= class;
        c += 1;
    }
}

const fn build() -> [u16; 256] {
    let mut t = [0u16; 256];
    let alnum = TOKEN
        | WORD
        | UNRESERVED
        | USER
        | PASSWORD
        | PARAM
        | HNV
        | HOST
        | URIC
        | SCHEME
        | GEN_VALUE;
    set_range(&mut t, b'a', b'z', alnum | ALPHA);
    set_range(&mut t, b'A', b'Z', alnum | ALPHA);
    set_range(&mut t, b'0', b'9', alnum | DIGIT | HEX);
    set_range(&mut t, b'a', b'f', HEX);
    set_range(&mut t, b'A', b'F', HEX);
    set(&mut t, b"-.!%*_+`'~", TOKEN | WORD | GEN_VALUE);
    set(&mut t, b"()<>:\\\"/[]?{}", WORD);
    // mark
    set(
        &mut t,
        b"-_.!~*'()",
        UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC,
    );
    set(&mut t, b"&=+$,;?/", USER);
    set(&mut t, b"&=+$,", PASSWORD);
    set(&mut t, b"[]/:&+$", PARAM);
    set(&mut t, b"[]/?:+$", HNV);
    set(&mut t, b"-.", HOST);
    set(&mut t, b";/?:@&=+$,", URIC);
    set(&mut t, b"+-.", SCHEME);
    set(&mut t, b" \t", WSP);
    set(&mut t, b"[]:", GEN_VALUE);
    set(&mut t, b" \t!", QDTEXT);
    set_range(&mut t, 0x23, 0x5b, QDTEXT);
    set_range(&mut t, 0x5d, 0x7e, QDTEXT);
    set_range(&mut t, 0x80, 0xff, QDTEXT);
    t
}

static CLASS: [u16; 256] = build();

/// Whether `hay` holds `b`: core's plain loop over short slices (a header value
/// such as a CSeq or a Max-Forwards), where `memchr`'s set-up costs more
/// than the search; `memchr` over longer ones.
#[inline]
pub(crate) fn has_byte(hay: &[u8], b: u8) -> bool {
    if hay.len() < 16 {
        hay.contains(&b)
    } else {
        memchr::memchr(b, hay).is_some()
    }
}

/// Whether `s` is `word` ignoring ASCII case, for a `word` known where
/// this is inlined (a header, parameter or transport name the crate
/// compares with): the one case fold of the crate. Eight octets are
/// compared at a time as one `u64`, the letters of `word` folded by setting
/// bit 5 on both sides (which maps an octet to a given lower-case letter
/// only from that letter in either case); other octets compare as they
/// are. Exact for any `s`; with `word` a constant, so are the masks.
#[inline(always)]
pub(crate) fn eq_fold(s: &[u8], word: &[u8]) -> bool {
    s.len() == word.len() && eq_chunks(s, word)
}

/// Octets `at..at + len` (at most eight) of `b` as a little-endian word:
/// eight at once, fewer one by one (a copy of a length known only at run
/// time would call `memcpy`).
#[inline(always)]
fn load(b: &[u8], at: usize, len: usize) -> u64 {
    if len == 8 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        return u64::from_le_bytes(w);
    }
    b[at..at + len]
        .iter()
        .rev()
        .fold(0, |w, &x| w << 8 | u64::from(x))
}

/// 0x20 at each letter of `word` (at most eight octets).
#[inline(always)]
fn letter_mask(word: &[u8]) -> u64 {
    let mut mask = [0u8; 8];
    for (m, w) in mask.iter_mut().zip(word) {
        if w.is_ascii_alphabetic() {
            *m = 0x20;
        }
    }
    u64::from_le_bytes(mask)
}

/// `s` and `word` (of one length) compared eight octets at a time, the
/// letters of `word` folded; the last eight overlap what was compared.
/// (Written without a closure: one is not always inlined, and the masks
/// must fold to constants.)
#[inline(always)]
fn eq_chunks(s: &[u8], word: &[u8]) -> bool {
    let n = word.len();
    if n <= 8 {
        let mask = letter_mask(word);
        return load(s, 0, n) | mask == load(word, 0, n) | mask;
    }
    let mut at = 0;
    while at + 8 < n {
        let mask = letter_mask(&word[at..at + 8]);
        if load(s, at, 8) | mask != load(word, at, 8) | mask {
            return false;
        }
        at += 8;
    }
    let mask = letter_mask(&word[n - 8..]);
    load(s, n - 8, 8) | mask == load(word, n - 8, 8) | mask
}

/// Whether every octet of `s` is visible ASCII, `0x21..=0x7e` (what a
/// Request-URI on the request line may hold): eight octets at a time with
/// the classic "has a byte less than / more than" word tests, which are
/// exact as a yes or no.
#[inline]
pub(crate) fn all_visible(s: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A byte below 0x21, or a byte above 0x7e.
        let below = w.wrapping_sub(LO * 0x21) & !w;
        let above = w.wrapping_add(LO) | w;
        if (below | above) & HI != 0 {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| (0x21..=0x7e).contains(&b))
}

/// Whether `s` is a list of tokens in the usual form, `token *( ","
/// [SP] token )`: every element [`ListElements`] yields from it is then a
/// token, which is what a list of methods or option tags must hold.
/// `false` says nothing (white space around commas, for one, is allowed
/// and left to the element-wise check).
pub(crate) fn fast_check_token_list(s: &[u8]) -> bool {
    let mut p = 0;
    loop {
        let end = scan(s, p, TOKEN);
        if end == p {
            return false;
        }
        match s.get(end) {
            None => return true,
            Some(b',') => {
                p = end + 1;
                if s.get(p) == Some(&b' ') {
                    p += 1;
                }
            }
            Some(_) => return false,
        }
    }
}

/// Whether `b` is in `class`.
#[inline(always)]
pub(crate) fn is(b: u8, class: u16) -> bool {
    CLASS[b as usize] & class != 0
}

/// Whether the whole of `s` is in `class` (and `s` is not empty).
#[inline]
pub(crate) fn all(s: &[u8], class: u16) -> bool {
    // The classes every octet has in common, without a branch per octet:
    // exact for a class of one bit, as every class here is.
    debug_assert!(class.is_power_of_two());
    let common = s
        .iter()
        .fold(u16::MAX, |acc, &b| acc & CLASS[usize::from(b)]);
    !s.is_empty() && common & class != 0
}

/// The position of the first byte at or after `pos` that is not in `class`.
#[inline(always)]
pub(crate) fn scan(s: &[u8], mut pos: usize, class: u16) -> usize {
    // Four octets a step while they all belong, then one at a time.
    while let Some(w) = s.get(pos..pos + 4) {
        let all = CLASS[usize::from(w[0])]
            & CLASS[usize::from(w[1])]
            & CLASS[usize::from(w[2])]
            & CLASS[usize::from(w[3])];
        if all & class == 0 {
            break;
        }
        pos += 4;
    }
    while pos < s.len() && is(s[pos], class) {
        pos += 1;
    }
    pos
}

/// Skips spaces and tabs.
#[inline(always)]
pub(crate) fn skip_wsp(s: &[u8], mut pos: usize) -> usize {
    while pos < s.len() && (s[pos] == b' ' || s[pos] == b'\t') {
        pos += 1;
    }
    pos
}

/// Skips linear white space: spaces, tabs and folds (CRLF, or a bare LF when the
/// message parser accepted one, followed by a space or tab).
#[inline]
pub(crate) fn skip_lws(s: &[u8], mut pos: usize) -> usize {
    loop {
        pos = skip_wsp(s, pos);
        match s.get(pos) {
            Some(b'\r') if s.get(pos + 1) == Some(&b'\n') && is_wsp_at(s, pos + 2) => pos += 3,
            Some(b'\n') if is_wsp_at(s, pos + 1) => pos += 2,
            _ => return pos,
        }
    }
}

#[inline]
fn is_wsp_at(s: &[u8], pos: usize) -> bool {
    matches!(s.get(pos), Some(b' ' | b'\t'))
}

/// Trims linear white space (including folds) from the end of `s[..end]`.
#[inline]
pub(crate) fn trim_lws_end(s: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(s[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
        end -= 1;
    }
    end
}

/// Whether a value contains a line fold or other CR/LF.
#[inline]
pub(crate) fn has_line_break(s: &[u8]) -> bool {
    memchr::memchr2(b'\r', b'\n', s).is_some()
}

/// Given `s[pos] == '"'`, returns the position just after the closing quote.
///
/// Accepts `qdtext` (including LWS folds and any non-ASCII byte) and
/// `quoted-pair`. Returns `Err(position)` of the offending byte, or of the end
/// of input when the quote is not closed.
pub(crate) fn quoted_string_end(s: &[u8], pos: usize) -> Result<usize, usize> {
    debug_assert_eq!(s.get(pos), Some(&b'"'));
    let mut i = pos + 1;
    while i < s.len() {
        i = scan(s, i, QDTEXT);
        match s.get(i) {
            None => break,
            Some(b'"') => return Ok(i + 1),
            Some(_) => i = text_step(s, i)?,
        }
    }
    Err(s.len())
}

/// One step through the text of a quoted string or a comment, at `i`
/// (not at one of their delimiters): a `quoted-pair`, a fold, or one
/// character. `Err(i)` for what neither may hold there: a control
/// character, a line break that is not a fold, or a backslash that starts
/// no quoted-pair.
#[inline]
pub(crate) fn text_step(s: &[u8], i: usize) -> Result<usize, usize> {
    match s[i] {
        b'\\' => match s.get(i + 1) {
            // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
            Some(&c) if c < 0x80 && c != b'\r' && c != b'\n' => Ok(i + 2),
            _ => Err(i),
        },
        b'\r' | b'\n' => {
            let after = skip_lws(s, i);
            if after == i { Err(i) } else { Ok(after) }
        }
        b'\t' => Ok(i + 1),
        c if c < 0x20 || c == 0x7f => Err(i),
        _ => Ok(i + 1),
    }
}

/// Decodes a quoted string (with its quotes) into its text: quoted-pairs are
/// resolved and folds become a single space. Borrows when nothing changes.
pub(crate) fn unquote(raw: &str) -> Cow<'_, str> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    if memchr::memchr3(b'\\', b'\r', b'\n', inner.as_bytes()).is_none() {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(i) = rest.find(['\\', '\r', '\n']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(escaped) = tail.strip_prefix('\\') {
            let mut chars = escaped.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        } else {
            // Linear white space with a fold counts as one SP (RFC 3261 §7.3.1).
            while out.ends_with([' ', '\t']) {
                out.pop();
            }
            out.push(' ');
            rest = tail.trim_start_matches(['\r', '\n', ' ', '\t']);
        }
    }
    out.push_str(rest);
    out.into()
}

/// Writes `text` as a quoted string, escaping `"`, `\` and control characters as
/// quoted-pairs. CR and LF cannot be represented and are written as spaces.
pub(crate) fn write_quoted(dst: &mut Vec<u8>, text: &str) {
    dst.push(b'"');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = scan(bytes, i, QDTEXT);
        dst.extend_from_slice(&bytes[i..run]);
        let Some(&b) = bytes.get(run) else { break };
        i = run + 1;
        match b {
            b'\r' | b'\n' => dst.push(b' '),
            b'"' | b'\\' => {
                dst.push(b'\\');
                dst.push(b);
            }
            c if (c < 0x20 && c != b'\t') || c == 0x7f => {
                dst.push(b'\\');
                dst.push(c);
            }
            c => dst.push(c),
        }
    }
    dst.push(b'"');
}

/// Whether `s` is one `token`.
#[inline]
pub(crate) fn is_token(s: &[u8]) -> bool {
    all(s, TOKEN)
}

/// The value of one hex digit.
#[inline]
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Scans characters of `class` and `%HEX HEX` escapes from `pos`. Returns the end
/// position, or `Err(position)` of a malformed escape.
#[inline]
pub(crate) fn scan_escaped(s: &[u8], mut pos: usize, class: u16) -> Result<usize, usize> {
    while pos < s.len() {
        let b = s[pos];
        if b == b'%' {
            if pos + 2 < s.len() && is(s[pos + 1], HEX) && is(s[pos + 2], HEX) {
                pos += 3;
            } else {
                return Err(pos);
            }
        } else if is(b, class) {
            pos += 1;
        } else {
            break;
        }
    }
    Ok(pos)
}

/// Iterates over the octets an escaped string stands for, each with whether
/// it was written as an escape (`%41` is `(b'A', true)`). Malformed escapes
/// are passed through literally.
pub(crate) fn decoded_units(s: &str) -> impl Iterator<Item = (u8, bool)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let c = *b.get(i)?;
        if c == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex_value),
                b.get(i + 2).copied().and_then(hex_value),
            )
        {
            i += 3;
            return Some((h << 4 | l, true));
        }
        i += 1;
        Some((c, false))
    })
}

/// Iterates over the octets that an escaped string stands for (`%41` is `A`).
pub(crate) fn unescaped_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    decoded_units(s).map(|(b, _)| b)
}

/// Decodes `%HEX HEX` escapes; borrows when there are none.
pub(crate) fn unescape(s: &str) -> Cow<'_, [u8]> {
    if !s.as_bytes().contains(&b'%') {
        return Cow::Borrowed(s.as_bytes());
    }
    Cow::Owned(unescaped_bytes(s).collect())
}

/// Compares two escaped strings: `%HH` of an unreserved character equals the
/// character; escapes of reserved characters stay distinct from them.
pub(crate) fn escaped_eq(a: &str, b: &str, ignore_case: bool) -> bool {
    if a == b {
        return true;
    }
    normalized(a, ignore_case).eq(normalized(b, ignore_case))
}

/// The comparison units of an escaped string: characters (case-folded when
/// asked), with `%HH` of unreserved characters decoded and `%HH` of others
/// kept apart from the characters.
fn normalized(s: &str, ignore_case: bool) -> impl Iterator<Item = u16> + '_ {
    decoded_units(s).map(move |(b, escaped)| {
        if escaped && !is(b, UNRESERVED) {
            0x100 | u16::from(b)
        } else {
            fold(u16::from(b), ignore_case)
        }
    })
}

fn fold(c: u16, ignore_case: bool) -> u16 {
    if ignore_case && (u16::from(b'A')..=u16::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// Escapes the bytes of `s` that are outside `class`.
pub(crate) fn escape(s: &str, class: u16) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if is(b, class) && b != b'%' {
            out.push(char::from(b));
        } else {
            push_escape(&mut out, b);
        }
    }
    out
}

/// Writes `b` as `%HH`, the hex digits in upper case.
pub(crate) fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// Parses a run of decimal digits into a `u64`, or `None` on overflow, when
/// empty, or when a non-digit is present.
#[inline]
pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// Parses decimal digits into a `u32`: `Err(true)` on overflow, `Err(false)`
/// when not digits.
#[inline]
pub(crate) fn parse_u32(s: &[u8]) -> Result<u32, bool> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(false);
    }
    let mut v: u32 = 0;
    for &b in s {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(b - b'0')))
            .ok_or(true)?;
    }
    Ok(v)
}

/// Splits a header value into list elements at commas that are outside quoted
/// strings and `<...>`, trimming white space around each element.
///
/// An empty value has no elements; otherwise every element is produced, empty
/// ones included, so that a typed parser can reject them.
#[derive(Clone, Debug)]
pub struct ListElements<'a> {
    rest: &'a [u8],
    offset: usize,
    done: bool,
}

impl<'a> ListElements<'a> {
    /// Splits `value`.
    pub fn new(value: &'a [u8]) -> Self {
        let start = skip_lws(value, 0);
        let done = trim_lws_end(value, start, value.len()) == start;
        ListElements {
            rest: value,
            offset: 0,
            done,
        }
    }

    /// The byte offset of the next element within the original value.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for ListElements<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        let s = self.rest;
        let end = top_level_comma(s).unwrap_or(s.len());
        let start = skip_lws(s, 0);
        let stop = trim_lws_end(s, start, end);
        let element = &s[start.min(stop)..stop];
        if end == s.len() {
            self.done = true;
            self.rest = &[];
        } else {
            self.rest = &s[end + 1..];
            self.offset += end + 1;
        }
        Some(element)
    }
}

/// The position of the first comma outside quotes and angle brackets.
#[inline]
pub(crate) fn top_level_comma(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut in_angle = false;
    while let Some(off) = memchr::memchr3(b',', b'"', if in_angle { b'>' } else { b'<' }, &s[i..]) {
        let p = i + off;
        match s[p] {
            b',' if !in_angle => return Some(p),
            b',' => i = p + 1,
            b'"' => match quoted_string_end(s, p) {
                Ok(end) => i = end,
                // An unterminated quote swallows the rest: one element.
                Err(_) => return None,
            },
            b'<' => {
                in_angle = true;
                i = p + 1;
            }
            _ => {
                in_angle = false;
                i = p + 1;
            }
        }
    }
    None
}

/// Counts the elements of a list value (what [`ListElements`] would produce).
pub(crate) fn count_elements(s: &[u8]) -> usize {
    let start = skip_lws(s, 0);
    if trim_lws_end(s, start, s.len()) == start {
        return 0;
    }
    let mut n = 1;
    let mut rest = s;
    while let Some(p) = top_level_comma(rest) {
        n += 1;
        rest = &rest[p + 1..];
    }
    n
}

/// Formats a value through its wire encoding (for `Display` impls).
pub(crate) fn fmt_encoded(
    f: &mut std::fmt::Formatter<'_>,
    encode: impl FnOnce(&mut Vec<u8>),
) -> std::fmt::Result {
    let mut out = Vec::new();
    encode(&mut out);
    f.write_str(&String::from_utf8_lossy(&out))
}

/// Writes an unsigned number in decimal.
#[inline]
pub(crate) fn write_u64(dst: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    dst.extend_from_slice(&buf[i..]);
}

/// Every value one octet away from `base`: each octet inserted at each
/// position, put in place of each octet, and each octet deleted. What the
/// shortcut checks are tested against.
#[cfg(test)]
pub(crate) fn one_octet_edits(base: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity((base.len() * 2 + 1) * 256 + base.len());
    for i in 0..=base.len() {
        for o in 0..=255u8 {
            out.push([&base[..i], &[o][..], &base[i..]].concat());
            if i < base.len() {
                out.push([&base[..i], &[o][..], &base[i + 1..]].concat());
            }
        }
        if i < base.len() {
            out.push([&base[..i], &base[i + 1..]].concat());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_token_list_splits_into_tokens() {
        // The claim, against the element-wise reading.
        let holds = |s: &[u8]| {
            let plain = fast_check_token_list(s);
            if plain {
                assert!(
                    ListElements::new(s).all(|e| !e.is_empty() && e.iter().all(|&b| is(b, TOKEN))),
                    "{s:?}"
                );
            }
            plain
        };
        for s in ["INVITE, ACK,BYE", "100rel", "a,b, c"] {
            assert!(holds(s.as_bytes()), "{s}");
        }
        for s in [
            "", ",", "a,", "a, ", "a ,b", "a,  b", "a,\tb", "a b", "a;b", "\"a\"",
        ] {
            assert!(!holds(s.as_bytes()), "{s}");
        }
        let mut accepted = 0;
        for base in ["INVITE, ACK,BYE", "a,b"] {
            for v in one_octet_edits(base.as_bytes()) {
                accepted += usize::from(holds(&v));
            }
        }
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn all_visible_is_exact() {
        let plain = |s: &[u8]| s.iter().all(|&b| (0x21..=0x7e).contains(&b));
        for len in [0, 1, 7, 8, 9, 16, 17, 23] {
            let base: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(all_visible(&base));
            for i in 0..len {
                for o in 0..=255u8 {
                    let mut s = base.clone();
                    s[i] = o;
                    assert_eq!(all_visible(&s), plain(&s), "{s:?}");
                    // Two odd octets in one word.
                    if i + 1 < len {
                        s[i + 1] = 0xff - o;
                        assert_eq!(all_visible(&s), plain(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn eq_fold_agrees_with_eq_ignore_ascii_case() {
        // Every octet in every position of words with letters, digits and
        // punctuation, short and long; and other lengths.
        for word in [
            &b"branch"[..],
            b"SIP/",
            b"TCP",
            b"TLS-SCTP",
            b"received",
            b"x",
            b"maddr-long-name",
            b"content-language",
            b"p-charging-function-addresses",
        ] {
            for i in 0..word.len() {
                for o in 0..=255u8 {
                    let mut s = word.to_vec();
                    s[i] = o;
                    assert_eq!(eq_fold(&s, word), s.eq_ignore_ascii_case(word), "{s:?}");
                }
            }
            assert!(eq_fold(&word.to_ascii_uppercase(), word));
            assert!(!eq_fold(&word[1..], word));
            assert!(!eq_fold(&[word, b"s"].concat(), word));
        }
    }

    #[test]
    fn classes() {
        assert!(is_token(b"z9hG4bK-.!%*_+`'~"));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b""));
        assert!(is(b'"', WORD) && !is(b'"', TOKEN));
        assert!(is(b';', USER) && !is(b';', PASSWORD));
        assert!(!is(0xc3, TOKEN | WORD | URIC));
    }

    #[test]
    fn lws() {
        assert_eq!(skip_lws(b"  \r\n  x", 0), 6);
        assert_eq!(skip_lws(b"\r\nx", 0), 0);
        assert_eq!(skip_lws(b" \t\n x", 0), 4);
    }

    #[test]
    fn quoted() {
        assert_eq!(quoted_string_end(br#""a\"b" x"#, 0), Ok(6));
        assert_eq!(quoted_string_end(br#""abc"#, 0), Err(4));
        assert_eq!(quoted_string_end(b"\"a\r\n b\"", 0), Ok(7));
        assert_eq!(quoted_string_end(b"\"a\r\nb\"", 0), Err(2));
        assert_eq!(quoted_string_end(b"\"a\x01\"", 0), Err(2));
        assert_eq!(unquote(r#""plain""#), Cow::Borrowed("plain"));
        assert_eq!(unquote(r#""J Rosenberg \\\"""#), "J Rosenberg \\\"");
        assert_eq!(unquote("\"a \r\n  b\""), "a b");
        let mut out = Vec::new();
        write_quoted(&mut out, "a\"b\\c\0");
        assert_eq!(out, b"\"a\\\"b\\\\c\\\0\"");
    }

    #[test]
    fn escapes() {
        assert_eq!(scan_escaped(b"a%41b;", 0, USER), Ok(6));
        assert_eq!(scan_escaped(b"a%4", 0, USER), Err(1));
        assert_eq!(scan_escaped(b"a%4g", 0, USER), Err(1));
        assert_eq!(unescape("%75se%72"), Cow::<[u8]>::Owned(b"user".to_vec()));
        assert_eq!(unescape("null-%00-null").as_ref(), b"null-\0-null");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u32(b"0009"), Ok(9));
        assert_eq!(parse_u32(b"4294967295"), Ok(u32::MAX));
        assert_eq!(parse_u32(b"4294967296"), Err(true));
        assert_eq!(parse_u32(b"-1"), Err(false));
        assert_eq!(parse_u64(b""), None);
        let mut out = Vec::new();
        write_u64(&mut out, 0);
        write_u64(&mut out, 18446744073709551615);
        assert_eq!(out, b"018446744073709551615");
    }

    #[test]
    fn lists() {
        let v: Vec<_> = ListElements::new(b"a, \"b,c\" ,<sip:x,y>;p=1,  d").collect();
        assert_eq!(
            v,
            vec![&b"a"[..], &b"\"b,c\""[..], &b"<sip:x,y>;p=1"[..], &b"d"[..]]
        );
        assert_eq!(ListElements::new(b"  ").count(), 0);
        let v: Vec<_> = ListElements::new(b";;,;,,").collect();
        assert_eq!(v, vec![&b";;"[..], &b";"[..], &b""[..], &b""[..]]);
        assert_eq!(count_elements(b";;,;,,"), 4);
        assert_eq!(count_elements(b"a"), 1);
        assert_eq!(count_elements(b"\"x"), 1);
    }
}
