//! Results to JavaScript: plain objects and arrays (serde-wasm-bindgen, JSON-compatible: objects,
//! not `Map`s; keys in the core's order).

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::Failure;

/// A result as plain JavaScript data.
///
/// Numbers are JavaScript numbers; an integer beyond 2^53 (an amount over 90 trillion euros in
/// cents) cannot be one exactly, so such a result is given with `BigInt`s instead of being cut.
///
/// # Errors
/// Only if a value cannot be represented at all (never for euca's records).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let plain = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&plain).or_else(|_| {
        let big = serde_wasm_bindgen::Serializer::json_compatible()
            .serialize_large_number_types_as_bigints(true);
        value
            .serialize(&big)
            .map_err(|e| Failure::new("invalid_value", "", e.to_string()))
    })
}
