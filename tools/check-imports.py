#!/usr/bin/env python3
"""Every target declares exactly the package modules its sources import.

SwiftPM's `--explicit-target-dependency-import-check error` rejects an import from outside a
target's dependency closure, so an import that a dependency of a dependency happens to bring
(KaonADL importing KaonTree through KaonNano) passes it. This check keeps Package.swift's
graph true to the code in both directions: each module a target's Swift files import (another
target of this package or a product of a dependency) is among its declared dependencies, and
each declared dependency is imported somewhere in the target (or re-exported with
`@_exported import`). A target using the DocumentationSnippets plugin also imports what the
documents' Swift blocks import (README.md and the DocC articles are compiled into it).

    tools/check-imports.py            # from the repository root; exit 1 and a list on mismatch

It reads `swift package dump-package` and the `import` lines of the sources; `make test` runs it.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

IMPORT = re.compile(r"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|typealias|var|let)\s+)?(\w+)")


def swift_lines(source):
    """The Swift lines of a file: all of a .swift file, only the ```swift blocks of a document
    (its ```python or ```sh blocks may `import` names that are also targets, such as kaon)."""
    lines = source.read_text().splitlines()
    if source.suffix != ".md":
        return lines
    inside, kept = False, []
    for line in lines:
        if line.strip().startswith("```"):
            inside = not inside and line.strip().startswith("```swift")
        elif inside:
            kept.append(line)
    return kept


def dependency_names(target):
    names = set()
    for dependency in target["dependencies"]:
        for kind, value in dependency.items():
            if kind in ("byName", "target", "product"):
                names.add(value[0])
    return names


def main():
    root = Path(__file__).resolve().parents[1]
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                        capture_output=True, text=True).stdout)
    # A plugin's dependencies are the tools it runs, not modules it imports.
    targets = [t for t in package["targets"] if t["type"] not in ("system", "plugin")]
    # This package's targets, and the products of package dependencies any target names.
    modules = {t["name"] for t in package["targets"]}
    for target in targets:
        modules.update(dependency_names(target))
    problems = []
    for target in targets:
        folder = root / (target.get("path") or f"{'Tests' if target['type'] == 'test' else 'Sources'}/{target['name']}")
        imported = set()
        sources = list(folder.rglob("*.swift"))
        if any(usage.get("plugin", [None])[0] == "DocumentationSnippets" for usage in target.get("pluginUsages") or []):
            # The plugin compiles the documents' ```swift blocks into this target, imports and all.
            sources += [root / "README.md", *sorted(root.glob("Sources/*/*.docc/**/*.md"))]
        for source in sources:
            for line in swift_lines(source):
                match = IMPORT.match(line)
                if match and match.group(1) in modules and match.group(1) != target["name"]:
                    imported.add(match.group(1))
        declared = dependency_names(target)
        for name in sorted(imported - declared):
            problems.append(f"{target['name']}: imports {name} without declaring it in Package.swift")
        for name in sorted(declared - imported):
            problems.append(f"{target['name']}: declares {name} but none of {folder.relative_to(root)}'s files import it")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"imports: all {len(targets)} targets declare exactly the package modules they import")


if __name__ == "__main__":
    main()
