"""The HTML view of a decision in a notebook: a table of checks coloured by outcome, with citations."""

from __future__ import annotations

from html import escape
from typing import Any

# Background and text colours (WCAG AA contrast) by verdict and by outcome.
_COLOURS = {
    "eligible": ("#d4edda", "#155724"),
    "pass": ("#d4edda", "#155724"),
    "ineligible": ("#f8d7da", "#721c24"),
    "fail": ("#f8d7da", "#721c24"),
    "undetermined": ("#fff3cd", "#856404"),
    "unknown": ("#fff3cd", "#856404"),
    "not_applicable": ("#e2e3e5", "#383d41"),
}
_SYMBOLS = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–"}


def _badge(word: str) -> str:
    background, colour = _COLOURS.get(word, ("#ffffff", "#000000"))
    label = escape(word.replace("_", " "))
    return (
        f"<span style='background:{background};color:{colour};padding:1px 6px;"
        f"border-radius:3px;font-weight:bold'>{_SYMBOLS.get(word, '')} {label}</span>"
    )


def _citation(citation: dict[str, Any]) -> str:
    source = citation.get("source", {})
    reference = escape(str(citation.get("reference", "")))
    title = escape(str(source.get("title", "")))
    address = source.get("address")
    where = (
        f"<a href='{escape(str(address), quote=True)}' target='_blank' rel='noopener'>{title}</a>"
        if address
        else f"{title} ({escape(str(source.get('document', '')))})"
    )
    return f"{reference} — {where}"


def _money(minor: Any, currency: str) -> str:
    if not isinstance(minor, int):
        return "–"
    return f"{minor // 100:,}.{minor % 100:02d} {escape(currency)}".replace(",", "\u202f")


def decision_html(decision: dict[str, Any]) -> str:
    """The decision (as ``Decision.to_dict()`` gives it) as an HTML fragment."""
    verdict = str(decision.get("verdict", ""))
    rule_set = decision.get("rule_set", {})
    application = decision.get("application") or "the application"
    parts = [
        "<div class='euca-decision'>",
        f"<p><b>{escape(str(application))}</b> under <code>{escape(str(rule_set.get('id', '')))}</code>"
        f" (version {escape(str(rule_set.get('version', '')))}), as of "
        f"{escape(str(decision.get('as_of', '')))}: {_badge(verdict)}</p>",
        "<table><thead><tr><th>criterion</th><th>outcome</th><th>rule</th>"
        "<th>found</th><th>citation</th></tr></thead><tbody>",
    ]
    for check in decision.get("checks", []):
        outcome = str(check.get("outcome", ""))
        background, _ = _COLOURS.get(outcome, ("#ffffff", "#000000"))
        parts.append(
            f"<tr style='background:{background}'>"
            f"<td><code>{escape(str(check.get('id', '')))}</code><br>"
            f"<small>{escape(str(check.get('statement', '')))}</small></td>"
            f"<td>{_badge(outcome)}</td>"
            f"<td>{escape(str(check.get('requirement', '')))}</td>"
            f"<td>{escape(str(check.get('message', '')))}</td>"
            f"<td><small>{_citation(check.get('citation', {}))}</small></td></tr>"
        )
    parts.append("</tbody></table>")
    missing = decision.get("missing") or []
    if missing:
        items = "".join(
            f"<li><code>{escape(str(m.get('field', '')))}</code>: {escape(str(m.get('question', '')))}"
            f"{' <b>(settles the verdict)</b>' if m.get('settles') else ''}</li>"
            for m in missing
        )
        parts.append(f"<p>Still needed:</p><ul>{items}</ul>")
    grant = decision.get("grant")
    if grant:
        currency = str(grant.get("currency", ""))
        parts.append(
            "<p>Grant: total eligible costs "
            f"{_money(grant.get('total_eligible'), currency)}; requested "
            f"{_money(grant.get('requested'), currency)}; maximum EU contribution "
            f"{_money(grant.get('max_eu_contribution'), currency)}</p>"
        )
    recourse = decision.get("recourse") or []
    if recourse:
        items = "".join(f"<li>{escape(str(r.get('message', '')))}</li>" for r in recourse)
        parts.append(f"<p>What would change the answer:</p><ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)
