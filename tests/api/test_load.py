"""Concurrent clients against real servers on loopback, and an ingest while queries are served.

The load tests run ``benchmarks/load.py`` shortened (20 clients x 2 requests; the bundled
model 20 x 1): zero errors and 5xx, every answer its own question's. Latencies are reported
by the script, not asserted here.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import PIPE
from typing import Any

import httpx
import pytest

from benchmarks.load import QUESTIONS, Expected, LoadConfigError, check_loopback, judge, main
from index.cleaning import normalize_whitespace
from index.docstore import DocumentRecord
from rag import Assistant, Settings
from tests.api.test_http_server import _running
from tests.index.crash_ingest import SETTINGS, step_through
from tests.ui.test_app import free_port

ROOT = Path(__file__).resolve().parents[2]


# -- the load script -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://127.5.0.1:1", "http://[::1]:80/", "http://localhost"]
)
def test_loopback_urls_are_accepted(url: str) -> None:
    check_loopback(url)


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1:8000", "http://example.com", "https://0.0.0.0:80", "http://127.0.0.1.nip.io"],
)
def test_other_urls_are_refused_before_anything_is_sent(url: str, tmp_path: Path) -> None:
    with pytest.raises(LoadConfigError, match="only loopback"):
        main(["--url", url, "--out", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []


def test_an_answer_to_another_question_is_counted_as_crossed() -> None:
    own = Expected(("a:1:0", "a:1:1"), False, "Jawaban A [1].")
    body: dict[str, Any] = {
        "question": "Pertanyaan A?",
        "text": "Jawaban A [1].",
        "refused": False,
        "retrieved": [{"chunk_id": "a:1:0"}, {"chunk_id": "a:1:1"}],
        "citations": [{"doc_id": "a"}],
    }
    assert judge("Pertanyaan A?", body, own) == (False, False)
    assert judge("Pertanyaan B?", body, own) == (True, False)  # echoes another question
    assert judge("Pertanyaan A?", {**body, "retrieved": body["retrieved"][::-1]}, own)[0]
    assert judge("Pertanyaan A?", {**body, "refused": True}, own)[0]
    assert judge("Pertanyaan A?", {**body, "citations": [{"doc_id": "b"}]}, own)[0]
    assert judge("Pertanyaan A?", {**body, "text": "Jawaban B."}, own) == (False, True)


def run_load(tmp_path: Path, *args: str) -> dict[str, Any]:
    """The script's JSON report (summary and requests) after a run that passed."""
    code = main([*args, "--out", str(tmp_path)])
    (result,) = tmp_path.glob("load-*.json")
    report: dict[str, Any] = json.loads(result.read_text())
    assert code == 0, report["summary"]
    return report


def assert_clean(report: dict[str, Any], planned: int) -> None:
    summary = report["summary"]
    assert summary["requests_sent"] == summary["ok"] == planned
    assert summary["errors"] == summary["status_5xx"] == summary["not_sent"] == 0
    assert summary["crossed"] == 0
    assert summary["passed"] is True
    # The out-of-corpus question was asked under load, and refused each time.
    outside = [r for r in report["requests"] if r["question"] == QUESTIONS[-1]]
    assert outside and all(r["refused"] for r in outside)


@pytest.mark.parametrize("target", ["http", "gradio"])
def test_twenty_clients_extractive(target: str, seeded_settings: Settings, tmp_path: Path) -> None:
    report = run_load(
        tmp_path,
        *("--target", target, "--generator", "extractive"),
        *("--clients", "20", "--requests", "2", "--max-seconds", "240"),
        *("--data-dir", str(seeded_settings.data_dir)),
    )
    assert_clean(report, 40)
    # extractive answers are deterministic: the same text as one at a time
    assert report["summary"]["text_differs_from_sequential"] == 0
    assert (tmp_path / f"load-{target}-extractive.md").read_text().count("PASS") == 1


@pytest.mark.slow
@pytest.mark.timeout(3900)  # 2 x --max-seconds: the bound of a run, and then some
def test_twenty_clients_bundled_http(
    seeded_settings: Settings, models_dir: Path, tmp_path: Path
) -> None:
    """Answers are generated one at a time (~9 s each on 2 idle cores), so the last client
    waits for 19 others: --max-seconds leaves room for a busy machine."""
    report = run_load(
        tmp_path,
        *("--target", "http", "--generator", "bundled", "--models-dir", str(models_dir)),
        *("--clients", "20", "--requests", "1", "--max-seconds", "1800"),
        *("--data-dir", str(seeded_settings.data_dir)),
    )
    assert_clean(report, 20)


# -- ingest while queries are served --------------------------------------------------------------

UPDATED = "002_ad13a3f56d3b263b"
NEW_ARTICLES = {
    "banjir": """Banjir Besar Melanda Kota Semarang

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam membuat Sungai Garang meluap dan merendam ribuan \
rumah warga di Semarang.

Petugas BPBD mengevakuasi 1.200 warga ke tempat pengungsian di balai kota.
""",
    "cabai": """Harga Cabai Rawit Naik Tajam di Pasar Bandung

Siti Aminah | Selasa, 04/01/2022 08:30 WIB

BANDUNG - Harga cabai rawit di pasar tradisional Bandung naik menjadi Rp 95.000 per kilogram.

Pedagang menyebut pasokan dari petani di Garut berkurang karena hujan.
""",
}
QUERIES = (
    "AS memperingatkan Kazakhstan soal pasukan Rusia",  # the updated article
    "Why would it be hard to make Russian troops leave?",
    "Berapa warga Semarang yang dievakuasi?",  # a new article
    "Berapa orang yang mencari perawatan di rumah sakit?",  # an untouched one
)
CLIENTS = 4

PassageKey = tuple[str, str, str, str, int, int]  # chunk id, doc id, title, text, start, end


@dataclass
class State:
    """What the stores hold at one moment: passages by chunk id, and the documents."""

    passages: dict[str, PassageKey]
    documents: dict[str, DocumentRecord]


def snapshot(assistant: Assistant) -> State:
    docstore = assistant.retriever.stores.docstore
    documents = {d.doc_id: d for d in docstore.documents()}
    records = docstore.chunks(docstore.chunk_ids())
    passages = {
        cid: (cid, r.doc_id, documents[r.doc_id].title, r.text, r.start, r.end)
        for cid, r in records.items()
    }
    return State(passages, documents)


@dataclass
class Observed:
    """What the clients got, by the step of the ingest they asked at."""

    retrievals: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    answers: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def query_all(url: str, step: str, observed: Observed) -> None:
    """``CLIENTS`` concurrent clients, each retrieving for and asking every query once."""

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            for i in range(len(QUERIES)):
                query = QUERIES[(offset + i) % len(QUERIES)]
                try:
                    found = http.post("/retrieve", json={"query": query, "k": 8})
                    asked = http.post("/ask", json={"question": query})
                except httpx.HTTPError as exc:
                    with observed.lock:
                        observed.failures.append(f"{step} {query}: {exc!r}")
                    continue
                with observed.lock:
                    for response in (found, asked):
                        if response.status_code != 200:
                            observed.failures.append(
                                f"{step} {query}: {response.status_code} {response.text}"
                            )
                    if found.status_code == 200:
                        observed.retrievals.append((step, found.json()["passages"]))
                    if asked.status_code == 200:
                        observed.answers.append((step, query, asked.json()))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def key(passage: dict[str, Any]) -> PassageKey:
    return (
        passage["chunk_id"],
        passage["doc_id"],
        passage["title"],
        passage["text"],
        passage["start"],
        passage["end"],
    )


def one_state(passages: list[dict[str, Any]], before: State, after: State) -> bool:
    """All passages as the stores held them before the ingest, or all as after it."""
    keys = [key(p) for p in passages]
    return all(before.passages.get(k[0]) == k for k in keys) or all(
        after.passages.get(k[0]) == k for k in keys
    )


def provenance(passages: list[dict[str, Any]], before: State, after: State) -> list[str]:
    """Per passage: its chunk id and whether it is as before, after, both or neither."""
    described = []
    for passage in passages:
        k = key(passage)
        old, new = before.passages.get(k[0]) == k, after.passages.get(k[0]) == k
        where = "both" if old and new else "old" if old else "new" if new else "neither"
        described.append(f"{k[0]} ({k[2][:30]}): {where}")
    return described


def citation_holds(citation: dict[str, Any], before: State, after: State) -> bool:
    """The cited text is where the citation says, in one version of its article."""
    for state in (before, after):
        doc = state.documents.get(citation["doc_id"])
        if doc is None or doc.title != citation["title"]:
            continue
        if citation["text"] in normalize_whitespace(doc.raw[citation["start"] : citation["end"]]):
            return True
    return False


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[Assistant, Path, str]]:
    """A private seeded store served by a real uvicorn server; yields (assistant, folder, url)."""
    from api import ApiSettings
    from api.http import make_server

    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copyfile(path, folder / path.name)
        (folder / path.name).chmod(0o644)
    settings = Settings(
        data_dir=tmp_path / "data", generator="extractive", seeds_dir=folder, **SETTINGS
    )
    assistant = Assistant.load(settings)  # indexes the folder
    server = make_server(assistant, "127.0.0.1", free_port(), ApiSettings(token=None))
    for url in _running(server):
        yield assistant, folder, url
    assistant.retriever.stores.close()


def second_batch(folder: Path) -> None:
    """Retitle and extend one article, add two."""
    path = folder / f"{UPDATED}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "Diperbarui: " + text + "\nRedaksi memperbarui berita ini dengan keterangan baru.\n",
        encoding="utf-8",
    )
    for stem, text in NEW_ARTICLES.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")


def ingest_in_thread(
    assistant: Assistant, folder: Path, at_step: Callable[[str], None], monkeypatch: Any
) -> None:
    """``assistant.ingest`` in a thread of the server's process, stopped at every step."""
    steps: queue.Queue[str | BaseException | None] = queue.Queue()
    go = threading.Semaphore(0)
    step_through(steps.put, go.acquire, monkeypatch.setattr)

    def run() -> None:
        try:
            report = assistant.ingest([folder])
            assert report.updated == (UPDATED,) and set(report.added) == set(NEW_ARTICLES)
            steps.put(None)
        except BaseException as exc:
            steps.put(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while (step := steps.get(timeout=600)) is not None:
        if isinstance(step, BaseException):
            raise step
        at_step(step)
        go.release()
    thread.join(timeout=60)


def ingest_in_process(assistant: Assistant, folder: Path, at_step: Callable[[str], None]) -> None:
    """The ingest in another process (as `rag ingest` would run), stopped at every step."""
    data_dir = str(assistant.settings.data_dir)
    command = [sys.executable, "-m", "tests.index.crash_ingest", data_dir, "ingest", str(folder)]
    with (folder.parent / "child.err").open("w") as errors:
        child = subprocess.Popen(
            [*command, "--step"], cwd=ROOT, text=True, stdin=PIPE, stdout=PIPE, stderr=errors
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            for line in child.stdout:
                if line.startswith("at "):
                    at_step(line[3:].strip())
                    child.stdin.write("\n")
                    child.stdin.flush()
                elif line.strip() != "ready":
                    assert line.startswith("2 added, 1 updated"), line
        finally:
            child.stdin.close()
            assert child.wait(timeout=60) == 0, (folder.parent / "child.err").read_text()


@pytest.mark.parametrize("writer", ["thread", "process"])
def test_ingest_while_queries_are_served_never_shows_a_half_built_index(
    live: tuple[Assistant, Path, str], writer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest that updates an article and adds two is stopped in every window between
    its writes (after each upsert, before each docstore write, before and after the BM25
    build); at each, 4 concurrent clients retrieve and ask. Every result must be wholly
    the old or the new state, every citation hold in its article, nothing fail."""
    assistant, folder, url = live
    before = snapshot(assistant)
    second_batch(folder)
    observed = Observed()
    steps: list[str] = []

    def at_step(step: str) -> None:
        steps.append(step)
        query_all(url, step, observed)

    at_step("start")
    if writer == "thread":
        ingest_in_thread(assistant, folder, at_step, monkeypatch)
    else:
        ingest_in_process(assistant, folder, at_step)
    at_step("end")
    after = snapshot(assistant)
    assert set(after.documents) - set(before.documents) == set(NEW_ARTICLES)
    assert steps[-2:] == ["after-bm25", "end"] and len(steps) >= 8, steps

    assert observed.failures == []
    asked = len(steps) * CLIENTS * len(QUERIES)
    assert len(observed.retrievals) == len(observed.answers) == asked
    results = observed.retrievals + [(step, a["retrieved"]) for step, _, a in observed.answers]
    mixed = [
        (step, provenance(passages, before, after))
        for step, passages in results
        if not one_state(passages, before, after)
    ]
    assert mixed == []
    for step, question, answer in observed.answers:
        assert answer["question"] == question
        for citation in answer["citations"]:
            assert citation_holds(citation, before, after), (step, citation)
    # Once published, the new article is found.
    last = [a for step, q, a in observed.answers if step == "end" and q == QUERIES[2]]
    assert all("banjir" in {p["doc_id"] for p in a["retrieved"]} for a in last)


def test_dense_search_of_a_running_server_sees_another_process_ingest(
    live: tuple[Assistant, Path, str],
) -> None:
    assistant, folder, _ = live
    second_batch(folder)
    data_dir = str(assistant.settings.data_dir)
    command = [sys.executable, "-m", "tests.index.crash_ingest", data_dir, "ingest", str(folder)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    stores = assistant.retriever.stores
    (chunk,) = stores.docstore.chunks_of("banjir")
    assistant.retriever.search("banjir")  # any search picks up the new build
    hit = stores.vectors.query(chunk.embedding.tolist(), k=1)[0]
    assert hit.chunk_id == chunk.chunk_id
