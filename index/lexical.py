"""The lexical index: BM25 (bm25s) over the chunks' Indonesian-analysed tokens.

It is rebuilt from the document store's cached tokens (no re-analysis), written to a fresh
folder, and published by atomically replacing a ``CURRENT`` pointer file, so a reader never
sees a half-written index and an interrupted build leaves the previous one in place.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

_POINTER = "CURRENT"


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    score: float


class LexicalIndex:
    """A loaded BM25 index; ``refresh()`` picks up a newer published build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._version: str | None = None
        self._bm25: bm25s.BM25 | None = None
        self._ids: list[str] = []
        self._position: dict[str, int] = {}
        self._id_set: frozenset[str] = frozenset()
        self.refresh()

    @property
    def size(self) -> int:
        return len(self._ids)

    @property
    def version(self) -> str | None:
        return self._version

    def published(self) -> tuple[str | None, frozenset[str]]:
        """The loaded build's version and chunk ids, read together."""
        with self._lock:
            return self._version, self._id_set

    def refresh(self) -> None:
        """Load the published build if it changed since the last load."""
        pointer = self.root / _POINTER
        try:
            version = pointer.read_text().strip()
        except FileNotFoundError:
            return
        if version == self._version:
            return
        folder = self.root / version
        try:
            ids = json.loads((folder / "ids.json").read_text())
            bm25 = bm25s.BM25.load(str(folder), load_vocab=True) if ids else None
        except FileNotFoundError:  # superseded while we read the pointer: take the newest
            if pointer.read_text().strip() != version:
                self.refresh()
                return
            raise
        with self._lock:
            self._bm25, self._ids, self._version = bm25, ids, version
            self._position = {cid: i for i, cid in enumerate(ids)}
            self._id_set = frozenset(ids)

    def query(
        self, tokens: list[str], k: int, allowed: Iterable[str] | None = None
    ) -> list[LexicalHit]:
        """Top ``k`` chunks for analysed query ``tokens``, optionally only among ``allowed``."""
        if k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        with self._lock:
            bm25, ids, position = self._bm25, self._ids, self._position
        if bm25 is None or not ids:
            return []
        vocab = bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(ids), dtype=np.float32)
            for cid in allowed:
                if cid in position:
                    mask[position[cid]] = 1.0
            if not mask.any():
                return []
        k = min(k, len(ids))
        docs, scores = bm25.retrieve(
            [known], k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [
            LexicalHit(ids[int(d)], float(s))
            for d, s in zip(docs[0], scores[0], strict=True)
            if float(s) > 0.0
        ]


def build_lexical_index(root: Path, items: Iterable[tuple[str, list[str]]]) -> str:
    """Build and publish a BM25 index of ``(chunk_id, tokens)``; returns the new version."""
    root.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    corpus: list[list[str]] = []
    for chunk_id, tokens in items:
        ids.append(chunk_id)
        corpus.append(tokens)
    version = uuid.uuid4().hex
    tmp = root / f".{version}.tmp"
    tmp.mkdir()
    if ids:
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        bm25.save(str(tmp), show_progress=False)
    (tmp / "ids.json").write_text(json.dumps(ids))
    os.replace(tmp, root / version)
    pointer_tmp = root / f".{_POINTER}.{version}.tmp"
    pointer_tmp.write_text(version)
    os.replace(pointer_tmp, root / _POINTER)
    _remove_old(root, keep=version)
    return version


def _remove_old(root: Path, keep: str) -> None:
    """Delete superseded builds, keeping the one before ``keep`` for readers still loading it."""
    builds = sorted(
        (e for e in root.iterdir() if e.is_dir() and not e.name.startswith(".") and e.name != keep),
        key=lambda e: e.stat().st_mtime_ns,
    )
    for entry in builds[:-1]:
        shutil.rmtree(entry, ignore_errors=True)
    for entry in root.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and keep not in entry.name:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
