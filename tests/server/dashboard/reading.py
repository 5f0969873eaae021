"""Reading the dashboard as a person or a browser does: a page's words, a table row, the
messages of a live stream."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx

DEADLINE = 20.0  # seconds; the stream looks every 0.5 s and checks the session every 5 s


def text(html: str) -> str:
    """The page's words, as a person reads them."""
    words = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'")
    return " ".join(words.split())


def row(html: str, name: str) -> str:
    """The words of the table row whose header is `name`."""
    for found in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if re.search(rf'<th scope="row">\s*{re.escape(name)}\s*</th>', found):
            return text(found)
    raise AssertionError(f"no row for {name}")


def events(response: httpx.Response) -> Iterator[tuple[str, str]]:
    """(event name, data) of each message; comment lines are skipped."""
    name, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
        elif line.startswith("data: "):
            data.append(line[6:])
        elif line.startswith("event: "):
            name = line[7:]


def until(
    stream: Iterator[tuple[str, str]], wanted: Callable[[tuple[str, str]], bool]
) -> tuple[str, str]:
    started = time.monotonic()
    for event in stream:
        if wanted(event):
            return event
        assert time.monotonic() - started < DEADLINE, "the stream never sent it"
    raise AssertionError("the stream ended first")
