"""Incremental ingestion: files -> articles -> chunks -> embeddings -> the three stores.

Order of writes, chosen so that a crash at any point leaves a usable store:
1. an ``ingest.dirty`` marker is written;
2. if the analyzer changed since the stored BM25 tokens were made, they are made again from the
   stored chunk texts (one transaction; nothing is embedded again);
3. per batch of articles: new chunk vectors are upserted into Chroma (their ids carry the
   content version, so they never overwrite live ones), then the document store replaces the
   article and its chunks in one SQLite transaction, then the superseded vectors are deleted;
4. the BM25 index is rebuilt from the document store and published atomically;
5. the marker is removed.
Readers only return chunks the document store knows, so stray vectors from an interrupted
step are invisible; the next ingest sees the marker and reconciles Chroma and BM25 with the
document store (deleting orphans, re-adding missing vectors from stored embeddings).
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from index.analyzer import IndonesianAnalyzer
from index.articles import Article, parse_article
from index.chunking import CHUNKER_VERSION, Chunk, chunk_article, embed_text
from index.docstore import ChunkRecord, DocStore, DocumentRecord
from index.lexical import build_lexical_index
from index.loaders import LoadedFile, LoadError, discover, load_file
from index.stores import Stores

ProgressFn = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``."""

_EMBED_GROUP = 64  # chunks per embedding call across articles: keeps all cores busy


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    embedded_chunks: int = 0
    repaired: bool = False
    seconds: float = 0.0
    retokenized: int = 0  # chunks whose BM25 tokens a changed analyzer made again

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.repaired or self.retokenized)

    def summary(self) -> str:
        again = f", {self.retokenized} re-tokenized" if self.retokenized else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped "
            f"({self.embedded_chunks} chunks embedded{again}, {self.seconds:.2f} s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "updated": list(self.updated),
            "removed": list(self.removed),
            "unchanged": list(self.unchanged),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "warnings": list(self.warnings),
            "embedded_chunks": self.embedded_chunks,
            "repaired": self.repaired,
            "seconds": round(self.seconds, 3),
            "retokenized": self.retokenized,
        }


@dataclass
class _Pending:
    loaded: LoadedFile
    article: Article
    content_hash: str
    chunks: list[Chunk]
    existed: bool
    vectors: list[list[float]] = field(default_factory=list)


class IngestBusyError(RuntimeError):
    """Another ingest holds the data dir's lock."""


def ingest(
    stores: Stores,
    paths: Sequence[Path],
    *,
    prune: bool = True,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Bring the stores up to date with the files under ``paths``.

    New and changed articles are (re-)indexed, unchanged ones cost a hash; with ``prune``,
    articles previously ingested from inside one of the given folders whose file is gone are
    removed. Bad files are skipped with a reason; the rest of the batch goes through.
    """
    started = time.perf_counter()
    report = _Builder()
    analyzer = IndonesianAnalyzer()
    files, errors = discover(list(paths), resolve=True)  # the docstore records absolute paths
    report.skipped.extend(Skipped(str(e.path), e.reason) for e in errors)
    with _ingest_lock(stores.data_dir):
        dirty = stores.data_dir / "ingest.dirty"
        location = stores.settings.vector_location
        # Reconcile after an interrupted run, or when the vectors are elsewhere than where
        # this docstore last wrote them (e.g. first use of a Chroma server).
        repair = dirty.exists() or stores.docstore.get_meta("vectors_at") != location
        dirty.write_text(datetime.now().isoformat())
        if repair:
            report.repaired = _reconcile(stores)
        pending = _plan(stores, files, report)
        if pending and not repair and stores.vectors.count() != stores.docstore.count_chunks():
            report.repaired = _reconcile(stores)  # the collection changed behind our back
        if stores.docstore.get_meta("analyzer") != analyzer.identity:  # before new chunks
            report.retokenized = stores.docstore.retokenize(analyzer, analyzer.identity)
        _index(stores, pending, report, analyzer, progress)
        stores.docstore.set_meta("chunking", _chunking_signature(stores))
        if prune:
            _prune(stores, paths, files, report)
        if (
            report.changed
            or repair
            or stores.lexical.version is None
            or stores.lexical.size != stores.docstore.count_chunks()
        ):
            _publish_bm25(stores)
        stores.docstore.set_meta("vectors_at", location)
        dirty.unlink(missing_ok=True)
    return report.build(time.perf_counter() - started)


def remove_documents(stores: Stores, doc_ids: Sequence[str]) -> IngestReport:
    """Delete articles by doc_id from all three stores."""
    started = time.perf_counter()
    report = _Builder()
    with _ingest_lock(stores.data_dir):
        dirty = stores.data_dir / "ingest.dirty"
        # The marker of an interrupted ingest or removal records leftovers (orphan vectors, a
        # stale BM25 build): repair them before this run removes the marker, as ingest does.
        # Without this, repeating a killed `rag remove` left them in place for good.
        repair = dirty.exists()
        dirty.write_text(datetime.now().isoformat())
        if repair:
            report.repaired = _reconcile(stores)
        for doc_id in doc_ids:
            if stores.docstore.document(doc_id) is None:
                report.skipped.append(Skipped(doc_id, "no such document"))
                continue
            stores.vectors.delete(stores.docstore.delete_document(doc_id))
            report.removed.append(doc_id)
        if report.removed or repair:
            _publish_bm25(stores)
        dirty.unlink(missing_ok=True)
    return report.build(time.perf_counter() - started)


def _publish_bm25(stores: Stores) -> None:
    """Rebuild the BM25 index from the document store, publish it and load it here."""
    stores.published_here.add(
        build_lexical_index(stores.data_dir / "bm25", stores.docstore.iter_tokens())
    )
    stores.lexical.refresh()


def content_hash(article: Article) -> str:
    """Identity of an article's content, to spot the same story under another file name."""
    text = "\n".join([article.title, *(b.text for b in article.blocks)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_metadata(article: Article | DocumentRecord, chunk: Chunk | ChunkRecord) -> dict[str, Any]:
    """What Chroma stores beside each vector (also what metadata filters see)."""
    return {
        "doc_id": chunk.doc_id,
        "title": article.title,
        "publisher": article.publisher,
        "published": article.published,
        "published_ts": _timestamp(article.published),
        "kind": chunk.kind,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
    }


def _timestamp(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return int(datetime.fromisoformat(published).timestamp())
    except ValueError:
        return None


class _Builder:
    def __init__(self) -> None:
        self.added: list[str] = []
        self.updated: list[str] = []
        self.removed: list[str] = []
        self.unchanged: list[str] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.embedded_chunks = 0
        self.repaired = False
        self.retokenized = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.repaired or self.retokenized)

    def build(self, seconds: float) -> IngestReport:
        return IngestReport(
            tuple(self.added),
            tuple(self.updated),
            tuple(self.removed),
            tuple(self.unchanged),
            tuple(self.skipped),
            tuple(self.warnings),
            self.embedded_chunks,
            self.repaired,
            seconds,
            self.retokenized,
        )


def _chunking_signature(stores: Stores) -> str:
    s = stores.settings
    return f"chunker={CHUNKER_VERSION};max_chars={s.chunk_max_chars};embed_title={s.embed_title}"


def _plan(stores: Stores, files: list[Path], report: _Builder) -> list[_Pending]:
    docstore = stores.docstore
    known = docstore.fingerprints()
    signature = _chunking_signature(stores)
    resign = docstore.get_meta("chunking") != signature
    by_content = {fp[2]: doc_id for doc_id, fp in known.items()}
    pending: list[_Pending] = []
    seen_ids: dict[str, str] = {}
    for path in files:
        if not resign and path.stem not in seen_ids and _same_bytes(path, known.get(path.stem)):
            seen_ids[path.stem] = str(path)
            report.unchanged.append(path.stem)
            continue
        try:
            loaded = load_file(path)
        except LoadError as exc:
            report.skipped.append(Skipped(str(exc.path), exc.reason))
            continue
        report.warnings.extend(f"{path}: {w}" for w in loaded.warnings)
        doc_id = loaded.doc_id
        if doc_id in seen_ids:
            report.skipped.append(
                Skipped(str(path), f"same document id {doc_id!r} as {seen_ids[doc_id]}; rename one")
            )
            continue
        seen_ids[doc_id] = str(path)
        old = known.get(doc_id)
        if old and old[0] != str(path) and Path(old[0]).exists():
            report.skipped.append(
                Skipped(
                    str(path), f"document id {doc_id!r} is already used by {old[0]}; rename one"
                )
            )
            continue
        version = hashlib.sha256(f"{loaded.sha256}|{signature}".encode()).hexdigest()
        if (
            old
            and old[1] == loaded.sha256
            and (not resign or _stored_version(docstore, doc_id) == version[:12])
        ):
            if old[0] != str(path):
                docstore.update_path(doc_id, str(path))
            report.unchanged.append(doc_id)
            continue
        article = parse_article(loaded.raw, doc_id)
        if not article.blocks:
            report.skipped.append(Skipped(str(path), "no article text left after cleaning"))
            continue
        chash = content_hash(article)
        twin = by_content.get(chash)
        if twin and twin != doc_id and (twin not in known or Path(known[twin][0]).exists()):
            report.skipped.append(Skipped(str(path), f"duplicate of the already ingested {twin}"))
            continue
        by_content[chash] = doc_id
        chunks = chunk_article(article, stores.settings.chunk_max_chars, version)
        pending.append(_Pending(loaded, article, chash, chunks, existed=old is not None))
    return pending


def _same_bytes(path: Path, known: tuple[str, str, str] | None) -> bool:
    """Is the file at its recorded path byte for byte what was ingested from there?

    An unchanged file then costs a read and a hash instead of ``load_file``'s decoding and
    checks, which dominated re-ingesting a large unchanged corpus. A file that is not UTF-8
    takes the full path, so its legacy-encoding warning is still reported.
    """
    if known is None or known[0] != str(path):
        return False
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # load_file says what is wrong, or warns
    return hashlib.sha256(data).hexdigest() == known[1]


def _stored_version(docstore: DocStore, doc_id: str) -> str | None:
    """The content version in the ids of a document's stored chunks."""
    ids = docstore.chunk_ids_of([doc_id])
    return ids[0].rsplit(":", 2)[1] if ids else None


def _index(
    stores: Stores,
    pending: list[_Pending],
    report: _Builder,
    analyzer: IndonesianAnalyzer,
    progress: ProgressFn | None,
) -> None:
    total = sum(len(p.chunks) for p in pending)
    done = 0
    if progress:
        progress("embedding", 0, total)
    for group in _groups(pending):
        texts = [
            embed_text(c.text, p.article.title, stores.settings.embed_title)
            for p in group
            for c in p.chunks
        ]
        vectors = stores.embedder.get_text_embedding_batch(texts) if texts else []
        offset = 0
        for item in group:
            item.vectors = vectors[offset : offset + len(item.chunks)]
            offset += len(item.chunks)
        _upsert_vectors(stores, group)  # before any of the group's docstore commits
        for item in group:
            _write(stores, item, analyzer)
            (report.updated if item.existed else report.added).append(item.article.doc_id)
        done += len(texts)
        report.embedded_chunks += len(texts)
        if progress:
            progress("embedding", done, total)


def _groups(pending: list[_Pending]) -> Iterator[list[_Pending]]:
    group: list[_Pending] = []
    size = 0
    for item in pending:
        group.append(item)
        size += len(item.chunks)
        if size >= _EMBED_GROUP:
            yield group
            group, size = [], 0
    if group:
        yield group


def _upsert_vectors(stores: Stores, group: list[_Pending]) -> None:
    """The new vectors of a group of articles, in one Chroma call.

    A call costs a write to disk whatever its size (~150 ms per article's call on this
    machine, most of a cached ingest's time): one per group, not one per article. Their ids
    carry the content version, so they never overwrite live vectors; a crash before the
    docstore commits leaves orphans that the next ingest deletes.
    """
    stores.vectors.upsert(
        [c.chunk_id for item in group for c in item.chunks],
        [vector for item in group for vector in item.vectors],
        [c.text for item in group for c in item.chunks],
        [chunk_metadata(item.article, c) for item in group for c in item.chunks],
    )


def _write(stores: Stores, item: _Pending, analyzer: IndonesianAnalyzer) -> None:
    """Commit one article and its chunks to the docstore (its vectors are already in Chroma),
    then delete the vectors it superseded."""
    article = item.article
    record = DocumentRecord.of(
        article, str(item.loaded.path), item.loaded.sha256, item.content_hash
    )
    chunk_records = [
        ChunkRecord(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            index=c.index,
            kind=c.kind,
            start=c.start,
            end=c.end,
            text=c.text,
            sentences=tuple((s.start, s.end) for s in c.sentences),
            tokens=tuple(analyzer(c.text)),
            embedding=vector,  # type: ignore[arg-type]
        )
        for c, vector in zip(item.chunks, item.vectors, strict=True)
    ]
    stale = stores.docstore.replace_document(record, chunk_records)
    if stale:
        stores.vectors.delete(stale)


def _prune(stores: Stores, roots: Sequence[Path], files: list[Path], report: _Builder) -> None:
    folders = [r.resolve() for r in roots if r.is_dir()]
    if not folders:
        return
    present = {str(f) for f in files}
    for doc_id, (path, _, _) in stores.docstore.fingerprints().items():
        if path in present or Path(path).exists():
            continue
        resolved = Path(path).resolve()
        if any(resolved.is_relative_to(folder) for folder in folders):
            stores.vectors.delete(stores.docstore.delete_document(doc_id))
            report.removed.append(doc_id)


def _reconcile(stores: Stores) -> bool:
    """Make Chroma hold exactly the document store's chunks; True if anything was repaired."""
    in_docstore = stores.docstore.chunk_ids()
    in_chroma = stores.vectors.ids()
    orphans = sorted(in_chroma - in_docstore)
    missing = sorted(in_docstore - in_chroma)
    if orphans:
        stores.vectors.delete(orphans)
    if missing:
        documents = {d.doc_id: d for d in stores.docstore.documents()}
        for i in range(0, len(missing), 1000):
            records = stores.docstore.chunks(missing[i : i + 1000]).values()
            stores.vectors.upsert(
                [r.chunk_id for r in records],
                [r.embedding.tolist() for r in records],
                [r.text for r in records],
                [chunk_metadata(documents[r.doc_id], r) for r in records],
            )
    return bool(orphans or missing)


@contextmanager
def _ingest_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "ingest.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestBusyError(
                f"another ingest is running on {data_dir}; wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
