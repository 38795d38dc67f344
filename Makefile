# Thin wrapper: every target installs what is missing first (scripts/install-deps is idempotent).
#   make demo   build and run the hub on its embedded default config (Ctrl-C stops it; DEMO_ARGS="--for 90s")
#   make test   build and run every test in the release build, then unit+integration again under ASan/UBSan
#   make bench  build and run the benchmarks; JSON figures on stdout
#   make fuzz-long FUZZ_SECONDS=600   every libFuzzer target for that long, one after the other; prints the table
.PHONY: deps build demo test test-release test-asan test-fuzz fuzz-long bench format format-check clean

JOBS ?= 2
DEMO_ARGS ?=
FUZZ_SECONDS ?= 600

deps:
	scripts/install-deps

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

demo: build
	./build/release/bin/hepek demo $(DEMO_ARGS)

test-release: build
	ctest --preset release

test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan

# Every libFuzzer target (clang-14, preset fuzz; cmake/HepekFuzzing.cmake), a short seeded run each (CTest label fuzz).
test-fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_all
	ctest --preset fuzz -j $(JOBS)

# A long run of every target (FUZZ_SECONDS each, seed 1; logs and new inputs in build/fuzz/fuzz-long/).
fuzz-long: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_all
	scripts/fuzz-long build/fuzz $(FUZZ_SECONDS)

test: test-release test-asan test-fuzz

bench: build
	cmake --build --preset release -j $(JOBS) --target bench_all
	scripts/run-benchmarks build/release

format:
	git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
