#!/usr/bin/env bash
# Benchmark: federated delivery latency p50/p99 between the local stack's two domains through both gateways:
# one message at a time sent on praxis-a until klinik-b's long-polling /sync shows it, then the other way.
# Everything runs in one JVM (the local stack: embedded MongoDB and Kafka, simulators, registration service,
# one homeserver with both domains, one gateway per domain, TLS between the gateways); the homeserver's
# message rate limit is off. Prints the machine's load average with the numbers.
# Knobs: MESSAGES (100 per direction), WARMUP (10 per direction, not counted).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/jdk.sh
./mvnw -B -q -ntp -DskipTests -pl bench -am package
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx2g -Dmessages="${MESSAGES:-100}" -Dwarmup="${WARMUP:-10}" \
  -jar bench/target/bench-*-exec.jar federation
