#!/usr/bin/env bash
# qwen3 (random weights, F32 / Q8_0 / Q4_K) and TinyStories (trained) token for token against a native llama.cpp.
#
#   inference-core/bench/qwen3-parity.sh LLAMA_CPP_BIN
#
# LLAMA_CPP_BIN is the bin folder of a llama.cpp build (with llama-server and its shared libraries), e.g. the one
# compare-llamacpp.sh builds. Runs NativeLlamaCppQwen3Tests, which skip without it (CI has no native build).
set -euo pipefail
bin="${1:-${LLAMA_CPP_BIN:-}}"
if [ -z "$bin" ] || [ ! -x "$bin/llama-server" ]; then
  echo "usage: $0 LLAMA_CPP_BIN   (a folder holding llama-server)" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
bin="$(cd "$bin" && pwd)"
echo "llama.cpp: $("$bin/llama-server" --version 2>&1 | grep -m1 version || true)"
./mvnw -B -q -pl inference-core test -Dtest=NativeLlamaCppQwen3Tests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoportemax.llamacpp.bin="$bin" -Dsurefire.printSummary=true 2>&1 | grep -E "native parity|Tests run|FAIL|skipped" || true
grep -h "Tests run" inference-core/target/surefire-reports/*NativeLlamaCppQwen3Tests.txt
