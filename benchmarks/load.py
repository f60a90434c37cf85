"""Bounded load on loopback: N concurrent clients asking questions, each answer checked.

    .venv/bin/python -m benchmarks.load --target http --generator extractive
    .venv/bin/python -m benchmarks.load --target http --generator bundled --requests 1 \
        --max-seconds 1200
    .venv/bin/python -m benchmarks.load --target gradio
    .venv/bin/python -m benchmarks.load --target http --url http://127.0.0.1:8000  # running

Starts the API (``api.http.make_server``, uvicorn in a thread) or the Gradio app
(``ui.app.launch``) on a free 127.0.0.1 port over the data dir of ``--data-dir`` (default: a
temporary one with the seeds), or targets ``--url``, which must be a loopback address: this
script never sends load to another machine. Each of ``--clients`` threads (default 20) sends
``--requests`` questions to ``POST /ask`` (or to the Gradio queue's ``/ask`` endpoint through
gradio_client), starting together; no request is sent after ``--max-seconds``.

Before the load, every question is asked once, sequentially, with the extractive generator
(then once with the server's own generator, which loads its model). Retrieval does not
depend on the generator, so under load each answer must echo its own question, retrieve the
same chunks, agree on refusing and cite only articles it retrieved (else it is counted as
*crossed*, an answer meant for another request); with the extractive generator its text
must also be identical. Writes latency percentiles, counts, errors and
5xx responses to benchmarks/results/load-<target>-<generator>.json (+ .md); exit status 1
unless every request was sent and answered with 2xx JSON, none crossed.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import platform
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
"""Distinct questions, Indonesian and English, one the corpus cannot answer."""


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


def check_loopback(url: str) -> None:
    """Refuse any URL whose host is not a loopback address."""
    host = urlparse(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LoadConfigError(
            f"refusing to send load to {url!r}: only loopback URLs (127.0.0.1, ::1, localhost)"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- targets -------------------------------------------------------------------------------------


@contextmanager
def serve_http(assistant: Any) -> Iterator[str]:
    """The API on a free loopback port (no token: loopback Host headers only)."""
    from api.http import make_server
    from api.settings import ApiSettings

    server = make_server(assistant, "127.0.0.1", _free_port(), ApiSettings(token=None))
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # one line per request
    thread = threading.Thread(target=server.run, name="load-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def serve_gradio(assistant: Any, settings: Any) -> Iterator[str]:
    """The Gradio app on a free loopback port."""
    from ui.app import launch

    port = _free_port()
    app = launch(settings, "127.0.0.1", port, assistant=assistant, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def http_asker(url: str, timeout: float) -> tuple[Ask, Callable[[], None]]:
    import httpx

    client = httpx.Client(base_url=url, timeout=timeout)

    def ask(question: str, generator: str | None) -> tuple[int | None, dict[str, Any]]:
        body: dict[str, Any] = {"question": question}
        if generator:
            body["generator"] = generator
        response = client.post("/ask", json=body)
        try:
            data = response.json()
        except ValueError:
            data = {"detail": response.text[:200]}
        return response.status_code, data

    return ask, client.close


def gradio_asker(url: str, timeout: float) -> tuple[Ask, Callable[[], None]]:
    from gradio_client import Client

    client = Client(
        url,
        verbose=False,
        httpx_kwargs={"timeout": timeout},
        download_files=False,
        analytics_enabled=False,
    )

    def ask(question: str, generator: str | None) -> tuple[int | None, dict[str, Any]]:
        kwargs: dict[str, Any] = {"question": question, "api_name": "/ask"}
        if generator:
            kwargs["generator"] = generator
        result = client.predict(**kwargs)
        if not isinstance(result, dict):
            raise TypeError(f"expected a JSON object, got {type(result).__name__}")
        return None, result

    return ask, client.close


# -- the run -------------------------------------------------------------------------------------


def sequential(ask: Ask, questions: tuple[str, ...]) -> dict[str, Expected]:
    """Each question once, one after the other, extractive: the reference answers."""
    expected: dict[str, Expected] = {}
    for question in questions:
        status, body = ask(question, "extractive")
        if status is not None and status != 200:
            raise RuntimeError(f"sequential run: {question!r} got {status}: {body}")
        expected[question] = Expected(
            tuple(p["chunk_id"] for p in body["retrieved"]), bool(body["refused"]), body["text"]
        )
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


def run_clients(
    make_asker: Callable[[], tuple[Ask, Callable[[], None]]],
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
            started = time.perf_counter()
            status: int | None = None
            refused = False
            try:
                status, body = ask(question, None)
                latency = (time.perf_counter() - started) * 1000
                ok = status is None or 200 <= status < 300
                crossed, differs = judge(question, body, expected[question]) if ok else (0, 0)
                refused = ok and bool(body.get("refused"))
                error = None if ok else f"{status}: {str(body.get('detail'))[:200]}"
            except Exception as exc:  # a failed request is a result, not the end of the run
                latency = (time.perf_counter() - started) * 1000
                ok, crossed, differs = False, False, False
                error = f"{type(exc).__name__}: {str(exc)[:200]}"
            outcome = Outcome(
                number, seq, question, round(latency, 1), status, ok, refused, bool(crossed),
                bool(differs), error,
            )  # fmt: skip
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
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        with lock:
            not_sent[0] += stuck  # at least one request each never came back
    return sorted(outcomes, key=lambda o: (o.client, o.seq)), not_sent[0], seconds


def summarize(
    outcomes: list[Outcome], not_sent: int, seconds: float, meta: dict[str, Any]
) -> dict[str, Any]:
    from evals.metrics import percentiles  # as every latency report here

    answered = [o.latency_ms for o in outcomes if o.ok]
    spread = percentiles(answered) if answered else {"p50": float("nan"), "p95": float("nan")}
    return {
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


def passed(summary: dict[str, Any], strict_text: bool) -> bool:
    return (
        summary["not_sent"] == 0
        and summary["errors"] == 0
        and summary["status_5xx"] == 0
        and summary["crossed"] == 0
        and summary["requests_sent"] == summary["requests_planned"]
        and (not strict_text or summary["text_differs_from_sequential"] == 0)
    )


def markdown(name: str, summary: dict[str, Any]) -> str:
    latency = summary["latency_ms"]
    lines = [
        f"# Load: {name}",
        "",
        f"{summary['clients']} concurrent clients x {summary['requests_per_client']} requests "
        f"({summary['endpoint']}, generator {summary['generator']}), at most "
        f"{summary['max_seconds']} s; {summary['machine']['cpus']} CPUs, load average "
        f"{summary['machine']['loadavg_before']} before, {summary['machine']['loadavg_after']} "
        "after.",
        "",
        "| sent | ok | errors | 5xx | crossed | text differs | not sent | p50 ms | p95 ms | max ms "
        "| wall s | answers/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {summary['requests_sent']} | {summary['ok']} | {summary['errors']} | "
        f"{summary['status_5xx']} | {summary['crossed']} | "
        f"{summary['text_differs_from_sequential']} | {summary['not_sent']} | {latency['p50']} | "
        f"{latency['p95']} | {latency['max']} | {summary['wall_seconds']} | "
        f"{summary['throughput_per_s']} |",
        "",
        f"Result: {'PASS' if summary['passed'] else 'FAIL'}.",
        "",
        f"{len(QUESTIONS)} distinct questions (Indonesian and English, one out of the corpus); "
        "the sequential pass before the load has embedded them, so retrieval runs warm. "
        "Answering is serialised (one generator), so latency is mostly waiting in line.",
    ]
    if summary["target"] == "gradio":
        lines.append(
            "gradio_client shows no status codes: any failure, a 5xx of the queue included, "
            "is counted under errors."
        )
    if summary["error_samples"]:
        lines += ["", "Errors (first 5):", *(f"- {e}" for e in summary["error_samples"])]
    return "\n".join(lines) + "\n"


# -- entry point ---------------------------------------------------------------------------------


def _settings(args: argparse.Namespace, data_dir: Path) -> Any:
    from rag import Settings

    values: dict[str, Any] = {"data_dir": data_dir, "generator": args.generator}
    if args.models_dir:
        values["models_dir"] = args.models_dir
    if args.model:
        values["model"] = args.model
    return Settings(**values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=["http", "gradio"], default="http")
    parser.add_argument("--generator", choices=["extractive", "bundled"], default="extractive")
    parser.add_argument("--model", default=None, help="bundled model name")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2, help="requests per client")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--url", default=None, help="a running server (loopback only)")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: temporary, seeds")
    parser.add_argument("--models-dir", type=Path, default=ROOT / ".rag" / "models")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.max_seconds <= 0:
        parser.error("--clients, --requests and --max-seconds must be positive")
    if args.url:
        check_loopback(args.url)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    name = f"load-{args.target}-{args.generator}"
    loadavg_before = [round(x, 2) for x in os.getloadavg()]
    with (
        tempfile.TemporaryDirectory(prefix="rag-load-") as scratch,
        _target(args, Path(scratch)) as url,
    ):
        check_loopback(url)
        maker = gradio_asker if args.target == "gradio" else http_asker
        ask, close = maker(url, args.max_seconds)
        try:
            expected = sequential(ask, QUESTIONS)
            ask(QUESTIONS[0], None)  # warm-up with the server's generator: loads the model
        finally:
            close()
        print(f"sequential run done; {args.clients} clients x {args.requests}", flush=True)
        outcomes, not_sent, seconds = run_clients(
            lambda: maker(url, args.max_seconds),
            expected,
            args.clients,
            args.requests,
            args.max_seconds,
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
    summary["passed"] = passed(summary, strict_text=args.generator == "extractive")
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"summary": summary, "requests": [asdict(o) for o in outcomes]}
    (args.out / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / f"{name}.md").write_text(markdown(name, summary))
    print(markdown(name, summary), flush=True)
    return 0 if summary["passed"] else 1


@contextmanager
def _target(args: argparse.Namespace, scratch: Path) -> Iterator[str]:
    """The URL to load: ``--url``, or a server started here over the data dir."""
    if args.url:
        yield args.url
        return
    from rag import Assistant

    # A fresh data dir is filled with the seeds by Assistant.load.
    settings = _settings(args, args.data_dir or scratch / "data")
    assistant = Assistant.load(settings)
    if args.target == "gradio":
        with serve_gradio(assistant, settings) as url:
            yield url
    else:
        with serve_http(assistant) as url:
            yield url


if __name__ == "__main__":
    raise SystemExit(main())
