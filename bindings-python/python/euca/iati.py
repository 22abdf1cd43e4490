"""What ``euca.read_iati`` returns: ``IatiImport``, an IATI activity file read into project records.

The records are plain dicts in the shape of the dataset's ``projects`` (``Dataset.projects()``), so
they go wherever projects go: ``euca.to_iati(result.records)`` writes them back, and the analyses of
``Dataset`` take them (``data.funding("country", projects=result.records)``).
"""

from __future__ import annotations

from euca.records import Records

# `typing` and `dataclasses` cost `import euca` about 20 ms together (python -X importtime): this
# module and its neighbours import them for type checkers only.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover - imported for type checkers only
    from typing import Any, Optional

__all__ = ["IatiImport"]


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

    __slots__ = ("version", "records", "warnings")

    version: Optional[str]
    records: Records
    warnings: Records

    def __init__(self, version: Optional[str], records: Records, warnings: Records) -> None:
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "records", records)
        object.__setattr__(self, "warnings", warnings)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"IatiImport is read-only: cannot set `{name}`")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"IatiImport is read-only: cannot delete `{name}`")

    def __repr__(self) -> str:
        return (
            f"IatiImport(version={self.version!r}, records={self.records!r}, "
            f"warnings={self.warnings!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IatiImport):
            return NotImplemented
        return (self.version, self.records, self.warnings) == (
            other.version,
            other.records,
            other.warnings,
        )

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (IatiImport, (self.version, self.records, self.warnings))

    def to_dict(self) -> dict[str, Any]:
        """The import in its JSON shape: ``{"version", "records", "warnings"}`` (new lists and dicts)."""
        return {
            "version": self.version,
            "records": self.records.to_list(),
            "warnings": self.warnings.to_list(),
        }
