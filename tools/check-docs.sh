#!/usr/bin/env bash
# Converts every module's DocC catalog (Sources/<M>/<M>.docc) against the module's symbol
# graph with the toolchain's `docc` (no swift-docc-plugin needed) and fails on any warning:
# an unresolved or ambiguous symbol link, a partly documented parameter list.
#
#     tools/check-docs.sh            # from the repository root; lists the warnings, exit 1
set -euo pipefail
cd "$(dirname "$0")/.."
docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift package dump-symbol-graph --minimum-access-level public >"$work/dump.log" 2>&1 || { cat "$work/dump.log"; exit 1; }
graphs="$(sed -n 's/^Files written to //p' "$work/dump.log")"
status=0
for catalog in Sources/*/*.docc; do
    module="$(basename "$catalog" .docc)"
    mkdir -p "$work/$module"
    cp "$graphs/$module.symbols.json" "$work/$module/"
    cp "$graphs/$module"@*.symbols.json "$work/$module/" 2>/dev/null || true
    "$docc" convert "$catalog" --additional-symbol-graph-dir "$work/$module" --output-path "$work/$module.doccarchive" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.kaon.$module" --analyze >"$work/$module.log" 2>&1
    if grep -q 'warning:\|error:' "$work/$module.log"; then
        echo "$module:"; grep -A3 'warning:\|error:' "$work/$module.log"; status=1
    fi
done
[ "$status" = 0 ] && echo "docs: every catalog converts without warnings"
exit "$status"
