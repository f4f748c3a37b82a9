#!/usr/bin/env bash
# Benchmark: 3,287 sequential sends into one room ("Romeo & Juliet") and send -> /sync latency p50/p99 with
# 200 long-polling users, against a homeserver in-process on the MongoDB wire server and a KRaft broker.
# Knobs: SENDS (3287), SYNCERS (200), ROUNDS (30), HS_ARGS (extra homeserver arguments, e.g.
# "--tim.homeserver.rooms.sync-cache.enabled=false" to measure without the sync window).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/jdk.sh
./mvnw -B -q -ntp -DskipTests -pl bench -am package
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Dsends="${SENDS:-3287}" -Dsyncers="${SYNCERS:-200}" -Drounds="${ROUNDS:-30}" \
  -Dhomeserver.args="${HS_ARGS:-}" \
  -jar bench/target/bench-*-exec.jar homeserver
