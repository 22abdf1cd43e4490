//! The member states of the EU on a given day, for calls that admit applicants "established in a
//! Member State of the European Union".
//!
//! Source: the EU's list of member countries and their years of entry,
//! <https://european-union.europa.eu/principles-countries-history/eu-countries_en>, and, for the
//! United Kingdom's withdrawal on 31 January 2020, the Commission's page on the Withdrawal
//! Agreement, <https://commission.europa.eu/strategy-and-policy/relations-united-kingdom/eu-uk-withdrawal-agreement_en>.
//! Accession takes effect on 1 January of the year of entry, except 1 May 2004 and 1 July 2013.

use chrono::NaiveDate;

/// A calendar day as (year, month, day).
type Ymd = (i32, u32, u32);

/// (ISO alpha-2, first day of membership, last day of membership).
const MEMBERS: [(&str, Ymd, Option<Ymd>); 28] = [
    ("BE", (1958, 1, 1), None),
    ("DE", (1958, 1, 1), None),
    ("FR", (1958, 1, 1), None),
    ("IT", (1958, 1, 1), None),
    ("LU", (1958, 1, 1), None),
    ("NL", (1958, 1, 1), None),
    ("DK", (1973, 1, 1), None),
    ("IE", (1973, 1, 1), None),
    ("GB", (1973, 1, 1), Some((2020, 1, 31))),
    ("GR", (1981, 1, 1), None),
    ("ES", (1986, 1, 1), None),
    ("PT", (1986, 1, 1), None),
    ("AT", (1995, 1, 1), None),
    ("FI", (1995, 1, 1), None),
    ("SE", (1995, 1, 1), None),
    ("CY", (2004, 5, 1), None),
    ("CZ", (2004, 5, 1), None),
    ("EE", (2004, 5, 1), None),
    ("HU", (2004, 5, 1), None),
    ("LV", (2004, 5, 1), None),
    ("LT", (2004, 5, 1), None),
    ("MT", (2004, 5, 1), None),
    ("PL", (2004, 5, 1), None),
    ("SK", (2004, 5, 1), None),
    ("SI", (2004, 5, 1), None),
    ("BG", (2007, 1, 1), None),
    ("RO", (2007, 1, 1), None),
    ("HR", (2013, 7, 1), None),
];

fn day((y, m, d): Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Where each code of [`MEMBERS`] is in it, plus one (0 for a code that is not there), at
/// `(first letter - 'A') * 26 + (second letter - 'A')`: screening many applications asks for
/// every applicant whether its country is a member state, a look-up here rather than a scan of
/// 28 codes.
const PLACES: [u8; 26 * 26] = places();

// Evaluated when the crate is compiled: an index out of range fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn places() -> [u8; 26 * 26] {
    let mut out = [0u8; 26 * 26];
    let mut i = 0;
    while i < MEMBERS.len() {
        let code = MEMBERS[i].0.as_bytes();
        out[(code[0] - b'A') as usize * 26 + (code[1] - b'A') as usize] = (i + 1) as u8;
        i += 1;
    }
    out
}

/// The entry of [`MEMBERS`] of a code (upper-case ISO alpha-2), if it has one.
fn member(code: &str) -> Option<&'static (&'static str, Ymd, Option<Ymd>)> {
    let &[a, b] = code.as_bytes() else {
        return None;
    };
    if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
        return None;
    }
    let place = PLACES.get(usize::from(a - b'A') * 26 + usize::from(b - b'A'))?;
    MEMBERS.get(usize::from(*place).checked_sub(1)?)
}

/// Whether a country (ISO alpha-2; `EL` is accepted for Greece) was an EU member state on a day.
pub fn is_member_state(country: &str, on: NaiveDate) -> bool {
    let code = if country == "EL" { "GR" } else { country };
    member(code).is_some_and(|(_, from, to)| day(*from) <= on && to.is_none_or(|t| on <= day(t)))
}

/// The member states on a day, in protocol order of accession.
pub fn member_states(on: NaiveDate) -> Vec<&'static str> {
    MEMBERS
        .iter()
        .filter(|(c, ..)| is_member_state(c, on))
        .map(|(c, ..)| *c)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn membership_follows_accession_and_withdrawal() {
        assert_eq!(member_states(d("2020-09-04")).len(), 27);
        assert_eq!(member_states(d("2019-12-31")).len(), 28);
        assert_eq!(member_states(d("2010-01-01")).len(), 27);
        assert!(is_member_state("GB", d("2020-01-31")));
        assert!(!is_member_state("GB", d("2020-02-01")));
        assert!(!is_member_state("HR", d("2013-06-30")));
        assert!(is_member_state("HR", d("2013-07-01")));
        assert!(is_member_state("EL", d("2015-01-01")));
        assert!(!is_member_state("TJ", d("2015-01-01")));
    }

    #[test]
    fn every_code_is_found_by_its_place_and_no_other() {
        for (i, (code, ..)) in MEMBERS.iter().enumerate() {
            assert_eq!(member(code).map(|m| m.0), Some(*code), "{code} at {i}");
        }
        let members: Vec<&str> = MEMBERS.iter().map(|m| m.0).collect();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(
                    member(&code).is_some(),
                    members.contains(&code.as_str()),
                    "{code}"
                );
            }
        }
        for other in [
            "",
            "B",
            "BEL",
            "be",
            "Be",
            "bE",
            "É",
            "@A",
            "A[",
            "\u{0}\u{0}",
        ] {
            assert!(member(other).is_none(), "{other:?}");
            assert!(!is_member_state(other, d("2015-01-01")), "{other:?}");
        }
        assert!(!is_member_state("el", d("2015-01-01")));
    }
}
