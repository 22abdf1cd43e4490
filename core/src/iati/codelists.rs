//! The IATI codelists euca checks imported codes against, and the facts it needs about currencies.
//!
//! The tables of countries, regions, currencies, DAC sectors and categories, organisation types,
//! organisation roles and activity statuses are the codes of the IATI codelists (IATI Standard,
//! <http://iatistandard.org/>, CC BY 4.0): IATI/IATI-Codelists-NonEmbedded @
//! 7aeece773c60afa0265eb95e988d5e61e96d8482 and IATI/IATI-Codelists branch version-2.03 @
//! 75e827bacd29f77356cb43defbc0b655705432f3, split into codes in use and codes withdrawn.
//! `core/tests/iati.rs` checks them against `../shared/iati-codelists` when that folder exists.
//! The smaller embedded codelists that folder does not hold are written out below with the file
//! each comes from.

/// ISO 3166-1 alpha-2 countries of the IATI Country codelist (`Country.xml`): the codes in use.
pub(crate) const COUNTRY: &[&str] = &[
    "AF", "AX", "AL", "DZ", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM", "AW", "AU", "AT", "AZ",
    "BS", "BH", "BD", "BB", "BY", "BE", "BZ", "BJ", "BM", "BT", "BO", "BQ", "BA", "BW", "BV", "BR",
    "IO", "BN", "BG", "BF", "BI", "KH", "CM", "CA", "CV", "KY", "CF", "TD", "CL", "CN", "CX", "CC",
    "CO", "KM", "CG", "CD", "CK", "CR", "CI", "HR", "CU", "CW", "CY", "CZ", "DK", "DJ", "DM", "DO",
    "EC", "EG", "SV", "GQ", "ER", "EE", "ET", "FK", "FO", "FJ", "FI", "FR", "GF", "PF", "TF", "GA",
    "GM", "GE", "DE", "GH", "GI", "GR", "GL", "GD", "GP", "GU", "GT", "GG", "GN", "GW", "GY", "HT",
    "HM", "VA", "HN", "HK", "HU", "IS", "IN", "ID", "IR", "IQ", "IE", "IM", "IL", "IT", "JM", "JP",
    "JE", "JO", "KZ", "KE", "KI", "KP", "KR", "XK", "KW", "KG", "LA", "LV", "LB", "LS", "LR", "LY",
    "LI", "LT", "LU", "MO", "MK", "MG", "MW", "MY", "MV", "ML", "MT", "MH", "MQ", "MR", "MU", "YT",
    "MX", "FM", "MD", "MC", "MN", "ME", "MS", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "NC", "NZ",
    "NI", "NE", "NG", "NU", "NF", "MP", "NO", "OM", "PK", "PW", "PS", "PA", "PG", "PY", "PE", "PH",
    "PN", "PL", "PT", "PR", "QA", "RE", "RO", "RU", "RW", "BL", "SH", "KN", "LC", "MF", "PM", "VC",
    "WS", "SM", "ST", "SA", "SN", "RS", "SC", "SL", "SG", "SX", "SK", "SI", "SB", "SO", "ZA", "GS",
    "SS", "ES", "LK", "SD", "SR", "SJ", "SZ", "SE", "CH", "SY", "TW", "TJ", "TZ", "TH", "TL", "TG",
    "TK", "TO", "TT", "TN", "TR", "TM", "TC", "TV", "UG", "UA", "AE", "GB", "US", "UM", "UY", "UZ",
    "VU", "VE", "VN", "VG", "VI", "WF", "EH", "YE", "ZM", "ZW",
];
/// ISO 3166-1 alpha-2 countries of the IATI Country codelist (`Country.xml`): the codes withdrawn from the codelist.
pub(crate) const COUNTRY_WITHDRAWN: &[&str] = &["AN"];

/// DAC regions of the IATI Region codelist (`Region.xml`): the codes in use.
pub(crate) const REGION: &[&str] = &[
    "88", "89", "189", "289", "298", "389", "489", "498", "589", "619", "679", "689", "789", "798",
    "889", "998", "1027", "1028", "1029", "1030", "1031", "1032", "1033", "1034", "1035",
];
/// DAC regions of the IATI Region codelist (`Region.xml`): the codes withdrawn from the codelist.
pub(crate) const REGION_WITHDRAWN: &[&str] = &["380"];

/// ISO 4217 currencies of the IATI Currency codelist (`Currency.xml`): the codes in use.
pub(crate) const CURRENCY: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHF", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK",
    "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
    "SSP", "SRD", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XBT", "XCD", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
];
/// ISO 4217 currencies of the IATI Currency codelist (`Currency.xml`): the codes withdrawn from the codelist.
pub(crate) const CURRENCY_WITHDRAWN: &[&str] = &[
    "BYR", "EEK", "LTL", "LVL", "MRO", "STD", "USS", "VEF", "ZMK",
];

/// DAC 5-digit purpose codes of the IATI Sector codelist (`Sector.xml`): the codes in use.
pub(crate) const SECTOR: &[&str] = &[
    "11110", "11120", "11130", "11182", "11220", "11230", "11231", "11232", "11240", "11250",
    "11260", "11320", "11330", "11420", "11430", "12110", "12181", "12182", "12191", "12196",
    "12220", "12230", "12240", "12250", "12261", "12262", "12263", "12264", "12281", "12310",
    "12320", "12330", "12340", "12350", "12382", "13010", "13020", "13030", "13040", "13081",
    "13096", "14010", "14015", "14020", "14021", "14022", "14030", "14031", "14032", "14040",
    "14050", "14081", "15110", "15111", "15112", "15113", "15114", "15116", "15117", "15118",
    "15119", "15121", "15122", "15123", "15124", "15125", "15126", "15127", "15128", "15129",
    "15130", "15131", "15132", "15133", "15134", "15135", "15136", "15137", "15142", "15143",
    "15144", "15150", "15151", "15152", "15153", "15154", "15155", "15156", "15160", "15170",
    "15180", "15185", "15190", "15196", "15210", "15220", "15230", "15240", "15250", "15261",
    "16010", "16011", "16012", "16013", "16014", "16015", "16020", "16030", "16040", "16050",
    "16061", "16062", "16063", "16064", "16065", "16066", "16070", "16080", "21010", "21011",
    "21012", "21013", "21020", "21021", "21022", "21023", "21024", "21030", "21040", "21050",
    "21061", "21081", "22010", "22011", "22012", "22013", "22020", "22030", "22040", "23110",
    "23111", "23112", "23181", "23182", "23183", "23210", "23220", "23230", "23231", "23232",
    "23240", "23250", "23260", "23270", "23310", "23320", "23330", "23340", "23350", "23360",
    "23410", "23510", "23610", "23620", "23630", "23631", "23640", "23641", "23642", "24010",
    "24020", "24030", "24040", "24050", "24081", "25010", "25020", "25030", "25040", "31110",
    "31120", "31130", "31140", "31150", "31161", "31162", "31163", "31164", "31165", "31166",
    "31181", "31182", "31191", "31192", "31193", "31194", "31195", "31210", "31220", "31261",
    "31281", "31282", "31291", "31310", "31320", "31381", "31382", "31391", "32110", "32120",
    "32130", "32140", "32161", "32162", "32163", "32164", "32165", "32166", "32167", "32168",
    "32169", "32170", "32171", "32172", "32173", "32174", "32182", "32210", "32220", "32261",
    "32262", "32263", "32264", "32265", "32266", "32267", "32268", "32310", "33110", "33120",
    "33130", "33140", "33150", "33181", "33210", "41010", "41020", "41030", "41040", "41081",
    "41082", "43010", "43030", "43031", "43032", "43040", "43041", "43042", "43050", "43060",
    "43071", "43072", "43073", "43081", "43082", "51010", "52010", "53030", "53040", "60010",
    "60020", "60030", "60040", "60061", "60062", "60063", "72010", "72011", "72012", "72040",
    "72050", "73010", "74020", "91010", "93010", "93011", "93012", "93013", "93014", "93015",
    "93016", "93017", "93018", "99810", "99820",
];
/// DAC 5-digit purpose codes of the IATI Sector codelist (`Sector.xml`): the codes withdrawn from the codelist.
pub(crate) const SECTOR_WITHDRAWN: &[&str] = &[
    "11321", "11322", "15120", "15140", "15161", "15162", "15163", "15164", "23010", "23020",
    "23030", "23040", "23050", "23061", "23062", "23063", "23064", "23065", "23066", "23067",
    "23068", "23069", "23070", "23081", "23082", "41050", "74010", "92010", "92020", "92030",
];

/// DAC 3-digit categories of the IATI SectorCategory codelist (`SectorCategory.xml`): the codes in use.
pub(crate) const SECTOR_CATEGORY: &[&str] = &[
    "111", "112", "113", "114", "121", "122", "123", "130", "140", "151", "152", "160", "210",
    "220", "231", "232", "233", "234", "235", "236", "240", "250", "311", "312", "313", "321",
    "322", "323", "331", "332", "410", "430", "510", "520", "530", "600", "720", "730", "740",
    "910", "930", "998",
];
/// DAC 3-digit categories of the IATI SectorCategory codelist (`SectorCategory.xml`): the codes withdrawn from the codelist.
pub(crate) const SECTOR_CATEGORY_WITHDRAWN: &[&str] = &["230", "920"];

/// The IATI OrganisationType codelist (`OrganisationType.xml`): the codes in use.
pub(crate) const ORGANISATION_TYPE: &[&str] = &[
    "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90",
];
/// The IATI OrganisationType codelist (`OrganisationType.xml`): the codes withdrawn from the codelist.
pub(crate) const ORGANISATION_TYPE_WITHDRAWN: &[&str] = &[];

/// The IATI OrganisationRole codelist (`OrganisationRole.xml`): the codes in use.
pub(crate) const ORGANISATION_ROLE: &[&str] = &["1", "2", "3", "4"];
/// The IATI OrganisationRole codelist (`OrganisationRole.xml`): the codes withdrawn from the codelist.
pub(crate) const ORGANISATION_ROLE_WITHDRAWN: &[&str] = &[];

/// The IATI ActivityStatus codelist (`ActivityStatus.xml`): the codes in use.
pub(crate) const ACTIVITY_STATUS: &[&str] = &["1", "2", "3", "4", "5", "6"];
/// The IATI ActivityStatus codelist (`ActivityStatus.xml`): the codes withdrawn from the codelist.
pub(crate) const ACTIVITY_STATUS_WITHDRAWN: &[&str] = &[];

/// ActivityDateType (IATI-Codelists version-2.03 `xml/ActivityDateType.xml`; research notes §5.5):
/// 1 planned start, 2 actual start, 3 planned end, 4 actual end.
pub(crate) const ACTIVITY_DATE_TYPE: &[&str] = &["1", "2", "3", "4"];

/// TransactionType (IATI-Codelists version-2.03 `xml/TransactionType.xml`; research notes §5.5):
/// 1 incoming funds, 2 outgoing commitment, 3 disbursement, 4 expenditure, 5 interest payment,
/// 6 loan repayment, 7 reimbursement, 8 purchase of equity, 9 sale of equity, 10 credit guarantee,
/// 11 incoming commitment, 12 outgoing pledge, 13 incoming pledge.
pub(crate) const TRANSACTION_TYPE: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
];

/// BudgetType (IATI-Codelists `xml/BudgetType.xml`): 1 original, 2 revised.
pub(crate) const BUDGET_TYPE: &[&str] = &["1", "2"];

/// BudgetStatus (IATI-Codelists `xml/BudgetStatus.xml`): 1 indicative, 2 committed.
pub(crate) const BUDGET_STATUS: &[&str] = &["1", "2"];

/// DescriptionType (IATI-Codelists `xml/DescriptionType.xml`): 1 general, 2 objectives, 3 target
/// groups, 4 other.
pub(crate) const DESCRIPTION_TYPE: &[&str] = &["1", "2", "3", "4"];

/// SectorVocabulary (IATI-Codelists `xml/SectorVocabulary.xml` and the 2.02 changelog): 1 DAC
/// 5-digit, 2 DAC 3-digit, 3 COFOG, 4 NACE, 5 NTEE, 6 AidData, 7 SDG goal, 8 SDG target, 9 SDG
/// indicator, 10 humanitarian global clusters, 11 NAICS, 12 UN system function, 98 and 99 the
/// reporting organisation's own.
pub(crate) const SECTOR_VOCABULARY: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "98", "99",
];

/// RegionVocabulary (IATI-Codelists `xml/RegionVocabulary.xml` and the 2.02 changelog): 1 DAC,
/// 2 UN, 99 the reporting organisation's own.
pub(crate) const REGION_VOCABULARY: &[&str] = &["1", "2", "99"];

/// The DAC sector codes withdrawn on 2020-02-28 and the codes euca reads them as. The codelist
/// names no successor: every mapping here is euca's own, made only where the codelist's names and
/// descriptions of the withdrawn and the active code show one active code taking the withdrawn
/// one's place (the reason is in each code's `note` in `core/data/codes.json`). It is the same as
/// the embedded dataset's `sectors[].successor`, in the same order, which a test keeps equal.
/// The codes withdrawn then that no one code succeeds (`23040` and `23067`, split between several
/// codes; `23070`, only partly taken by `23270`; `92010`, `92020` and `92030`, support to NGOs,
/// which is no longer a purpose) are kept as given, with a warning.
pub(crate) const SECTOR_SUCCESSORS: &[(&str, &str)] = &[
    ("15161", "15151"),
    ("15162", "15160"),
    ("15163", "15153"),
    ("15164", "15170"),
    ("15140", "15110"),
    ("15120", "15111"),
    ("23010", "23110"),
    ("23020", "23310"),
    ("23030", "23210"),
    ("23050", "23640"),
    ("23061", "23330"),
    ("23062", "23340"),
    ("23063", "23320"),
    ("23064", "23510"),
    ("23065", "23220"),
    ("23066", "23260"),
    ("23068", "23240"),
    ("23069", "23250"),
    ("23081", "23181"),
    ("23082", "23182"),
];

/// ISO 4217 currencies whose minor unit is not two decimals: (code, decimals). Every other
/// currency has two, and so, by euca's choice, do the codes ISO gives no minor unit (`XDR`, and
/// `XBT`, which is not an ISO code).
pub(crate) const CURRENCY_DECIMALS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("BYR", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// The number of decimals of a currency's minor unit (two unless listed otherwise).
pub(crate) fn decimals(currency: &str) -> u32 {
    CURRENCY_DECIMALS
        .iter()
        .find(|(code, _)| *code == currency)
        .map_or(2, |(_, d)| *d)
}

/// Whether a code is in use, withdrawn, or not in the codelist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// In the codelist and in use.
    Active,
    /// In the codelist but withdrawn.
    Withdrawn,
    /// Not in the codelist.
    Unknown,
}

/// Looks a code up in a codelist split into active and withdrawn codes.
pub(crate) fn listed(code: &str, active: &[&str], withdrawn: &[&str]) -> Listed {
    if active.contains(&code) {
        Listed::Active
    } else if withdrawn.contains(&code) {
        Listed::Withdrawn
    } else {
        Listed::Unknown
    }
}

/// The successor euca reads a withdrawn DAC sector code as, if it has one.
pub(crate) fn sector_successor(code: &str) -> Option<&'static str> {
    SECTOR_SUCCESSORS
        .iter()
        .find(|(old, _)| *old == code)
        .map(|(_, new)| *new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// `../shared/iati-codelists` (`EUCA_SHARED` overrides where `shared/` is), if present.
    fn codelists() -> Option<PathBuf> {
        let shared = std::env::var_os("EUCA_SHARED").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        );
        let dir = shared.join("iati-codelists");
        if dir.is_dir() {
            Some(dir)
        } else {
            println!("skipped: {} not found", dir.display());
            None
        }
    }

    /// (active codes, withdrawn codes) of a codelist file.
    fn read(dir: &std::path::Path, file: &str) -> (Vec<String>, Vec<String>) {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let mut active = Vec::new();
        let mut withdrawn = Vec::new();
        for item in doc
            .descendants()
            .filter(|n| n.has_tag_name("codelist-item"))
        {
            let code = item
                .children()
                .find(|c| c.has_tag_name("code"))
                .and_then(|c| c.text())
                .unwrap()
                .trim()
                .to_string();
            if item.attribute("status") == Some("withdrawn") {
                withdrawn.push(code);
            } else {
                active.push(code);
            }
        }
        (active, withdrawn)
    }

    #[test]
    fn the_tables_are_the_iati_codelists() {
        let Some(dir) = codelists() else { return };
        for (file, active, withdrawn) in [
            ("Country.xml", COUNTRY, COUNTRY_WITHDRAWN),
            ("Region.xml", REGION, REGION_WITHDRAWN),
            ("Currency.xml", CURRENCY, CURRENCY_WITHDRAWN),
            ("Sector.xml", SECTOR, SECTOR_WITHDRAWN),
            (
                "SectorCategory.xml",
                SECTOR_CATEGORY,
                SECTOR_CATEGORY_WITHDRAWN,
            ),
            (
                "OrganisationType.xml",
                ORGANISATION_TYPE,
                ORGANISATION_TYPE_WITHDRAWN,
            ),
            (
                "OrganisationRole.xml",
                ORGANISATION_ROLE,
                ORGANISATION_ROLE_WITHDRAWN,
            ),
            (
                "ActivityStatus.xml",
                ACTIVITY_STATUS,
                ACTIVITY_STATUS_WITHDRAWN,
            ),
        ] {
            let (a, w) = read(&dir, file);
            assert_eq!(active, a.as_slice(), "{file}: codes in use");
            assert_eq!(withdrawn, w.as_slice(), "{file}: codes withdrawn");
        }
    }

    #[test]
    fn successors_are_the_datasets_and_minor_units_are_known_currencies() {
        let data = crate::Dataset::embedded().unwrap();
        let ours: Vec<(&str, &str)> = data
            .sectors()
            .iter()
            .filter_map(|s| Some((s.code.as_str(), s.successor.as_deref()?)))
            .collect();
        assert_eq!(ours, SECTOR_SUCCESSORS);
        for (old, new) in SECTOR_SUCCESSORS {
            assert_eq!(listed(old, SECTOR, SECTOR_WITHDRAWN), Listed::Withdrawn);
            assert_eq!(listed(new, SECTOR, SECTOR_WITHDRAWN), Listed::Active);
        }
        for (code, _) in CURRENCY_DECIMALS {
            if *code == "UYW" {
                continue; // in ISO 4217 since 2018, not yet in the IATI codelist
            }
            assert_ne!(
                listed(code, CURRENCY, CURRENCY_WITHDRAWN),
                Listed::Unknown,
                "{code} is an IATI currency"
            );
        }
        assert_eq!(decimals("EUR"), 2);
        assert_eq!(decimals("JPY"), 0);
        assert_eq!(decimals("KWD"), 3);
    }
}
