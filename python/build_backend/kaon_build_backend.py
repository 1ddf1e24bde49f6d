"""A PEP 517 build backend for the `kaon` package, in-tree so that it needs nothing but Swift.

`build_wheel` runs `swift build -c release --product KaonCAPI` in the repository that holds
this directory (reusing its `.build`, so after `make build` only KaonCAPI itself compiles),
copies `libKaonCAPI.so` into the `kaon` package and zips the wheel by hand (the format is a
zip with a `.dist-info` directory; no setuptools or wheel needed).

There is no `build_sdist`: the package is built from a checkout of the Kaon repository,
whose Swift sources live outside `python/`, so a source distribution of `python/` alone could
not be built anywhere.
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # python/
REPOSITORY = PACKAGE_ROOT.parent
PRODUCT = "KaonCAPI"
LIBRARY = "libKaonCAPI.so"


class SwiftBuildError(RuntimeError):
    """The Swift toolchain is missing or `swift build` failed."""


def _project():
    """Name, version, summary and dependencies from pyproject.toml (one place for them)."""
    text = (PACKAGE_ROOT / "pyproject.toml").read_text()
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        return project["name"], project["version"], project.get("description", ""), project.get("dependencies", [])
    # Without tomllib, read the few flat `key = "value"` lines this file uses.
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if value.strip().startswith('"'):
            fields.setdefault(key.strip(), value.strip().strip('"'))
    return fields["name"], fields["version"], fields.get("description", ""), ["numpy>=1.23"]


def _build_library():
    """Builds KaonCAPI in release mode and returns the path of the shared library."""
    swift = shutil.which("swift")
    if swift is None:
        raise SwiftBuildError(
            "building the kaon package needs the Swift toolchain (`swift` was not found on PATH); "
            "install Swift 6 from https://swift.org/install and run `pip install ./python` again")
    if not (REPOSITORY / "Package.swift").is_file():
        raise SwiftBuildError(f"{REPOSITORY} has no Package.swift: build the kaon package from a checkout of the Kaon repository")
    command = [swift, "build", "-c", "release", "--product", PRODUCT]
    print("kaon: " + " ".join(command), file=sys.stderr, flush=True)
    # swift build's progress goes to our stderr, which pip shows with -v or on failure.
    built = subprocess.run(command, cwd=REPOSITORY, stdout=sys.stderr, stderr=sys.stderr)
    if built.returncode != 0:
        raise SwiftBuildError(f"`{' '.join(command)}` failed in {REPOSITORY} (exit {built.returncode})")
    bin_path = subprocess.run([swift, "build", "-c", "release", "--show-bin-path"], cwd=REPOSITORY,
                              capture_output=True, text=True, check=True).stdout.strip()
    library = Path(bin_path) / LIBRARY
    if not library.is_file():
        raise SwiftBuildError(f"swift build succeeded but {library} is missing")
    return library


def _record_line(archive_name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{archive_name},sha256={digest},{len(data)}"


def _platform_tag():
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version, summary, dependencies = _project()
    library = _build_library()
    tag = f"py3-none-{_platform_tag()}"
    dist_info = f"{name}-{version}.dist-info"
    files = []  # (name in the wheel, bytes)
    for source in sorted((PACKAGE_ROOT / "kaon").rglob("*.py")):
        files.append((source.relative_to(PACKAGE_ROOT).as_posix(), source.read_bytes()))
    files.append((f"kaon/{LIBRARY}", library.read_bytes()))
    metadata = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    metadata += [f"Requires-Dist: {dependency}" for dependency in dependencies]
    files.append((f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode()))
    wheel = ["Wheel-Version: 1.0", "Generator: kaon_build_backend", "Root-Is-Purelib: false", f"Tag: {tag}"]
    files.append((f"{dist_info}/WHEEL", ("\n".join(wheel) + "\n").encode()))
    record = [_record_line(archive_name, data) for archive_name, data in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))

    wheel_name = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as archive:
        for archive_name, data in files:
            info = zipfile.ZipInfo(archive_name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if archive_name.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return wheel_name
