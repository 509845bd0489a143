#!/usr/bin/env bash
# Makes a Node.js that @pulumi/pulumi supports available and prints the folder holding its `node` as
# the last line on stdout. Everything else goes to stderr. The Pulumi language host and the dynamic
# providers run the `node` they find first on the PATH, so whoever puts this folder first runs the
# whole stack (program, providers, tests) on that Node.js; scripts/with-node.sh does that.
#
# Order of preference:
#   1. CHECKOUT_LINKS_NODE_DIR, when it names a folder whose `node` runs.
#   2. A `node` on PATH whose major version is at least the minimum (package.json nodeRuntime.minimum).
#   3. A cached copy outside the clone: ${XDG_CACHE_HOME:-~/.cache}/pulumi-checkout-links/node-<version>.
#   4. The official Node.js binaries from the npm registry (package node-<os>-<arch>), unpacked there.
#
# Safe to run twice or at the same time: downloads happen in a temporary folder under a lock and are
# moved into place in one rename.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Read with whatever node runs here: any version can parse package.json.
read -r minimum version < <(node -e '
  const r = require(process.argv[1]).nodeRuntime;
  console.log(r.minimum, process.env.CHECKOUT_LINKS_NODE_VERSION || r.version);
' "$here/package.json")
cache_root="${PULUMI_CHECKOUT_LINKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-checkout-links}"
dest="$cache_root/node-$version"

say() { printf 'node: %s\n' "$*" >&2; }
die() { printf 'node: error: %s\n' "$*" >&2; exit 1; }

major_of() { # major_of DIR: the major version DIR/node reports, empty when it does not run
  "$1/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

if [ -n "${CHECKOUT_LINKS_NODE_DIR:-}" ]; then
  m="$(major_of "$CHECKOUT_LINKS_NODE_DIR")"
  [ -n "$m" ] || die "CHECKOUT_LINKS_NODE_DIR=$CHECKOUT_LINKS_NODE_DIR has no working node"
  say "using CHECKOUT_LINKS_NODE_DIR (Node.js $m)"
  echo "$CHECKOUT_LINKS_NODE_DIR"
  exit 0
fi

if command -v node >/dev/null 2>&1; then
  ambient="$(cd "$(dirname "$(command -v node)")" && pwd)"
  m="$(major_of "$ambient")"
  if [ -n "$m" ] && [ "$m" -ge "$minimum" ]; then
    echo "$ambient"
    exit 0
  fi
  say "node on PATH is Node.js ${m:-of unknown version}; @pulumi/pulumi needs $minimum or later, using Node.js $version"
fi

if [ "$(major_of "$dest/bin")" = "${version%%.*}" ]; then
  echo "$dest/bin"
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no Node.js $minimum+ found; install one (https://nodejs.org) or set CHECKOUT_LINKS_NODE_DIR" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no Node.js $minimum+ found for $(uname -m); install one (https://nodejs.org) or set CHECKOUT_LINKS_NODE_DIR" ;;
esac
package="node-$os-$arch@$version"

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock-node-$version"
flock 9
# Another run may have unpacked it meanwhile.
if [ "$(major_of "$dest/bin")" = "${version%%.*}" ]; then
  echo "$dest/bin"
  exit 0
fi
work="$(mktemp -d "$cache_root/.node-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "downloading Node.js $version ($package, the official binaries on the npm registry) into $dest"
tarball="$(cd "$work" && npm pack --silent "$package" | tail -n 1)" ||
  die "npm could not fetch $package; install Node.js $minimum+ yourself or set CHECKOUT_LINKS_NODE_DIR"
tar -xzf "$work/$tarball" -C "$work"
[ "$(major_of "$work/package/bin")" = "${version%%.*}" ] || die "$package did not unpack to a working node"
rm -rf "$dest"
mv "$work/package" "$dest"
echo "$dest/bin"
