"""The public API of ``rag`` (loaded lazily by ``__init__.py``: see there)."""

from .answer import (
    Answer as Answer,
)
from .answer import (
    Citation as Citation,
)
from .answer import (
    Language as Language,
)
from .answer import (
    Passage as Passage,
)
from .answer import (
    Progress as Progress,
)
from .assistant import Assistant as Assistant
from .filters import FilterError as FilterError
from .filters import Filters as Filters
from .generators.errors import GenerationError as GenerationError
from .language import detect_language as detect_language
from .retrieval import PassageNode as PassageNode
from .retrieval import Retriever as Retriever
from .settings import GeneratorName as GeneratorName
from .settings import Settings as Settings
