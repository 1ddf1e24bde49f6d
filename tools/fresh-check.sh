#!/usr/bin/env bash
# The fresh-machine check: does `make test` pass for a newcomer who has only the README?
#
# Clones the repository's committed HEAD into a new folder, next to a link to the shared data
# (as CI lays it out: the clone's `../shared`), and runs `make test` there with HOME and PEERS
# pointing at new, empty directories: no peers venv, no SwiftPM cache, no pip cache, nothing a
# developer installed under their home. Every install step the tests need must therefore come
# from the repository's own files. Debian packages are the one thing it cannot remove (they are
# machine-wide); the Makefile's `deps` target checks and installs each one it needs.
#
# Run it before resolving any issue that touches the Makefile or the dependencies:
#
#     tools/fresh-check.sh              # clone HEAD, `make test`, remove the folder when green
#     tools/fresh-check.sh --keep       # keep the folder (to look at logs or rerun by hand)
#     tools/fresh-check.sh --target demo   # check another README target the same way
#
# Environment: SHARED (default: ../shared beside this repository), FRESH_DIR (where to make the
# folder, default: a new one under ${TMPDIR:-/tmp}). Needs network access to Debian and PyPI.
# The exit status is `make`'s; the log is FOLDER/make.log.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

keep=0
target=test
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        --target) shift; target="${1:?--target needs a make target}" ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fresh-check: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
    shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(cd "${SHARED:-$repo/../shared}" 2>/dev/null && pwd)" \
    || { echo "fresh-check: shared data not found at ${SHARED:-$repo/../shared} (set SHARED)" >&2; exit 1; }
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "fresh-check: note: uncommitted changes in $repo are not part of the check (it clones HEAD)" >&2
fi

folder="${FRESH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/kaon-fresh-XXXXXX")}"
mkdir -p "$folder/home" "$folder/peers"
git clone -q --no-hardlinks "$repo" "$folder/kaon"
ln -sfn "$shared" "$folder/shared"
echo "fresh-check: $(git -C "$folder/kaon" log -1 --format='%h %s') in $folder/kaon"
echo "fresh-check: HOME=$folder/home PEERS=$folder/peers make $target (log: $folder/make.log)"

start=$(date +%s)
status=0
# SHARED, PEERS_PYTHON and KAON are unset so that the clone finds everything at its defaults.
( cd "$folder/kaon" && env -u SHARED -u PEERS_PYTHON -u KAON HOME="$folder/home" PEERS="$folder/peers" \
      XDG_CACHE_HOME="$folder/home/.cache" PIP_CACHE_DIR="$folder/home/.cache/pip" \
      make "$target" ) >"$folder/make.log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

tail -n 15 "$folder/make.log"
printf 'fresh-check: make %s %s after %dm%02ds\n' "$target" \
    "$([ $status = 0 ] && echo passed || echo "FAILED (status $status)")" $((elapsed / 60)) $((elapsed % 60))
if [ $status = 0 ] && [ $keep = 0 ]; then
    rm -rf "$folder"
else
    echo "fresh-check: folder kept: $folder"
fi
exit $status
