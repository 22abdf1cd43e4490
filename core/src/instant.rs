//! Instants: submission times and deadlines, always tied to a UTC offset or an IANA time zone.
//!
//! An instant is written in RFC 3339 with an offset (`2020-09-04T13:30:00+02:00`,
//! `2020-09-04T11:30:00Z`), or as a local time with an IANA zone in brackets (RFC 9557:
//! `2020-09-04T13:30:00[Europe/Brussels]`). A naive date-time (no offset, no zone) is an error that
//! says so: "13:30" means different instants in Brussels and Dushanbe. Comparisons are always
//! between instants, never between wall-clock times.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A moment in time, with the offset or zone it was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instant {
    utc: DateTime<Utc>,
    offset: FixedOffset,
    zone: Option<Tz>,
}

/// An instant that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    /// A date-time without an offset or a zone.
    #[error(
        "naive datetime `{0}`: give a UTC offset (`2020-09-04T13:30:00+02:00`, `...Z`) or a time zone (`2020-09-04T13:30:00[Europe/Brussels]`)"
    )]
    Naive(String),
    /// A zone name that is not in the IANA database.
    #[error("unknown time zone `{0}`: use an IANA name such as `Europe/Brussels`")]
    UnknownZone(String),
    /// A local time that happens twice or never in its zone (a daylight-saving change).
    #[error(
        "local time `{0}` is ambiguous or does not exist in `{1}` (a daylight-saving change): give a UTC offset"
    )]
    Ambiguous(String, String),
    /// Not a date-time.
    #[error("invalid instant `{0}`: expected RFC 3339 such as `2020-09-04T13:30:00+02:00`")]
    Invalid(String),
}

impl InstantError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            InstantError::Naive(_) => "naive_datetime",
            InstantError::UnknownZone(_) => "unknown_time_zone",
            InstantError::Ambiguous(..) | InstantError::Invalid(_) => "invalid_instant",
        }
    }
}

/// The layout of an instant whose offset has seconds, as Java and JavaScript's Temporal write it
/// (`1880-01-01T12:00:00+00:17:30`): RFC 3339 offsets are whole minutes, but the local mean time
/// that zones kept before standard time was not (Brussels until 1892, Monrovia until 1972).
const OFFSET_WITH_SECONDS: &str = "%Y-%m-%dT%H:%M:%S%.f%::z";

/// Reads a date-time with an offset: RFC 3339, or a local date-time and an offset with seconds
/// (`±HH:MM:SS`, which chrono does not parse).
fn with_offset(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    let split = text.len().checked_sub("+00:00:00".len())?;
    let (local, offset) = (text.get(..split)?, text.get(split..)?);
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let field = |range: std::ops::Range<usize>| -> Option<i32> {
        let digits = offset.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    if offset.get(3..4)? != ":" || offset.get(6..7)? != ":" {
        return None;
    }
    let (h, m, s) = (field(1..3)?, field(4..6)?, field(7..9)?);
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    let offset = FixedOffset::east_opt(sign * (h * 3600 + m * 60 + s))?;
    offset.from_local_datetime(&naive(local)?).single()
}

/// Reads a local date-time `YYYY-MM-DDTHH:MM[:SS[.fff]]`.
fn naive(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// A local time in a zone, as an instant.
///
/// # Errors
/// [`InstantError::Ambiguous`] when the local time happens twice or never.
pub fn in_zone(local: NaiveDateTime, zone: Tz) -> Result<Instant, InstantError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(Instant {
            utc: t.with_timezone(&Utc),
            offset: t.fixed_offset().timezone(),
            zone: Some(zone),
        }),
        _ => Err(InstantError::Ambiguous(
            local.to_string(),
            zone.name().to_string(),
        )),
    }
}

/// An IANA zone by name.
///
/// # Errors
/// [`InstantError::UnknownZone`].
pub fn zone(name: &str) -> Result<Tz, InstantError> {
    Tz::from_str(name).map_err(|_| InstantError::UnknownZone(name.to_string()))
}

impl Instant {
    /// Reads an instant (see the module documentation).
    ///
    /// # Errors
    /// [`InstantError`] for a naive date-time, an unknown zone, an ambiguous local time or text
    /// that is not a date-time.
    pub fn parse(text: &str) -> Result<Instant, InstantError> {
        let t = text.trim();
        if let Some((local, rest)) = t.split_once('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| InstantError::Invalid(text.to_string()))?;
            let tz = zone(name)?;
            if let Some(with_offset) = with_offset(local) {
                // An offset and a zone: the offset fixes the instant; keep the zone for display.
                return Ok(Instant {
                    utc: with_offset.with_timezone(&Utc),
                    offset: *with_offset.offset(),
                    zone: Some(tz),
                });
            }
            let local = naive(local).ok_or_else(|| InstantError::Invalid(text.to_string()))?;
            return in_zone(local, tz);
        }
        if let Some(t) = with_offset(t) {
            return Ok(Instant {
                utc: t.with_timezone(&Utc),
                offset: *t.offset(),
                zone: None,
            });
        }
        if naive(t).is_some() {
            return Err(InstantError::Naive(text.to_string()));
        }
        Err(InstantError::Invalid(text.to_string()))
    }

    /// An instant from a UTC time.
    pub fn from_utc(utc: DateTime<Utc>) -> Instant {
        Instant {
            utc,
            offset: FixedOffset::east_opt(0).unwrap_or_else(|| utc.fixed_offset().timezone()),
            zone: None,
        }
    }

    /// The instant in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn epoch_millis(&self) -> i64 {
        self.utc.timestamp_millis()
    }

    /// The calendar date at the offset it was given in.
    pub fn local_date(&self) -> NaiveDate {
        self.utc.with_timezone(&self.offset).date_naive()
    }
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Instant {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc.cmp(&other.utc)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.utc.with_timezone(&self.offset);
        let text = if self.offset.local_minus_utc() % 60 == 0 {
            local.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        } else {
            // RFC 3339 would round the offset to the minute and so name another instant.
            local.format(OFFSET_WITH_SECONDS).to_string()
        };
        match self.zone {
            Some(z) => write!(f, "{text}[{}]", z.name()),
            None => f.write_str(&text),
        }
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Instant;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an instant such as \"2020-09-04T13:30:00+02:00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Instant, E> {
                Instant::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl schemars::JsonSchema for Instant {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An RFC 3339 instant with a UTC offset (2020-09-04T13:30:00+02:00), or a local time with an IANA zone (2020-09-04T13:30:00[Europe/Brussels])",
            "type": "string"
        })
    }
}

/// The earliest and latest instants a calendar day can end at, anywhere on Earth (UTC+14 to
/// UTC−12): a deadline known only as a day, without its time or zone, lies between them.
pub fn day_bounds_anywhere(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = day
        .succ_opt()
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let earliest = Utc.from_utc_datetime(&start) - chrono::Duration::hours(14);
    let latest = Utc.from_utc_datetime(&end) + chrono::Duration::hours(12);
    (earliest, latest)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_zones_give_the_same_instant() {
        let a = Instant::parse("2020-09-04T13:30:00+02:00").unwrap();
        let b = Instant::parse("2020-09-04T11:30:00Z").unwrap();
        let c = Instant::parse("2020-09-04T13:30:00[Europe/Brussels]").unwrap();
        let d = Instant::parse("2020-09-04T16:30:00+05:00").unwrap();
        assert_eq!(a.utc(), b.utc());
        assert_eq!(a.utc(), c.utc());
        assert_eq!(a.utc(), d.utc());
        assert_eq!(c.to_string(), "2020-09-04T13:30:00+02:00[Europe/Brussels]");
        assert_eq!(a.to_string(), "2020-09-04T13:30:00+02:00");
        assert_eq!(b.to_string(), "2020-09-04T11:30:00Z");
    }

    #[test]
    fn brussels_winter_time_is_one_hour_ahead_of_utc() {
        let t = Instant::parse("2015-10-30T12:00:00[Europe/Brussels]").unwrap();
        assert_eq!(t.utc().to_rfc3339(), "2015-10-30T11:00:00+00:00");
    }

    #[test]
    fn a_naive_datetime_is_an_error_that_says_so() {
        let e = Instant::parse("2020-09-04T13:30:00").unwrap_err();
        assert_eq!(e.code(), "naive_datetime");
        assert!(
            e.to_string()
                .starts_with("naive datetime `2020-09-04T13:30:00`")
        );
    }

    #[test]
    fn unknown_zones_and_dst_gaps_are_errors() {
        assert_eq!(
            Instant::parse("2020-09-04T13:30:00[Europe/Atlantis]")
                .unwrap_err()
                .code(),
            "unknown_time_zone"
        );
        // 02:30 on 29 March 2020 did not exist in Brussels (clocks went from 02:00 to 03:00).
        assert_eq!(
            Instant::parse("2020-03-29T02:30:00[Europe/Brussels]")
                .unwrap_err()
                .code(),
            "invalid_instant"
        );
        assert_eq!(
            Instant::parse("yesterday").unwrap_err().code(),
            "invalid_instant"
        );
    }

    #[test]
    fn local_mean_time_keeps_the_seconds_of_its_offset_and_round_trips() {
        // Brussels kept local mean time, 17 min 30 s ahead of UTC, until 1892. Found by fuzzing:
        // the offset used to be written rounded to `+00:18`, which names an instant 30 s off.
        let t = Instant::parse("1010-03-29T02:30:00[Europe/Brussels]").unwrap();
        assert_eq!(t.utc().to_rfc3339(), "1010-03-29T02:12:30+00:00");
        assert_eq!(
            t.to_string(),
            "1010-03-29T02:30:00+00:17:30[Europe/Brussels]"
        );
        assert_eq!(Instant::parse(&t.to_string()).unwrap(), t);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Instant>(&json).unwrap(), t);
        // Without a zone, an offset with seconds is read and written the same way.
        let u = Instant::parse("1880-01-01T12:00:00.5+00:17:30").unwrap();
        assert_eq!(u.utc().to_rfc3339(), "1880-01-01T11:42:30.500+00:00");
        assert_eq!(u.to_string(), "1880-01-01T12:00:00.500+00:17:30");
        assert_eq!(Instant::parse(&u.to_string()).unwrap(), u);
        // Whole-minute offsets are still written as RFC 3339.
        let v = Instant::parse("1900-01-01T12:00:00[Europe/Brussels]").unwrap();
        assert_eq!(v.to_string(), "1900-01-01T12:00:00Z[Europe/Brussels]");
    }

    #[test]
    fn a_day_ends_between_utc_plus_14_and_utc_minus_12() {
        let (e, l) = day_bounds_anywhere(NaiveDate::from_ymd_opt(2015, 10, 5).unwrap());
        assert_eq!(e.to_rfc3339(), "2015-10-04T10:00:00+00:00");
        assert_eq!(l.to_rfc3339(), "2015-10-06T12:00:00+00:00");
    }
}
