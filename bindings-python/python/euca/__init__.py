"""euca: the EU's human rights dialogues with Central Asia, their cycles, and the eligibility rules
of EU grants, as sourced data.

>>> import euca
>>> data = euca.Dataset.embedded()
>>> data.format_on("TM", "2009")["possible"][0]["dialogue_type"]
'structured'

Handles: ``Dataset`` (the sourced dataset and its queries), ``Call`` (a compiled call for
proposals), ``Decision`` (the decision on one application), ``BatchResult`` (a batch's columns).
Funded projects: ``Dataset.projects()`` and the project analyses, ``read_iati`` (an IATI activity
file into an ``IatiImport`` of records and warnings) and ``to_iati`` (records to IATI 2.03 XML).
Tables come back as ``Records`` (``to_pandas()``, ``to_polars()``). Errors derive from
``EucaError``; input errors are also ``ValueError`` with ``errors()``.
"""

from euca._euca import (
    BatchResult,
    Call,
    Dataset,
    Decision,
    __version__,
    application_schema,
    compare,
    date_relation,
    eu_member_states,
    parse_date,
    read_iati,
    rule_set_schema,
    to_iati,
)
from euca.exceptions import EucaError, QueryError, ValidationError
from euca.iati import IatiImport
from euca.plot import plot_timeline
from euca.records import Records

__all__ = [
    "BatchResult",
    "Call",
    "Dataset",
    "Decision",
    "EucaError",
    "IatiImport",
    "QueryError",
    "Records",
    "ValidationError",
    "__version__",
    "application_schema",
    "compare",
    "date_relation",
    "eu_member_states",
    "parse_date",
    "plot_timeline",
    "read_iati",
    "rule_set_schema",
    "to_iati",
]
