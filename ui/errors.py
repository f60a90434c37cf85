"""Errors of the chat app that a user can act on (importable without Gradio)."""


class UiConfigError(ValueError):
    """The chat cannot be served as asked (e.g. exposed without a password)."""
