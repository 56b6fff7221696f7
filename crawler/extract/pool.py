"""Document extraction off the reactor: a few long-lived worker processes, one document at a time each,
with a deadline and a memory budget per document.

A document that overruns its deadline gets its worker killed and replaced; a worker that dies (the
memory limit, a crash in a C library) is replaced too. Either way the document is recorded with the
reason and the crawl goes on. The asyncio side never blocks: each job waits in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from crawler.extract import Limits, sniff

STARTUP_SECONDS = 30.0  # a new worker's imports (a second or two; more on a loaded machine)


class _Worker:
    def __init__(self, memory_mb: int, module: str = "crawler.extract.worker"):
        self.process = subprocess.Popen([sys.executable, "-m", module, str(memory_mb)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.results = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.fresh = True  # has not said it is ready (still importing the extractors)

    def kill(self) -> None:
        for conn in (self.jobs, self.results):
            with contextlib.suppress(OSError):
                conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        try:
            self.jobs.send(None)
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            pass
        self.kill()


def _failed(body: bytes, reason: str) -> dict[str, Any]:
    import hashlib

    return {"doc_type": sniff(body), "text": "", "tables": [], "pages": None, "title": "", "scanned": False,
            "error": reason, "meta": {"sniffed": sniff(body), "size": len(body),
                                      "sha256": hashlib.sha256(body).hexdigest()}}


class DocumentPool:
    """``await pool.extract(body, url)`` → the extraction dict, within ``limits.seconds``."""

    worker_module = "crawler.extract.worker"  # the program each worker runs (crawler.pageworker for HTML)

    def __init__(self, workers: int, limits: Limits | float | None = None):
        if isinstance(limits, int | float):  # the old signature: (workers, timeout)
            limits = Limits(seconds=float(limits))
        self.limits = limits or Limits()
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self.closed = False

    def _worker(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._all) < self.size:
                worker = _Worker(self.limits.memory_mb, self.worker_module)
                self._all.append(worker)
                return worker
        return self._idle.get()

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _job(self, body: bytes, url: str, extra: tuple[Any, ...]) -> tuple[Any, ...]:
        return (body, url, self.limits)

    def _failed(self, body: bytes, reason: str) -> dict[str, Any]:
        return _failed(body, reason)

    def run(self, body: bytes, url: str, *extra: Any, seconds: float | None = None) -> dict[str, Any]:
        """Extract one document in a worker, blocking the calling thread (not the reactor). ``seconds``
        shortens the deadline (what is left of the agency's time budget)."""
        if self.closed:
            return self._failed(body, "not read: the crawl is shutting down")
        deadline = self.limits.seconds if seconds is None else max(0.0, min(seconds, self.limits.seconds))
        worker = self._worker()
        try:
            if worker.fresh:
                # A new worker imports its libraries first, then says so: that start does not count
                # against the page's deadline (it used to add 5 s to the first page's), the page does.
                if not (worker.results.poll(STARTUP_SECONDS) and worker.results.recv() == "ready"):
                    self._retire(worker)
                    return self._failed(body, f"not read: the worker did not start within {STARTUP_SECONDS:.0f} s")
                worker.fresh = False
            worker.jobs.send(self._job(body, url, extra))
            if worker.results.poll(deadline):
                result = worker.results.recv()
                self._idle.put(worker)
                return result
            self._retire(worker)
            return self._failed(body, f"timeout: extraction took more than {deadline:.0f} s"
                                      + (" (the agency's time budget)" if deadline < self.limits.seconds else ""))
        except (EOFError, OSError, BrokenPipeError) as exc:
            code = worker.process.poll()
            self._retire(worker)
            why = "memory limit or crash" if code is not None else type(exc).__name__
            return self._failed(body, f"worker died ({why}, exit {code}) on this document; "
                                      f"memory budget {self.limits.memory_mb} MB")

    async def extract(self, body: bytes, url: str, *extra: Any, seconds: float | None = None) -> dict[str, Any]:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="tctt-doc")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, lambda: self.run(body, url, *extra, seconds=seconds))

    def close(self) -> None:
        self.closed = True
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.stop()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
            self._threads = None

    def __enter__(self) -> DocumentPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
