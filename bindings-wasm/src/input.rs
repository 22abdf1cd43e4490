//! Arguments from JavaScript: documents (JSON text or plain objects), dates (ISO strings or
//! `Date`), option objects and strings, each checked before it reaches the core.
//!
//! A plain-object document is walked once into a JSON value ([`to_json`]): the walk counts the
//! nesting depth (a 10 000-level or self-referencing object is an `input_too_deep` error, not a
//! stack overflow), refuses what JSON cannot carry (`NaN`, `Infinity`, functions, symbols, `Set`s)
//! at its path, and turns every `Date` into its ISO string, exactly as `JSON.stringify` would
//! write it. The walk recurses at most [`MAX_DEPTH`] + 1 levels, and every call into JavaScript it
//! makes is one that reports an exception as an error instead of unwinding through the module.

use chrono::NaiveDate;
use euca::dataset::MAX_DEPTH;
use js_sys::Array;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Failure;

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, with exceptions (a throwing getter, a revoked proxy) as errors.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(object: &JsValue) -> Result<Array, JsValue>;

    /// `Array.from`, with exceptions as errors.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(iterable: &JsValue) -> Result<Array, JsValue>;

    /// `Array.isArray`, with exceptions (a revoked proxy) as errors.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `Date.prototype.getTime.call(date)`, with exceptions (a proxy of a `Date`) as errors.
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "getTime"], js_name = call)]
    fn time_of(date: &JsValue) -> Result<f64, JsValue>;

    /// `Date.prototype.toISOString.call(date)`, with exceptions as errors.
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "toISOString"], js_name = call)]
    fn iso_text_of(date: &JsValue) -> Result<String, JsValue>;
}

#[wasm_bindgen(inline_js = r#"
// Whether JSON.stringify writes exactly what the walk would read from a value: no number JSON
// cannot carry, no invalid Date, no Map or Set, no function, symbol or bigint, no undefined in a
// list or at the top, no object with its own toJSON, no string with a lone surrogate, at most 64
// levels deep. A Date is fine: it becomes its ISO string, as the walk makes it. Checked before the
// text is written: JSON.stringify without a replacer function is nearly twice as fast as with one.
function plain(value, depth) {
  switch (typeof value) {
    case "string":
      return well_formed(value);
    case "number":
      return Number.isFinite(value);
    case "boolean":
      return true;
    case "object": {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined || !plain(item, depth + 1)) return false;
        }
        return true;
      }
      if (value instanceof Date) return !Number.isNaN(value.getTime());
      if (typeof value.toJSON === "function" || value instanceof Map || value instanceof Set) {
        return false;
      }
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const item = value[keys[i]];
        if (item !== undefined && !plain(item, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
// Whether a string has a UTF-8 form: no lone surrogate, which passing it to WebAssembly would
// silently turn into U+FFFD.
export function well_formed(text) {
  return typeof text.isWellFormed === "function"
    ? text.isWellFormed()
    : !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""));
}
// A well-formed string's UTF-8 bytes, from code unit `from` on, written natively by `encodeInto`
// into `into` (a view of the module's memory), as far as they fit: [code units read, bytes
// written]. wasm-bindgen's own passing of a string writes its ASCII code units one at a time
// from JavaScript, which for a batch's megabytes of JSON cost more than reading them; `encode`
// makes a fresh buffer (its pages touched for the first time) that is then copied into the module.
const encoder = new TextEncoder();
export function utf8_into(text, from, into) {
  const done = encoder.encodeInto(from === 0 ? text : text.substring(from), into);
  return [done.read, done.written];
}
// The items start..end of an array of plain documents as a tape (src/tape.rs): what
// JSON.stringify would write (see plain), as tagged little-endian bytes, checked and written in
// one pass; undefined for anything else, which then takes JSON.stringify's text. `0` null, `1`
// false, `2` true, `3` + f64 a number, `4` + u32 length + UTF-8 a string, `5` + u32 count + items
// a list, `6` + u32 count + (key, value) pairs an object, where a key is a string the first time
// the tape has it and then `7` + the u16 number of that first time (the first 65 536 keys are
// numbered, in order). The bytes are a view of a buffer reused by the next call: the module
// copies them at once.
let tape = new Uint8Array(1 << 16);
let tape_view = new DataView(tape.buffer);
let tape_at = 0;
function room(n) {
  if (tape_at + n <= tape.length) return;
  let size = tape.length * 2;
  while (size < tape_at + n) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(tape.subarray(0, tape_at));
  tape = grown;
  tape_view = new DataView(tape.buffer);
}
function put_text(text) {
  const n = text.length;
  // A UTF-16 code unit takes at most 3 bytes of UTF-8.
  room(5 + 3 * n);
  const start = tape_at + 5;
  let end = start;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      if (!well_formed(text)) return false;
      end = start + encoder.encodeInto(text, tape.subarray(start)).written;
      break;
    }
    tape[end++] = c;
  }
  tape[tape_at] = 4;
  tape_view.setUint32(tape_at + 1, end - start, true);
  tape_at = end;
  return true;
}
// The keys this tape has written, with their numbers.
const key_numbers = new Map();
function put_key(key) {
  const number = key_numbers.get(key);
  if (number !== undefined) {
    room(3);
    tape[tape_at] = 7;
    tape[tape_at + 1] = number & 0xff;
    tape[tape_at + 2] = number >> 8;
    tape_at += 3;
    return true;
  }
  if (key_numbers.size < 65536) key_numbers.set(key, key_numbers.size);
  return put_text(key);
}
function put(value, depth) {
  switch (typeof value) {
    case "string":
      return put_text(value);
    case "number":
      if (!Number.isFinite(value)) return false;
      room(9);
      tape[tape_at] = 3;
      tape_view.setFloat64(tape_at + 1, value, true);
      tape_at += 9;
      return true;
    case "boolean":
      room(1);
      tape[tape_at++] = value ? 2 : 1;
      return true;
    case "object": {
      if (value === null) {
        room(1);
        tape[tape_at++] = 0;
        return true;
      }
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        const n = value.length;
        room(5);
        tape[tape_at] = 5;
        tape_view.setUint32(tape_at + 1, n, true);
        tape_at += 5;
        for (let i = 0; i < n; i++) {
          const item = value[i];
          if (item === undefined || !put(item, depth + 1)) return false;
        }
        return true;
      }
      // A plain object (its prototype `Object.prototype`, or none) is no Date, Map or Set, and
      // while `Object.prototype` has no property that `for...in` enumerates, `for...in` gives
      // its keys as `Object.keys` does, without making an array of them (a sixth of the walk's
      // time). Any other object takes `Object.keys`.
      const proto = Object.getPrototypeOf(value);
      const plain_object = proto === null || (proto === Object.prototype && !inherits_keys);
      if (!plain_object && value instanceof Date) {
        return !Number.isNaN(value.getTime()) && put_text(value.toISOString());
      }
      if (typeof value.toJSON === "function" || (!plain_object && (value instanceof Map || value instanceof Set))) {
        return false;
      }
      room(5);
      tape[tape_at] = 6;
      const count_at = tape_at + 1;
      tape_at += 5;
      let count = 0;
      if (plain_object) {
        for (const key in value) {
          const item = value[key];
          if (item === undefined) continue;
          if (!put_key(key) || !put(item, depth + 1)) return false;
          count++;
        }
      } else {
        const keys = Object.keys(value);
        for (let i = 0; i < keys.length; i++) {
          const item = value[keys[i]];
          if (item === undefined) continue;
          if (!put_key(keys[i]) || !put(item, depth + 1)) return false;
          count++;
        }
      }
      tape_view.setUint32(count_at, count, true);
      return true;
    }
    default:
      return false;
  }
}
// Whether a walk is writing the tape: a getter that calls back into the package during a walk
// must not write over it (that call takes the text instead).
let walking = false;
// Whether `Object.prototype` has a property that `for...in` enumerates (someone added one): then
// every object takes `Object.keys`. Looked at when a walk starts and when it ends, as a getter
// may add one on the way (the walk then gives up, and the batch takes the text).
let inherits_keys = false;
function enumerable_inherited() {
  for (const _ in Object.prototype) return true;
  return false;
}
export function plain_tape(value, start, end) {
  if (walking) return undefined;
  walking = true;
  try {
    if (!Array.isArray(value)) return undefined;
    inherits_keys = enumerable_inherited();
    tape_at = 0;
    key_numbers.clear();
    room(5);
    tape[0] = 5;
    tape_view.setUint32(1, end - start, true);
    tape_at = 5;
    for (let i = start; i < end; i++) {
      const item = value[i];
      if (item === undefined || !put(item, 1)) return undefined;
    }
    if (!inherits_keys && enumerable_inherited()) return undefined;
    return tape.subarray(0, tape_at);
  } catch (_) {
    return undefined;
  } finally {
    walking = false;
    // The keys of the objects walked are not kept past the walk.
    key_numbers.clear();
  }
}
// A batch handed back to `decision` with each column cut to its row `index` (no row past the
// end), and its number of rows: [row, rows]; undefined when the batch is not an object whose
// fields are the six columns, each a list as long as `verdicts`, with `as_of` and `stage`, or
// when anything throws (a revoked proxy, a throwing getter). The caller then reads it whole, which
// names the problem.
const BATCH_COLUMNS = ["ids", "verdicts", "max_eu_contribution", "eu_share", "failed", "missing"];
export function batch_row(batch, index) {
  try {
    if (batch === null || typeof batch !== "object" || Array.isArray(batch)) return undefined;
    const verdicts = batch.verdicts;
    if (!Array.isArray(verdicts)) return undefined;
    const rows = verdicts.length;
    const row = {};
    for (const key of Object.keys(batch)) {
      const value = batch[key];
      if (BATCH_COLUMNS.includes(key)) {
        if (!Array.isArray(value) || value.length !== rows) return undefined;
        row[key] = index < rows ? [value[index]] : [];
      } else if (key === "as_of" || key === "stage") {
        row[key] = value;
      } else {
        return undefined;
      }
    }
    return [row, rows];
  } catch (_) {
    return undefined;
  }
}
// The item `index` of an array and the array's length: [[item], length], or [[], length] past its
// end; undefined for anything but an array, or when anything throws. The caller then reads the
// value whole, which names the problem.
export function list_item(list, index) {
  try {
    if (!Array.isArray(list)) return undefined;
    const length = list.length;
    return [index < length ? [list[index]] : [], length];
  } catch (_) {
    return undefined;
  }
}
// JSON text of the items start..end of an array of plain documents, or undefined when the text
// would not say what the values are (see plain) or anything throws (a cycle, a throwing getter).
export function plain_json(value, start, end) {
  try {
    if (!Array.isArray(value)) return undefined;
    const items = value.slice(start, end);
    return plain(items, 0) ? JSON.stringify(items) : undefined;
  } catch (_) {
    return undefined;
  }
}
"#)]
extern "C" {
    /// `JSON.stringify` of the items `start..end` of an array of plain documents, or `undefined`
    /// (see the JavaScript).
    #[wasm_bindgen(js_name = plain_json)]
    fn plain_json_js(value: &JsValue, start: u32, end: u32) -> JsValue;

    /// The tape of the items `start..end` of an array of plain documents (a `Uint8Array`), or
    /// `undefined` (see the JavaScript and src/tape.rs).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = plain_tape)]
    fn plain_tape_js(value: &JsValue, start: u32, end: u32) -> JsValue;

    /// A batch cut to one row, and its number of rows, or `undefined` (see the JavaScript).
    #[wasm_bindgen(js_name = batch_row)]
    fn batch_row_js(batch: &JsValue, index: u32) -> JsValue;

    /// An array's item (in a list of one, or none past the end) and length, or `undefined` (see
    /// the JavaScript).
    #[wasm_bindgen(js_name = list_item)]
    fn list_item_js(list: &JsValue, index: u32) -> JsValue;

    /// Whether a JavaScript string has no lone surrogate (see the JavaScript).
    #[wasm_bindgen(js_name = well_formed)]
    fn well_formed(text: &JsValue) -> bool;

    /// Writes a well-formed string's UTF-8 bytes, from code unit `from` on, into `into` as far
    /// as they fit: `[code units read, bytes written]` (see the JavaScript). wasm-bindgen hands
    /// JavaScript a view of the slice, borrowed for the call.
    #[wasm_bindgen(catch, js_name = utf8_into)]
    fn utf8_into(text: &JsValue, from: u32, into: &mut [u8]) -> Result<Array, JsValue>;
}

/// From this many UTF-16 code units, a string is passed as the bytes `TextEncoder` writes into
/// the module's memory (see [`encoded`]), where wasm-bindgen's passing writes each ASCII code unit
/// from JavaScript.
const LONG_STRING: u32 = 1024;

/// The text of a JavaScript string without a lone surrogate (checked by the caller), `None` for
/// anything else. A long string crosses as its UTF-8 bytes (see [`LONG_STRING`] and [`encoded`]).
fn well_formed_text(value: &JsValue) -> Option<String> {
    if let Some(text) = value.dyn_ref::<js_sys::JsString>()
        && text.length() >= LONG_STRING
    {
        // `TextEncoder` writes UTF-8 for every well-formed string, so this cannot fail; should
        // it ever, the string is passed the ordinary way.
        if let Some(text) = encoded(text) {
            return Some(text);
        }
    }
    value.as_string()
}

/// A well-formed string's UTF-8 text, written by `TextEncoder.encodeInto` into a buffer of the
/// module's memory (see the JavaScript): room for one byte per code unit first, which is all an
/// ASCII string needs, then for three per code unit still to be written (at most two passes).
/// The buffer is zeroed before each pass, and the bytes are checked as UTF-8 after. `None` if
/// anything is not as expected (JavaScript throws, or says it read or wrote more than it could).
fn encoded(text: &js_sys::JsString) -> Option<String> {
    let units = usize::try_from(text.length()).ok()?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut read = 0usize;
    let mut room = units;
    while read < units {
        let start = bytes.len();
        bytes.try_reserve_exact(room).ok()?;
        bytes.resize(start + room, 0);
        let done = utf8_into(text, u32::try_from(read).ok()?, &mut bytes[start..]).ok()?;
        let count = |i: u32| done.get(i).as_f64().map(|n| n as usize);
        let (r, w) = (count(0)?, count(1)?);
        if r == 0 || r > units - read || w > room {
            return None;
        }
        bytes.truncate(start + w);
        read += r;
        room = (units - read).saturating_mul(3);
    }
    String::from_utf8(bytes).ok()
}

/// Why a string has no UTF-8 form.
const LONE_SURROGATE: &str =
    "has a lone surrogate (a code unit U+D800 to U+DFFF), which has no UTF-8 form";

/// A JavaScript string's text, `None` for anything else; a string with a lone surrogate is an
/// `invalid_value` error at `path` (wasm-bindgen would otherwise pass it on with U+FFFD in its
/// place, silently changing what the user gave).
///
/// # Errors
/// As said.
pub fn string(value: &JsValue, path: &str) -> Result<Option<String>, Failure> {
    if !value.is_string() {
        return Ok(None);
    }
    if !well_formed(value) {
        return Err(Failure::new(
            "invalid_value",
            path,
            format!("a string that {LONE_SURROGATE}"),
        ));
    }
    Ok(well_formed_text(value))
}

/// The items `start..end` of an array of plain documents as JSON text, when `JSON.stringify`
/// writes exactly what the walk would read: `None` for anything else, which then takes the walk.
pub fn plain_json(value: &JsValue, start: u32, end: u32) -> Option<String> {
    // The replacer has refused every string with a lone surrogate.
    well_formed_text(&plain_json_js(value, start, end))
}

/// The applications `start..end` of an array of plain objects, when each reads as it is: from the
/// tape the JavaScript walk writes (src/tape.rs), or else from `JSON.stringify`'s text; `None`
/// when one of them must be read the way that reports its problems.
///
/// `euca/screen` (built without the feature `full`) has no tape reader: it reads `JSON.stringify`'s
/// text with the byte-by-byte reader of JSON text alone. The tape reader is each record type's
/// `Deserialize` compiled once more, 10 KB of the module gzipped; without it `evaluateMany` over
/// the workload's plain objects takes about a fifth longer in that module (BENCHMARKS.md, "Night
/// of 2026-12-04"). Node's module and the browsers' full one keep it.
pub fn plain_applications(value: &JsValue, start: u32, end: u32) -> Option<Vec<euca::Application>> {
    #[cfg(feature = "full")]
    {
        let tape = plain_tape_js(value, start, end);
        if let Some(bytes) = tape.dyn_ref::<js_sys::Uint8Array>()
            && let Some(apps) = crate::tape::applications(&bytes.to_vec())
        {
            return Some(apps);
        }
    }
    euca::read_applications_fast(&plain_json(value, start, end)?)
}

/// A batch with each of its columns cut to row `index` (none past the end), and its number of
/// rows: `None` unless it is an object of the six columns, each a list as long as `verdicts`, with
/// `as_of` and `stage`, read without an exception (a batch that is not is read whole, which names
/// the problem).
pub fn batch_row(batch: &JsValue, index: u32) -> Option<(JsValue, usize)> {
    let pair = batch_row_js(batch, index).dyn_into::<Array>().ok()?;
    Some((pair.get(0), pair.get(1).as_f64()? as usize))
}

/// The item `index` of an array, as a list of one (empty past the end), and the array's length:
/// `None` for anything but an array, or when reading it throws.
pub fn list_item(list: &JsValue, index: u32) -> Option<(JsValue, usize)> {
    let pair = list_item_js(list, index).dyn_into::<Array>().ok()?;
    Some((pair.get(0), pair.get(1).as_f64()? as usize))
}

/// Whether a value is an array (false for a revoked proxy, which the walk then reports).
fn is_array(value: &JsValue) -> bool {
    array_is_array(value).unwrap_or(false)
}

/// A document as given: JSON text, or an already-parsed value.
pub enum Document {
    /// JSON text; the core checks its size and depth before parsing.
    Text(String),
    /// A plain JavaScript object or array, converted.
    Value(Value),
}

/// A step of a path into a document.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The error of a document nested deeper than the core allows, at the first container past it.
fn too_deep(path: &str, depth: usize) -> Failure {
    Failure::new(
        "input_too_deep",
        path,
        format!("the document nests deeper than {MAX_DEPTH} levels (at least {depth})"),
    )
}

fn js_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "a JavaScript exception".to_string())
}

/// The walk of a JavaScript value into JSON (see [`to_json`]), and where it is.
struct Walk {
    path: Vec<Step>,
}

/// JSON's number for a JavaScript one, as `JSON.stringify` writes it: a safe integer as an
/// integer (`-0` as `0`), any other finite number as a float; `None` for `NaN` and the infinities.
fn json_number(n: f64) -> Option<Value> {
    /// `Number.MAX_SAFE_INTEGER`.
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= SAFE {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(Value::Number)
}

impl Walk {
    fn fail(&self, code: &str, message: String) -> Failure {
        Failure::new(code, &path_text(&self.path), message)
    }

    /// The items of an array (a hole is `undefined`, so `null`).
    fn items(&mut self, items: &Array, depth: usize) -> Result<Value, Failure> {
        let mut out = Vec::with_capacity(items.length() as usize);
        for (i, item) in items.iter().enumerate() {
            self.path.push(Step::Index(i));
            out.push(self.value(&item, depth)?);
            self.path.pop();
        }
        Ok(Value::Array(out))
    }

    /// The `[key, value]` entries of an object or a `Map`; a key that is not a string (in a
    /// `Map`) is an `invalid_type` error at the map.
    fn entries(&mut self, entries: &Array, depth: usize) -> Result<Value, Failure> {
        let mut out = serde_json::Map::new();
        for entry in entries.iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0);
            let Some(key) = string(&key, &path_text(&self.path))? else {
                return Err(self.fail(
                    "invalid_type",
                    format!("a key of a `Map` is a string, not {}", kind(&key)),
                ));
            };
            self.path.push(Step::Key(key));
            let value = self.value(&pair.get(1), depth)?;
            let Some(Step::Key(key)) = self.path.pop() else {
                unreachable!("the key pushed above")
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    /// The JSON of a value at `depth` arrays and objects deep (the top level is 0).
    fn value(&mut self, value: &JsValue, depth: usize) -> Result<Value, Failure> {
        if let Some(n) = value.as_f64() {
            return json_number(n).ok_or_else(|| {
                let name = if n.is_nan() {
                    "NaN"
                } else if n > 0.0 {
                    "Infinity"
                } else {
                    "-Infinity"
                };
                self.fail(
                    "invalid_value",
                    format!("`{name}` is not a number JSON can carry"),
                )
            });
        }
        if value.is_string() {
            return Ok(Value::String(
                string(value, &path_text(&self.path))?.unwrap_or_default(),
            ));
        }
        if value.is_null() || value.is_undefined() {
            return Ok(Value::Null);
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if value.is_bigint() {
            // A bigint in the range of a 64-bit integer is that integer, as JSON reads one.
            return i64::try_from(value.clone())
                .map(Value::from)
                .or_else(|value| u64::try_from(value).map(Value::from))
                .map_err(|_| {
                    self.fail(
                        "invalid_type",
                        "a bigint outside -2^63 .. 2^64 - 1 is not a number JSON can carry"
                            .to_string(),
                    )
                });
        }
        if !value.is_object() {
            return Err(self.fail(
                "invalid_type",
                format!("{} is not a value JSON can carry", kind(value)),
            ));
        }
        if let Some(date) = value.dyn_ref::<js_sys::Date>() {
            let thrown = |e: JsValue| self.fail("invalid_value", js_message(&e));
            if time_of(date).map_err(thrown)?.is_nan() {
                return Err(self.fail("invalid_date", "invalid date: the `Date` is invalid".into()));
            }
            return iso_text_of(date).map(Value::String).map_err(thrown);
        }
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(&path_text(&self.path), depth));
        }
        let fail =
            |e: JsValue| Failure::new("invalid_value", &path_text(&self.path), js_message(&e));
        if array_is_array(value).map_err(fail)? {
            let items = array_from(value).map_err(fail)?;
            self.items(&items, depth)
        } else if let Some(map) = value.dyn_ref::<js_sys::Map>() {
            // `Array.from(map)` lists its `[key, value]` entries.
            let entries = array_from(map).map_err(fail)?;
            self.entries(&entries, depth)
        } else if value.is_instance_of::<js_sys::Uint8Array>()
            || value.is_instance_of::<js_sys::ArrayBuffer>()
            || js_sys::Reflect::has(value, &js_sys::Symbol::iterator()).map_err(fail)?
        {
            // Bytes, a `Set` or another iterable: JSON has no such value, and reading its own
            // properties would silently drop its contents.
            Err(self.fail(
                "invalid_type",
                format!(
                    "{} is not a value JSON can carry (give an array or a plain object)",
                    object_kind(value)
                ),
            ))
        } else {
            let entries = object_entries(value).map_err(fail)?;
            self.entries(&entries, depth)
        }
    }
}

/// The constructor's name of an object (``a `Set` ``), in words, or `an iterable object`: read
/// with `Reflect.get`, whose exceptions (a getter or a proxy that throws) are errors, and which
/// gives no name for an object without a constructor or with an odd one.
fn object_kind(value: &JsValue) -> String {
    let name = js_sys::Reflect::get(value, &JsValue::from_str("constructor"))
        .ok()
        .filter(JsValue::is_function)
        .and_then(|constructor| js_sys::Reflect::get(&constructor, &JsValue::from_str("name")).ok())
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return "an iterable object".to_string();
    }
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{name}`")
}

/// A JavaScript value as JSON, in one walk: the nesting depth is counted (a 10 000-level or
/// self-referencing object is an `input_too_deep` error, not a stack overflow), a `Date` becomes
/// its ISO string and `undefined` `null` (as in a list by `JSON.stringify`), and what JSON cannot
/// carry is an error at its path. Every call into JavaScript reports an exception as an error.
///
/// # Errors
/// `input_too_deep`, `invalid_value` (a non-finite number, a getter that throws, a string with a
/// lone surrogate), `invalid_date` (an invalid `Date`), `invalid_type` (a function, a symbol, a
/// `Set`, bytes, a bigint out of range, a `Map` key that is not a string).
pub fn to_json(value: &JsValue) -> Result<Value, Failure> {
    Walk { path: Vec::new() }.value(value, 0)
}

/// A document argument: JSON text, its UTF-8 bytes (a `Uint8Array` or a Node `Buffer`) or a
/// plain object.
///
/// # Errors
/// As [`to_json`]; `invalid_json` for bytes that are not UTF-8; `invalid_type` for `undefined`,
/// `null`, numbers and booleans.
pub fn document(value: &JsValue, argument: &str) -> Result<Document, Failure> {
    if let Some(text) = string(value, "")? {
        return Ok(Document::Text(text));
    }
    // The bytes of a file (`fs.readFileSync(path)`, a `fetch` body): UTF-8 JSON, decoded strictly.
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return String::from_utf8(bytes.to_vec())
            .map(Document::Text)
            .map_err(|e| {
                Failure::new(
                    "invalid_json",
                    "",
                    format!(
                        "the document is not valid UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
            });
    }
    if !value.is_object() {
        return Err(Failure::new(
            "invalid_type",
            argument,
            format!(
                "`{argument}` is JSON text or a plain object, not {}",
                kind(value)
            ),
        ));
    }
    to_json(value).map(Document::Value)
}

/// A list argument (applications): a JavaScript array, converted.
///
/// # Errors
/// As [`to_json`]; `invalid_type` when the value is not an array.
pub fn list(value: &JsValue, argument: &str) -> Result<Value, Failure> {
    if !is_array(value) {
        return Err(Failure::new(
            "invalid_type",
            argument,
            format!("`{argument}` is an array, not {}", kind(value)),
        ));
    }
    to_json(value)
}

/// The JavaScript type of a value, in words.
pub fn kind(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if is_array(value) {
        "an array".into()
    } else if value.is_string() {
        "a string".into()
    } else if value.as_f64().is_some() {
        "a number".into()
    } else if value.as_bool().is_some() {
        "a boolean".into()
    } else if value.is_bigint() {
        "a bigint".into()
    } else if value.is_function() {
        "a function".into()
    } else if value.is_symbol() {
        "a symbol".into()
    } else {
        "an object".into()
    }
}

/// A string argument.
///
/// # Errors
/// `invalid_type` when the value is not a string.
pub fn text(value: &JsValue, argument: &str) -> Result<String, Failure> {
    string(value, argument)?.ok_or_else(|| {
        Failure::new(
            "invalid_type",
            argument,
            format!("`{argument}` is a string, not {}", kind(value)),
        )
    })
}

/// The text of UTF-8 bytes (copied into the module's memory), or an `invalid_json` error
/// naming `argument` and the offset of the first byte that is not UTF-8.
pub fn utf8_text(bytes: &js_sys::Uint8Array, argument: &str) -> Result<String, Failure> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        Failure::new(
            "invalid_json",
            argument,
            format!(
                "`{argument}` is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// The UTC calendar day of a JavaScript `Date`.
fn utc_day(date: &js_sys::Date, argument: &str) -> Result<NaiveDate, Failure> {
    if date.get_time().is_nan() {
        return Err(Failure::new(
            "invalid_date",
            argument,
            format!("invalid date: `{argument}` is an invalid `Date`"),
        ));
    }
    let year = date.get_utc_full_year() as i32;
    NaiveDate::from_ymd_opt(year, date.get_utc_month() + 1, date.get_utc_date()).ok_or_else(|| {
        Failure::new(
            "invalid_date",
            argument,
            format!("invalid date: `{argument}` is outside the supported years"),
        )
    })
}

/// Today in UTC (from JavaScript's clock).
pub fn today() -> NaiveDate {
    utc_day(&js_sys::Date::new_0(), "today").unwrap_or_default()
}

/// A day written `%Y-%m-%d`, read as `NaiveDate::parse_from_str` reads that layout (its items
/// written out: no strftime reader in the module).
fn day_text(text: &str) -> Option<NaiveDate> {
    use chrono::format::{Item, Numeric, Pad, Parsed, parse};
    const DAY: &[Item<'static>] = &[
        Item::Numeric(Numeric::Year, Pad::Zero),
        Item::Literal("-"),
        Item::Numeric(Numeric::Month, Pad::Zero),
        Item::Literal("-"),
        Item::Numeric(Numeric::Day, Pad::Zero),
    ];
    let mut parsed = Parsed::new();
    parse(&mut parsed, text, DAY.iter()).ok()?;
    parsed.to_naive_date().ok()
}

/// A day argument (`asOf`): a `YYYY-MM-DD` string or a `Date` (its UTC day); absent: `None`.
///
/// # Errors
/// `invalid_date` for text that is not a day or an invalid `Date`; `invalid_type` otherwise.
pub fn day(value: &JsValue, argument: &str) -> Result<Option<NaiveDate>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        return utc_day(date, argument).map(Some);
    }
    match string(value, argument)? {
        Some(t) => day_text(t.trim()).map(Some).ok_or_else(|| {
                Failure::new(
                    "invalid_date",
                    argument,
                    format!(
                        "invalid date `{t}` for `{argument}`: expected a day such as `2024-05-01` or a `Date`"
                    ),
                )
            }),
        None => Err(Failure::new(
            "invalid_type",
            argument,
            format!(
                "`{argument}` is a day (`2024-05-01`) or a `Date`, not {}",
                kind(value)
            ),
        )),
    }
}

/// A day argument that defaults to today in UTC.
///
/// # Errors
/// As [`day`].
pub fn day_or_today(value: &JsValue, argument: &str) -> Result<NaiveDate, Failure> {
    Ok(day(value, argument)?.unwrap_or_else(today))
}

/// A date argument of euca's EDTF subset (`2008`, `2008-06`, `2008-06-15`, ...) or a `Date`
/// (its UTC day); absent: `None`.
///
/// # Errors
/// `invalid_date` for text euca cannot read; `invalid_type` otherwise.
pub fn edtf(value: &JsValue, argument: &str) -> Result<Option<euca::Date>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        let d = utc_day(date, argument)?;
        return euca::Date::from_naive(d)
            .map(Some)
            .map_err(|e| Failure::date(&e, argument));
    }
    match string(value, argument)? {
        Some(t) => euca::Date::parse(&t)
            .map(Some)
            .map_err(|e| Failure::date(&e, argument)),
        None => Err(Failure::new(
            "invalid_type",
            argument,
            format!(
                "`{argument}` is a date (`2008`, `2008-06`, `2008-06-15` ...) or a `Date`, not {}",
                kind(value)
            ),
        )),
    }
}

/// A required EDTF date argument.
///
/// # Errors
/// As [`edtf`], and `missing_field` when absent.
pub fn required_edtf(value: &JsValue, argument: &str) -> Result<euca::Date, Failure> {
    edtf(value, argument)?.ok_or_else(|| {
        Failure::new(
            "missing_field",
            argument,
            format!("`{argument}` is required: a date such as `2008-06` or a `Date`"),
        )
    })
}

/// The options of an options object, checked against the names a method takes.
pub struct Options {
    entries: Vec<(String, JsValue)>,
}

impl Options {
    /// Reads an options object (`undefined` or `null`: no options).
    ///
    /// # Errors
    /// `invalid_type` when it is not an object; `unknown_field` for an option the method does not
    /// take (with a suggestion when it is a near miss such as `as_of` for `asOf`).
    pub fn read(value: &JsValue, argument: &str, known: &[&str]) -> Result<Options, Failure> {
        if value.is_undefined() || value.is_null() {
            return Ok(Options {
                entries: Vec::new(),
            });
        }
        if !value.is_object() || is_array(value) || value.is_function() {
            return Err(Failure::new(
                "invalid_type",
                argument,
                format!("`{argument}` is an object of options, not {}", kind(value)),
            ));
        }
        let entries = object_entries(value)
            .map_err(|e| Failure::new("invalid_value", argument, js_message(&e)))?;
        let mut out = Vec::new();
        for pair in entries.iter() {
            let pair: Array = pair.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                let simple = |s: &str| s.replace('_', "").to_ascii_lowercase();
                let hint = known
                    .iter()
                    .find(|k| simple(k) == simple(&key))
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "; the options are {}",
                            known
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                return Err(Failure::new(
                    "unknown_field",
                    &format!("{argument}.{key}"),
                    format!("unknown option `{key}`{hint}"),
                ));
            }
            out.push((key, pair.get(1)));
        }
        Ok(Options { entries: out })
    }

    /// The option's value (`undefined` when absent).
    pub fn get(&self, name: &str) -> JsValue {
        self.entries
            .iter()
            .find(|(k, _)| k == name)
            .map_or(JsValue::UNDEFINED, |(_, v)| v.clone())
    }
}

/// Turns an object's keys into a plain JSON object, to read an option value as a document.
///
/// # Errors
/// As [`to_json`].
pub fn option_json(value: &JsValue) -> Result<Option<Value>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    to_json(value).map(Some)
}

#[cfg(feature = "full")]
/// A whole number argument from 0 to `max`.
pub(crate) fn count(value: &JsValue, argument: &str, max: u32) -> Result<Option<u32>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(max)).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(Failure::new(
            "invalid_value",
            argument,
            format!("`{argument}` is a whole number from 0 to {max}, not `{n}`"),
        )),
        None => Err(Failure::new(
            "invalid_type",
            argument,
            format!("`{argument}` is a number, not {}", kind(value)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `day_text` reads what `NaiveDate::parse_from_str(text, "%Y-%m-%d")` reads, and refuses
    /// what it refuses.
    #[test]
    fn a_day_reads_as_chrono_reads_its_layout() {
        for text in [
            "2024-05-01",
            "2024-5-1",
            "2024-02-30",
            "2024-02-29",
            "2023-02-29",
            "+2024-05-01",
            "-0001-01-01",
            "2024-05-01T00:00",
            "2024/05/01",
            "",
            "2024-05",
            "12024-05-01",
            "2024-05-01 ",
        ] {
            assert_eq!(
                day_text(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text:?}"
            );
        }
    }
}
