<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Văn bản</title>
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
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>Văn bản</span></div>
<div class="main-wrap">
<div id="mainContent" class="ms-rtestate-field">

<h1>Cơ sở dữ liệu văn bản</h1>
<table class="ms-listviewtable" border="1">
<tr><th>Số/Ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr>
<tr id="kh-15"><td>15/KH-SYT</td><td>10/01/2024</td><td>Kế hoạch công tác y tế năm 2024</td></tr>
<tr id="qd-320"><td>320/QĐ-SYT</td><td>25/01/2024</td><td>Công khai dự toán ngân sách năm 2024</td></tr>
<tr id="qd-805"><td>805/QĐ-SYT</td><td>29/3/2024</td><td>Công khai quyết toán ngân sách năm 2023</td></tr>
<tr id="tb-1102"><td>1102/TB-SYT</td><td>20/5/2024</td><td>Kết luận thanh tra an toàn thực phẩm quý I/2024</td></tr>
<tr id="kh-1450"><td>1450/KH-SYT</td><td>05/7/2024</td><td>Kế hoạch tuyển dụng viên chức năm 2024</td></tr>
<tr id="qd-1620"><td>1620/QĐ-SYT</td><td>12/8/2024</td><td>Danh sách cơ sở khám bệnh, chữa bệnh đủ điều kiện hoạt động</td></tr>
</table>
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
