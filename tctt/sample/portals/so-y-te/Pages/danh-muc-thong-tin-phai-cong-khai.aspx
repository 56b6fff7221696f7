<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Danh mục thông tin phải được công khai</title>
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
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>Danh mục thông tin phải được công khai</span></div>
<div class="main-wrap">
<div id="mainContent" class="ms-rtestate-field">

<h1>Danh mục thông tin phải được công khai</h1>
<p>(Kèm theo Quyết định số 1055/QĐ-SYT ngày 10/5/2024 của Giám đốc Sở Y tế)</p>
<table class="ms-rteTable-default" border="1">
<tr class="ms-rteTableHeaderRow-default"><th>STT</th><th>Tên, số, ký hiệu văn bản, hồ sơ</th><th>Ngày, tháng, năm tạo ra</th><th>Hình thức công khai</th><th>Thời điểm, thời hạn công khai</th><th>Địa chỉ truy cập để tải thông tin</th></tr>
<tr><td>1</td><td>Kế hoạch số 15/KH-SYT về công tác y tế năm 2024</td><td>10/01/2024</td><td>Cổng thông tin điện tử Sở Y tế</td><td>05 ngày làm việc kể từ ngày ký; đến hết năm 2024</td><td><a href="/Pages/van-ban.aspx#kh-15">Tải về</a></td></tr>
<tr><td>2</td><td>Quyết định số 320/QĐ-SYT công khai dự toán ngân sách năm 2024</td><td>25/01/2024</td><td>Cổng thông tin điện tử; niêm yết tại trụ sở</td><td>15 ngày kể từ ngày ký; 05 năm</td><td><a href="/Pages/van-ban.aspx#qd-320">Tải về</a></td></tr>
<tr><td>3</td><td>Quyết định số 805/QĐ-SYT công khai quyết toán ngân sách năm 2023</td><td>29/3/2024</td><td>Cổng thông tin điện tử; niêm yết tại trụ sở</td><td>15 ngày kể từ ngày ký; 05 năm</td><td><a href="/Pages/van-ban.aspx#qd-805">Tải về</a></td></tr>
<tr><td>4</td><td>Thông báo số 1102/TB-SYT kết luận thanh tra an toàn thực phẩm quý I/2024</td><td>20/5/2024</td><td>Cổng thông tin điện tử; báo chí</td><td>05 ngày làm việc; 01 năm</td><td><a href="/Pages/van-ban.aspx#tb-1102">Tải về</a></td></tr>
<tr><td>5</td><td>Kế hoạch số 1450/KH-SYT tuyển dụng viên chức năm 2024</td><td>05/7/2024</td><td>Cổng thông tin điện tử; niêm yết</td><td>05 ngày làm việc; đến khi có kết quả</td><td><a href="/Pages/van-ban.aspx#kh-1450">Tải về</a></td></tr>
<tr><td>6</td><td>Quyết định số 1620/QĐ-SYT danh sách cơ sở khám bệnh, chữa bệnh đủ điều kiện hoạt động</td><td>12/8/2024</td><td>Cổng thông tin điện tử Sở Y tế</td><td>05 ngày làm việc; thường xuyên</td><td><a href="/Pages/van-ban.aspx#qd-1620">Tải về</a></td></tr>
</table>
<p>Cập nhật lần cuối: 10/5/2024</p>
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
