"""One page-reading worker process: ``python -m crawler.pageworker MEMORY_MB``.

Reads jobs ``(body, url, encoding, content_type, max_text)`` and answers each with the page's evidence
fields (``crawler.pageread.read_page``), under an address-space limit; the parent kills it when a page
overruns its deadline.
"""

from __future__ import annotations

import os
import resource
import sys
from multiprocessing.connection import Connection


def main() -> None:
    out = Connection(os.dup(1), readable=False)  # the protocol's own copy of stdout; prints go to stderr
    os.dup2(2, 1)
    jobs = Connection(os.dup(0), writable=False)
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from crawler.pageread import read_page, unread
    out.send("ready")  # imports done: the parent's deadlines count from here (crawler.extract.pool)

    while True:
        try:
            job = jobs.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            result = read_page(*job)
        except MemoryError:
            result = unread(f"memory limit of {memory_mb} MB reached")
        out.send(result)
        del job, result


if __name__ == "__main__":
    main()
