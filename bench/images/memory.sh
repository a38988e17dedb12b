#!/usr/bin/env bash
# The worker's peak resident memory while it publishes four 20 MB images to X, Mastodon and Bluesky
# (docs/benchmarks.md, "A worker publishing large images"). Two sets: PNGs of noise (2580×2580) and JPEG photos of
# 24 megapixels (6000×4000). For each: a standalone sandbox, `herald post --sandbox --at +20s` to schedule, then a
# separate `herald work --sandbox` whose peak (VmHWM) is read until all three publications are done.
# Needs a Release build first: dotnet build Herald.slnx -c Release
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
herald="dotnet $root/src/Herald.Cli/bin/Release/net10.0/herald.dll"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=${HERALD_BENCH_SANDBOX_PORT:-5983}
dotnet "$root/bench/Herald.Benchmarks/bin/Release/net10.0/Herald.Benchmarks.dll" --images "$work"

measure() {
  local set=$1
  export HOME="$work/home-$set" Herald__Sandbox__Url="http://127.0.0.1:$port/"
  mkdir -p "$HOME"
  $herald sandbox --port "$port" --no-rate-limits > "$work/sandbox-$set.txt" 2>&1 &
  local sandbox=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/_sandbox/posts" > /dev/null && break; sleep 1; done
  /usr/bin/time -f "%M" -o "$work/schedule-$set.kb" $herald post "$work/$set-post.md" --to x,mastodon,bluesky --sandbox --at +20s > /dev/null
  $herald work --sandbox --plain > "$work/work-$set.txt" 2>&1 &
  local worker=$! peak=0 done=0
  for _ in $(seq 1 900); do
    peak=$(awk '/VmHWM/ { print $2 }' "/proc/$worker/status" 2> /dev/null || echo "$peak")
    done=$(grep -c "published\|failed" "$work/work-$set.txt" || true)
    [ "$done" -ge 3 ] && break
    sleep 1
  done
  kill -TERM "$worker" "$sandbox"; wait "$worker" "$sandbox" 2> /dev/null || true
  echo "$set: worker peak RSS $((peak / 1024)) MB; scheduling peak $(($(cat "$work/schedule-$set.kb") / 1024)) MB"
  grep "published\|failed" "$work/work-$set.txt" | sed 's/^/  /'
}

echo "Worker memory with four 20 MB images, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure noise
measure photo
