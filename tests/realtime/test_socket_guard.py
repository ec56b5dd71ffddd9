"""The JSON module Socket.IO packets are decoded with: depth and size limits as ValueError."""

import pytest

from webapp.realtime.transport.socket_guard import MAX_DEPTH, DepthLimitedJSON


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_up_to_the_limit_decodes():
    assert DepthLimitedJSON.loads(nested(MAX_DEPTH)) is not None
    assert DepthLimitedJSON.loads('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}


@pytest.mark.parametrize("text", [nested(MAX_DEPTH + 1), nested(20_000),
                                  '{"a":' * 5000 + "1" + "}" * 5000, "1" * 101])
def test_too_deep_or_too_large_is_a_value_error(text):
    with pytest.raises(ValueError):
        DepthLimitedJSON.loads(text)
