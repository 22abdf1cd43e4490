//! Time zones through JavaScript's `Intl`: the core is built without its bundled IANA database
//! (the feature `bundled-tz`: chrono-tz's tables, about 145 KB of the gzipped module), and the module's
//! start registers these rules instead. Browsers and Node carry the same IANA database in ICU,
//! kept up to date with them.
//!
//! The core accepts the same zone names in every build (the bundled database's, a list it keeps
//! either way): `Intl` is asked only whether it knows one of those, and its offset at an instant,
//! which is the local time `Intl` gives there minus the instant, to the second (local mean time:
//! Brussels was 17 min 30 s ahead of UTC until 1892). `formatToParts` takes microseconds, and a
//! local time is resolved from three or four offsets, so the offsets are kept by UTC day: one
//! offset for a day without a change, or the two and the second of the change (found once by
//! bisection, about 17 calls) for a day with one. No IANA zone changes its offset twice in a day
//! (the closest changes are about a week apart), as the core's resolution of local times also
//! assumes.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const formats = new Map();
function format(name) {
  let f = formats.get(name);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: name, hourCycle: "h23", era: "short", year: "numeric", month: "numeric",
        day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
      });
    } catch {
      f = null;
    }
    formats.set(name, f); // the core asks only for names of its list of zones
  }
  return f;
}
export function zone_known(name) {
  return format(name) !== null;
}
// The offset in seconds of `f`'s zone at `seconds` since 1970 (UTC), or undefined.
function offset(f, seconds) {
  const ms = seconds * 1000;
  if (!(Math.abs(ms) <= 8.64e15)) return undefined;
  const p = {};
  for (const { type, value } of f.formatToParts(ms)) p[type] = value;
  const year = p.era === "BC" || p.era === "B" ? 1 - Number(p.year) : Number(p.year);
  const local = new Date(0);
  local.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  local.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0);
  const o = Math.round((local.getTime() - ms) / 1000);
  return Number.isFinite(o) ? o : undefined;
}
// Each zone's offsets by UTC day: `[offset]` for a day with one offset throughout, and
// `[before, change, after]` for a day where it changes (at second `change` of the UTC clock),
// found by bisection once. No zone changes its offset twice in a day: the closest changes of any
// zone of the IANA database are about a week apart.
const days = new Map();
let kept = 0;
function dayOf(f, day) {
  const start = day * 86400;
  const [first, last] = [offset(f, start), offset(f, start + 86399)];
  if (first === undefined || last === undefined) return undefined;
  if (first === last) return [first];
  let [lo, hi] = [start, start + 86399]; // offset(lo) === first, offset(hi) !== first
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(f, mid) === first) lo = mid;
    else hi = mid;
  }
  return [first, hi, last];
}
export function zone_offset(name, seconds) {
  const f = format(name);
  if (f === null) return undefined;
  let known = days.get(name);
  if (known === undefined) days.set(name, (known = new Map()));
  const day = Math.floor(seconds / 86400);
  let offsets = known.get(day);
  if (offsets === undefined) {
    offsets = dayOf(f, day);
    if (offsets === undefined) return offset(f, seconds);
    if (kept >= 1 << 20) {
      for (const k of days.values()) k.clear();
      kept = 0;
    }
    known.set(day, offsets);
    kept += 1;
  }
  return offsets.length === 1 || seconds < offsets[1] ? offsets[0] : offsets[2];
}
"#)]
extern "C" {
    /// Whether `Intl` knows a zone by this name (see the JavaScript).
    fn zone_known(name: &str) -> bool;

    /// The offset in seconds of a zone at an instant (seconds since 1970), or `undefined`.
    fn zone_offset(name: &str, seconds: f64) -> Option<f64>;
}

/// The zone rules of JavaScript's `Intl`.
struct Intl;

/// The instants `Date` can hold: ±8.64 × 10^15 ms around 1970.
const MAX_SECONDS: i64 = 8_640_000_000_000;

impl euca::instant::ZoneRules for Intl {
    fn knows(&self, name: &str) -> bool {
        zone_known(name)
    }

    fn offset_at(&self, name: &str, utc: i64) -> Option<i32> {
        if utc.unsigned_abs() > MAX_SECONDS.unsigned_abs() {
            return None;
        }
        // Exact: |utc| < 2^53.
        #[allow(clippy::cast_precision_loss)]
        let seconds = zone_offset(name, utc as f64)?;
        // An offset is within a day; anything else is not one.
        (seconds.abs() < 86_400.0).then_some(seconds as i32)
    }
}

/// Gives the core `Intl`'s zone rules (the module's start).
pub(crate) fn register() {
    euca::instant::set_zone_rules(&Intl);
}
