#!/usr/bin/env bash
# Answer-quality benchmark: runs a knowledge base and labelled customer messages through the real application.
#   backend/bench/quality.sh --kb ../shared/eval-dev/kb.json --questions ../shared/eval-dev/questions.jsonl [--model F] [--json out.json]
# Builds backend/target/soportemax.jar when it is missing (set REBUILD=1 to force), then runs its `evaluate` command.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=backend/target/soportemax.jar
if [[ ! -f $jar || ${REBUILD:-0} == 1 ]]; then
    ./mvnw -B -q -pl backend -am package -DskipTests
fi
java=java
if [[ -n ${JAVA_HOME:-} ]]; then
    java="$JAVA_HOME/bin/java"
fi
if ! "$java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    for candidate in /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*2[6-9]*/bin/java; do
        if [[ -x $candidate ]]; then java=$candidate; break; fi
    done
fi
# JAVA_OPTS (optional) is passed to the JVM.
exec "$java" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$jar" evaluate "$@"
