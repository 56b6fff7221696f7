"""A generated province on loopback for ``tctt discover``: the provincial portal of Lâm Đồng (official code
68) and 60+ subordinate portals, linked from the parent in every way portals do it — a "Liên kết website"
select box, a menu, a footer list, a page of communes, sub-sites on the parent's host — with dead links,
redirects (an old address moved), units linked twice under two names, and links that are not subordinate
portals at all (the Government portal, another province, social networks, the parent's own pages).

Every host name lives under the reserved ``.test`` domain and is answered by ``StaticResolver`` from a table
(names outside the table fail at once: they are the farm's dead links, never a real look-up). One HTTP
server on 127.0.0.1 and an ephemeral port serves every host by its Host header.

``truth`` holds what a correct discovery proposes: {portal_key: (level, unit code or '', parent)}.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from core import units
from core.loopback import LoopbackServer, QuietHandler, running
from crawler.subportals import portal_key

PROVINCE = 68  # Tỉnh Lâm Đồng
ROOT_HOST = "lamdong.gov.test"

DEPARTMENTS = [  # (host label, name as the portal calls itself, another name a link gives it)
    ("stp", "Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp"),
    ("snv", "Sở Nội vụ tỉnh Lâm Đồng", "Sở Nội vụ"),
    ("stc", "Sở Tài chính tỉnh Lâm Đồng", "Sở Tài chính"),
    ("sct", "Sở Công Thương tỉnh Lâm Đồng", "Sở Công Thương"),
    ("snnmt", "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng", "Sở NN&MT"),
    ("sxd", "Sở Xây dựng tỉnh Lâm Đồng", "Sở Xây dựng"),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lâm Đồng", "Sở VHTTDL"),
    ("skhcn", "Sở Khoa học và Công nghệ tỉnh Lâm Đồng", "Sở KH&CN"),
    ("sgddt", "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng", "Sở GD&ĐT"),
    ("syt", "Sở Y tế tỉnh Lâm Đồng", "Sở Y tế"),
    ("sdtts", "Sở Dân tộc và Tôn giáo tỉnh Lâm Đồng", "Sở Dân tộc và Tôn giáo"),
    ("sngv", "Sở Ngoại vụ tỉnh Lâm Đồng", "Sở Ngoại vụ"),
    ("thanhtra", "Thanh tra tỉnh Lâm Đồng", "Thanh tra tỉnh"),
    ("vpubnd", "Văn phòng UBND tỉnh Lâm Đồng", "Văn phòng UBND tỉnh"),
    ("bqlkcn", "Ban Quản lý các khu công nghiệp tỉnh Lâm Đồng", "BQL các KCN"),
    ("bchqs", "Bộ Chỉ huy Quân sự tỉnh Lâm Đồng", "Bộ CHQS tỉnh"),
    ("congan", "Công an tỉnh Lâm Đồng", "Công an tỉnh"),
    ("vpdbqh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh Lâm Đồng", "Văn phòng Đoàn ĐBQH và HĐND"),
    ("bdt", "Ban Dân tộc tỉnh Lâm Đồng", "Ban Dân tộc"),
    ("sldtbxh", "Sở Lao động tỉnh Lâm Đồng", "Sở Lao động"),
]
# Not subordinate portals: never to be proposed (hosts under .test: never looked up).
NOISE = [
    ("Cổng Thông tin điện tử Chính phủ", "http://chinhphu.test/"),
    ("Cổng Dịch vụ công quốc gia", "http://dichvucong.test/"),
    ("Cổng TTĐT tỉnh Đắk Lắk", "http://daklak.gov.test/"),
    ("Thành phố Hồ Chí Minh", "http://hochiminhcity.gov.test/"),
    ("Bộ Tư pháp", "http://moj.gov.test/"),
    ("Facebook", "http://facebook.test/lamdong"),
    ("Báo Lâm Đồng điện tử", "http://baolamdong.test/"),
    ("Sở Tư pháp tỉnh Đắk Lắk", "http://stp.daklak.gov.test/"),
    ("UBND xã Ea Kar", "http://eakar.daklak.gov.test/"),
]


def page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body>{body}</body></html>').encode()


@dataclass
class Site:
    pages: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)


class ProvinceFarm:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.port = 0
        self.sites: dict[str, Site] = {}
        self.truth: dict[str, tuple[str, str, str]] = {}
        self.communes = units.communes(PROVINCE)
        self.changed = False

    # -- addresses ------------------------------------------------------------------------------
    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def root_url(self) -> str:
        return self.url(ROOT_HOST)

    def scrapy_settings(self) -> dict[str, Any]:
        return {"TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver",
                "TCTT_STATIC_HOSTS": {host: "127.0.0.1" for host in self.sites},
                "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True}

    def set_args(self) -> list[str]:
        import json

        args = []
        for name, value in self.scrapy_settings().items():
            args += ["--set", f"{name}={json.dumps(value) if isinstance(value, dict) else value}"]
        return args

    # -- building -------------------------------------------------------------------------------
    def _serve(self, host: str, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.sites.setdefault(host, Site()).pages[path] = (status, headers or {}, body)

    def _portal(self, host: str, title: str, extra: str = "", path: str = "/") -> None:
        self._serve(host, path, page(f"Cổng thông tin điện tử {title}",
                                     f"<header><h1>{title}</h1></header><main><p>Tin tức, thông báo.</p>{extra}</main>"))

    def build(self) -> ProvinceFarm:
        self.sites.clear()
        self.truth.clear()
        root_id = "tinh-68"
        deps = DEPARTMENTS if not self.changed else [d for d in DEPARTMENTS if d[0] != "sngv"]  # one dissolved
        for label, name, _ in deps:
            host = f"{label}.{ROOT_HOST}"
            extra = ""
            if label == "syt":  # depth 2: the health department links its own units
                extra = ('<div class="box"><h3>Đơn vị trực thuộc</h3><ul>'
                         f'<li><a href="{self.url("bvdk.syt." + ROOT_HOST)}">Bệnh viện Đa khoa tỉnh</a></li>'
                         f'<li><a href="{self.url("cdc.syt." + ROOT_HOST)}">Trung tâm Kiểm soát bệnh tật</a></li>'
                         '</ul></div>')
                self._portal(f"bvdk.syt.{ROOT_HOST}", "Bệnh viện Đa khoa tỉnh Lâm Đồng")
                self._portal(f"cdc.syt.{ROOT_HOST}", "Trung tâm Kiểm soát bệnh tật tỉnh Lâm Đồng")
            self._portal(host, name, extra)
            self.truth[portal_key(self.url(host))] = ("department", "", root_id)
        select_deps, block_deps, menu_deps, footer_deps = deps[:9], deps[9:12], deps[12:16], deps[16:]
        # Two departments also appear in the footer under their short names (duplicates).
        footer_deps = footer_deps + [deps[4], deps[7]]

        communes = self.communes[:48]
        listed, subsites, menu_sites, dead, redirected = (communes[:28], communes[28:36], communes[36:40],
                                                          communes[40:43], communes[43:46])
        if self.changed:
            listed = listed + [self.communes[60]]           # a new commune portal
        # Communes on their own sub-domain, linked from the "Các xã, phường" page.
        items = []
        for i, unit in enumerate(listed):
            host = f"{unit.codename.replace('_', '')}.{ROOT_HOST}"
            moved = self.changed and i == 0                  # moved onto the parent's host
            link_url = self.url(ROOT_HOST, f"/web/{unit.codename.replace('_', '-')}") if moved else self.url(host)
            if moved:
                self._portal(ROOT_HOST, unit.name, path=f"/web/{unit.codename.replace('_', '-')}")
            else:
                self._portal(host, unit.name)
                if i == 5:  # a portal that shuts every robot out
                    self._serve(host, "/robots.txt", b"User-agent: *\nDisallow: /\n")
            style = i % 4
            text = (f"UBND {unit.name[0].lower()}{unit.name[1:]}", unit.name, unit.name.upper(),
                    f"Cổng TTĐT {unit.name}")[style]
            items.append(f'<li><a href="{link_url}">{text}</a></li>')
            self.truth[portal_key(link_url)] = ("commune", str(unit.code), root_id)
        for unit in dead:  # linked, but the host does not resolve (never served)
            host = f"{unit.codename.replace('_', '')}.{ROOT_HOST}"
            if self.changed and unit is dead[0]:
                self._portal(host, unit.name)                # came back online
            items.append(f'<li><a href="{self.url(host)}">{unit.name}</a></li>')
            self.truth[portal_key(self.url(host))] = ("commune", str(unit.code), root_id)
        for unit in redirected:  # the old address moved: 301 to the new one
            old = f"xa{unit.codename.replace('_', '')}.{ROOT_HOST}"
            new = f"{unit.codename.replace('_', '')}.{ROOT_HOST}"
            self._serve(old, "/", b"", 301, {"Location": self.url(new)})
            self._portal(new, unit.name)
            items.append(f'<li><a href="{self.url(old)}">Xã {unit.short.title()}</a></li>')
            self.truth[portal_key(self.url(new))] = ("commune", str(unit.code), root_id)
        # The list runs over two pages ("?page=2").
        half = len(items) // 2
        for number, chunk in ((1, items[:half]), (2, items[half:])):
            pager = ('<div class="pagination"><a href="/cac-xa-phuong">1</a> <a href="/cac-xa-phuong?page=2">2</a> '
                     '<a href="/cac-xa-phuong?page=2">»</a></div>')
            self._serve(ROOT_HOST, "/cac-xa-phuong" + ("?page=2" if number == 2 else ""), page(
                "Các xã, phường", '<nav class="menu"><a href="/">Trang chủ</a></nav>'
                f'<main><h2>Cổng thông tin điện tử các xã, phường</h2><ul>{"".join(chunk)}</ul>{pager}</main>'))
        # Sub-sites /web/<site>, listed on the "Đơn vị trực thuộc" page (one of them is gone: 404).
        sub_items = []
        for i, unit in enumerate(subsites):
            path = f"/web/xa-{unit.codename.replace('_', '-')}"
            if i != 3:
                self._portal(ROOT_HOST, unit.name, path=path)
            sub_items.append(f'<li><a href="{path}">{unit.name}</a></li>')
            self.truth[portal_key(self.url(ROOT_HOST, path))] = ("commune", str(unit.code), root_id)
        self._serve(ROOT_HOST, "/don-vi-truc-thuoc", page(
            "Đơn vị trực thuộc", f'<main><h2>Trang thành phần</h2><ul>{"".join(sub_items)}</ul>'
            '<p><a href="/tin-tuc/">Xem tin tức</a></p></main>'))
        # Sub-sites /<unit>/ reached from the top menu under "Xã, phường".
        menu_items = []
        for unit in menu_sites:
            path = f"/{unit.codename.replace('_', '')}/"
            self._portal(ROOT_HOST, unit.name, path=path)
            menu_items.append(f'<li><a href="{path}">{unit.name}</a></li>')
            self.truth[portal_key(self.url(ROOT_HOST, path))] = ("commune", str(unit.code), root_id)
        dep_menu = "".join(f'<li><a href="{self.url(label + "." + ROOT_HOST)}">{name}</a></li>'
                           for label, name, _ in menu_deps)
        options = "".join(f'<option value="{self.url(label + "." + ROOT_HOST)}">{short}</option>'
                          for label, _, short in select_deps)
        block = "".join(f'<li><a href="{self.url(label + "." + ROOT_HOST)}">{name}</a></li>' for label, name, _ in block_deps)
        noise_options = "".join(f'<option value="{url}">{name}</option>' for name, url in NOISE[:3])
        footer_links = "".join(f'<li><a href="{self.url(label + "." + ROOT_HOST)}">{name if i < 4 else short}</a></li>'
                               for i, (label, name, short) in enumerate(footer_deps))
        footer_links += "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in NOISE[3:])
        # One redirected commune is linked a second time from the footer, under another name.
        twice = redirected[0]
        footer_links += (f'<li><a href="{self.url("xa" + twice.codename.replace("_", "") + "." + ROOT_HOST)}">'
                         f'UBND xã {twice.short.title()}</a></li>')
        home = (
            '<nav class="main-menu"><ul>'
            '<li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu/">Giới thiệu</a></li>'
            '<li><a href="/tin-tuc/">Tin tức</a></li>'
            f'<li><a href="#">Sở, ban, ngành</a><ul>{dep_menu}</ul></li>'
            f'<li><span>Xã, phường</span><ul>{"".join(menu_items)}</ul></li>'
            '<li><a href="/cac-xa-phuong">Các xã, phường</a></li>'
            '<li><a href="/don-vi-truc-thuoc">Đơn vị trực thuộc</a></li></ul></nav>'
            '<main><h2>Tin nổi bật</h2><ul><li><a href="/tin-tuc/hoi-nghi-so-tu-phap.html">Sở Tư pháp tổ chức '
            'hội nghị</a></li><li><a href="/tin-tuc/xa-tan-ha-nong-thon-moi.html">Xã Tân Hà đạt chuẩn nông thôn '
            'mới</a></li></ul>'
            f'<aside class="box"><h3>Website các sở, ngành</h3><ul>{block}</ul></aside>'
            '<div class="lienket"><label for="lk">Liên kết website</label><select id="lk" '
            'onchange="window.open(this.value)"><option value="">-- Chọn website --</option>'
            f'{options}{noise_options}</select></div></main>'
            f'<footer><h4>Liên kết website</h4><ul>{footer_links}</ul><p>Địa chỉ: Đà Lạt</p></footer>')
        self._serve(ROOT_HOST, "/", page("Cổng thông tin điện tử tỉnh Lâm Đồng", home))
        self._portal(ROOT_HOST, "Tin tức", path="/tin-tuc/")
        self._portal(ROOT_HOST, "Giới thiệu", path="/gioi-thieu/")
        return self

    def change(self) -> ProvinceFarm:
        """The province a few months later: a department dissolved, a commune moved onto the parent's host,
        a new commune portal, a dead one back online."""
        self.changed = True
        return self.build()


class _Handler(QuietHandler):
    """Serves every site of the farm on one address, by the request's Host header (server state: ``farm``)."""

    def respond(self, *, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        site = self.server.farm.sites.get(host)
        path = self.path.split("?")[0]
        found = (site.pages.get(self.path) or site.pages.get(path)) if site else None
        if found is None and site and not path.endswith("/"):
            found = site.pages.get(path + "/")
        status, headers, body = found or (404, {}, page("404", "<p>Không tìm thấy</p>"))
        self.reply(status, body, headers=headers, send_body=send_body)


@contextmanager
def serve_province() -> Iterator[ProvinceFarm]:
    farm = ProvinceFarm()
    server = LoopbackServer(("127.0.0.1", 0), _Handler, farm=farm)
    farm.port = server.port
    farm.build()
    with running([server], "province-farm"):
        yield farm
