#!/bin/sh
# Pins the Dockerfile's base image to the current digest of its tag (run it when a Node or
# Alpine patch is out, then rebuild and test): needs Docker with buildx, or crane.
# Usage: tools/scripts/refresh-base-image.sh [tag, default: the Dockerfile's]
set -eu
cd "$(dirname "$0")/../.."
current="$(sed -n 's/^ARG NODE_IMAGE=\(.*\)@sha256:.*/\1/p' Dockerfile)"
image="${1:-$current}"
if command -v crane >/dev/null 2>&1; then
  digest="$(crane digest "$image")"
else
  digest="$(docker buildx imagetools inspect "$image" --format '{{json .Manifest}}' | sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p')"
fi
case "$digest" in sha256:????????????????????????????????????????????????????????????????) ;; *) echo "no digest for $image" >&2; exit 1 ;; esac
sed -i "s|^ARG NODE_IMAGE=.*|ARG NODE_IMAGE=$image@$digest|" Dockerfile
echo "Dockerfile: $image@$digest"
