"""Shared helpers for the peer tests: locating the kaon binary and the shared data, and
running kaon subcommands."""
import json
import os
import re
import subprocess
import unicodedata
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


# --- help pages ----------------------------------------------------------------------------

def help_text(command):
    """`kaon help COMMAND` as printed on an 80-column terminal."""
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([KAON, "help", command], capture_output=True, text=True, env=env, check=True).stdout


def width(line):
    """Columns a line takes on a terminal (combining marks take none)."""
    return sum(0 if unicodedata.combining(c) else 1 for c in line)


def option_entries(text):
    """Each option's help entry: its lines joined, by option name."""
    entries, current = {}, None
    for line in text.split("OPTIONS:")[1].splitlines():
        m = re.match(r"  (?:-\w, )?(--[\w-]+)", line)
        if m:
            current = m.group(1)
            entries[current] = line
        elif current and line.startswith("   "):
            entries[current] += " " + line.strip()
    return entries


# --- provenance ----------------------------------------------------------------------------

def split_provenance(path):
    """A JSON output of `kaon run` as (its text without the provenance member, that member
    parsed), or (the text, None) when it has none (the Python API records none): outputs
    of two runs compare byte for byte but for their command lines, dates and threads."""
    text = path.read_text().rstrip()
    member = ', "provenance": '
    if member + '{"kaon_version"' not in text:
        return text, None
    cut = text.rindex(member + '{"kaon_version"')
    return text[:cut] + "}", json.loads(text[cut + len(member):-1])
