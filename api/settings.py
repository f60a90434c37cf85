"""Settings of the HTTP server (env prefix ``RAG_API_``) and the rule for where it may listen.

The assistant's own settings stay in ``rag.Settings``; these only say how the API is exposed.
"""

from __future__ import annotations

import ipaddress

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_TOKEN_CHARS = 16
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_TOKEN_HINT = "export RAG_API_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(32))')"


class ApiConfigError(ValueError):
    """The server cannot start as configured; the message says what to change."""


class ApiSettings(BaseSettings):
    """How the HTTP API is exposed; ``RAG_API_TOKEN`` sets ``token``."""

    model_config = SettingsConfigDict(env_prefix="RAG_API_", extra="ignore", frozen=True)

    token: SecretStr | None = Field(
        default=None,
        description="Bearer token every endpoint but /health requires; unset: no auth.",
    )
    max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, le=16 * 1024 * 1024, description="Request body size limit."
    )
    allowed_hosts: tuple[str, ...] | None = Field(
        default=None,
        description="Host header values accepted (None: any). serve() sets the loopback names "
        "when it binds to a loopback address, which blocks DNS-rebinding pages.",
    )

    @field_validator("token", mode="before")
    @classmethod
    def _check_token(cls, value: object) -> object:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, str) and len(raw.strip()) < MIN_TOKEN_CHARS:
            raise ValueError(
                f"RAG_API_TOKEN must be at least {MIN_TOKEN_CHARS} characters; "
                f"make one with: {_TOKEN_HINT}"
            )
        return raw.strip() if isinstance(raw, str) else raw


def load_api_settings(token: str | None = None) -> ApiSettings:
    """``ApiSettings`` from the environment, with ``token`` (if given) over ``RAG_API_TOKEN``."""
    try:
        return ApiSettings() if token is None else ApiSettings(token=SecretStr(token))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ApiConfigError(f"invalid API setting: {problems}") from None


def is_loopback(host: str) -> bool:
    """Is ``host`` an address only this machine can reach (127.0.0.0/8, ::1, localhost)?"""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int, token: SecretStr | None) -> None:
    """Refuse a non-loopback bind without a token: anyone on the network could use the API."""
    if token is None and not is_loopback(host):
        raise ApiConfigError(
            f"refusing to listen on {host or '(all interfaces)'}:{port} without a bearer token: "
            f"anyone who can reach that address could use the API. Set RAG_API_TOKEN to a secret "
            f"of at least {MIN_TOKEN_CHARS} characters ({_TOKEN_HINT}) and send "
            f"'Authorization: Bearer <token>', or bind to 127.0.0.1."
        )
