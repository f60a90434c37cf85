"""The assistant for other tools: an HTTP API (``api.http``) and an MCP server (``api.mcp_server``).

A client of the public ``rag`` API only, like the UI. Importing this package loads neither
FastAPI nor the MCP SDK; import the submodule you need::

    from api.http import create_app, serve          # rag serve
    from api.mcp_server import build_server, run_stdio  # rag mcp
"""

from api.settings import ApiConfigError, ApiSettings

__all__ = ["ApiConfigError", "ApiSettings"]
