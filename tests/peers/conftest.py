"""Shared helpers for the peer tests: locating the kaon binary and the shared data, and
running kaon subcommands."""
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SHARED", REPO.parent / "shared")).resolve()
KAON = os.environ.get("KAON", str(REPO / ".build" / "release" / "kaon"))


def shared_files(*folders):
    """Every .root file in the given folders of ../shared/data, sorted."""
    files = []
    for folder in folders:
        path = SHARED / "data" / folder
        if not path.is_dir():
            raise RuntimeError(f"shared data folder missing: {path}")
        files.extend(sorted(path.glob("*.root")))
    return files


def kaon(*args, check=True):
    """Runs kaon with arguments; returns the CompletedProcess (stdout/stderr as text)."""
    result = subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"kaon {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result


def kaon_json(*args):
    return json.loads(kaon(*args).stdout)


@pytest.fixture(scope="session", autouse=True)
def kaon_binary_exists():
    if not Path(KAON).is_file():
        pytest.exit(f"kaon binary not found at {KAON}; run `make build` first", returncode=2)
