"""The browser interface: a Gradio chat over the public ``rag`` API.

``from ui.app import build_app, launch`` — importing this package alone does not load Gradio.
"""
