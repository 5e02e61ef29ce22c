#!/bin/sh
# Fills a Node compile cache (NODE_COMPILE_CACHE) with V8's compiled code of a service's bundle
# and of the modules it loads, so that a task starting from it skips compiling them. It runs the
# bundle once with no configuration at all: everything loads, then the configuration check stops
# it before anything listens. Node keys the cache by its version, the V8 flags (NODE_OPTIONS is
# passed on, so run it with the service's own) and the uid, so run it as the user the service
# runs as. Used by the Dockerfile's runtime stage, the runtime-stage test and the bench.
set -eu
app="${1:?usage: warm-compile-cache.sh <folder of main.js> <cache folder>}"
cache="${2:?usage: warm-compile-cache.sh <folder of main.js> <cache folder>}"
cd "$app"
if env -i PATH="$PATH" NODE_OPTIONS="${NODE_OPTIONS:-}" NODE_COMPILE_CACHE="$cache" node main.js >/dev/null 2>&1; then
  echo "warm-compile-cache: $app/main.js started with no configuration; expected it to stop at the configuration check" >&2
  exit 1
fi
entries=$(find "$cache" -type f | wc -l)
if [ "$entries" -eq 0 ]; then
  echo "warm-compile-cache: no compiled code was written to $cache" >&2
  exit 1
fi
echo "warm-compile-cache: $entries files compiled into $cache"
