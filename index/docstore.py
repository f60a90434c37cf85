"""The document store: the source of truth for what is indexed.

SQLite (one file, transactions, WAL so readers see a consistent snapshot while an ingest
writes). It holds each article's raw text and metadata, and each chunk's text, offsets,
sentence spans, BM25 tokens and embedding. Chroma and the BM25 index are derived from it:
after a crash they are reconciled against it, and a Chroma server can be filled from it
without embedding again. (llama-index's docstore keeps nodes but not vectors nor a
transaction across our three stores, hence this small schema.)
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from index.articles import Article, Block

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    raw TEXT NOT NULL,
    meta TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS documents_content ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL,
    tokens TEXT NOT NULL,
    embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, idx);
"""


class DocStoreError(RuntimeError):
    """The document store is unreadable or of another schema."""


@dataclass(frozen=True)
class DocumentRecord(Article):
    """An article as stored: where its file was, the file's and the content's hashes, and
    how many chunks it has."""

    path: str
    sha256: str
    content_hash: str
    n_chunks: int = 0

    @classmethod
    def of(cls, article: Article, path: str, sha256: str, content_hash: str) -> DocumentRecord:
        values = {f.name: getattr(article, f.name) for f in fields(Article)}
        return cls(**values, path=path, sha256=sha256, content_hash=content_hash)


@dataclass(frozen=True)
class ChunkRecord:
    chunk_id: str
    doc_id: str
    index: int
    kind: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[str, ...]
    embedding: np.ndarray


class DocStore:
    """Thread-safe access to the SQLite document store at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                path, check_same_thread=False, timeout=30, isolation_level=None
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            stored = self.get_meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise DocStoreError(f"{path} is not a readable document store ({exc})") from exc
        if stored is None:
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif stored != SCHEMA_VERSION:
            raise DocStoreError(
                f"{path} has schema version {stored}, this program writes {SCHEMA_VERSION}"
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # -- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT d.doc_id, d.path, d.sha256, d.content_hash, d.raw, d.meta, "
                "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d ORDER BY d.doc_id"
            ).fetchall()
        return [_document(row) for row in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT d.doc_id, d.path, d.sha256, d.content_hash, d.raw, d.meta, "
                "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d WHERE d.doc_id=?",
                (doc_id,),
            ).fetchone()
        return None if row is None else _document(row)

    def fingerprints(self) -> dict[str, tuple[str, str, str]]:
        """doc_id -> (path, sha256 of the file, content hash), without loading texts."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc_id, path, sha256, content_hash FROM documents"
            ).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def replace_document(self, record: DocumentRecord, chunks: Sequence[ChunkRecord]) -> list[str]:
        """Insert or replace one article and its chunks atomically; returns the old chunk ids."""
        meta = json.dumps(
            {
                "title": record.title,
                "published": record.published,
                "publisher": record.publisher,
                "author": record.author,
                "editor": record.editor,
                "sources": list(record.sources),
                "category": record.category,
                "blocks": [[b.kind, b.start, b.end, b.text] for b in record.blocks],
            },
            ensure_ascii=False,
        )
        with self.transaction() as conn:
            old = [
                r[0]
                for r in conn.execute(
                    "SELECT chunk_id FROM chunks WHERE doc_id=?", (record.doc_id,)
                )
            ]
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (record.doc_id,))
            conn.execute(
                "INSERT INTO documents(doc_id, path, sha256, content_hash, raw, meta) "
                "VALUES(?,?,?,?,?,?) ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, "
                "sha256=excluded.sha256, content_hash=excluded.content_hash, raw=excluded.raw, "
                "meta=excluded.meta, ingested_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (record.doc_id, record.path, record.sha256, record.content_hash, record.raw, meta),
            )
            conn.executemany(
                'INSERT INTO chunks(chunk_id, doc_id, idx, kind, start, "end", text, sentences, '
                "tokens, embedding) VALUES(?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.index,
                        c.kind,
                        c.start,
                        c.end,
                        c.text,
                        json.dumps(c.sentences),
                        " ".join(c.tokens),
                        np.asarray(c.embedding, dtype=np.float32).tobytes(),
                    )
                    for c in chunks
                ],
            )
        return [cid for cid in old if cid not in {c.chunk_id for c in chunks}]

    def update_path(self, doc_id: str, path: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("UPDATE documents SET path=? WHERE doc_id=?", (path, doc_id))

    def delete_document(self, doc_id: str) -> list[str]:
        """Delete one article and its chunks atomically; returns the deleted chunk ids."""
        with self.transaction() as conn:
            old = [
                r[0] for r in conn.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))
            ]
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
        return old

    # -- chunks ----------------------------------------------------------------------------
    def chunk_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT chunk_id FROM chunks")}

    def count_chunks(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, ChunkRecord]:
        ids = list(dict.fromkeys(chunk_ids))
        found: dict[str, ChunkRecord] = {}
        with self._lock:
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                for row in self._conn.execute(
                    'SELECT chunk_id, doc_id, idx, kind, start, "end", text, sentences, tokens, '
                    f"embedding FROM chunks WHERE chunk_id IN ({marks})",
                    part,
                ):
                    found[row[0]] = _chunk(row)
        return found

    def chunks_of(self, doc_id: str) -> list[ChunkRecord]:
        with self._lock:
            rows = self._conn.execute(
                'SELECT chunk_id, doc_id, idx, kind, start, "end", text, sentences, tokens, '
                "embedding FROM chunks WHERE doc_id=? ORDER BY idx",
                (doc_id,),
            ).fetchall()
        return [_chunk(row) for row in rows]

    def chunk_ids_of(self, doc_ids: Iterable[str]) -> list[str]:
        """The chunk ids of these documents, in document and reading order (no texts loaded)."""
        ids = list(dict.fromkeys(doc_ids))
        found: list[str] = []
        with self._lock:
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                found.extend(
                    row[0]
                    for row in self._conn.execute(
                        f"SELECT chunk_id FROM chunks WHERE doc_id IN ({marks}) "
                        "ORDER BY doc_id, idx",
                        part,
                    )
                )
        return found

    def retokenize(self, analyze: Callable[[str], Sequence[str]], analyzer_id: str) -> int:
        """Analyse every chunk's text into BM25 tokens again, and record who made them.

        One transaction, so an interrupted run leaves the old tokens and the old analyzer id
        (and the next ingest starts over). Returns how many chunks were analysed.
        """
        with self.transaction() as conn:
            rows = conn.execute("SELECT chunk_id, text FROM chunks").fetchall()
            conn.executemany(
                "UPDATE chunks SET tokens=? WHERE chunk_id=?",
                ((" ".join(analyze(text)), chunk_id) for chunk_id, text in rows),
            )
            conn.execute(
                "INSERT INTO meta(key, value) VALUES('analyzer', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (analyzer_id,),
            )
        return len(rows)

    def iter_tokens(self) -> Iterator[tuple[str, list[str]]]:
        """(chunk_id, BM25 tokens) for every chunk, in a stable order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT chunk_id, tokens FROM chunks ORDER BY chunk_id"
            ).fetchall()
        for chunk_id, tokens in rows:
            yield chunk_id, tokens.split()


def _document(row: tuple) -> DocumentRecord:
    meta = json.loads(row[5])
    return DocumentRecord(
        doc_id=row[0],
        path=row[1],
        sha256=row[2],
        content_hash=row[3],
        raw=row[4],
        title=meta["title"],
        published=meta.get("published"),
        publisher=meta.get("publisher"),
        author=meta.get("author"),
        editor=meta.get("editor"),
        sources=tuple(meta.get("sources", ())),
        category=meta.get("category"),
        blocks=tuple(Block(kind, s, e, t) for kind, s, e, t in meta.get("blocks", ())),
        n_chunks=int(row[6]),
    )


def _chunk(row: tuple) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=row[0],
        doc_id=row[1],
        index=int(row[2]),
        kind=row[3],
        start=int(row[4]),
        end=int(row[5]),
        text=row[6],
        sentences=tuple((int(s), int(e)) for s, e in json.loads(row[7])),
        tokens=tuple(row[8].split()),
        embedding=np.frombuffer(row[9], dtype=np.float32),
    )
