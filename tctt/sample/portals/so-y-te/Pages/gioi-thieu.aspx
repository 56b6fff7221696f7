<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Giới thiệu</title>
<meta name="GENERATOR" content="Microsoft SharePoint">
<meta http-equiv="X-UA-Compatible" content="IE=10">
</head>
<body class="ms-backgroundImage">
<div id="ms-designer-ribbon">
  <div id="s4-ribbonrow"><a href="#mainContent" class="ms-skip">Skip Ribbon Commands</a></div>
  <a href="#mainContent" class="ms-skip">Skip to main content</a>
</div>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header-syt">
  <a href="/"><img src="/_layouts/15/images/syt/logo.png" alt="Sở Y tế tỉnh Mẫu Sơn"></a>
  <div class="header-title">SỞ Y TẾ TỈNH MẪU SƠN<br><span>Cổng thông tin điện tử</span></div>
</div>
<div class="ms-core-listMenu-horizontalBox"><ul class="root ms-core-listMenu-root static">
<li class="static"><a class="static menu-item" href="/"><span class="menu-item-text">Trang chủ</span></a></li>
<li class="static"><a class="static menu-item" href="/Pages/gioi-thieu.aspx"><span class="menu-item-text">Giới thiệu</span></a></li>
<li class="static"><a class="static menu-item" href="/Pages/tin-tuc.aspx"><span class="menu-item-text">Tin tức - Sự kiện</span></a></li>
<li class="static"><a class="static menu-item" href="/Pages/van-ban.aspx"><span class="menu-item-text">Văn bản</span></a></li>
<li class="static"><a class="static menu-item" href="/Pages/lien-he.aspx"><span class="menu-item-text">Liên hệ</span></a></li>
</ul></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>Giới thiệu</span></div>
<div class="main-wrap">
<div id="mainContent" class="ms-rtestate-field">

<h1>Giới thiệu</h1>
<p>Sở Y tế là cơ quan chuyên môn thuộc UBND tỉnh Mẫu Sơn, tham mưu, giúp UBND tỉnh quản lý nhà nước về y tế, gồm: y tế dự phòng; khám bệnh, chữa bệnh; phục hồi chức năng; giám định y khoa; y dược cổ truyền; dược; mỹ phẩm; an toàn thực phẩm; trang thiết bị y tế; dân số; bảo hiểm y tế.</p>
</div>
<div class="sidebar-right">
  <div class="ms-webpart-zone"><div class="banner-item"><a href="/Pages/tiep-can-thong-tin.aspx"><img src="/images/banner-tiep-can-thong-tin.png" alt="Tiếp cận thông tin"></a></div></div>
  <div class="ms-webpart-zone"><h3 class="ms-webpart-titleText">Đường dây nóng</h3><p>Đường dây nóng ngành Y tế: 1900 9095</p></div>
</div>
</div>
<div class="footer-syt">
  <p>SỞ Y TẾ TỈNH MẪU SƠN - Địa chỉ: Số 30 đường Bà Triệu, phường Chi Lăng, tỉnh Mẫu Sơn</p>
  <p>Điện thoại: 0203.3812.112 - Fax: 0203.3812.113 - Email: soyte@mauson.gov.vn</p>
</div>
</div></div>
</body>
</html>
