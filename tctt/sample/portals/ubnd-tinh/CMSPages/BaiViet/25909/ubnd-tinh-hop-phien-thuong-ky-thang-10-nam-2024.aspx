<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>UBND tỉnh họp phiên thường kỳ tháng 10 năm 2024 - Cổng thông tin điện tử tỉnh Mẫu Sơn</title>
<meta name="generator" content="ASP.NET">
</head>
<body>
<form method="post" action="/CMSPages/BaiViet/25909/ubnd-tinh-hop-phien-thuong-ky-thang-10-nam-2024.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTM0MjMyNjE0OWRkQ2Fu"></div>
<div id="wrapper">
<div id="header"><a href="/"><img src="/Images/logo-ubnd.png" alt="Cổng thông tin điện tử tỉnh Mẫu Sơn"></a>
<div class="header-text">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH MẪU SƠN<br><span>Ủy ban nhân dân tỉnh Mẫu Sơn</span></div></div>
<div id="topmenu"><ul>
<li><a href="/">Trang chủ</a></li>
<li><a href="/CMSPages/GioiThieu/TongQuan.aspx">Giới thiệu</a></li>
<li><a href="/CMSPages/TinTuc/Default.aspx">Tin tức - Sự kiện</a></li>
<li><a href="/CMSPages/ChinhQuyen/QuyCheLamViec.aspx">Chính quyền</a></li>
<li><a href="/CMSPages/LienHe/Default.aspx">Liên hệ</a></li>
</ul></div>
<div id="main">

<h1>UBND tỉnh họp phiên thường kỳ tháng 10 năm 2024</h1>
<p class="ngay">30/10/2024 16:20 - Lượt xem: 1.530</p>
<p>Ngày 30/10/2024, UBND tỉnh Mẫu Sơn tổ chức phiên họp thường kỳ tháng 10 năm 2024 để đánh giá tình hình kinh tế - xã hội 10 tháng, nhiệm vụ trọng tâm 2 tháng cuối năm. Tốc độ tăng trưởng kinh tế ước đạt 7,2%; thu ngân sách đạt 86% dự toán.</p>
</div>
<div id="footer">
<div class="footer-links"><a href="/CMSPages/TiepCanThongTin/Default.aspx">Chuyên mục tiếp cận thông tin</a> | <a href="/CMSPages/LienHe/Default.aspx">Liên hệ</a></div>
<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Mẫu Sơn. Cơ quan thường trực: Văn phòng UBND tỉnh Mẫu Sơn</p>
<p>Địa chỉ: Số 2 đường Hoàng Văn Thụ, phường Chi Lăng, tỉnh Mẫu Sơn - Điện thoại: 0203.3822.555 - Email: vpubnd@mauson.gov.vn</p>
</div>
</div>
</form>
</body>
</html>
