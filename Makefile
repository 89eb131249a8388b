# The front door for people. It only drives CMake; the build lives in
# CMakeLists.txt.
#
#   make demo    install what is missing, build, run the main job
#   make web-deps install the web dependencies from npm (package-lock.json)
#   make check   install what is missing, build with -Werror and ASan+UBSan,
#                run every test suite, check formatting, smoke-fuzz the parsers
#   make bench   run the benchmarks in bench/
#   make format  reformat the C sources with clang-format

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CHECK_DIR = build/check
FUZZ_DIR = build/fuzz
RELEASE_DIR = build/release
C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')

.PHONY: all deps web-deps demo check check-build check-test check-format fuzz bench format clean

all: deps web-deps
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
	cmake --build $(RELEASE_DIR) -j $(JOBS)

deps:
	scripts/install-deps

# Apache ECharts (embedded into the binary by the build) and the browser test
# tools, exactly as package-lock.json pins them; again only when it changed.
web-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

demo: all
	CHISO=$(RELEASE_DIR)/chiso scripts/demo

check: deps web-deps check-format check-build fuzz check-test

check-build: web-deps
	cmake -S . -B $(CHECK_DIR) -DCMAKE_BUILD_TYPE=Debug -DCHISO_WERROR=ON -DCHISO_SANITIZE=ON
	cmake --build $(CHECK_DIR) -j $(JOBS)

check-test: check-build
	cd $(CHECK_DIR) && ctest --output-on-failure -j $(JOBS)

check-format:
	clang-format --dry-run --Werror $(C_SOURCES)

fuzz:
	@if command -v clang >/dev/null 2>&1; then \
		CC=clang cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DCHISO_FUZZ=ON -DBUILD_TESTING=OFF && \
		cmake --build $(FUZZ_DIR) -j $(JOBS) && \
		cd $(FUZZ_DIR) && ctest --output-on-failure -j $(JOBS) -R '^fuzz/'; \
	else \
		echo "fuzz: clang not found, fuzz targets skipped"; \
	fi

bench: all
	bench/run

format:
	clang-format -i $(C_SOURCES)

clean:
	rm -rf build
