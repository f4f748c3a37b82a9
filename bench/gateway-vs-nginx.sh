#!/usr/bin/env bash
# Benchmark: the Messenger-Proxy (gateway) and nginx in front of the same backend, in the same run.
# Reports throughput and latency (p50/p99) of: the backend directly, nginx -> backend, gateway -> backend,
# for an uninspected GET (capabilities) and an inspected POST (createRoom, stage-1 check), and the ratios.
# Needs nginx and wrk (Debian packages; installed when missing and running as root). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/jdk.sh
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BACKEND=18080 NGINX=18081 GATEWAY=18082
work=$(mktemp -d)
cleanup() {
  [ -f "$work/backend.pid" ] && kill "$(cat "$work/backend.pid")" 2>/dev/null || true
  [ -f "$work/proxy.pid" ] && kill "$(cat "$work/proxy.pid")" 2>/dev/null || true
  [ -n "${gateway_pid:-}" ] && kill "$gateway_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
fi

./mvnw -B -q -ntp -DskipTests -pl bench -am package

nginx_conf() { # name port body
  cat > "$work/$1.conf" <<CONF
worker_processes 1;
pid $work/$1.pid;
error_log $work/$1-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1-body;
  proxy_temp_path $work/$1-proxy;
  fastcgi_temp_path $work/$1-fastcgi;
  uwsgi_temp_path $work/$1-uwsgi;
  scgi_temp_path $work/$1-scgi;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server {
    listen 127.0.0.1:$2;
    $3
  }
}
CONF
}
nginx_conf backend $BACKEND 'location / { default_type application/json; return 200 "{\"capabilities\":{},\"room_id\":\"!r:bench.tim.local\"}"; }'
nginx_conf proxy $NGINX 'location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host bench.tim.local; }'
nginx -c "$work/backend.conf"
nginx -c "$work/proxy.conf"

java -jar bench/target/bench-*-exec.jar gateway $GATEWAY http://127.0.0.1:$BACKEND > "$work/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$GATEWAY/actuator/health" >/dev/null && break
  sleep 1
done

cat > "$work/createroom.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
wrk.body = '{"preset":"trusted_private_chat","is_direct":true,"invite":["@b:bench.tim.local"]}'
LUA

run() { # label port path [script]
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "${4:-}" ] && args+=(-s "$4")
  wrk "${args[@]}" "http://127.0.0.1:$2$3" > "$work/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  printf '%-28s %12s req/s   p50 %9s   p99 %9s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps" > "$work/$1.rps"
}

echo "warming up the gateway ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s "http://127.0.0.1:$GATEWAY/_matrix/client/v3/capabilities" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s "$work/createroom.lua" "http://127.0.0.1:$GATEWAY/_matrix/client/v3/createRoom" >/dev/null

echo "$(nproc) cores, $THREADS wrk threads, $CONNECTIONS connections, $DURATION per run"
run direct-get $BACKEND /_matrix/client/v3/capabilities
run nginx-get $NGINX /_matrix/client/v3/capabilities
run gateway-get $GATEWAY /_matrix/client/v3/capabilities
run direct-createroom $BACKEND /_matrix/client/v3/createRoom "$work/createroom.lua"
run nginx-createroom $NGINX /_matrix/client/v3/createRoom "$work/createroom.lua"
run gateway-createroom $GATEWAY /_matrix/client/v3/createRoom "$work/createroom.lua"
for kind in get createroom; do
  awk -v g="$(cat "$work/gateway-$kind.rps")" -v n="$(cat "$work/nginx-$kind.rps")" \
    -v k="$kind" 'BEGIN { printf "throughput gateway/nginx (%s): %.2f\n", k, g / n }'
done
