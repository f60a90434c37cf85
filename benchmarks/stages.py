"""One measurement of ``benchmarks.run``, run in a child process of its own.

    .venv/bin/python -m benchmarks.stages STAGE SPEC.json RESULT.json

Each stage reads its spec, measures and writes its result as JSON. A fresh process per stage
keeps one stage's memory (and caches) out of the next one's figures: each reports its own
peak RSS, and at a few checkpoints (after loading, after warm-up) what it had reached.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, cast

Spec = dict[str, Any]
Result = dict[str, Any]
Asked = tuple[Any, float | None, float]  # the answer, seconds to its first text (if any), all
RETRIEVAL_PARTS = ("embed_ms", "dense_ms", "bm25_ms")  # timed inside Retriever.search
ANSWER_PARTS = ("retrieve_ms", "evidence_ms", "generate_ms")  # timed inside Assistant.stream


def peak_rss_mb() -> float:
    """This process's own peak RSS so far, in MiB: VmHWM where Linux has it.

    Not ``getrusage``: Linux carries the parent's high-water mark over (v)fork + exec into
    ru_maxrss, so a stage started by a parent holding 700 MiB reported at least that.
    """
    own, rusage = vm_hwm_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own if own is not None else round(rusage / 1024, 1)


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    """A process's peak resident set size (VmHWM, Linux) in MiB; None where there is none."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def cpu_pressure() -> float | None:
    """Linux PSI: % of the last 10 s some runnable task waited for a CPU (other load)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return float(dict(item.split("=") for item in line.split()[1:])["avg10"])


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def summarize(values: list[float]) -> dict[str, float]:
    """p50, p95 (``evals.metrics.percentiles``, as every report here), mean and count."""
    if not values:
        return {"n": 0}
    from evals.metrics import percentiles

    return {
        **{k: round(v, 2) for k, v in percentiles(values).items()},
        "mean": round(statistics.fmean(values), 2),
        "n": len(values),
    }


def timed_stream(assistant: Any, question: str) -> Asked:
    """``Assistant.stream``: the final answer, when its first text was shown, and the whole."""
    from rag import Answer

    started, first, final = time.perf_counter(), None, None
    for item in assistant.stream(question):
        if isinstance(item, Answer):
            final = item
        elif first is None and item:
            first = time.perf_counter() - started
    assert final is not None
    return final, first, time.perf_counter() - started


def _settings(spec: Spec, **overrides: Any) -> Any:
    from rag import Settings

    values: dict[str, Any] = {"data_dir": Path(spec["data_dir"]), "generator": "extractive"}
    values.update({key: spec[key] for key in ("chroma_url", "models_dir") if spec.get(key)})
    return Settings(**{**values, **overrides})


def _caching_embedder(settings: Any, spec: Spec, read: bool = True) -> Any:
    """The configured embedder behind the benchmark's embedding cache (writing through)."""
    from index.embedders import make_embedder
    from index.embedding_cache import CachingEmbedding, EmbeddingCache

    real = make_embedder(settings)
    return CachingEmbedding(real, EmbeddingCache(Path(spec["cache"]), real.embedder_id), read=read)


def _raw_throughput(embedder: Any, texts: list[str]) -> dict[str, Any]:
    """The embedder alone on these texts, as ingest calls it (one batch call)."""
    started, cpu = time.perf_counter(), time.process_time()
    embedder.get_text_embedding_batch(texts)
    seconds = time.perf_counter() - started
    return {
        "texts": len(texts),
        "cpu_pressure_avg10": cpu_pressure(),
        "seconds": round(seconds, 3),
        "chunks_per_s": round(len(texts) / seconds, 2),
        "cpu_per_wall": round((time.process_time() - cpu) / seconds, 2),
    }


def stage_ingest(spec: Spec) -> Result:
    """Ingest the corpus into a fresh data dir, embedding it or reading the cache; the
    embedder's raw throughput on a sample of the same chunk texts before and after."""
    from index import Embedder, Stores
    from index.ingest import ingest

    settings = _settings(spec)
    caching = _caching_embedder(settings, spec, read=spec["read_cache"])
    real = caching.inner
    texts = [json.loads(line) for line in Path(spec["chunk_texts"]).read_text("utf-8").splitlines()]
    n = int(spec.get("raw_sample", 128))
    sample = [texts[int(i * len(texts) / n)] for i in range(n)] if n < len(texts) else texts
    result: Result = {"rss_mb_after_load": peak_rss_mb()}
    measure_raw = not spec["read_cache"] and n > 0
    if measure_raw:
        real.get_text_embedding_batch(sample[:4])  # warm-up: page the weights in
        result["raw_before"] = _raw_throughput(real, sample)
    # Duck-typed: same embedder_id and dim as the real one, which is all the stores ask.
    stores = Stores.open(settings, embedder=cast(Embedder, caching))
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest(stores, [Path(spec["corpus"])])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    caching.cache.flush()
    chunks = stores.docstore.count_chunks()
    result.update(
        documents=len(report.added),
        skipped=[str(s) for s in report.skipped],
        chunks=chunks,
        seconds=round(seconds, 3),
        chunks_per_s=round(chunks / seconds, 2),
        embedded=report.embedded_chunks,
        cache_hits=caching.hits,
        cache_misses=caching.misses,
        cpu_seconds=round(cpu_seconds, 3),
        embed_seconds=round(caching.embed_seconds, 3),
        other_seconds=round(seconds - caching.embed_seconds, 3),
        rss_mb_after_ingest=peak_rss_mb(),
    )
    if measure_raw:
        raw = [result["raw_before"], _raw_throughput(real, sample)]
        result["raw_after"] = raw[1]
        result["raw_chunks_per_s"] = round(statistics.fmean(r["chunks_per_s"] for r in raw), 2)
        result["ratio"] = round(result["chunks_per_s"] / result["raw_chunks_per_s"], 3)
        # The embedder's rate counting only its time inside ingest: how much of the gap is
        # ingest's own work, and how much the machine being busier or calmer.
        result["embed_chunks_per_s_in_ingest"] = round(
            caching.misses / max(caching.embed_seconds, 1e-9), 2
        )
        # CPU seconds per chunk, raw vs ingest (all threads): far less sensitive than wall
        # time to what other processes do with the cores.
        raw_cpu = [r["seconds"] * r["cpu_per_wall"] / r["texts"] for r in raw]
        result["raw_cpu_s_per_chunk"] = round(statistics.fmean(raw_cpu), 4)
        result["ingest_cpu_s_per_chunk"] = round(cpu_seconds / max(chunks, 1), 4)
        result["cpu_ratio"] = round(
            result["raw_cpu_s_per_chunk"] / max(result["ingest_cpu_s_per_chunk"], 1e-9), 3
        )
    started = time.perf_counter()
    again = ingest(stores, [Path(spec["corpus"])])
    result["warm_reingest_seconds"] = round(time.perf_counter() - started, 3)
    result["warm_reingest_embedded"] = again.embedded_chunks
    stores.close()
    return result


def stage_reingest(spec: Spec) -> Result:
    """Open the stores and ingest the corpus again, from a new process, as ``rag ingest``
    would: the unchanged corpus, or a copy of the data dir pointed at an empty Chroma
    server, which ingest fills from the docstore's embeddings."""
    from index import Stores
    from index.ingest import ingest

    started = time.perf_counter()
    stores = Stores.open(_settings(spec))
    opened = time.perf_counter()
    report = ingest(stores, [Path(spec["corpus"])])
    done = time.perf_counter()
    result = {
        "seconds": round(done - started, 3),
        "open_seconds": round(opened - started, 3),
        "ingest_seconds": round(done - opened, 3),
        "unchanged": len(report.unchanged),
        "changed": report.changed,
        "repaired": report.repaired,
        "embedded": report.embedded_chunks,
        "vectors": stores.vectors.count(),
    }
    stores.close()
    return result


def stage_retrieval(spec: Spec) -> Result:
    """Latency and hit rate of ``Retriever.search`` per mode: each query counts with its fastest
    of ``repeats`` runs (the machine is shared: slower runs measure other load); ``all_ms``: all."""
    from index import Stores
    from rag import Retriever

    base = _settings(spec)
    started = time.perf_counter()
    stores = Stores.open(base)
    queries: list[dict[str, str]] = spec["queries"]
    repeats = max(1, int(spec.get("repeats", 3)))
    result: Result = {"modes": {}, "queries": len(queries), "repeats": repeats}
    for mode in spec["modes"]:
        settings = base.model_copy(update={"retrieval_mode": mode})
        retriever = Retriever(stores, settings)
        for text in spec["warmup"]:
            retriever.search(text)
        if "cold_start_seconds" not in result:
            result["cold_start_seconds"] = round(time.perf_counter() - started, 3)
            result["rss_mb_after_warmup"] = peak_rss_mb()
        best: list[dict[str, float]] = []
        every: list[float] = []
        by_language: dict[str, list[int]] = {}  # language -> [questions, in top k, first]
        pressure: list[float] = []  # other load on the CPUs, sampled after each query
        for query in queries:
            runs = []
            for _ in range(repeats):
                # an empty query-vector cache, so that a repeat embeds the query again
                if (cache := getattr(retriever, "_query_cache", None)) is not None:
                    cache.clear()
                found = retriever.search(query["question"])
                runs.append(found.timings)
            every += [r["retrieve_ms"] for r in runs]
            best.append(min(runs, key=lambda r: r["retrieve_ms"]))
            doc_ids = [p.doc_id for p in found.passages]
            counts = by_language.setdefault(query.get("language", "?"), [0, 0, 0])
            counts[0] += 1
            counts[1] += query["doc_id"] in doc_ids
            counts[2] += bool(doc_ids) and doc_ids[0] == query["doc_id"]
            if (sample := cpu_pressure()) is not None:
                pressure.append(sample)
        hit_k = f"hit@{settings.top_k}"
        hits, firsts = (sum(c[i] for c in by_language.values()) for i in (1, 2))
        result["modes"][mode] = {
            "retrieve_ms": summarize([r["retrieve_ms"] for r in best]),
            **{key: summarize([r.get(key, 0.0) for r in best]) for key in RETRIEVAL_PARTS},
            "all_ms": summarize(every),
            hit_k: round(hits / len(queries), 3),
            "hit@1": round(firsts / len(queries), 3),
            "by_language": {
                language: {"queries": n, hit_k: round(k / n, 3), "hit@1": round(one / n, 3)}
                for language, (n, k, one) in sorted(by_language.items())
            },
            "cpu_pressure_avg10": round(statistics.fmean(pressure), 1) if pressure else None,
        }
    stores.close()
    return result


def stage_answer(spec: Spec) -> Result:
    """``Assistant.stream`` per question: time to first token and text, whole answer, found."""
    from rag import Assistant

    started = time.perf_counter()
    assistant = Assistant.load(_settings(spec, generator=spec["generator"]))
    result: Result = {"load_seconds": round(time.perf_counter() - started, 3)}
    result["rss_mb_after_load"] = peak_rss_mb()
    return _ask_all(result, spec, lambda question: timed_stream(assistant, question))


def stage_naive(spec: Spec) -> Result:
    """The same questions through the ``naive`` llama-index baseline (evals/baselines.py)."""
    from evals.baselines import NaiveSystem

    settings = _settings(spec, generator=spec["generator"], seeds_dir=Path(spec["corpus"]))
    caching = _caching_embedder(settings, spec)
    started = time.perf_counter()
    try:
        system = NaiveSystem(settings, caching, settings.generator)
    finally:
        caching.cache.flush()
    result: Result = {
        "build_seconds": round(time.perf_counter() - started, 3),
        "nodes": len(system.index.docstore.docs),
        "cache_hits": caching.hits,
        "cache_misses": caching.misses,
        "embed_seconds": round(caching.embed_seconds, 3),
        "rss_mb_after_build": peak_rss_mb(),
    }

    def ask(question: str) -> Asked:  # not streamed: its first text is its whole answer
        t0 = time.perf_counter()
        return system.ask(question, []), None, time.perf_counter() - t0

    return _ask_all(result, spec, ask)


def _ask_all(result: Result, spec: Spec, ask: Callable[[str], Asked]) -> Result:
    """The warm-up question (loads the model, fills the vocabulary cache), then each question
    of the spec: known answer found, article retrieved, refused, and when."""
    from evals.metrics import matched_groups

    warm = time.perf_counter()
    ask(spec["warmup"])
    result["warmup_seconds"] = round(time.perf_counter() - warm, 3)
    result["rss_mb_after_warmup"] = peak_rss_mb()
    rows = []
    for question in spec["questions"]:
        answer, first, total = ask(question["question"])
        shown_ms = round((total if first is None else first) * 1000, 1)
        rows.append(
            {
                "id": question["id"],
                "language": question["language"],
                "refused": answer.refused,
                "found": all(matched_groups(answer.text, [question["answers"]])),
                "retrieved_doc": question["doc_id"] in {p.doc_id for p in answer.retrieved},
                # what the asker sees first (a checked sentence: rag/checked_stream.py), and
                # the model's first token (an answer without a model, or not streamed: the same)
                "first_text_ms": shown_ms,
                "first_token_ms": answer.timings.get("first_token_ms", shown_ms),
                "total_ms": round(total * 1000, 1),
                "timings": answer.timings,
                "text": answer.text[:2000],
            }
        )
    n, timings = max(len(rows), 1), [r["timings"] for r in rows]
    result.update(
        questions=len(rows),
        quality=round(sum(r["found"] for r in rows) / n, 3),
        retrieved_doc=round(sum(r["retrieved_doc"] for r in rows) / n, 3),
        refused=round(sum(r["refused"] for r in rows) / n, 3),
        **{
            k: summarize([r[k] for r in rows])
            for k in ("total_ms", "first_token_ms", "first_text_ms")
        },
        **{k: summarize([float(t[k]) for t in timings if k in t]) for k in ANSWER_PARTS},
        rows=rows,
        rss_mb_end=peak_rss_mb(),
    )
    return result


STAGES: dict[str, Callable[[Spec], Result]] = {
    "ingest": stage_ingest,
    "reingest": stage_reingest,
    "retrieval": stage_retrieval,
    "answer": stage_answer,
    "naive": stage_naive,
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] not in STAGES:
        print(f"usage: python -m benchmarks.stages {{{','.join(STAGES)}}} SPEC RESULT")
        return 2
    name, spec_path, result_path = args
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    result = STAGES[name](json.loads(Path(spec_path).read_text()))
    result["rss_mb_self"] = peak_rss_mb()
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
