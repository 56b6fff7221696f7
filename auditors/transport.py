"""Transport auditor: does the portal serve its pages over HTTPS with a valid certificate?

The crawler probes the portal once (``crawler/transport.py``) and stores the facts in the home page's
``signals.transport``; this auditor only reads them. Kept apart from ``checks.py`` so it can evolve on its own.
"""

from __future__ import annotations

from typing import Any

from auditors.base import Outcome, auditor, say
from auditors.evidence import Evidence


def _home(evidence: Evidence) -> dict[str, Any] | None:
    return next((p for p in evidence.pages if p.get("kind") == "home" and p.get("status") is not None), None)


MESSAGES = {
    "not_probed": ("Không có dữ liệu kiểm tra HTTPS/chứng thư số của cổng; cần kiểm tra thủ công.",
                   "No HTTPS or certificate check was recorded for the portal; check by hand."),
    "valid": ("Cổng dùng HTTPS với chứng thư số hợp lệ (hết hạn {not_after}).",
              "The portal uses HTTPS with a valid certificate (expires {not_after})."),
    "invalid": ("Chứng thư số của cổng không hợp lệ: {error}. Trình duyệt sẽ cảnh báo người dân.",
                "The portal's certificate is invalid: {error}. Browsers warn citizens away."),
    "unknown": ("Không xác định được chứng thư số của cổng: {error}.", "The portal's certificate could not be checked: {error}."),
    "no_redirect": ("Cổng có HTTPS hợp lệ nhưng vẫn phục vụ qua http không mã hóa, không tự chuyển sang HTTPS.",
                    "The portal has valid HTTPS but still serves plain http without redirecting to HTTPS."),
    "http_invalid": ("Cổng phục vụ qua http; HTTPS có nhưng chứng thư số không hợp lệ: {error}.",
                     "The portal serves plain http; its HTTPS certificate is invalid: {error}."),
    "http_only": ("Cổng chỉ phục vụ qua http không mã hóa (không có HTTPS).", "The portal is served over plain http only (no HTTPS)."),
}


@auditor("transport_security", requires=("pages.signals.transport",), messages=MESSAGES)
def transport_security(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """pass: served over HTTPS with a valid certificate; partial: HTTPS works but the portal answers on
    plain http without redirecting; fail: an invalid certificate, or plain http only; manual: not probed."""
    home = _home(evidence)
    transport = ((home or {}).get("signals") or {}).get("transport") if home else None
    if not home or not isinstance(transport, dict) or "scheme" not in transport:
        return Outcome("manual", *say("transport_security", "not_probed"))
    url = home.get("final_url") or home.get("url")
    cite = [{"url": url, "excerpt": transport.get("error") or transport.get("scheme", ""), "fetched_at": home.get("fetched_at")}]
    details = {key: transport.get(key) for key in ("scheme", "https", "valid", "error", "not_after", "port")}
    error = transport.get("error") or ""
    if transport["scheme"] == "https":
        if transport.get("valid") is True:
            return Outcome("pass", *say("transport_security", "valid", not_after=transport.get("not_after")), cite, details)
        if transport.get("valid") is False:
            return Outcome("fail", *say("transport_security", "invalid", error=error), cite, details)
        return Outcome("manual", *say("transport_security", "unknown", error=error), cite, details)
    if transport.get("https") and transport.get("valid") is True:
        return Outcome("partial", *say("transport_security", "no_redirect"), cite, details)
    if transport.get("https") and transport.get("valid") is False:
        return Outcome("fail", *say("transport_security", "http_invalid", error=error), cite, details)
    return Outcome("fail", *say("transport_security", "http_only"), cite, details)
