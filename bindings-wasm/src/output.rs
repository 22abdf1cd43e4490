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
