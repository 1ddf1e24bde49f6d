# Kaon's build, test and demo entry points. Every target installs what it needs before it needs
# it, idempotently: Debian packages for the C compression libraries, and a Python venv of peer
# implementations (uproot, awkward, ROOT from PyPI, …) pinned in
# crosschecks/peers/requirements.txt, that the Swift tests and pytest compare Kaon against.
# `tools/fresh-check.sh` proves it on a fresh clone with an empty HOME.

SHELL := /bin/bash
PEERS ?= $(HOME)/.cache/kaon/peers
PYTHON := $(PEERS)/bin/python
PEER_REQUIREMENTS := crosschecks/peers/requirements.txt
PEERS_STAMP := $(PEERS)/.kaon-peers-installed
APT_PACKAGES := zlib1g-dev liblzma-dev libzstd-dev liblz4-dev libxxhash-dev libdeflate-dev libcurl4-openssl-dev \
	libxrootd-client-dev librsvg2-bin
# The real servers the remote-reading tests start on loopback: nginx for https:// (with a
# certificate openssl makes at test time), xrootd for root://.
TEST_APT_PACKAGES := nginx openssl xrootd-server xrootd-scitokens-plugins
SHARED ?= $(abspath ../shared)
# Every test process (swift test, pytest, and the swift test pytest starts for KaonHist's
# fixtures) finds the peers' Python and the shared data through these two variables.
export SHARED
export PEERS_PYTHON := $(PYTHON)
DATA := data
KAON := .build/release/kaon
KAON_BENCH := .build/release/kaon-bench

.PHONY: all deps test-deps apt-install peers build build-bench python-package test unit-test peer-test demo bench bench-read bench-hist bench-columns bench-write bench-adl bench-inference bench-engine bench-remote bench-python clean
.PHONY: fuzz fuzz-smoke sanitize sanitize-address sanitize-thread sanitize-thread-engine

all: build

## deps: install the C libraries Kaon links against (apt-get, only when missing)
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

## test-deps: what the tests need beyond the build: the servers they start
test-deps: deps
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

# apt-install PACKAGES="…": installs those of PACKAGES that are missing.
apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## peers: the Python venv of independent implementations tests compare against, at the pinned
## versions; reinstalled when the requirements file changes. Debian's system Python needs
## python3-venv for `-m venv`: installed when missing.
peers: $(PEERS_STAMP)

$(PEERS_STAMP): $(PEER_REQUIREMENTS)
	@python3 -c 'import venv, ensurepip' 2>/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv; }
	@[ -x $(PYTHON) ] || python3 -m venv $(PEERS)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r $(PEER_REQUIREMENTS)
	touch $@

## build: a release build of the library and the `kaon` CLI
build: deps
	swift build -c release --product kaon

## python-package: the `kaon` Python package installed in the peers' venv, for the peer tests
## (pip runs python/'s own build backend: `swift build -c release --product KaonCAPI`, which
## after `build` compiles only the KaonCAPI target and links the library)
python-package: build peers
	$(PYTHON) -m pip install -q ./python

## build-bench: a release build of `kaon-bench`, Kaon's side of the hist, columns, engine and
## inference benchmarks (kept out of `kaon`)
build-bench: deps
	swift build -c release --product kaon-bench

## test: unit tests (swift test) and peer comparisons (pytest against uproot/ROOT)
test: unit-test peer-test

# The Swift tests compare with the peers too (Peers.swift runs crosschecks/peers/*_reference.py), so
# they need the venv (found through the exported PEERS_PYTHON). tools/check-imports.py checks that
# Package.swift declares exactly each target's imports; SwiftPM's import check then makes the
# build fail on an import outside a target's declared dependencies and theirs.
# tools/check-commit-subjects.py keeps commit subjects within 72 characters; tools/check-docs.sh
# converts every DocC catalog and fails on an unresolved symbol link.
unit-test: test-deps peers
	python3 tools/check-imports.py
	python3 tools/check-commit-subjects.py
	swift test --explicit-target-dependency-import-check error
	tools/check-docs.sh

# Two pytest processes (pytest-xdist), each taking whole files so that a file's module-scoped
# servers and fixtures start once: most peer tests wait on child processes (kaon, ROOT,
# servers), so two halve the wall time on two cores. PEER_JOBS=0 runs them in this process.
PEER_JOBS ?= 2
peer-test: build python-package test-deps peers
	KAON=$(abspath $(KAON)) $(PYTHON) -m pytest -q $(if $(filter 0,$(PEER_JOBS)),,-n $(PEER_JOBS) --dist loadfile) crosschecks/peers

## demo: build, let Kaon write a toy NanoAOD dataset, run the Z → μμ analysis on it, then quick looks
demo: build
	$(KAON) demo --output $(DATA)/demo
	$(KAON) ls $(DATA)/demo/results.root | head -8
	$(KAON) workspace $(DATA)/demo/workspace.yml --histograms $(DATA)/demo/results.root -o $(DATA)/demo/workspace.json
	$(KAON) fit $(DATA)/demo/workspace.json
	$(KAON) show $(DATA)/demo/data/DYJetsToMuMu_1.root:Events | head -12
	$(KAON) dump $(DATA)/demo/data/DYJetsToMuMu_1.root:Events -b nMuon -b Muon_pt -b Muon_charge --entries 0:5
	$(KAON) scan $(DATA)/demo/data/DYJetsToMuMu_1.root:Events --threads 2
	$(KAON) draw '$(DATA)/demo/data/SingleMuon_*.root' 'MET_pt' --where 'nMuon >= 2 && sum(Muon_charge) == 0' \
	  --bins 30,0,150 -o $(DATA)/demo/met.svg --threads 2
	$(KAON) copy $(DATA)/demo/data/TTbar_1.root $(DATA)/demo/ttbar-lz4.root --compression lz4:4
	$(KAON) ls $(DATA)/demo/ttbar-lz4.root
	$(KAON) plot $(DATA)/demo/results.root --config $(DATA)/demo/plots.yml --format svg,png -o $(DATA)/demo/plots
	@echo "demo outputs in $(DATA)/demo: mll.svg leadingMuonPt.svg nJets.svg jetHT.svg met.svg (open in a browser),"
	@echo "  results.root results.json cutflow.md; the toy dataset and samples.yml in $(DATA)/demo/data"
	@echo "publication plots (kaon plot, CMS style: stacked simulation, data, ratio) in $(DATA)/demo/plots:"
	@echo "  open $(DATA)/demo/plots/mll.png"

## bench: every benchmark (Kaon vs uproot/awkward, ROOT, boost-histogram); results in benchmarks/results
bench: bench-read bench-hist bench-columns bench-write bench-adl bench-inference

bench-read: build peers
	$(PYTHON) benchmarks/read/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)

bench-hist: build-bench peers
	$(PYTHON) benchmarks/hist/run.py --kaon-bench $(abspath $(KAON_BENCH))

bench-write: build peers
	$(PYTHON) benchmarks/write/run.py --kaon $(abspath $(KAON))

bench-columns: build-bench peers
	$(PYTHON) benchmarks/columns/run.py --kaon-bench $(abspath $(KAON_BENCH)) --shared $(SHARED)

bench-inference: build build-bench peers
	$(PYTHON) benchmarks/inference/run.py --kaon $(abspath $(KAON)) --kaon-bench $(abspath $(KAON_BENCH))

bench-adl: build peers
	$(PYTHON) benchmarks/adl/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)

## bench-rntuple: Kaon ADL on the 1M-event sample as TTree and as RNTuple (written by Kaon and
## by ROOT), against RDataFrame and uproot on the RNTuples (benchmarks/rntuple/)
.PHONY: bench-rntuple bench-agc
bench-rntuple: build peers
	$(PYTHON) benchmarks/rntuple/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)
## bench-agc: the AGC (`kaon agc run`) against its coffea reference on a generated dataset (benchmarks/agc/)
bench-agc: build peers
	$(PYTHON) benchmarks/agc/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)

## bench-python: the Python package's tree.arrays() (np, ak; 1 and 2 threads) against uproot's,
## and a cold `import` + first histogram (benchmarks/python/)
bench-python: python-package
	$(PYTHON) benchmarks/python/run.py --shared $(SHARED)

## bench-dask: kaon adl (all eight) and kaon run --analysis dimuon on 1 and 2 single-threaded Dask
## workers, against the local 1/2-thread run and coffea + Dask, 10M events in 40 files each
## (benchmarks/dask/; the coffea rows take most of the time)
.PHONY: bench-dask
bench-dask: python-package
	$(PYTHON) benchmarks/dask/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)

## bench-remote: kaon adl (all eight) and a full scan over https:// and root:// at 0 and 50 ms
## added round trip, against uproot on the same URLs (nginx and xrootd on loopback in a network
## namespace; uproot reads root:// through Debian's python3-xrootd bindings)
bench-remote: build peers test-deps
	@$(MAKE) --no-print-directory apt-install PACKAGES="python3-xrootd"
	$(PYTHON) benchmarks/remote/run.py --kaon $(abspath $(KAON)) --shared $(SHARED)

## bench-engine: the analysis engine's overhead (empty graph, one histogram) vs RDataFrame, and its peak RSS at 1M/10M
bench-engine: build build-bench peers
	$(PYTHON) benchmarks/engine/run.py --kaon $(abspath $(KAON)) --kaon-bench $(abspath $(KAON_BENCH)) --shared $(SHARED)

## fuzz: builds the libFuzzer harnesses (tests/fuzz, under -sanitize=fuzzer,address) and runs
## each FUZZ_SECONDS (default 60), FUZZ_JOBS at once; corpora, crashes and logs in .build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: deps
	FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh $(FUZZ_SECONDS)

## fuzz-smoke: every harness over its seeds and then a few seconds, two at a time, from a
## fresh corpus (CI's smoke: 2 min 14 s with a warm .build/fuzz; a cold build of the
## harnesses takes longer than that, see tests/fuzz/RESULTS.md)
fuzz-smoke: deps
	rm -rf .build/fuzz/smoke-corpus
	FUZZ_CORPUS=.build/fuzz/smoke-corpus FUZZ_JOBS=2 tests/fuzz/run.sh 10

# The sanitizer builds have scratch paths of their own, so they never invalidate .build/debug.
# Every test that runs threads over shared state is in the thread-sanitized set: the engine
# (executor, read-ahead, work items), the analysis graph that runs on it, and the writer.
## sanitize: the Swift test suite under AddressSanitizer, then the engine, executor and writer
## tests under ThreadSanitizer
sanitize: sanitize-address sanitize-thread

# KAON_TEST_NO_LIMITS: ASan reserves terabytes of address space for its shadow memory, which
# the crafted-input tests' address-space cap (ulimit -v in their child processes) would refuse.
sanitize-address: test-deps peers
	KAON_TEST_NO_LIMITS=1 ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build/asan

# tests/sanitizers/tsan-suppressions.txt says which reports are the sanitizer's and why.
TSAN_OPTIONS := suppressions=$(abspath tests/sanitizers/tsan-suppressions.txt) halt_on_error=0
sanitize-thread: test-deps peers
	TSAN_OPTIONS="$(TSAN_OPTIONS)" swift test --sanitize=thread --scratch-path .build/tsan --filter 'KaonEngineTests|KaonAnalysisTests|KaonWriteTests'

## sanitize-thread-engine: the engine tests under ThreadSanitizer (the CI piece of `sanitize`)
sanitize-thread-engine: test-deps peers
	TSAN_OPTIONS="$(TSAN_OPTIONS)" swift test --sanitize=thread --scratch-path .build/tsan --filter KaonEngineTests

clean:
	rm -rf .build $(DATA)
