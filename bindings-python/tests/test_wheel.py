"""The wheel that ``pip install ./bindings-python`` builds: its tags, its files, and a clean install.

Runs when ``EUCA_WHEEL`` names a built wheel (scripts/test builds one with
``maturin build --profile dev``, which reuses the artifacts of ``maturin develop``); skipped
otherwise. The install goes into a new virtual environment, so that nothing of the editable
install of the test environment can stand in for a file the wheel lacks.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import venv
import zipfile

import pytest

WHEEL = os.environ.get("EUCA_WHEEL")

pytestmark = pytest.mark.skipif(not WHEEL, reason="EUCA_WHEEL does not name a built wheel (scripts/test sets it)")


@pytest.fixture(scope="module")
def wheel() -> pathlib.Path:
    assert WHEEL is not None
    path = pathlib.Path(WHEEL)
    assert path.is_file(), f"EUCA_WHEEL={WHEEL} is not a file"
    return path


def _wheel_tags(archive: zipfile.ZipFile) -> list[str]:
    (wheel_file,) = [n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")]
    lines = archive.read(wheel_file).decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Tag:")]


def test_the_wheel_is_abi3_for_python_3_9_and_later(wheel):
    # euca-0.1.0-cp39-abi3-manylinux_2_34_x86_64.whl: name-version-python-abi-platform.
    python, abi = wheel.stem.split("-")[2:4]
    assert (python, abi) == ("cp39", "abi3"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        tags = _wheel_tags(archive)
        assert tags and all(t.startswith("cp39-abi3-") for t in tags), tags
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        assert "Requires-Python: >=3.9" in archive.read(metadata).decode().splitlines()


def test_the_wheel_holds_the_package_the_stubs_and_the_native_module(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in ("euca/__init__.py", "euca/py.typed", "euca/_euca.pyi", "euca/exceptions.py", "euca/records.py"):
        assert name in names, f"{name} is not in {wheel.name}"
    native = [n for n in names if n.startswith("euca/_euca.") and n.endswith((".so", ".pyd"))]
    assert len(native) == 1, sorted(names)
    # One native module, built for the stable ABI (not for this interpreter's version).
    assert native[0] in ("euca/_euca.abi3.so", "euca/_euca.pyd"), native


CHECK = """
import importlib.metadata, pathlib, sys
import euca
where = pathlib.Path(euca.__file__).resolve().parent
assert where.is_relative_to(pathlib.Path(sys.prefix).resolve()), (where, sys.prefix)
assert (where / "py.typed").is_file() and (where / "_euca.pyi").is_file()
assert euca.__version__ == importlib.metadata.version("euca"), euca.__version__
codes = [c["id"] for c in euca.Dataset.embedded().countries()]
print(" ".join(codes))
"""


def test_the_wheel_installs_into_a_new_environment_and_works(wheel, tmp_path):
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # The test environment's pip installs into the new one (`--python`, pip 22.3+); no index.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    # From an empty directory, so that no source tree is on the path.
    out = subprocess.run(
        [str(python), "-c", CHECK], cwd=tmp_path, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["KZ", "KG", "TJ", "TM", "UZ", "EU"], out.stdout
