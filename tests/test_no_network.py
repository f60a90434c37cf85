"""No way out: the tests cannot reach another machine, the UI sends no usage statistics, and
the servers listen on loopback unless told otherwise."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rag import Assistant, Settings
from tests.conftest import ROOT, NetworkBlockedError, is_loopback_host

TEST_NET = "203.0.113.1"  # TEST-NET-3 (RFC 5737): never a real host
TEST_NET_V6 = "2001:db8::1"  # documentation prefix (RFC 3849)


# -- the socket guard of tests/conftest.py ------------------------------------------------------
@pytest.mark.parametrize(
    ("family", "address"),
    [
        (socket.AF_INET, (TEST_NET, 80)),
        (socket.AF_INET, ("10.0.0.1", 443)),
        (socket.AF_INET, ("0.0.0.0", 80)),
        (socket.AF_INET, ("example.org", 80)),
        (socket.AF_INET6, (TEST_NET_V6, 80, 0, 0)),
        (socket.AF_INET6, ("::ffff:203.0.113.1", 80, 0, 0)),
    ],
)
@pytest.mark.parametrize("method", ["connect", "connect_ex"])
def test_connecting_off_loopback_raises_naming_the_address(
    family: int, address: tuple[Any, ...], method: str
) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        with pytest.raises(NetworkBlockedError, match=rf"'{address[0]}', {address[1]}"):
            getattr(sock, method)(address)


@pytest.mark.parametrize("host", [TEST_NET, TEST_NET_V6, "example.org", "pypi.org"])
def test_create_connection_off_loopback_raises_before_any_lookup(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[object] = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: looked_up.append(args))
    with pytest.raises(NetworkBlockedError, match=host):
        socket.create_connection((host, 80), timeout=2)
    assert looked_up == []  # no DNS query left the machine either


def test_an_http_client_cannot_get_out() -> None:
    import httpx

    with pytest.raises(NetworkBlockedError, match=TEST_NET):
        httpx.get(f"http://{TEST_NET}/", timeout=2)


@contextmanager
def _listener(family: int, host: str) -> Iterator[int]:
    """A server socket on ``host`` that accepts one connection; yields its port."""
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.bind((host, 0))
        server.listen(1)
        accept = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
        accept.start()
        yield server.getsockname()[1]
        accept.join(timeout=5)


@pytest.mark.parametrize(
    ("family", "listen_on", "connect_to"),
    [
        (socket.AF_INET, "127.0.0.1", "127.0.0.1"),
        (socket.AF_INET, "127.0.0.1", "localhost"),
        (socket.AF_INET6, "::1", "::1"),
    ],
)
def test_loopback_connections_are_allowed(family: int, listen_on: str, connect_to: str) -> None:
    if family == socket.AF_INET6 and not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    with _listener(family, listen_on) as port:
        with socket.create_connection((connect_to, port), timeout=5) as sock:
            assert sock.getpeername()[1] == port
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            assert sock.connect_ex((listen_on, port)) == 0


def test_unix_sockets_are_allowed(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            assert client.getpeername() == path


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        (b"127.0.0.1", True),
        ("0.0.0.0", False),
        ("", False),
        ("::", False),
        ("192.168.1.1", False),
        ("localhost.example.org", False),
    ],
)
def test_is_loopback_host(host: object, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


# -- Gradio sends no usage statistics -----------------------------------------------------------
def test_the_built_ui_has_analytics_off(assistant: Assistant, seeded_settings: Settings) -> None:
    from gradio import analytics

    from ui.app import build_app

    app = build_app(assistant, seeded_settings)

    assert app.analytics_enabled is False
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert analytics.analytics_enabled() is False


def test_importing_the_ui_turns_analytics_off_whatever_the_environment_says() -> None:
    # In a fresh interpreter, without the tests' own setting: the app must do it itself.
    code = (
        "import os; os.environ['GRADIO_ANALYTICS_ENABLED'] = 'True'\n"
        "import ui.app\n"
        "from gradio import analytics\n"
        "print(os.environ['GRADIO_ANALYTICS_ENABLED'], analytics.analytics_enabled())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_ANALYTICS_ENABLED"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"]


# -- the servers listen on loopback by default ---------------------------------------------------
def test_rag_chat_and_rag_serve_bind_loopback_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import api.http
    import ui.app
    from cli.main import app

    hosts: dict[str, str] = {}

    def fake_launch(settings: Settings, host: str = "?", port: int = 0, **_: Any) -> None:
        hosts["chat"] = host

    def fake_serve(settings: Settings, host: str = "?", port: int = 0, **_: Any) -> None:
        hosts["serve"] = host

    monkeypatch.setattr(ui.app, "launch", fake_launch)
    monkeypatch.setattr(api.http, "serve", fake_serve)
    runner = CliRunner()
    for command in ("chat", "serve"):
        result = runner.invoke(app, [command, "--data-dir", str(tmp_path / "data")])
        assert result.exit_code == 0, result.output

    assert hosts == {"chat": "127.0.0.1", "serve": "127.0.0.1"}
