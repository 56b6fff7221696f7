"""``tctt check`` and ``tctt serve`` on real loopback portals: a sample portal whose focal point is only an
image fails an essential rule (exit 8, the gap listed with how to fix it); the same portal with the focal
point written as text passes (exit 0). A dead portal, a portal that refuses the tool, and a bad address get
their own exit codes. The web page is driven by headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rules import load_ruleset
from tctt.sampleserver import SAMPLE_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IMAGE_ONLY = '<p><img src="/images/dau-moi.jpg" alt=""></p>'
AS_TEXT = ("<p>Đầu mối: bà Trần Thị Lan, Chánh Văn phòng Sở Xây dựng. Điện thoại: 0203.3852.123. "
           "Thư điện tử: vanphong.sxd@mauson.gov.vn</p>")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Refuses(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        body = b"<html><body><h1>403 Forbidden</h1>Access denied by the web application firewall</body></html>"
        self.send_response(403)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type, directory: Path | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    factory = functools.partial(handler, directory=str(directory)) if directory else handler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def portals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    work = tmp_path_factory.mktemp("selfcheck")
    broken, fixed = work / "broken", work / "fixed"
    shutil.copytree(SAMPLE_DIR / "portals" / "so-xay-dung", broken)
    shutil.copytree(broken, fixed)
    section = fixed / "tiep-can-thong-tin.html"
    text = section.read_text(encoding="utf-8")
    assert IMAGE_ONLY in text
    section.write_text(text.replace(IMAGE_ONLY, AS_TEXT), encoding="utf-8")  # what the editor fixes
    servers = [_serve(_Quiet, broken), _serve(_Quiet, fixed), _serve(_Refuses)]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    yield {"broken": servers[0][1], "fixed": servers[1][1], "refuses": servers[2][1], "dead": dead}
    for server, _ in servers:
        server.shutdown()


FOCAL = load_ruleset().rule("focal-point")


def test_a_failing_essential_rule_is_listed_with_its_fix_and_exits_8(portals: dict, tctt):
    result = tctt("check", portals["broken"], "--allow-private")
    assert result.returncode == 8, result.stdout + result.stderr
    assert FOCAL.failure_title["vi"] in result.stdout
    assert "Cách khắc phục" in result.stdout and "Căn cứ" in result.stdout
    assert "CHƯA ĐẠT" in result.stdout


def test_once_the_portal_is_fixed_the_check_exits_0(portals: dict, tctt):
    result = tctt("check", portals["fixed"], "--allow-private", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["exit_code"] == 0 and data["essential_failing"] == []
    assert next(f for f in data["findings"] if f["rule"] == "focal-point")["status"] == "pass"


def test_unreachable_blocked_and_bad_addresses_have_their_own_codes(portals: dict, tctt):
    assert tctt("check", portals["dead"], "--allow-private").returncode == 9
    blocked = tctt("check", portals["refuses"], "--allow-private")
    assert blocked.returncode == 10 and "BỊ CHẶN" in blocked.stdout
    bad = tctt("check", "ftp://example.invalid/")
    assert bad.returncode == 2 and "http(s)" in bad.stderr
    private = tctt("check", portals["broken"])  # loopback without --allow-private: refused, nothing fetched
    assert private.returncode == 2, private.stdout + private.stderr


@pytest.fixture(scope="module")
def page() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-m", "tctt.cli", "serve", "--port", "0", "--allow-private"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line, line
        yield line.split(": ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(20)


def test_the_page_binds_to_loopback_and_offers_the_form(page: str):
    assert page.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(page, timeout=10) as response:
        html = response.read().decode()
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert 'name="url"' in html and 'action="/check"' in html and "<script" not in html
    request = urllib.request.Request(page + "check?url=" + urllib.parse.quote("http://127.0.0.1:9/"),
                                     headers={"Sec-Fetch-Site": "cross-site"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


@pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium not installed")
def test_an_editor_sees_the_scorecard_in_a_browser(page: str, portals: dict, tmp_path: Path):
    url = page + "check?" + urllib.parse.urlencode({"url": portals["broken"]})
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--timeout=120000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert FOCAL.failure_title["vi"] in dom
    assert "CHƯA ĐẠT" in dom and "Cách khắc phục" in dom
    assert f'value="{portals["broken"]}"' in dom  # the address stays in the form for the next check
