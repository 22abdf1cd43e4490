//! # euca for JavaScript
//!
//! WebAssembly bindings of [euca](https://github.com/euca-project/euca): the sourced dataset of
//! the EU's human rights dialogues with the five Central Asian states, their cycles, and the
//! eligibility rules of the EU funding calls, for browsers and Node.
//!
//! ```js
//! import init, { Dataset } from "euca";   // the browser build; Node: require("euca")
//! await init();
//! const data = Dataset.embedded();
//! data.formatOn("TM", "2009").possible[0].dialogue_type;   // "structured"
//! ```
//!
//! The bindings are thin: each function converts its arguments, calls the core crate and converts
//! the result or the error. Handles (`Dataset`, `Call`, `Decision`) own WebAssembly memory and
//! have `free()`; everything else is plain data in the canonical JSON shape (snake_case keys).
//! Errors are `Error` objects named `EucaError` with a stable `code` and `errors`
//! (`{code, message, path}` each).

mod call;
#[cfg(feature = "full")]
mod dataset;
pub mod error;
pub mod input;
pub mod output;
#[cfg(feature = "full")]
mod projects;
#[cfg(feature = "full")]
mod tape;
pub mod types;
#[cfg(target_arch = "wasm32")]
mod zones;

use wasm_bindgen::prelude::*;

/// The allocator: talc rather than Rust's default for WebAssembly (dlmalloc), smaller and faster
/// for the many small allocations of reading applications (BENCHMARKS.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "full")]
pub use call::compare;
pub use call::{Call, Decision};
#[cfg(feature = "full")]
pub use dataset::Dataset;
#[cfg(feature = "full")]
pub use projects::{read_iati, to_iati};

use crate::error::{Failure, JsResult};
use crate::output::to_js;

/// Installs the panic hook when the module is instantiated (a bug that panics reports its
/// message on the console, `panicked at ...`, before the call fails) and gives the core the time
/// zones of JavaScript's `Intl` (src/zones.rs). The module's start function,
/// run by `init()` (browser) or `require` (Node); `private` keeps it out of the package's exports.
#[wasm_bindgen(start, private)]
fn start() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    zones::register();
}

/// Panics, to prove the panic hook (tests/panic.test.mjs). Built only with the test-only
/// `panic-probe` feature, never into the package.
#[cfg(feature = "panic-probe")]
#[wasm_bindgen(js_name = panicProbe)]
#[allow(clippy::panic)]
pub fn panic_probe() {
    panic!("the panic probe of tests/panic.test.mjs");
}

/// The version of the euca package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Reads a date of euca's EDTF subset (`2005`, `2008-06`, `2008-10-15`,
/// `2007-05-08/2007-05-09`, `[2018,2019]`): its canonical form, first and last possible day and
/// precision.
#[wasm_bindgen(js_name = parseDate, unchecked_return_type = "DateInfo")]
pub fn parse_date(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult<JsValue> {
    let t = input::text(&text, "text")?;
    let d = euca::Date::parse(&t).map_err(|e| Failure::date(&e, "text"))?;
    let info = types::DateInfo {
        display: d.to_string(),
        earliest: d.earliest().to_string(),
        latest: d.latest().to_string(),
        precision: d.precision(),
    };
    Ok(to_js(&info)?)
}

/// Whether date `a` is before, the same day as, or after date `b`, or `cannot_tell` when
/// partial dates overlap.
#[wasm_bindgen(js_name = dateRelation, unchecked_return_type = "Relation")]
pub fn date_relation(
    #[wasm_bindgen(unchecked_param_type = "DateInput")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateInput")] b: JsValue,
) -> JsResult<JsValue> {
    let a = input::required_edtf(&a, "a")?;
    let b = input::required_edtf(&b, "b")?;
    Ok(to_js(&a.relation(&b))?)
}

/// The member states of the EU on a day (default today in UTC), ISO 3166 alpha-2 codes in order
/// of accession (the United Kingdom until 31 January 2020).
#[wasm_bindgen(js_name = euMemberStates, unchecked_return_type = "string[]")]
pub fn eu_member_states(
    #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] on: JsValue,
) -> JsResult<JsValue> {
    let day = input::day_or_today(&on, "on")?;
    Ok(to_js(&euca::eu::member_states(day))?)
}

/// Every error code euca raises (the catalogue of docs/errors.md), in catalogue order.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "string[]")]
pub fn error_codes() -> JsResult<JsValue> {
    let codes: Vec<&str> = euca::Code::ALL.iter().map(|c| c.as_str()).collect();
    Ok(to_js(&codes)?)
}

/// The JSON Schema of an application (what `Call.evaluate` reads).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = applicationSchema, unchecked_return_type = "Record<string, unknown>")]
pub fn application_schema() -> JsResult<JsValue> {
    let v: serde_json::Value =
        serde_json::from_str(&euca::schema::application_schema()).unwrap_or_default();
    Ok(to_js(&v)?)
}

/// The JSON Schema of a rule set (what `Call.fromJson` reads).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = ruleSetSchema, unchecked_return_type = "Record<string, unknown>")]
pub fn rule_set_schema() -> JsResult<JsValue> {
    let v: serde_json::Value =
        serde_json::from_str(&euca::schema::rule_set_schema()).unwrap_or_default();
    Ok(to_js(&v)?)
}
