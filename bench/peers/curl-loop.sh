#!/usr/bin/env bash
# Peer: a shell loop of curl, one cancel then one GET per operation, one at a time.
# Usage: curl-loop.sh ENDPOINT NAMES_FILE   (ENDPOINT like http://127.0.0.1:PORT)
set -euo pipefail
endpoint=$1
names=$2
ok=0
while IFS= read -r name; do
  [[ -z $name ]] && continue
  curl -fsS -o /dev/null -X POST "$endpoint/v1/$name:cancel"
  curl -fsS -o /dev/null "$endpoint/v1/$name"
  ok=$((ok + 1))
done <"$names"
echo "ops=$ok"
