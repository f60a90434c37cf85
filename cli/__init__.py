"""The ``rag`` command line: the composition root (imports the packages it runs lazily)."""
