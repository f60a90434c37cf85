from index import Stores
from rag import Settings


def test_chunk_ids_of_lists_ids_in_reading_order_without_loading_chunks(
    seeded_settings: Settings,
) -> None:
    stores = Stores.open(seeded_settings)
    try:
        docstore = stores.docstore
        first, second = "000_5af2c4d53b4ab9d2", "004_94ce680aa1d7413e"
        expected = [c.chunk_id for c in docstore.chunks_of(first)]
        expected += [c.chunk_id for c in docstore.chunks_of(second)]
        assert docstore.chunk_ids_of([second, first, first]) == expected
        assert len(expected) == 6 + 8
        assert docstore.chunk_ids_of(["no-such-doc"]) == []
    finally:
        stores.close()
