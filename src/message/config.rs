/// Limits and leniency of the message parser.
///
/// Every limit bounds memory or work on hostile input; exceeding one is a
/// [`crate::ParseError`]. Build one from [`ParseConfig::default`] and change
/// fields.
///
/// ```
/// let mut config = imsip::ParseConfig::default();
/// config.max_headers = 64;
/// config.allow_bare_lf = true;
/// let msg = imsip::MessageRef::parse_with(b"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n\n", &config).unwrap();
/// assert_eq!(msg.header_count(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseConfig {
    /// Largest message in octets, header section and body together
    /// (default 65 535, the largest UDP payload). Whatever this says, the
    /// start line and header fields may take at most 65 535 octets
    /// ([`crate::ParseErrorKind::HeaderSectionTooLarge`]).
    pub max_message_size: usize,
    /// Most header fields (lines, folds joined) in one message (default 256).
    pub max_headers: usize,
    /// Longest header field, folds included, in octets (default 16 384; at
    /// most 65 535).
    pub max_line_length: usize,
    /// Most Via values in one message (default 70, the usual Max-Forwards).
    pub max_via: usize,
    /// Accept lines ending in a bare LF (default `false`: RFC 3261 requires
    /// CRLF).
    pub allow_bare_lf: bool,
    /// Accept a datagram whose header section runs to the end of the datagram
    /// without the empty line (default `true`: the datagram bounds the
    /// message, and the body is then empty).
    pub allow_unterminated_datagram: bool,
}

impl ParseConfig {
    /// The default configuration as a constant.
    pub const DEFAULT: ParseConfig = ParseConfig {
        max_message_size: 65_535,
        max_headers: 256,
        max_line_length: 16_384,
        max_via: 70,
        allow_bare_lf: false,
        allow_unterminated_datagram: true,
    };
}

impl Default for ParseConfig {
    fn default() -> Self {
        ParseConfig::DEFAULT
    }
}
