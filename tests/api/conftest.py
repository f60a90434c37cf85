"""Fixtures of the API tests: one app over the seeded assistant, without a token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.http import create_app
from api.settings import ApiSettings


@pytest.fixture(scope="session")
def open_settings() -> ApiSettings:
    """No token, whatever RAG_API_TOKEN says in the environment."""
    return ApiSettings(token=None)


@pytest.fixture(scope="session")
def app(assistant: Any, open_settings: ApiSettings) -> FastAPI:
    return create_app(assistant, open_settings)


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
