"""A terminal on the real `kiosk text` command: a line typed, a screen read."""

from __future__ import annotations

import os
import select
import subprocess
import time


class Terminal:
    """The command's input and output, as a person sees them: write a line, read the screen."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.shown = ""

    def screen(self, seconds: float = 30) -> str:
        """Everything printed up to the next "> " prompt."""
        out, deadline = b"", time.monotonic() + seconds
        while not out.endswith(b"> "):
            left = deadline - time.monotonic()
            assert left > 0, f"no prompt; printed so far: {out.decode(errors='replace')}"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"the command ended: {out.decode(errors='replace')}"
                out += chunk
        self.shown += out.decode("utf-8")
        return out.decode("utf-8")

    def type(self, line: str) -> str:
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return self.screen()

    def close(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=30)
