#!/usr/bin/env bash
# Benchmarks inference-core against a native llama.cpp on the same GGUF file in the same run: a random-weight model
# with the exact shapes of Qwen2.5-0.5B in Q8_0. Per repetition it runs, side by side:
#   prefill and decode   ours: bench --prompt-tokens 512 --gen-tokens 128     llama.cpp: llama-bench -p 512 -n 128
#   N concurrent streams ours: bench --streams N (aggregate decode)           llama.cpp: llama-batched-bench -npl 1,4,8
#   prefix cache         ours: bench --shared-prefix 400 (time to first token of a second conversation, with/without)
# then prints per-run figures, medians, ratios and the llama.cpp version it ran.
#
#   inference-core/bench/compare-llamacpp.sh [repetitions=3] [threads=2]
#
# Environment:
#   LLAMACPP_DIR  an existing llama.cpp build (a folder holding llama-bench and llama-batched-bench, or a checkout with
#                 build/bin); without it, llama.cpp is built once from the npm package node-llama-cpp (which carries
#                 its full source) into inference-core/bench/.llamacpp (ignored by git): npm, git, cmake, a C++ compiler
#   MODEL         the GGUF file (default inference-core/target/bench/qwen2.5-0.5b-q8_0.gguf, generated when missing)
#   PROMPT_TOKENS, GEN_TOKENS    single-stream prompt and generated tokens (default 512, 128)
#   STREAM_PROMPT, STREAM_GEN  prompt and generated tokens per stream in the concurrent runs (default 128, 128)
#   RUN_FROM      number of the first run (default 1): with RUN_FROM=4, runs 4.. are added to the saved runs 1..3 in
#                 inference-core/target/bench/runs and the medians cover all of them
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-3}"
THREADS="${2:-2}"
MODEL="${MODEL:-inference-core/target/bench/qwen2.5-0.5b-q8_0.gguf}"
PROMPT_TOKENS="${PROMPT_TOKENS:-512}"
GEN_TOKENS="${GEN_TOKENS:-128}"
STREAM_PROMPT="${STREAM_PROMPT:-128}"
STREAM_GEN="${STREAM_GEN:-128}"
NODE_LLAMA_CPP_VERSION=3.22.1
RUN_FROM="${RUN_FROM:-1}"
LAST_RUN=$((RUN_FROM + REPS - 1))
OUT="inference-core/target/bench/runs"
mkdir -p "$OUT"

# --- llama.cpp: given, or built once from the npm package ---
if [ -n "${LLAMACPP_DIR:-}" ]; then
  for d in "$LLAMACPP_DIR" "$LLAMACPP_DIR/bin" "$LLAMACPP_DIR/build/bin"; do
    [ -x "$d/llama-batched-bench" ] && LLAMA_BIN="$d" && break
  done
  [ -n "${LLAMA_BIN:-}" ] || { echo "LLAMACPP_DIR=$LLAMACPP_DIR holds no llama-batched-bench" >&2; exit 1; }
else
  BUILD=inference-core/bench/.llamacpp
  LLAMA_BIN="$BUILD/src/build/bin"
  if [ ! -x "$LLAMA_BIN/llama-batched-bench" ]; then
    echo "building llama.cpp from node-llama-cpp@$NODE_LLAMA_CPP_VERSION into $BUILD (once, several minutes)" >&2
    mkdir -p "$BUILD"
    (cd "$BUILD" && npm pack "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >/dev/null && tar xzf "node-llama-cpp-$NODE_LLAMA_CPP_VERSION.tgz")
    rm -rf "$BUILD/src"
    git clone -q "$BUILD/package/llama/gitRelease.bundle" "$BUILD/src"
    cmake -S "$BUILD/src" -B "$BUILD/src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
        -DLLAMA_OPENSSL=OFF >"$BUILD/cmake.log"
    cmake --build "$BUILD/src/build" --config Release -j "$(nproc)" \
        --target llama-bench llama-batched-bench llama-server >"$BUILD/build.log"
  fi
fi
LLAMA_VERSION="$("$LLAMA_BIN/llama-bench" --version 2>&1 | grep -m1 -i 'version' || true)"
[ -n "$LLAMA_VERSION" ] || LLAMA_VERSION="$("$LLAMA_BIN/llama-bench" -m /dev/null 2>&1 | grep -m1 build || true)"

# --- our engine ---
./mvnw -q -B -pl inference-core package -DskipTests
JAVA="$(./mvnw -q -B help:evaluate -Dexpression=java.home -DforceStdout 2>/dev/null | tail -1)/bin/java"
[ -x "$JAVA" ] || JAVA=java
OURS=("$JAVA" --add-modules jdk.incubator.vector -Xmx256m -jar inference-core/target/inference-core.jar)
if [ ! -f "$MODEL" ]; then
  mkdir -p "$(dirname "$MODEL")"
  "${OURS[@]}" make-random --shape qwen2.5-0.5b --type q8_0 --out "$MODEL" 2>/dev/null
fi

for r in $(seq "$RUN_FROM" "$LAST_RUN"); do
  echo "run $r of $LAST_RUN: $(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "${OURS[@]}" bench --model "$MODEL" --prompt-tokens "$PROMPT_TOKENS" --gen-tokens "$GEN_TOKENS" --threads "$THREADS" --json \
      2>/dev/null >"$OUT/ours-single-$r.json"
  "$LLAMA_BIN/llama-bench" -m "$MODEL" -p "$PROMPT_TOKENS" -n "$GEN_TOKENS" -t "$THREADS" -r 1 -o json 2>/dev/null >"$OUT/llama-bench-$r.json"
  for n in 4 8; do
    "${OURS[@]}" bench --model "$MODEL" --prompt-tokens "$STREAM_PROMPT" --gen-tokens "$STREAM_GEN" \
        --threads "$THREADS" --streams "$n" --json 2>/dev/null >"$OUT/ours-streams$n-$r.json"
  done
  "$LLAMA_BIN/llama-batched-bench" -m "$MODEL" -c $((8 * (STREAM_PROMPT + STREAM_GEN) + 64)) -b 2048 -ub 512 \
      -npp "$STREAM_PROMPT" -ntg "$STREAM_GEN" -npl 1,4,8 -t "$THREADS" -tb "$THREADS" --output-format jsonl \
      2>/dev/null >"$OUT/llama-batched-$r.jsonl"
  "${OURS[@]}" bench --model "$MODEL" --prompt-tokens 430 --shared-prefix 400 --gen-tokens 1 --threads "$THREADS" \
      --json 2>/dev/null >"$OUT/ours-prefix-$r.json"
done

python3 - "$OUT" "$LAST_RUN" "$THREADS" "$LLAMA_VERSION" "$STREAM_PROMPT" "$STREAM_GEN" "$PROMPT_TOKENS" "$GEN_TOKENS" <<'PY'
import json, statistics, sys
out, reps, threads, version, sp, sg, pt, gt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], *sys.argv[5:9]
rows = {k: [] for k in ["prefill", "decode", "agg4", "agg8", "ttft", "ttft_cold", "heap8",
                        "l_prefill", "l_decode", "l_b1", "l_b4", "l_b8"]}
for r in range(1, reps + 1):
    one = json.load(open(f"{out}/ours-single-{r}.json"))
    rows["prefill"].append(one["prefill_tok_s"]); rows["decode"].append(one["decode_tok_s"])
    for n in (4, 8):
        s = json.load(open(f"{out}/ours-streams{n}-{r}.json"))
        rows[f"agg{n}"].append(s["aggregate_decode_tok_s"])
        if n == 8: rows["heap8"].append(s["peak_heap_mb"])
    p = json.load(open(f"{out}/ours-prefix-{r}.json"))
    rows["ttft"].append(p["ttft_s"]); rows["ttft_cold"].append(p["ttft_without_cache_s"])
    for t in json.load(open(f"{out}/llama-bench-{r}.json")):
        rows["l_prefill" if t["n_prompt"] > 0 else "l_decode"].append(t["avg_ts"])
    for line in open(f"{out}/llama-batched-{r}.jsonl"):
        if line.startswith("{"):
            b = json.loads(line)
            rows[f"l_b{b['pl']}"].append(b["speed_tg"])
    print(f"run {r}: ours prefill {rows['prefill'][-1]:.1f} decode {rows['decode'][-1]:.1f} agg4 {rows['agg4'][-1]:.1f}"
          f" agg8 {rows['agg8'][-1]:.1f} tok/s | llama.cpp prefill {rows['l_prefill'][-1]:.1f} decode"
          f" {rows['l_decode'][-1]:.1f} batched 1/4/8 {rows['l_b1'][-1]:.1f}/{rows['l_b4'][-1]:.1f}/{rows['l_b8'][-1]:.1f}"
          f" | ttft {rows['ttft'][-1]:.3f}s vs {rows['ttft_cold'][-1]:.3f}s without cache")
m = {k: statistics.median(v) for k, v in rows.items()}
spread = lambda k: f"{min(rows[k]):.1f}-{max(rows[k]):.1f}"
print(f"\nllama.cpp: {version}; {reps} runs, {threads} threads; medians (range)")
print("| measure | inference-core | llama.cpp | ratio | target |")
print("|---|---|---|---|---|")
print(f"| prefill, {pt}-token prompt | {m['prefill']:.1f} ({spread('prefill')}) | {m['l_prefill']:.1f} ({spread('l_prefill')}) | {m['prefill']/m['l_prefill']:.2f} | >= 0.6 |")
print(f"| decode, {gt} tokens, 1 stream | {m['decode']:.1f} ({spread('decode')}) | {m['l_decode']:.1f} ({spread('l_decode')}) | {m['decode']/m['l_decode']:.2f} | >= 0.9 |")
print(f"| aggregate decode, 4 streams ({sp}+{sg} tokens) | {m['agg4']:.1f} ({spread('agg4')}) | {m['l_b4']:.1f} ({spread('l_b4')}) | {m['agg4']/m['l_b4']:.2f} | >= 1.0 |")
print(f"| aggregate decode, 8 streams ({sp}+{sg} tokens) | {m['agg8']:.1f} ({spread('agg8')}) | {m['l_b8']:.1f} ({spread('l_b8')}) | {m['agg8']/m['l_b8']:.2f} | >= 0.9 |")
print(f"| first token, 2nd conversation sharing a 400-token prefix (430-token prompt) | {m['ttft']:.3f} s with cache, {m['ttft_cold']:.3f} s without | | {m['ttft']/m['ttft_cold']:.2f} | <= 0.3 |")
print(f"| peak Java heap, 8 streams (-Xmx256m) | {m['heap8']:.0f} MB | | | < 256 MB |")
PY
