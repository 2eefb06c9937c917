//! [`DateTime`]: a point in time in UTC, to the nanosecond, with the three text forms of the
//! Smithy timestamp formats (epoch seconds, RFC 3339, IMF-fixdate).
//!
//! The calendar is the proleptic Gregorian one, converted to and from days since the epoch in
//! whole 400-year eras (Howard Hinnant's days-from-civil algorithms), in integers: every `i64`
//! second is representable, and nothing here overflows or panics.

use std::fmt;
use std::time::{Duration, SystemTime};

/// A point in time, in UTC, to the nanosecond. Timestamps in generated types use this type.
///
/// `Default` is the Unix epoch. `Display` and `Debug` write RFC 3339 (`2024-01-31T12:00:00.5Z`).
/// Conversions: [`SystemTime`] both ways, seconds and milliseconds since the epoch, and, for
/// callers of other date crates, [`DateTime::from_secs_and_nanos`] with [`DateTime::secs`] and
/// [`DateTime::subsec_nanos`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// Whole seconds since the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds since the epoch and nanoseconds after them; `None` unless `nanos` is below
    /// one second.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Option<Self> {
        if nanos < NANOS_PER_SEC {
            Some(DateTime { secs, nanos })
        } else {
            None
        }
    }

    /// Milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime { secs: millis.div_euclid(1000), nanos: millis.rem_euclid(1000) as u32 * 1_000_000 }
    }

    /// Fractional seconds since the epoch, to the nearest nanosecond; `None` when not finite
    /// or out of range.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        // i64::MAX as f64 rounds up to 2^63, which is out of range, hence the strict bound.
        if !secs.is_finite() || !(-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&secs) {
            return None;
        }
        let whole = secs.floor();
        let mut nanos = ((secs - whole) * 1e9).round() as u32;
        let mut whole = whole as i64;
        if nanos >= NANOS_PER_SEC {
            nanos -= NANOS_PER_SEC;
            whole = whole.checked_add(1)?;
        }
        Some(DateTime { secs: whole, nanos })
    }

    /// The current time.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Whole seconds since the epoch (rounded down: 0.5 s before the epoch is `-1`).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds after [`DateTime::secs`], below one second.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch, rounded down; `None` if that overflows an `i64`.
    pub fn to_millis(&self) -> Option<i64> {
        self.secs.checked_mul(1000)?.checked_add(i64::from(self.nanos / 1_000_000))
    }

    /// Seconds since the epoch as a float (the nearest `f64`).
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// This time minus `earlier`, in whole milliseconds (rounded toward negative infinity),
    /// saturating at the ends of `i64`.
    pub fn millis_since(&self, earlier: &DateTime) -> i64 {
        let nanos = (i128::from(self.secs) - i128::from(earlier.secs)) * 1_000_000_000
            + (i128::from(self.nanos) - i128::from(earlier.nanos));
        i64::try_from(nanos.div_euclid(1_000_000)).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX })
    }

    /// The calendar fields of this time in UTC.
    fn civil(&self) -> Civil {
        let days = self.secs.div_euclid(SECS_PER_DAY);
        let in_day = self.secs.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (in_day / 3600) as u32,
            minute: (in_day / 60 % 60) as u32,
            second: (in_day % 60) as u32,
            weekday: (days + 4).rem_euclid(7) as usize, // 1970-01-01 was a Thursday.
        }
    }

    /// `YYYY`, `MM`, `DD`, `hh`, `mm`, `ss` in UTC (what SigV4's timestamps are made of).
    pub(crate) fn fields(&self) -> (i64, u32, u32, u32, u32, u32) {
        let c = self.civil();
        (c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// RFC 3339 in UTC, with a fraction of 3, 6 or 9 digits only when there is one:
    /// `2024-01-31T12:00:00Z`, `2024-01-31T12:00:00.500Z`.
    pub fn to_rfc3339(&self) -> String {
        let mut out = String::with_capacity(30);
        let c = self.civil();
        push_year(&mut out, c.year);
        out.push('-');
        push2(&mut out, c.month);
        out.push('-');
        push2(&mut out, c.day);
        out.push('T');
        push_clock(&mut out, &c);
        if self.nanos != 0 {
            let (value, digits) = if self.nanos % 1_000_000 == 0 {
                (self.nanos / 1_000_000, 3)
            } else if self.nanos % 1000 == 0 {
                (self.nanos / 1000, 6)
            } else {
                (self.nanos, 9)
            };
            out.push('.');
            push_padded(&mut out, value, digits);
        }
        out.push('Z');
        out
    }

    /// IMF-fixdate (RFC 9110), whole seconds: `Wed, 31 Jan 2024 12:00:00 GMT`.
    pub fn to_http_date(&self) -> String {
        let mut out = String::with_capacity(29);
        let c = self.civil();
        out.push_str(WEEKDAYS[c.weekday]);
        out.push_str(", ");
        push2(&mut out, c.day);
        out.push(' ');
        out.push_str(MONTHS[c.month as usize - 1]);
        out.push(' ');
        push_year(&mut out, c.year);
        out.push(' ');
        push_clock(&mut out, &c);
        out.push_str(" GMT");
        out
    }

    /// Reads an RFC 3339 date-time (`YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T` and `Z` in
    /// either case) with any offset. Digits of the fraction past nanoseconds are dropped.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let mut p = Cursor(s.as_bytes());
        let year = i64::from(p.digits(4)?);
        p.byte(b'-')?;
        let month = p.digits(2)?;
        p.byte(b'-')?;
        let day = p.digits(2)?;
        match p.next()? {
            b'T' | b't' | b' ' => {}
            _ => return None,
        }
        let (hour, minute, second) = p.clock()?;
        let nanos = p.fraction()?;
        let offset = match p.next()? {
            b'Z' | b'z' => 0,
            sign @ (b'+' | b'-') => {
                let h = i64::from(p.digits(2)?);
                p.byte(b':')?;
                let m = i64::from(p.digits(2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let offset = h * 3600 + m * 60;
                if sign == b'-' {
                    -offset
                } else {
                    offset
                }
            }
            _ => return None,
        };
        if !p.0.is_empty() {
            return None;
        }
        Self::from_fields(year, month, day, hour, minute, second, nanos, offset)
    }

    /// Reads an HTTP date: IMF-fixdate with an optional fraction of a second
    /// (`Wed, 31 Jan 2024 12:00:00.5 GMT`), and the RFC 5322 forms senders also use (no
    /// weekday, a one-digit day, a numeric zone such as `+0200`, `UT` or `UTC`).
    pub fn parse_http_date(s: &str) -> Option<Self> {
        let mut p = Cursor(s.trim().as_bytes());
        // The weekday is redundant; it is checked to be one, not to agree with the date.
        if p.0.first().is_some_and(u8::is_ascii_alphabetic) {
            let name = p.take(3)?;
            WEEKDAYS.iter().position(|w| w.as_bytes().eq_ignore_ascii_case(name))?;
            p.byte(b',')?;
            p.spaces();
        }
        let day = p.up_to_digits(2)?;
        p.spaces1()?;
        let name = p.take(3)?;
        let month = MONTHS.iter().position(|m| m.as_bytes().eq_ignore_ascii_case(name))? as u32 + 1;
        p.spaces1()?;
        let year = i64::from(p.digits(4)?);
        p.spaces1()?;
        let (hour, minute, second) = p.clock()?;
        let nanos = p.fraction()?;
        p.spaces1()?;
        let zone = std::str::from_utf8(p.0).ok()?;
        let offset = match zone {
            z if ["GMT", "UT", "UTC", "Z"].iter().any(|g| g.eq_ignore_ascii_case(z)) => 0,
            z if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
                let h: i64 = z.get(1..3)?.parse().ok()?;
                let m: i64 = z.get(3..5)?.parse().ok()?;
                if !z[1..].bytes().all(|b| b.is_ascii_digit()) || m > 59 {
                    return None;
                }
                if z.starts_with('-') {
                    -(h * 3600 + m * 60)
                } else {
                    h * 3600 + m * 60
                }
            }
            _ => return None,
        };
        Self::from_fields(year, month, day, hour, minute, second, nanos, offset)
    }

    /// Reads decimal epoch seconds exactly (no float rounding of the fraction): `1515531081`,
    /// `1515531081.1234`, `-1.5`; exponent forms (`1.5e9`) go through `f64`.
    pub fn parse_epoch_seconds(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.contains(['e', 'E']) {
            return Self::from_secs_f64(text.parse().ok()?);
        }
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let secs: i64 = int.parse().ok()?;
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let nanos = nanos_of(frac.as_bytes());
        if int.starts_with('-') && nanos > 0 {
            return Some(DateTime { secs: secs.checked_sub(1)?, nanos: NANOS_PER_SEC - nanos });
        }
        Some(DateTime { secs, nanos })
    }

    /// The time of a calendar date and clock reading at `offset` seconds east of UTC; `None`
    /// for a date or time that does not exist. A leap second (`:60`) is the last nanosecond
    /// of its minute's second 59, the closest instant this type holds.
    #[allow(clippy::too_many_arguments)]
    fn from_fields(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        nanos: u32,
        offset: i64,
    ) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let (second, nanos) = if second == 60 { (59, NANOS_PER_SEC - 1) } else { (second, nanos) };
        let secs =
            days_from_civil(year, month, day) * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second) - offset;
        Some(DateTime { secs, nanos })
    }
}

impl From<SystemTime> for DateTime {
    /// Saturates at the ends of the `i64` seconds range.
    fn from(t: SystemTime) -> Self {
        match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => DateTime { secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: d.subsec_nanos() },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).map_or(i64::MIN, |s| -s);
                if d.subsec_nanos() == 0 {
                    DateTime { secs, nanos: 0 }
                } else {
                    DateTime { secs: secs.saturating_sub(1), nanos: NANOS_PER_SEC - d.subsec_nanos() }
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = OutOfRange;

    /// Fails when the platform's `SystemTime` cannot hold the time.
    fn try_from(t: DateTime) -> Result<Self, OutOfRange> {
        let since = if t.secs >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(Duration::new(t.secs.unsigned_abs(), 0))
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(Duration::new(t.secs.unsigned_abs(), 0))
        };
        since.and_then(|s| s.checked_add(Duration::from_nanos(u64::from(t.nanos)))).ok_or(OutOfRange(t))
    }
}

/// A [`DateTime`] that the platform's [`SystemTime`] cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange(pub DateTime);

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is out of the range of the system clock", self.0)
    }
}

impl std::error::Error for OutOfRange {}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: usize,
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years from 0000-03-01).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01: the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Four digits for years 0 to 9999; outside them a sign and at least four digits
/// (`+10000`, `-0001`), as ISO 8601's expanded years and `chrono` write them.
fn push_year(out: &mut String, year: i64) {
    use fmt::Write as _;
    if (0..=9999).contains(&year) {
        push_padded(out, year as u32, 4);
    } else {
        let _ = write!(out, "{year:+05}");
    }
}

/// `hh:mm:ss`.
fn push_clock(out: &mut String, c: &Civil) {
    push2(out, c.hour);
    out.push(':');
    push2(out, c.minute);
    out.push(':');
    push2(out, c.second);
}

fn push2(out: &mut String, n: u32) {
    push_padded(out, n, 2);
}

/// The nanoseconds of a fraction's decimal digits (ASCII digits; those past nine dropped).
fn nanos_of(digits: &[u8]) -> u32 {
    (0..9).fold(0, |nanos, i| nanos * 10 + digits.get(i).map_or(0, |b| u32::from(b - b'0')))
}

/// `n` in decimal, zero-padded to `width` digits.
pub(crate) fn push_padded(out: &mut String, n: u32, width: u32) {
    for i in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(i) % 10) as u8));
    }
}

/// What is left of a date being read.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn byte(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, &self.0[n..]);
        self.0 = rest;
        Some(head)
    }

    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let head = self.take(n)?;
        head.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
    }

    /// One to `n` digits.
    fn up_to_digits(&mut self, n: usize) -> Option<u32> {
        let count = self.0.iter().take(n).take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        self.digits(count)
    }

    /// `hh:mm:ss`.
    fn clock(&mut self) -> Option<(u32, u32, u32)> {
        let hour = self.digits(2)?;
        self.byte(b':')?;
        let minute = self.digits(2)?;
        self.byte(b':')?;
        let second = self.digits(2)?;
        Some((hour, minute, second))
    }

    /// An optional `.` and one or more digits, as nanoseconds (digits past nine dropped).
    fn fraction(&mut self) -> Option<u32> {
        if self.0.first() != Some(&b'.') {
            return Some(0);
        }
        self.0 = &self.0[1..];
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        Some(nanos_of(self.take(count)?))
    }

    fn spaces(&mut self) {
        while self.0.first() == Some(&b' ') {
            self.0 = &self.0[1..];
        }
    }

    /// At least one space.
    fn spaces1(&mut self) -> Option<()> {
        self.byte(b' ')?;
        self.spaces();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn chrono_of(t: DateTime) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.timestamp_opt(t.secs, t.nanos).single().expect("in chrono's range")
    }

    /// Times spread over years 0 to 9999, with fractions of every width, and the edges.
    fn samples() -> Vec<DateTime> {
        let mut rng = fastrand::Rng::with_seed(7);
        let (lo, hi) = (-62_167_219_200_i64, 253_402_300_799_i64); // 0000-01-01, 9999-12-31T23:59:59
        let mut out: Vec<DateTime> =
            [lo, -1, 0, 1, 951_782_400, 1_709_164_800, hi].into_iter().map(DateTime::from_secs).collect();
        for i in 0..20_000 {
            let nanos = match i % 4 {
                0 => 0,
                1 => rng.u32(0..1000) * 1_000_000,
                2 => rng.u32(0..1_000_000) * 1000,
                _ => rng.u32(0..NANOS_PER_SEC),
            };
            out.push(DateTime { secs: rng.i64(lo..=hi), nanos });
        }
        out
    }

    #[test]
    fn formats_as_chrono_does() {
        for t in samples() {
            let c = chrono_of(t);
            assert_eq!(t.to_rfc3339(), c.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), "{t:?}");
            assert_eq!(t.to_http_date(), c.format("%a, %d %b %Y %H:%M:%S GMT").to_string(), "{t:?}");
        }
        // Years past 9999 and before 0.
        for secs in [253_402_300_800_i64, -62_167_219_201, 1_000_000_000_000, -1_000_000_000_000] {
            let t = DateTime::from_secs(secs);
            let c = chrono_of(t);
            assert_eq!(t.to_rfc3339(), c.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
        }
    }

    #[test]
    fn reads_back_what_it_writes_and_what_chrono_writes() {
        for t in samples() {
            assert_eq!(DateTime::parse_rfc3339(&t.to_rfc3339()), Some(t));
            let whole = DateTime::from_secs(t.secs);
            assert_eq!(DateTime::parse_http_date(&t.to_http_date()), Some(whole));
            let c = chrono_of(t);
            let offset = chrono::FixedOffset::east_opt((t.secs.rem_euclid(1500) as i32 - 750) * 60).unwrap();
            let text = c.with_timezone(&offset).to_rfc3339_opts(chrono::SecondsFormat::Nanos, false);
            if text.starts_with(|c: char| c.is_ascii_digit()) {
                assert_eq!(DateTime::parse_rfc3339(&text), Some(t), "{text}");
            }
            let text = c.to_rfc2822();
            if !text.contains("+0000") || !(1..=9999).contains(&c.format("%Y").to_string().parse::<i32>().unwrap()) {
                continue;
            }
            assert_eq!(DateTime::parse_http_date(&text), Some(whole), "{text}");
        }
    }

    #[test]
    fn reads_epoch_seconds_exactly() {
        let t = DateTime::parse_epoch_seconds("1515531081.1234").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_515_531_081, 123_400_000));
        let t = DateTime::parse_epoch_seconds("-1.25").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 750_000_000));
        assert_eq!(DateTime::parse_epoch_seconds("1.5e9"), Some(DateTime::from_secs(1_500_000_000)));
        assert_eq!(DateTime::parse_epoch_seconds("0.0000000001"), Some(DateTime::UNIX_EPOCH));
        for bad in ["", "x", "1.2.3", "1.-2", "1e400", "nan", "-", "99999999999999999999"] {
            assert_eq!(DateTime::parse_epoch_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:61Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+2400",
            "2024-01-01T00:00:00Zjunk",
            "24-01-01T00:00:00Z",
            "２０２４-01-01T00:00:00Z",
        ] {
            assert_eq!(DateTime::parse_rfc3339(bad), None, "{bad}");
        }
        for bad in ["Fri, 30 Feb 2024 00:00:00 GMT", "Thu, 01 Jan 1970 00:00:00", "Xyz, 01 Jan 1970 00:00:00 GMT", ""] {
            assert_eq!(DateTime::parse_http_date(bad), None, "{bad}");
        }
        assert_eq!(DateTime::parse_rfc3339("2000-02-29T00:00:00Z"), Some(DateTime::from_secs(951_782_400)));
        assert_eq!(
            DateTime::parse_rfc3339("1985-04-12T23:59:60z").map(|t| (t.secs(), t.subsec_nanos())),
            Some((482_198_399, 999_999_999))
        );
        assert_eq!(
            DateTime::parse_http_date("Tue, 1 Jul 2003 10:52:37 +0200"),
            DateTime::parse_rfc3339("2003-07-01T08:52:37Z")
        );
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let before = SystemTime::UNIX_EPOCH - Duration::new(1, 250_000_000);
        let t = DateTime::from(before);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 750_000_000));
        assert_eq!(SystemTime::try_from(t), Ok(before));
        let now = SystemTime::now();
        assert_eq!(SystemTime::try_from(DateTime::from(now)), Ok(now));
        assert_eq!(DateTime::from_millis(-1), DateTime { secs: -1, nanos: 999_000_000 });
        assert_eq!(DateTime::from_millis(-1).to_millis(), Some(-1));
        assert_eq!(DateTime::from_secs(10).millis_since(&DateTime::from_millis(9_999)), 1);
        assert_eq!(DateTime::from_secs(i64::MAX).millis_since(&DateTime::from_secs(i64::MIN)), i64::MAX);
        assert_eq!(DateTime::from_secs_f64(-0.5), Some(DateTime { secs: -1, nanos: 500_000_000 }));
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY), None);
        assert_eq!(DateTime::from_secs_f64(1e19), None);
        assert_eq!(DateTime::from_secs_f64(0.9999999999), Some(DateTime::from_secs(1)));
    }

    #[test]
    fn extreme_seconds_format_without_panicking() {
        for secs in [i64::MIN, i64::MAX] {
            let t = DateTime { secs, nanos: NANOS_PER_SEC - 1 };
            assert!(!t.to_rfc3339().is_empty());
            assert!(!t.to_http_date().is_empty());
        }
    }
}
