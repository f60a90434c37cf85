"""Bounded load on loopback: N concurrent clients asking questions, each answer checked.

    .venv/bin/python -m benchmarks.load --target http --generator extractive
    .venv/bin/python -m benchmarks.load --target http --generator bundled --requests 1 \
        --max-seconds 1200
    .venv/bin/python -m benchmarks.load --target gradio
    .venv/bin/python -m benchmarks.load --target http --url http://127.0.0.1:8000  # running

Starts the API or the Gradio app on a free 127.0.0.1 port over ``--data-dir`` (default: a
temporary one with the seeds), or loads ``--url``, a loopback address only. ``--clients``
threads send ``--requests`` questions each to ``/ask``, together; none after ``--max-seconds``.
A sequential extractive pass comes first: under load, an answer must echo its question,
retrieve the same chunks, agree on refusing and cite only retrieved articles, else it is
*crossed*; an extractive one must also have the same text. Writes
benchmarks/results/load-<target>-<generator>.json and .md; exits 1 unless every request was
sent and answered with 2xx JSON, none crossed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from api.settings import is_loopback
from benchmarks.stages import free_port

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS: tuple[str, ...] = (
    "Berapa orang yang mencari perawatan di rumah sakit?",
    "How many people sought hospital treatment?",
    "Siapa presiden Kazakhstan yang meminta bantuan CSTO?",
    "Who asked the CSTO for help?",
    "Apa yang memicu protes di Kazakhstan?",
    "What did Blinken say about Russian troops in Kazakhstan?",
    "Berapa jumlah pasukan penjaga perdamaian CSTO?",
    "Who won the 2022 World Cup?",  # not in the corpus: refused
)


class LoadConfigError(ValueError):
    """The load was asked for something this script refuses to do."""


@dataclass(frozen=True)
class Expected:
    """What the sequential run answered to one question."""

    retrieved: tuple[str, ...]
    refused: bool
    text: str


@dataclass(frozen=True)
class Outcome:
    client: int
    seq: int
    question: str
    latency_ms: float
    status: int | None  # HTTP status; None for gradio_client (no status) or no response
    ok: bool  # a 2xx JSON answer (gradio: an answer, no exception)
    refused: bool
    crossed: bool
    text_differs: bool
    error: str | None = None


Ask = Callable[[str, str | None], tuple[int | None, dict[str, Any]]]
"""``ask(question, generator)`` -> (HTTP status or None, JSON body); raises on failure."""
Asker = tuple[Ask, Callable[[], None]]  # and how to close it


def check_loopback(url: str) -> None:
    """Refuse any URL whose host is not a loopback address."""
    if not is_loopback(urlparse(url).hostname or ""):
        raise LoadConfigError(
            f"refusing to send load to {url!r}: only loopback URLs (127.0.0.1, ::1, localhost)"
        )


@contextmanager
def serve(args: argparse.Namespace, scratch: Path) -> Iterator[str]:
    """The URL to load: ``--url``, or the API (no token: loopback Host headers only) or the
    Gradio app on a free loopback port, over the data dir (a fresh one gets the seeds)."""
    if args.url:
        yield args.url
        return
    from rag import Assistant, Settings

    values = {"data_dir": args.data_dir or scratch / "data", "generator": args.generator}
    values.update({k: v for k, v in (("models_dir", args.models_dir), ("model", args.model)) if v})
    settings = Settings(**values)
    assistant, port = Assistant.load(settings), free_port()
    if args.target == "gradio":
        from ui.app import launch

        app = launch(settings, "127.0.0.1", port, assistant=assistant, block=False, quiet=True)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            app.close()
        return
    from api.http import make_server
    from api.settings import ApiSettings

    server = make_server(assistant, "127.0.0.1", port, ApiSettings(token=None))
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # one line per request
    thread = threading.Thread(target=server.run, name="load-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def http_asker(url: str, timeout: float) -> Asker:
    import httpx

    client = httpx.Client(base_url=url, timeout=timeout)

    def ask(question: str, generator: str | None) -> tuple[int | None, dict[str, Any]]:
        response = client.post("/ask", json={"question": question, "generator": generator})
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"detail": response.text[:200]}

    return ask, client.close


def gradio_asker(url: str, timeout: float) -> Asker:
    from gradio_client import Client

    options: dict[str, Any] = {"download_files": False, "analytics_enabled": False}
    client = Client(url, verbose=False, httpx_kwargs={"timeout": timeout}, **options)

    def ask(question: str, generator: str | None) -> tuple[int | None, dict[str, Any]]:
        kwargs = {"generator": generator} if generator else {}
        result = client.predict(question=question, api_name="/ask", **kwargs)
        if not isinstance(result, dict):
            raise TypeError(f"expected a JSON object, got {type(result).__name__}")
        return None, result

    return ask, client.close


def sequential(ask: Ask, questions: tuple[str, ...]) -> dict[str, Expected]:
    """Each question once, one after the other, extractive: the reference answers."""
    expected: dict[str, Expected] = {}
    for question in questions:
        status, body = ask(question, "extractive")
        if status is not None and status != 200:
            raise RuntimeError(f"sequential run: {question!r} got {status}: {body}")
        retrieved = tuple(p["chunk_id"] for p in body["retrieved"])
        expected[question] = Expected(retrieved, bool(body["refused"]), body["text"])
    return expected


def judge(question: str, body: dict[str, Any], expected: Expected) -> tuple[bool, bool]:
    """(crossed, text differs) for an answer to ``question``."""
    retrieved = tuple(p.get("chunk_id") for p in body.get("retrieved", []))
    retrieved_docs = {cid.split(":")[0] for cid in expected.retrieved}
    cited_docs = {c.get("doc_id") for c in body.get("citations", [])}
    crossed = (
        body.get("question") != question
        or retrieved != expected.retrieved
        or bool(body.get("refused")) != expected.refused
        or not cited_docs <= retrieved_docs
    )
    return crossed, body.get("text") != expected.text


def request(ask: Ask, client: int, seq: int, question: str, expected: Expected) -> Outcome:
    """One question under load, judged; a failed request is a result, not the end of the run."""
    started, status = time.perf_counter(), None
    try:
        status, body = ask(question, None)
        ok = status is None or 200 <= status < 300
        crossed, differs = judge(question, body, expected) if ok else (False, False)
        error = None if ok else f"{status}: {str(body.get('detail'))[:200]}"
        refused = ok and bool(body.get("refused"))
    except Exception as exc:
        ok, refused, crossed, differs = False, False, False, False
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
    latency = round((time.perf_counter() - started) * 1000, 1)
    return Outcome(client, seq, question, latency, status, ok, refused, crossed, differs, error)


def run_clients(
    make_asker: Callable[[], Asker],
    expected: dict[str, Expected],
    clients: int,
    requests: int,
    max_seconds: float,
) -> tuple[list[Outcome], int, float]:
    """``clients`` threads x ``requests`` each; returns outcomes, requests not sent, seconds."""
    questions = list(expected)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    not_sent = [0]
    # Clients connect before the barrier (a gradio_client Client fetches the app's config).
    askers = [make_asker() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(number: int) -> None:
        ask, _ = askers[number]
        barrier.wait()
        for seq in range(requests):
            if time.monotonic() >= deadline[0]:
                with lock:
                    not_sent[0] += requests - seq
                return
            question = questions[(number + seq) % len(questions)]
            outcome = request(ask, number, seq, question, expected[question])
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = time.monotonic() + max_seconds
    barrier.wait()
    for thread in threads:
        # A request in flight at the deadline may finish within one more max_seconds.
        thread.join(timeout=max(0.0, deadline[0] - time.monotonic()) + max_seconds)
    seconds = time.perf_counter() - started
    for _, close in askers:
        close()
    with lock:  # a client still running has at least one request that never came back
        not_sent[0] += sum(thread.is_alive() for thread in threads)
    return sorted(outcomes, key=lambda o: (o.client, o.seq)), not_sent[0], seconds


def summarize(
    outcomes: list[Outcome], not_sent: int, seconds: float, meta: dict[str, Any]
) -> dict[str, Any]:
    """Counts and latency percentiles (``evals.metrics.percentiles``, as every report here);
    ``passed``: every request sent and answered, none crossed (nor, for extractive, changed)."""
    from evals.metrics import percentiles

    answered = [o.latency_ms for o in outcomes if o.ok]
    spread = percentiles(answered) if answered else {"p50": float("nan"), "p95": float("nan")}
    summary = {
        **meta,
        "requests_planned": meta["clients"] * meta["requests_per_client"],
        "requests_sent": len(outcomes),
        "not_sent": not_sent,
        "ok": sum(o.ok for o in outcomes),
        "errors": sum(not o.ok for o in outcomes),
        "status_5xx": sum(o.status is not None and o.status >= 500 for o in outcomes),
        "crossed": sum(o.crossed for o in outcomes),
        "text_differs_from_sequential": sum(o.text_differs for o in outcomes),
        "refused": sum(o.refused for o in outcomes),
        "latency_ms": {
            **{key: round(value, 1) for key, value in spread.items()},
            "max": round(max(answered, default=float("nan")), 1),
            "mean": round(statistics.fmean(answered), 1) if answered else float("nan"),
        },
        "wall_seconds": round(seconds, 2),
        "throughput_per_s": round(len(answered) / seconds, 3) if seconds else 0.0,
        "error_samples": [o.error for o in outcomes if o.error][:5],
    }
    summary["passed"] = (
        not any(summary[key] for key in ("not_sent", "errors", "status_5xx", "crossed"))
        and summary["requests_sent"] == summary["requests_planned"]
        and (meta["generator"] != "extractive" or summary["text_differs_from_sequential"] == 0)
    )
    return summary


def markdown(name: str, summary: dict[str, Any]) -> str:
    s, latency, machine = summary, summary["latency_ms"], summary["machine"]
    cells = [
        s["requests_sent"], s["ok"], s["errors"], s["status_5xx"], s["crossed"],
        s["text_differs_from_sequential"], s["not_sent"], latency["p50"], latency["p95"],
        latency["max"], s["wall_seconds"], s["throughput_per_s"],
    ]  # fmt: skip
    lines = [
        f"# Load: {name}",
        "",
        f"{s['clients']} concurrent clients x {s['requests_per_client']} requests "
        f"({s['endpoint']}, generator {s['generator']}), at most {s['max_seconds']} s; "
        f"{machine['cpus']} CPUs, load average {machine['loadavg_before']} before, "
        f"{machine['loadavg_after']} after.",
        "",
        "| sent | ok | errors | 5xx | crossed | text differs | not sent | p50 ms | p95 ms | max ms "
        "| wall s | answers/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        "| " + " | ".join(str(cell) for cell in cells) + " |",
        "",
        f"Result: {'PASS' if s['passed'] else 'FAIL'}.",
    ]
    if s["error_samples"]:
        lines += ["", "Errors (first 5):", *(f"- {e}" for e in s["error_samples"])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--target", choices=["http", "gradio"], default="http")
    add("--generator", choices=["extractive", "bundled"], default="extractive")
    add("--model", default=None, help="bundled model name")
    add("--clients", type=int, default=20)
    add("--requests", type=int, default=2, help="requests per client")
    add("--max-seconds", type=float, default=300.0)
    add("--url", default=None, help="a running server (loopback only)")
    add("--data-dir", type=Path, default=None, help="default: temporary, with the seeds")
    add("--models-dir", type=Path, default=ROOT / ".rag" / "models")
    add("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.max_seconds <= 0:
        parser.error("--clients, --requests and --max-seconds must be positive")
    if args.url:
        check_loopback(args.url)
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1")):
        os.environ.setdefault(name, value)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    name = f"load-{args.target}-{args.generator}"
    loadavg_before = [round(x, 2) for x in os.getloadavg()]
    with (
        tempfile.TemporaryDirectory(prefix="rag-load-") as scratch,
        serve(args, Path(scratch)) as url,
    ):
        maker = gradio_asker if args.target == "gradio" else http_asker
        make_asker = partial(maker, url, args.max_seconds)
        ask, close = make_asker()
        try:
            expected = sequential(ask, QUESTIONS)
            ask(QUESTIONS[0], None)  # warm-up with the server's generator: loads the model
        finally:
            close()
        print(f"sequential run done; {args.clients} clients x {args.requests}", flush=True)
        outcomes, not_sent, seconds = run_clients(
            make_asker, expected, args.clients, args.requests, args.max_seconds
        )
    meta = {
        "target": args.target,
        "endpoint": "gradio queue /ask" if args.target == "gradio" else "POST /ask",
        "generator": args.generator,
        "model": args.model if args.generator == "bundled" else None,
        "clients": args.clients,
        "requests_per_client": args.requests,
        "max_seconds": args.max_seconds,
        "url": "external" if args.url else "started by the script",
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_before": loadavg_before,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        },
    }
    summary = summarize(outcomes, not_sent, seconds, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"summary": summary, "requests": [asdict(o) for o in outcomes]}
    (args.out / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / f"{name}.md").write_text(markdown(name, summary))
    print(markdown(name, summary), flush=True)
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
