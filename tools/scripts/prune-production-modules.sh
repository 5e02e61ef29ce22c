#!/bin/sh
# Removes from a production node_modules what nothing loads at run time: type declarations, source
# maps, docs, and better-sqlite3's C sources and compiler intermediates (only its .node addon runs).
# Used by the Dockerfile's build stage and by the runtime-stage test, so both ship the same tree.
set -eu
modules="${1:?usage: prune-production-modules.sh <node_modules folder>}"
find "$modules" -type f \( -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.map' -o -name '*.md' -o -name '*.ts.map' \) -delete
sqlite="$modules/better-sqlite3"
if [ -d "$sqlite" ]; then
  rm -rf "$sqlite/deps" "$sqlite/src" "$sqlite/build/deps" "$sqlite/build/Release/obj" "$sqlite/build/Release/obj.target" \
         "$sqlite/build/Release/.deps" "$sqlite/build/Release/sqlite3.a" "$sqlite/build/Release/test_extension.node"
fi
