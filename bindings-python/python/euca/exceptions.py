"""The exceptions euca raises.

``EucaError`` is the base of them all. Errors about the caller's input are also ``ValueError``:

- ``ValidationError``: a document (dataset, extension, rule set, application) that does not load;
  ``errors()`` lists *every* problem found, each ``{"code", "message", "path"}`` with the JSON
  path of the offending value (``rounds[3].date``, ``[2].budget.direct`` in a batch).
- ``QueryError``: an argument that names nothing in the dataset (an unknown country, round,
  priority or call) or whose value is wrong (a date that is not a date, a naive datetime); its
  one problem's ``path`` is the argument's name. Also ``changed_application``, the one code only
  Python has: ``decision(i)`` (or a pickle) of a batch evaluated from a list whose item ``i`` has
  changed since.

The codes are listed in docs/errors.md. An argument of the wrong Python type raises ``TypeError``
whose message names the argument, and a file that cannot be read ``OSError``, as Python users
expect.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover - imported for type checkers only (see euca.iati)
    from typing import Any, Optional

__all__ = ["EucaError", "ValidationError", "QueryError"]


class EucaError(Exception):
    """The base of every error euca raises.

    Attributes:
        code: The stable code of the (first) problem, such as ``"unknown_field"``.
        message: What is wrong, in a sentence.
    """

    def __init__(
        self,
        message: str,
        code: str = "internal_error",
        errors: Optional[list[dict[str, str]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self._errors: list[dict[str, str]] = (
            [dict(e) for e in errors]
            if errors is not None
            else [{"code": code, "message": message, "path": ""}]
        )

    def errors(self) -> list[dict[str, str]]:
        """Every problem, each a dict with ``code``, ``message`` and ``path``.

        Returns:
            A new list of new dicts (changing it does not change the error).
        """
        return [dict(e) for e in self._errors]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.code, self._errors))


class ValidationError(EucaError, ValueError):
    """A document that does not load; ``errors()`` lists every problem with its JSON path."""


class QueryError(EucaError, ValueError):
    """An argument that names nothing in the dataset, or whose value is wrong.

    ``errors()`` holds one problem whose ``path`` is the argument's name.
    """
