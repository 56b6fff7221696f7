"""Reading the links a portal gives to its subordinate bodies, on markup the farm does not use."""

from __future__ import annotations

from core import units
from crawler.proposal import Portal, build_proposal
from crawler.subportals import extract_links, guess_level, portal_key, subsite_slug

PAGE = """<html><body>
<div id="top"><ul class="navbar-nav"><li class="dropdown"><a href="#">Hệ thống chính trị</a>
  <ul class="dropdown-menu"><li><a href="https://thanhtra.caobang.gov.vn/">Thanh tra tỉnh Cao Bằng</a></li></ul></li></ul></div>
<div class="content">
  <p><a href="https://syt.caobang.gov.vn/tin-tuc/khuyen-cao-12345.html">Sở Y tế khuyến cáo phòng dịch sốt xuất huyết</a></p>
  <p><a href="https://caobang.gov.vn/tin-tuc/xa-hoa-an-dat-chuan.html">Xã Hòa An đạt chuẩn nông thôn mới</a></p>
  <p><a href="https://hoaan.caobang.gov.vn/">Xã Hòa An đạt chuẩn nông thôn mới</a></p>
</div>
<div class="weblink"><select name="ddlWeblink" onchange="go(this)"><option value="0">--- Website các đơn vị ---</option>
  <option value="https://snv.caobang.gov.vn">SNV</option>
  <option value="/Portal/xa-nguyen-binh">UBND xã Nguyên Bình</option>
  <option value="https://chinhphu.vn">Chính phủ</option></select></div>
<div class="footer-links"><h5>Liên kết</h5><a href="https://baocaobang.vn/">Báo Cao Bằng</a>
  <a href="https://stnmt.caobang.gov.vn/"><img src="/logo.png" alt="Sở Nông nghiệp và Môi trường"></a></div>
</body></html>"""


def test_select_menu_footer_on_another_markup():
    links, listings = extract_links(PAGE, "https://caobang.gov.vn/")
    how = {link.url: link.how for link in links}
    assert how["https://snv.caobang.gov.vn"] == "select"
    assert how["https://caobang.gov.vn/Portal/xa-nguyen-binh"] == "select"
    assert how["https://thanhtra.caobang.gov.vn/"] == "menu"
    assert how["https://stnmt.caobang.gov.vn/"] == "footer"
    select = next(link for link in links if link.how == "select")
    assert "Website các đơn vị" in select.context
    assert listings == []
    assert subsite_slug("https://caobang.gov.vn/Portal/xa-nguyen-binh", "https://caobang.gov.vn/") == "xa-nguyen-binh"


def test_proposal_keeps_units_and_drops_headlines_peers_and_press():
    links, _ = extract_links(PAGE, "https://caobang.gov.vn/")
    portals = {portal_key("https://snv.caobang.gov.vn"): Portal("https://snv.caobang.gov.vn", 200,
                                                              "https://snv.caobang.gov.vn/", [],
                                                              "Cổng thông tin điện tử Sở Nội vụ tỉnh Cao Bằng")}
    rows = build_proposal("https://caobang.gov.vn/", Portal("https://caobang.gov.vn/", 200, "https://caobang.gov.vn/"),
                          portals, [(portal_key("https://caobang.gov.vn/"), link) for link in links])
    assert rows[0]["id"] == "tinh-04"
    names = {r["name"]: r for r in rows[1:]}
    assert set(names) == {"Sở Nội vụ tỉnh Cao Bằng", "Thanh tra tỉnh Cao Bằng", "Sở Nông nghiệp và Môi trường",
                          "Ủy ban nhân dân xã Nguyên Bình", "Ủy ban nhân dân xã Hòa An"}
    assert names["Sở Nội vụ tỉnh Cao Bằng"]["link_status"] == "ok"
    assert names["Thanh tra tỉnh Cao Bằng"]["link_status"] == "unchecked"
    nguyen_binh = names["Ủy ban nhân dân xã Nguyên Bình"]
    assert nguyen_binh["unit_code"] == str(units.match_commune(4, "Xã Nguyên Bình").unit.code)


def test_level_guesses():
    assert guess_level("UBND phường Ba Đình", "province").level == "commune"
    assert guess_level("Cục Thuế", "ministry").level == "other"
    assert guess_level("Sở Tư pháp tỉnh Cao Bằng", "province").level == "department"
    for name in ("Cổng TTĐT tỉnh Lạng Sơn", "Bộ Nội vụ", "Văn phòng Chính phủ", "Cổng Dịch vụ công quốc gia",
                 "Youtube", "Ngân hàng Nhà nước Việt Nam", ""):
        assert guess_level(name, "province") is None, name
    assert guess_level("UBND xã Tân Hà", "ministry") is None


def test_a_table_of_units_whose_links_are_their_addresses():
    page = """<html><body><h1>Danh sách đơn vị trực thuộc</h1><table>
      <tr><th>STT</th><th>Tên đơn vị</th><th>Website</th></tr>
      <tr><td>1</td><td>Sở Xây dựng</td><td><a href="https://sxd.caobang.gov.vn/">https://sxd.caobang.gov.vn</a></td></tr>
      <tr><td>2</td><td>UBND xã Nguyên Bình</td><td><a href="https://nguyenbinh.caobang.gov.vn/">nguyenbinh.caobang.gov.vn</a></td></tr>
    </table></body></html>"""
    links, _ = extract_links(page, "https://caobang.gov.vn/don-vi-truc-thuoc", listing=True)
    assert [(link.text, link.how) for link in links] == [("Sở Xây dựng", "list"), ("UBND xã Nguyên Bình", "list")]
    rows = build_proposal("https://caobang.gov.vn/", None, {},
                          [(portal_key("https://caobang.gov.vn/"), link) for link in links])
    assert [(r["level"], r["name"]) for r in rows[1:]] == [("department", "Sở Xây dựng"),
                                                           ("commune", "Ủy ban nhân dân xã Nguyên Bình")]


def test_addresses_inside_scripts():
    page = """<html><body><div><h3>Liên kết website</h3>
      <a href="javascript:void(0)" onclick="window.open('https://sct.caobang.gov.vn/','_blank')">Sở Công Thương</a>
      <a href="javascript:window.open('https://sgddt.caobang.gov.vn')">Sở Giáo dục và Đào tạo</a>
      <select><option data-url="https://sxd.caobang.gov.vn">Sở Xây dựng</option></select></div></body></html>"""
    links, _ = extract_links(page, "https://caobang.gov.vn/")
    assert sorted(link.url for link in links) == ["https://sct.caobang.gov.vn/", "https://sgddt.caobang.gov.vn",
                                                  "https://sxd.caobang.gov.vn"]
