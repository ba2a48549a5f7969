#!/bin/sh
# Removes from the image's production node_modules what nothing loads at run time (Dockerfile,
# build stage, after `npm prune`). Needs the build's dist/: the Prisma query compilers kept are
# the ones the generated client imports. `npm run test:container` proves the result still serves.
#
#   sh scripts/slim-node-modules.sh [node_modules]
set -eu
dir=${1:-node_modules}
runtime="$dir/@prisma/client/runtime"

# @prisma/client ships a WebAssembly query compiler for every database, in two sizes and two module
# formats (~70 MB); the generated client imports one of them.
keep=$(grep -rhoE '@prisma/client/runtime/query_compiler_[A-Za-z0-9_.-]+' dist/generated | sed 's|.*/||' | sort -u)
[ -n "$keep" ] || { echo "slim-node-modules: dist/generated names no Prisma query compiler (run npm run build first)" >&2; exit 1; }
for file in "$runtime"/query_compiler_*; do
  echo "$keep" | grep -qxF "$(basename "$file")" || rm -f "$file"
done
for name in $keep; do
  [ -f "$runtime/$name" ] || { echo "slim-node-modules: $runtime/$name is missing" >&2; exit 1; }
done

# Source maps (Node is not run with --enable-source-maps), type declarations and TypeScript sources,
# documentation. Licences stay.
find "$dir" -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.md' \) -delete
find "$dir" -type d -empty -delete
