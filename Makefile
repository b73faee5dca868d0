# SPDX-License-Identifier: GPL-3.0-or-later
# The README's two commands: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps configure build build-app run run-headless test bench clean format
APP_TARGETS = opengrid gridd grid

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Only what `make run` needs; tests build with `make test`.
build-app: deps configure
	cmake --build $(BUILD_DIR) -j$(JOBS) --target $(APP_TARGETS)

# Starts the desktop app; it starts (or finds) the user's local platform by itself.
run: build-app
	$(BUILD_DIR)/bin/opengrid

# The local platform alone, in the foreground, for the CLI and scripts (no desktop needed).
run-headless: build-app
	./scripts/run-local.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 300

bench: build-app
	./bench/api/run.sh $(BUILD_DIR)

format:
	find core server cli models widgets app tests -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
