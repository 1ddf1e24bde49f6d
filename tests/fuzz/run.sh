#!/usr/bin/env bash
# Builds the libFuzzer harnesses and runs each for a given time: `make fuzz FUZZ_SECONDS=N`
# and `make fuzz-smoke` call this from the repository root. Usage:
#   tests/fuzz/run.sh SECONDS [HARNESS…]        (no HARNESS: all of them, one after another)
# Environment: SHARED (the shared data, for seeds and templates), FUZZ_JOBS (harnesses run
# at once, default 1), FUZZ_NICE (default 19), FUZZ_FLAGS (extra libFuzzer flags),
# FUZZ_CORPUS (default .build/fuzz/corpus; the smoke run starts from the seeds alone in
# .build/fuzz/smoke-corpus, so that its time does not grow with a campaign's corpus).
# Everything goes under .build/fuzz: the build, corpus/<harness> (kept between runs, so a
# campaign resumes), artifacts/<harness> (crashes, timeouts, OOMs), logs/<harness>.log, and
# summary.tsv (one line per run: harness, seconds, executions, exec/s, cov, ft, corpus,
# artifacts).
set -euo pipefail
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [HARNESS…]}
shift
cd "$(dirname "$0")/../.."
root=$PWD
: "${SHARED:?set SHARED to the shared data folder (the seeds and templates come from \$SHARED/data)}"
export SHARED
all=(root-file streamers basket histogram rntuple uhi-json pyhf samples-yaml draw-expression adl)
harnesses=("${@:-${all[@]}}")
scratch=.build/fuzz
nice_level=${FUZZ_NICE:-19}

declare -A dictionary=(
  [root-file]=root [streamers]=root [basket]=root [histogram]=root [rntuple]=root
  [uhi-json]=json [pyhf]=json [samples-yaml]=yaml [draw-expression]=expression [adl]=adl
)

nice -n "$nice_level" swift build --package-path tests/fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "warning: Cannot export local symbol" | tail -3
bin=$(swift build --package-path tests/fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address --show-bin-path)

# ASan's leak check is off: libFuzzer would report the Swift runtime's lazily made metadata
# caches. Swift's backtracer is off: ASan prints the stack of a crash itself, and the
# backtracer would hold the process for up to 30 s.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}
export SWIFT_BACKTRACE=enable=no

corpora=${FUZZ_CORPUS:-$scratch/corpus}

seed() {
  local name=$1 corpus=$corpora/$1
  mkdir -p "$corpus" "$scratch/artifacts/$name" "$scratch/logs"
  "$bin/fuzz-$name" make-seeds "$scratch/seeds/$name" >/dev/null
  cp -n "$scratch/seeds/$name"/* "$corpus"/ 2>/dev/null || true
  [ -d "tests/fuzz/seeds/$name" ] && cp -n "tests/fuzz/seeds/$name"/* "$corpus"/
  case $name in
    adl) cp -n examples/adl/*.adl "$corpus"/ ;;
    # The HEPData probability models in $SHARED/data/likelihoods are left out: their
    # workspaces are 0.6-1.4 MB, too long for inputs, and their patches alone are no workspace.
    pyhf) cp -n crosschecks/peers/fixtures/inference_small.json "$corpus"/ ;;
  esac
}

run() {
  local name=$1 log=$scratch/logs/$1.log
  local corpus=$corpora/$name
  # -rss_limit_mb / -malloc_limit_mb: an input that makes a reader allocate more than 2 GB is
  # a finding (issue 22 part 3's budgets), as is one taking more than FUZZ_TIMEOUT seconds
  # (default 60: libFuzzer's clock is wall time, and at nice 19 on a busy machine a harness
  # may wait seconds for a core).
  nice -n "$nice_level" "$bin/fuzz-$name" "$corpus" -dict="tests/fuzz/dictionaries/${dictionary[$name]}.dict" \
    -max_total_time="$seconds" -timeout=${FUZZ_TIMEOUT:-60} -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts/$name/" ${FUZZ_FLAGS:-} >"$log" 2>&1 || true
  local executions speed status cov ft artifacts
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  status=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
  artifacts=$(find "$scratch/artifacts/$name" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$seconds" "${executions:-0}" "${speed:-0}" "${cov:-?}" "${ft:-?}" \
    "$(ls "$corpus" | wc -l)" "$artifacts" | tee -a "$scratch/summary.tsv"
  if grep -q -E '^==[0-9]+==ERROR|^SUMMARY: libFuzzer|deadly signal|Fatal error' "$log"; then
    echo "fuzz-$name: found a crash; see $log and $scratch/artifacts/$name" >&2
    return 1
  fi
}

for name in "${harnesses[@]}"; do seed "$name"; done
echo -e "harness\tseconds\texecutions\texec/s\tcov\tft\tcorpus\tartifacts"
status=0
jobs=${FUZZ_JOBS:-1}
for name in "${harnesses[@]}"; do
  if [ "$jobs" -gt 1 ]; then
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || status=1; done
    run "$name" &
  else
    run "$name" || status=1
  fi
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || status=1; done
exit $status
