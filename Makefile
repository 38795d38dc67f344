# Thin wrapper: every target installs what is missing first (scripts/install-deps is idempotent).
#   make demo   build and run the hub on its embedded default config (Ctrl-C stops it; DEMO_ARGS="--for 90s")
#   make test   build and run every test in the release build, then unit+integration again under ASan/UBSan
#   make bench  build and run the benchmarks; JSON figures on stdout
.PHONY: deps build demo test test-release test-asan test-fuzz bench format format-check clean

JOBS ?= 2
DEMO_ARGS ?=

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

# The DSMR parser's libFuzzer target (clang-14), a short seeded CI run; see plugins/meter-dsmr/README.md for long runs.
test-fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_dsmr
	ctest --test-dir build/fuzz -R fuzz --output-on-failure

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
