"""URL schemes: the paths each CMS hands out (Drupal aliases, NukeViet modules, SharePoint lists…)."""

from __future__ import annotations

import random
from typing import Any


def _under(slug: str) -> str:
    return slug.replace("-", "_")


def _camel(slug: str) -> str:
    return "-".join(part.capitalize() for part in slug.split("-"))


class Urls:
    """Paths in the style of one platform. Every path handed out is unique within the portal."""

    def __init__(self, s: dict[str, Any], rng: random.Random):
        self.s = s
        self.rng = rng
        self.platform = s["platform"]
        self.ids = iter(range(rng.randrange(1000, 60000), 10**7, rng.randrange(3, 17)))
        prefix = "/en" if s["url_trap"] == "en_prefix" else ""
        if self.platform == "liferay":
            prefix += f"/web/{s['site'] or 'guest'}"
        elif self.platform == "oracle":
            prefix += f"/portal/page/portal/{s['site'] or 'web'}"
        elif self.platform == "numeric":
            prefix += f"/{rng.randrange(1000, 9999)}/{rng.randrange(10000, 99999)}"
        self.prefix = prefix
        self.used: set[str] = set()
        self.variant = rng.randrange(2)
        if s.get("url_variant") is not None:
            self.variant = int(s["url_variant"])
        self.style = s.get("url_style")  # joomla_query | drupal_node (real CMS shapes, opt-in)

    def _unique(self, path: str) -> str:
        base, n = path, 2
        while path in self.used:
            if "?" in base:
                path = f"{base}{n}"
            else:
                stem, dot, ext = base.rpartition(".") if "." in base.rsplit("/", 1)[-1] else (base, "", "")
                path = f"{stem}-{n}{dot}{ext}" if dot else f"{base.rstrip('/')}-{n}" + ("/" if base.endswith("/") else "")
            n += 1
        self.used.add(path)
        return path

    def home(self) -> str:
        if self.platform in ("liferay", "oracle"):
            return self._unique(self.prefix + ("/home" if self.platform == "liferay" else "/trang_chu"))
        if self.platform == "sharepoint":
            return self._unique(self.prefix + "/Pages/default.aspx")
        return self._unique(self.prefix + "/")

    def page(self, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        if self.style == "joomla_query":  # Joomla without SEF URLs: an article and the menu item showing it
            return self._unique(self.prefix + f"/index.php?option=com_content&view=article&id={n % 900}"
                                f"&Itemid={100 + n % 97}")
        if self.style == "drupal_node":
            return self._unique(self.prefix + f"/node/{n % 5000}")
        path = {
            "drupal": f"/index.php/{slug}" if self.variant else f"/{slug}",
            "nukeviet": f"/news/{slug}/" if self.variant else f"/index.php?language=vi&nv=news&op={slug}",
            "joomla": f"/{slug}.html" if self.variant else f"/index.php/{slug}",
            "wordpress": f"/{slug}/",
            "sharepoint": f"/Pages/{_camel(slug)}.aspx",
            "liferay": f"/{slug}",
            "oracle": f"/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}" if self.variant else
                      f"/default.aspx?portalid=5&selectpageid={n}",
            "numeric": f"/{n}/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        return self._unique(self.prefix + path)

    def sub(self, parent: str, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        clean = parent.split("?", 1)[0].rstrip("/")
        path = {
            "drupal": f"{clean}/{slug}",
            "nukeviet": f"/news/{self.s['slug']}/{slug}-{n}.html",
            "joomla": f"/{self.s['slug']}/{n}-{slug}.html",
            "wordpress": f"{clean}/{slug}/",
            "sharepoint": f"/Pages/{_camel(slug)}.aspx?ItemID={n % 500}",
            "liferay": f"{clean}/-/asset_publisher/Xk3{n % 97}/content/{slug}?p_p_id=101&p_p_lifecycle=0",
            "oracle": f"{clean}/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}",
            "numeric": f"{clean.rsplit('/', 2)[0]}/{n}/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        if p in ("liferay", "oracle", "drupal", "wordpress", "numeric"):
            return self._unique(path)
        return self._unique(self.prefix + path)

    def news(self, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        path = {
            "drupal": f"/tin-tuc/{slug}",
            "nukeviet": f"/news/tin-tuc/{slug}-{n}.html",
            "joomla": f"/tin-tuc/{n}-{slug}.html",
            "wordpress": f"/tin-tuc/{slug}/",
            "sharepoint": f"/Lists/Posts/Post.aspx?List=8a6f5d1c&ItemID={n % 900}",
            "liferay": f"/tin-tuc/-/asset_publisher/Tn{n % 97}/content/{slug}",
            "oracle": f"/tin_tuc/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}",
            "numeric": f"/{n}/tin-tuc/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        return self._unique(self.prefix + path)

    def file(self, name: str, ext: str) -> str:
        p, n = self.platform, next(self.ids)
        path = {
            "drupal": f"/sites/default/files/tiep-can-thong-tin/{name}.{ext}",
            "nukeviet": f"/uploads/news/2024_05/{name}.{ext}",
            "joomla": f"/images/tai-lieu/{name}.{ext}",
            "wordpress": f"/wp-content/uploads/2024/05/{name}.{ext}",
            "sharepoint": f"/Documents/TCTT/{_camel(name)}.{ext}",
            "liferay": f"/documents/20143/{n}/{name}.{ext}",
            "oracle": f"/pls/portal/docs/PAGE/{(self.s['site'] or 'WEB').upper()}/{name.upper()}.{ext}",
            "dotnet": f"/Uploads/TCTT/{_camel(name)}.{ext}",
            "numeric": f"/uploads/{name}.{ext}",
            "datepath": f"/portal/Lists/Documents/{name}.{ext}",
        }[p]
        return self._unique(path)
