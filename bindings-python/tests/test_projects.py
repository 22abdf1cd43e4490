"""Funded projects and IATI through the Python API: the records, the eligibility link, the analyses
as Records, read_iati and to_iati, and their errors."""

from __future__ import annotations

import pathlib
import pickle
from decimal import Decimal
from typing import Any

import pytest

import euca

from conftest import need

INCLUSIVE_KZ = "project/kz/inclusive-kazakhstan"
MIGRANTS = "project/kz/migrants-rights"
RULE_OF_LAW = "project/kz/rule-of-law-for-all"
YOUTH_KG = "project/kg/youth-and-human-rights-2025"

# An IATI 2.03 file written by hand: two languages, shares, a withdrawn sector code, budgets and
# transactions in two currencies, a value finer than a cent, an element euca does not read.
ACTIVITY = """<iati-activities version="2.03">
 <iati-activity default-currency="EUR" xml:lang="en">
  <iati-identifier>XM-EX-1</iati-identifier>
  <reporting-org ref="XM-EX" type="21"><narrative>Example NGO</narrative></reporting-org>
  <title><narrative>Legal aid</narrative><narrative xml:lang="ru">Правовая помощь</narrative></title>
  <description><narrative>Clinics.</narrative></description>
  <participating-org ref="XI-IATI-EC_INTPA" type="10" role="1"><narrative>European Union</narrative></participating-org>
  <participating-org type="24" role="4"><narrative>Local NGO</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2021-03-01"/>
  <activity-date type="3" iso-date="2023-02-28"/>
  <recipient-country code="KG" percentage="75"/>
  <recipient-country code="KZ" percentage="25"/>
  <sector vocabulary="1" code="15162"/>
  <budget type="1"><period-start iso-date="2021-03-01"/><period-end iso-date="2021-12-31"/><value value-date="2021-03-01">150000.50</value></budget>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2021-02-15"/><value value-date="2021-02-15">250000.50</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/><value currency="USD" value-date="2021-04-01">1000.255</value></transaction>
  <result type="1"><title><narrative>r</narrative></title></result>
 </iati-activity>
</iati-activities>
"""

BAD_VALUE = """<iati-activities version="2.03"><iati-activity>
  <iati-identifier>XM-EX-2</iati-identifier>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/><value value-date="2021-04-01">lots</value></transaction>
</iati-activity></iati-activities>"""

SOURCE = {"title": "My notes", "document": "field notes, 2026"}


def record(**changes: Any) -> dict[str, Any]:
    """A small project record of our own (no IATI identifier, no reporting organisation)."""
    p: dict[str, Any] = {
        "id": "project/kz/mine",
        "title": [{"text": "Legal aid & advice"}],
        "recipient_countries": [{"country": "KZ"}],
        "participants": [
            {"name": [{"text": "Local NGO"}], "role": "4", "org_types": ["22"], "country": "KZ"}
        ],
        "currency": "EUR",
        "eu_contribution": 12_345_678,
        "dates": [{"type": "start", "date": "2020-01-15"}, {"type": "end", "date": "2021-07-14"}],
        "sectors": [{"sector": "15160", "percentage": "60"}, {"sector": "15150", "percentage": "40"}],
        "sources": [SOURCE],
    }
    p.update(changes)
    return p


# ---- records ----------------------------------------------------------------------------------


def test_projects_are_records_with_exact_money(data: euca.Dataset):
    projects = data.projects()
    assert isinstance(projects, euca.Records)
    assert len(projects) == 28
    kz = data.project(INCLUSIVE_KZ)
    assert kz["total_cost"] == 31_563_500 and isinstance(kz["total_cost"], int)
    assert kz["eu_contribution"] == 29_985_300
    assert kz["currency"] == "EUR"
    assert kz["dates"] == [{"type": "start", "date": "2019-01"}, {"type": "end", "date": "2021-03"}]
    assert "org_types" in kz["inferred"]
    assert projects[0] == kz
    kyrgyz = [p["id"] for p in projects if any(c["country"] == "KG" for c in p["recipient_countries"])]
    assert len(kyrgyz) == 7 and YOUTH_KG in kyrgyz


def test_projects_make_data_frames(data: euca.Dataset):
    pd = need("pandas")
    frame = data.projects().to_pandas()
    assert frame.shape[0] == 28
    assert list(frame["id"])[:2] == [INCLUSIVE_KZ, MIGRANTS]
    assert int(frame.loc[frame["id"] == INCLUSIVE_KZ, "eu_contribution"].iloc[0]) == 29_985_300
    assert pd.isna(frame.loc[frame["id"] == RULE_OF_LAW, "eu_contribution"].iloc[0])
    pl = need("polars")
    polars_frame = data.projects().to_polars()
    assert polars_frame.height == 28
    assert polars_frame.filter(pl.col("id") == YOUTH_KG)["eu_contribution"].to_list() == [500_000_000]


def test_an_unknown_project_is_a_query_error(data: euca.Dataset):
    with pytest.raises(euca.QueryError) as e:
        data.project("project/atlantis")
    assert isinstance(e.value, ValueError)
    assert e.value.code == "unknown_record"
    assert e.value.errors()[0]["path"] == "id"
    assert "project/atlantis" in e.value.errors()[0]["message"]


def test_projects_join_the_dataset_through_extend(data: euca.Dataset):
    mine = data.extend({"add": {"projects": [record()]}})
    assert len(mine.projects()) == 29
    assert mine.project("project/kz/mine")["eu_contribution"] == 12_345_678
    with pytest.raises(euca.ValidationError) as e:
        data.extend({"add": {"projects": [record(eu_contribution=Decimal("10.5"))]}})
    assert e.value.errors()[0]["code"] == "over_precise_money"
    assert e.value.errors()[0]["path"] == "add.projects[0].eu_contribution"


# ---- the eligibility link ----------------------------------------------------------------------


def test_a_project_as_an_application(data: euca.Dataset):
    app = data.project_application(MIGRANTS)
    assert app["id"] == MIGRANTS
    assert app["applicant"]["name"] == "Legal Policy Research Centre (LPRC)"
    assert app["applicant"]["org_type"] == "22"
    assert app["action"]["duration_months"] == 24
    assert app["action"]["start"] == "2019-01-30"
    assert app["budget"] == {"currency": "EUR", "requested": 30_000_000}
    assert [c["name"] for c in app["co_applicants"]] == [
        "International Commission of Jurists (ICJ)",
        "ICJ European Institutions",
    ]
    # A record of our own: 15 January 2020 to 14 July 2021 is 18 months.
    own = data.project_application(record())
    assert own["action"]["duration_months"] == 18
    assert own["action"]["sectors"] == ["15160", "15150"]
    assert own["budget"]["requested"] == 12_345_678
    # The application is what Call.evaluate reads.
    decision = data.call("kz-2023-hrd-cso").evaluate(own, "2023-03-01")
    assert decision.application == "project/kz/mine"


def test_evaluate_project_gives_a_decision_with_what_is_missing(data: euca.Dataset):
    decision = data.evaluate_project(RULE_OF_LAW, as_of="2023-03-01")
    assert isinstance(decision, euca.Decision)
    assert decision.verdict == "undetermined"
    assert decision.rule_set["id"] == "kz-2023-hrd-cso"
    fields = [m["field"] for m in decision.missing]
    assert "submitted_at" in fields and "budget.direct" in fields
    assert not [c for c in decision.checks if c["outcome"] == "fail"]
    assert "kz-2023-hrd-cso" in decision.explain()


def test_evaluate_project_against_any_call_by_id_or_handle(data: euca.Dataset):
    by_id = data.evaluate_project(YOUTH_KG, "tj-2020-cso", "2020-09-01")
    by_handle = data.evaluate_project(YOUTH_KG, data.call("tj-2020-cso"), "2020-09-01")
    assert by_id == by_handle
    assert by_id.verdict == "ineligible"
    assert [c["id"] for c in by_id.checks if c["outcome"] == "fail"] == ["requested_range"]


def test_evaluate_project_errors(data: euca.Dataset):
    with pytest.raises(euca.QueryError) as e:
        data.evaluate_project(MIGRANTS, as_of="2020-01-01")  # names no call
    assert (e.value.code, e.value.errors()[0]["path"]) == ("unknown_record", "call")
    with pytest.raises(euca.QueryError) as e:
        data.evaluate_project(MIGRANTS, "no-such-call", "2020-01-01")
    assert e.value.errors()[0]["path"] == "call"
    with pytest.raises(euca.QueryError) as e:
        data.evaluate_project("project/atlantis", "tj-2020-cso", "2020-01-01")
    assert e.value.errors()[0]["path"] == "project"
    with pytest.raises(euca.ValidationError) as e:
        data.evaluate_project(record(title="Legal aid", colour="red"), "tj-2020-cso", "2020-01-01")
    assert {(p["code"], p["path"]) for p in e.value.errors()} == {
        ("unknown_field", "colour"),
        ("invalid_type", "title"),
    }
    with pytest.raises(TypeError, match="`call`"):
        data.evaluate_project(MIGRANTS, 42, "2020-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`project`"):
        data.project_application(42)  # type: ignore[arg-type]


def test_project_eligibility_as_records(data: euca.Dataset):
    rows = data.project_eligibility("2023-03-01")
    assert isinstance(rows, euca.Records)
    assert [(r["project"], r["call"], r["verdict"], r["failed"]) for r in rows] == [
        (RULE_OF_LAW, "kz-2023-hrd-cso", "undetermined", [])
    ]
    assert "submitted_at" in rows[0]["missing"]
    assert "deadline" in rows[0]["undetermined"]
    # Every Kyrgyz project against the Tajikistan 2020 call, ids and a record mixed.
    kg = [p["id"] for p in data.projects() if p["recipient_countries"][0]["country"] == "KG"]
    mixed = data.project_eligibility("2020-09-01", projects=kg + [record()], call="tj-2020-cso")
    assert [r["project"] for r in mixed] == kg + ["project/kz/mine"]
    assert {r["call"] for r in mixed} == {"tj-2020-cso"}
    youth = next(r for r in mixed if r["project"] == YOUTH_KG)
    assert (youth["verdict"], youth["failed"]) == ("ineligible", ["requested_range"])
    need("pandas")
    assert mixed.to_pandas().shape == (len(kg) + 1, 6)


def test_project_eligibility_errors(data: euca.Dataset):
    with pytest.raises(euca.QueryError) as e:
        data.project_eligibility("2020-01-01", projects=[RULE_OF_LAW, MIGRANTS])
    assert (e.value.code, e.value.errors()[0]["path"]) == ("unknown_record", "call")
    with pytest.raises(euca.QueryError) as e:
        data.project_eligibility("2020-01-01", projects=[RULE_OF_LAW, "project/atlantis"])
    assert e.value.errors()[0]["path"] == "projects[1]"
    with pytest.raises(euca.ValidationError) as e:
        data.project_eligibility(
            "2020-01-01",
            projects=[record(), record(eu_contribution=-5), record(dates="soon")],
            call="tj-2020-cso",
        )
    assert [(p["code"], p["path"]) for p in e.value.errors()] == [
        ("negative_money", "[1].eu_contribution"),
        ("invalid_type", "[2].dates"),
    ]
    with pytest.raises(euca.QueryError) as e:
        data.project_eligibility("2020", call="tj-2020-cso")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_date", "as_of")
    with pytest.raises(TypeError, match="list of projects"):
        data.project_eligibility("2020-01-01", projects=RULE_OF_LAW)


# ---- analyses ----------------------------------------------------------------------------------


def test_funding_by_country_splits_and_never_counts_twice(data: euca.Dataset):
    rows = data.funding("country")
    assert isinstance(rows, euca.Records)
    kg = next(r for r in rows if r["key"] == "KG")
    assert (kg["projects"], kg["eu_contribution"], kg["eu_contribution_projects"]) == (
        7,
        1_800_000_000,
        2,
    )
    assert [r["key"] for r in rows if "+" in r["key"]] == ["KZ+TJ", "KZ+TJ+TM"]
    total = sum(p.get("eu_contribution", 0) for p in data.projects())
    assert sum(r["eu_contribution"] for r in rows) == total
    assert all(isinstance(r["eu_contribution"], int) for r in rows)


def test_funding_of_records_split_exactly_by_percentages(data: euca.Dataset):
    rows = data.funding("sector", projects=[record()])
    assert [(r["key"], r["eu_contribution"], r["shared"]) for r in rows] == [
        ("15150", 4_938_271, 1),
        ("15160", 7_407_407, 1),
    ]
    assert sum(r["eu_contribution"] for r in rows) == 12_345_678
    years = data.funding("year", projects=[INCLUSIVE_KZ, MIGRANTS])
    assert [(r["key"], r["projects"], r["eu_contribution"]) for r in years] == [
        ("2019", 2, 59_985_300)
    ]


def test_funding_of_an_iati_file_counts_budgets_and_transactions(data: euca.Dataset):
    imported = euca.read_iati(ACTIVITY)
    rows = data.funding("country", projects=imported.records)
    by_key = {(r["key"], r["currency"]): r for r in rows}
    kg = by_key[("KG", "EUR")]
    assert (kg["budget"], kg["commitments"], kg["shared"]) == (11_250_038, 18_750_038, 1)
    assert by_key[("KZ", "USD")]["disbursements"] == 25_006
    assert by_key[("KG", "USD")]["disbursements"] == 75_020


def test_funding_errors(data: euca.Dataset):
    with pytest.raises(euca.QueryError) as e:
        data.funding("colour")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_value", "by")
    assert "`country`" in str(e.value)


def test_leads_and_local_share(data: euca.Dataset):
    leads = data.project_leads(projects=[MIGRANTS, INCLUSIVE_KZ])
    assert leads[0] == {
        "project": MIGRANTS,
        "lead": "Legal Policy Research Centre (LPRC)",
        "lead_country": "KZ",
        "locality": "local",
        "basis": "country",
    }
    shares = data.local_leads()
    everything = shares[-1]
    assert "country" not in everything
    assert (everything["projects"], everything["local"], everything["foreign"], everything["unknown"]) == (
        28,
        6,
        13,
        9,
    )
    assert everything["local_share"] == "31.57"  # 6 of the 19 whose lead's locality is known
    assert [r["country"] for r in shares[:-1]] == ["KG", "KZ", "TJ", "TM", "UZ"]


def test_projects_after_rounds(data: euca.Dataset):
    rows = data.projects_after_rounds(12)
    coalition = [r for r in rows if r["project"] == "project/central-asia/transnational-coalition"]
    assert coalition[0] == {
        "project": "project/central-asia/transnational-coalition",
        "country": "TM",
        "round": "hrd-tm/5",
        "round_number": 5,
        "round_date": "2013-05-15",
        "start": "2014-04",
        "months_min": 10,
        "months_max": 11,
        "certain": True,
    }
    assert len(data.projects_after_rounds(0)) < len(rows) <= len(data.projects_after_rounds(24))
    with pytest.raises(euca.QueryError) as e:
        data.projects_after_rounds(-1)
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_value", "months")


# ---- IATI --------------------------------------------------------------------------------------


def test_read_iati_from_text(tmp_path: pathlib.Path):
    imported = euca.read_iati(ACTIVITY)
    assert isinstance(imported, euca.IatiImport)
    assert imported.version == "2.03"
    assert isinstance(imported.records, euca.Records) and isinstance(imported.warnings, euca.Records)
    (p,) = imported.records
    assert p["id"] == p["iati_identifier"] == "XM-EX-1"
    assert p["title"] == [{"text": "Legal aid"}, {"text": "Правовая помощь", "lang": "ru"}]
    assert p["recipient_countries"] == [
        {"country": "KG", "percentage": "75"},
        {"country": "KZ", "percentage": "25"},
    ]
    assert p["sectors"] == [{"sector": "15160", "vocabulary": "1", "replaced": "15162"}]
    assert p["dates"] == [
        {"type": "actual_start", "date": "2021-03-01"},
        {"type": "planned_end", "date": "2023-02-28"},
    ]
    assert p["budgets"][0]["amount"] == 15_000_050  # EUR 150 000.50 in cents
    usd = next(t for t in p["transactions"] if t.get("currency") == "USD")
    assert usd["amount"] == 100_026  # 1000.255 rounded to the cent, and said so
    codes = [(w["code"], w["path"]) for w in imported.warnings]
    assert codes == [
        ("withdrawn_code", "iati-activities/iati-activity[1]/sector[1]/@code"),
        ("over_precise_money", "iati-activities/iati-activity[1]/transaction[2]/value"),
        ("not_read", "iati-activities/iati-activity[1]/result[1]"),
    ]
    assert imported.to_dict()["records"] == imported.records.to_list()


def test_read_iati_from_bytes_and_paths(tmp_path: pathlib.Path):
    expected = euca.read_iati(ACTIVITY)
    file = tmp_path / "activities.xml"
    file.write_text(ACTIVITY, encoding="utf-8")
    assert euca.read_iati(ACTIVITY.encode()) == expected
    assert euca.read_iati(file) == expected
    assert euca.read_iati(str(file)) == expected
    with pytest.raises(FileNotFoundError):
        euca.read_iati(tmp_path / "missing.xml")
    with pytest.raises(TypeError, match="text_or_path"):
        euca.read_iati(42)  # type: ignore[arg-type]


def test_read_iati_options():
    with_source = euca.read_iati(ACTIVITY, source={"title": "IATI file", "address": "https://example.org/a.xml"})
    assert with_source.records[0]["sources"] == [
        {"title": "IATI file", "address": "https://example.org/a.xml"}
    ]
    two = BAD_VALUE.replace("<iati-activities version=\"2.03\">", "<iati-activities version=\"2.03\"><iati-activity><iati-identifier>OK</iati-identifier></iati-activity>")
    skipped = euca.read_iati(two, skip_invalid=True)
    assert [r["id"] for r in skipped.records] == ["OK"]
    assert any(w["code"] == "invalid_value" for w in skipped.warnings)
    with pytest.raises(euca.ValidationError) as e:
        euca.read_iati(ACTIVITY, source={"address": "https://example.org"})
    assert (e.value.code, e.value.errors()[0]["path"]) == ("missing_field", "source")


def test_read_iati_errors_carry_the_element_path():
    with pytest.raises(euca.ValidationError) as e:
        euca.read_iati(BAD_VALUE)
    assert isinstance(e.value, ValueError)
    assert e.value.code == "invalid_value"
    assert e.value.errors()[0]["path"] == "iati-activities/iati-activity[1]/transaction[1]/value"
    with pytest.raises(euca.ValidationError) as e:
        euca.read_iati("<iati-activities><iati-activity>")
    assert e.value.code == "invalid_xml"
    with pytest.raises(euca.ValidationError) as e:
        euca.read_iati(
            b"<iati-activities version=\"2.03\"><iati-activity>"
            b"<iati-identifier>\xff\xfe</iati-identifier></iati-activity></iati-activities>"
        )
    assert (e.value.code, e.value.errors()[0]["path"]) == (
        "invalid_xml",
        "iati-activities/iati-activity[1]/iati-identifier",
    )


def test_the_dataset_exports_iati_and_reads_it_back(data: euca.Dataset):
    xml = data.to_iati(prefix="XM-EUCA", as_of="2026-11-30")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"')
    assert xml.count("<iati-activity ") + xml.count("<iati-activity>") == 28
    back = euca.read_iati(xml)
    assert len(back.records) == 28
    first = back.records[0]
    assert first["iati_identifier"] == "XM-EUCA-project-kz-inclusive-kazakhstan"
    assert first["generated"] == ["iati_identifier", "reporting_org"]
    # Apart from what the export generated, every field comes back.
    for original, read in zip(data.projects(), back.records):
        stripped = {k: v for k, v in read.items() if k not in ("iati_identifier", "reporting_org", "generated")}
        assert stripped == original


def test_to_iati_of_records_and_ids(data: euca.Dataset):
    own = euca.to_iati([record()], prefix="XM-EUCA", as_of="2026-11-30")
    assert "<iati-identifier>XM-EUCA-project-kz-mine</iati-identifier>" in own
    assert "Legal aid &amp; advice" in own
    back = euca.read_iati(own).records[0]
    assert back["eu_contribution"] == 12_345_678
    assert back["sectors"] == record()["sectors"]
    two = data.to_iati(projects=[MIGRANTS, record()], prefix="XM-EUCA", as_of="2026-11-30")
    assert [r["id"] for r in euca.read_iati(two).records] == [MIGRANTS, "project/kz/mine"]
    # Records read from IATI go straight back out, and need no prefix: they have their identifiers.
    again = euca.read_iati(euca.to_iati(euca.read_iati(ACTIVITY).records))
    assert again.records == euca.read_iati(ACTIVITY).records


def test_to_iati_errors(data: euca.Dataset):
    with pytest.raises(euca.ValidationError) as e:
        euca.to_iati([record(), record(id="project/kz/other")])
    assert [(p["code"], p["path"]) for p in e.value.errors()] == [
        ("missing_field", "[0].iati_identifier"),
        ("missing_field", "[0].reporting_org"),
        ("missing_field", "[1].iati_identifier"),
        ("missing_field", "[1].reporting_org"),
    ]
    with pytest.raises(euca.ValidationError) as e:
        euca.to_iati([record()], prefix="XM EUCA")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_value", "prefix")
    with pytest.raises(euca.ValidationError) as e:
        euca.to_iati([record(), {"id": "x", "title": [{"text": "t"}], "total_cost": 1.5}], prefix="XM-EUCA")
    assert [(p["code"], p["path"]) for p in e.value.errors()] == [("over_precise_money", "[1].total_cost")]
    with pytest.raises(TypeError, match="Dataset.to_iati"):
        euca.to_iati([MIGRANTS], prefix="XM-EUCA")  # type: ignore[list-item]
    with pytest.raises(euca.QueryError) as e:
        euca.to_iati([record()], prefix="XM-EUCA", as_of="someday")
    assert e.value.errors()[0]["path"] == "as_of"


def test_an_import_pickles():
    imported = euca.read_iati(ACTIVITY)
    assert pickle.loads(pickle.dumps(imported)) == imported
