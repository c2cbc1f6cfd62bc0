//! Offer/answer (RFC 3264): an answer from an offer and this side's
//! capabilities, the check of an answer against its offer, hold and
//! resume; the codec rules VoLTE needs (AMR and AMR-WB `octet-align` and
//! `mode-set`, RFC 4867 §8.3; `telephone-event` at the clock rate of a
//! chosen codec, RFC 4733 §7).

use std::net::IpAddr;

use thiserror::Error;

use super::attr::{Direction, Rtpmap, fmtp_param, fmtp_params};
use super::build::{AttributeLine, MediaDescription, SessionDescription};
use super::edit::{Part, SdpEditor};
use super::{Media, Sdp, SdpError};

/// A codec this side supports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Codec {
    /// The encoding name (`AMR-WB`, `PCMU`...), compared without case.
    pub encoding: String,
    /// The clock rate.
    pub clock: u32,
    /// The channels (1 when `None`).
    pub channels: Option<u16>,
    /// Format parameters this side requires or offers (`octet-align=1`,
    /// `mode-set=0,2,4,7`), as an `fmtp` writes them.
    pub fmtp: Option<String>,
}

impl Codec {
    /// A codec without format parameters.
    pub fn new(encoding: &str, clock: u32) -> Codec {
        Codec {
            encoding: encoding.to_owned(),
            clock,
            channels: None,
            fmtp: None,
        }
    }

    /// The same codec with format parameters.
    pub fn with_fmtp(mut self, fmtp: &str) -> Codec {
        self.fmtp = Some(fmtp.to_owned());
        self
    }
}

/// What this side does with one kind of media (`audio`, `video`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamConfig {
    /// The media type.
    pub media: String,
    /// The port to receive on.
    pub port: u16,
    /// The codecs, most preferred first (an offer lists them in this order;
    /// an answer keeps the offer's order).
    pub codecs: Vec<Codec>,
    /// Whether it takes DTMF as `telephone-event`.
    pub telephone_event: bool,
    /// What it wants to do: send and receive, only one, or neither.
    pub direction: Direction,
    /// The packet time it asks for, when any.
    pub ptime: Option<u32>,
    /// The transport protocols it takes (`RTP/AVP`, `RTP/AVPF`): a stream
    /// offered over another (`RTP/SAVP` needs keys this side would have to
    /// give) is rejected.
    pub protocols: Vec<String>,
}

impl StreamConfig {
    /// Audio on `port` with `codecs`, `telephone-event`, `sendrecv`.
    pub fn audio(port: u16, codecs: Vec<Codec>) -> StreamConfig {
        StreamConfig {
            media: "audio".to_owned(),
            port,
            codecs,
            telephone_event: true,
            direction: Direction::SendRecv,
            ptime: None,
            protocols: vec!["RTP/AVP".to_owned(), "RTP/AVPF".to_owned()],
        }
    }
}

/// This side's capabilities: its address, session id and streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The address for `o=` and `c=`.
    pub address: IpAddr,
    /// The session id (and first version).
    pub session_id: u64,
    /// The streams, at most one per media type.
    pub streams: Vec<StreamConfig>,
}

/// Why an answer is not a valid answer to its offer, or no answer can be
/// made.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OfferAnswerError {
    /// A description does not parse.
    #[error(transparent)]
    Sdp(#[from] SdpError),
    /// The answer has another number of media descriptions than the offer
    /// (RFC 3264 §6).
    #[error("the answer has {answer} media descriptions, the offer {offer}")]
    MediaCount {
        /// In the offer.
        offer: usize,
        /// In the answer.
        answer: usize,
    },
    /// A media description of the answer is of another type than the
    /// offer's at the same place.
    #[error("media description {0} changed its type")]
    MediaType(usize),
    /// An accepted stream of the answer has a format the offer did not
    /// offer.
    #[error("media description {0}: a format the offer did not have")]
    Format(usize),
    /// An accepted stream's direction does not fit the offer's (RFC 3264
    /// §6.1).
    #[error("media description {0}: direction {1} does not answer the offer")]
    Direction(usize, Direction),
    /// AMR or AMR-WB parameters that do not answer the offer's (RFC 4867
    /// §8.3: the same `octet-align`, a `mode-set` within the offer's).
    #[error("media description {0}: AMR parameters do not answer the offer")]
    Amr(usize),
    /// An accepted stream of the answer was offered with port 0, or over
    /// another protocol (RFC 3264 §6).
    #[error("media description {0}: accepted with another port or protocol than offered")]
    Stream(usize),
    /// No stream of the offer could be accepted.
    #[error("no offered stream is acceptable")]
    NothingAcceptable,
}

/// The codec of a static RTP payload type (RFC 3551), for offers that
/// leave out its `rtpmap`.
fn static_codec(pt: u8) -> Option<(&'static str, u32)> {
    Some(match pt {
        0 => ("PCMU", 8000),
        3 => ("GSM", 8000),
        4 => ("G723", 8000),
        8 => ("PCMA", 8000),
        9 => ("G722", 8000),
        13 => ("CN", 8000),
        18 => ("G729", 8000),
        26 => ("JPEG", 90000),
        31 => ("H261", 90000),
        32 => ("MPV", 90000),
        34 => ("H263", 90000),
        _ => return None,
    })
}

/// The codec of format `f` in `media`: its `rtpmap`, else the static
/// payload type.
fn codec_of<'a>(media: &Media<'a, '_>, f: &str) -> Option<Rtpmap<'a>> {
    let pt: u8 = f.parse().ok()?;
    media.rtpmap(pt).or_else(|| {
        static_codec(pt).map(|(encoding, clock)| Rtpmap {
            payload: pt,
            encoding,
            clock,
            channels: None,
        })
    })
}

fn is_amr(encoding: &str) -> bool {
    encoding.eq_ignore_ascii_case("AMR") || encoding.eq_ignore_ascii_case("AMR-WB")
}

/// The AMR modes a `mode-set` allows (`None`: all).
fn mode_set(fmtp: Option<&str>) -> Option<Vec<u8>> {
    let set = fmtp_param(fmtp?, "mode-set")?;
    Some(
        set.split(',')
            .filter_map(|m| m.trim().parse().ok())
            .collect(),
    )
}

/// The AMR parameters that make a payload format configuration (RFC 4867
/// §8.3.1): both sides use the same values, or the payload type is not
/// theirs in common. With their defaults.
const AMR_CONFIGURATION: [(&str, &str); 4] = [
    ("octet-align", "0"),
    ("crc", "0"),
    ("robust-sorting", "0"),
    ("interleaving", ""),
];

/// The configuration of an AMR payload type, defaults filled in.
fn amr_configuration(fmtp: Option<&str>) -> [&str; 4] {
    AMR_CONFIGURATION
        .map(|(name, default)| fmtp.and_then(|p| fmtp_param(p, name)).unwrap_or(default))
}

/// Whether an answered AMR `fmtp` fits the offered one: the same
/// configuration, and modes within the offered `mode-set`.
fn amr_answers(offered: Option<&str>, answered: Option<&str>) -> bool {
    let modes_ok = match (mode_set(offered), mode_set(answered)) {
        (Some(o), Some(a)) => a.iter().all(|m| o.contains(m)),
        (Some(_), None) => false,
        _ => true,
    };
    modes_ok && amr_configuration(offered) == amr_configuration(answered)
}

/// For AMR: the `fmtp` of the answer when the offered parameters `offered`
/// and the local ones `local` agree (the same configuration, a common
/// `mode-set`), `Err` when they do not: the agreed `mode-set`, the
/// configuration as offered, and this side's own other parameters (what it
/// declares as a sender: `mode-change-capability`, `max-red`...). Other
/// codecs: the offer's parameters.
fn answer_fmtp(
    encoding: &str,
    offered: Option<&str>,
    local: Option<&str>,
) -> Result<Option<String>, ()> {
    if !is_amr(encoding) {
        return Ok(offered.map(str::to_owned));
    }
    if amr_configuration(offered) != amr_configuration(local) {
        return Err(());
    }
    let modes = match (mode_set(offered), mode_set(local)) {
        (Some(o), Some(l)) => {
            let common: Vec<u8> = o.into_iter().filter(|m| l.contains(m)).collect();
            if common.is_empty() {
                return Err(());
            }
            Some(common)
        }
        (o, l) => o.or(l),
    };
    let configuration = |name: &str| {
        AMR_CONFIGURATION
            .iter()
            .any(|(n, _)| name.eq_ignore_ascii_case(n))
    };
    let written = |(n, v): (&str, Option<&str>)| match v {
        Some(v) => format!("{n}={v}"),
        None => n.to_owned(),
    };
    // The configuration as offered, then this side's own parameters.
    let mut params: Vec<String> = fmtp_params(offered.unwrap_or(""))
        .filter(|(n, _)| configuration(n))
        .map(written)
        .collect();
    params.extend(
        fmtp_params(local.unwrap_or(""))
            .filter(|(n, _)| !configuration(n) && !n.eq_ignore_ascii_case("mode-set"))
            .map(written),
    );
    if let Some(m) = modes {
        let list: Vec<String> = m.iter().map(u8::to_string).collect();
        params.insert(0, format!("mode-set={}", list.join(",")));
    }
    Ok((!params.is_empty()).then(|| params.join(";")))
}

/// An offer of `local`'s streams (RFC 3264 §5): each stream on its port
/// over its first protocol, its codecs in order of preference (a static
/// RTP payload type where RFC 3551 gives one, else dynamic from 96, with
/// their `rtpmap` and `fmtp`), `telephone-event` (events 0–15) at each
/// codec clock rate when it takes DTMF, its `ptime` and its direction.
pub fn offer(local: &Capabilities) -> SessionDescription {
    let mut d = SessionDescription::new(local.address, local.session_id);
    for stream in &local.streams {
        let proto = stream.protocols.first().map_or("RTP/AVP", String::as_str);
        let mut m = MediaDescription::new(&stream.media, stream.port, proto);
        let mut dynamic = 96u8..=127;
        let mut clocks: Vec<u32> = Vec::new();
        let mut add = |m: &mut MediaDescription, codec: &Codec| {
            let known = (0..96).find(|&pt| {
                static_codec(pt).is_some_and(|(e, c)| {
                    e.eq_ignore_ascii_case(&codec.encoding) && c == codec.clock
                })
            });
            let Some(pt) = known.or_else(|| dynamic.next()) else {
                return;
            };
            let map = Rtpmap {
                payload: pt,
                encoding: &codec.encoding,
                clock: codec.clock,
                channels: codec.channels,
            };
            m.push_format(&pt.to_string());
            m.attributes
                .push(AttributeLine::new("rtpmap", Some(&map.to_string())));
            if let Some(p) = &codec.fmtp {
                m.attributes
                    .push(AttributeLine::new("fmtp", Some(&format!("{pt} {p}"))));
            }
        };
        for codec in &stream.codecs {
            add(&mut m, codec);
            if !clocks.contains(&codec.clock) {
                clocks.push(codec.clock);
            }
        }
        if stream.telephone_event {
            for clock in clocks {
                add(
                    &mut m,
                    &Codec::new("telephone-event", clock).with_fmtp("0-15"),
                );
            }
        }
        if let Some(ms) = stream.ptime {
            m.attributes
                .push(AttributeLine::new("ptime", Some(&ms.to_string())));
        }
        m.set_direction(stream.direction);
        d.media.push(m);
    }
    d
}

/// The answer to `offer` (RFC 3264 §6): one media description per offered
/// one, in order. A stream of a type this side has, with a codec in
/// common, is accepted on this side's port with the offered payload types
/// of the common codecs in the offer's order (their `fmtp` kept, AMR's
/// agreed), `telephone-event` at a chosen clock rate when both sides take
/// it, and the direction that answers the offer's (sendonly → recvonly,
/// recvonly → sendonly, inactive → inactive, as far as this side's wants
/// allow). Any other stream is rejected with port 0.
///
/// # Errors
/// [`OfferAnswerError::NothingAcceptable`] when no stream is accepted (the
/// caller answers 488), or an offer line that does not parse.
pub fn answer(
    offer: &Sdp<'_>,
    local: &Capabilities,
) -> Result<SessionDescription, OfferAnswerError> {
    let mut d = SessionDescription::new(local.address, local.session_id);
    let mut accepted = 0;
    // Each configured stream takes one offered stream: a second offered
    // stream of the same type would need a port of its own.
    let mut used = vec![false; local.streams.len()];
    for m in offer.media() {
        let line = m.line()?;
        // A stream with no address to send to cannot be accepted (RFC
        // 8866 §5.7: a `c=` in the session or the media description).
        let reachable = m.connection().is_some_and(|c| c.is_ok());
        let found = local.streams.iter().position(|s| {
            s.media.eq_ignore_ascii_case(&line.media)
                && s.protocols
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(&line.proto))
        });
        let config = match found {
            Some(i) if !used[i] && line.port != 0 && reachable => Some(&local.streams[i]),
            _ => None,
        };
        let mut out = MediaDescription::new(&line.media, 0, &line.proto);
        let mut chosen: Vec<(String, Rtpmap<'_>, Option<String>)> = Vec::new();
        if let Some(config) = config {
            for f in m.formats() {
                let Some(codec) = codec_of(&m, f) else {
                    continue;
                };
                let offered_fmtp = m.fmtp(f).map(|p| p.params);
                let found = config.codecs.iter().find_map(|c| {
                    let local = Rtpmap {
                        payload: codec.payload,
                        encoding: &c.encoding,
                        clock: c.clock,
                        channels: c.channels,
                    };
                    if !codec.same_codec(&local) {
                        return None;
                    }
                    answer_fmtp(codec.encoding, offered_fmtp, c.fmtp.as_deref()).ok()
                });
                if let Some(fmtp) = found {
                    chosen.push((f.to_owned(), codec, fmtp));
                }
            }
            if config.telephone_event {
                let clocks: Vec<u32> = chosen.iter().map(|c| c.1.clock).collect();
                for f in m.formats() {
                    if let Some(te) = codec_of(&m, f)
                        && te.encoding.eq_ignore_ascii_case("telephone-event")
                        && clocks.contains(&te.clock)
                        && !chosen.is_empty()
                    {
                        let fmtp = m.fmtp(f).map(|p| p.params.to_owned());
                        chosen.push((f.to_owned(), te, fmtp));
                    }
                }
            }
        }
        match (config, chosen.is_empty()) {
            (Some(config), false) => {
                if let Some(i) = found {
                    used[i] = true;
                }
                accepted += 1;
                out.line.port = config.port;
                for (f, codec, fmtp) in &chosen {
                    out.push_format(f);
                    out.attributes
                        .push(AttributeLine::new("rtpmap", Some(&codec.to_string())));
                    if let Some(p) = fmtp {
                        out.attributes
                            .push(AttributeLine::new("fmtp", Some(&format!("{f} {p}"))));
                    }
                }
                if let Some(ms) = config.ptime {
                    out.attributes
                        .push(AttributeLine::new("ptime", Some(&ms.to_string())));
                }
                let theirs = m.direction();
                let ours = Direction::from_flags(
                    theirs.receives() && config.direction.sends(),
                    theirs.sends() && config.direction.receives(),
                );
                out.set_direction(ours);
            }
            _ => {
                // Rejected: port 0, the offered formats (RFC 3264 §6).
                for f in m.formats() {
                    out.push_format(f);
                }
            }
        }
        d.media.push(out);
    }
    // An offer without streams gets an answer without streams (RFC 3264
    // §5); one whose streams are all refused, a 488.
    if accepted == 0 && offer.media_count() > 0 {
        return Err(OfferAnswerError::NothingAcceptable);
    }
    Ok(d)
}

/// Checks that `answer` answers `offer` (RFC 3264 §6, RFC 4867 §8.3): as
/// many media descriptions of the same types; in each accepted stream
/// only codecs the offer had, a direction that fits the offer's, and AMR
/// parameters within the offer's.
///
/// # Errors
/// The first [`OfferAnswerError`] found.
pub fn check_answer(offer: &Sdp<'_>, answer: &Sdp<'_>) -> Result<(), OfferAnswerError> {
    if offer.media_count() != answer.media_count() {
        return Err(OfferAnswerError::MediaCount {
            offer: offer.media_count(),
            answer: answer.media_count(),
        });
    }
    for (i, (o, a)) in offer.media().zip(answer.media()).enumerate() {
        let (ol, al) = (o.line()?, a.line()?);
        if !ol.media.eq_ignore_ascii_case(&al.media) {
            return Err(OfferAnswerError::MediaType(i));
        }
        if al.port == 0 {
            continue;
        }
        if ol.port == 0 || !ol.proto.eq_ignore_ascii_case(&al.proto) {
            return Err(OfferAnswerError::Stream(i));
        }
        for f in a.formats() {
            let Some(codec) = codec_of(&a, f) else {
                // A format without an RTP mapping must be one offered.
                if o.formats().any(|g| g == f) {
                    continue;
                }
                return Err(OfferAnswerError::Format(i));
            };
            // The offered format it answers: the same payload type when the
            // offer has it for this codec, else any of the codec's (a
            // renumbered answer).
            let mut offered: Vec<&str> = o
                .formats()
                .filter(|g| codec_of(&o, g).is_some_and(|c| c.same_codec(&codec)))
                .collect();
            if offered.is_empty() {
                return Err(OfferAnswerError::Format(i));
            }
            if offered.contains(&f) {
                offered = vec![f];
            }
            if is_amr(codec.encoding) {
                let af = a.fmtp(f).map(|p| p.params);
                if !offered
                    .iter()
                    .any(|g| amr_answers(o.fmtp(g).map(|p| p.params), af))
                {
                    return Err(OfferAnswerError::Amr(i));
                }
            }
        }
        let (od, ad) = (o.direction(), a.direction());
        if (ad.sends() && !od.receives()) || (ad.receives() && !od.sends()) {
            return Err(OfferAnswerError::Direction(i, ad));
        }
    }
    Ok(())
}

/// `sdp` (this side's last description) put on hold (RFC 3264 §8.4): every
/// accepted stream `sendonly` (`inactive` where it only received), the
/// version raised. The rest as it was.
///
/// # Errors
/// An `o=` or `m=` line that does not parse.
pub fn hold(sdp: &Sdp<'_>) -> Result<String, SdpError> {
    redirect(sdp, |d| Direction::from_flags(d.sends(), false))
}

/// `sdp` taken off hold: every accepted stream `sendrecv`, the version
/// raised.
///
/// # Errors
/// An `o=` or `m=` line that does not parse.
pub fn resume(sdp: &Sdp<'_>) -> Result<String, SdpError> {
    redirect(sdp, |_| Direction::SendRecv)
}

fn redirect(sdp: &Sdp<'_>, to: impl Fn(Direction) -> Direction) -> Result<String, SdpError> {
    let mut e = SdpEditor::new(sdp);
    e.bump_version()?;
    for m in sdp.media() {
        if m.line()?.port != 0 {
            e.set_direction(Part::Media(m.index()), to(m.direction()));
        }
    }
    Ok(e.finish())
}
