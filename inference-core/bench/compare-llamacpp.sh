#!/usr/bin/env bash
# Benchmarks inference-core against llama.cpp (de.kherud:llama, test scope) on a random-weight model with the
# exact shapes of Qwen2.5-0.5B in Q8_0. Prints per-run numbers, medians and ratios.
#   inference-core/bench/compare-llamacpp.sh [repetitions=3] [threads=2]
# Environment: MODEL=path (default target/bench/qwen2.5-0.5b-q8_0.gguf, generated when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-3}"
THREADS="${2:-2}"
MODEL="${MODEL:-inference-core/target/bench/qwen2.5-0.5b-q8_0.gguf}"

./mvnw -q -B -pl inference-core test-compile package -DskipTests
./mvnw -q -B -pl inference-core dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
JAVA="$(./mvnw -q -B help:evaluate -Dexpression=java.home -DforceStdout 2>/dev/null | tail -1)/bin/java"
[ -x "$JAVA" ] || JAVA=java
JAR=inference-core/target/inference-core.jar

if [ ! -f "$MODEL" ]; then
  mkdir -p "$(dirname "$MODEL")"
  "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" make-random --shape qwen2.5-0.5b --type q8_0 --out "$MODEL"
fi

CP="inference-core/target/test-classes:inference-core/target/classes:$(cat inference-core/target/bench-classpath.txt)"
exec "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
    com.soportemax.inference.bench.LlamaCppComparison "$MODEL" "$JAR" "$REPS" "$THREADS" 512 128
