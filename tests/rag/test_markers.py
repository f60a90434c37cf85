from rag.markers import MARKER_RE, markers


def test_markers_are_numbers_in_order_one_per_reference() -> None:
    assert markers("a [1] b [2, 3] c [4;5] d [x] e [] f") == [1, 2, 3, 4, 5]
    assert markers("no markers") == []


def test_the_pattern_matches_whole_markers_only() -> None:
    assert MARKER_RE.sub("", "a [1] b [2 , 3] c [x] d [1.5]") == "a  b  c [x] d [1.5]"
