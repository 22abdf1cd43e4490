"""The examples run as written: the README's Python quick start and the notebook in examples/python."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from conftest import ROOT, need

NOTEBOOK = ROOT / "examples" / "python" / "dialogues_and_eligibility.ipynb"


def readme_quick_start() -> str:
    """The code block of the README's "Quick start (Python)" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start (Python)", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the Python quick start has a ```python block"
    return match.group(1)


def test_the_readme_quick_start_is_short():
    lines = readme_quick_start().strip().splitlines()
    assert len(lines) <= 15, f"{len(lines)} lines"


def test_the_readme_quick_start_runs_as_written():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_quick_start(), "README.md", "exec"), {"__name__": "__readme__"})
    printed = out.getvalue()
    assert "False ['ad_hoc', 'structured']" in printed
    assert "UZ ['on_schedule', 'due', 'overdue']" in printed
    assert "ineligible" in printed
    assert "duration_range" in printed
    assert "KG 1800000000" in printed


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_notebook_runs_headless_and_saves_the_plot(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's own inline backend, as in Jupyter
    nbformat = need("nbformat")
    nbclient = need("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        assert cell.get("outputs", []) == [], "the notebook is stored without outputs"
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    png = tmp_path / "timeline.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    warnings = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not warnings, warnings
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("euca-decision" in h for h in html), "the decision shows as its HTML table"
    assert any(o.get("data", {}).get("image/png") for o in outputs), "the chart shows inline"


def test_the_dask_example_screens_on_a_local_cluster_as_one_batch_would(tmp_path):
    """examples/python/dask_screening.py at small scale: 5 000 synthetic applications on a
    LocalCluster of 2 worker processes against the benchmark call and every embedded call; the
    example itself exits non-zero unless the gathered decisions equal one single-process batch."""
    need("dask")
    need("distributed")
    import subprocess
    import sys

    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python" / "dask_screening.py"), "--demo", "--json", str(figures)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "the Dask decisions equal one single-process batch" in done.stdout
    import json

    numbers = json.loads(figures.read_text())
    assert numbers["dask"]["workers"] == 2
    assert numbers["dask"]["evaluations_per_s"] > 0
