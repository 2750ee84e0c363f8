#!/usr/bin/env bash
# Seeds the fuzz corpus with every fixture and sample, each prefixed with the byte that
# makes the fuzz target read it as what it is (0: a usage report, 1: a user report).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=fuzz/corpus/check
mkdir -p "$corpus"
n=0
while IFS= read -r -d '' file; do
    case $file in
        *.json) pick='\000' ;;
        *.csv) pick='\001' ;;
        *) continue ;;
    esac
    name=$(printf '%s' "$file" | tr '/' '_')
    { printf "$pick"; cat "$file"; } > "$corpus/seed_$name"
    n=$((n + 1))
done < <(find tests/fixtures samples -type f -print0)
echo "seeded $corpus with $n files"
