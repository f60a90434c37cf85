"""Fill the embedding cache for a benchmark corpus, resumably.

    .venv/bin/python -m benchmarks.embed_cache --size 100000            # fill; resumes
    .venv/bin/python -m benchmarks.embed_cache --size 100000 --status   # N of M cached
    .venv/bin/python -m benchmarks.embed_cache --size 10000 --naive     # the naive baseline's

At ~14 chunks/s, the 100k corpus costs about two hours of both cores: its vectors are
computed once, here, into ``index.embedding_cache``, and ``benchmarks.run`` reads them back.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_ROOT, DEFAULT_SEED, CorpusFiles, ensure_corpus
from index.embedding_cache import EmbeddingCache, text_key

DATA_DIR = Path(__file__).resolve().parents[1] / ".rag"
DEFAULT_CACHE = DATA_DIR / "bench-cache"


def claim_project_data_dir(*paths: Path) -> None:
    """Before writing benchmark files inside the project's data dir (``.rag``), mark it as a
    data dir, so that ``rag`` does not later refuse it as a foreign folder."""
    data_dir = DATA_DIR.resolve()
    if any(data_dir in (p := path.resolve(), *p.parents) for path in paths):
        from index.stores import claim_data_dir

        claim_data_dir(data_dir)


def naive_view(files: CorpusFiles) -> Path:
    """The corpus's articles at a fixed path without dot-folders, for the ``naive`` baseline:
    llama-index's ``SimpleDirectoryReader`` skips files under a dot-folder (the data dir is
    ``.rag``), and embeds each file's path with its nodes (the cache keys)."""
    link = Path(tempfile.gettempdir()) / "kabar-bench" / files.root.name
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and link.resolve() == files.articles_dir.resolve():
        return link
    tmp = link.with_name(f".{link.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(files.articles_dir.resolve(), target_is_directory=True)
    os.replace(tmp, link)
    return link


def naive_node_texts(articles_dir: Path) -> list[str]:
    """The texts the ``naive`` baseline (evals/baselines.py) embeds for this folder: its
    reader's documents through the default ``SentenceSplitter``, with their metadata."""
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode

    documents = SimpleDirectoryReader(input_dir=str(articles_dir)).load_data()
    nodes = SentenceSplitter().get_nodes_from_documents(documents)
    return [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]


def fill(
    cache: EmbeddingCache,
    texts: Sequence[str],
    embedder: Any,
    batch: int = 64,
    progress: Callable[[str], None] = print,
    every: float = 60.0,
) -> int:
    """Embed the texts not yet cached, last first, flushing shards as it goes; returns how many.

    Last first: a benchmark run embeds a corpus from its start (and writes through), so a
    background fill working backwards meets it instead of repeating its work. Shards written
    meanwhile by other processes are picked up between batches.
    """
    keyed = list(dict.fromkeys((text_key(t), t) for t in reversed(texts)))
    todo = [(k, t) for k, t in keyed if k not in cache]
    progress(f"{len(keyed) - len(todo)} of {len(keyed)} cached; embedding {len(todo)}")
    done = 0
    started = last = time.perf_counter()
    while done < len(todo):
        if cache.refresh():
            todo = todo[:done] + [(k, t) for k, t in todo[done:] if k not in cache]
        group = todo[done : done + batch]
        if not group:  # the refresh found the rest cached
            break
        vectors = embedder.get_text_embedding_batch([t for _, t in group])
        for (key, _), vector in zip(group, vectors, strict=True):
            cache.put(key, vector)
        done += len(group)
        if (now := time.perf_counter()) - last >= every or done >= len(todo):
            last, rate, left = now, done / (now - started), len(todo) - done
            progress(
                f"{len(cache)} cached; {done} embedded this run at {rate:.1f}/s; "
                f"{left} left (~{left / rate / 60 if rate else float('inf'):.0f} min)"
            )
    cache.flush()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="corpus size in chunks")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--naive", action="store_true", help="the naive baseline's node texts")
    parser.add_argument("--status", action="store_true", help="only say how many are cached")
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from index.embedders import make_embedder
    from index.settings import IndexSettings

    settings = IndexSettings()
    claim_project_data_dir(args.cache, args.corpus_root)
    files = ensure_corpus(args.size, args.seed, args.corpus_root, progress=print)
    texts = naive_node_texts(naive_view(files)) if args.naive else files.chunk_texts()
    cache = EmbeddingCache(args.cache, settings.embedder_id)
    what = "naive node" if args.naive else "chunk"
    print(f"size {args.size}: {cache.coverage(texts)} ({what} texts, {files.root})", flush=True)
    if args.status:
        return 0
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        fill(cache, texts, make_embedder(settings), args.batch, lambda m: print(m, flush=True))
    finally:
        cache.flush()  # keep what was embedded when interrupted
    print(f"size {args.size}: {cache.coverage(texts)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
