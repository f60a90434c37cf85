"""A model's streamed answer, let through one checked sentence at a time.

The citation check (``rag.citations.verify_citations``) judges sentences, so a sentence can be
judged once the next one has begun (``settled_prefix``). Holding each sentence until then means
the asker never reads text the check then takes back: a sentence citing a passage that does
not hold its figure, or a planted instruction the model obeyed ("HACKED [1]"). The cost is the
time to write one sentence before the first text shows.

The check is run again on the whole settled text each time, not on the new sentence alone:
a sentence's verdict depends on those before it (a repeat is dropped, markers are numbered in
order of first use), and running it again keeps that logic in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from rag.citations import Verification, settled_prefix

Check = Callable[[str], Verification]
Showable = Callable[[Verification], str]
"""What of a checked text may be shown yet (default: all of it)."""


class CheckedStream:
    """Feed it the model's deltas; it returns the text that has passed the check so far.

    ``showable`` may hold back the end of a checked text: ``Assistant`` holds an English
    sentence that still carries Indonesian words until it is translated.
    """

    def __init__(self, check: Check, showable: Showable | None = None) -> None:
        self.check = check
        self._showable: Showable = showable or (lambda verification: verification.text)
        self._raw = ""
        self._settled = ""
        self._shown = ""
        self._diverged = False
        self._settled_sentences = 0

    @property
    def raw(self) -> str:
        """Everything the model has written so far."""
        return self._raw

    @property
    def shown(self) -> str:
        """The checked text handed out so far."""
        return self._shown

    @property
    def settled_sentences(self) -> int:
        """How many sentences of the settled text the check has kept."""
        return self._settled_sentences

    def feed(self, delta: str) -> str:
        """Take a delta; return the checked text it completes (often ``""``)."""
        self._raw += delta
        settled = settled_prefix(self._raw)
        if len(settled) <= len(self._settled):
            return ""
        self._settled = settled
        verification = self.check(settled)
        self._settled_sentences = len(verification.sentences)
        return self._advance(self._showable(verification))

    def close(self) -> Verification:
        """The check of the whole answer (nothing more is handed out: see ``finish``)."""
        return self.check(self._raw)

    def finish(self, text: str) -> str:
        """The rest of the final ``text`` not yet handed out ("" if it does not continue what
        was shown: the final answer then replaces it)."""
        return self._advance(text)

    def _advance(self, checked: str) -> str:
        # The check of a longer text keeps what it said of a shorter one; if it ever does not,
        # nothing more is handed out and the final answer replaces what was shown.
        if self._diverged or not checked.startswith(self._shown):
            self._diverged = True
            return ""
        new = checked[len(self._shown) :]
        self._shown = checked
        return new
