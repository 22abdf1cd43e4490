//! The documented limits on input, and the checks that enforce them with errors (never a crash,
//! a stack overflow or a hang). docs/errors.md lists them with their codes.
//!
//! | limit | value | code |
//! |---|---|---|
//! | size of a JSON document | [`MAX_DOCUMENT_BYTES`] (16 MiB) | `input_too_large` |
//! | nesting of arrays and objects, and of tests in a rule | [`MAX_DEPTH`] (64) | `input_too_deep` |
//! | criteria of a rule set (each of `criteria`, `replace`, `remove`) and of a compiled call | [`MAX_CRITERIA`] (1024) | `input_too_large` |
//! | rule sets in an `extends` chain | [`MAX_EXTENDS`] (32) | `input_too_deep` |
//! | the number of a dialogue round | [`MAX_ROUND_NUMBER`] (999) | `invalid_value` |
//! | applications in one batch (a list or JSON Lines) | [`MAX_BATCH`] (1 048 576) | `input_too_large` |
//!
//! The size and depth of a document are checked before it is parsed; the depth of a document
//! the bindings receive as Python or JavaScript objects is checked before it is converted.

use crate::error::{Code, DatasetError, Problem};
use crate::rules::{RuleSet, Test};

pub use crate::dataset::{MAX_DEPTH, MAX_DOCUMENT_BYTES};

/// The most criteria a rule set may list in each of `criteria`, `replace` and `remove`, and the
/// most a compiled call may have with those it inherits.
pub const MAX_CRITERIA: usize = 1024;

/// The most rule sets an `extends` chain may hold (a call, its lots and its instrument need 3).
pub const MAX_EXTENDS: usize = 32;

/// The highest number a dialogue round may have. Rounds missing between two numbered ones are
/// derived one by one (round 16 between 15 and 17), so the number bounds that work; the
/// dialogues euca models have held about twenty rounds each.
pub const MAX_ROUND_NUMBER: u32 = 999;

/// The most applications one batch may hold (a list of applications or JSON Lines): 2^20, so that
/// a batch of a million fits and larger sets are split (as Dask partitions do).
pub const MAX_BATCH: usize = 1 << 20;

/// The problems of a rule set with the limits, found before it is compiled: a list of criteria
/// longer than [`MAX_CRITERIA`], tests nested deeper than [`MAX_DEPTH`] (only a rule set built
/// in Rust can have them: a JSON document that deep is refused when it is read).
pub(crate) fn rule_set_problems(rule_set: &RuleSet, path: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let lists = [
        ("criteria", rule_set.criteria.len()),
        ("replace", rule_set.replace.len()),
        ("remove", rule_set.remove.len()),
    ];
    for (key, len) in lists {
        if len > MAX_CRITERIA {
            problems.push(Problem::new(
                Code::InputTooLarge,
                crate::dataset::join_path(path, &format!("{key}[{MAX_CRITERIA}]")),
                format!("`{key}` lists {len} criteria; a rule set may list at most {MAX_CRITERIA}"),
            ));
        }
    }
    let lists = [
        ("criteria", &rule_set.criteria),
        ("replace", &rule_set.replace),
    ];
    for (key, criteria) in lists {
        for (i, c) in criteria.iter().enumerate() {
            if let Some(depth) = test_depth_exceeding(&c.test, MAX_DEPTH) {
                problems.push(Problem::new(
                    Code::InputTooDeep,
                    crate::dataset::join_path(path, &format!("{key}[{i}].test")),
                    format!(
                        "the tests of criterion `{}` nest deeper than {MAX_DEPTH} levels (at least {depth})",
                        c.id
                    ),
                ));
            }
        }
    }
    problems
}

/// The problem of a compiled call with more than [`MAX_CRITERIA`] criteria, if it has.
pub(crate) fn flattened_problem(count: usize, path: &str) -> Option<Problem> {
    (count > MAX_CRITERIA).then(|| {
        Problem::new(
            Code::InputTooLarge,
            crate::dataset::join_path(path, "criteria"),
            format!(
                "with the criteria it inherits the call has more than {MAX_CRITERIA} criteria ({count} so far); a call may have at most {MAX_CRITERIA}"
            ),
        )
    })
}

/// The problem of an `extends` chain longer than [`MAX_EXTENDS`] rule sets.
pub(crate) fn extends_problem(path: &str) -> Problem {
    Problem::new(
        Code::InputTooDeep,
        crate::dataset::join_path(path, "extends"),
        format!("the `extends` chain is longer than {MAX_EXTENDS} rule sets"),
    )
}

/// Checks the size of a batch before it is read: an error at the path of the first application
/// past the limit (`[1048576]`).
///
/// # Errors
/// `input_too_large` when `count` exceeds [`MAX_BATCH`].
pub fn check_batch(count: usize) -> Result<(), DatasetError> {
    if count <= MAX_BATCH {
        return Ok(());
    }
    Err(DatasetError::new(vec![batch_problem(Some(count))]))
}

/// The problem of a batch over [`MAX_BATCH`] applications (`None`: the count is not known yet).
pub(crate) fn batch_problem(count: Option<usize>) -> Problem {
    let how_many = count.map_or_else(
        || format!("more than {MAX_BATCH}"),
        |count| count.to_string(),
    );
    Problem::new(
        Code::InputTooLarge,
        format!("[{MAX_BATCH}]"),
        format!(
            "the batch has {how_many} applications; one batch may hold at most {MAX_BATCH}: split it"
        ),
    )
}

/// The path of the first array or object (in document order) that nests deeper than
/// [`MAX_DEPTH`] in JSON text: what an `input_too_deep` error names. Called only once the text is
/// known to be too deep; it scans bytes and keeps one step per open level, without parsing.
pub(crate) fn deep_text_path(text: &str) -> String {
    // One frame per open array or object: where its current child is.
    enum Frame {
        Object { key: String, expect_key: bool },
        Array { index: usize },
    }
    let path = |frames: &[Frame]| {
        let mut out = String::new();
        for f in frames {
            match f {
                Frame::Object { key, .. } => out = crate::dataset::join_path(&out, key),
                Frame::Array { index } => out.push_str(&format!("[{index}]")),
            }
        }
        out
    };
    let mut frames: Vec<Frame> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Find the end of the string, skipping escaped characters.
                let start = i + 1;
                let mut j = start;
                while let Some(&c) = bytes.get(j) {
                    match c {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                if let Some(Frame::Object { key, expect_key }) = frames.last_mut()
                    && *expect_key
                {
                    let raw = text.get(start..j.min(text.len())).unwrap_or_default();
                    *key = serde_json::from_str::<String>(&format!("\"{raw}\""))
                        .unwrap_or_else(|_| raw.to_string());
                    *expect_key = false;
                }
                i = j + 1;
                continue;
            }
            b'[' | b'{' => {
                if frames.len() >= MAX_DEPTH {
                    return path(&frames);
                }
                frames.push(if b == b'[' {
                    Frame::Array { index: 0 }
                } else {
                    Frame::Object {
                        key: String::new(),
                        expect_key: true,
                    }
                });
            }
            b']' | b'}' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    String::new()
}

/// The path of the first array or object (in document order) that nests deeper than
/// [`MAX_DEPTH`] in a parsed value. The walk recurses at most [`MAX_DEPTH`] + 1 levels.
pub(crate) fn deep_value_path(value: &serde_json::Value) -> String {
    fn find(value: &serde_json::Value, depth: usize, path: &str) -> Option<String> {
        use serde_json::Value;
        let children: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}[{i}]"), v))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (crate::dataset::join_path(path, k), v))
                .collect(),
            _ => return None,
        };
        if depth >= MAX_DEPTH {
            return Some(path.to_string());
        }
        children
            .into_iter()
            .find_map(|(p, v)| find(v, depth + 1, &p))
    }
    find(value, 0, "").unwrap_or_default()
}

/// The nesting depth of tests, if it exceeds `limit` (walked without recursion).
fn test_depth_exceeding(test: &Test, limit: usize) -> Option<usize> {
    let mut stack: Vec<(&Test, usize)> = vec![(test, 1)];
    while let Some((t, depth)) = stack.pop() {
        if depth > limit {
            return Some(depth);
        }
        let next = depth + 1;
        match t {
            Test::All(ts) | Test::Any(ts) => stack.extend(ts.iter().map(|c| (c, next))),
            Test::Not(inner) => stack.push((inner, next)),
            Test::If(i) => {
                stack.push((&i.when, next));
                stack.push((&i.then, next));
                if let Some(o) = &i.otherwise {
                    stack.push((o, next));
                }
            }
            Test::Partners(p) => {
                if let Some(m) = &p.meeting {
                    stack.push((m, next));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::rules::DurationTest;

    fn nested(levels: usize) -> Test {
        let mut t = Test::Duration(DurationTest {
            min_months: None,
            max_months: Some(1),
        });
        for _ in 1..levels {
            t = Test::Not(Box::new(t));
        }
        t
    }

    #[test]
    fn test_depth_is_measured_without_recursion() {
        assert_eq!(test_depth_exceeding(&nested(MAX_DEPTH), MAX_DEPTH), None);
        assert_eq!(
            test_depth_exceeding(&nested(MAX_DEPTH + 1), MAX_DEPTH),
            Some(MAX_DEPTH + 1)
        );
        assert_eq!(
            test_depth_exceeding(&nested(10_000), MAX_DEPTH),
            Some(MAX_DEPTH + 1)
        );
    }

    #[test]
    fn a_too_deep_document_names_the_first_container_past_the_limit() {
        let deep = |open: &str, close: &str, n: usize| {
            format!(
                "{{\"a\": [1, {{\"b\": {}{}}}]}}",
                open.repeat(n),
                close.repeat(n)
            )
        };
        // Three levels before the nest (`{`, `[`, `{`): the 65th level is the 62nd array.
        let text = deep("[", "]", MAX_DEPTH);
        let path = deep_text_path(&text);
        assert_eq!(path, format!("a[1].b{}", "[0]".repeat(MAX_DEPTH - 3)));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(deep_value_path(&value), path);
        // Keys with commas, quotes and braces inside do not mislead the scan.
        let text = format!(
            "{}null{}",
            "{\"k,\\\"}\": ".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(deep_text_path(&text), deep_value_path(&value));
        assert!(deep_text_path(&text).ends_with(".k,\"}"));
    }

    #[test]
    fn batches_at_the_limit_pass_and_past_it_fail_at_the_first_extra_row() {
        assert!(check_batch(MAX_BATCH).is_ok());
        let e = check_batch(MAX_BATCH + 1).unwrap_err();
        assert_eq!(e.code(), Code::InputTooLarge);
        assert_eq!(e.problems()[0].path, "[1048576]");
    }
}
