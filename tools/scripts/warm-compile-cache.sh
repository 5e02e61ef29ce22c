#!/bin/sh
# Fills a Node compile cache (NODE_COMPILE_CACHE) with V8's compiled code of a service and of the
# modules it loads, so that a task starting from it skips compiling them. It runs the service's
# entry once with no configuration at all: everything loads, then the configuration check stops
# it before anything listens. Node keys its cache by its version, the V8 flags (NODE_OPTIONS is
# passed on, so run it with the service's own) and the uid, so run it as the user the service
# runs as. The image's entry, start.js, adds the bundle's own code cache to the same folder at
# exit (libs/code-cache). Used by the Dockerfile's runtime stage, the runtime-stage test and the
# bench. Node flags after the two arguments are given to node on its command line, as the service
# gets them: for V8 flags that Node refuses in NODE_OPTIONS (--trace-gc, --heap-growing-percent).
set -eu
usage="usage: warm-compile-cache.sh <entry file, e.g. /app/start.js> <cache folder> [node flags]"
entry="${1:?$usage}"
cache="${2:?$usage}"
shift 2
if env -i PATH="$PATH" NODE_OPTIONS="${NODE_OPTIONS:-}" NODE_COMPILE_CACHE="$cache" node "$@" "$entry" >/dev/null 2>&1; then
  echo "warm-compile-cache: $entry started with no configuration; expected it to stop at the configuration check" >&2
  exit 1
fi
entries=$(find "$cache" -type f | wc -l)
if [ "$entries" -eq 0 ]; then
  echo "warm-compile-cache: no compiled code was written to $cache" >&2
  exit 1
fi
echo "warm-compile-cache: $entries files compiled into $cache"
