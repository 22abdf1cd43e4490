"""What ``euca.read_iati`` returns: ``IatiImport``, an IATI activity file read into project records.

The records are plain dicts in the shape of the dataset's ``projects`` (``Dataset.projects()``), so
they go wherever projects go: ``euca.to_iati(result.records)`` writes them back, and the analyses of
``Dataset`` take them (``data.funding("country", projects=result.records)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from euca.records import Records

__all__ = ["IatiImport"]


@dataclass(frozen=True)
class IatiImport:
    """An IATI activity file, read.

    Attributes:
        version: The file's IATI version (``iati-activities/@version``), if it states one.
        records: One project record per activity, in file order (``Records``: ``to_pandas()``,
            ``to_polars()``). Money is in minor units (cents) of each record's currency.
        warnings: What euca noticed without stopping, each ``{code, message, path, activity,
            count}``: codes outside their codelists (``unknown_code``), withdrawn codes
            (``withdrawn_code``), values finer than a cent (``over_precise_money``), elements euca
            does not read (``not_read``, one per element name, counted over the file) ...
    """

    version: Optional[str]
    records: Records
    warnings: Records

    def to_dict(self) -> dict[str, Any]:
        """The import in its JSON shape: ``{"version", "records", "warnings"}`` (new lists and dicts)."""
        return {
            "version": self.version,
            "records": self.records.to_list(),
            "warnings": self.warnings.to_list(),
        }
