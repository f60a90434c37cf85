"""Benchmarks over generated corpora of growing size (``make bench``).

    .venv/bin/python -m benchmarks.run [--sizes 1000,10000,100000] \\
        [--generators extractive,bundled] [--questions 10] [--out benchmarks/results/bench]

Per corpus size (chunks), in one run:

* ingest throughput (chunks/s) next to the embedder's raw throughput (the embedder alone on an
  even sample of the same chunk texts, right before and after the ingest, the mean of both);
  "ingest's own work" is the ingest time minus the time inside the embedder; and the time to
  re-ingest the unchanged corpus;
* latency of ``Retriever.search`` for dense, BM25 and hybrid (``Settings.retrieval_mode``),
  each question run --retrieval-repeats times with the query cache emptied, its fastest run
  counting (the machine is shared), and the share of questions whose article is retrieved;
* per generator, ``Assistant.stream``'s time to the model's first token, to the first text
  shown (a sentence the citation check kept) and to the whole answer, and quality: the share
  of known answers found in the answer text (``evals.metrics.matched_groups``);
* the same questions through the ``naive`` llama-index baseline (evals/baselines.py; not
  streamed: its first token is its answer);
* peak RSS in MiB (VmHWM) of the ingest, the retrieval and a serving process
  (``Assistant.load`` + asks with the default bundled model), each stage in a child process
  of its own; the serving target's 2.5 GB is read as 2.5e9 bytes (2,384 MiB);
* at --server-sizes, the retrieval benchmark again through a ``chroma run`` server on
  127.0.0.1, filled by ``rag ingest`` from the docstore's stored embeddings.

p50/p95 are ``evals.metrics.percentiles`` (linear interpolation, as the eval reports); the
runs recorded up to commit a4b2754 used the nearest rank.

Embedding costs ~1 s per 14 chunks here, so sizes above --uncached-upto read their vectors
from the embedding cache (``python -m benchmarks.embed_cache --size N`` fills it, resumably);
a size whose vectors are not all cached is skipped with the command to run, unless
--allow-slow. Sizes up to --uncached-upto embed for real (that is the ingest throughput
figure) and write through to the cache.

Results (merged with earlier runs' other sizes) go to ``<out>/bench.json``, ``bench.md``
(with the targets table) and PNG plots.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_ROOT, DEFAULT_SEED, CorpusFiles, ensure_corpus
from benchmarks.embed_cache import (
    DATA_DIR,
    DEFAULT_CACHE,
    claim_project_data_dir,
    naive_node_texts,
    naive_view,
)
from benchmarks.stages import cpu_pressure, vm_hwm_mb
from index.embedding_cache import EmbeddingCache

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "bench"
DEFAULT_DATA_ROOT = DATA_DIR / "bench" / "data"
MODES = ("dense", "bm25", "hybrid")
RESULTS_FILE = "bench.json"

Log = Callable[[str], None]


class StageError(RuntimeError):
    """A child stage failed; the message holds the end of its log."""


# --- Child processes -------------------------------------------------------------------------


def run_stage(
    name: str, spec: dict[str, Any], work: Path, log: Log, label: str | None = None
) -> dict[str, Any]:
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
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.stages", name, str(spec_path), str(result_path)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        child.wait()
    seconds = time.perf_counter() - started
    if child.returncode != 0 or not result_path.exists():
        tail = log_path.read_text(errors="replace")[-3000:]
        raise StageError(f"stage {label} exited with {child.returncode}; log {log_path}:\n{tail}")
    result: dict[str, Any] = json.loads(result_path.read_text())
    # The child's own figure (stages.peak_rss_mb), not wait4's rusage, which would be at
    # least this process's peak at the time of the spawn.
    result["peak_rss_mb"] = result["rss_mb_self"]
    result["rss_source"] = "VmHWM"
    result["stage_wall_seconds"] = round(seconds, 1)
    result["cpu_pressure_after"] = cpu_pressure()
    log(f"  {label} done in {seconds:.0f} s (peak RSS {result['peak_rss_mb']:.0f} MB)")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(path: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """``chroma run`` on 127.0.0.1 and a free port (as tests/index/test_chroma_server.py)."""
    import httpx

    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
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
                try:
                    url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                    if httpx.get(url, timeout=2).is_success:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise StageError(f"no Chroma heartbeat on port {port} within 120 s")
                time.sleep(0.25)
            yield f"http://127.0.0.1:{port}", server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


# --- One size --------------------------------------------------------------------------------


def cache_command(size: int, naive: bool = False) -> str:
    return f"python -m benchmarks.embed_cache --size {size}" + (" --naive" if naive else "")


class SizeBench:
    """Every measurement of one corpus size; results accumulate in ``entry``."""

    def __init__(
        self,
        size: int,
        args: argparse.Namespace,
        log: Log,
        save: Callable[[dict[str, Any]], None] = lambda entry: None,
    ) -> None:
        self.size = size
        self.args = args
        self.log = log
        self.save = save
        self.files: CorpusFiles = ensure_corpus(size, args.seed, args.corpus_root, progress=log)
        self.questions = [
            {**q.__dict__, "answers": list(q.answers)} for q in self.files.questions()
        ]
        self.work = args.data_root / "runs" / f"n{size}"
        self.data_dir = args.data_root / f"n{size}"
        self.uncached = size <= args.uncached_upto
        self.cache = EmbeddingCache(args.cache, _embedder_id())
        self.entry: dict[str, Any] = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "corpus": {
                "path": str(self.files.root.relative_to(ROOT))
                if self.files.root.is_relative_to(ROOT)
                else str(self.files.root),
                "seed": self.files.seed,
                "articles": self.files.n_articles,
                "chunks": self.files.n_chunks,
            },
            "embeddings": "computed" if self.uncached else "cached",
            "errors": {},
        }

    @property
    def warmup(self) -> list[str]:
        return [q["question"] for q in self.questions[-3:]]

    def stage(
        self, name: str, spec: dict[str, Any], label: str | None = None
    ) -> dict[str, Any] | None:
        common = {"data_dir": str(self.data_dir), "models_dir": str(self.args.models_dir)}
        try:
            return run_stage(name, {**common, **spec}, self.work, self.log, label)
        except StageError as exc:
            self.entry["errors"][label or name] = str(exc)
            self.log(f"  {exc}")
            return None
        finally:
            self.save(self.entry)  # a later failure keeps what was measured

    def run(self) -> dict[str, Any]:
        entry, args = self.entry, self.args
        if not self.uncached:
            have = self.cache.coverage(self.files.chunk_texts())
            entry["cache_coverage"] = {"present": have.present, "total": have.total}
            if not have.complete and not args.allow_slow:
                entry["status"] = "skipped"
                entry["skip_reason"] = (
                    f"not measured: {have} for the {self.size}-chunk corpus; run "
                    f"`{cache_command(self.size)}` (resumable) or pass --allow-slow"
                )
                self.log(f"  {entry['skip_reason']}")
                return entry
        entry["status"] = "measured"
        shutil.rmtree(self.data_dir, ignore_errors=True)
        corpus = str(self.files.articles_dir)
        entry["ingest"] = self.stage(
            "ingest",
            {
                "corpus": corpus,
                "chunk_texts": str(self.files.chunk_texts_path),
                "cache": str(args.cache),
                "read_cache": not self.uncached,
                "write_cache": True,
                "raw_sample": args.raw_sample,
            },
        )
        if entry["ingest"] is None:
            return entry
        entry["reingest"] = self.stage("reingest", {"corpus": corpus})
        entry["retrieval"] = self.stage("retrieval", self.retrieval_spec())
        asked = self.questions[: args.questions]
        entry["answers"] = {}
        for generator in args.generators:
            spec = {"generator": generator, "questions": asked, "warmup": self.warmup[0]}
            entry["answers"][generator] = self.stage("answer", spec, f"answer-{generator}")
        if "bundled" not in args.generators and not args.no_serve:
            # The serving process: Assistant.load + a few asks with the default bundled model.
            spec = {"generator": "bundled", "questions": asked[:3], "warmup": self.warmup[0]}
            entry["serve"] = self.stage("answer", spec, "serve-bundled")
        if not args.no_naive:
            self.naive(asked)
        if self.size in args.server_sizes and not args.no_server:
            self.server()
        return entry

    def retrieval_spec(self, **extra: Any) -> dict[str, Any]:
        return {
            "queries": self.questions[: self.args.retrieval_queries],
            "warmup": self.warmup,
            "modes": list(MODES),
            "repeats": self.args.retrieval_repeats,
            **extra,
        }

    def naive(self, asked: list[dict[str, Any]]) -> None:
        entry, args = self.entry, self.args
        entry["naive"] = {}
        corpus = naive_view(self.files)
        texts = naive_node_texts(corpus)
        have = self.cache.coverage(texts)
        entry["naive_cache_coverage"] = {"present": have.present, "total": have.total}
        if not (self.uncached or have.complete or args.allow_slow):
            entry["naive_skip_reason"] = (
                f"naive not measured: {have} (its own nodes); run "
                f"`{cache_command(self.size, naive=True)}` or pass --allow-slow"
            )
            self.log(f"  {entry['naive_skip_reason']}")
            return
        entry["naive_embeddings"] = "cached" if have.complete else "computed"
        for generator in args.generators:
            spec = {
                "generator": generator,
                "questions": asked,
                "warmup": self.warmup[0],
                "corpus": str(corpus),
                "cache": str(args.cache),
            }
            entry["naive"][generator] = self.stage("naive", spec, f"naive-{generator}")

    def server(self) -> None:
        """The retrieval benchmark again with the vectors in a ``chroma run`` server."""
        entry = self.entry
        server_dir = self.args.data_root / f"n{self.size}-server"
        shutil.rmtree(server_dir, ignore_errors=True)
        (server_dir / "data").mkdir(parents=True)
        for name in ("RAG_DATA_DIR", "docstore.sqlite", "bm25"):
            source = self.data_dir / name
            if source.is_dir():
                shutil.copytree(source, server_dir / "data" / name)
            elif source.exists():
                shutil.copy2(source, server_dir / "data" / name)
        result: dict[str, Any] = {}
        try:
            with chroma_server(server_dir / "chroma", server_dir / "chroma.log") as (url, pid):
                spec = {"data_dir": str(server_dir / "data"), "chroma_url": url}
                corpus = str(self.files.articles_dir)
                result["fill"] = self.stage("fill_server", {**spec, "corpus": corpus})
                result["retrieval"] = self.stage(
                    "retrieval", {**self.retrieval_spec(), **spec}, "retrieval-server"
                )
                result["server_peak_rss_mb"] = vm_hwm_mb(pid)
        except StageError as exc:
            entry["errors"]["server"] = str(exc)
        entry["server"] = result
        if not self.args.keep_data:
            shutil.rmtree(server_dir, ignore_errors=True)


def _embedder_id() -> str:
    from index.settings import IndexSettings

    return IndexSettings().embedder_id


# --- Results ---------------------------------------------------------------------------------


def load_results(path: Path) -> dict[str, Any]:
    if path.exists():
        data: dict[str, Any] = json.loads(path.read_text())
        if data.get("schema") == 1:
            return data
    return {"schema": 1, "runs": [], "sizes": {}}


def save_results(results: dict[str, Any], out: Path, report: bool = True) -> None:
    """Write bench.json (atomically) and, with ``report``, bench.md and the plots."""
    from benchmarks.report import write_report

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


def code_version() -> dict[str, Any]:
    """The commit measured, and files that differed from it (a shared working tree)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        # rstrip: porcelain lines start with a space (" M path"), which strip() ate on line 1
        return done.stdout.rstrip() if done.returncode == 0 else ""

    changed = [
        line[3:]
        for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        if line[3:].startswith(("index/", "rag/", "benchmarks/", "evals/"))
    ]
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted": changed}


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpu_pressure_avg10": cpu_pressure(),
    }


# --- Command line ----------------------------------------------------------------------------


def _ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers: {text!r}") from exc
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers: {text!r}")
    return values


def _generators(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [n for n in names if n not in ("extractive", "bundled", "openai")]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"generators are extractive, bundled, openai: {text!r}")
    return names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=_ints, default=[1000, 10000, 100000])
    parser.add_argument("--generators", type=_generators, default=["extractive", "bundled"])
    parser.add_argument("--questions", type=int, default=10, help="asked per generator")
    parser.add_argument("--retrieval-queries", type=int, default=100)
    parser.add_argument(
        "--retrieval-repeats", type=int, default=3, help="runs per query; the fastest counts"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--models-dir", type=Path, default=DATA_DIR / "models")
    parser.add_argument(
        "--uncached-upto",
        type=int,
        default=10_000,
        help="sizes up to this embed for real (ingest throughput); larger ones read the cache",
    )
    parser.add_argument(
        "--allow-slow", action="store_true", help="embed what the cache lacks instead of skipping"
    )
    parser.add_argument("--server-sizes", type=_ints, default=None, help="default: every size")
    parser.add_argument("--raw-sample", type=int, default=128, help="texts for raw throughput")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument(
        "--no-serve", action="store_true", help="skip the bundled serving process (RSS)"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the server's copy")
    args = parser.parse_args(argv)
    if args.server_sizes is None:
        args.server_sizes = list(args.sizes)
    if args.questions <= 0 or args.retrieval_queries <= 0:
        parser.error("--questions and --retrieval-queries must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    claim_project_data_dir(args.cache, args.corpus_root, args.data_root)
    args.out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)

    results = load_results(args.out / RESULTS_FILE)
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    run_info = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command.strip(),
        "machine": machine(),
        "code": code_version(),
        "niceness": os.nice(0),
        "sizes": args.sizes,
        "generators": args.generators,
    }
    results["runs"].append(run_info)
    for size in args.sizes:
        log(f"size {size}")

        def save(entry: dict[str, Any], size: int = size, report: bool = False) -> None:
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
