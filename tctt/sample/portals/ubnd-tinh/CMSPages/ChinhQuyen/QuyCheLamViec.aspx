<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quy chế làm việc của UBND tỉnh - Cổng thông tin điện tử tỉnh Mẫu Sơn</title>
<meta name="generator" content="ASP.NET">
</head>
<body>
<form method="post" action="/CMSPages/ChinhQuyen/QuyCheLamViec.aspx" id="aspnetForm">
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

<h1>Quy chế làm việc của Ủy ban nhân dân tỉnh Mẫu Sơn nhiệm kỳ 2021 - 2026</h1>
<p><i>(Ban hành kèm theo Quyết định số 18/2021/QĐ-UBND ngày 20/8/2021 của UBND tỉnh)</i></p>
<p><b>Điều 1. Phạm vi điều chỉnh.</b> Quy chế này quy định về nguyên tắc, chế độ trách nhiệm, lề lối làm việc, trình tự giải quyết công việc và quan hệ công tác của Ủy ban nhân dân tỉnh.</p>
<p><b>Điều 2. Nguyên tắc làm việc.</b> UBND tỉnh làm việc theo chế độ kết hợp trách nhiệm của tập thể với trách nhiệm của Chủ tịch UBND tỉnh.</p>
<p><b>Điều 25. Phiên họp UBND tỉnh.</b> UBND tỉnh họp thường kỳ mỗi tháng một lần.</p>
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
