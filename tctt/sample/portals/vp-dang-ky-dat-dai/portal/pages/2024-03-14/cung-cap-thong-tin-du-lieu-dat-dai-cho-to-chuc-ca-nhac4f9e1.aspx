<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cung cấp thông tin, dữ liệu đất đai</title>
</head>
<body>
<div id="container">
<div id="banner"><a href="/"><img src="/Images/logo.png" alt="logo"></a> VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH MẪU SƠN<br><small>Trực thuộc Sở Nông nghiệp và Môi trường tỉnh Mẫu Sơn</small></div>
<div id="menu"><a class="menu-top" href="/">Trang chủ</a> <a class="menu-top" href="/portal/pages/2023-01-30/gioi-thieu-chung-ve-van-phong-dang-ky-dat-dai-tinh-mau7a1c2e.aspx">Giới thiệu</a> <a class="menu-top" href="/portal/pages/2024-10-02/van-phong-dang-ky-dat-dai-day-manh-so-hoa-ho-so-dia-cb83d20.aspx">Tin hoạt động</a> <a class="menu-top" href="/portal/pages/2024-03-14/cung-cap-thong-tin-du-lieu-dat-dai-cho-to-chuc-ca-nhac4f9e1.aspx">Cung cấp thông tin đất đai</a> <a class="menu-top" href="/portal/pages/lien-he.aspx">Liên hệ</a></div>
<div id="content">

<h1>CUNG CẤP THÔNG TIN, DỮ LIỆU ĐẤT ĐAI CHO TỔ CHỨC, CÁ NHÂN</h1>
<p>Tổ chức, cá nhân có nhu cầu khai thác thông tin, dữ liệu đất đai nộp Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai tại Văn phòng Đăng ký đất đai hoặc các Chi nhánh. Việc cung cấp dữ liệu đất đai thực hiện theo Luật Đất đai và phải nộp phí khai thác, sử dụng tài liệu đất đai.</p>
<h2>Biểu mẫu</h2>
<ul>
<li><a href="/Upload/Documents/mau-so-01-pyc-phieu-yeu-cau-cung-cap-du-lieu-dat-dai.doc">Mẫu số 01/PYC - Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai</a></li>
<li><a href="/Upload/Documents/mau-so-02-pyc-phieu-yeu-cau-trich-luc-ban-do.doc">Mẫu số 02/PYC - Phiếu yêu cầu cung cấp thông tin, dữ liệu đo đạc bản đồ</a></li>
</ul>
<p>Thời hạn cung cấp: trong ngày làm việc đối với yêu cầu nhận trước 15 giờ; không quá 05 ngày làm việc đối với dữ liệu phải tổng hợp.</p>
</div>
<div id="footer">Văn phòng Đăng ký đất đai tỉnh Mẫu Sơn - Số 9 đường Đinh Tiên Hoàng, phường Chi Lăng, tỉnh Mẫu Sơn - Điện thoại: 0203.3813.466 - Email: vpdkdd@mauson.gov.vn</div>
</div>
</body>
</html>
