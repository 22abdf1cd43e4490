"""The native module of euca (Rust, pyo3). Import its names from ``euca``.

Dates: an argument named ``as_of`` (or a day) takes a ``datetime.date``, an aware
``datetime.datetime`` (its own calendar day) or ISO text (``"2020-09-04"``, or an RFC 3339 instant
``"2020-09-04T13:30:00+02:00"``); ``None`` means today in UTC. A naive ``datetime`` is a
``QueryError`` with code ``naive_datetime``. Other date arguments take EDTF text as the sources
give dates (``"2008"``, ``"2008-06"``, ``"2008-06-15"``, ``"2007-05-08/2007-05-09"``,
``"[2018,2019]"``), a ``date`` or an aware ``datetime``.

Documents (datasets, extensions, rule sets, applications) are JSON text or dicts in the one JSON
shape of docs/errors.md and schemas/. In an application, money is an ``int`` (minor units, cents),
a ``Decimal`` or decimal text (exactly), or a ``float`` that is a whole number of cents; instants
are aware ``datetime`` objects or RFC 3339 text.

Other arguments: a value of the wrong type is a ``TypeError`` whose message names the argument
(```years` must be an int, not str``), on every Python version; a whole number out of its range
is a ``QueryError`` with code ``invalid_value`` whose path is the argument's name.
"""

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Optional, Union, final, overload


from euca.iati import IatiImport
from euca.records import Records

__all__ = [
    "BatchResult",
    "Call",
    "Dataset",
    "Decision",
    "__version__",
    "application_schema",
    "compare",
    "date_relation",
    "eu_member_states",
    "parse_date",
    "read_iati",
    "rule_set_schema",
    "to_iati",
]

__version__: str

_Document = Union[str, bytes, Mapping[str, Any]]
_Day = Union[str, datetime.date]
_Path = Union[str, "os.PathLike[str]"]
# A project: the id (or IATI identifier) of one of the dataset's projects, or a record (a dict in
# the shape of ``Dataset.projects()``).
_Project = Union[str, Mapping[str, Any]]

@final
class Dataset:
    """The sourced dataset: countries, strategies, agreements, dialogues, rounds, seminars,
    initiatives, instruments, funded projects, code tables and eligibility rule sets.

    A ``Dataset`` is an immutable handle: ``extend`` returns a new one. It pickles (the embedded
    dataset by reference, any other through its JSON), so it travels to multiprocessing and Dask
    workers.
    """

    @staticmethod
    def embedded() -> Dataset:
        """The dataset that ships with euca.

        Returns:
            The embedded dataset. Each collection is read from the embedded document when it
            is first used, once per process; the datasets this gives share those records.
        """

    @staticmethod
    def from_json(text: _Document) -> Dataset:
        """Reads a whole dataset document.

        Args:
            text: The document as JSON text (``str`` or ``bytes``) or as a dict.

        Returns:
            The dataset.

        Raises:
            ValidationError: With every problem and its JSON path (``invalid_json``,
                ``unknown_field``, ``invalid_date``, ``duplicate_id``, ``input_too_deep`` ...).
        """

    @staticmethod
    def load(path: _Path) -> Dataset:
        """Reads a dataset document from a file.

        Args:
            path: The file's path.

        Returns:
            The dataset.

        Raises:
            ValidationError: As ``from_json``.
            OSError: When the file cannot be read.
        """

    def to_json(self) -> str:
        """Writes the whole dataset as one JSON document (keys in a fixed order).

        Returns:
            Pretty-printed JSON; ``Dataset.from_json`` reads it back to an equal dataset.
        """

    def extend(self, extension: _Document) -> Dataset:
        """Adds, corrects or retracts records, each change with its own source.

        Args:
            extension: ``{"add": {"rounds": [...], ...}, "correct": [{"id", "set", "sources"}],
                "retract": [{"id", "sources", "note"}]}`` as JSON text or a dict.

        Returns:
            A new dataset with the changes (and the change log in ``changes()``).

        Raises:
            ValidationError: With every problem, paths into the extension (``add.rounds[0].date``).
        """

    @property
    def version(self) -> str:
        """The dataset's version (``2026.11.30`` for the data published that day)."""

    def changes(self) -> Records:
        """The changes made by ``extend``, oldest first.

        Returns:
            One record per change: action, id, fields, sources, note.
        """

    def countries(self) -> Records:
        """The five Central Asian states and the EU.

        Returns:
            One record per country (ISO codes, names, kind, sources).
        """

    def central_asian_states(self) -> Records:
        """The five Central Asian states (the countries without the EU), in dataset order.

        Returns:
            One record per state.
        """

    def strategies(self) -> Records:
        """The EU strategies for Central Asia, oldest first.

        Returns:
            One record per strategy, with its priorities and reviews.
        """

    def priorities(self) -> Records:
        """The priority areas of every strategy.

        Returns:
            One record per priority: id, strategy, name, sources, note.
        """

    def agreements(self) -> Records:
        """The agreements between the EU and the five states.

        Returns:
            One record per agreement (kind, signed, in force, sources).
        """

    def bodies(self) -> Records:
        """The agreement bodies dialogues meet in or beside.

        Returns:
            One record per body.
        """

    def dialogue_types(self) -> Records:
        """The dialogue types of the EU Guidelines on human rights dialogues.

        Returns:
            One record per type.
        """

    def objectives(self) -> Records:
        """The objectives of the dialogues.

        Returns:
            One record per objective.
        """

    def priority_issues(self) -> Records:
        """The priority issues the EU raises in its human rights dialogues.

        Returns:
            One record per issue.
        """

    def dialogues(self) -> Records:
        """The five dialogues.

        Returns:
            One record per dialogue: formats as dated changes, cadence, lifecycle, sources.
        """

    def rounds(self) -> Records:
        """Every stored round, as written in the dataset.

        Returns:
            One record per round; ``rounds_in()`` and ``rounds_of()`` give flat rows with first
            and last possible days, including the rounds known only from the numbering.
        """

    def seminars(self) -> Records:
        """Every civil-society seminar as a flat record, oldest first.

        Returns:
            One record per seminar with its date as given, first and last possible day, precision,
            place and sources.
        """

    def initiatives(self) -> Records:
        """Initiatives and standing practices under the strategy.

        Returns:
            One record per initiative.
        """

    def instruments(self) -> Records:
        """Funding instruments and programmes (EIDHR, NSA-LA, IBPP ...).

        Returns:
            One record per instrument.
        """

    def project_kinds(self) -> Records:
        """The kinds of project the dialogues lead to.

        Returns:
            One record per kind, with its DAC sectors.
        """

    def organisation_types(self) -> Records:
        """The IATI organisation types euca uses.

        Returns:
            One record per type.
        """

    def sectors(self) -> Records:
        """The DAC sector codes euca uses, including those withdrawn in 2020.

        Returns:
            One record per code.
        """

    def rule_sets(self) -> Records:
        """The eligibility rule sets (instruments' and calls'), as written.

        Returns:
            One record per rule set; ``calls()`` and ``call(id)`` compile them.
        """

    def country(self, country: str) -> dict[str, Any]:
        """A country by ISO 3166 code (``KG``, ``KGZ``) or name (``Kyrgyzstan``), in any case.

        Args:
            country: The code or name.

        Returns:
            The country record.

        Raises:
            QueryError: ``unknown_country`` (path ``country``).
        """

    def dialogue(self, country: str) -> dict[str, Any]:
        """A country's human rights dialogue.

        Args:
            country: A country code or name, or the dialogue's id (``hrd-kz``).

        Returns:
            The dialogue record.

        Raises:
            QueryError: ``unknown_country``, or ``unknown_record`` for a country without a dialogue.
        """

    def format_on(self, country: str, date: _Day) -> dict[str, Any]:
        """The format a country's dialogue had on a date.

        Args:
            country: A country code or name, or the dialogue's id.
            date: A day, or a partial date (``"2008"`` asks about some day within 2008).

        Returns:
            ``{"dialogue", "country", "on", "certain", "possible": [...], "reason"}``: every
            format the dates allow; ``certain`` is false when the sources cannot settle it.

        Raises:
            QueryError: ``unknown_country``, ``unknown_record`` or ``invalid_date``.
        """

    def rounds_of(self, country: str) -> Records:
        """Every round of a dialogue, stored and derived from the numbering.

        Args:
            country: A country code or name, or the dialogue's id.

        Returns:
            One flat record per round (number, date, earliest, latest, derived, place, sources).

        Raises:
            QueryError: ``unknown_country`` or ``unknown_record``.
        """

    def rounds_in(self, since: Optional[_Day] = None, until: Optional[_Day] = None) -> Records:
        """The rounds that fall, certainly or possibly, in a period.

        Args:
            since: From the first day of this date (open when ``None``).
            until: To the last day of this date (open when ``None``).

        Returns:
            One flat record per round; ``within`` says ``certainly`` or ``possibly``.

        Raises:
            QueryError: ``invalid_date``.
        """

    def seminars_in(self, since: Optional[_Day] = None, until: Optional[_Day] = None) -> Records:
        """The seminars that fall, certainly or possibly, in a period.

        Args:
            since: From the first day of this date (open when ``None``).
            until: To the last day of this date (open when ``None``).

        Returns:
            One flat record per seminar, with ``within``.

        Raises:
            QueryError: ``invalid_date``.
        """

    def countries_without_seminar_before(self, date: _Day) -> Records:
        """The Central Asian states without a civil-society seminar before a date.

        Args:
            date: The date.

        Returns:
            One record per state; ``cannot_tell`` is true when a seminar's date may fall either side.

        Raises:
            QueryError: ``invalid_date``.
        """

    def timeline(self) -> Records:
        """Every dated event, oldest first, each with its precision and sources.

        Returns:
            One record per event (strategy adopted, agreement signed, round, seminar ...).
        """

    def timeline_records(
        self, plan_years: Optional[int] = None, as_of: Optional[_Day] = None
    ) -> Records:
        """The timeline as flat rows for data frames and charts.

        Args:
            plan_years: Also list the rounds projected this many years after ``as_of`` (status
                ``projected``, spanning their due window).
            as_of: The day projections start from (default: today in UTC).

        Returns:
            One row per event: record, country, kind, title, start, end, date, precision,
            disputed, place, round_number, status (confirmed, inferred, derived, projected), source.

        Raises:
            QueryError: ``invalid_date`` or ``naive_datetime`` for ``as_of``; ``invalid_value``
                for ``plan_years`` below 0 or over 9999.
            TypeError: When ``plan_years`` is not an ``int`` (the message names it).
        """

    def serving(self, priority: str) -> Records:
        """What serves a strategy priority: dialogues, initiatives, instruments, kinds of project.

        Args:
            priority: A priority id (``strategy-2007/human-rights``), see ``priorities()``.

        Returns:
            One record per serving record: kind, id, title.

        Raises:
            QueryError: ``unknown_record`` (path ``priority``).
        """

    def status(self, as_of: Optional[_Day] = None) -> Records:
        """The status of every dialogue on a day.

        Args:
            as_of: The day (default: today in UTC).

        Returns:
            One record per dialogue: phase (or every possible phase when the dates cannot settle
            it), last round, due window, days until due or overdue as ranges.

        Raises:
            QueryError: ``invalid_date`` or ``naive_datetime``.
        """

    def status_of(self, country: str, as_of: Optional[_Day] = None) -> dict[str, Any]:
        """The status of one dialogue on a day.

        Args:
            country: A country code or name, or the dialogue's id.
            as_of: The day (default: today in UTC).

        Returns:
            The status record (see ``status``).

        Raises:
            QueryError: ``unknown_country``, ``unknown_record``, ``invalid_date``.
        """

    def regularity(self) -> Records:
        """How regular each dialogue, and the region, has been.

        Returns:
            One record per dialogue and a last one for the region: rounds, gaps (shortest,
            median, longest as ranges), intervals on time, years with and without a round.
        """

    def intervals(self) -> Records:
        """The gap between each two consecutive rounds of every dialogue.

        Returns:
            One record per gap: days_min, days_max, exact, timing against the cadence, and
            evidence (``"proven"`` when the numbering shows the rounds are consecutive,
            ``"no_record"`` when a round may have taken place between them unrecorded; a long
            gap with no record is ``cannot_tell``, not ``late``).
        """

    def round_years(self) -> Records:
        """Every year of every dialogue: whether a round was held (confirmed, unknown, none).

        Returns:
            One record per dialogue and year.
        """

    def plan(
        self, years: int = 1, as_of: Optional[_Day] = None, consultation_weeks: int = 4
    ) -> Records:
        """The rounds due within ``years`` years after ``as_of``, projected from each cadence.

        Args:
            years: The horizon in years (at most 9999: euca's dates end in the year 9999).
            as_of: The day the projection starts from (default: today in UTC).
            consultation_weeks: Weeks before each round for the civil-society consultation (at
                most 5200).

        Returns:
            One record per projected round: due window, consultation window, phase, basis.

        Raises:
            QueryError: ``invalid_date`` or ``naive_datetime`` (path ``as_of``), ``invalid_value``
                for a horizon below 0 or over 9999 years (path ``years``) or
                ``consultation_weeks`` below 0 or over 5200.
            TypeError: When ``years`` or ``consultation_weeks`` is not an ``int``.
        """

    def stages_of(self, round: str) -> Records:
        """The five stages of one round's cycle, known or unknown.

        Args:
            round: The round's id (``hrd-kz/2019-11-19``).

        Returns:
            One record per stage (preparation, consultation, round, follow-up, assessment).

        Raises:
            QueryError: ``unknown_record`` (path ``round``).
        """

    def round_stages(self) -> Records:
        """The stages of every stored round's cycle.

        Returns:
            One record per round and stage.
        """

    def calendar_events(
        self,
        countries: Optional[list[str]] = None,
        since: Optional[_Day] = None,
        until: Optional[_Day] = None,
        *,
        rounds: bool = True,
        seminars: bool = True,
        due_windows: bool = True,
        projected_rounds: bool = True,
        consultations: bool = True,
        as_of: Optional[_Day] = None,
        years: int = 1,
        consultation_weeks: int = 4,
    ) -> Records:
        """The events a calendar with this filter holds, as flat records (what ``to_ical`` writes).

        Args:
            countries: Country codes or names (``None``: all five).
            since: Only events overlapping the period from this date.
            until: Only events overlapping the period to this date.
            rounds: Include the rounds the sources date.
            seminars: Include civil-society seminars and fora.
            due_windows: Include the due window of each projected round.
            projected_rounds: Include projected rounds at their nominal date.
            consultations: Include the consultation window before each projected round.
            as_of: The day projections start from (default: today in UTC).
            years: How far ahead to project (at most 9999 years).
            consultation_weeks: Weeks before each projected round for the consultation (at most
                5200).

        Returns:
            One record per event (uid, kind, summary, first_day, last_day, precision ...).

        Raises:
            QueryError: ``unknown_country`` (path ``countries``), ``invalid_date``.
        """

    def to_ical(
        self,
        countries: Optional[list[str]] = None,
        since: Optional[_Day] = None,
        until: Optional[_Day] = None,
        *,
        rounds: bool = True,
        seminars: bool = True,
        due_windows: bool = True,
        projected_rounds: bool = True,
        consultations: bool = True,
        as_of: Optional[_Day] = None,
        years: int = 1,
        consultation_weeks: int = 4,
    ) -> str:
        """The dialogues as an iCalendar (RFC 5545) file: all-day events with stable UIDs.

        Args:
            countries: Country codes or names (``None``: all five).
            since: Only events overlapping the period from this date.
            until: Only events overlapping the period to this date.
            rounds: Include the rounds the sources date.
            seminars: Include civil-society seminars and fora.
            due_windows: Include the due window of each projected round.
            projected_rounds: Include projected rounds at their nominal date.
            consultations: Include the consultation window before each projected round.
            as_of: The day projections start from and the calendar's stamp (default: today, UTC).
            years: How far ahead to project (at most 9999 years).
            consultation_weeks: Weeks before each projected round for the consultation (at most
                5200).

        Returns:
            The calendar text (``BEGIN:VCALENDAR`` ...).

        Raises:
            QueryError: ``unknown_country`` (path ``countries``), ``invalid_date``.
        """

    def calls(self) -> list[Call]:
        """Every call of the dataset, compiled (instruments' own rule sets are not calls).

        Returns:
            The calls, in dataset order.
        """

    def call(self, id: str) -> Call:
        """A call (or an instrument's rule set) by id, compiled.

        Args:
            id: The rule set's id (``tj-2020-cso``, ``tj-2023-hrd-cso/lot-1``).

        Returns:
            The compiled call.

        Raises:
            QueryError: ``unknown_record`` (path ``id``).
        """

    def match(self, application: _Document, as_of: Optional[_Day] = None) -> Records:
        """Every call in force on ``as_of``, with its decision on one application.

        Args:
            application: The application (dict or JSON text).
            as_of: The evaluation day (default: today in UTC).

        Returns:
            One decision dict per call (as ``Decision.to_dict()``), eligible first, then
            undetermined, then ineligible; ``Decision.from_json(row)`` gives the handle.

        Raises:
            ValidationError: When the application does not load (every problem, with paths).
            QueryError: For a bad ``as_of``.
        """

    # ---- funded projects ----------------------------------------------------------------------

    def projects(self) -> Records:
        """The funded projects (or packages of projects) as written, in dataset order.

        Each record holds identifiers, titles and descriptions in every language, recipient
        countries and regions with their shares, instruments and call, participating
        organisations with their IATI roles and types, ``total_cost`` and ``eu_contribution`` in
        minor units (cents) of ``currency``, dates at their sources' precision (EDTF), DAC
        sectors, themes, priorities, status and sources; ``inferred`` names the fields that are
        euca's classification rather than the sources' statement.

        Returns:
            One dict per project (``to_pandas()`` gives one row each, lists in object columns).
        """

    def project(self, id: str) -> dict[str, Any]:
        """A funded project by id or IATI identifier.

        Args:
            id: ``project/kz/inclusive-kazakhstan``, or the project's IATI identifier.

        Returns:
            The project record.

        Raises:
            QueryError: ``unknown_record`` (path ``id``).
        """

    def project_application(self, project: _Project) -> dict[str, Any]:
        """The application a project makes, for checking it against a call's rules.

        The lead organisation applies (name, organisation type where one is given, country), the
        other implementing organisations co-apply; the action has the title, recipient
        countries, duration, start day, DAC sectors and priorities; the budget requests the EU
        contribution. What the record does not hold (legal form, costs, submission time) stays
        absent, so the criteria that need it come out undetermined.

        Args:
            project: A project's id, or a project record (dict).

        Returns:
            The application as a dict (what ``Call.evaluate`` reads).

        Raises:
            QueryError: ``unknown_record`` (path ``project``).
            ValidationError: When a project record does not load (every problem, with paths).
        """

    def evaluate_project(
        self,
        project: _Project,
        call: Union[str, Call, None] = None,
        as_of: Optional[_Day] = None,
    ) -> Decision:
        """Checks a project against a call's published rules: was it eligible?

        Args:
            project: A project's id, or a project record (dict).
            call: The call: an id of the dataset's calls or a compiled ``Call``; default: the call
                the project was funded under.
            as_of: The evaluation day (default: today in UTC).

        Returns:
            The decision; ``missing`` lists the fields the record does not hold that would decide
            the criteria left undetermined.

        Raises:
            QueryError: ``unknown_record`` (path ``call``) when the call does not exist, or when
                no call is given and the project names none; (path ``project``) for an unknown
                project id.
            ValidationError: When a project record does not load.
        """

    def project_eligibility(
        self,
        as_of: Optional[_Day] = None,
        *,
        projects: Optional[Iterable[_Project]] = None,
        call: Union[str, Call, None] = None,
    ) -> Records:
        """Projects checked against their calls, one flat record each.

        Without ``projects`` and ``call``: every project of the dataset that names its call,
        checked against it ("was each funded project eligible under its call's rules?").

        Args:
            as_of: The evaluation day (default: today in UTC).
            projects: The projects to check (ids or records; default: the dataset's).
            call: Check every project against this call (an id or a ``Call``) instead of its own.

        Returns:
            ``{project, call, verdict, failed, undetermined, missing}`` per project: the criteria
            it fails, those the record cannot decide, and the fields that would decide them.

        Raises:
            QueryError: ``unknown_record`` (path ``call``) for an unknown call or, when
                ``projects`` are given without ``call``, a project that names none; (path
                ``projects[i]``) for an unknown project id.
            ValidationError: When a project record does not load (paths ``[i].field``).
        """

    def funding(
        self, by: str, *, projects: Optional[Iterable[_Project]] = None
    ) -> Records:
        """Funding grouped by a key, one row per key and currency (money never converted).

        A project with several countries or sectors and percentages for each is split by them
        exactly (the odd cents to the largest remainders; what the percentages leave goes to the
        row without a key); several keys without percentages make one row under the keys joined
        by ``+``, so that no amount is counted twice.

        Args:
            by: ``country``, ``year`` (of the start), ``instrument``, ``theme`` or ``sector``
                (DAC 5-digit).
            projects: The projects (ids or records, such as ``read_iati(...).records``; default:
                the dataset's).

        Returns:
            ``{by, key, currency, projects, shared, eu_contribution, eu_contribution_projects,
            total_cost, total_cost_projects, budget, commitments, disbursements, expenditure}``
            per row; amounts are ``int`` minor units (cents).

        Raises:
            QueryError: ``invalid_value`` (path ``by``) for another grouping.
            ValidationError: When a project record does not load (paths ``[i].field``).
        """

    def project_leads(self, *, projects: Optional[Iterable[_Project]] = None) -> Records:
        """The lead organisation of each project and whether it is local to the recipient countries.

        Args:
            projects: The projects (ids or records; default: the dataset's).

        Returns:
            ``{project, lead, lead_country, locality, basis}`` per project: ``local``,
            ``foreign`` or ``unknown``, told from the lead's country or its organisation type.

        Raises:
            ValidationError: When a project record does not load (paths ``[i].field``).
        """

    def local_leads(self, *, projects: Optional[Iterable[_Project]] = None) -> Records:
        """The share of projects led by a local organisation, per recipient country and for all.

        Args:
            projects: The projects (ids or records; default: the dataset's).

        Returns:
            ``{country, projects, local, foreign, unknown, local_share}`` per country, then the
            row for all (no ``country``); ``local_share`` is a percentage of the projects whose
            lead's locality is known (text, two decimals), absent when none is.

        Raises:
            ValidationError: When a project record does not load (paths ``[i].field``).
        """

    def projects_after_rounds(
        self, months: int, *, projects: Optional[Iterable[_Project]] = None
    ) -> Records:
        """The projects that started within ``months`` months after a dialogue round in one of
        their recipient countries.

        Args:
            months: The window after each round, in whole months.
            projects: The projects (ids or records; default: the dataset's).

        Returns:
            ``{project, country, round, round_number, round_date, start, months_min, months_max,
            certain}`` per project and round; ``certain`` is false where partial dates only allow
            it.

        Raises:
            QueryError: ``invalid_value`` (path ``months``) for a negative or too large window.
            ValidationError: When a project record does not load (paths ``[i].field``).
        """

    def to_iati(
        self,
        *,
        projects: Optional[Iterable[_Project]] = None,
        prefix: Optional[str] = None,
        reporting_org_name: Optional[str] = None,
        reporting_org_type: Optional[str] = None,
        as_of: Optional[_Day] = None,
    ) -> str:
        """The dataset's projects (or those given) as an IATI 2.03 activity file.

        As the module function ``euca.to_iati``, which takes any records; here ``projects`` may
        also name the dataset's projects by id.

        Args:
            projects: The projects (ids or records; default: the dataset's).
            prefix: The reporting organisation's IATI identifier, used for records without an
                IATI identifier or reporting organisation (``XM-EUCA``).
            reporting_org_name: The name written for a generated reporting organisation.
            reporting_org_type: Its IATI organisation type (default ``90``).
            as_of: The day a missing status is supplied against (default: today in UTC).

        Returns:
            The XML text.

        Raises:
            ValidationError: ``missing_field`` (path ``[i].iati_identifier``,
                ``[i].reporting_org``) for a record that lacks either when no ``prefix`` is given;
                ``invalid_value`` (path ``prefix``).
            QueryError: For an unknown project id (path ``projects[i]``) or a bad ``as_of``.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Dataset: ...
    def __deepcopy__(self, memo: Any, /) -> Dataset: ...

@final
class Call:
    """A call for proposals (or an instrument's rule set) compiled for evaluation.

    Its ``extends`` chain is resolved and flattened, each criterion remembering the rule set it
    came from. Compile once, evaluate many times. A ``Call`` pickles through its JSON.
    """

    @staticmethod
    def from_json(text: _Document, dataset: Optional[Dataset] = None) -> Call:
        """Reads and compiles a rule set.

        Args:
            text: The rule set as JSON text or a dict (schema: ``rule_set_schema()``).
            dataset: The dataset whose rule sets ``extends`` names (default: the embedded one).

        Returns:
            The compiled call.

        Raises:
            ValidationError: With every problem and its path (``unknown_field``,
                ``unknown_criterion``, ``conflicting_override``, ``circular_extends`` ...).
        """

    @staticmethod
    def load(path: _Path, dataset: Optional[Dataset] = None) -> Call:
        """Reads and compiles a rule set from a file.

        Args:
            path: The file's path.
            dataset: The dataset whose rule sets ``extends`` names (default: the embedded one).

        Returns:
            The compiled call.

        Raises:
            ValidationError: As ``from_json``.
            OSError: When the file cannot be read.
        """

    @property
    def id(self) -> str:
        """The rule set's id."""

    @property
    def title(self) -> str:
        """The rule set's title."""

    @property
    def version(self) -> str:
        """The rule set's version."""

    @property
    def rule_set(self) -> dict[str, str]:
        """``{"id", "version"}``: what every decision records to be reproducible."""

    @property
    def chain(self) -> list[dict[str, str]]:
        """The rule sets it was compiled from (``{"id", "version"}``), the root instrument first."""

    @property
    def currency(self) -> str:
        """The currency of its amounts (ISO 4217, ``EUR`` by default)."""

    @property
    def stages(self) -> list[str]:
        """The stages of a restricted call (``concept_note``, ``full_application``); empty when open."""

    @property
    def validity(self) -> Optional[dict[str, str]]:
        """The period in which the rules govern decisions (``{"from", "to"}``), if known."""

    @property
    def notes(self) -> list[str]:
        """Notes of every rule set of the chain: parameters the sources do not give."""

    @property
    def sources(self) -> list[dict[str, str]]:
        """The sources of the rule set."""

    def criteria(self) -> Records:
        """Every criterion, flattened.

        Returns:
            One record per criterion: id, statement, citation, stage, until, test, origin.
        """

    def fields_read(self) -> dict[str, Any]:
        """What the call reads of an application.

        A criterion gives the same outcome on any two applications that agree on the fields it
        reads; an application (or a DataFrame) that gives these fields is decided as it would be
        with every other field too.

        Returns:
            ``{"criteria": [{"id": ..., "fields": [...]}, ...], "grant": [...]}``: each
            criterion's fields, in the call's order, and the grant's, as dotted paths
            (``applicant.country``; a list of partners and the budget are read whole:
            ``co_applicants``, ``budget``).
        """

    def to_json(self, *, flat: bool = False) -> str:
        """The rule set as JSON.

        Args:
            flat: Write the compiled call (every criterion with its origin) instead of the rule
                set as written.

        Returns:
            Pretty-printed JSON.
        """

    def in_force_on(self, date: _Day) -> bool:
        """Whether the rules govern decisions on a day (true when no validity is known).

        Args:
            date: The day.

        Returns:
            True when in force.

        Raises:
            QueryError: ``invalid_date`` or ``naive_datetime``.
        """

    def evaluate(
        self, application: _Document, as_of: Optional[_Day] = None, stage: Optional[str] = None
    ) -> Decision:
        """Evaluates one application.

        Args:
            application: The application as a dict or JSON text (schema: ``application_schema()``).
            as_of: The evaluation day (default: today in UTC); the decision records it.
            stage: The stage of a restricted call (``concept_note`` or ``full_application``;
                default: the last stage, every criterion applies).

        Returns:
            The decision. Not being eligible is a verdict, not an error.

        Raises:
            ValidationError: When the application does not load (every problem, with paths).
            QueryError: For a bad ``as_of`` or ``stage``.
        """

    def evaluate_many(
        self, applications: Any, as_of: Optional[_Day] = None, stage: Optional[str] = None
    ) -> BatchResult:
        """Evaluates many applications on all cores, releasing the GIL.

        The applications of a list are read in parts, and each part is evaluated on another
        thread while the next is read: the rows are those of evaluating the list whole, and an
        application that does not read stops the batch with every problem of every application.
        A frame whose every column is read from its buffers (NumPy booleans and integers, Arrow
        strings, lists and structs without a null) is read and evaluated on all cores without
        the GIL; in a frame with columns of Python values beside such columns (none nesting
        under another), those are read with the GIL while another thread reads the rest of each
        row and evaluates it. At a row that either way does not read cell by cell (a value only
        the reader of Python values takes, or a problem to name), the frame is read again the
        way a list is.

        Args:
            applications: A list (or any iterable) of application dicts, or a pandas or polars
                DataFrame or a pyarrow Table whose columns are dotted paths
                (``applicant.country``, ``budget.requested``) or structs; a missing value
                leaves the field out. A column name given twice, or a column and one nesting
                under it (``action`` and ``action.country``) both set in a row, is an error.
            as_of: The evaluation day (default: today in UTC).
            stage: The stage of a restricted call.

        Returns:
            The columns of the results; ``decision(i)`` builds a full decision on demand. The
            batch of a ``list`` or ``tuple`` keeps it and reads item ``i`` again for that (see
            ``BatchResult``); pass ``iter(applications)`` to have the applications kept as read.

        Raises:
            ValidationError: With every problem of every application (paths ``[i].field``).
            TypeError: When ``applications`` is not a list of dicts or a DataFrame.
        """

    def evaluate_jsonl(
        self,
        text_or_path: Union[str, bytes, "os.PathLike[str]"],
        as_of: Optional[_Day] = None,
        stage: Optional[str] = None,
    ) -> BatchResult:
        """Evaluates JSON Lines (one application per line) without building Python objects.

        The lines are read and evaluated in parts on all cores, each application dropped once
        its row is written: the batch keeps the text (a ``str`` itself on Python 3.10 and
        later, a copy of bytes or of a file's text), and ``decision(i)`` reads line ``i`` again;
        a pickle of the batch keeps the text too. A line ends at ``\n`` (or ``\r\n``, and
        nowhere else, unlike ``str.splitlines``); a line of only whitespace is skipped, so row
        ``i`` is the ``i``-th line that is not blank.

        Args:
            text_or_path: The JSON Lines text (``str`` that starts with ``{`` or spans lines, or
                ``bytes``), or a path to a file (``os.PathLike``, or any other ``str``).
            as_of: The evaluation day (default: today in UTC).
            stage: The stage of a restricted call.

        Returns:
            The columns of the results.

        Raises:
            ValidationError: With every problem of every line (paths ``[i].field``, line numbers
                in the messages).
            OSError: When the file cannot be read.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Call: ...
    def __deepcopy__(self, memo: Any, /) -> Call: ...

@final
class BatchResult:
    """The results of a batch as columns, one row per application, in input order.

    Full decisions are built only when asked (``decision(i)``), so a million rows never means a
    million handles. It is also a sequence of rows: ``batch[i]``, ``batch[-1]``, ``batch[2:5]``
    and ``for row in batch`` give the rows of ``to_records()`` (``id``, ``verdict``,
    ``max_eu_contribution``, ``eu_share``, ``failed``, ``missing``), each built when reached. It
    pickles (the call through its JSON, the applications and the columns in their JSON shape), so
    a batch evaluated in a multiprocessing or Dask worker comes back whole, ``decision(i)``
    included. A batch of a ``list`` (or a ``tuple``) of dicts keeps the list, not a copy, and
    the fingerprint of each application read from it: ``decision(i)`` and a pickle read item
    ``i`` again, and raise ``QueryError`` with the code ``changed_application`` when it no longer
    reads as the application row ``i`` was evaluated from (a result written back into the dict
    is such a change; give ``evaluate_many`` ``iter(applications)`` or a deep copy to change the
    dicts after). The list stays alive as long as the batch, so a list that nothing but the call
    refers to (``evaluate_many([json.loads(l) for l in f])``), whose dicts would otherwise be
    freed, has its applications kept instead. A batch of another iterable of dicts (a subclass
    of ``list`` included), or of a DataFrame, keeps the
    applications as read (a later change to the dicts does not change its decisions), or a copy
    of the frame's cells when every column is read from its buffers and every row reads cell by
    cell; one of JSON Lines keeps the text. A pickle keeps the applications themselves.
    """

    def __len__(self) -> int:
        """The number of rows."""

    @overload
    def __getitem__(self, key: int, /) -> dict[str, Any]:
        """Row ``key`` (negative counts from the end), or the rows of a slice as ``Records``.

        Args:
            key: The row, or a slice of rows.

        Returns:
            ``{"id", "verdict", "max_eu_contribution", "eu_share", "failed", "missing"}``, as a
            row of ``to_records()``; for a slice, ``Records`` of such rows.

        Raises:
            IndexError: When there is no such row.
            TypeError: When ``key`` is neither an ``int`` nor a slice.
        """

    @overload
    def __getitem__(self, key: slice, /) -> Records: ...
    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The rows in order, as ``batch[i]`` gives them, each built when the iteration reaches it.

        Returns:
            An iterator of row dicts.
        """

    @property
    def ids(self) -> list[Optional[str]]:
        """The applications' ids (``None`` where an application has none)."""

    @property
    def verdicts(self) -> list[str]:
        """The verdicts: ``eligible``, ``ineligible`` or ``undetermined``."""

    @property
    def eligible(self) -> list[bool]:
        """Whether each row's verdict is ``eligible``: a mask of the rows to keep, as
        ``frame.loc[batch.eligible]`` (pandas) and ``frame.filter(batch.eligible)`` (polars) take
        it."""

    @property
    def max_eu_contribution(self) -> list[Optional[int]]:
        """The largest EU contribution the rules allow, in minor units, where computable."""

    @property
    def eu_share(self) -> list[Optional[str]]:
        """The requested contribution as a percentage of total eligible costs (``"79.99"``)."""

    @property
    def failed(self) -> list[list[str]]:
        """The ids of the criteria each application fails."""

    @property
    def missing(self) -> list[list[str]]:
        """The ids of the criteria that cannot be told for each application."""

    @property
    def as_of(self) -> datetime.date:
        """The evaluation day."""

    @property
    def stage(self) -> Optional[str]:
        """The stage of a restricted call, if one was given."""

    @property
    def rule_set(self) -> dict[str, str]:
        """The id and version of the rule set that decided."""

    def counts(self) -> dict[str, int]:
        """How many rows have each verdict.

        Returns:
            ``{"eligible": n, "ineligible": n, "undetermined": n}``.
        """

    def decision(self, i: int) -> Decision:
        """The full decision for row ``i``.

        Args:
            i: The row (negative counts from the end).

        For a batch of a list, item ``i`` of the list is read again.

        Returns:
            The decision, as ``Call.evaluate`` gives it.

        Raises:
            IndexError: When there is no such row.
            QueryError: ``changed_application``, for a batch of a list whose item ``i`` is gone,
                no longer reads, or reads as another application than row ``i`` was evaluated
                from.
        """

    def to_dict(self) -> dict[str, Any]:
        """The batch in its JSON shape, as every language writes it.

        Returns:
            ``{"ids", "verdicts", "max_eu_contribution", "eu_share", "failed", "missing",
            "as_of", "stage"}``: one list per column, plus the evaluation day (ISO) and stage.
        """

    def to_records(self) -> Records:
        """The rows as records (one dict per application).

        Returns:
            ``Records`` with the keys ``id``, ``verdict``, ``max_eu_contribution``, ``eu_share``,
            ``failed`` and ``missing``.
        """

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (the columns of ``to_records``).

        Returns:
            A ``pandas.DataFrame``.

        Raises:
            ImportError: When pandas is not installed (``pip install 'euca[pandas]'``).
        """

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (the columns of ``to_records``).

        Returns:
            A ``polars.DataFrame``.

        Raises:
            ImportError: When polars is not installed (``pip install 'euca[polars]'``).
        """

@final
class Decision:
    """The decision on one application: a verdict with reasons, never an exception.

    Shows in a notebook as a table of checks coloured by outcome, with their citations. Pickles
    through its JSON.
    """

    @property
    def verdict(self) -> str:
        """``eligible``, ``ineligible`` or ``undetermined``."""

    @property
    def checks(self) -> list[dict[str, Any]]:
        """One check per criterion in the call's order: id, statement, outcome (pass, fail,
        unknown, not_applicable), requirement, message, read values, missing fields, citation,
        origin."""

    @property
    def missing(self) -> list[dict[str, Any]]:
        """The fields still needed (field, question, criteria, settles), decisive ones first."""

    @property
    def grant(self) -> Optional[dict[str, Any]]:
        """The grant figures in minor units, where computable (total eligible, requested,
        requested share, maximum EU contribution, notes)."""

    @property
    def recourse(self) -> list[dict[str, Any]]:
        """What the applicant can change or answer (criterion, field, kind, message, suggestion)."""

    @property
    def as_of(self) -> datetime.date:
        """The evaluation day the decision used."""

    @property
    def rule_set(self) -> dict[str, str]:
        """The rule set (``{"id", "version"}``) that decided."""

    @property
    def application(self) -> Optional[str]:
        """The application's id, if it has one."""

    @property
    def stage(self) -> Optional[str]:
        """The stage of a restricted call, if one was given."""

    def explain(self) -> str:
        """The decision in plain text a non-programmer can follow, citing the rules.

        Returns:
            Several lines: the verdict, the criteria not met and not yet known with their rules
            and sources, the grant, and what would change the answer.
        """

    def to_dict(self) -> dict[str, Any]:
        """The decision as a dict in its JSON shape.

        Returns:
            ``{"application", "rule_set", "chain", "as_of", "stage", "verdict", "checks", "missing",
            "grant", "recourse"}``.
        """

    def to_json(self) -> str:
        """The decision as JSON text.

        Returns:
            Pretty-printed JSON that ``Decision.from_json`` reads back.
        """

    @staticmethod
    def from_json(document: _Document) -> Decision:
        """Reads a decision written by ``to_dict`` or ``to_json``.

        Args:
            document: The decision as JSON text or a dict.

        Returns:
            The decision.

        Raises:
            ValidationError: When the document is not a decision: the value that cannot be
                read (a struct given as a list among them) and every unknown field, each with
                its path (``verdict``, ``rule_set.zz``), as ``Decision.fromJson`` in JavaScript.
        """

    def _repr_html_(self) -> str:
        """A table of the checks coloured by outcome, with their citations (for notebooks).

        Returns:
            An HTML fragment.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def compare(
    call_a: Call, call_b: Call, applications: Any, as_of: Optional[_Day] = None
) -> Records:
    """Compares two calls on the same applications: which verdicts and grants change, and why.

    Args:
        call_a: The first call.
        call_b: The second call.
        applications: A list of application dicts or a DataFrame (as ``Call.evaluate_many``).
        as_of: The evaluation day (default: today in UTC).

    Returns:
        One record per application: verdict_a, verdict_b, verdict_changed, max_eu_contribution_a,
        max_eu_contribution_b, grant_changed, changes (criteria whose outcome differs), why.

    Raises:
        ValidationError: With every problem of every application.
    """

def parse_date(text: _Day) -> dict[str, str]:
    """Reads a date of euca's EDTF subset.

    Args:
        text: ``2005``, ``2008-06``, ``2008-10-15``, ``2007-05-08/2007-05-09`` or ``[2018,2019]``
            (or a ``datetime.date``).

    Returns:
        ``{"display", "earliest", "latest", "precision"}``: the canonical text, the first and
        last day it can denote (ISO), and ``year``, ``month`` or ``day``.

    Raises:
        QueryError: ``invalid_date`` (path ``text``).
    """

def date_relation(a: _Day, b: _Day) -> str:
    """Whether ``a`` is before ``b``, after it, the same day, or whether the dates cannot tell.

    Args:
        a: A date (EDTF text or ``datetime.date``).
        b: Another date.

    Returns:
        ``before``, ``after``, ``same`` or ``cannot_tell``.

    Raises:
        QueryError: ``invalid_date`` (path ``a`` or ``b``).
    """

def eu_member_states(on: Optional[_Day] = None) -> list[str]:
    """The member states of the EU on a day, for calls open to applicants established in one.

    Args:
        on: The day (default: today in UTC); the United Kingdom is a member until 31 January 2020.

    Returns:
        ISO 3166 alpha-2 codes in order of accession.

    Raises:
        QueryError: ``invalid_date`` or ``naive_datetime`` (path ``on``).
    """

def application_schema() -> dict[str, Any]:
    """The JSON Schema of an application.

    Returns:
        The schema as a dict.
    """

def rule_set_schema() -> dict[str, Any]:
    """The JSON Schema of a rule set (an instrument's or a call's).

    Returns:
        The schema as a dict.
    """

def read_iati(
    text_or_path: Union[str, bytes, "os.PathLike[str]"],
    *,
    skip_invalid: bool = False,
    source: Optional[Mapping[str, Any]] = None,
) -> IatiImport:
    """Reads an IATI 2.03 activity file (``iati-activities``) into project records and warnings.

    A file is streamed an activity at a time, in memory bounded by the largest activity.
    Identifiers, the reporting and participating organisations, narratives in every language,
    recipient countries and regions, sectors with their vocabularies, activity dates by type,
    the status, and budgets and transactions summed by type and currency (exact minor units)
    are read. Codes outside their codelists, withdrawn codes (a DAC sector withdrawn in 2020 is
    read as its successor where one code took its place, and kept as given otherwise), empty
    narratives, values finer than a cent and every element euca does not read come back as
    warnings, never silently dropped.

    Args:
        text_or_path: The XML as ``str`` (starting with ``<``) or ``bytes``, or a file's path
            (``str`` or ``os.PathLike``).
        skip_invalid: Skip the activities that cannot be read, reporting their problems as
            warnings, instead of failing.
        source: A source given to every record (``{"title": ..., "address": ...}``), so that the
            records can join a dataset (``Dataset.extend({"add": {"projects": ...}})``).

    Returns:
        The file's version, its records (``Records``) and the warnings (``Records`` of
        ``{code, message, path, activity, count}``).

    Raises:
        ValidationError: Every problem with the element's path
            (``iati-activities/iati-activity[3]/transaction[2]/value``): ``invalid_xml``,
            ``invalid_value``, ``invalid_date``, ``missing_field``, ``duplicate_element`` ...
        OSError: When the file cannot be read.
    """

def to_iati(
    projects: Iterable[Mapping[str, Any]],
    *,
    prefix: Optional[str] = None,
    reporting_org_name: Optional[str] = None,
    reporting_org_type: Optional[str] = None,
    as_of: Optional[_Day] = None,
) -> str:
    """Writes project records as an IATI 2.03 activity file that the standard's schema accepts.

    Each activity carries the euca record in an extension element of euca's namespace, so that
    ``read_iati`` restores every field. A record's total cost is written as a budget over the
    action and its EU contribution as an outgoing commitment, so that a plain IATI reader sees
    the money too. A record without an IATI identifier or reporting organisation gets one built
    from ``prefix``, flagged in its ``generated`` field.

    Args:
        projects: Project records (dicts, as ``Dataset.projects()`` or ``read_iati(...).records``
            give them); ``Dataset.to_iati`` also takes ids.
        prefix: The reporting organisation's IATI identifier (``XM-EUCA``), needed only when a
            record lacks an identifier or a reporting organisation.
        reporting_org_name: The name written for a generated reporting organisation (default:
            the prefix).
        reporting_org_type: Its IATI organisation type (default ``90``, other).
        as_of: The day a missing activity status is supplied against (default: today in UTC).

    Returns:
        The XML text.

    Raises:
        ValidationError: With every problem of every record (paths ``[i].field``), and
            ``missing_field`` (``[i].iati_identifier``, ``[i].reporting_org``) without a prefix.
        QueryError: For a bad ``as_of``.
    """
