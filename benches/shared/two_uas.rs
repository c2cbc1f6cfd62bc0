//! Two user agents wired back to back in memory: each call is INVITE, 180,
//! 200, ACK, BYE, 200, every message encoded by one side and parsed by the
//! other, in virtual time.

use std::time::{Duration, Instant};

use imsip::ua::{Body, Call, UaConfig, UaEvent, UserAgent};
use imsip::uri::Uri;
use imsip::{Flow, StatusCode, Transport};

const OFFER: &str = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER: &str = "v=0\r\no=bob 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

pub(crate) struct Calls {
    alice: UserAgent,
    bob: UserAgent,
    now: Instant,
    step: Duration,
    flow: Flow,
    back: Flow,
    from: Uri<'static>,
    to: Uri<'static>,
    pub(crate) completed: u64,
}

impl Calls {
    /// `step` of virtual time passes per call, so transactions that wait
    /// out their timers stay alive as on a loaded element.
    pub(crate) fn new(transport: Transport, step: Duration) -> Calls {
        let config = |seed| {
            let mut c = UaConfig::default();
            c.endpoint.seed = Some(seed);
            // Room for every transaction that waits out its timers.
            c.endpoint.max_transactions = 1 << 20;
            c.reliable_provisional = false;
            c
        };
        let (a, b) = (
            "127.0.0.1:5060".parse().unwrap(),
            "127.0.0.2:5060".parse().unwrap(),
        );
        Calls {
            alice: UserAgent::new(config(1)),
            bob: UserAgent::new(config(2)),
            now: Instant::now(),
            step,
            flow: Flow::new(transport, a, b),
            back: Flow::new(transport, b, a),
            from: Uri::parse("sip:alice@127.0.0.1").unwrap().into_owned(),
            to: Uri::parse("sip:bob@127.0.0.2").unwrap().into_owned(),
            completed: 0,
        }
    }

    /// Moves every transmit across and answers events until quiet.
    fn pump(&mut self) {
        loop {
            let mut moved = false;
            while let Some(t) = self.alice.poll_transmit() {
                self.bob.handle_input(self.now, self.back, t.payload);
                moved = true;
            }
            while let Some(t) = self.bob.poll_transmit() {
                self.alice.handle_input(self.now, self.flow, t.payload);
                moved = true;
            }
            while let Some(e) = self.bob.poll_event() {
                if let UaEvent::IncomingCall { session, .. } = e {
                    self.bob
                        .progress(self.now, session, StatusCode::RINGING, None)
                        .unwrap();
                    self.bob
                        .answer(self.now, session, Some(Body::sdp(ANSWER)))
                        .unwrap();
                    moved = true;
                }
            }
            while let Some(e) = self.alice.poll_event() {
                match e {
                    UaEvent::Answered { session, .. } => {
                        self.alice.hangup(self.now, session).unwrap();
                        moved = true;
                    }
                    UaEvent::Ended { .. } => self.completed += 1,
                    _ => {}
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// One complete call.
    pub(crate) fn call(&mut self) {
        self.now += self.step;
        self.alice.handle_timeout(self.now);
        self.bob.handle_timeout(self.now);
        let call = Call::new(self.from.clone(), self.to.clone(), self.flow).body(Body::sdp(OFFER));
        self.alice.call(self.now, call).unwrap();
        self.pump();
    }
}
