"""``bench.md`` and PNG plots from ``bench.json`` (written by ``benchmarks.run``).

    .venv/bin/python -m benchmarks.report [benchmarks/results/bench]

Figures and targets only: every number comes from the JSON, and a size or system that was
not measured says why instead of showing a number. What each figure measures is said in
``benchmarks.run``'s docstring; what to make of them, in the README and docs/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.stages import ANSWER_PARTS, RETRIEVAL_PARTS

TARGETS = {
    "hybrid_p50_ms": 50.0,
    "ingest_ratio": 0.8,
    "reingest_seconds": 5.0,
    # "2.5 GB" read strictly (decimal, 2.5e9 bytes); RSS figures here are MiB
    "serving_rss_mb": 2.5e9 / 2**20,
}

Entry = dict[str, Any]


def _sizes(results: Entry) -> list[tuple[int, Entry]]:
    return sorted((int(k), v) for k, v in results.get("sizes", {}).items())


def _measured(results: Entry) -> list[tuple[int, Entry]]:
    return [(n, e) for n, e in _sizes(results) if e.get("status") == "measured"]


def _f(value: Any, digits: int = 0, scale: float = 1.0) -> str:
    return "–" if value is None else f"{float(value) * scale:,.{digits}f}"


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.0f}%"


def _stat(stats: Entry | None, key: str = "p50", scale: float = 1.0, digits: int = 0) -> str:
    return _f(stats[key], digits, scale) if stats and key in stats else "–"


def _p50_p95(stats: Entry | None, scale: float = 1.0, digits: int = 1) -> str:
    return f"{_stat(stats, 'p50', scale, digits)} / {_stat(stats, 'p95', scale, digits)}"


def _modes(e: Entry) -> Entry:
    """The retrieval figures per mode of a size's entry (or of its ``server`` part)."""
    return (e.get("retrieval") or {}).get("modes") or {}


def _section(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    lines = [f"## {title}", "", "| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def _runs(results: Entry) -> list[str]:
    lines = ["## Runs", ""]
    for i, run in enumerate(results.get("runs", [])):
        m, code = run.get("machine", {}), run.get("code", {})
        load = ", ".join(str(x) for x in m.get("load_average", []))
        changed = code.get("uncommitted") or []
        lines.append(
            f"{i}. `{run['command']}` (nice {run.get('niceness', '?')}) started {run['started']}"
            f"{', finished ' + run['finished'] if run.get('finished') else ' (unfinished)'}; "
            f"commit {code.get('commit', '?')}"
            + (f" plus uncommitted changes to {', '.join(changed)}" if changed else "")
            + f"; {m.get('cpus')} CPUs, load average at start {load}, CPU pressure (PSI "
            f"avg10) {m.get('cpu_pressure_avg10')}%"
        )
    return [*lines, ""]


def _corpora(results: Entry) -> list[str]:
    rows, notes = [], []
    for size, e in _sizes(results):
        c = e.get("corpus", {})
        if e.get("status") == "skipped":
            notes.append(f"- **{size}**: {e['skip_reason']}")
        embeddings = {
            "computed": "embedded by this run (uncached)",
            "cached": "read from the embedding cache",
        }.get(e.get("embeddings", ""), "?")
        measured = f"run {e.get('run', '?')}, {e.get('measured_at', '?')}"
        rows.append(
            [str(size), _f(c.get("articles")), _f(c.get("chunks")), embeddings,
             e.get("status", "?"), measured]
        )  # fmt: skip
    header = ["size", "articles", "chunks", "embeddings", "status", "measured"]
    return [*_section("Corpora", header, rows), *notes, *([""] if notes else [])]


def _ingest(results: Entry) -> list[str]:
    rows = [
        [
            str(size), _f(i.get("chunks")), e.get("embeddings", "?"), _f(i.get("seconds"), 1),
            _f(i.get("chunks_per_s"), 1), _f(i.get("raw_chunks_per_s"), 2),
            _f(i.get("embed_chunks_per_s_in_ingest"), 2), _pct(i.get("ratio")),
            _f(i.get("embed_seconds"), 1), _f(i.get("other_seconds"), 1),
            _f((e.get("reingest") or {}).get("seconds"), 2), _f(i.get("warm_reingest_seconds"), 2),
            _f(i.get("peak_rss_mb")),
        ]
        for size, e in _measured(results)
        if (i := e.get("ingest"))
    ]  # fmt: skip
    header = [
        "size", "chunks", "embeddings", "ingest s", "ingest chunks/s",
        "raw embedder chunks/s (before and after, mean)", "embedder inside ingest chunks/s",
        "ingest / raw", "of which embedding s", "ingest's own work s",
        "re-ingest unchanged, new process s", "re-ingest, same process s", "ingest peak RSS MiB",
    ]  # fmt: skip
    return _section("Ingest", header, rows)


def _retrieval(results: Entry) -> list[str]:
    rows = []
    for size, e in _measured(results):
        for mode, m in _modes(e).items():
            languages = m.get("by_language") or {}
            first = " / ".join(_pct(languages.get(lang, {}).get("hit@1")) for lang in ("id", "en"))
            hit_key = next((k for k in m if k.startswith("hit@") and k != "hit@1"), None)
            rows.append(
                [
                    str(size), mode, _stat(m["retrieve_ms"], "p50", digits=1),
                    _stat(m["retrieve_ms"], "p95", digits=1),
                    *(_stat(m.get(p), "p50", digits=1) for p in RETRIEVAL_PARTS),
                    _pct(m.get(hit_key)) if hit_key else "–", _pct(m.get("hit@1")),
                    first if languages else "–", _p50_p95(m.get("all_ms")),
                    str(m["retrieve_ms"].get("n", "–")),
                ]
            )  # fmt: skip
    header = [
        "size", "mode", "p50 ms (fastest run)", "p95 ms (fastest run)", "query embedding p50",
        "Chroma p50", "BM25 p50", "article in top 6", "article first", "first: id / en",
        "all runs p50 / p95 ms", "queries",
    ]  # fmt: skip
    return _section("Retrieval (local Chroma)", header, rows)


def _server(results: Entry) -> list[str]:
    rows = []
    for size, e in _measured(results):
        server = e.get("server") or {}
        for mode, rm in _modes(server).items():
            lm = _modes(e).get(mode, {})
            rows.append(
                [
                    str(size), mode, _p50_p95(lm.get("retrieve_ms")),
                    _p50_p95(rm.get("retrieve_ms")),
                    " / ".join(_stat(m.get("dense_ms"), digits=1) for m in (lm, rm)),
                    _f((server.get("fill") or {}).get("seconds"), 1),
                    _f(server.get("server_peak_rss_mb")),
                    _f((server.get("retrieval") or {}).get("peak_rss_mb")),
                ]
            )  # fmt: skip
    header = [
        "size", "mode", "local p50 / p95 ms", "server p50 / p95 ms",
        "Chroma part p50 local / server ms", "filling the server from the docstore s",
        "server peak RSS MiB", "client peak RSS MiB",
    ]  # fmt: skip
    return _section("Chroma server on 127.0.0.1 (client/server cost)", header, rows)


def _answers(results: Entry) -> list[str]:
    rows = []
    for size, e in _measured(results):
        for generator, ours in (e.get("answers") or {}).items():
            naive = (e.get("naive") or {}).get(generator)
            for system, r in (("ours", ours), ("naive", naive)):
                if not r:
                    reason = e.get("naive_skip_reason") if system == "naive" else None
                    failed = e.get("errors", {}).get(f"{system}-{generator}")
                    note = reason or ("failed: see bench.json" if failed else "not run")
                    rows.append([str(size), generator, system, note, *["–"] * 8])
                    continue
                parts = " / ".join(_stat(r.get(k)) for k in ANSWER_PARTS)
                rows.append(
                    [
                        str(size), generator, system, str(r["questions"]),
                        _p50_p95(r["first_token_ms"], 1e-3, 2),
                        _p50_p95(r.get("first_text_ms"), 1e-3, 2),
                        _p50_p95(r["total_ms"], 1e-3, 2), parts, _pct(r["quality"]),
                        _pct(r["retrieved_doc"]), _pct(r["refused"]), _f(r.get("peak_rss_mb")),
                    ]
                )  # fmt: skip
    header = [
        "size", "generator", "system", "questions", "first token p50 / p95 s",
        "first text p50 / p95 s", "answer p50 / p95 s", "retrieval / evidence / generation p50 ms",
        "known answer found", "article retrieved", "refused", "peak RSS MiB",
    ]  # fmt: skip
    return _section("Answers", header, rows)  # ours / naive: in the targets


def _memory(results: Entry) -> list[str]:
    rows = []
    for size, e in _measured(results):
        serve = (e.get("answers") or {}).get("bundled") or {}
        stages = [s for s in (e.get("ingest"), e.get("retrieval"), serve) if s]
        how = "own (VmHWM)" if any(s.get("rss_source") for s in stages) else "rusage, floored"
        rows.append(
            [
                str(size), _f((e.get("ingest") or {}).get("peak_rss_mb")),
                _f((e.get("retrieval") or {}).get("peak_rss_mb")),
                _f(serve.get("rss_mb_after_load")), _f(serve.get("rss_mb_after_warmup")),
                _f(serve.get("peak_rss_mb")), f"run {e.get('run', '?')}: {how}",
            ]
        )  # fmt: skip
    header = [
        "size", "ingest", "retrieval only", "serving: after Assistant.load",
        "after the first answer (model loaded)", "serving peak", "measured as",
    ]  # fmt: skip
    return _section("Peak RSS (MiB)", header, rows)


def _targets(results: Entry) -> list[str]:
    """Each target with the measured figure and whether it is met."""
    measured = dict(_measured(results))

    def row(name: str, figure: str, met: bool | None) -> list[str]:
        return [name, figure, "–" if met is None else "yes" if met else "**no**"]

    name = "hybrid retrieval p50 ≤ 50 ms at 100k chunks"
    hybrids = [
        (n, h["retrieve_ms"]["p50"]) for n, e in measured.items() if (h := _modes(e).get("hybrid"))
    ]
    largest, p50 = hybrids[-1] if hybrids else (None, 0.0)
    if largest == 100_000:
        rows = [row(name, f"{p50:.1f} ms", p50 <= TARGETS["hybrid_p50_ms"])]
    else:
        reason = (dict(_sizes(results)).get(100_000) or {}).get("skip_reason", "100k not run")
        at = f"; at {largest}: {p50:.1f} ms" if hybrids else ""
        rows = [[name, f"not measured ({reason}){at}", "not measured"]]
    rows += [
        row(
            f"ingest ≥ 80% of the embedder's raw throughput ({size} chunks)",
            f"{i['chunks_per_s']:.1f} vs {i['raw_chunks_per_s']:.1f} chunks/s = {_pct(i['ratio'])}",
            i["ratio"] >= TARGETS["ingest_ratio"],
        )
        for size, e in measured.items()
        if (i := e.get("ingest") or {}).get("ratio") is not None
    ]
    name = "re-ingest of the unchanged 10k corpus ≤ 5 s"
    if r := (measured.get(10_000) or {}).get("reingest"):
        figure = (
            f"{r['seconds']:.2f} s (open {r['open_seconds']:.2f} + ingest "
            f"{r['ingest_seconds']:.2f}; new process)"
        )
        rows.append(row(name, figure, r["seconds"] <= TARGETS["reingest_seconds"]))
    else:
        rows.append(row(name, "not measured", None))
    for size, e in measured.items():
        for generator, ours in (e.get("answers") or {}).items():
            naive = (e.get("naive") or {}).get(generator)
            name = f"answers faster than naive at higher quality ({generator}, {size} chunks)"
            if ours and not naive:
                why = e.get("naive_skip_reason") or (
                    "naive failed: see bench.json" if "naive" in e else "naive not run (--no-naive)"
                )
                rows.append([name, why, "not measured"])
            elif ours and naive:
                ratio = ours["total_ms"]["p50"] / naive["total_ms"]["p50"]
                figure = (
                    f"p50 {ours['total_ms']['p50'] / 1000:.2f} vs "
                    f"{naive['total_ms']['p50'] / 1000:.2f} s (×{ratio:.2f}); found "
                    f"{_pct(ours['quality'])} vs {_pct(naive['quality'])}"
                )
                rows.append(row(name, figure, ratio < 1.0 and ours["quality"] >= naive["quality"]))
    name = "peak RSS of the chat with the default model ≤ 2.5 GB"
    serving = [
        (n, s, e.get("run", "?"))
        for n, e in measured.items()
        if (s := (e.get("answers") or {}).get("bundled"))
    ]
    if serving:
        size, worst, _ = max(serving, key=lambda item: item[1]["peak_rss_mb"])
        each = ", ".join(f"{n}: {s['peak_rss_mb']:.0f} MiB in run {r}" for n, s, r in serving)
        figure = f"{worst['peak_rss_mb'] * 2**20 / 1e9:.2f} GB (largest, at {size} chunks; {each})"
        rows.append(row(name, figure, worst["peak_rss_mb"] <= TARGETS["serving_rss_mb"]))
    else:
        rows.append(row(name, "not measured", None))
    return _section("Targets", ["target", "measured", "met?"], rows)


def plot_all(results: Entry, out: Path) -> list[str]:
    """Latency and throughput against corpus size, log-log; returns the file names."""
    from matplotlib.figure import Figure

    measured = _measured(results)
    if not measured:
        return []

    def series(pick: Any) -> tuple[list[float], list[Any]]:
        """(chunks, value) of every measured size where ``pick(entry)`` gives a value."""
        points = [
            (float(e.get("corpus", {}).get("chunks") or n), v)
            for n, e in measured
            if (v := pick(e))
        ]
        return [x for x, _ in points], [v for _, v in points]

    def answered(r: Entry | None) -> Entry | None:
        return r if r and r.get("total_ms", {}).get("p50") else None

    fig = Figure(figsize=(7.5, 4.8))
    ax = fig.subplots()
    for mode in ("dense", "bm25", "hybrid"):
        xs, ms = series(lambda e, mode=mode: _modes(e).get(mode))
        if xs:
            line = ax.plot(xs, [m["retrieve_ms"]["p50"] for m in ms], "o-", label=f"{mode} p50")
            p95 = [m["retrieve_ms"]["p95"] for m in ms]
            ax.plot(xs, p95, "--", color=line[0].get_color(), alpha=0.6, label=f"{mode} p95")
    xs, ms = series(lambda e: _modes(e.get("server") or {}).get("hybrid"))
    if xs:
        p50 = [m["retrieve_ms"]["p50"] for m in ms]
        ax.plot(xs, p50, "s", markersize=9, label="hybrid p50, Chroma server")
    ax.axhline(TARGETS["hybrid_p50_ms"], color="grey", linestyle=":", label="target 50 ms")
    _axes(ax, "retrieval latency (ms)", "Retrieval latency vs corpus size")
    written = [_save(fig, out / "retrieval_latency.png")]

    fig = Figure(figsize=(7.5, 4.8))
    ax = fig.subplots()
    for generator in sorted({g for _, e in measured for g in (e.get("answers") or {})}):
        for system, key, style in (("ours", "answers", "o-"), ("naive", "naive", "x--")):
            xs, rs = series(lambda e, k=key, g=generator: answered((e.get(k) or {}).get(g)))
            if xs:
                total = [r["total_ms"]["p50"] for r in rs]
                ax.plot(xs, total, style, label=f"{system}, {generator}: answer p50")
        xs, rs = series(lambda e, g=generator: (e.get("answers") or {}).get(g))
        if xs and generator != "extractive":
            first = [r["first_token_ms"]["p50"] for r in rs]
            ax.plot(xs, first, "^:", label=f"ours, {generator}: first token p50")
    _axes(ax, "latency (ms)", "Answer latency vs corpus size")
    written.append(_save(fig, out / "answer_latency.png"))

    fig = Figure(figsize=(11, 4.5))
    left, right = fig.subplots(1, 2)
    # the ingests that measured the embedder's raw throughput
    xs, ingests = series(lambda e: (e.get("ingest") or {}).get("raw_chunks_per_s") and e["ingest"])
    if xs:
        left.plot(xs, [i["chunks_per_s"] for i in ingests], "o-", label="ingest")
        left.plot(xs, [i["raw_chunks_per_s"] for i in ingests], "s--", label="embedder raw")
    xs, ingests = series(lambda e: e.get("ingest"))
    own = [i["chunks"] / max(i["other_seconds"], 1e-3) for i in ingests]
    left.plot(xs, own, "^:", label="ingest's own work (excl. embedding)")
    _axes(left, "chunks/s", "Ingest throughput")
    xs, reingests = series(lambda e: e.get("reingest"))
    if xs:
        seconds = [r["seconds"] for r in reingests]
        right.plot(xs, seconds, "o-", label="re-ingest unchanged (new process)")
    right.axhline(TARGETS["reingest_seconds"], color="grey", linestyle=":", label="target 5 s")
    _axes(right, "seconds", "Re-ingest of an unchanged corpus")
    return [*written, _save(fig, out / "ingest.png")]


def _save(fig: Any, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path.name


def _axes(ax: Any, ylabel: str, title: str) -> None:
    """Log axes when there are points to scale (a partial run may have none yet)."""
    if any(
        x > 0 and y > 0
        for line in ax.get_lines()
        if not line.get_label().startswith("target")  # the target lines span the axes
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ):
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel("corpus size (chunks)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    if any(not line.get_label().startswith("_") for line in ax.get_lines()):
        ax.legend(fontsize="small")


def write_report(results: Entry, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    plots = plot_all(results, out)
    errors = [
        f"- {size}, {stage}: {message.splitlines()[0]}"
        for size, e in _sizes(results)
        for stage, message in (e.get("errors") or {}).items()
    ]
    lines = [
        "# Benchmarks on generated corpora",
        "",
        "Written by `benchmarks/run.py` (`make bench`) from `bench.json`.",
        "",
        *_runs(results),
        *_targets(results),
        *_corpora(results),
        *_ingest(results),
        *_retrieval(results),
        *_server(results),
        *_answers(results),
        *_memory(results),
        *(["## Failed stages", "", *errors, ""] if errors else []),
        *(["## Plots", "", *(f"![{p}]({p})" for p in plots), ""] if plots else []),
    ]
    path = out / "bench.md"
    path.write_text("\n".join(lines))
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).resolve().parent / "results" / "bench"
    source = out / "bench.json"
    try:
        results = json.loads(source.read_text())
    except (OSError, ValueError) as exc:
        print(f"cannot read {source}: {exc}. Run `make bench` first.", file=sys.stderr)
        return 2
    print(write_report(results, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
