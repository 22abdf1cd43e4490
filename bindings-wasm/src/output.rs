//! Results to JavaScript: plain objects and arrays, written as JSON text by serde_json and read
//! by `JSON.parse` (objects, not `Map`s; keys in the core's order).

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::error::Failure;

/// A result as plain JavaScript data: the value as serde_json writes it, read by `JSON.parse`.
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
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let json = serde_json::to_value(value).map_err(|e| unwritable("result", &e.to_string()))?;
    if let Some(number) = unsafe_integer(&json) {
        return Err(Failure::new(
            "money_too_large",
            "",
            format!(
                "money too large: the result holds the integer {number}, beyond 2^53 - 1, which a JavaScript number cannot hold exactly"
            ),
        ));
    }
    let text = json.to_string();
    js_sys::JSON::parse(&text).map_err(|e| unwritable("result", &format!("{e:?}")))
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The first integer of `value` that a JavaScript number cannot hold exactly (beyond ±(2^53 − 1)).
fn unsafe_integer(value: &Value) -> Option<&serde_json::Number> {
    match value {
        Value::Number(n) => {
            let safe = n
                .as_u64()
                .map(|u| u <= MAX_SAFE_INTEGER)
                .or_else(|| n.as_i64().map(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER));
            (safe == Some(false)).then_some(n)
        }
        Value::Array(items) => items.iter().find_map(unsafe_integer),
        Value::Object(fields) => fields.values().find_map(unsafe_integer),
        Value::Null | Value::Bool(_) | Value::String(_) => None,
    }
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
        set(&object, "stage", &to_js(&stage)?)?;
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
    fn an_integer_beyond_2_pow_53_is_found_at_any_depth() {
        let safe = serde_json::json!({"a": [9_007_199_254_740_991_u64, -9_007_199_254_740_991_i64, 1.5e300]});
        assert_eq!(unsafe_integer(&safe), None);
        let deep = serde_json::json!({"a": [{"b": 9_007_199_254_740_992_u64}]});
        assert_eq!(
            unsafe_integer(&deep).map(ToString::to_string).as_deref(),
            Some("9007199254740992")
        );
        let negative = serde_json::json!([-9_007_199_254_740_992_i64]);
        assert_eq!(
            unsafe_integer(&negative)
                .map(ToString::to_string)
                .as_deref(),
            Some("-9007199254740992")
        );
    }
}
