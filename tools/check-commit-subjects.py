#!/usr/bin/env python3
"""Commit subjects are at most 72 characters; the detail goes in the body.

    tools/check-commit-subjects.py          # from the repository root; exit 1 and a list on failure

It checks the commits made since the rule was adopted (BASELINE and its ancestors are older
history, left as written rather than rewritten under everyone's clones). In a shallow clone
that lacks BASELINE it checks what the clone has. `make test` runs it.
"""
import subprocess
import sys

LIMIT = 72
# The last commit before the rule was enforced (issue 14's review).
BASELINE = "ca87402e4193dde6e465293923d64cbaf2b04548"


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True)


def main():
    if git("rev-parse", "--git-dir").returncode != 0:
        print("commit subjects: not a git checkout, nothing to check")
        return 0
    has_baseline = git("cat-file", "-e", BASELINE + "^{commit}").returncode == 0
    revisions = [f"{BASELINE}..HEAD"] if has_baseline else ["HEAD"]
    log = git("log", "--format=%h %s", *revisions)
    if log.returncode != 0:
        print(f"commit subjects: cannot read the history: {log.stderr.strip()}", file=sys.stderr)
        return 1
    long = [line for line in log.stdout.splitlines() if len(line.split(" ", 1)[1]) > LIMIT]
    if long:
        print(f"commit subjects over {LIMIT} characters (put the detail in the body):", file=sys.stderr)
        for line in long:
            commit, subject = line.split(" ", 1)
            print(f"  {commit} ({len(subject)}): {subject}", file=sys.stderr)
        return 1
    print(f"commit subjects: all within {LIMIT} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
