<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chuyên mục tiếp cận thông tin - Cổng thông tin điện tử tỉnh Mẫu Sơn</title>
<meta name="generator" content="ASP.NET">
</head>
<body>
<form method="post" action="/CMSPages/TiepCanThongTin/Default.aspx" id="aspnetForm">
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

<h1>CHUYÊN MỤC TIẾP CẬN THÔNG TIN</h1>
<p>Thực hiện Luật Tiếp cận thông tin và Nghị định số 13/2018/NĐ-CP, UBND tỉnh Mẫu Sơn công bố thông tin phục vụ việc thực hiện quyền tiếp cận thông tin của công dân.</p>
<h2>Đầu mối cung cấp thông tin</h2>
<p>Văn phòng UBND tỉnh là đơn vị đầu mối cung cấp thông tin. Người làm đầu mối: Ông Đặng Văn Sơn, Phó Chánh Văn phòng UBND tỉnh; điện thoại: 0203.3822.555 máy lẻ 105; thư điện tử: tiepcanthongtin@mauson.gov.vn.</p>
<h2>Địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử</h2>
<p>Thư điện tử: tiepcanthongtin@mauson.gov.vn</p>
<h2>Tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo về tiếp cận thông tin</h2>
<p>Thanh tra tỉnh Mẫu Sơn, Số 6 đường Hoàng Văn Thụ, phường Chi Lăng, tỉnh Mẫu Sơn; điện thoại: 0203.3822.999; thư điện tử: thanhtra@mauson.gov.vn.</p>
<h2>Mẫu phiếu</h2>
<ul>
<li><a href="/Uploads/TCTT/Mau-so-01a.doc">Mẫu số 01a: Phiếu yêu cầu cung cấp thông tin của công dân</a></li>
<li><a href="/Uploads/TCTT/Mau-so-01b.doc">Mẫu số 01b: Phiếu yêu cầu cung cấp thông tin của công dân thông qua tổ chức, đoàn thể, doanh nghiệp</a></li>
<li><a href="/Uploads/TCTT/Mau-so-02.doc">Mẫu số 02: Phiếu tiếp nhận yêu cầu cung cấp thông tin</a></li>
<li><a href="/Uploads/TCTT/Mau-so-03.doc">Mẫu số 03: Phiếu giải quyết yêu cầu cung cấp thông tin</a></li>
</ul>
<h2>Danh mục thông tin phải được công khai</h2>
<table border="1" cellpadding="3" class="tbl-danhmuc">
<tr><th>STT</th><th>Số/Ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Hình thức công khai</th></tr>
<tr><td>1</td><td>15/KH-UBND</td><td>10/01/2024</td><td>Kế hoạch phát triển kinh tế - xã hội năm 2024</td><td>Cổng thông tin điện tử tỉnh</td></tr>
<tr><td>2</td><td>120/QĐ-UBND</td><td>22/01/2024</td><td>Công bố công khai dự toán ngân sách địa phương năm 2024</td><td>Cổng thông tin điện tử tỉnh; niêm yết</td></tr>
<tr><td>3</td><td>05/2024/QĐ-UBND</td><td>15/02/2024</td><td>Ban hành bảng giá đất điều chỉnh trên địa bàn tỉnh</td><td>Cổng thông tin điện tử tỉnh; Công báo tỉnh</td></tr>
<tr><td>4</td><td>310/QĐ-UBND</td><td>18/3/2024</td><td>Phê duyệt danh mục dự án đầu tư công năm 2024</td><td>Cổng thông tin điện tử tỉnh</td></tr>
<tr><td>5</td><td>452/QĐ-UBND</td><td>28/3/2024</td><td>Công bố danh mục thủ tục hành chính mới ban hành</td><td>Cổng thông tin điện tử tỉnh; Cổng dịch vụ công</td></tr>
<tr><td>6</td><td>18/2021/QĐ-UBND</td><td>20/8/2021</td><td>Ban hành Quy chế làm việc của UBND tỉnh nhiệm kỳ 2021 - 2026</td><td>Cổng thông tin điện tử tỉnh; Công báo tỉnh</td></tr>
</table>
<h2>Quy chế</h2>
<p><a href="/CMSPages/TiepCanThongTin/QuyCheCungCapThongTin.aspx">Quyết định ban hành Quy chế cung cấp thông tin cho công dân</a></p>
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
