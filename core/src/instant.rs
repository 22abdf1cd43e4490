//! Instants: submission times and deadlines, always tied to a UTC offset or an IANA time zone.
//!
//! An instant is written in RFC 3339 with an offset (`2020-09-04T13:30:00+02:00`,
//! `2020-09-04T11:30:00Z`), or as a local time with an IANA zone in brackets (RFC 9557:
//! `2020-09-04T13:30:00[Europe/Brussels]`). A naive date-time (no offset, no zone) is an error that
//! says so: "13:30" means different instants in Brussels and Dushanbe. Comparisons are always
//! between instants, never between wall-clock times.

use std::fmt;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg_attr(feature = "bundled-tz", allow(dead_code))]
mod zone_names;

/// A moment in time, with the offset or zone it was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instant {
    utc: DateTime<Utc>,
    offset: FixedOffset,
    zone: Option<Zone>,
}

/// An IANA time zone (`Europe/Brussels`), by its name as given.
///
/// Where its rules come from: with the feature `bundled-tz` (a default), the IANA database
/// compiled into euca by chrono-tz; without it, the [`ZoneRules`] a host registers with
/// [`set_zone_rules`] for the same names (those of the bundled database, kept in euca either
/// way). The WebAssembly package does the latter with JavaScript's `Intl`, which carries the
/// same database (updated with the browser or Node), and so ships about 145 KB (gzipped) smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(ZoneId);

#[cfg(feature = "bundled-tz")]
type ZoneId = chrono_tz::Tz;
/// The zone's name, a line of `zone_names::ZONE_NAMES`.
#[cfg(not(feature = "bundled-tz"))]
type ZoneId = &'static str;

impl Zone {
    /// The zone's name, as given (`Europe/Brussels`).
    pub fn name(&self) -> &str {
        #[cfg(feature = "bundled-tz")]
        return self.0.name();
        #[cfg(not(feature = "bundled-tz"))]
        return self.0;
    }
}

/// The time zone rules of a host, for a build of euca without its bundled database (the feature
/// `bundled-tz`): register them once with [`set_zone_rules`].
pub trait ZoneRules: Sync {
    /// Whether the host knows the zone of this name, one of the IANA names euca accepts (the
    /// bundled database's, in any build; a name that is not one is unknown without asking).
    fn knows(&self, name: &str) -> bool;
    /// The offset from UTC in seconds (east positive) in zone `name` at `utc` (seconds since
    /// 1970-01-01T00:00:00Z), or `None` when the host cannot tell.
    fn offset_at(&self, name: &str, utc: i64) -> Option<i32>;
}

static ZONE_RULES: std::sync::OnceLock<&'static dyn ZoneRules> = std::sync::OnceLock::new();

/// Registers the rules of the time zones of a build without the bundled database (the feature
/// `bundled-tz`); until then, every zone name is an [`InstantError::UnknownZone`]. The first
/// registration holds: returns whether this one did. With the bundled database the rules are
/// kept but not used.
pub fn set_zone_rules(rules: &'static dyn ZoneRules) -> bool {
    ZONE_RULES.set(rules).is_ok()
}

/// How a local time maps to UTC in a zone, given the zone's offset at any instant: the offsets
/// a day before and a day after are the candidates, and each that maps the local time back to
/// itself holds (none in a gap of a daylight-saving change, two in an overlap). Exact while a
/// zone changes its offset at most once in two days. `None` when `offset_at` cannot tell.
#[cfg_attr(all(feature = "bundled-tz", not(test)), allow(dead_code))]
pub(crate) fn resolve_local(
    local: i64,
    offset_at: impl Fn(i64) -> Option<i32>,
) -> Option<LocalResult<i32>> {
    const DAY: i64 = 86_400;
    let mut found: Vec<i32> = Vec::with_capacity(2);
    for probe in [local - DAY, local + DAY] {
        let offset = offset_at(probe)?;
        if !found.contains(&offset) && offset_at(local - i64::from(offset))? == offset {
            found.push(offset);
        }
    }
    Some(match found[..] {
        [one] => LocalResult::Single(one),
        [a, b] => LocalResult::Ambiguous(a.max(b), a.min(b)),
        _ => LocalResult::None,
    })
}

/// An instant that cannot be read. New kinds may be added (`Unplaced` was), so a match outside
/// euca needs a wildcard arm; [`InstantError::code`] gives every kind its stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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
    /// A local time the registered zone rules cannot place (a build without the bundled
    /// database: none registered, or the time beyond what they cover).
    #[error(
        "local time `{0}` in `{1}` is beyond what this build's time zone rules cover: give a UTC offset"
    )]
    Unplaced(String, String),
}

impl InstantError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            InstantError::Naive(_) => "naive_datetime",
            InstantError::UnknownZone(_) => "unknown_time_zone",
            InstantError::Ambiguous(..) | InstantError::Invalid(_) | InstantError::Unplaced(..) => {
                "invalid_instant"
            }
        }
    }
}

/// The layouts of date-times: those euca reads, written out as the items chrono's strftime reader
/// makes of them (`%Y-%m-%dT%H:%M` and the like), so that no strftime reader is compiled in
/// (about 13 KB of WebAssembly code; `layouts_are_what_strftime_makes` checks each against
/// `StrftimeItems`), and the two it writes, spelled out (`written_layouts_are_chronos`).
pub(crate) mod layout {
    use chrono::format::{Fixed, Item, Numeric, Pad};

    const fn n(numeric: Numeric) -> Item<'static> {
        Item::Numeric(numeric, Pad::Zero)
    }
    const DASH: Item<'static> = Item::Literal("-");
    const COLON: Item<'static> = Item::Literal(":");

    /// `%Y-%m-%dT%H:%M:%S%.f`, the layout of a local date-time with seconds and their fraction;
    /// [`MINUTE`] and [`SECOND`] are its first items.
    pub const FRACTION: &[Item<'static>] = &[
        n(Numeric::Year),
        DASH,
        n(Numeric::Month),
        DASH,
        n(Numeric::Day),
        Item::Literal("T"),
        n(Numeric::Hour),
        COLON,
        n(Numeric::Minute),
        COLON,
        n(Numeric::Second),
        Item::Fixed(Fixed::Nanosecond),
    ];
    /// `%Y-%m-%dT%H:%M`
    pub const MINUTE: &[Item<'static>] = FRACTION.split_at(9).0;
    /// `%Y-%m-%dT%H:%M:%S`
    pub const SECOND: &[Item<'static>] = FRACTION.split_at(11).0;

    // Written, the two layouts euca writes are spelled out rather than given to chrono's
    // writer of items: that writer handles every item chrono has (names of months and days,
    // case, RFC 2822) and brought Unicode's lower-case table into the WebAssembly modules.
    // `written_layouts_are_chronos` compares them with chrono's.

    /// The seconds of `time` as chrono's `%S` writes them (60 in a leap second).
    fn second_of(time: chrono::NaiveTime) -> u32 {
        use chrono::Timelike;
        time.second() + u32::from(time.nanosecond() >= 1_000_000_000)
    }

    /// `%Y-%m-%d %H:%M:%S` of a UTC time, as chrono writes that layout.
    pub fn utc_second(t: &chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Timelike;
        let local = t.naive_utc();
        let time = local.time();
        format!(
            "{} {:02}:{:02}:{:02}",
            local.date(),
            time.hour(),
            time.minute(),
            second_of(time)
        )
    }

    /// `%Y-%m-%dT%H:%M:%S%.f%::z` of a time at an offset, as chrono writes that layout: an
    /// instant whose offset has seconds, as Java and JavaScript's Temporal write it
    /// (`1880-01-01T12:00:00+00:17:30`). RFC 3339 offsets are whole minutes, but the local mean
    /// time that zones kept before standard time was not (Brussels until 1892, Monrovia until
    /// 1972).
    pub fn offset_with_seconds(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
        use chrono::Timelike;
        let local = t.naive_local();
        let time = local.time();
        let nano = time.nanosecond() % 1_000_000_000;
        let fraction = if nano == 0 {
            String::new()
        } else if nano.is_multiple_of(1_000_000) {
            format!(".{:03}", nano / 1_000_000)
        } else if nano.is_multiple_of(1_000) {
            format!(".{:06}", nano / 1_000)
        } else {
            format!(".{nano:09}")
        };
        let east = t.offset().local_minus_utc();
        let (sign, east) = if east < 0 { ('-', -east) } else { ('+', east) };
        format!(
            "{}T{:02}:{:02}:{:02}{fraction}{sign}{:02}:{:02}:{:02}",
            local.date(),
            time.hour(),
            time.minute(),
            second_of(time),
            east / 3600,
            east / 60 % 60,
            east % 60
        )
    }

    /// A local date-time read by `items`, as `NaiveDateTime::parse_from_str` reads its layout.
    pub fn local(text: &str, items: &[Item<'_>]) -> Option<chrono::NaiveDateTime> {
        let mut parsed = chrono::format::Parsed::new();
        chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
        parsed.to_naive_datetime_with_offset(0).ok()
    }
}

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

/// The common form of RFC 3339, `2020-09-04T11:30:00+02:00` or `2020-09-04T09:30:00Z`, read
/// digit by digit: what nearly every submission time looks like, in a fraction of the
/// instructions of chrono's general reader. `None` for any other text (a fraction of a second,
/// a leap second, a lower-case `t` or `z`, an offset past 23:59, a day that does not exist),
/// which chrono then reads or refuses as before; where this reads a text, it reads what chrono
/// reads (`plain_rfc3339_reads_what_chrono_reads`).
fn plain_rfc3339(text: &str) -> Option<DateTime<FixedOffset>> {
    /// The number of two ASCII digits, or `None` when either is not one. (Straight-line code
    /// rather than a fold over the digits: a batch reads a submission time on each row.)
    #[inline(always)]
    fn two(tens: u8, units: u8) -> Option<u32> {
        let (t, u) = (tens.wrapping_sub(b'0'), units.wrapping_sub(b'0'));
        (t < 10 && u < 10).then(|| u32::from(t) * 10 + u32::from(u))
    }
    let bytes = text.as_bytes();
    let (Some(local), Some(offset)) = (bytes.get(..19), bytes.get(19..)) else {
        return None;
    };
    let [
        y1,
        y2,
        y3,
        y4,
        b'-',
        m1,
        m2,
        b'-',
        d1,
        d2,
        b'T',
        h1,
        h2,
        b':',
        i1,
        i2,
        b':',
        s1,
        s2,
    ] = *local
    else {
        return None;
    };
    let east = match *offset {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (two(h1, h2)?, two(m1, m2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let year = i32::try_from(two(y1, y2)? * 100 + two(y3, y4)?).ok()?;
    let day = NaiveDate::from_ymd_opt(year, two(m1, m2)?, two(d1, d2)?)?;
    let (hour, minute, second) = (two(h1, h2)?, two(i1, i2)?, two(s1, s2)?);
    if second > 59 {
        return None;
    }
    let local = day.and_hms_opt(hour, minute, second)?;
    // The offset is fixed: the local time less the offset is the instant (what
    // `from_local_datetime` works out, without its `LocalResult`).
    let offset = FixedOffset::east_opt(east)?;
    let utc = local.checked_sub_offset(offset)?;
    Some(DateTime::from_naive_utc_and_offset(utc, offset))
}

/// Reads a local date-time `YYYY-MM-DDTHH:MM[:SS[.fff]]`.
fn naive(text: &str) -> Option<NaiveDateTime> {
    layout::local(text, layout::FRACTION).or_else(|| layout::local(text, layout::MINUTE))
}

/// A local time in a zone, as an instant.
///
/// # Errors
/// [`InstantError::Ambiguous`] when the local time happens twice or never;
/// [`InstantError::Unplaced`] when, without the bundled database, the registered rules cannot
/// tell (none registered, or a time beyond what they cover).
pub fn in_zone(local: NaiveDateTime, zone: Zone) -> Result<Instant, InstantError> {
    let ambiguous = || InstantError::Ambiguous(local.to_string(), zone.name().to_string());
    #[cfg(feature = "bundled-tz")]
    let offset = match zone.0.from_local_datetime(&local) {
        LocalResult::Single(t) => t.fixed_offset().timezone(),
        _ => return Err(ambiguous()),
    };
    #[cfg(not(feature = "bundled-tz"))]
    let offset = {
        let unplaced = || InstantError::Unplaced(local.to_string(), zone.name().to_string());
        let rules = ZONE_RULES.get().ok_or_else(unplaced)?;
        match resolve_local(local.and_utc().timestamp(), |t| rules.offset_at(zone.0, t)) {
            Some(LocalResult::Single(seconds)) => {
                FixedOffset::east_opt(seconds).ok_or_else(unplaced)?
            }
            Some(_) => return Err(ambiguous()),
            None => return Err(unplaced()),
        }
    };
    let t = offset
        .from_local_datetime(&local)
        .single()
        .ok_or_else(ambiguous)?;
    Ok(Instant {
        utc: t.with_timezone(&Utc),
        offset,
        zone: Some(zone),
    })
}

/// An IANA zone by name (exactly: `Europe/Brussels`, not `europe/brussels`).
///
/// # Errors
/// [`InstantError::UnknownZone`].
pub fn zone(name: &str) -> Result<Zone, InstantError> {
    let unknown = || InstantError::UnknownZone(name.to_string());
    #[cfg(feature = "bundled-tz")]
    return name
        .parse::<chrono_tz::Tz>()
        .map(Zone)
        .map_err(|_| unknown());
    #[cfg(not(feature = "bundled-tz"))]
    {
        match (zone_names::find(name), ZONE_RULES.get()) {
            (Some(name), Some(rules)) if rules.knows(name) => Ok(Zone(name)),
            _ => Err(unknown()),
        }
    }
}

impl Instant {
    /// Reads an instant (see the module documentation).
    ///
    /// # Errors
    /// [`InstantError`] for a naive date-time, an unknown zone, an ambiguous local time or text
    /// that is not a date-time.
    pub fn parse(text: &str) -> Result<Instant, InstantError> {
        // The common form first, before the text is searched for a zone.
        if let Some(t) = plain_rfc3339(text) {
            return Ok(Instant {
                utc: t.with_timezone(&Utc),
                offset: *t.offset(),
                zone: None,
            });
        }
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
            layout::offset_with_seconds(&local)
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
    use proptest::strategy::Strategy;

    /// Each written-out layout is the very list of items chrono's strftime reader makes of its
    /// layout, so it reads and writes as `parse_from_str` and `format` did.
    #[test]
    fn layouts_are_what_strftime_makes() {
        use chrono::format::{Item, StrftimeItems};
        let cases: [(&[Item<'static>], &str); 3] = [
            (layout::MINUTE, "%Y-%m-%dT%H:%M"),
            (layout::SECOND, "%Y-%m-%dT%H:%M:%S"),
            (layout::FRACTION, "%Y-%m-%dT%H:%M:%S%.f"),
        ];
        for (items, strftime) in cases {
            let made: Vec<Item<'_>> = StrftimeItems::new(strftime).collect();
            assert_eq!(items, made.as_slice(), "{strftime}");
        }
        let read = |text| layout::local(text, layout::FRACTION);
        assert_eq!(
            read("2020-09-04T13:30:00.25"),
            NaiveDateTime::parse_from_str("2020-09-04T13:30:00.25", "%Y-%m-%dT%H:%M:%S%.f").ok()
        );
        assert_eq!(read("2020-02-30T13:30:00"), None);
        assert_eq!(
            layout::local("2020-09-04T13:30", layout::MINUTE)
                .map(|t| t.to_string())
                .as_deref(),
            Some("2020-09-04 13:30:00")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The two layouts euca writes itself are written as chrono writes them, for any day
        /// chrono has, any time (a leap second and fractions of every length among them) and
        /// any offset.
        #[test]
        fn written_layouts_are_chronos(
            days in -95_000_000i64..95_000_000,
            seconds in 0u32..86_400,
            nano in proptest::prop_oneof![
                proptest::prelude::Just(0u32),
                (0u32..1_000).prop_map(|m| m * 1_000_000),
                (0u32..1_000_000).prop_map(|u| u * 1_000),
                0u32..2_000_000_000,
            ],
            east in -86_399i32..86_400,
        ) {
            let Some(day) = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).unwrap_or(0)) else {
                return Ok(());
            };
            // chrono keeps a leap second's nanoseconds past 10^9 only in a minute's last second.
            let nano = if nano >= 1_000_000_000 && seconds % 60 != 59 { nano - 1_000_000_000 } else { nano };
            let Some(time) = chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds, nano) else {
                return Ok(());
            };
            let offset = FixedOffset::east_opt(east).unwrap();
            let local = day.and_time(time);
            let Some(at) = offset.from_local_datetime(&local).single() else {
                return Ok(());
            };
            proptest::prop_assert_eq!(
                layout::offset_with_seconds(&at),
                at.format("%Y-%m-%dT%H:%M:%S%.f%::z").to_string()
            );
            let utc = at.with_timezone(&Utc);
            proptest::prop_assert_eq!(
                layout::utc_second(&utc),
                utc.format("%Y-%m-%d %H:%M:%S").to_string()
            );
        }

        /// Texts of the common RFC 3339 form, with digits anywhere in and out of range (a 30
        /// February, an hour 24, a leap second, an offset of 24:00), and each form it leaves to
        /// chrono: where `plain_rfc3339` reads one, chrono reads the same date-time and offset;
        /// where chrono refuses one, so does it.
        #[test]
        fn plain_rfc3339_reads_what_chrono_reads(
            year in 0u32..10_000,
            month in 0u32..14,
            day in 0u32..33,
            hour in 0u32..26,
            minute in 0u32..62,
            second in 0u32..62,
            offset_hours in 0u32..26,
            offset_minutes in 0u32..62,
            form in 0usize..8,
        ) {
            let local = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
            let text = match form {
                0 => format!("{local}+{offset_hours:02}:{offset_minutes:02}"),
                1 => format!("{local}-{offset_hours:02}:{offset_minutes:02}"),
                2 => format!("{local}Z"),
                3 => format!("{local}z"),
                4 => format!("{local}.5+{offset_hours:02}:{offset_minutes:02}"),
                5 => format!("{}t{}Z", &local[..10], &local[11..]),
                6 => format!("{local}+{offset_hours:02}{offset_minutes:02}"),
                _ => format!("{local}+{offset_hours:02}:{offset_minutes:02}:00"),
            };
            let chrono = DateTime::parse_from_rfc3339(&text).ok();
            match plain_rfc3339(&text) {
                Some(t) => {
                    proptest::prop_assert_eq!(Some(t), chrono);
                    proptest::prop_assert_eq!(t.offset(), chrono.as_ref().map(|c| c.offset()).unwrap());
                }
                None => proptest::prop_assert!(
                    chrono.is_none()
                        || form > 2
                        || second > 59
                        || (form < 2 && (offset_hours > 23 || offset_minutes > 59)),
                    "{text} is left to chrono, which reads it as {chrono:?}"
                ),
            }
        }
    }

    #[test]
    fn the_common_form_is_read_digit_by_digit() {
        for text in [
            "2020-09-04T11:30:00+02:00",
            "2020-09-04T11:30:00-05:30",
            "2020-09-04T09:30:00Z",
        ] {
            assert_eq!(
                plain_rfc3339(text),
                DateTime::parse_from_rfc3339(text).ok(),
                "{text}"
            );
            assert!(plain_rfc3339(text).is_some(), "{text}");
        }
        for text in [
            "2020-02-30T11:30:00Z",
            "2020-09-04T24:00:00Z",
            "2020-09-04T11:30:00+24:00",
            "2020-09-04 11:30:00Z",
            "2020-09-0xT11:30:00Z",
            // A units place past `9` (`:` is `0` + 10): day 10, month 11, if read as digits.
            "2020-09-0:T11:30:00Z",
            "2020-0;-04T11:30:00Z",
            "2020-09-04T11:3a:00Z",
            "2020-09-04T11:30:/0Z",
            "20x0-09-04T11:30:00Z",
            "2020-09-04T11:30:00+0x:00",
        ] {
            assert_eq!(plain_rfc3339(text), None, "{text}");
        }
    }

    #[cfg(feature = "bundled-tz")]
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

    #[cfg(feature = "bundled-tz")]
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

    #[cfg(feature = "bundled-tz")]
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

    #[cfg(feature = "bundled-tz")]
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

    /// What a build without the bundled database does with a host's offsets (`resolve_local`)
    /// is what chrono-tz does with its own rules, on every local time tried: each quarter hour
    /// around the changes of zones with daylight saving of an hour, of half an hour
    /// (Lord Howe), negative (Dublin), a skipped day (Apia, 2011) and local mean time with
    /// seconds (Monrovia), and a spread of instants from 1800 to 2100.
    #[cfg(feature = "bundled-tz")]
    #[test]
    fn resolving_a_local_time_from_offsets_agrees_with_the_bundled_database() {
        use chrono::{Offset, TimeZone};
        let zones = [
            "Europe/Brussels",
            "America/New_York",
            "Australia/Lord_Howe",
            "Europe/Dublin",
            "Pacific/Apia",
            "Africa/Monrovia",
            "Asia/Dushanbe",
            "America/Sao_Paulo",
        ];
        let offsets = |r: LocalResult<chrono::DateTime<chrono_tz::Tz>>| -> Vec<i32> {
            let mut v: Vec<i32> = match r {
                LocalResult::Single(t) => vec![t.offset().fix().local_minus_utc()],
                LocalResult::Ambiguous(a, b) => vec![
                    a.offset().fix().local_minus_utc(),
                    b.offset().fix().local_minus_utc(),
                ],
                LocalResult::None => vec![],
            };
            v.sort_unstable();
            v
        };
        let mut locals: Vec<i64> = Vec::new();
        // A spread of instants (a fixed linear congruential sequence) ...
        let (start, end) = (-5_364_662_400_i64, 4_102_444_800_i64); // 1800 .. 2100
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..4_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let span = u64::try_from(end - start).unwrap();
            locals.push(start + i64::try_from((x >> 11) % span).unwrap());
        }
        let mut tried = 0;
        let mut ambiguous_or_gap = 0;
        for name in zones {
            let tz: chrono_tz::Tz = name.parse().unwrap();
            let mut mine = locals.clone();
            // ... and every quarter hour of the two days around each change of offset in a
            // sample of years.
            for year in [
                1880, 1892, 1916, 1947, 1972, 1996, 2011, 2019, 2020, 2024, 2037,
            ] {
                let mut t = Utc
                    .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
                    .unwrap()
                    .timestamp();
                let year_end = Utc
                    .with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0)
                    .unwrap()
                    .timestamp();
                let offset_at = |t: i64| {
                    tz.offset_from_utc_datetime(
                        &DateTime::from_timestamp(t, 0).unwrap().naive_utc(),
                    )
                    .fix()
                    .local_minus_utc()
                };
                let mut before = offset_at(t);
                while t < year_end {
                    let now = offset_at(t);
                    if now != before {
                        let local = t + i64::from(now);
                        mine.extend((-96..=96).map(|q| local + q * 900));
                        before = now;
                    }
                    t += 3_600;
                }
            }
            for local in mine {
                let naive = DateTime::from_timestamp(local, 0).unwrap().naive_utc();
                let theirs = offsets(tz.from_local_datetime(&naive));
                let ours = match resolve_local(local, |t| {
                    let utc = DateTime::from_timestamp(t, 0)?.naive_utc();
                    Some(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
                })
                .unwrap()
                {
                    LocalResult::Single(o) => vec![o],
                    LocalResult::Ambiguous(a, b) => {
                        assert!(a > b, "the earlier instant (the larger offset) first");
                        vec![b, a]
                    }
                    LocalResult::None => vec![],
                };
                assert_eq!(ours, theirs, "{name} at local {naive}");
                tried += 1;
                ambiguous_or_gap += usize::from(theirs.len() != 1);
            }
        }
        assert!(tried > 40_000, "{tried} local times");
        assert!(
            ambiguous_or_gap > 300,
            "{ambiguous_or_gap} gaps and overlaps"
        );
    }

    /// The names a build without the bundled database accepts are exactly those of the bundled
    /// one (chrono-tz's `TZ_VARIANTS`), sorted for `binary_search`.
    #[cfg(feature = "bundled-tz")]
    #[test]
    fn the_zone_names_are_those_of_the_bundled_database() {
        let mut bundled: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        bundled.sort_unstable();
        assert_eq!(zone_names::names().collect::<Vec<_>>(), bundled);
        // Other names of a zone are known as written; a name in another case, an abbreviation,
        // an id of ICU's own or a made-up zone is not.
        let names = [
            ("Europe/Brussels", true),
            ("Asia/Kolkata", true),
            ("Asia/Calcutta", true),
            ("US/Eastern", true),
            ("UTC", true),
            ("IST", false),
            ("europe/brussels", false),
            ("us/eastern", false),
            ("SystemV/AST4", false),
            ("Mars/Olympus", false),
        ];
        for (name, known) in names {
            let listed = zone_names::find(name).is_some();
            assert_eq!(listed, known, "{name} in the list");
            assert_eq!(zone(name).is_ok(), known, "{name} by the bundled database");
        }
    }

    /// What `offset_at` cannot tell, `resolve_local` does not guess.
    #[test]
    fn a_local_time_the_rules_cannot_tell_is_not_resolved() {
        assert_eq!(resolve_local(0, |_| None), None);
        assert_eq!(resolve_local(0, |t| (t < 0).then_some(3_600)), None);
        assert_eq!(
            resolve_local(0, |_| Some(3_600)),
            Some(LocalResult::Single(3_600))
        );
    }

    /// Without the bundled database: the names of the list that the registered rules know, and
    /// local times placed by their offsets (a host that knows two zones, Brussels with a change
    /// from +01:00 to +02:00 at 2020-09-13T12:00:00Z, and Dushanbe at +05:00 from 1900).
    #[cfg(not(feature = "bundled-tz"))]
    #[test]
    fn zones_come_from_the_rules_a_host_registers() {
        struct Host;
        const CHANGE: i64 = 1_599_998_400; // 2020-09-13T12:00:00Z
        impl ZoneRules for Host {
            fn knows(&self, name: &str) -> bool {
                name == "Europe/Brussels" || name == "Asia/Dushanbe"
            }
            fn offset_at(&self, name: &str, utc: i64) -> Option<i32> {
                match name {
                    "Europe/Brussels" => Some(if utc < CHANGE { 3_600 } else { 7_200 }),
                    "Asia/Dushanbe" => (utc >= -2_208_988_800).then_some(18_000),
                    _ => None,
                }
            }
        }
        assert!(set_zone_rules(&Host));
        assert_eq!(zone("Europe/Brussels").unwrap().name(), "Europe/Brussels");
        // Not in the list (whatever a host would say), or in it but unknown to the host.
        for name in ["europe/brussels", "IST", "Mars/Olympus", "Europe/Paris"] {
            assert_eq!(
                zone(name).unwrap_err().code(),
                "unknown_time_zone",
                "{name}"
            );
        }
        let before = Instant::parse("2020-09-13T12:30:00[Europe/Brussels]").unwrap();
        assert_eq!(
            before.to_string(),
            "2020-09-13T12:30:00+01:00[Europe/Brussels]"
        );
        let after = Instant::parse("2020-09-13T14:30:00[Europe/Brussels]").unwrap();
        assert_eq!(after.utc().to_rfc3339(), "2020-09-13T12:30:00+00:00");
        // 13:00 to 14:00 local never happened.
        let gap = Instant::parse("2020-09-13T13:30:00[Europe/Brussels]").unwrap_err();
        assert!(matches!(gap, InstantError::Ambiguous(..)), "{gap}");
        let dushanbe = Instant::parse("2020-09-04T16:30:00[Asia/Dushanbe]").unwrap();
        assert_eq!(dushanbe.utc().to_rfc3339(), "2020-09-04T11:30:00+00:00");
        // Before what the host covers: not placed, and not called a daylight-saving change.
        let old = Instant::parse("1800-01-01T12:00:00[Asia/Dushanbe]").unwrap_err();
        assert!(matches!(old, InstantError::Unplaced(..)), "{old}");
        assert_eq!(old.code(), "invalid_instant");
    }

    #[test]
    fn a_day_ends_between_utc_plus_14_and_utc_minus_12() {
        let (e, l) = day_bounds_anywhere(NaiveDate::from_ymd_opt(2015, 10, 5).unwrap());
        assert_eq!(e.to_rfc3339(), "2015-10-04T10:00:00+00:00");
        assert_eq!(l.to_rfc3339(), "2015-10-06T12:00:00+00:00");
    }
}
