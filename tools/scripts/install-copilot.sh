#!/bin/sh
# Installs one release of the AWS Copilot CLI for Linux, only if its detached PGP signature was
# made by the Amazon ECS release key: the key is committed beside this script and its primary
# fingerprint is pinned here, so a swapped binary or a swapped key both fail.
# Usage: install-copilot.sh <version, e.g. v1.34.1> [install dir, default /usr/local/bin]
set -eu
version="${1:?usage: install-copilot.sh <version> [install dir]}"
dest="${2:-/usr/local/bin}"
releases="${COPILOT_RELEASES_URL:-https://github.com/aws/copilot-cli/releases/download}"
key="${COPILOT_RELEASE_KEY:-$(dirname "$0")/../copilot/amazon-ecs-release-key.asc}"
fingerprint="${COPILOT_RELEASE_FINGERPRINT:-F34C3DDAE72926B079BEAEC6BCE9D9A42D51784F}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/gnupg"
curl -fsSL --retry 3 -o "$work/copilot" "$releases/$version/copilot-linux"
curl -fsSL --retry 3 -o "$work/copilot.asc" "$releases/$version/copilot-linux.asc"
gpg --batch --quiet --homedir "$work/gnupg" --import "$key" 2>/dev/null
# VALIDSIG's last field is the primary key's fingerprint, whichever subkey signed.
if ! gpg --batch --homedir "$work/gnupg" --status-fd 1 --verify "$work/copilot.asc" "$work/copilot" 2>/dev/null \
  | grep -Eq "^\[GNUPG:\] VALIDSIG .* ${fingerprint}\$"; then
  echo "copilot $version: the signature does not verify against key $fingerprint; not installed" >&2
  exit 1
fi
install -m 0755 "$work/copilot" "$dest/copilot"
echo "copilot $version installed in $dest (signature by $fingerprint verified)"
