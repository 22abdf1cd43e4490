//! The code tables that rule sets and a dataset's code tables are checked against: ISO 3166-1
//! alpha-2 countries, ISO 4217 currencies, DAC 5-digit sector codes and IATI organisation types
//! (the IATI codelists of [`crate::iati`], IATI Standard, <http://iatistandard.org/>, CC BY 4.0).
//!
//! A code a rule set or a code table names must exist: a call that admits applicants from `XX`
//! admits no one, and nothing would say why. An application, on the other hand, is data: a code
//! it gives that no list holds simply fails (or, for a currency, leaves undetermined) the criteria
//! that read it, with the reason, as docs/errors.md explains.

use crate::error::{Code, Problem};
use crate::iati::codelists as lists;
use crate::rules::RuleSet;

/// The problems of the codes a rule set names at its top level: the country it is for and its
/// currency (the codes in its tests are checked with the tests, in `call::check_test`).
pub(crate) fn rule_set_problems(rule_set: &RuleSet, path: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(message) = rule_set.country.as_deref().and_then(country_problem) {
        problems.push(Problem::new(
            Code::InvalidValue,
            crate::dataset::join_path(path, "country"),
            message,
        ));
    }
    if let Some(message) = rule_set.currency.and_then(|c| currency_problem(c.as_str())) {
        problems.push(Problem::new(
            Code::InvalidValue,
            crate::dataset::join_path(path, "currency"),
            message,
        ));
    }
    problems
}

/// Why a country code is not one euca knows, if it is not (`None` for a known code).
pub(crate) fn country_problem(code: &str) -> Option<String> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Some(format!(
            "`{code}` is not an ISO 3166 alpha-2 code (two capital letters)"
        ));
    }
    if lists::COUNTRY.contains(&code) || lists::COUNTRY_WITHDRAWN.contains(&code) {
        return None;
    }
    Some(format!(
        "unknown country code `{code}`: no ISO 3166 country has it"
    ))
}

/// Why a DAC sector code is not one euca knows, if it is not.
pub(crate) fn sector_problem(code: &str) -> Option<String> {
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("`{code}` is not a DAC 5-digit purpose code"));
    }
    if lists::SECTOR.contains(&code) || lists::SECTOR_WITHDRAWN.contains(&code) {
        return None;
    }
    Some(format!(
        "unknown DAC sector code `{code}`: it is not in the DAC purpose codes (IATI Sector codelist)"
    ))
}

/// Why an IATI organisation type code is not one euca knows, if it is not.
pub(crate) fn organisation_type_problem(code: &str) -> Option<String> {
    if lists::ORGANISATION_TYPE.contains(&code)
        || lists::ORGANISATION_TYPE_WITHDRAWN.contains(&code)
    {
        return None;
    }
    Some(format!(
        "unknown organisation type `{code}`: it is not in the IATI OrganisationType codelist (`22` is a national NGO)"
    ))
}

/// Why a currency code is not one euca knows, if it is not (its shape is checked when it is read).
pub(crate) fn currency_problem(code: &str) -> Option<String> {
    if lists::CURRENCY.contains(&code) || lists::CURRENCY_WITHDRAWN.contains(&code) {
        return None;
    }
    Some(format!(
        "unknown currency `{code}`: it is not an ISO 4217 code (IATI Currency codelist)"
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_pass_and_others_say_why() {
        assert_eq!(country_problem("TJ"), None);
        assert!(
            country_problem("XX")
                .unwrap()
                .contains("unknown country code `XX`")
        );
        assert!(
            country_problem("tj")
                .unwrap()
                .contains("two capital letters")
        );
        assert_eq!(sector_problem("15160"), None);
        assert_eq!(
            sector_problem("15162"),
            None,
            "withdrawn codes are still codes"
        );
        assert!(
            sector_problem("99999")
                .unwrap()
                .contains("unknown DAC sector")
        );
        assert!(sector_problem("151").unwrap().contains("5-digit"));
        assert_eq!(organisation_type_problem("22"), None);
        assert!(organisation_type_problem("99").is_some());
        assert_eq!(currency_problem("EUR"), None);
        assert!(currency_problem("XYZ").is_some());
    }
}
