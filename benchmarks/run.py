"""Benchmarks over generated corpora of growing size (``make bench``).

    .venv/bin/python -m benchmarks.run [--sizes 1000,10000,100000] \\
        [--generators extractive,bundled] [--questions 10] [--out benchmarks/results/bench]

Per corpus size (chunks), each stage in a child process of its own (benchmarks/stages.py):

* ingest throughput (chunks/s) next to the embedder's raw throughput (the embedder alone on an
  even sample of the same chunk texts, right before and after the ingest, the mean of both);
  "ingest's own work" is the ingest time minus the time inside the embedder; and the time to
  re-ingest the unchanged corpus;
* latency of ``Retriever.search`` for dense, BM25 and hybrid, each question run
  --retrieval-repeats times with the query cache emptied, its fastest run counting (the
  machine is shared), and the share of questions whose article is retrieved;
* per generator, ``Assistant.stream``'s time to the model's first token, to the first text
  shown and to the whole answer, and the share of known answers found in the answer text
  (``evals.metrics.matched_groups``); the same through the ``naive`` llama-index baseline
  (evals/baselines.py; not streamed: its first token is its answer);
* peak RSS in MiB (VmHWM) of each stage; the serving target's 2.5 GB is 2.5e9 bytes;
* at --server-sizes, the retrieval again through a ``chroma run`` server on 127.0.0.1, filled
  by ingest from the docstore's stored embeddings.

p50/p95 are ``evals.metrics.percentiles`` (linear interpolation; runs up to commit a4b2754
used the nearest rank). Sizes above --uncached-upto read their vectors from the embedding
cache (``python -m benchmarks.embed_cache --size N`` fills it) and are skipped, with that
command, while it lacks any; smaller sizes embed for real and write through to the cache.
Results, merged with earlier runs' other sizes, go to ``<out>/bench.json``, ``bench.md`` and
PNG plots (benchmarks/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.corpus import DEFAULT_ROOT, DEFAULT_SEED, CorpusFiles, ensure_corpus
from benchmarks.embed_cache import (
    DATA_DIR,
    DEFAULT_CACHE,
    claim_project_data_dir,
    naive_node_texts,
    naive_view,
)
from benchmarks.report import Entry, write_report
from benchmarks.stages import cpu_pressure, free_port, vm_hwm_mb
from index.embedding_cache import Coverage, EmbeddingCache
from index.settings import IndexSettings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "bench"
DEFAULT_DATA_ROOT = DATA_DIR / "bench" / "data"
MODES = ("dense", "bm25", "hybrid")
GENERATORS = ("extractive", "bundled", "openai")
RESULTS_FILE = "bench.json"

Log = Callable[[str], None]
Save = Callable[[Entry], None]  # what was measured so far, saved after each stage


class StageError(RuntimeError):
    """A child stage failed; the message holds the end of its log."""


def run_stage(name: str, spec: Entry, work: Path, log: Log, label: str | None = None) -> Entry:
    """Run one stage in a child process; adds its wall time and its own peak RSS (VmHWM)."""
    work.mkdir(parents=True, exist_ok=True)
    label = label or name
    tag = f"{label}-{time.time_ns()}"
    spec_path, result_path, log_path = (work / f"{tag}.{x}" for x in ("spec.json", "json", "log"))
    spec_path.write_text(json.dumps(spec, ensure_ascii=False))
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    log(f"  {label} ...")
    started = time.perf_counter()
    with log_path.open("wb") as output:
        stage = ("benchmarks.stages", name, str(spec_path), str(result_path))
        returncode = subprocess.call(
            [sys.executable, "-m", *stage], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    seconds = time.perf_counter() - started
    if returncode != 0 or not result_path.exists():
        tail = log_path.read_text(errors="replace")[-3000:]
        raise StageError(f"stage {label} exited with {returncode}; log {log_path}:\n{tail}")
    result: Entry = json.loads(result_path.read_text())
    # The child's own figure (stages.peak_rss_mb), not wait4's rusage, which would be at
    # least this process's peak at the time of the spawn.
    result.update(peak_rss_mb=result["rss_mb_self"], rss_source="VmHWM")
    result.update(stage_wall_seconds=round(seconds, 1), cpu_pressure_after=cpu_pressure())
    log(f"  {label} done in {seconds:.0f} s (peak RSS {result['peak_rss_mb']:.0f} MB)")
    return result


@contextmanager
def chroma_server(path: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """``chroma run`` on 127.0.0.1 and a free port (as tests/index/test_chroma_server.py)."""
    import httpx

    chroma, port = Path(sys.executable).parent / "chroma", free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as output:
        server = subprocess.Popen(
            [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None:
                    raise StageError(f"chroma run exited with {server.returncode}: {log_path}")
                with suppress(httpx.TransportError):
                    if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).is_success:
                        break
                if time.monotonic() > deadline:
                    raise StageError(f"no Chroma heartbeat on port {port} within 120 s")
                time.sleep(0.25)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


class SizeBench:
    """Every measurement of one corpus size; results accumulate in ``entry``."""

    def __init__(self, size: int, args: argparse.Namespace, log: Log, save: Save) -> None:
        self.size, self.args, self.log, self.save = size, args, log, save
        self.files: CorpusFiles = ensure_corpus(size, args.seed, args.corpus_root, progress=log)
        self.questions = [asdict(q) for q in self.files.questions()]
        self.warmup = [q["question"] for q in self.questions[-3:]]
        self.work = args.data_root / "runs" / f"n{size}"
        self.data_dir = args.data_root / f"n{size}"
        self.uncached = size <= args.uncached_upto
        self.cache = EmbeddingCache(args.cache, IndexSettings().embedder_id)
        root = self.files.root
        self.entry: Entry = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "corpus": {
                "path": str(root.relative_to(ROOT) if root.is_relative_to(ROOT) else root),
                "seed": self.files.seed,
                "articles": self.files.n_articles,
                "chunks": self.files.n_chunks,
            },
            "embeddings": "computed" if self.uncached else "cached",
            "errors": {},
        }

    def stage(self, name: str, spec: Entry, label: str | None = None) -> Entry | None:
        common = {"data_dir": str(self.data_dir), "models_dir": str(self.args.models_dir)}
        try:
            return run_stage(name, {**common, **spec}, self.work, self.log, label)
        except StageError as exc:
            self.entry["errors"][label or name] = str(exc)
            self.log(f"  {exc}")
            return None
        finally:
            self.save(self.entry)

    def cached(self, texts: list[str], naive: bool = False) -> Coverage | None:
        """The cache's coverage of the texts, if they are to be measured: all cached, or the
        size embeds for real, or --allow-slow; else None, and the entry says what to run."""
        have, prefix = self.cache.coverage(texts), "naive_" if naive else ""
        self.entry[f"{prefix}cache_coverage"] = {"present": have.present, "total": have.total}
        if have.complete or self.uncached or self.args.allow_slow:
            return have
        nodes, flag = (" (its own nodes)", " --naive") if naive else ("", "")
        self.entry[f"{prefix}skip_reason"] = reason = (
            f"{'naive ' if naive else ''}not measured: {have} for the {self.size}-chunk corpus"
            f"{nodes}; run `python -m benchmarks.embed_cache --size {self.size}{flag}` "
            "(resumable) or pass --allow-slow"
        )
        self.log(f"  {reason}")
        return None

    def run(self) -> Entry:
        entry, args = self.entry, self.args
        if not self.uncached and not self.cached(self.files.chunk_texts()):
            entry["status"] = "skipped"
            return entry
        entry["status"] = "measured"
        shutil.rmtree(self.data_dir, ignore_errors=True)
        corpus, cache = str(self.files.articles_dir), str(args.cache)
        spec: Entry = {"corpus": corpus, "cache": cache, "raw_sample": args.raw_sample}
        spec.update(chunk_texts=str(self.files.chunk_texts_path), read_cache=not self.uncached)
        entry["ingest"] = self.stage("ingest", spec)
        if entry["ingest"] is None:
            return entry
        entry["reingest"] = self.stage("reingest", {"corpus": corpus})
        entry["retrieval"] = self.stage("retrieval", self.retrieval_spec())
        asked: Entry = {"questions": self.questions[: args.questions], "warmup": self.warmup[0]}
        entry["answers"] = {}
        for generator in args.generators:
            spec = {**asked, "generator": generator}
            entry["answers"][generator] = self.stage("answer", spec, f"answer-{generator}")
        if not args.no_naive:
            entry["naive"] = {}
            view = naive_view(self.files)
            if have := self.cached(naive_node_texts(view), naive=True):
                entry["naive_embeddings"] = "cached" if have.complete else "computed"
                for generator in args.generators:
                    spec = {**asked, "generator": generator, "corpus": str(view), "cache": cache}
                    entry["naive"][generator] = self.stage("naive", spec, f"naive-{generator}")
        if self.size in args.server_sizes and not args.no_server:
            self.server()
        return entry

    def retrieval_spec(self) -> Entry:
        return {
            "queries": self.questions[: self.args.retrieval_queries],
            "warmup": self.warmup,
            "modes": list(MODES),
            "repeats": self.args.retrieval_repeats,
        }

    def server(self) -> None:
        """The retrieval benchmark again with the vectors in a ``chroma run`` server, filled
        by ingest, from a copy of the data dir, out of the docstore's stored embeddings."""
        server_dir = self.args.data_root / f"n{self.size}-server"
        shutil.rmtree(server_dir, ignore_errors=True)
        (data := server_dir / "data").mkdir(parents=True)
        for name in ("RAG_DATA_DIR", "docstore.sqlite", "bm25"):
            if (source := self.data_dir / name).is_dir():
                shutil.copytree(source, data / name)
            elif source.exists():
                shutil.copy2(source, data / name)
        result: Entry = {}
        try:
            with chroma_server(server_dir / "chroma", server_dir / "chroma.log") as (url, pid):
                spec = {"data_dir": str(data), "chroma_url": url}
                corpus = {"corpus": str(self.files.articles_dir)}
                result["fill"] = self.stage("reingest", {**spec, **corpus}, "fill_server")
                result["retrieval"] = self.stage(
                    "retrieval", {**self.retrieval_spec(), **spec}, "retrieval-server"
                )
                result["server_peak_rss_mb"] = vm_hwm_mb(pid)
        except StageError as exc:
            self.entry["errors"]["server"] = str(exc)
        self.entry["server"] = result
        shutil.rmtree(server_dir, ignore_errors=True)


def load_results(path: Path) -> Entry:
    data: Entry = json.loads(path.read_text()) if path.exists() else {}
    return data if data.get("schema") == 1 else {"schema": 1, "runs": [], "sizes": {}}


def save_results(results: Entry, out: Path, report: bool = True) -> None:
    """Write bench.json (atomically) and, with ``report``, bench.md and the plots."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{RESULTS_FILE}.tmp"
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    os.replace(tmp, out / RESULTS_FILE)
    if not report:
        return
    try:
        write_report(results, out)
    except Exception:  # the JSON is saved; `python -m benchmarks.report` can retry
        print(f"could not write the report:\n{traceback.format_exc()}", flush=True)


def code_version() -> Entry:
    """The commit measured, and files that differed from it (a shared working tree)."""

    def git(*args: str) -> list[str]:
        try:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return []
        return done.stdout.splitlines() if done.returncode == 0 else []

    changed = git("diff", "--name-only", "HEAD", "--", "index/", "rag/", "benchmarks/", "evals/")
    return {"commit": "".join(git("rev-parse", "--short", "HEAD")), "uncommitted": changed}


def _sizes(text: str) -> list[int]:
    values = [int(x) for x in text.split(",")]  # a ValueError is argparse's "invalid value"
    if any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers: {text!r}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--sizes", type=_sizes, default=[1000, 10000, 100000])
    add("--generators", type=lambda text: text.split(","), default=["extractive", "bundled"])
    add("--questions", type=int, default=10, help="asked per generator")
    add("--retrieval-queries", type=int, default=100)
    add("--retrieval-repeats", type=int, default=3, help="runs per query; the fastest counts")
    add("--out", type=Path, default=DEFAULT_OUT)
    add("--seed", type=int, default=DEFAULT_SEED)
    add("--corpus-root", type=Path, default=DEFAULT_ROOT)
    add("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    add("--cache", type=Path, default=DEFAULT_CACHE)
    add("--models-dir", type=Path, default=DATA_DIR / "models")
    add("--uncached-upto", type=int, default=10_000, help="larger sizes read the cache")
    add("--allow-slow", action="store_true", help="embed what the cache lacks, not skip")
    add("--server-sizes", type=_sizes, default=None, help="default: every size")
    add("--raw-sample", type=int, default=128, help="texts for raw throughput")
    add("--no-naive", action="store_true")
    add("--no-server", action="store_true")
    args = parser.parse_args(argv)
    if args.server_sizes is None:
        args.server_sizes = list(args.sizes)
    if args.questions <= 0 or args.retrieval_queries <= 0:
        parser.error("--questions and --retrieval-queries must be positive")
    if not set(args.generators) <= set(GENERATORS):
        parser.error(f"--generators: any of {', '.join(GENERATORS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    claim_project_data_dir(args.cache, args.corpus_root, args.data_root)

    def log(message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)

    results = load_results(args.out / RESULTS_FILE)
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    run_info = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command.strip(),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "cpu_pressure_avg10": cpu_pressure(),
        },
        "code": code_version(),
        "niceness": os.nice(0),
        "sizes": args.sizes,
        "generators": args.generators,
    }
    results["runs"].append(run_info)
    for size in args.sizes:
        log(f"size {size}")

        def save(entry: Entry, size: int = size, report: bool = False) -> None:
            entry["run"] = len(results["runs"]) - 1
            results["sizes"][str(size)] = entry
            save_results(results, args.out, report)

        bench = SizeBench(size, args, log, save)
        try:
            bench.run()
        except Exception:  # record it, keep what was measured, go on with the next size
            bench.entry["errors"]["run"] = traceback.format_exc()
            log(f"  size {size} failed:\n{traceback.format_exc()}")
        save(bench.entry, report=True)
    run_info["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    save_results(results, args.out)
    log(f"wrote {args.out / RESULTS_FILE} and {args.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
