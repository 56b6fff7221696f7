"""Progress an operator can read: one line per agency for the whole run — done of total, rate, time left —
printed once per agency also when K processes share the crawl."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path

from crawler.crawlstats import summarise
from crawler.progress import ProgressLine


def test_the_line_says_done_of_total_rate_and_time_left():
    now = [100.0]
    line = ProgressLine(10, clock=lambda: now[0])
    now[0] = 130.0  # 2 agencies in 30 s: 4 a minute, 8 left: 2 minutes
    line.add("a", "audited", "x")
    text = line.add("b", "unreachable", "timed out")
    assert text.startswith("[2/10 20%] b: unreachable — timed out")
    assert "4.0 cơ quan/phút / agencies/min" in text and "~120 phút/min" not in text and "~2 phút/min" in text
    assert "not audited so far: 1" in text


def test_statistics_of_several_processes_add_up_and_peaks_do_not():
    rows = [{"stats": {"downloader/request_count": 10, "elapsed_time_seconds": 5.0, "memusage/max": 100}},
            {"stats": {"downloader/request_count": 7, "elapsed_time_seconds": 9.0, "memusage/max": 80}}]
    assert summarise(rows) == {"downloader/request_count": 17, "elapsed_time_seconds": 9.0, "memusage/max": 100}


def test_processes_share_one_progress_line_per_agency(tmp_path: Path, tctt):
    servers = []
    rows = ["id,name,level,parent,province,url,email"]
    for n in range(6):
        site = tmp_path / f"site{n}"
        site.mkdir()
        (site / "index.html").write_text(f"<html><body><h1>Cổng {n}</h1></body></html>", encoding="utf-8")
        host = f"127.0.0.{81 + n}"  # one host each: the processes share agencies by host name
        server = http.server.ThreadingHTTPServer((host, 0), lambda *a, d=site: http.server.SimpleHTTPRequestHandler(
            *a, directory=str(d)))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        rows.append(f"p{n},Cổng {n},department,,,http://{host}:{server.server_address[1]}/,")
    registry = tmp_path / "registry.csv"
    registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    try:
        result = tctt('crawl', '--registry', str(registry), '--db', str(tmp_path / 't.db'), '--allow-private',
                      '--processes', '2', timeout=300)
    finally:
        for server in servers:
            server.shutdown()
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if re.match(r"\[\d+/", line)]
    assert [int(re.match(r"\[(\d+)/6", line).group(1)) for line in lines] == [1, 2, 3, 4, 5, 6], lines
    assert sorted(re.search(r"\] (p\d):", line).group(1) for line in lines) == [f"p{n}" for n in range(6)]
    assert lines[-1].startswith("[6/6 100%]") and "agencies/min" in lines[-1]
    assert "left ~" in lines[0]
    stats = tctt('stats', '--db', str(tmp_path / 't.db'))
    assert stats.returncode == 0 and stats.stdout.count("finished") == 2  # one row per crawl process
