"""KaonColumns/KaonPhysics against awkward + vector and PyROOT GenVector.

Kaon's side is computed by the Swift test `PeerFixtureTests` (there is no CLI command for
columnar kernels), which writes JSON fixtures; `columns_reference.py` recomputes every
quantity with the peers and compares. The Swift test already runs the comparison itself;
this file makes the same comparison visible in the pytest run (`make peer-test`).

Fixtures are taken from $KAON_COLUMNS_OUT when that directory already holds them;
otherwise they are produced afresh by running `swift test --filter PeerFixtureTests`
(into .build/kaon-columns-fixtures).
"""
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

SCRIPT = Path(__file__).with_name("columns_reference.py")


def fixtures_dir():
    given = os.environ.get("KAON_COLUMNS_OUT")
    if given and sorted(Path(given).glob("*.json")):
        return Path(given)  # produced beforehand by `KAON_COLUMNS_OUT=DIR swift test --filter PeerFixtureTests`
    # Otherwise always regenerate, so stale fixtures from older code are never compared.
    directory = Path(given) if given else REPO / ".build" / "kaon-columns-fixtures"
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json"):
        old.unlink()
    env = dict(os.environ, KAON_COLUMNS_OUT=str(directory), PEERS_PYTHON=sys.executable)
    result = subprocess.run(["swift", "test", "--filter", "PeerFixtureTests"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"swift test --filter PeerFixtureTests failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    return directory


def test_columns_match_awkward_vector_and_root():
    directory = fixtures_dir()
    result = subprocess.run([sys.executable, str(SCRIPT), str(directory)], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK:" in result.stdout
