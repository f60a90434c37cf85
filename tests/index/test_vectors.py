"""index.vectors: reading the Chroma server URL."""

from __future__ import annotations

import pytest

from index.vectors import ChromaServer, VectorStoreError, parse_chroma_url


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("http://127.0.0.1:8001", ChromaServer("127.0.0.1", 8001, ssl=False)),
        ("http://chroma.internal", ChromaServer("chroma.internal", 8000, ssl=False)),
        ("https://chroma.example.org", ChromaServer("chroma.example.org", 443, ssl=True)),
        ("https://chroma.example.org:9443/", ChromaServer("chroma.example.org", 9443, ssl=True)),
        ("http://[::1]:8001", ChromaServer("::1", 8001, ssl=False)),
    ],
)
def test_http_and_https_urls(url: str, server: ChromaServer) -> None:
    assert parse_chroma_url(url) == server


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:8001", "ftp://chroma.example.org", "http://", "http://h:port", "http://h:70000"],
)
def test_a_url_that_names_no_server_is_refused(url: str) -> None:
    with pytest.raises(VectorStoreError, match="expected http://host:port or https://host:port"):
        parse_chroma_url(url)
