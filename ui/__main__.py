"""``python -m ui [--host 127.0.0.1] [--port 7860]``: serve the chat app (settings from RAG_*)."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default loopback)")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)

    from ui.app import launch

    launch(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
