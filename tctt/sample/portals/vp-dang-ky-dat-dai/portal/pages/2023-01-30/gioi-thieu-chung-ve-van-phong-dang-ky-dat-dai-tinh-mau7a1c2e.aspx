<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Giới thiệu chung</title>
</head>
<body>
<div id="container">
<div id="banner"><a href="/"><img src="/Images/logo.png" alt="logo"></a> VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH MẪU SƠN<br><small>Trực thuộc Sở Nông nghiệp và Môi trường tỉnh Mẫu Sơn</small></div>
<div id="menu"><a class="menu-top" href="/">Trang chủ</a> <a class="menu-top" href="/portal/pages/2023-01-30/gioi-thieu-chung-ve-van-phong-dang-ky-dat-dai-tinh-mau7a1c2e.aspx">Giới thiệu</a> <a class="menu-top" href="/portal/pages/2024-10-02/van-phong-dang-ky-dat-dai-day-manh-so-hoa-ho-so-dia-cb83d20.aspx">Tin hoạt động</a> <a class="menu-top" href="/portal/pages/2024-03-14/cung-cap-thong-tin-du-lieu-dat-dai-cho-to-chuc-ca-nhac4f9e1.aspx">Cung cấp thông tin đất đai</a> <a class="menu-top" href="/portal/pages/lien-he.aspx">Liên hệ</a></div>
<div id="content">

<h1>Giới thiệu chung về Văn phòng Đăng ký đất đai tỉnh Mẫu Sơn</h1>
<p>Văn phòng Đăng ký đất đai là đơn vị sự nghiệp công lập trực thuộc Sở Nông nghiệp và Môi trường, có chức năng đăng ký đất đai, nhà ở và tài sản khác gắn liền với đất; xây dựng, quản lý, cập nhật, chỉnh lý thống nhất hồ sơ địa chính và cơ sở dữ liệu đất đai; cung cấp thông tin, dữ liệu đất đai cho tổ chức, cá nhân theo quy định.</p>
</div>
<div id="footer">Văn phòng Đăng ký đất đai tỉnh Mẫu Sơn - Số 9 đường Đinh Tiên Hoàng, phường Chi Lăng, tỉnh Mẫu Sơn - Điện thoại: 0203.3813.466 - Email: vpdkdd@mauson.gov.vn</div>
</div>
</body>
</html>
