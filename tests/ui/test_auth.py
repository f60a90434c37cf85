import pytest

from ui.app import _auth_for
from ui.errors import UiConfigError


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_needs_no_login(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAG_UI_AUTH", raising=False)
    assert _auth_for(host) is None


@pytest.mark.parametrize("credentials", [None, "", "admin", "admin:short"])
def test_other_addresses_refuse_without_a_proper_login(
    credentials: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if credentials is None:
        monkeypatch.delenv("RAG_UI_AUTH", raising=False)
    else:
        monkeypatch.setenv("RAG_UI_AUTH", credentials)
    with pytest.raises(UiConfigError, match="RAG_UI_AUTH"):
        _auth_for("0.0.0.0")


def test_other_addresses_get_the_configured_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_UI_AUTH", "reader:correct-horse")
    assert _auth_for("192.0.2.10") == ("reader", "correct-horse")
