//! The Date header ([RFC 3261 §20.17](https://www.rfc-editor.org/rfc/rfc3261#section-20.17)):
//! `rfc1123-date` only, in GMT.

use std::fmt;

use super::{HeaderError, HeaderErrorKind, HeaderName, TypedHeader};

/// A day of the week (`wkday`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// `Mon`.
    Mon,
    /// `Tue`.
    Tue,
    /// `Wed`.
    Wed,
    /// `Thu`.
    Thu,
    /// `Fri`.
    Fri,
    /// `Sat`.
    Sat,
    /// `Sun`.
    Sun,
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl Weekday {
    /// The three-letter name (`Mon`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A month (`month`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Month {
    /// `Jan`.
    Jan = 1,
    /// `Feb`.
    Feb,
    /// `Mar`.
    Mar,
    /// `Apr`.
    Apr,
    /// `May`.
    May,
    /// `Jun`.
    Jun,
    /// `Jul`.
    Jul,
    /// `Aug`.
    Aug,
    /// `Sep`.
    Sep,
    /// `Oct`.
    Oct,
    /// `Nov`.
    Nov,
    /// `Dec`.
    Dec,
}

const MONTHS: [Month; 12] = [
    Month::Jan,
    Month::Feb,
    Month::Mar,
    Month::Apr,
    Month::May,
    Month::Jun,
    Month::Jul,
    Month::Aug,
    Month::Sep,
    Month::Oct,
    Month::Nov,
    Month::Dec,
];

impl Month {
    /// The month with number `n` (1 for January), if 1 ≤ `n` ≤ 12.
    pub fn from_number(n: u8) -> Option<Month> {
        MONTHS.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The month's number, 1 for January.
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The three-letter name (`Jan`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Month::Jan => "Jan",
            Month::Feb => "Feb",
            Month::Mar => "Mar",
            Month::Apr => "Apr",
            Month::May => "May",
            Month::Jun => "Jun",
            Month::Jul => "Jul",
            Month::Aug => "Aug",
            Month::Sep => "Sep",
            Month::Oct => "Oct",
            Month::Nov => "Nov",
            Month::Dec => "Dec",
        }
    }

    /// The number of days of the month in `year`.
    pub const fn days(self, year: u16) -> u8 {
        match self {
            Month::Feb if is_leap(year) => 29,
            Month::Feb => 28,
            Month::Apr | Month::Jun | Month::Sep | Month::Nov => 30,
            _ => 31,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// `Date: Sat, 13 Nov 2010 23:29:00 GMT`: when the request or response was
/// first sent, as an `rfc1123-date` (RFC 3261 §20.17 allows no other form
/// and no zone but `GMT`).
///
/// Parsing checks the names (case-insensitively, as ABNF strings are), the
/// digit counts, the day against the month and year, and the time (up to
/// 23:59:59); it does not check that the weekday agrees with the date
/// ([`Date::new`] and [`Date::from_unix_time`] compute it).
///
/// ```
/// use imsip::header::{Date, Month, TypedHeader, Weekday};
///
/// // RFC 3261 §20.17.
/// let d = Date::parse("Sat, 13 Nov 2010 23:29:00 GMT").unwrap();
/// assert_eq!((d.weekday, d.day, d.month, d.year), (Weekday::Sat, 13, Month::Nov, 2010));
/// assert_eq!((d.hour, d.minute, d.second), (23, 29, 0));
/// assert_eq!(d.unix_time(), 1289690940);
/// // RFC 4475 §3.1.2.12: only GMT is allowed.
/// assert!(Date::parse("Fri, 01 Jan 2010 16:00:00 EST").is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    /// The day of the week, as written.
    pub weekday: Weekday,
    /// The day of the month, 1 to 31.
    pub day: u8,
    /// The month.
    pub month: Month,
    /// The year, 0 to 9999.
    pub year: u16,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 59.
    pub second: u8,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The weekday of a day counted from 1970-01-01 (a Thursday).
fn weekday_of(days: i64) -> Weekday {
    // 0 is Monday.
    let index = (days + 3).rem_euclid(7);
    WEEKDAYS[usize::try_from(index).unwrap_or(0)]
}

impl Date {
    /// The date and time given, with its weekday computed; `None` when a
    /// field is out of range (year above 9999, day not in the month, ...).
    pub fn new(year: u16, month: Month, day: u8, hour: u8, minute: u8, second: u8) -> Option<Date> {
        if year > 9999
            || day == 0
            || day > month.days(year)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let days = days_from_civil(i64::from(year), i64::from(month.number()), i64::from(day));
        Some(Date {
            weekday: weekday_of(days),
            day,
            month,
            year,
            hour,
            minute,
            second,
        })
    }

    /// The date of a Unix time (seconds since 1970-01-01 00:00:00 GMT),
    /// if its year is 0 to 9999.
    pub fn from_unix_time(secs: i64) -> Option<Date> {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // civil_from_days
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            Month::from_number(u8::try_from(month).ok()?)?,
            u8::try_from(day).ok()?,
            u8::try_from(rem / 3600).ok()?,
            u8::try_from(rem / 60 % 60).ok()?,
            u8::try_from(rem % 60).ok()?,
        )
    }

    /// Seconds since 1970-01-01 00:00:00 GMT (negative before).
    pub fn unix_time(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month.number()),
            i64::from(self.day),
        );
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// Whether the weekday is the one the date falls on.
    pub fn weekday_is_consistent(&self) -> bool {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month.number()),
            i64::from(self.day),
        );
        weekday_of(days) == self.weekday
    }
}

/// Reads the fixed-width date at `pos` of `b`.
struct Reader<'b> {
    b: &'b [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, kind: HeaderErrorKind) -> HeaderError {
        HeaderError::new(kind, self.pos)
    }

    fn expect(&mut self, c: u8) -> Result<(), HeaderError> {
        if self.b.get(self.pos) == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(HeaderErrorKind::Expected(c)))
        }
    }

    /// Exactly `n` digits: fewer or more is [`HeaderErrorKind::Number`].
    fn digits(&mut self, n: usize) -> Result<u16, HeaderError> {
        let field = self
            .b
            .get(self.pos..self.pos + n)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .filter(|_| !self.b.get(self.pos + n).is_some_and(u8::is_ascii_digit))
            .ok_or(self.error(HeaderErrorKind::Number))?;
        self.pos += n;
        Ok(field.iter().fold(0, |v, d| v * 10 + u16::from(d - b'0')))
    }

    /// One of `names` (three letters, any case), as its index.
    fn name(&mut self, names: impl Iterator<Item = &'static str>) -> Result<usize, HeaderError> {
        let word = self.b.get(self.pos..self.pos + 3);
        let i = names
            .enumerate()
            .find(|(_, n)| word.is_some_and(|w| w.eq_ignore_ascii_case(n.as_bytes())))
            .ok_or(self.error(HeaderErrorKind::Token))?
            .0;
        self.pos += 3;
        Ok(i)
    }
}

/// The value of a two-digit field, checked against its maximum.
fn checked(value: u16, max: u16, at: usize) -> Result<u8, HeaderError> {
    if value > max {
        return Err(HeaderError::new(HeaderErrorKind::OutOfRange, at));
    }
    u8::try_from(value).map_err(|_| HeaderError::new(HeaderErrorKind::OutOfRange, at))
}

impl TypedHeader<'_> for Date {
    const NAME: HeaderName = HeaderName::Date;

    fn parse(value: &str) -> Result<Self, HeaderError> {
        let b = value.as_bytes();
        let start = crate::syntax::skip_lws(b, 0);
        let end = crate::syntax::trim_lws_end(b, start, b.len());
        if start == end {
            return Err(HeaderError::new(HeaderErrorKind::Empty, start));
        }
        let mut r = Reader {
            b: &b[..end],
            pos: start,
        };
        let weekday = WEEKDAYS[r.name(WEEKDAYS.iter().map(|w| w.as_str()))?];
        r.expect(b',')?;
        r.expect(b' ')?;
        let day_at = r.pos;
        let day = r.digits(2)?;
        r.expect(b' ')?;
        let month = MONTHS[r.name(MONTHS.iter().map(|m| m.as_str()))?];
        r.expect(b' ')?;
        let year = r.digits(4)?;
        let day = match checked(day, u16::from(month.days(year)), day_at)? {
            0 => return Err(HeaderError::new(HeaderErrorKind::OutOfRange, day_at)),
            d => d,
        };
        r.expect(b' ')?;
        let at = r.pos;
        let hour = checked(r.digits(2)?, 23, at)?;
        r.expect(b':')?;
        let at = r.pos;
        let minute = checked(r.digits(2)?, 59, at)?;
        r.expect(b':')?;
        let at = r.pos;
        let second = checked(r.digits(2)?, 59, at)?;
        r.expect(b' ')?;
        if !r
            .b
            .get(r.pos..)
            .is_some_and(|z| z.eq_ignore_ascii_case(b"GMT"))
        {
            return Err(r.error(HeaderErrorKind::Expected(b'G')));
        }
        Ok(Date {
            weekday,
            day,
            month,
            year,
            hour,
            minute,
            second,
        })
    }

    fn encode(&self, dst: &mut Vec<u8>) {
        let two = |dst: &mut Vec<u8>, v: u8| {
            dst.push(b'0' + v / 10 % 10);
            dst.push(b'0' + v % 10);
        };
        dst.extend_from_slice(self.weekday.as_str().as_bytes());
        dst.extend_from_slice(b", ");
        two(dst, self.day);
        dst.push(b' ');
        dst.extend_from_slice(self.month.as_str().as_bytes());
        dst.push(b' ');
        let y = self.year % 10_000;
        two(dst, u8::try_from(y / 100).unwrap_or(0));
        two(dst, u8::try_from(y % 100).unwrap_or(0));
        dst.push(b' ');
        two(dst, self.hour);
        dst.push(b':');
        two(dst, self.minute);
        dst.push(b':');
        two(dst, self.second);
        dst.extend_from_slice(b" GMT");
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::syntax::fmt_encoded(f, |out| self.encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> HeaderErrorKind {
        Date::parse(s).unwrap_err().kind()
    }

    #[test]
    fn examples() {
        // RFC 3261 §20.17 and RFC 2616 §3.3.1.
        for (text, unix, canonical) in [
            (
                "Sat, 13 Nov 2010 23:29:00 GMT",
                1_289_690_940,
                "Sat, 13 Nov 2010 23:29:00 GMT",
            ),
            (
                "Sun, 06 Nov 1994 08:49:37 GMT",
                784_111_777,
                "Sun, 06 Nov 1994 08:49:37 GMT",
            ),
            (
                "  thu, 01 JAN 1970 00:00:00 gmt ",
                0,
                "Thu, 01 Jan 1970 00:00:00 GMT",
            ),
            (
                "Tue, 29 Feb 2000 12:00:00 GMT",
                951_825_600,
                "Tue, 29 Feb 2000 12:00:00 GMT",
            ),
        ] {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.unix_time(), unix, "{text}");
            assert!(d.weekday_is_consistent(), "{text}");
            assert_eq!(d.to_string(), canonical);
            assert_eq!(Date::from_unix_time(unix), Some(d));
        }
        let d = Date::new(2010, Month::Jan, 1, 16, 0, 0).unwrap();
        assert_eq!(d.to_string(), "Fri, 01 Jan 2010 16:00:00 GMT");
        assert!(
            !Date::parse("Mon, 01 Jan 2010 16:00:00 GMT")
                .unwrap()
                .weekday_is_consistent()
        );
        assert_eq!(
            Date::from_unix_time(-1).unwrap().to_string(),
            "Wed, 31 Dec 1969 23:59:59 GMT"
        );
        assert_eq!(Date::from_unix_time(253_402_300_800), None);
        assert_eq!(
            Date::new(0, Month::Mar, 1, 0, 0, 0).unwrap().to_string(),
            "Wed, 01 Mar 0000 00:00:00 GMT"
        );
        assert_eq!(Date::new(2011, Month::Feb, 29, 0, 0, 0), None);
    }

    #[test]
    fn malformed() {
        for (text, k) in [
            // RFC 4475 §3.1.2.12 (baddate): a zone other than GMT.
            (
                "Fri, 01 Jan 2010 16:00:00 EST",
                HeaderErrorKind::Expected(b'G'),
            ),
            (
                "Fri, 01 Jan 2010 16:00:00 GMTX",
                HeaderErrorKind::Expected(b'G'),
            ),
            ("Fri, 01 Jan 2010 16:00:00", HeaderErrorKind::Expected(b' ')),
            ("", HeaderErrorKind::Empty),
            ("Fry, 01 Jan 2010 16:00:00 GMT", HeaderErrorKind::Token),
            (
                "Friday, 01 Jan 2010 16:00:00 GMT",
                HeaderErrorKind::Expected(b','),
            ),
            (
                "Fri 01 Jan 2010 16:00:00 GMT",
                HeaderErrorKind::Expected(b','),
            ),
            ("Fri,  01 Jan 2010 16:00:00 GMT", HeaderErrorKind::Number),
            ("Fri, 1 Jan 2010 16:00:00 GMT", HeaderErrorKind::Number),
            ("Fri, 001 Jan 2010 16:00:00 GMT", HeaderErrorKind::Number),
            (
                "Fri, 01 January 2010 16:00:00 GMT",
                HeaderErrorKind::Expected(b' '),
            ),
            ("Fri, 01 Jam 2010 16:00:00 GMT", HeaderErrorKind::Token),
            ("Fri, 01 Jan 10 16:00:00 GMT", HeaderErrorKind::Number),
            ("Fri, 32 Jan 2010 16:00:00 GMT", HeaderErrorKind::OutOfRange),
            ("Fri, 00 Jan 2010 16:00:00 GMT", HeaderErrorKind::OutOfRange),
            ("Sun, 29 Feb 2010 16:00:00 GMT", HeaderErrorKind::OutOfRange),
            ("Fri, 01 Jan 2010 24:00:00 GMT", HeaderErrorKind::OutOfRange),
            ("Fri, 01 Jan 2010 16:60:00 GMT", HeaderErrorKind::OutOfRange),
            ("Fri, 01 Jan 2010 16:00:60 GMT", HeaderErrorKind::OutOfRange),
            (
                "Fri, 01 Jan 2010 16.00:00 GMT",
                HeaderErrorKind::Expected(b':'),
            ),
            // RFC 850 and asctime dates are not allowed in SIP.
            (
                "Sunday, 06-Nov-94 08:49:37 GMT",
                HeaderErrorKind::Expected(b','),
            ),
            ("Sun Nov  6 08:49:37 1994", HeaderErrorKind::Expected(b',')),
        ] {
            assert_eq!(kind(text), k, "{text}");
        }
    }
}
