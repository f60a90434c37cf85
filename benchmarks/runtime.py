"""llama.cpp runtimes side by side: the prebuilt wheel against the one compiled here.

    python -m benchmarks.runtime [--model qwen2.5-coder-1.5b] [--repeats 2]

For each runtime (PyPI's prebuilt xllamacpp wheel, installed into a cache folder on first
use, and the venv's own, compiled for this CPU by ``make``) and configuration, a child process
loads the bundled model and measures prompt evaluation at 128, 512 and 1,024 tokens and
generation of 64 (llama.cpp's tokens/s, best of ``--repeats``); a crash (AMX on some virtual
machines) is a result too. The typical answer (400 prompt tokens, 30 generated) is what
``rag.generators.runtime`` decides by. Writes benchmarks/results/runtime.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROMPT_SIZES = (128, 512, 1024)
GENERATED = 64
TYPICAL = (400, 30)  # prompt tokens, generated tokens (rag.generators.runtime)

# (label, settings): extra buffers, flash attention ("auto", "on", "off"), n_ubatch, threads.
CONFIGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("extra buffers (repack/AMX)", {"extra": True}),
    ("plain buffers", {"extra": False}),
    ("plain, flash attention on", {"extra": False, "flash": "on"}),
    ("plain, flash attention off", {"extra": False, "flash": "off"}),
    ("plain, micro-batch 256", {"extra": False, "ubatch": 256}),
    ("plain, micro-batch 1024", {"extra": False, "ubatch": 1024, "batch": 2048}),
    ("plain, 1 thread", {"extra": False, "threads": 1}),
)


def prebuilt_dir(version: str) -> Path:
    """PyPI's xllamacpp wheel, installed apart from the venv (downloaded once)."""
    target = ROOT / ".rag" / "bench-cache" / f"xllamacpp-prebuilt-{version}"
    if not (target / "xllamacpp").is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary",
             ":all:", "--target", str(target), f"xllamacpp=={version}"],
            check=True,
        )  # fmt: skip
    return target


def run_child(module: str, request: dict[str, Any], prebuilt: Path | None, **options: Any) -> Any:
    """``python -m <module> --child <request>``, with the prebuilt xllamacpp (if given) first
    on the path: the last line of its output, as JSON (CalledProcessError if it failed)."""
    env = dict(os.environ)
    if prebuilt is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(prebuilt), str(ROOT)])
    command = [sys.executable, "-m", module, "--child", json.dumps(request)]
    done = subprocess.run(
        command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT, check=True, **options
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(request: dict[str, Any]) -> dict[str, Any]:
    """In the child: load with the configuration, time prompts and generation."""
    import xllamacpp

    config = request["config"]
    threads = int(config.get("threads", request["threads"]))
    params = xllamacpp.CommonParams()
    params.model.path = request["model"]
    params.n_ctx = 2048
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cache_prompt = False
    params.no_extra_bufts = not config.get("extra", False)
    params.load_mode = xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
    params.verbosity = -1
    flash = xllamacpp.llama_flash_attn_type
    params.flash_attn_type = {
        "on": flash.LLAMA_FLASH_ATTN_TYPE_ENABLED,
        "off": flash.LLAMA_FLASH_ATTN_TYPE_DISABLED,
    }.get(config.get("flash", "auto"), flash.LLAMA_FLASH_ATTN_TYPE_AUTO)
    params.n_batch = int(config.get("batch", params.n_batch))
    params.n_ubatch = int(config.get("ubatch", params.n_ubatch))
    started = time.perf_counter()
    server = xllamacpp.Server(params)
    result: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 2)}
    rng = random.Random(0)
    server.handle_completions({"prompt": [rng.randrange(1000, 30000)] * 8, "n_predict": 1})

    def best(key: str, size: int, **options: Any) -> float:
        """The best rate of ``repeats`` runs; token ids: speed does not depend on the text."""
        runs = (
            {"prompt": [rng.randrange(1000, 30000) for _ in range(size)], **options}
            for _ in range(request["repeats"])
        )
        timings = (server.handle_completions(run)["timings"] for run in runs)
        return max((float(t[key]) for t in timings), default=0.0)

    for size in PROMPT_SIZES:
        result[f"prompt_{size}"] = round(best("prompt_per_second", size, n_predict=1), 1)
    options = {"n_predict": GENERATED, "ignore_eos": True, "temperature": 0}
    result["generation"] = round(best("predicted_per_second", 32, **options), 2)
    result["system_info"] = str(xllamacpp.get_system_info()).strip()
    return result


def measure(
    runtime: str, path: Path | None, config: dict[str, Any], model: Path, args: Any
) -> dict[str, Any]:
    """One runtime and configuration, in a child process (a crash is a result too)."""
    request = {"model": str(model), "threads": args.threads, "repeats": args.repeats,
               "config": config}  # fmt: skip
    try:
        result = run_child("benchmarks.runtime", request, path, stderr=subprocess.PIPE, timeout=900)
    except subprocess.CalledProcessError as exc:
        how = f"signal {-exc.returncode}" if exc.returncode < 0 else f"exit {exc.returncode}"
        return {"runtime": runtime, "config": config, "error": f"crashed ({how})"}
    prompt, generated = TYPICAL
    typical = prompt / result["prompt_512"] + generated / result["generation"]
    result["typical_answer_s"] = round(typical, 2)
    return {"runtime": runtime, "config": config, **result}


def cpu_flags() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor()
    model = next((ln.split(":", 1)[1].strip() for ln in lines if "model name" in ln), "")
    flags = next((ln.split(":", 1)[1].split() for ln in lines if ln.startswith("flags")), [])
    wanted = [f for f in flags if f.startswith(("avx", "amx"))]
    return f"{model}; {os.cpu_count()} cores; {' '.join(wanted)}"


def report(results: dict[str, Any]) -> str:
    lines = [
        "# llama.cpp runtimes",
        "",
        f"Model {results['model']}, {results['threads']} threads, best of {results['repeats']}; "
        f"CPU: {results['cpu']}. Tokens/s from llama.cpp's timings; the typical answer is "
        f"{TYPICAL[0]} prompt tokens (at the 512-token rate) and {TYPICAL[1]} generated.",
        "",
        "| runtime | configuration | prompt 128 | prompt 512 | prompt 1024 | generation "
        "| typical answer | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        if "error" in row:
            lines.append(f"| {row['runtime']} | {row['label']} | {row['error']} | | | | | |")
            continue
        lines.append(
            f"| {row['runtime']} | {row['label']} | {row['prompt_128']} | {row['prompt_512']} "
            f"| {row['prompt_1024']} | {row['generation']} | {row['typical_answer_s']} s "
            f"| {row['load_s']} s |"
        )
    lines += ["", "llama.cpp's system info per runtime:", ""]
    lines += [f"- {name}: `{info}`" for name, info in results["system_info"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.runtime", description=__doc__)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    from rag.model_files import MODELS, ensure_model_file
    from rag.settings import Settings

    settings = Settings()
    model = ensure_model_file(MODELS[args.model], settings.data_dir, settings.models_dir)
    version = metadata.version("xllamacpp")
    runtimes: list[tuple[str, Path | None, tuple[tuple[str, dict[str, Any]], ...]]] = [
        ("prebuilt wheel", prebuilt_dir(version), CONFIGS[:2]),
        ("compiled here", None, CONFIGS),
    ]
    rows: list[dict[str, Any]] = []
    infos: dict[str, str] = {}
    for name, path, configs in runtimes:
        for label, config in configs:
            print(f"{name}: {label} ...", file=sys.stderr, flush=True)
            row = {**measure(name, path, config, model, args), "label": label}
            infos.setdefault(name, row.get("system_info", ""))
            rows.append({k: v for k, v in row.items() if k != "system_info"})
    results = {
        "model": args.model,
        "threads": args.threads,
        "repeats": args.repeats,
        "cpu": cpu_flags(),
        "xllamacpp": version,
        "rows": rows,
        "system_info": infos,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "runtime.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "runtime.md").write_text(report(results))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
