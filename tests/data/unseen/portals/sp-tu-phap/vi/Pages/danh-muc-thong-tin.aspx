<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint"><meta http-equiv="Content-type" content="text/html; charset=utf-8">
<title>
	Danh mục thông tin phải được công khai
</title>
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2a%2BMxsdbhV2zE5yjUHJ1Qg%3D%3D"/>
<script type="text/javascript" src="/_layouts/15/init.js?rev=ZdsMQ%2FpbOWk1PGJw8VX3hA%3D%3D"></script>
</head>
<body>
<form method="post" action="./danh-muc-thong-tin.aspx" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="_wpcmWpid" id="_wpcmWpid" value="" />
<input type="hidden" name="__REQUESTDIGEST" id="__REQUESTDIGEST" value="0x6B1F0C3D2E,05 Dec 2026 01:12:44 -0000" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTE3ODk0NjQ4NjZkZOCkDt5T9Q7yWVuK3o5r0m6U6bq1" />
</div>
<div id="s4-workspace" class="ms-core-overlay"><div id="s4-bodyContainer">
<div id="stp-header"><a href="/vi/Pages/home.aspx"><img src="/PublishingImages/logo.png" alt="Sở Tư pháp tỉnh Mẫu Sơn"></a>
<span class="site-title">SỞ TƯ PHÁP TỈNH MẪU SƠN</span></div>
<div class="ms-core-navigation" role="navigation"><div id="zz1_TopNavigationMenu" class="ms-core-listMenu-horizontalBox">
<ul id="zz2_RootAspMenu" class="root ms-core-listMenu-root static"><li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="/vi/Pages/home.aspx"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">Trang chủ</span></span></a></li><li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="/vi/Pages/gioi-thieu.aspx"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">Giới thiệu</span></span></a></li><li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="/vi/Pages/tin-tuc.aspx"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">Tin tức - Sự kiện</span></span></a></li><li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="/vi/Pages/nguoi-phat-ngon.aspx"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">Người phát ngôn</span></span></a></li><li class="static"><a class="static menu-item ms-core-listMenu-item ms-displayInline ms-navedit-linkNode" href="/vi/Pages/lien-he.aspx"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">Liên hệ</span></span></a></li></ul></div></div>
<div id="contentRow"><div id="contentBox" aria-live="polite" aria-relevant="all">
<div class="ms-rtestate-field"><h1>Danh mục thông tin phải được công khai</h1>
<table class="ms-rteTable-default" cellspacing="0"><tbody>
<tr class="ms-rteTableHeaderRow-default"><th class="ms-rteTableHeaderFirstCol-default">STT</th><th>Tên thông tin</th><th>Số, ký hiệu văn bản</th><th>Ngày tạo ra thông tin</th><th>Hình thức công khai</th><th>Thời điểm, thời hạn công khai</th><th>Đơn vị đầu mối</th></tr>
<tr class="ms-rteTableOddRow-default"><td>1</td><td>Kế hoạch phổ biến, giáo dục pháp luật năm 2026</td><td>05/KH-STP</td><td>06/01/2026</td><td>Cổng thông tin điện tử</td><td>Từ 10/01/2026, thường xuyên</td><td>Phòng Phổ biến, giáo dục pháp luật</td></tr>
<tr class="ms-rteTableEvenRow-default"><td>2</td><td>Thủ tục hành chính lĩnh vực hộ tịch</td><td>120/QĐ-UBND</td><td>15/02/2026</td><td>Cổng thông tin điện tử; niêm yết</td><td>Từ 20/02/2026, thường xuyên</td><td>Phòng Hành chính tư pháp</td></tr>
</tbody></table></div>
</div>
<div id="stp-right" class="stp-banners">
<div class="banner-item"><a href="/vi/Pages/chuyen-trang-1.aspx"><img src="/PublishingImages/Banner_01.png" alt="" width="320" height="72" /></a></div>
<div class="banner-item"><a href="/vi/Pages/chuyen-trang-2.aspx"><img src="/PublishingImages/Banner_02.png" alt="" width="320" height="72" /></a></div>
<div class="banner-item"><a href="https://dichvucong.mauson.gov.vn/"><img src="/PublishingImages/Banner_03.png" alt="Cổng dịch vụ công tỉnh Mẫu Sơn" width="320" height="72" /></a></div>
</div></div>
<div id="stp-footer"><p>Sở Tư pháp tỉnh Mẫu Sơn - 18 đường Hùng Vương, phường Chi Lăng, tỉnh Mẫu Sơn - Điện thoại: 0203.3870.411</p></div>
</div></div>
</form>
</body>
</html>
