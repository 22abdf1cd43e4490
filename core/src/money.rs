//! Exact money: integer minor units (cents) with an explicit ISO 4217 currency, and exact percentages.
//!
//! Amounts in JSON are integers in minor units (`26975700` is EUR 269 757.00). A JSON number with a
//! fractional part, or a decimal string, is accepted only when it is a whole number of minor units
//! (`"26975700"`, `26975700.0`); anything finer is an `over_precise_money` error. Negative amounts
//! are errors. Percentages are decimal strings or numbers with up to four decimals (`"7"`,
//! `"7.5"`, `90`), held as parts per million so that every comparison is an exact integer
//! cross-multiplication.
//!
//! Rounding: where euca computes an amount from a percentage (a cap on indirect costs, the largest
//! EU contribution a share allows), it rounds **down** to the cent, so that a computed maximum never
//! exceeds the rule it comes from.

use std::fmt::{self, Write as _};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 4217 currency code (`EUR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The euro, the currency of every EU call.
    pub const EUR: Currency = Currency(*b"EUR");

    /// A currency from its three-letter code.
    ///
    /// # Errors
    /// A message when the code is not three capital ASCII letters.
    pub fn new(code: &str) -> Result<Currency, String> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(Currency([*a, *b, *c]))
            }
            _ => Err(format!(
                "invalid currency `{code}`: expected an ISO 4217 code of three capital letters such as `EUR`"
            )),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::EUR
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Currency::new(&text).map_err(de::Error::custom)
    }
}

/// An amount in minor units (cents), never negative. Its currency is the budget's or the call's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Amount(pub u64);

impl Amount {
    /// The largest amount euca reads: 2^53 − 1 minor units (about 90 trillion euros). Every
    /// amount up to it is exact as a JavaScript number and as a float in Python and pandas, so
    /// no language rounds an amount another reads exactly; a larger one is `money_too_large`.
    pub const MAX: Amount = Amount(9_007_199_254_740_991);

    /// The amount, or the error of one over [`Amount::MAX`].
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] over [`Amount::MAX`].
    pub fn checked(minor: u64) -> Result<Amount, MoneyError> {
        if minor > Amount::MAX.0 {
            Err(MoneyError::TooLarge(minor.to_string()))
        } else {
            Ok(Amount(minor))
        }
    }

    /// The amount in minor units.
    pub fn minor(self) -> u64 {
        self.0
    }

    /// The amount written with two decimals and thin grouping, as guidelines write it
    /// (`400 000.00`).
    pub fn display(self) -> String {
        let units = self.0 / 100;
        let cents = self.0 % 100;
        let digits = units.to_string();
        // Written into one string of the right size: full decisions write many amounts.
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(' ');
            }
            grouped.push(ch);
        }
        let _ = write!(grouped, ".{cents:02}");
        grouped
    }

    /// Reads an amount from text: an integer number of minor units, optionally with a fractional
    /// part of zeros (`"2500"`, `"2500.00"`).
    ///
    /// # Errors
    /// A message naming the problem: not a number, negative, or over-precise.
    pub fn parse(text: &str) -> Result<Amount, MoneyError> {
        let t = text.trim();
        if let Some(rest) = t.strip_prefix('-')
            && rest.chars().any(|c| c != '0' && c != '.')
        {
            return Err(MoneyError::Negative(text.to_string()));
        }
        let (whole, fraction) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let whole = whole.trim_start_matches(['+', '-']);
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(MoneyError::NotANumber(text.to_string()));
        }
        if fraction.bytes().any(|b| b != b'0') {
            return Err(MoneyError::OverPrecise(text.to_string()));
        }
        match whole.parse::<u64>() {
            Ok(minor) if minor <= Amount::MAX.0 => Ok(Amount(minor)),
            _ => Err(MoneyError::TooLarge(text.to_string())),
        }
    }
}

/// An amount that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// A fraction of a minor unit.
    #[error(
        "over-precise money `{0}`: amounts are whole minor units (cents), so `2500.5` cents cannot be represented"
    )]
    OverPrecise(String),
    /// A negative amount.
    #[error("negative money `{0}`: amounts cannot be negative")]
    Negative(String),
    /// Not a number.
    #[error("invalid money `{0}`: expected an integer number of minor units (cents)")]
    NotANumber(String),
    /// Beyond [`Amount::MAX`] (2^53 − 1 minor units).
    #[error(
        "money too large `{0}`: amounts are at most 9007199254740991 minor units (2^53 - 1, about 90 trillion euros)"
    )]
    TooLarge(String),
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount in minor units (cents), as an integer")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Amount::checked(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        match u64::try_from(v) {
            Ok(v) => Amount::checked(v).map_err(E::custom),
            Err(_) => Err(E::custom(MoneyError::Negative(v.to_string()))),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Amount, E> {
        Err(E::custom(MoneyError::TooLarge(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Amount, E> {
        if v < 0 {
            Err(E::custom(MoneyError::Negative(v.to_string())))
        } else {
            Err(E::custom(MoneyError::TooLarge(v.to_string())))
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        if v < 0.0 {
            return Err(E::custom(MoneyError::Negative(v.to_string())));
        }
        if !v.is_finite() || v > 9_007_199_254_740_991.0 {
            return Err(E::custom(MoneyError::TooLarge(v.to_string())));
        }
        if v.fract() != 0.0 {
            return Err(E::custom(MoneyError::OverPrecise(v.to_string())));
        }
        // A finite, non-negative whole number below 2^53 converts exactly.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(Amount(v as u64))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        Amount::parse(v).map_err(E::custom)
    }
}

impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An ISO 4217 currency code",
            "type": "string",
            "pattern": "^[A-Z]{3}$"
        })
    }
}

impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount in minor units (cents): an integer, or a string or number that is a whole number of cents",
            "type": ["integer", "string", "number"],
            "minimum": 0
        })
    }
}

impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A percentage with at most four decimals, as a string (\"7.5\") or a number",
            "type": ["string", "number"]
        })
    }
}

/// A percentage, exact to four decimals (held as parts per million).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    /// A whole percentage (`Percent::whole(7)` is 7 %).
    pub fn whole(p: u32) -> Percent {
        Percent(p.saturating_mul(10_000))
    }

    /// Parts per million (7 % is 70 000).
    pub fn ppm(self) -> u64 {
        u64::from(self.0)
    }

    /// Reads `"7"`, `"7.5"`, `"0.25"` (at most four decimals, at most 1000 %).
    ///
    /// # Errors
    /// A message when the text is not such a number.
    pub fn parse(text: &str) -> Result<Percent, String> {
        let t = text.trim().trim_end_matches('%').trim();
        let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
        let ok = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() <= 4
            && whole.len() <= 4;
        if !ok {
            return Err(format!(
                "invalid percentage `{text}`: expected a number such as `7` or `7.5` with at most four decimals"
            ));
        }
        let whole: u32 = whole
            .parse()
            .map_err(|_| format!("invalid percentage `{text}`"))?;
        let mut frac: u32 = 0;
        for (i, b) in fraction.bytes().enumerate() {
            frac += u32::from(b - b'0') * 10u32.pow(3 - u32::try_from(i).unwrap_or(3));
        }
        if whole > 1000 {
            return Err(format!("invalid percentage `{text}`: at most 1000 %"));
        }
        Ok(Percent(whole * 10_000 + frac))
    }

    /// `part ≤ self × whole`, exactly.
    pub fn allows(self, part: u64, whole: u64) -> bool {
        u128::from(part) * 1_000_000 <= u128::from(whole) * u128::from(self.0)
    }

    /// `part < self × whole`, exactly.
    pub fn allows_strictly(self, part: u64, whole: u64) -> bool {
        u128::from(part) * 1_000_000 < u128::from(whole) * u128::from(self.0)
    }

    /// `self × whole`, rounded down to the minor unit.
    pub fn of(self, whole: u64) -> u64 {
        // In 64 bits when the product fits (any amount below 1.8 × 10^13 minor units at 100 %):
        // a batch asks this of every application, and a 128-bit division is a call into the
        // runtime (1.4 % of the time of a batch: `perf record` of `batch_1m/one_core`).
        if let Some(p) = whole.checked_mul(u64::from(self.0)) {
            return p / 1_000_000;
        }
        let v = u128::from(whole) * u128::from(self.0) / 1_000_000;
        u64::try_from(v).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Percent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as \"7\" or \"7.5\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
                Percent::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
                Percent::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
                Percent::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Percent, E> {
                Percent::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A ratio `part / whole` as a percentage with two decimals, rounded down (`"93.17"`), for display.
pub fn share_text(part: u64, whole: u64) -> Option<String> {
    let mut out = String::new();
    write_share(part, whole, &mut out).then_some(out)
}

/// Writes [`share_text`] at the end of `out` and returns true, or writes nothing and returns
/// false when `whole` is zero: how a batch writes its EU shares into one buffer.
pub(crate) fn write_share(part: u64, whole: u64, out: &mut String) -> bool {
    if whole == 0 {
        return false;
    }
    // In 64 bits when the product fits (any part below 1.8 × 10^15 minor units): batches write
    // one share per application, and a 128-bit division is a call into the runtime.
    let basis_points = match part.checked_mul(10_000) {
        Some(p) => u128::from(p / whole),
        None => u128::from(part) * 10_000 / u128::from(whole),
    };
    // A share below 1 000 % (nearly every one): its digits pushed one by one, at most three
    // before the point. (A batch writes one per application: 231 instructions a share, as the
    // general way below, fell to about a third.)
    if let Ok(n) = u32::try_from(basis_points)
        && n < 100_000
    {
        let (units, cents) = (n / 100, n % 100);
        // Each a digit: below 10.
        #[allow(clippy::cast_possible_truncation)]
        let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
        out.reserve(6);
        if units >= 100 {
            out.push(digit(units / 100));
        }
        if units >= 10 {
            out.push(digit(units / 10));
        }
        out.push(digit(units));
        out.push('.');
        out.push(digit(cents / 10));
        out.push(digit(cents));
        return true;
    }
    // Written by hand rather than with `format!`: batches write one per application. The
    // digits and the point into one buffer from the end, then copied into `out` at once (not a
    // `char` at a time). The digits in 64 bits too: a quotient past 64 bits (a part many times
    // the whole) is written as its 18 low digits, then the rest.
    const E18: u128 = 1_000_000_000_000_000_000;
    // At most 39 digits (`u128::MAX`) and the point.
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    // Below 100: the two decimals.
    #[allow(clippy::cast_possible_truncation)]
    push_digits((basis_points % 100) as u64, 2, &mut digits, &mut at);
    at -= 1;
    if let Some(point) = digits.get_mut(at) {
        *point = b'.';
    }
    let units = basis_points / 100;
    match u64::try_from(units) {
        Ok(n) => push_digits(n, 1, &mut digits, &mut at),
        Err(_) => {
            let low = u64::try_from(units % E18).unwrap_or_default();
            let high = u64::try_from(units / E18).unwrap_or(u64::MAX);
            push_digits(low, 18, &mut digits, &mut at);
            push_digits(high, 1, &mut digits, &mut at);
        }
    }
    // ASCII digits and a point: always UTF-8.
    out.push_str(std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
    true
}

/// Writes the decimal digits of `n`, at least `min` of them (zeros in front), before position
/// `at` of `digits`, and moves `at` to the first.
fn push_digits(mut n: u64, min: usize, digits: &mut [u8], at: &mut usize) {
    let end = *at;
    while *at > 0 {
        *at -= 1;
        // A digit: `n % 10` is below 10.
        #[allow(clippy::cast_possible_truncation)]
        if let Some(d) = digits.get_mut(*at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 && end - *at >= min {
            break;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_read_whole_minor_units_only() {
        assert_eq!(Amount::parse("2500").unwrap(), Amount(2500));
        assert_eq!(Amount::parse("2500.00").unwrap(), Amount(2500));
        assert!(matches!(
            Amount::parse("2500.5"),
            Err(MoneyError::OverPrecise(_))
        ));
        assert!(matches!(Amount::parse("-1"), Err(MoneyError::Negative(_))));
        assert!(matches!(
            Amount::parse("abc"),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(Amount::parse(""), Err(MoneyError::NotANumber(_))));
        let json: Amount = serde_json::from_str("26975700").unwrap();
        assert_eq!(json, Amount(26_975_700));
        let float: Amount = serde_json::from_str("100.0").unwrap();
        assert_eq!(float, Amount(100));
        assert!(serde_json::from_str::<Amount>("100.5").is_err());
        assert!(serde_json::from_str::<Amount>("-3").is_err());
    }

    #[test]
    fn amounts_display_as_guidelines_write_them() {
        assert_eq!(Amount(40_000_000).display(), "400 000.00");
        assert_eq!(Amount(19_999_999).display(), "199 999.99");
        assert_eq!(Amount(5).display(), "0.05");
    }

    #[test]
    fn percentages_are_exact() {
        let seven = Percent::parse("7").unwrap();
        assert!(seven.allows(7, 100));
        assert!(!seven.allows(8, 100));
        assert!(seven.allows(2_029_104, 28_987_200)); // exactly 7.00 % of 289 872.00
        assert!(!seven.allows(2_029_105, 28_987_200));
        assert_eq!(Percent::parse("7.5").unwrap().to_string(), "7.5");
        assert_eq!(Percent::parse("90").unwrap().of(1000), 900);
        assert_eq!(Percent::parse("7").unwrap().of(99), 6); // 6.93 rounds down
        assert!(Percent::parse("7.12345").is_err());
        assert!(Percent::parse("x").is_err());
        assert_eq!(share_text(26_975_700, 31_486_400).unwrap(), "85.67");
        assert_eq!(share_text(0, 5).unwrap(), "0.00");
        assert_eq!(share_text(1, 10_000).unwrap(), "0.01");
        assert_eq!(share_text(5, 5).unwrap(), "100.00");
        assert_eq!(share_text(1, 10).unwrap(), "10.00");
        assert_eq!(share_text(99_999, 10_000).unwrap(), "999.99");
        assert_eq!(share_text(10, 1).unwrap(), "1000.00");
        assert_eq!(share_text(1, 3).unwrap(), "33.33");
        assert_eq!(
            share_text(u64::MAX, 1).unwrap(),
            format!("{}00.00", u64::MAX)
        );
    }

    #[test]
    fn currencies_are_three_capital_letters() {
        assert_eq!(Currency::new("EUR").unwrap(), Currency::EUR);
        assert!(Currency::new("eur").is_err());
        assert!(Currency::new("EURO").is_err());
    }

    proptest! {
        #[test]
        fn a_share_is_written_as_format_writes_its_hundredths(part in any::<u64>(), whole in 1u64.., small in 0u64..1_000_000, scale in 0u32..4, few in 1u64..100, round in 1u64..180) {
            // Any ratio; a share of a few percent; a quotient past 64 bits; one of those whose
            // low 18 digits begin with zeros (a multiple of 10^17).
            let pairs = [
                (part, whole),
                (small, 10u64.pow(scale) + small / 3),
                (part, few),
                (round * 100_000_000_000_000_000, 1),
                // On either side of 1 000 % (the digits pushed one by one below it).
                (small % 200_000 + 900_000, 1000),
            ];
            for (part, whole) in pairs {
                let hundredths = u128::from(part) * 10_000 / u128::from(whole);
                let expected = format!("{}.{:02}", hundredths / 100, hundredths % 100);
                let mut out = String::from("before ");
                prop_assert!(write_share(part, whole, &mut out));
                prop_assert_eq!(out, format!("before {expected}"));
            }
        }

        #[test]
        fn the_cap_computed_is_the_largest_amount_the_cap_allows(whole in 0u64..10_000_000_000, p in 0u32..1_000_000) {
            let pct = Percent(p);
            let cap = pct.of(whole);
            prop_assert!(pct.allows(cap, whole));
            prop_assert!(!pct.allows(cap + 1, whole) || p == 0 && whole == 0);
        }

        #[test]
        fn the_cap_is_exact_on_each_side_of_where_the_product_leaves_64_bits(p in 1u32..=u32::MAX, step in 0u64..3) {
            // The largest amount whose product fits, and the next ones (computed in 128 bits).
            let whole = (u64::MAX / u64::from(p)).saturating_add(step);
            let exact = u128::from(whole) * u128::from(p) / 1_000_000;
            prop_assert_eq!(u128::from(Percent(p).of(whole)), exact.min(u128::from(u64::MAX)));
        }

        #[test]
        fn the_cap_is_the_exact_product_rounded_down_whatever_its_size(whole in any::<u64>(), p in any::<u32>()) {
            let exact = u128::from(whole) * u128::from(p) / 1_000_000;
            prop_assert_eq!(u128::from(Percent(p).of(whole)), exact.min(u128::from(u64::MAX)));
        }

        #[test]
        fn share_text_is_the_formatted_basis_points(part in 0u64..u64::MAX, whole in 1u64..u64::MAX) {
            let bp = u128::from(part) * 10_000 / u128::from(whole);
            prop_assert_eq!(share_text(part, whole).unwrap(), format!("{}.{:02}", bp / 100, bp % 100));
        }

        // Budgets as applications give them: the product and the quotient fit in 64 bits.
        #[test]
        fn share_text_of_budget_sized_amounts(part in 0u64..1_000_000_000_000, whole in 1u64..1_000_000_000_000) {
            let bp = u128::from(part) * 10_000 / u128::from(whole);
            prop_assert_eq!(share_text(part, whole).unwrap(), format!("{}.{:02}", bp / 100, bp % 100));
        }

        #[test]
        fn percent_text_round_trips(p in 0u32..10_000_000) {
            let pct = Percent(p);
            prop_assert_eq!(Percent::parse(&pct.to_string()).unwrap(), pct);
        }
    }
}
