<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tiếp cận thông tin</title>
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
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>Tiếp cận thông tin</span></div>
<div class="main-wrap">
<div id="mainContent" class="ms-rtestate-field">

<h1>Tiếp cận thông tin</h1>
<p>Nhằm bảo đảm quyền tiếp cận thông tin của công dân theo Luật Tiếp cận thông tin và Nghị định số 13/2018/NĐ-CP, Sở Y tế tỉnh Mẫu Sơn công bố các thông tin sau:</p>
<h2>1. Thông tin về đầu mối cung cấp thông tin</h2>
<p>Đơn vị đầu mối: Văn phòng Sở Y tế. Người làm đầu mối: chị Đinh Thị Mai, Chuyên viên Văn phòng Sở; số điện thoại 0203.3812.112 máy lẻ 205, di động 0988.737.067; địa chỉ thư điện tử dtmai.syt@mauson.gov.vn.</p>
<h2>2. Địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử</h2>
<p>Công dân gửi Phiếu yêu cầu cung cấp thông tin qua mạng điện tử về hộp thư tiepcanthongtin@soyte.mauson.gov.vn.</p>
<h2>3. Địa chỉ tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo</h2>
<p>Phản ánh, kiến nghị, khiếu nại, tố cáo về việc cung cấp thông tin gửi về Thanh tra Sở Y tế, Số 30 đường Bà Triệu, phường Chi Lăng, tỉnh Mẫu Sơn; điện thoại 0203.3812.118; email thanhtra.syt@mauson.gov.vn.</p>
<h2>4. Hướng dẫn tiếp cận thông tin</h2>
<p>Công dân tra cứu thông tin đã công khai trong Danh mục thông tin phải được công khai. Trường hợp cần cung cấp thông tin theo yêu cầu, công dân điền Phiếu yêu cầu theo Mẫu số 01a hoặc 01b, gửi trực tiếp, qua bưu chính hoặc qua thư điện tử. Thời hạn giải quyết thực hiện theo Điều 29, 30, 31 Luật Tiếp cận thông tin.</p>
<h2>5. Các mẫu phiếu</h2>
<ul>
<li><a href="/Documents/TCTT/Mau-so-01a.docx">Mẫu số 01a - Phiếu yêu cầu cung cấp thông tin của công dân</a></li>
<li><a href="/Documents/TCTT/Mau-so-01b.docx">Mẫu số 01b - Phiếu yêu cầu cung cấp thông tin của công dân thông qua tổ chức, đoàn thể, doanh nghiệp</a></li>
<li><a href="/Documents/TCTT/Mau-so-02.docx">Mẫu số 02 - Phiếu tiếp nhận yêu cầu cung cấp thông tin</a></li>
<li><a href="/Documents/TCTT/Mau-so-03.docx">Mẫu số 03 - Phiếu giải quyết yêu cầu cung cấp thông tin</a></li>
<li><a href="/Documents/TCTT/Mau-so-04.docx">Mẫu số 04 - Thông báo về việc gia hạn giải quyết yêu cầu cung cấp thông tin</a></li>
<li><a href="/Documents/TCTT/Mau-so-05.docx">Mẫu số 05 - Thông báo về việc từ chối yêu cầu cung cấp thông tin</a></li>
<li><a href="/Documents/TCTT/Mau-so-06.docx">Mẫu số 06 - Văn bản chấp thuận của tổ chức, cá nhân liên quan</a></li>
</ul>
<h2>6. Danh mục thông tin</h2>
<ul>
<li><a href="/Pages/danh-muc-thong-tin-phai-cong-khai.aspx">Danh mục thông tin phải được công khai</a></li>
<li>Địa chỉ tải thông tin: <a href="/Pages/van-ban.aspx">Tra cứu văn bản - Cơ sở dữ liệu văn bản của Sở Y tế</a></li>
</ul>
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
