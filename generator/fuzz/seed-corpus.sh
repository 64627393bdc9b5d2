#!/usr/bin/env bash
# Seeds the fuzz corpora (git-ignored) from the seed pages and a sample of the
# real v1.0 pages in ../shared. Usage: generator/fuzz/seed-corpus.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
n="${1:-300}"
for t in parse_page pipeline; do
  mkdir -p "$here/corpus/$t"
  cp "$root"/tests/fixtures/seeds/* "$here/corpus/$t/"
  find "$root/../shared/graph-docs/v1.0" -name '*.md' | sort | awk -v n="$n" 'NR % int(3341/n) == 0' \
    | while read -r f; do cp "$f" "$here/corpus/$t/"; done
done
echo "corpus: $(ls "$here/corpus/parse_page" | wc -l) files per target"
