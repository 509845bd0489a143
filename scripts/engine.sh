#!/usr/bin/env bash
# Makes a Pulumi engine available and prints its root folder (the folder that holds bin/pulumi,
# bin/pulumi-language-nodejs and bin/pulumi-resource-pulumi-nodejs) as the last line on stdout.
# Everything else goes to stderr.
#
# Order of preference:
#   1. PULUMI_ENGINE_ROOT, when it names a folder whose bin/pulumi runs.
#   2. A `pulumi` on PATH whose version is at least the minimum below (users with internet).
#   3. A cached build outside the clone: ${XDG_CACHE_HOME:-~/.cache}/pulumi-checkout-links/<version>.
#   4. A build from the published Go modules through the Go module proxy (minutes on 2 cores).
#
# Safe to run twice or at the same time: builds happen in a temporary folder under a lock and are
# moved into place in one rename.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${PULUMI_ENGINE_VERSION:-$(node -p "require('$here/package.json').pulumiEngine.version")}"
# The Automation API needs 3.181 or later for inline refresh and destroy.
min_version="3.181.0"
cache_root="${PULUMI_CHECKOUT_LINKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-checkout-links}"
dest="$cache_root/$version"
shim_src="$here/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

say() { printf 'engine: %s\n' "$*" >&2; }
die() { printf 'engine: error: %s\n' "$*" >&2; exit 1; }

version_ge() { # version_ge A B: A >= B, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

runs_as() { # runs_as ROOT: prints the version bin/pulumi reports, empty when it does not run
  PULUMI_SKIP_UPDATE_CHECK=true "$1/bin/pulumi" version 2>/dev/null | sed 's/^v//' || true
}

complete() { # complete ROOT: the three binaries are there and executable
  [ -x "$1/bin/pulumi" ] && [ -x "$1/bin/pulumi-language-nodejs" ] && [ -x "$1/bin/pulumi-resource-pulumi-nodejs" ]
}

if [ -n "${PULUMI_ENGINE_ROOT:-}" ]; then
  v="$(runs_as "$PULUMI_ENGINE_ROOT")"
  [ -n "$v" ] || die "PULUMI_ENGINE_ROOT=$PULUMI_ENGINE_ROOT has no working bin/pulumi; unset it or point it at a Pulumi install"
  say "using PULUMI_ENGINE_ROOT ($v)"
  echo "$PULUMI_ENGINE_ROOT"
  exit 0
fi

if [ -z "${PULUMI_ENGINE_IGNORE_PATH:-}" ] && command -v pulumi >/dev/null 2>&1; then
  ambient="$(cd "$(dirname "$(readlink -f "$(command -v pulumi)")")/.." && pwd)"
  v="$(runs_as "$ambient")"
  if [ -n "$v" ] && version_ge "$v" "$min_version" && complete "$ambient"; then
    say "using pulumi $v from PATH ($ambient/bin)"
    echo "$ambient"
    exit 0
  fi
  say "pulumi on PATH (${v:-unknown version}) is older than $min_version or lacks the Node.js plugins; using the project's own build"
fi

if complete "$dest" && [ "$(runs_as "$dest")" = "$version" ]; then
  say "using cached pulumi $version ($dest/bin)"
  echo "$dest"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "no pulumi $version found and no Go toolchain to build it. Install Pulumi (https://www.pulumi.com/docs/install/) or Go 1.25+, or set PULUMI_ENGINE_ROOT."
[ -f "$shim_src" ] || die "missing $shim_src: run 'npm ci' first"

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock-$version"
say "waiting for the build lock ($cache_root/.lock-$version)"
flock 9
# Another run may have finished the build while this one waited.
if complete "$dest" && [ "$(runs_as "$dest")" = "$version" ]; then
  say "using cached pulumi $version ($dest/bin)"
  echo "$dest"
  exit 0
fi

work="$(mktemp -d "$cache_root/.build-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
say "building pulumi $version from its Go modules into $dest (a cold build takes several minutes)"

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOWORK=off
mod="$work/mod"
mkdir -p "$mod" "$work/root/bin"
cd "$mod"
go mod init local/pulumi-engine-build >/dev/null 2>&1
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e

say "resolving github.com/pulumi/pulumi/pkg/v3@v$version"
commit="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const m = JSON.parse(s);
    if (m.Error) { console.error(m.Error); process.exit(1); }
    process.stdout.write((m.Origin && m.Origin.Hash) || "");
  });')" || die "the Go module proxy did not supply github.com/pulumi/pulumi/pkg/v3@v$version (see above); set PULUMI_ENGINE_VERSION to a version it has"
[ -n "$commit" ] || die "the Go module proxy gave no commit for pkg/v3@v$version, which the Node.js language host build needs"

say "downloading modules for the CLI (pkg/v3 and sdk/v3 at v$version)"
go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
cat >tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
go mod tidy >&2
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
say "compiling pulumi"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$work/root/bin/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2

# The Node.js language host. Its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no tags,
# so it is only reachable by commit; where the proxy refuses that, fall back to the newest sdk/v3
# release that still carried the language host as a package. Only work-dir programs need it.
lh_mod="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
lh_fallback="${PULUMI_LANGUAGE_HOST_SDK_VERSION:-$(node -p "require('$here/package.json').pulumiEngine.languageHostFallback")}"
lh="$work/lh"
mkdir -p "$lh"
cd "$lh"
go mod init local/pulumi-language-host-build >/dev/null 2>&1
if go get "$lh_mod@$commit" >"$work/lh.log" 2>&1; then
  say "compiling pulumi-language-nodejs at ${commit:0:12}"
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
  lh_pkg="$lh_mod"
  lh_version="$version"
else
  say "the proxy has no $lh_mod at ${commit:0:12}: $(tail -n 2 "$work/lh.log" | tr '\n' ' ')"
  say "compiling pulumi-language-nodejs from sdk/v3@v$lh_fallback instead"
  go get "github.com/pulumi/pulumi/sdk/v3@v$lh_fallback" >&2
  lh_pkg="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
  lh_version="$lh_fallback"
fi
cat >tools.go <<GO
//go:build tools

package tools

import _ "$lh_pkg"
GO
go mod tidy >&2
go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$lh_version" \
  -o "$work/root/bin/pulumi-language-nodejs" "$lh_pkg" >&2
echo "$lh_version" >"$work/root/language-host-version"
install -m 0755 "$shim_src" "$work/root/bin/pulumi-resource-pulumi-nodejs"

built="$(runs_as "$work/root")"
[ "$built" = "$version" ] || die "the built pulumi reports '$built', expected $version"

rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$work/root" "$dest"
rm -rf "$dest.old"
say "built pulumi $version in $(($(date +%s) - start)) s"
echo "$dest"
