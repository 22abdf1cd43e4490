//! Results to JavaScript: plain objects and arrays, written as JSON text by serde_json and read
//! by `JSON.parse` (objects, not `Map`s; keys in the core's order).

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::Failure;

/// A result as plain JavaScript data: the value as serde_json writes it as text, read by
/// `JSON.parse`. A decision and its parts are written so, at once: twice as fast as through a
/// JSON value (51 against 94 µs for a decision of 24 checks in Node,
/// `benches/decision_json.mjs`). Every other result goes through [`to_js`].
///
/// One native parse rather than a call out of the module for every key and value, and one writer
/// of JSON in the module rather than two: serde-wasm-bindgen's writer and its code for each type
/// were about 74 KB of the module's code (BENCHMARKS.md).
///
/// Numbers are JavaScript numbers. Amounts are read up to 2^53 − 1 minor units, so every amount
/// is exact as one; a total beyond it (funding sums of huge IATI files) is the typed error
/// `money_too_large`, never a number rounded in silence.
///
/// # Errors
/// `money_too_large` for an integer beyond 2^53 − 1.
pub fn to_js_text<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let text = serde_json::to_string(value).map_err(|e| unwritable("result", &e.to_string()))?;
    if let Some(number) = unsafe_integer(&text) {
        return Err(Failure::new(
            "money_too_large",
            "",
            format!(
                "money too large: the result holds the integer {number}, beyond 2^53 - 1, which a JavaScript number cannot hold exactly"
            ),
        ));
    }
    js_sys::JSON::parse(&text).map_err(|e| unwritable("result", &format!("{e:?}")))
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The first integer of JSON text (as serde_json writes it) that a JavaScript number cannot hold
/// exactly: beyond ±(2^53 − 1). A number is a run of the bytes `0-9 + - . e E` outside strings;
/// an integer is one of digits alone, after an optional `-` (serde_json writes a float with a
/// `.` or an exponent). Found in the text rather than as it is written, so that every result
/// type's writing is serde_json's own compact writer, which the module has anyway.
fn unsafe_integer(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'"' {
            // A string: to its closing quote, over escapes.
            at += 1;
            loop {
                let rest = bytes.get(at..)?;
                let next = rest.iter().position(|&c| c == b'"' || c == b'\\')?;
                at += next;
                if bytes.get(at) == Some(&b'\\') {
                    at += 2;
                } else {
                    at += 1;
                    break;
                }
            }
            continue;
        }
        let start = at;
        while bytes
            .get(at)
            .is_some_and(|c| matches!(c, b'0'..=b'9' | b'+' | b'-' | b'.' | b'e' | b'E'))
        {
            at += 1;
        }
        if at == start {
            at += 1;
            continue;
        }
        let token = text.get(start..at)?;
        let digits = token.strip_prefix('-').unwrap_or(token);
        // 2^53 − 1 has 16 digits: fewer are always exact.
        if digits.len() >= 16
            && digits.bytes().all(|c| c.is_ascii_digit())
            && digits.parse::<u64>().map_or(true, |n| n > MAX_SAFE_INTEGER)
        {
            return Some(token);
        }
    }
    None
}

/// A result as plain JavaScript data, through a JSON value: [`to_js_text`] of the value made a
/// JSON value first. What every result but a decision's takes: most result types are written
/// into a JSON value anyway (the rule sets' by `Call::to_flat_json`, the dataset's records by its
/// writers), so their writing as text is not compiled once more (5 KB of `euca/screen` gzipped,
/// 8 KB of the browsers' module).
///
/// # Errors
/// As [`to_js_text`].
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let json = serde_json::to_value(value).map_err(|e| unwritable("result", &e.to_string()))?;
    to_js_text(&json)
}

/// A batch's columns as the same plain object [`to_js`] makes (`ids`, `verdicts`,
/// `max_eu_contribution`, `eu_share`, `failed`, `missing`, `as_of`, then `stage` when given), each
/// column written as JSON text and read by `JSON.parse`: one native parse per column instead of a
/// call out of the module per value, which for a batch cost as much as evaluating it.
///
/// # Errors
/// `money_too_large` for a maximum grant beyond 2^53 − 1 minor units, as [`to_js`].
pub fn batch_to_js(batch: &euca::BatchResult) -> Result<JsValue, Failure> {
    if let Some(amount) = batch
        .max_eu_contribution
        .iter()
        .flatten()
        .find(|a| **a > MAX_SAFE_INTEGER)
    {
        return Err(Failure::new(
            "money_too_large",
            "",
            format!(
                "money too large: the result holds {amount} minor units, beyond 2^53 - 1, which a JavaScript number cannot hold exactly"
            ),
        ));
    }
    let object = js_sys::Object::new();
    let columns: [(&str, Result<String, serde_json::Error>); 6] = [
        ("ids", serde_json::to_string(&batch.ids)),
        ("verdicts", serde_json::to_string(&batch.verdicts)),
        (
            "max_eu_contribution",
            serde_json::to_string(&batch.max_eu_contribution),
        ),
        ("eu_share", serde_json::to_string(&batch.eu_share)),
        ("failed", serde_json::to_string(&batch.failed)),
        ("missing", serde_json::to_string(&batch.missing)),
    ];
    for (name, text) in columns {
        let text = text.map_err(|e| unwritable(name, &e.to_string()))?;
        let column = js_sys::JSON::parse(&text).map_err(|e| unwritable(name, &format!("{e:?}")))?;
        set(&object, name, &column)?;
    }
    set(
        &object,
        "as_of",
        &JsValue::from_str(&batch.as_of.to_string()),
    )?;
    if let Some(stage) = batch.stage {
        set(&object, "stage", &to_js_text(&stage)?)?;
    }
    Ok(object.into())
}

/// Sets `object[key]` (a fresh plain object: this cannot throw).
fn set(object: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), Failure> {
    js_sys::Reflect::set(object, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(|e| unwritable(key, &format!("{e:?}")))
}

/// A column that could not be written: a bug of euca, reported as `internal_error`, never a panic.
fn unwritable(column: &str, why: &str) -> Failure {
    Failure::new(
        "internal_error",
        "",
        format!("internal error: the batch column `{column}` could not be written ({why})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integer_beyond_2_pow_53_is_found_at_any_depth_and_of_either_sign() {
        let found = |v: serde_json::Value| unsafe_integer(&v.to_string()).map(str::to_string);
        let safe = serde_json::json!({"a": [9_007_199_254_740_991_u64, -9_007_199_254_740_991_i64, 1.5e300, 1e16, -0.5]});
        assert_eq!(found(safe), None);
        let deep = serde_json::json!({"a": [{"b": 1}, {"c": 9_007_199_254_740_992_u64}, 9_007_199_254_740_993_u64]});
        assert_eq!(found(deep).as_deref(), Some("9007199254740992"));
        assert_eq!(
            found(serde_json::json!([-9_007_199_254_740_992_i64])).as_deref(),
            Some("-9007199254740992")
        );
        assert_eq!(
            found(serde_json::json!([u64::MAX])).as_deref(),
            Some("18446744073709551615")
        );
        // Digits in strings, keys and escapes are text, not numbers.
        let strings = serde_json::json!({"90071992547409930": "12345678901234567890", "q": "\"99999999999999999\\", "n": 7});
        assert_eq!(found(strings), None);
    }
}
