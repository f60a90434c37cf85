"""Shared fixtures: one seeded data dir per test session (real Chroma, real embedder)."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# An accidental model-hub call must fail loudly, never download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]


# -- no way out: sockets may only reach this machine ---------------------------------------
# Our own guard, not pytest-socket's --allow-hosts (0.8.1, tried): that patches
# socket.connect alone, so connect_ex still gets out; socket.create_connection resolves a
# remote name before it refuses, so a DNS query leaves the machine and, where DNS fails, the
# test sees a socket.gaierror (an OSError that a library's offline fallback swallows) instead
# of a loud error; and it is on only from each test's setup to its teardown hook, so session
# fixtures' teardown and threads running between tests are unguarded. (Loopback itself it
# can express, as 127.0.0.0/8,::1,::ffff:127.0.0.0/104,localhost.)
class NetworkBlockedError(RuntimeError):
    """A test tried to open a connection off this machine (not an OSError, so that no
    library's retry or fallback can swallow it quietly)."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection


def is_loopback_host(host: object) -> bool:
    """127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and the name 'localhost'."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0].strip("[]"))
    except ValueError:
        return False  # another host name: refused without resolving it
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _check(family: int, address: Any) -> None:
    if family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX and other local families
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_loopback_host(host):
        raise NetworkBlockedError(f"tests may not connect off this machine: {address!r}")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self.family, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self.family, address)
    return _real_connect_ex(self, address)


def _guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_loopback_host(host):  # before any DNS look-up
        raise NetworkBlockedError(f"tests may not connect off this machine: {address!r}")
    return _real_create_connection(address, *args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """Every test runs with connects off loopback refused (IPv4, IPv6, create_connection)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _guarded_connect)
        patch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
        patch.setattr(socket, "create_connection", _guarded_create_connection)
        yield


SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings for a data dir holding the five seed articles (extractive generator)."""
    from index import Stores
    from index.ingest import ingest
    from rag import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("seeded") / "data",
        generator="extractive",
        seeds_dir=SEEDS,
    )
    stores = Stores.open(settings)
    ingest(stores, [SEEDS])
    stores.close()
    return settings


@pytest.fixture(scope="session")
def assistant(seeded_settings):  # type: ignore[no-untyped-def]
    from rag import Assistant

    return Assistant.load(seeded_settings)


@pytest.fixture(scope="session")
def retriever(assistant):  # type: ignore[no-untyped-def]
    return assistant.retriever


@pytest.fixture()
def fresh_settings(tmp_path: Path) -> Iterator[object]:
    """Settings for an empty, private data dir."""
    from rag import Settings

    yield Settings(data_dir=tmp_path / "data", generator="extractive", seeds_dir=SEEDS)


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """Where the slow tests find (or assemble, once) the bundled model: the default data
    dir's models folder, shared with `make run`, unless RAG_TEST_MODELS_DIR says otherwise."""
    return Path(os.environ.get("RAG_TEST_MODELS_DIR", ROOT / ".rag" / "models"))
