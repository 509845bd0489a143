#!/usr/bin/env bash
# Runs a command with a Node.js that @pulumi/pulumi supports first on the PATH (scripts/node.sh finds
# or fetches it), so that the command, the Pulumi language host and every dynamic provider it starts
# run on that Node.js:   bash scripts/with-node.sh vitest run
set -euo pipefail
dir="$(bash "$(dirname "${BASH_SOURCE[0]}")/node.sh")"
PATH="$dir:$PATH" exec "$@"
