"""Where a console page put a message: right under the widget it concerns."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block


def message_under(at: AppTest, key: str) -> str | None:
    """The error shown directly after the widget keyed `key` (empty layout cells, such as
    the unused columns of a grid row, do not count), if any."""
    nodes = [n for n in at.main if not (isinstance(n, Block) and len(n) == 0)]
    place = next(i for i, node in enumerate(nodes) if getattr(node, "key", None) == key)
    following = nodes[place + 1] if place + 1 < len(nodes) else None
    if following is not None and getattr(following, "type", None) == "error":
        return str(following.value)
    return None
