"""A real Oxigraph SPARQL server on 127.0.0.1, started and stopped by the tests.

The server is the `oxigraph` package from PyPI (the same engine as pyoxigraph);
it runs in memory (or on disk, for tests that restart it) with the union of its
named graphs as the default graph, the way segraph's embedded store answers queries.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OxigraphServer:
    url: str

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"{self.url}/store"

    def post_nquads(self, data: bytes) -> None:
        """Load N-Quads through the SPARQL 1.1 Graph Store HTTP Protocol."""
        request = urllib.request.Request(
            f"{self.url}/store", data=data, method="POST", headers={"Content-Type": "application/n-quads"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204), response.status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oxigraph_server(location: Path | None = None, *, read_only: bool = False) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` on a free loopback port; stop it when the block ends.

    ``location`` keeps the store in that folder; ``read_only`` serves it with
    `oxigraph serve-read-only`, which refuses every write.
    """
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server is missing: pip install oxigraph (it is in the test extra)"
    port = free_port()
    mode = "serve-read-only" if read_only else "serve"
    command = [binary, mode, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = OxigraphServer(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{server.query_url}?query=ASK%7B%7D", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"oxigraph did not start: {output}") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
