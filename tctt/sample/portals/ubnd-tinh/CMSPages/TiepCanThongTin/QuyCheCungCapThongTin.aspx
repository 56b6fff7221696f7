<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quyết định ban hành Quy chế cung cấp thông tin cho công dân - Cổng thông tin điện tử tỉnh Mẫu Sơn</title>
<meta name="generator" content="ASP.NET">
</head>
<body>
<form method="post" action="/CMSPages/TiepCanThongTin/QuyCheCungCapThongTin.aspx" id="aspnetForm">
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

<h1>Quyết định ban hành Quy chế cung cấp thông tin cho công dân</h1>
<p><b>QUYẾT ĐỊNH số 1580/QĐ-UBND ngày 28/8/2018 của UBND tỉnh Mẫu Sơn ban hành Quy chế cung cấp thông tin cho công dân của Ủy ban nhân dân tỉnh Mẫu Sơn</b></p>
<p>Điều 1. Ban hành kèm theo Quyết định này Quy chế cung cấp thông tin cho công dân của Ủy ban nhân dân tỉnh Mẫu Sơn.</p>
<p align="center"><b>QUY CHẾ CUNG CẤP THÔNG TIN CHO CÔNG DÂN</b></p>
<p><b>Điều 1. Phạm vi điều chỉnh.</b> Quy chế này quy định việc cung cấp thông tin cho công dân do UBND tỉnh, Chủ tịch UBND tỉnh tạo ra.</p>
<p><b>Điều 2. Đơn vị đầu mối.</b> Văn phòng UBND tỉnh là đơn vị đầu mối cung cấp thông tin.</p>
<p><b>Điều 3. Chuyển giao thông tin.</b> Các phòng thuộc Văn phòng UBND tỉnh chuyển giao thông tin cho Phòng Hành chính - Tổ chức trong thời hạn 03 ngày làm việc kể từ ngày văn bản được ký ban hành.</p>
<p><b>Điều 4. Phân loại, cập nhật thông tin.</b> Thông tin được phân loại thành thông tin công khai và thông tin cung cấp theo yêu cầu; Danh mục thông tin phải được công khai được cập nhật hằng tháng.</p>
<p><b>Điều 5. Trình tự giải quyết yêu cầu.</b> Đầu mối cung cấp thông tin tiếp nhận Phiếu yêu cầu, lập Phiếu tiếp nhận (Mẫu số 02), trình lãnh đạo Văn phòng xem xét, giải quyết theo thời hạn quy định tại Luật Tiếp cận thông tin.</p>
<p><a href="/CMSPages/TiepCanThongTin/Default.aspx">Trở lại Chuyên mục tiếp cận thông tin</a></p>
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
