#!/usr/bin/env bash
# Install llama.cpp's Python binding (xllamacpp) compiled for this machine's CPU.
#
#   scripts/install_runtime.sh PIP VERSION LOG
#
# PyPI's xllamacpp wheels are built for AVX2 only; compiled here (GGML_NATIVE, xllamacpp's
# default for local builds) llama.cpp also uses AVX-512, VNNI and AMX where the CPU has them,
# and evaluates prompts about twice as fast (benchmarks/results/runtime.md). pip keeps the
# built wheel in its cache, so only the first install on a machine compiles (about 5 minutes
# on 2 cores). Without a compiler, or if the build fails, the prebuilt wheel is installed
# instead and the assistant works as before, only slower.
#
# Offline builds: xllamacpp's build would clone BoringSSL (for the HTTP server we never expose)
# and llguidance from the internet; both are switched off.
set -uo pipefail

pip=$1
version=$2
log=$3
prebuilt="installing the prebuilt llama.cpp instead (AVX2 only: prompts about half as fast)"

install_prebuilt() {
    for attempt in 1 2 3; do
        "$pip" install -qq --only-binary xllamacpp "xllamacpp==$version" && return 0
        echo "pip install failed (attempt $attempt of 3)" >&2
        [ "$attempt" = 3 ] || sleep 30
    done
    return 1
}

missing=""
for tool in cmake c++ cc; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "llama.cpp: no$missing on this machine to compile it; $prebuilt."
    install_prebuilt
    exit
fi

echo "llama.cpp: compiling it for this CPU (5-10 minutes the first time on a machine; later, pip's cache has it)..."
if CMAKE_ARGS="-DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_LLGUIDANCE=OFF ${CMAKE_ARGS:-}" \
    "$pip" install --no-binary xllamacpp "xllamacpp==$version" >"$log" 2>&1; then
    exit 0
fi
echo "llama.cpp: the build failed (its log: $log); $prebuilt."
install_prebuilt
