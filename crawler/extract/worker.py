"""One extraction worker process: ``python -m crawler.extract.worker``.

It reads jobs ``(body, url, limits)`` from stdin and writes results to the pipe it was given, under a
memory limit (RLIMIT_AS) set before the first job, so a hostile document exhausts this process and not
the crawler. The parent (``crawler.extract.pool``) kills it when a job overruns its deadline.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
from multiprocessing.connection import Connection


def main() -> None:
    # The protocol runs over a private copy of stdout; anything a library prints goes to stderr.
    out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    jobs = Connection(os.dup(0), writable=False)
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from crawler.extract import extract
    out.send("ready")  # imports done: the parent's deadlines count from here (crawler.extract.pool)

    modules = 0
    while True:
        try:
            job = jobs.recv()
        except EOFError:
            return
        if job is None:
            return
        body, url, limits = job
        out.send(extract(body, url, limits))
        del job, body
        if len(sys.modules) != modules:
            # A document type seen for the first time imported its libraries (pdfplumber, openpyxl…):
            # freeze what is alive now, so that the collector's full passes, which pdfminer's many objects
            # set off several times per PDF, stop walking those modules again and again (~15% of a PDF's
            # CPU). Garbage is collected first, so nothing unreachable is kept.
            gc.collect()
            gc.freeze()
            modules = len(sys.modules)


if __name__ == "__main__":
    main()
