"""Vietnamese wording the generator draws from: agencies, people, streets, and the many ways real portals
label each part of the access-to-information section."""

from __future__ import annotations

# (name, host label) of the 34 provinces and cities after the 2025 reorganisation.
PROVINCES = [
    ("Hà Nội", "hanoi"), ("Huế", "hue"), ("Lai Châu", "laichau"), ("Điện Biên", "dienbien"), ("Sơn La", "sonla"),
    ("Lạng Sơn", "langson"), ("Quảng Ninh", "quangninh"), ("Thanh Hóa", "thanhhoa"), ("Nghệ An", "nghean"),
    ("Hà Tĩnh", "hatinh"), ("Cao Bằng", "caobang"), ("Tuyên Quang", "tuyenquang"), ("Lào Cai", "laocai"),
    ("Thái Nguyên", "thainguyen"), ("Phú Thọ", "phutho"), ("Bắc Ninh", "bacninh"), ("Hưng Yên", "hungyen"),
    ("Hải Phòng", "haiphong"), ("Ninh Bình", "ninhbinh"), ("Quảng Trị", "quangtri"), ("Đà Nẵng", "danang"),
    ("Quảng Ngãi", "quangngai"), ("Gia Lai", "gialai"), ("Khánh Hòa", "khanhhoa"), ("Lâm Đồng", "lamdong"),
    ("Đắk Lắk", "daklak"), ("Hồ Chí Minh", "hochiminhcity"), ("Đồng Nai", "dongnai"), ("Tây Ninh", "tayninh"),
    ("Cần Thơ", "cantho"), ("Vĩnh Long", "vinhlong"), ("Đồng Tháp", "dongthap"), ("Cà Mau", "camau"),
    ("An Giang", "angiang"),
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}

# (name, host prefix, short name used in "Văn phòng Sở …")
DEPARTMENTS = [
    ("Sở Tư pháp", "stp"), ("Sở Tài chính", "stc"), ("Sở Xây dựng", "sxd"), ("Sở Y tế", "syt"),
    ("Sở Giáo dục và Đào tạo", "sgddt"), ("Sở Nội vụ", "snv"), ("Sở Công Thương", "sct"),
    ("Sở Nông nghiệp và Môi trường", "snnmt"), ("Sở Khoa học và Công nghệ", "skhcn"),
    ("Sở Văn hóa, Thể thao và Du lịch", "svhttdl"), ("Thanh tra tỉnh", "thanhtra"), ("Sở Dân tộc và Tôn giáo", "sdttg"),
]
MINISTRIES = [("Bộ Tư pháp", "moj"), ("Bộ Tài chính", "mof"), ("Bộ Nội vụ", "moha"), ("Bộ Y tế", "moh"),
              ("Bộ Xây dựng", "moc"), ("Bộ Công Thương", "moit"), ("Bộ Giáo dục và Đào tạo", "moet"),
              ("Bộ Nông nghiệp và Môi trường", "mae"), ("Bộ Khoa học và Công nghệ", "most")]
COMMUNES = [("Tân Phú", "tanphu"), ("Bình An", "binhan"), ("Phú Lộc", "phuloc"), ("Hòa Bình", "hoabinh"),
            ("Thanh Sơn", "thanhson"), ("Đông Hưng", "donghung"), ("Quảng Phú", "quangphu"), ("Yên Lạc", "yenlac"),
            ("Mỹ Thạnh", "mythanh"), ("Long Điền", "longdien"), ("Vĩnh Hòa", "vinhhoa"), ("Bắc Sơn", "bacson")]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thanh", "Thị Hồng"]
MIDDLE_M = ["Văn", "Minh", "Đức", "Quốc", "Hữu", "Công", "Xuân"]
GIVEN_F = ["Lan", "Hương", "Mai", "Hạnh", "Thảo", "Trang", "Nga", "Yến", "Phương", "Hà"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Nam", "Sơn", "Thắng", "Long", "Quang", "Bình", "Hải"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Du", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng",
           "Phan Đình Phùng", "Nguyễn Trãi", "Điện Biên Phủ", "Võ Thị Sáu", "Lê Duẩn"]
POSITIONS = ["Chuyên viên Văn phòng", "Phó Chánh Văn phòng", "Chánh Văn phòng", "Chuyên viên phòng Hành chính - Tổng hợp",
             "Trưởng phòng Hành chính - Tổng hợp", "Chuyên viên Phòng Tổng hợp"]

SECTION_LABELS = ["Tiếp cận thông tin", "Chuyên mục tiếp cận thông tin", "Hỗ trợ tiếp cận thông tin",
                  "TIẾP CẬN THÔNG TIN", "Tiếp cận thông tin công dân", "Chuyên mục Tiếp cận thông tin"]
# Hub entries of a main menu that open a landing page (or a sub-menu) holding the section.
HUB_LABELS = ["Công khai minh bạch", "Thông tin cần biết", "Dành cho công dân", "Công dân - Doanh nghiệp",
              "Công khai thông tin"]
# Other disclosures listed beside the section on a landing page.
HUB_SIBLINGS = ["Công khai ngân sách", "Công khai thủ tục hành chính", "Kết quả giải quyết hồ sơ",
                "Lịch tiếp công dân", "Công khai đầu tư công"]
SECTION_SLUGS = ["tiep-can-thong-tin", "tiepcanthongtin", "hotrotiepcanthongtin", "chuyen-muc-tiep-can-thong-tin",
                 "ho-tro-tiep-can-thong-tin"]

INTROS = [
    "Luật Tiếp cận thông tin số 104/2016/QH13 được Quốc hội thông qua ngày 06/4/2016, có hiệu lực thi hành từ ngày "
    "01/7/2018. Chuyên mục này giúp công dân thực hiện quyền tiếp cận thông tin theo quy định của pháp luật.",
    "Thực hiện Nghị định số 13/2018/NĐ-CP ngày 23/01/2018 của Chính phủ quy định chi tiết và biện pháp thi hành Luật "
    "Tiếp cận thông tin, {agency} công khai thông tin và tạo thuận lợi cho công dân tiếp cận thông tin.",
    "Công dân có quyền được tiếp cận thông tin do {agency} tạo ra. Thông tin được công khai trên Cổng thông tin điện "
    "tử hoặc cung cấp theo yêu cầu của công dân.",
]

# ("Đầu mối tiếp nhận yêu cầu cung cấp thông tin" is left out: it also states where requests go, which
# makes the request-address label a judgement call.)
FOCAL_HEADINGS = ["ĐẦU MỐI CUNG CẤP THÔNG TIN", "Cán bộ đầu mối cung cấp thông tin",
                  "Bộ phận đầu mối cung cấp thông tin", "ĐẦU MỐI TIẾP CẬN THÔNG TIN", "Đơn vị đầu mối cung cấp thông tin",
                  "Thông tin đầu mối cung cấp thông tin", "Người làm đầu mối cung cấp thông tin",
                  "Thông tin liên hệ đầu mối cung cấp thông tin"]
REQUEST_HEADINGS = ["ĐỊA CHỈ TIẾP NHẬN YÊU CẦU CUNG CẤP THÔNG TIN", "Tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử",
                    "Gửi yêu cầu cung cấp thông tin", "Địa chỉ tiếp nhận yêu cầu cung cấp thông tin",
                    "Địa chỉ thư điện tử tiếp nhận yêu cầu", "Tiếp nhận yêu cầu qua mạng điện tử"]
COMPLAINT_HEADINGS = ["Tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo", "Phản ánh, kiến nghị về việc cung cấp thông tin",
                      "KHIẾU NẠI, TỐ CÁO VỀ TIẾP CẬN THÔNG TIN", "Địa chỉ tiếp nhận phản ánh, kiến nghị",
                      "Góp ý, phản ánh về việc cung cấp thông tin"]
GUIDANCE_HEADINGS = ["HƯỚNG DẪN KHAI THÁC THÔNG TIN", "Hướng dẫn yêu cầu cung cấp thông tin",
                     "Hướng dẫn thực hiện quyền tiếp cận thông tin", "Hướng dẫn tiếp cận thông tin",
                     "Hướng dẫn gửi phiếu yêu cầu", "Hướng dẫn công dân tiếp cận thông tin",
                     "Hướng dẫn thủ tục yêu cầu cung cấp thông tin"]
FORMS_HEADINGS = ["BIỂU MẪU", "Các mẫu phiếu", "Mẫu phiếu yêu cầu cung cấp thông tin", "Biểu mẫu tiếp cận thông tin",
                  "Tải biểu mẫu"]
DOWNLOAD_LABELS = ["Cơ sở dữ liệu văn bản", "Tra cứu văn bản", "Tải thông tin / Cơ sở dữ liệu văn bản",
                   "Địa chỉ truy cập để tải thông tin", "Tải văn bản"]
CATALOGUE_TITLES = ["Danh mục thông tin phải được công khai", "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI",
                    "Danh mục thông tin công khai", "Danh mục thông tin được công khai",
                    "Danh mục thông tin phải công khai", "DANH MỤC THÔNG TIN CÔNG KHAI THEO LUẬT TIẾP CẬN THÔNG TIN"]
CONDITIONAL_TITLES = ["Danh mục thông tin công dân được tiếp cận có điều kiện",
                      "DANH MỤC THÔNG TIN ĐƯỢC TIẾP CẬN CÓ ĐIỀU KIỆN"]
REGULATION_TITLES = ["Quy chế cung cấp thông tin cho công dân", "Quy chế nội bộ về tổ chức cung cấp thông tin",
                     "Quyết định ban hành Quy chế cung cấp thông tin cho công dân"]

FORMS = {
    "01a": "Phiếu yêu cầu cung cấp thông tin (dùng cho công dân)",
    "01b": "Phiếu yêu cầu cung cấp thông tin (công dân yêu cầu thông qua tổ chức, đoàn thể, doanh nghiệp)",
    "02": "Phiếu tiếp nhận yêu cầu cung cấp thông tin",
    "03": "Phiếu giải quyết yêu cầu cung cấp thông tin",
    "04": "Thông báo về việc gia hạn giải quyết yêu cầu cung cấp thông tin",
    "05": "Thông báo về việc từ chối yêu cầu cung cấp thông tin",
    "06": "Văn bản chấp thuận của tổ chức, cá nhân liên quan",
}

DOCUMENTS = [
    ("Quyết định", "QĐ-UBND", "về việc ban hành Kế hoạch cải cách hành chính năm 2025"),
    ("Kế hoạch", "KH-UBND", "thực hiện công tác phổ biến, giáo dục pháp luật năm 2025"),
    ("Báo cáo", "BC", "kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2025"),
    ("Quyết định", "QĐ", "công bố thủ tục hành chính mới ban hành, sửa đổi, bổ sung"),
    ("Thông báo", "TB", "kết luận thanh tra việc thực hiện chính sách pháp luật"),
    ("Quyết định", "QĐ", "phê duyệt dự toán ngân sách năm 2025"),
    ("Kế hoạch", "KH", "triển khai chuyển đổi số năm 2025"),
    ("Báo cáo", "BC", "công khai tình hình thực hiện dự toán ngân sách quý III năm 2025"),
]
DISCLOSURE_FORMS = ["Đăng trên Cổng thông tin điện tử", "Đăng Cổng TTĐT; niêm yết tại trụ sở", "Cổng thông tin điện tử",
                    "Đăng tải trên Trang thông tin điện tử"]
DISCLOSURE_TIMES = ["Ngay sau khi ban hành; thường xuyên", "Trong 05 ngày làm việc kể từ ngày ban hành; thường xuyên",
                    "Chậm nhất 05 ngày làm việc; đến khi hết hiệu lực", "Thường xuyên, liên tục"]
CATEGORIES = [
    "Văn bản quy phạm pháp luật", "Thông tin về cơ cấu tổ chức, nhiệm vụ, quyền hạn", "Thủ tục hành chính",
    "Dự toán, quyết toán ngân sách", "Chiến lược, chương trình, dự án, đề án", "Quy hoạch phát triển ngành",
    "Danh mục dự án đầu tư công", "Kết luận thanh tra, kiểm tra", "Báo cáo tình hình kinh tế - xã hội",
    "Cơ sở dữ liệu văn bản",
]

NEWS_TITLES = [
    "Hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025",
    "Tập huấn nghiệp vụ cho cán bộ, công chức cấp xã",
    "Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc",
    "Ra quân hưởng ứng Ngày Chủ nhật xanh",
    "Triển khai Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam",
]
