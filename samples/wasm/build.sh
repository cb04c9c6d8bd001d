#!/usr/bin/env bash
# Builds the sample WebAssembly workloads (C → wasm32-wasi reactors) and the deliberately
# non-migratable WAT modules. Output is not committed.
#   samples/wasm/build.sh [OUTDIR]        (default: samples/wasm/bin)
# Needs clang-14, lld-14 (wasm-ld), wasi-libc, libclang-rt-14-dev-wasm32 and wabt (wat2wasm):
# scripts/install-test-deps.sh installs them. Rebuilds only what changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/bin}"
mkdir -p "$out"

CLANG="${CLANG:-clang-14}"
WAT2WASM="${WAT2WASM:-wat2wasm}"
for tool in "$CLANG" "$WAT2WASM"; do
  command -v "$tool" >/dev/null || { echo "samples/wasm/build.sh: '$tool' not found; run scripts/install-test-deps.sh (clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32, wabt)" >&2; exit 1; }
done

# The workload contract (docs/wasm-workloads.md): a WASI reactor (no _start; the agent calls
# _initialize once), every mutable global and the function table exported so the engine can
# checkpoint them. -mmutable-globals lets wasm-ld export __stack_pointer.
CFLAGS=(--target=wasm32-wasi -O2 -fuse-ld=lld -mexec-model=reactor -mmutable-globals
        -Wall -Werror -Wl,--export-table -Wl,--strip-debug)
EXPORT_GLOBALS=(-Wl,--export=__stack_pointer)

newer() { # newer TARGET SOURCES... : true when TARGET is missing or older than a source
  local target="$1"; shift
  [[ -f "$target" ]] || return 0
  local s; for s in "$@"; do [[ "$s" -nt "$target" ]] && return 0; done
  return 1
}

build_c() { # build_c NAME SOURCE [extra flags...]
  local name="$1" src="$2"; shift 2
  local target="$out/$name.wasm"
  if newer "$target" "$src" "$here/em_contract.h" "$here/build.sh"; then
    "$CLANG" "${CFLAGS[@]}" "$@" -o "$target.tmp.$$" "$src"
    mv -f "$target.tmp.$$" "$target" # atomic: concurrent builds (parallel test collections) never see half a file
    echo "built $target ($(stat -c %s "$target") bytes)"
  fi
}

build_c fusion "$here/fusion/fusion.c" "${EXPORT_GLOBALS[@]}"
build_c memhog "$here/memhog/memhog.c" "${EXPORT_GLOBALS[@]}"
# The same C service linked without exporting __stack_pointer: refused (unexported mutable global).
build_c refused-fusion-stack-pointer-hidden "$here/fusion/fusion.c"

for wat in "$here"/refused/*.wat; do
  name="$(basename "$wat" .wat)"
  target="$out/refused-$name.wasm"
  if newer "$target" "$wat" "$here/build.sh"; then
    "$WAT2WASM" --enable-threads -o "$target.tmp.$$" "$wat"
    mv -f "$target.tmp.$$" "$target"
    echo "built $target"
  fi
done
