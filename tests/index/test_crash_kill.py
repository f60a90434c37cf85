"""Ingests killed with SIGKILL, in a subprocess, at named points and at timed moments.

Each case copies a starting data dir (empty, or the five seeds), runs ``tests/index/
crash_ingest.py`` in a child process that kills itself at one point of the ingest (or is
killed by this process after a delay), and then, here: the data dir opens, an extractive
assistant answers from it without an error and cites only what the document store holds,
and the next ingest (or the repeated removal) leaves Chroma, BM25 and the document store
holding exactly the chunks of a clean ingest of the same files, with no duplicate, no
orphan and no leftover marker. Slow: each case embeds up to the 33 seed chunks and starts a
Python process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.docstore import DocStore
from index.ingest import ingest, remove_documents
from index.stores import Stores
from rag import Assistant, Settings
from tests.index.crash_ingest import SETTINGS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_IDS = (
    "000_5af2c4d53b4ab9d2",
    "001_2ab3f1254791b14d",
    "002_ad13a3f56d3b263b",
    "003_53e9011b749ad847",
    "004_94ce680aa1d7413e",
)
HOSPITAL_DOC = "004_94ce680aa1d7413e"  # the only article with the 2.600 people in hospital
QUESTION = "How many people sought hospital treatment?"
CHANGED, GONE = SEED_IDS[2], SEED_IDS[3]  # updated and pruned by the second batch

BANJIR = """Banjir Besar Melanda Kota Semarang

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam membuat Sungai Garang meluap dan merendam ribuan \
rumah warga di Semarang.

Petugas BPBD mengevakuasi 1.200 warga ke tempat pengungsian di balai kota.
"""
CABAI = """Harga Cabai Rawit Naik Tajam di Pasar Bandung

Siti Aminah | Selasa, 04/01/2022 08:30 WIB

BANDUNG - Harga cabai rawit di pasar tradisional Bandung naik menjadi Rp 95.000 per kilogram.

Pedagang menyebut pasokan dari petani di Garut berkurang karena hujan.
"""


def write_seeds(folder: Path) -> Path:
    """The seeds, writable (the shipped files are read-only)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def write_second_batch(folder: Path) -> Path:
    """The seeds with one article retitled and extended, one deleted, and two new ones."""
    write_seeds(folder)
    changed = folder / f"{CHANGED}.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(
        "Pembaruan: " + text + "\nRedaksi memperbarui berita ini dengan keterangan baru.\n",
        encoding="utf-8",
    )
    (folder / f"{GONE}.txt").unlink()
    (folder / "banjir.txt").write_text(BANJIR, encoding="utf-8")
    (folder / "cabai.txt").write_text(CABAI, encoding="utf-8")
    return folder


def settings(data_dir: Path) -> Settings:
    """Extractive answers; no seeds folder, so opening an empty store indexes nothing."""
    return Settings(
        data_dir=data_dir, generator="extractive", seeds_dir=data_dir / "no-seeds", **SETTINGS
    )


def run_child(data_dir: Path, *args: str, point: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tests.index.crash_ingest", str(data_dir), *args]
    if point:
        command += ["--point", point]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def kill_child_after(data_dir: Path, delay: float, *args: str) -> tuple[int, str]:
    """Start the child, wait until it is ready plus ``delay`` seconds, SIGKILL it."""
    command = [sys.executable, "-m", "tests.index.crash_ingest", str(data_dir), *args]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == b"ready\n", (line, child.stderr.read() if child.stderr else b"")
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, err.decode("utf-8", "replace")


@dataclass(frozen=True)
class Reference:
    """What a clean ingest of a set of files holds: chunk id -> text, and the documents."""

    data_dir: Path
    folder: Path
    chunks: dict[str, str]
    documents: tuple[str, ...]


def build_reference(root: Path, folder: Path) -> Reference:
    data_dir = root / "data"
    done = run_child(data_dir, "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    docstore = DocStore(data_dir / "docstore.sqlite")
    try:
        chunks = {cid: r.text for cid, r in docstore.chunks(docstore.chunk_ids()).items()}
        documents = tuple(d.doc_id for d in docstore.documents())
    finally:
        docstore.close()
    return Reference(data_dir, folder, chunks, documents)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    root = tmp_path_factory.mktemp("seeded")
    reference = build_reference(root, write_seeds(root / "articles"))
    assert reference.documents == SEED_IDS
    return reference


@pytest.fixture(scope="module")
def second_batch(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    root = tmp_path_factory.mktemp("second")
    reference = build_reference(root, write_second_batch(root / "articles"))
    assert set(reference.documents) == set(SEED_IDS) - {GONE} | {"banjir", "cabai"}
    return reference


def copy_store(reference: Reference, data_dir: Path, folder: Path) -> None:
    """A copy of a reference data dir whose documents are recorded under ``folder``."""
    shutil.copytree(reference.data_dir, data_dir)
    docstore = DocStore(data_dir / "docstore.sqlite")
    try:
        for doc_id, (path, _, _) in docstore.fingerprints().items():
            docstore.update_path(doc_id, str(folder.resolve() / Path(path).name))
        # As if built here: else the next ingest reconciles first, whatever the kill left.
        docstore.set_meta("vectors_at", settings(data_dir).vector_location)
    finally:
        docstore.close()


# -- checks ------------------------------------------------------------------------------------


def check_answers(assistant: Assistant, docs_expected: set[str] | None = None) -> None:
    """An answer without an error, citing only what the document store holds."""
    answer = assistant.ask(QUESTION)
    docstore = assistant.retriever.stores.docstore
    known_chunks = docstore.chunk_ids()
    known_docs = {d.doc_id for d in docstore.documents()}
    assert {p.chunk_id for p in answer.retrieved} <= known_chunks
    for citation in answer.citations:
        doc = docstore.document(citation.doc_id)
        assert doc is not None
        assert citation.text in " ".join(doc.raw[citation.start : citation.end].split())
    if HOSPITAL_DOC in (known_docs if docs_expected is None else docs_expected):
        assert not answer.refused, answer.text
        assert "2.600" in answer.text or "2,600" in answer.text, answer.text


def bm25_ids(stores: Stores) -> list[str]:
    version = (stores.data_dir / "bm25" / "CURRENT").read_text()
    assert stores.lexical.version == version
    ids: list[str] = json.loads((stores.data_dir / "bm25" / version / "ids.json").read_text())
    return ids


def assert_same_as(stores: Stores, reference: Reference, documents: tuple[str, ...]) -> None:
    """Exactly the chunks of ``reference`` restricted to ``documents``, in all three stores."""
    expected = {
        cid: text for cid, text in reference.chunks.items() if cid.split(":")[0] in documents
    }
    docstore = stores.docstore
    in_docstore = docstore.chunk_ids()
    assert in_docstore == set(expected)
    assert {cid: r.text for cid, r in docstore.chunks(in_docstore).items()} == expected
    assert sorted(d.doc_id for d in docstore.documents()) == sorted(documents)
    assert sum(d.n_chunks for d in docstore.documents()) == len(expected)

    assert stores.vectors.ids() == set(expected)  # no orphan, none missing
    assert stores.vectors.count() == len(expected)  # no duplicate

    lexical = bm25_ids(stores)
    assert len(lexical) == len(set(lexical)) == stores.lexical.size  # no duplicate
    assert set(lexical) == set(expected)

    assert not (stores.data_dir / "ingest.dirty").exists()
    leftovers = [p.name for p in (stores.data_dir / "bm25").iterdir() if p.name.startswith(".")]
    assert leftovers == []
    builds = [p for p in (stores.data_dir / "bm25").iterdir() if p.is_dir()]
    assert len(builds) <= 2  # the published build and at most the one before


@pytest.fixture()
def opened() -> Iterator[list[Assistant]]:
    """Assistants opened by the test, closed at its end."""
    assistants: list[Assistant] = []
    yield assistants
    for assistant in assistants:
        assistant.retriever.stores.close()


def open_after_crash(data_dir: Path, opened: list[Assistant], marker: bool = True) -> Assistant:
    if marker:
        assert (data_dir / "ingest.dirty").exists(), "a kill mid-ingest leaves the marker"
    Stores.open(settings(data_dir)).close()
    assistant = Assistant.load(settings(data_dir))
    opened.append(assistant)
    check_answers(assistant)
    return assistant


# -- killed at a named point -------------------------------------------------------------------

# (case id, point): see crash_ingest.install for the points. The first ingest into an empty
# store is the costly one (33 chunks to embed), so most points are tried on the second batch.
FIRST_INGEST = [
    ("first-upsert-done", "upsert:after:1"),  # vectors of the first article, docstore empty
    ("first-transaction-open", "transaction:inside:1"),  # rows written, no COMMIT
    ("first-document-committed", "replace_document:after:1"),  # 1 of 5 committed
    ("first-bm25-before-current", "bm25_publish:before:1"),  # a build, but no CURRENT yet
]


@pytest.mark.parametrize(("point"), [p for _, p in FIRST_INGEST], ids=[c for c, _ in FIRST_INGEST])
def test_first_ingest_killed(point: str, tmp_path: Path, seeded: Reference, opened: list) -> None:
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    died = run_child(data_dir, "ingest", str(folder), point=point)
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert died.stdout.splitlines()[-1] == "dying"

    assistant = open_after_crash(data_dir, opened)
    stores = assistant.retriever.stores
    ingest(stores, [folder])
    assert_same_as(stores, seeded, SEED_IDS)
    check_answers(assistant)


SECOND_BATCH = [
    ("update-new-vectors-beside-old", "upsert:after:1"),
    ("update-transaction-open", "transaction:inside:1"),
    ("update-committed-stale-vectors-left", "delete:before:1"),
    ("prune-committed-vectors-left", "delete_document:after:1"),
    ("before-bm25-build", "bm25_build:before:1"),  # docstore and Chroma done, BM25 old
    ("bm25-files-written", "bm25_save:after:1"),  # in the temporary folder
    ("bm25-before-current", "bm25_publish:before:1"),  # new build in place, CURRENT old
    ("bm25-published", "bm25_cleanup:before:1"),  # CURRENT switched, old build not removed
    ("all-written", "finish:after:1"),  # only the marker left
]


@pytest.mark.parametrize(("point"), [p for _, p in SECOND_BATCH], ids=[c for c, _ in SECOND_BATCH])
def test_second_batch_killed(
    point: str, tmp_path: Path, seeded: Reference, second_batch: Reference, opened: list
) -> None:
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    write_second_batch(folder)
    died = run_child(data_dir, "ingest", str(folder), point=point)
    assert died.returncode == -signal.SIGKILL, died.stderr

    assistant = open_after_crash(data_dir, opened)
    stores = assistant.retriever.stores
    ingest(stores, [folder])
    assert_same_as(stores, second_batch, second_batch.documents)
    check_answers(assistant)


REMOVAL = [
    ("removed-from-docstore-only", "delete_document:after:1"),
    ("removed-from-docstore-and-chroma", "delete:after:1"),
]


@pytest.mark.parametrize(("point"), [p for _, p in REMOVAL], ids=[c for c, _ in REMOVAL])
def test_removal_killed_then_repeated(
    point: str, tmp_path: Path, seeded: Reference, opened: list
) -> None:
    """`rag remove` killed, then run again (what a user does), then the folder re-ingested."""
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    died = run_child(data_dir, "remove", CHANGED, point=point)
    assert died.returncode == -signal.SIGKILL, died.stderr

    assistant = open_after_crash(data_dir, opened)
    stores = assistant.retriever.stores
    remove_documents(stores, [CHANGED])
    rest = tuple(d for d in SEED_IDS if d != CHANGED)
    assert_same_as(stores, seeded, rest)
    ingest(stores, [folder])  # the file is still there: it comes back
    assert_same_as(stores, seeded, SEED_IDS)


def test_killed_twice_the_second_time_while_repairing(
    tmp_path: Path, seeded: Reference, second_batch: Reference, opened: list
) -> None:
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    write_second_batch(folder)
    first = run_child(data_dir, "ingest", str(folder), point="delete:before:1")
    assert first.returncode == -signal.SIGKILL, first.stderr
    # The next ingest starts by deleting the stale vectors the first one left: killed there.
    second = run_child(data_dir, "ingest", str(folder), point="delete:after:1")
    assert second.returncode == -signal.SIGKILL, second.stderr

    assistant = open_after_crash(data_dir, opened)
    stores = assistant.retriever.stores
    ingest(stores, [folder])
    assert_same_as(stores, second_batch, second_batch.documents)


# -- killed from outside, at timed moments --------------------------------------------------------


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0, 5.0], ids=lambda d: f"{d}s")
def test_churning_ingest_killed_after(
    delay: float, tmp_path: Path, seeded: Reference, opened: list
) -> None:
    """The child updates, removes and re-adds articles in a loop; SIGKILL ``delay`` s in."""
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    returncode, stderr = kill_child_after(data_dir, delay, "churn", str(folder))
    assert returncode == -signal.SIGKILL, stderr

    # (the kill may fall between two operations of the loop, when no marker is written)
    assistant = open_after_crash(data_dir, opened, marker=False)
    stores = assistant.retriever.stores
    write_seeds(folder)  # back to the shipped articles
    ingest(stores, [folder])
    assert_same_as(stores, seeded, SEED_IDS)
    check_answers(assistant)


def test_the_child_without_a_kill_point_completes(tmp_path: Path) -> None:
    """The harness itself: no point, no kill (so a -9 above comes from the point)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "banjir.txt").write_text(BANJIR, encoding="utf-8")
    done = run_child(tmp_path / "data", "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("1 added, 0 updated")
    assert os.path.exists(tmp_path / "data" / "docstore.sqlite")


def test_removal_after_a_killed_ingest_repairs_the_ingest_first(
    tmp_path: Path, seeded: Reference, second_batch: Reference, opened: list
) -> None:
    """A removal run after a killed ingest must not drop the marker with the leftovers."""
    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    write_second_batch(folder)
    died = run_child(data_dir, "ingest", str(folder), point="delete:before:1")
    assert died.returncode == -signal.SIGKILL, died.stderr

    assistant = open_after_crash(data_dir, opened)
    stores = assistant.retriever.stores
    report = remove_documents(stores, [SEED_IDS[0]])
    assert report.removed == (SEED_IDS[0],) and report.repaired
    in_docstore = stores.docstore.chunk_ids()
    assert stores.vectors.ids() == in_docstore == set(bm25_ids(stores))
    assert not (data_dir / "ingest.dirty").exists()
    ingest(stores, [folder])
    assert_same_as(stores, second_batch, second_batch.documents)


# -- damaged data dirs ---------------------------------------------------------------------------


def _build(data_dir: Path) -> Path:
    pointer = data_dir / "bm25" / "CURRENT"
    return data_dir / "bm25" / pointer.read_text()


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00not what this program wrote\xff" * 200)


DAMAGE = {
    "docstore-garbage": lambda d: _garbage(d / "docstore.sqlite"),
    "bm25-file-emptied": lambda d: (_build(d) / "data.csc.index.npy").write_bytes(b""),
    "bm25-file-cut-in-half": lambda d: (_build(d) / "vocab.index.json").write_text(
        (_build(d) / "vocab.index.json").read_text()[:100]
    ),
    "bm25-build-gone": lambda d: shutil.rmtree(_build(d)),
    "chroma-garbage": lambda d: _garbage(d / "chroma" / "chroma.sqlite3"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_data_dir_names_the_rebuild_command_then_rebuilds(
    damage: str, tmp_path: Path, seeded: Reference
) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    folder = write_seeds(tmp_path / "articles")
    data_dir = tmp_path / "data"
    copy_store(seeded, data_dir, folder)
    for name in ("docstore.sqlite-wal", "docstore.sqlite-shm"):
        (data_dir / name).unlink(missing_ok=True)
    DAMAGE[damage](data_dir)
    runner = CliRunner()
    # `rag ask` opens every store (an unchanged corpus lets `rag ingest` skip Chroma).
    failed = runner.invoke(
        app, ["ask", QUESTION, "--generator", "extractive", "--data-dir", str(data_dir)]
    )
    assert failed.exit_code == 2, (failed.output, failed.exception)
    assert isinstance(failed.exception, SystemExit)  # a message, not a traceback
    message = " ".join(failed.output.split())
    assert message.startswith("error: ")
    assert "rebuild it with `rag ingest --rebuild seeds/`" in message

    rebuilt = runner.invoke(
        app, ["ingest", "--rebuild", "--data-dir", str(data_dir), "--json", str(folder)]
    )
    assert rebuilt.exit_code == 0, (rebuilt.output, rebuilt.exception)
    stores = Stores.open(settings(data_dir))
    try:
        assert_same_as(stores, seeded, SEED_IDS)
    finally:
        stores.close()


def test_foreign_folder_is_refused_by_the_commands_and_left_alone(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    runner = CliRunner()
    for command in (["ingest", "--rebuild"], ["ingest"], ["ask", QUESTION]):
        result = runner.invoke(app, [*command, "--data-dir", str(folder)])
        assert result.exit_code == 2, (command, result.output, result.exception)
        message = " ".join(result.output.split())
        assert "is not a data dir of this program" in message
        assert "choose another RAG_DATA_DIR / --data-dir, or empty that folder" in message
    assert [p.name for p in folder.iterdir()] == ["holiday.jpg"]
