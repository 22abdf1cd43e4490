//! Errors as JavaScript sees them: a real `Error` whose `name` is `EucaError`, with a stable
//! `code` (docs/errors.md) and `errors`, the list of `{code, message, path}` problems.
//!
//! One conversion per core error type; every binding function returns `Result<_, JsValue>` built
//! from a [`Failure`], so nothing is ever thrown as a string or a plain object.

use euca::{DatasetError, DateError, QueryError};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The `name` of every error euca throws.
pub const ERROR_NAME: &str = "EucaError";

/// One problem: a code, a message and the JSON path (or argument name) of the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// The stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Where: a JSON path into a document (`budget.requested`), an argument name (`asOf`), or
    /// empty for the whole input.
    pub path: String,
}

/// An error on its way to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The stable code (of the first problem).
    pub code: String,
    /// The message of the `Error`.
    pub message: String,
    /// Every problem found.
    pub errors: Vec<Detail>,
}

impl Failure {
    /// A failure with one problem.
    pub fn new(code: &str, path: &str, message: impl Into<String>) -> Failure {
        let message = message.into();
        Failure {
            code: code.to_string(),
            message: message.clone(),
            errors: vec![Detail {
                code: code.to_string(),
                message,
                path: path.to_string(),
            }],
        }
    }

    /// A query error, about the argument `argument`.
    pub fn query(error: &QueryError, argument: &str) -> Failure {
        Failure::new(error.code().as_str(), argument, error.to_string())
    }

    /// A date that cannot be read, given as the argument `argument`.
    pub fn date(error: &DateError, argument: &str) -> Failure {
        Failure::new(error.code(), argument, error.to_string())
    }

    /// A document that cannot be read: every problem with its path.
    pub fn dataset(error: &DatasetError) -> Failure {
        Failure {
            code: error.code().as_str().to_string(),
            message: error.to_string(),
            errors: error
                .problems()
                .iter()
                .map(|p| Detail {
                    code: p.code.as_str().to_string(),
                    message: p.message.clone(),
                    path: p.path.clone(),
                })
                .collect(),
        }
    }

    /// The failure of a value given as the argument `argument`, every path under it
    /// (`max_eu_contribution[3]` → `batch.max_eu_contribution[3]`, the value itself → `batch`).
    pub fn under(self, argument: &str) -> Failure {
        self.moved(|path| {
            Some(match path {
                "" => argument.to_string(),
                p if p.starts_with('[') => format!("{argument}{p}"),
                p => format!("{argument}.{p}"),
            })
        })
    }

    /// The failure with every path that starts with `from` (the whole path, or followed by `.`
    /// or `[`) starting with `to` instead, in the problems and in the message: an item read
    /// alone (`[0]`) reported where it is in its list (`[41]`).
    pub fn renumbered(self, from: &str, to: &str) -> Failure {
        self.moved(|path| {
            path.strip_prefix(from)
                .filter(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                .map(|rest| format!("{to}{rest}"))
        })
    }

    /// Each path that `to` moves, moved; and in the message, which names the first problem's
    /// path as a document's errors do (`... at `[0].budget``), that path.
    fn moved(mut self, to: impl Fn(&str) -> Option<String>) -> Failure {
        if let Some(first) = self.errors.first()
            && let Some(new) = to(&first.path).filter(|_| !first.path.is_empty())
        {
            let old = format!(" at `{}`", first.path);
            if let Some(at) = self.message.rfind(&old) {
                self.message
                    .replace_range(at..at + old.len(), &format!(" at `{new}`"));
            }
        }
        for d in &mut self.errors {
            if let Some(path) = to(&d.path) {
                d.path = path;
            }
        }
        self
    }

    /// The JavaScript `Error`.
    pub fn to_js(&self) -> JsValue {
        let error = js_sys::Error::new(&self.message);
        error.set_name(ERROR_NAME);
        let errors = Array::new();
        for d in &self.errors {
            let item = Object::new();
            set(&item, "code", &JsValue::from_str(&d.code));
            set(&item, "message", &JsValue::from_str(&d.message));
            set(&item, "path", &JsValue::from_str(&d.path));
            errors.push(&item);
        }
        set(&error, "code", &JsValue::from_str(&self.code));
        set(&error, "errors", &errors);
        error.unchecked_into()
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        failure.to_js()
    }
}

impl From<DatasetError> for Failure {
    fn from(error: DatasetError) -> Failure {
        Failure::dataset(&error)
    }
}

/// Sets a property on a fresh object (cannot fail for plain objects and errors we created).
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `Result` of a binding function.
pub type JsResult<T> = Result<T, JsValue>;

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(failure: &Failure) -> Vec<&str> {
        failure.errors.iter().map(|d| d.path.as_str()).collect()
    }

    #[test]
    fn renumbered_moves_the_paths_under_the_item_and_the_message_of_the_first() {
        let error = DatasetError::new(vec![
            euca::Problem::new(
                euca::Code::InvalidValue,
                "[0].budget.requested",
                "not an amount",
            ),
            euca::Problem::new(euca::Code::InvalidType, "[0]", "not an object"),
            euca::Problem::new(euca::Code::InvalidValue, "[01]", "not the item"),
            euca::Problem::new(euca::Code::InvalidValue, "budget[0]", "not the item either"),
        ]);
        let failure = Failure::from(error).renumbered("[0]", "[41]");
        assert_eq!(
            problems(&failure),
            ["[41].budget.requested", "[41]", "[01]", "budget[0]"]
        );
        assert_eq!(
            failure.message,
            "not an amount at `[41].budget.requested` (and 3 more problems)"
        );
        assert_eq!(failure.errors[0].message, "not an amount");
    }

    #[test]
    fn renumbered_moves_a_nested_path_and_leaves_the_message_of_a_first_problem_not_moved() {
        let error = DatasetError::new(vec![
            euca::Problem::new(euca::Code::InvalidType, "batch.failed[0][1]", "not an id"),
            euca::Problem::new(
                euca::Code::InvalidValue,
                "batch.verdicts[0]",
                "not a verdict",
            ),
        ]);
        let failure = Failure::from(error)
            .renumbered("batch.failed[0]", "batch.failed[7]")
            .renumbered("batch.verdicts[0]", "batch.verdicts[7]");
        assert_eq!(
            problems(&failure),
            ["batch.failed[7][1]", "batch.verdicts[7]"]
        );
        assert_eq!(
            failure.message,
            "not an id at `batch.failed[7][1]` (and 1 more problems)"
        );
        let first_stays = DatasetError::new(vec![
            euca::Problem::new(euca::Code::InvalidDate, "batch.as_of", "month 13"),
            euca::Problem::new(
                euca::Code::InvalidValue,
                "batch.verdicts[0]",
                "not a verdict",
            ),
        ]);
        let failure =
            Failure::from(first_stays).renumbered("batch.verdicts[0]", "batch.verdicts[7]");
        assert_eq!(problems(&failure), ["batch.as_of", "batch.verdicts[7]"]);
        assert_eq!(
            failure.message,
            "month 13 at `batch.as_of` (and 1 more problems)"
        );
    }

    #[test]
    fn under_puts_every_path_under_the_argument() {
        let error = DatasetError::new(vec![
            euca::Problem::new(euca::Code::InvalidValue, "max_eu_contribution[3]", "NaN"),
            euca::Problem::new(euca::Code::InvalidType, "", "not an object"),
            euca::Problem::new(euca::Code::InvalidType, "[2]", "not a list"),
        ]);
        let failure = Failure::from(error).under("batch");
        assert_eq!(
            problems(&failure),
            ["batch.max_eu_contribution[3]", "batch", "batch[2]"]
        );
        assert_eq!(
            failure.message,
            "NaN at `batch.max_eu_contribution[3]` (and 2 more problems)"
        );
    }

    #[test]
    fn renumbered_leaves_a_failure_whose_first_problem_is_elsewhere() {
        let failure = Failure::new("invalid_value", "index", "no row 3 in the batch (it has 2)");
        let moved = failure
            .clone()
            .renumbered("batch.verdicts[0]", "batch.verdicts[3]");
        assert_eq!(moved, failure);
    }
}
