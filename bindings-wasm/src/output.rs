//! Results to JavaScript: plain objects and arrays (serde-wasm-bindgen, JSON-compatible: objects,
//! not `Map`s; keys in the core's order).

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::Failure;

/// A result as plain JavaScript data.
///
/// Numbers are JavaScript numbers. Amounts are read up to 2^53 − 1 minor units, so every amount
/// is exact as one; a total beyond it (funding sums of huge IATI files) is the typed error
/// `money_too_large`, never a number rounded in silence.
///
/// # Errors
/// `money_too_large` for an integer beyond 2^53 − 1.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            Failure::new(
                "money_too_large",
                "",
                format!(
                    "money too large: the result holds an integer beyond 2^53 - 1, which a JavaScript number cannot hold exactly ({e})"
                ),
            )
        })
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

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
