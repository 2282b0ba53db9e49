"""Fourth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]
FRESH4: tuple[Q, ...] = (
    # --- hy (Hưng Yên, ký số văn bản điện tử) intro: 3.026 certificates, units under 50 %
    ("tinh da cap bao nhieu cts cho cac dang uy xa phuong vay", (("hy", "intro"),)),
    (
        "How many digital certs were handed out to communes and wards in Hung Yen?",
        (("hy", "intro"),),
    ),
    ("hung yen co dang uy xa nao ky so chua dc 1 nua ko a", (("hy", "intro"),)),
    ("sao tỉnh ủy lại ra cv nhắc ký số, xã em bị làm sao à", (("hy", "intro"),)),
    # --- hy 1: review the use of signatures, raise staff responsibility, Guide 09-HD/VPTW
    ("trinh ky, ky so roi phat hanh vb dien tu thi lam theo huong dan nao", (("hy", "1"),)),
    ("hd 09 vptw ngay 3/6 ap dung muc nao a", (("hy", "1"),)),
    (
        "Which guidance should we follow for submitting and signing e-docs, the VPTW one?",
        (("hy", "1"),),
    ),
    ("phuong e co can hop quan triet ae can bo ve viec ky so ko", (("hy", "1"),)),
    ("dang uy xa phai tu ra soat danh gia tinh hinh dung chu ky so ha", (("hy", "1"),)),
    # --- hy 2: 100 % of electronically issued documents signed, by 30/6/2026
    ("den bao h thi vb dien tu phai ky so het sach", (("hy", "2"),)),
    ("30/6 la han cua viec gi vay mn", (("hy", "2"),)),
    ("deadline to get all e-docs signed?", (("hy", "2"),)),
    (
        "Khắc phục mấy cái tồn tại hạn chế về ký số thì phải xong trước ngày nào ạ",
        (("hy", "2"),),
    ),
    (
        "vb nao thi bat buoc ky so, tat ca hay chi vb phat hanh dien tu",
        (("hy", "2"), ("dt", "2")),
    ),
    # --- hy 3: units under 80 % write an explanation report to VP Tỉnh ủy before 26/6/2026
    ("giai trihn ky so nop truoc ngay nao", (("hy", "3"),)),
    ("dang uy phuong em moi dc 65% thi co phai lam bc ko a", (("hy", "3"),)),
    ("bc giai trinh gui ve dau vay ae", (("hy", "3"),)),
    ("bao cao giai trinh can neu nhung noi dung gi, co mau ko", (("hy", "3"),)),
    ("xa minh 79,5% thi co phai viet giai trinh khong hay thoi", (("hy", "3"),)),
    ("Our ward is at 72%, do we need to send an explanation and by when?", (("hy", "3"),)),
    ("deadline nop report giai trinh la ngay may", (("hy", "3"),)),
    (
        "Em là văn thư đảng ủy phường, tỷ lệ ký số của phường thấp, giờ phải làm văn bản "
        "gì gửi lên tỉnh ạ",
        (("hy", "3"),),
    ),
    # --- hy 4: the party secretary of the commune/ward is accountable
    ("tyle kyso xa thap thi ai chiu tn truoc btvtu", (("hy", "4"),)),
    ("bi thu dang uy xa co bi quy trach nhiem neu ky so ko dat ko", (("hy", "4"),)),
    (
        "who is accountable if our ward's signing rate stays low, the party secretary?",
        (("hy", "4"),),
    ),
    # --- hy end: VP Tỉnh ủy follows up, checks, compiles, reports to Thường trực
    ("o hung yen co quan nao don doc kiem tra cac xa phuong ky so", (("hy", "end"),)),
    ("vptu tong hop ket qua xong bao cao ai", (("hy", "end"), ("hy", "3"))),
    ("Who at the provincial party office keeps track of the signing rates?", (("hy", "end"),)),
    # --- hy484 intro: 2039-CV/VPTW, Resolution 57, the head is accountable
    ("cv 2039 cua vptw noi ve chuyen gi", (("hy484", "intro"),)),
    ("nq 57 lien quan gi toi cv 484 cua tu", (("hy484", "intro"),)),
    # --- hy484 1: leadership; head accountable, awareness, plans 36/63/64/65, overdue tasks, no
    # --- scattered investment
    (
        "ai chiu trach nhiem chinh ve tien do chuyen doi so trong co quan dang",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    ("kết quả cđs có tính vào xếp loại cán bộ cuối năm ko", (("hy484", "1"),)),
    ("nhiem vu cds bi tre han tu quy 2 gio xu ly the nao", (("hy484", "1"),)),
    ("kh 36-kh/tu ky ngay nao", (("hy484", "1"), ("hy484", "4"))),
    ("What KH plans do we have to implement, 63 64 65 something?", (("hy484", "1"),)),
    ("lam cds co dc mua sam dau tu dan trai ko, so bi trung lap", (("hy484", "1"),)),
    ("moi nhiem vu cds phai xac dinh ro san pham dau ra a?", (("hy484", "1"),)),
    ("tu muon cac cap uy lam gi de ae hieu ve cds", (("hy484", "1"),)),
    # --- hy484 2: review tasks, data, infrastructure, digital skills, AI training
    ("co dc tap huan dung AI ko hay tu may mo", (("hy484", "2"),)),
    ("Is AI training part of the plan for party staff?", (("hy484", "2"),)),
    (
        "do we need a full-time digital transformation officer or can someone do it part-time",
        (("hy484", "2"),),
    ),
    ("lam giau du lieu, chuan hoa du lieu la lam gi theo cv 484", (("hy484", "2"),)),
    ("tien it thi uu tien nhiem vu cds nao truoc", (("hy484", "2"),)),
    ("có phải mở lớp bồi dưỡng kỹ năng số cho công chức ko", (("hy484", "2"),)),
    ("ha tang so nen tang so can lam j", (("hy484", "2"),)),
    # --- hy484 3.1: party bodies keep using the operations system, send/receive and sign
    (
        "cac ban dang tinh uy co phai tang gui nhan vb dien tu tren he thong dieu hanh "
        "tac nghiep ko",
        (("hy484", "3.1"),),
    ),
    ("dang uy truc thuoc tu van dung he thong dieu hanh tac nghiep chu", (("hy484", "3.1"),)),
    # --- hy484 3.2: UBND upgrades its document system, links with the party one, by 25/6/2026
    ("cv 484 cua tu han hoan thanh la ngay nao", (("hy484", "3.2"),)),
    ("han 25/6 trong cv 484 la han cua viec gi", (("hy484", "3.2"),)),
    ("vb mat co dk gui qua mang dien tu ko hay van phai gui giay", (("hy484", "3.2"),)),
    ("can we send classified docs electronically", (("hy484", "3.2"),)),
    (
        "Does the commune government's document system need an upgrade to link with the "
        "party system?",
        (("hy484", "3.2"),),
    ),
    ("phan mem qlvb ben chinh quyen xa co phai lien thong voi ben dang ko", (("hy484", "3.2"),)),
    # --- hy484 4: VP Tỉnh ủy, Sở KH&CN, Công an tỉnh on information security
    ("who handles cybersecurity for party agencies in Hung Yen?", (("hy484", "4"),)),
    ("cong an tinh co tham gia dam bao attt cho co quan dang ko", (("hy484", "4"),)),
    ("an ninh mang trong cac cq dang thi don vi nao lo", (("hy484", "4"),)),
    # --- hy484 end: periodic reporting
    ("do we report on 484 regularly or just once?", (("hy484", "end"),)),
    # --- tg intro: based on 1637/BC-STTTT of 02/12/2020
    ("cv cua huyen tuan giao can cu vao bc nao cua so tttt", (("tg", "intro"),)),
    ("so lieu gui nhan vb thang 11/2020 o dien bien lay tu dau ra", (("tg", "intro"),)),
    # --- tg 1: follow 266/UBND-KGVX of 06/2/2020
    ("vb 266 cua ubnd tinh db noi j", (("tg", "1"),)),
    ("chủ tịch xã phải làm theo chỉ đạo nào của tỉnh về gửi nhận văn bản", (("tg", "1"),)),
    # --- tg 2: urge staff to run outgoing documents on the system (QĐ 28/2018/QĐ-TTg)
    ("qd 28/2018 cua ttg lien quan gi den ky so", (("tg", "2"),)),
    ("cbcc phai lam quy trinh vb di tren he thong ha, ko lam giay dc nua a", (("tg", "2"),)),
    # --- tg 3: self-criticism, TD Office, at least 80 %
    ("tuan giao dung phan mem gi de ky so", (("tg", "3"),)),
    ("tinh dien bien giao chi tieu ky so toi thieu bn%", (("tg", "3"),)),
    ("Tuan Giao minimum signing target?", (("tg", "3"),)),
    ("o tuan giao phong nao ky so thap thi phai lam gi", (("tg", "3"),)),
    ("xa em o tuan giao chua ky so vb nao, huyen bat lam gi", (("tg", "3"),)),
    # --- tg 3.1: results 01/11–08/12/2020 by group
    ("phong nv thang 11 ky so dc bn", (("tg", "3.1"),)),
    ("which departments hit 100% in november 2020", (("tg", "3.1"),)),
    ("tt gdnn gdtx thang 11 co ky so vb nao ko", (("tg", "3.1"),)),
    ("xa pu xi tu dau thang 11 den 8/12 dat bao nhieu", (("tg", "3.1"),)),
    ("phòng văn hóa thông tin tháng 11 ký số được mấy phần trăm", (("tg", "3.1"),)),
    # --- tg 3.2: results 01/01–08/12/2020 by group
    ("ca nam 2020 xa muong mun dat bao nhieu phan tram", (("tg", "3.2"),)),
    ("ban QLDA whole-year 2020 rate?", (("tg", "3.2"),)),
    ("pú nhung cả năm được bao nhiêu %", (("tg", "3.2"),)),
    ("tu dau nam den thang 12 phong ktht ky so the nao", (("tg", "3.2"),)),
    ("bieu thong ke chi tiet gui nhan vb o dau", (("tg", "3.2"),)),
    # --- tg 3.1 + 3.2: questions both periods answer
    ("xa tenh phong ky so dc bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("nhung xa nao 0% ky so", (("tg", "3.1"), ("tg", "3.2"))),
    ("which communes in Tuan Giao signed nothing at all", (("tg", "3.1"), ("tg", "3.2"))),
    ("phòng y tế huyện có ký số không", (("tg", "3.1"), ("tg", "3.2"))),
    ("thanh tra huyen tyle ky so", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ky so co thap ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("Trung tam quan ly dat dai signing rate", (("tg", "3.1"), ("tg", "3.2"))),
    ("van phong hdnd ubnd huyen dat may %", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg end (+ 1): who must carry it out
    ("huyen yeu cau nhung ai trien khai vb nay", (("tg", "end"), ("tg", "1"))),
    # --- dt intro: why the letter (signing not by the competent person, only scanning)
    ("dong thap thay nhieu noi ky so sai cach nhu the nao ma phai ra vb", (("dt", "intro"),)),
    ("cv dong thap can cu nhung nd nao", (("dt", "intro"),)),
    # --- dt 1: the head answers to UBND tỉnh; never hand over the token or its password
    ("sep di phep, dua usb ky so cho van thu ky ho dc ko", (("dt", "1"),)),
    ("cho dong nghiep muon token ky so vai hom co sao ko", (("dt", "1"),)),
    ("van thu hoi mat khau chu ky so cua e thi co dua ko", (("dt", "1"),)),
    ("Can I give my signing token PIN to the office clerk?", (("dt", "1"),)),
    ("boss is on leave, can the clerk sign with his token?", (("dt", "1"),)),
    ("thu truong cq chiu tn truoc ai neu de vb ko ky so dung", (("dt", "1"),)),
    (
        "chủ tịch bận quá hay nhờ văn thư cắm usb ký giúp, vậy có vi phạm gì không",
        (("dt", "1"),),
    ),
    # --- dt 2: signed by the competent person + the organisation; scanned copies only when
    # --- the personal certificate is revoked
    ("vb phai do ai ky so, pho phong ky thay dc ko", (("dt", "2"),)),
    ("ky ca nhan xong roi co phai dong them chu ky so cua co quan ko", (("dt", "2"),)),
    ("phat hanh vb dien tu tren phan mem nao o dong thap", (("dt", "2"),)),
    ("khi nao thi dc sao y vb giay sang dien tu", (("dt", "2"),)),
    ("scan ban giay roi day len he thong phat hanh luon dc ko", (("dt", "2"), ("dt", "intro"))),
    ("When is scanning a paper doc and issuing it electronically allowed?", (("dt", "2"),)),
    ("bi thu hoi chung thu so ca nhan thi phat hanh vb kieu gi", (("dt", "2"),)),
    ("lam mat cai usb ky so roi thi vb phai phat hanh kieu j", (("dt", "2"),)),
    # --- dt 3: Sở KH&CN supervises, supports, corrects
    ("ai kiem tra giam sat ky so o dong thap", (("dt", "3"),)),
    ("so khcn co ho tro huong dan dung chu ky so ko", (("dt", "3"),)),
    ("ky so tren he thong bi vuong, so nao ho tro minh a", (("dt", "3"),)),
    ("who catches units that sign the wrong way in Dong Thap", (("dt", "3"),)),
    # --- dt 4: Sở Nội vụ puts signing into the reform index and the heads' evaluation
    ("ky so co tinh vao chi so cai cach hanh chinh ko", (("dt", "4"),)),
    ("Is digital signing counted in the yearly evaluation of agency heads?", (("dt", "4"),)),
    ("so nv lien quan gi trong vu ky so", (("dt", "4"),)),
    # --- xt intro: legal basis, 68,04 % handbook use, 97 % e-issuance, 25-CV/BCĐ
    ("ty le dv xa minh dung so tay dien tu dc bn roi", (("xt", "intro"),)),
    ("xuan truong phat hanh vb dien tu dat bao nhieu %", (("xt", "intro"),)),
    ("What's the e-handbook usage rate in Xuan Truong?", (("xt", "intro"),)),
    ("as of what date is the Xuan Truong handbook figure?", (("xt", "intro"),)),
    ("quy dinh 339 cua ban bi thu noi ve gi", (("xt", "intro"),)),
    ("cv 25-cv/bcd ngay 5/6 ve viec gi", (("xt", "intro"),)),
    ("quy dinh 574 cua tinh uy ninh binh la gi", (("xt", "intro"),)),
    # --- xt 1: send/receive/sign on the system, 100 % electronic, log in often, heads follow up
    ("how often do we have to log in to the party operations system?", (("xt", "1"),)),
    ("docs piling up overdue in the system, what are we told to do", (("xt", "1"),)),
    (
        "Trưởng các đoàn thể có phải theo dõi anh em xử lý văn bản trên hệ thống không",
        (("xt", "1"),),
    ),
    ("vb giua cac co quan trong xa co phai gui dien tu het ko", (("xt", "1"),)),
    # --- xt 2: Ban Xây dựng Đảng, install and use the handbook, 100 % with smartphones
    ("dang vien dung dt cui bap co phai cai so tay ko", (("xt", "2"),)),
    ("Do members need to install the party handbook app on their phones?", (("xt", "2"),)),
    ("so tay dang vien dung de lam gi, sinh hoat chi bo tren do dc ko", (("xt", "2"),)),
    ("will using the handbook app count in members' year-end review?", (("xt", "2"),)),
    ("muc tieu bao nhieu % dang vien cai so tay", (("xt", "2"),)),
    # --- xt 2 + 3: who guides members to install it
    ("ai huong dan dv cai app so tay dang vien", (("xt", "2"), ("xt", "3"))),
    # --- xt 3: chi bộ urges members
    ("chi bo co phai don doc dv kich hoat so tay ko", (("xt", "3"),)),
    # --- xt 4: Văn phòng Đảng ủy xã tracks and reports
    ("van phong dang uy xa bao cao btv dinh ky ve viec gi", (("xt", "4"),)),
    (
        "who in the commune tracks usage of the shared party software and reports it?",
        (("xt", "4"),),
    ),
    # --- xt end: difficulties go to Văn phòng Đảng ủy xã
    ("phan mem bi loi, vuong mac thi bao ai o xa", (("xt", "end"),)),
    ("Who should I contact if the party software has problems in Xuan Truong?", (("xt", "end"),)),
    # --- unanswerable: close to the domain, answered by none of the letters
    ("luong can bo xa tang tu thang 7 ko", ()),
    ("phu cap cong vu nam 2026 bao nhieu", ()),
    ("nghi phep nam cua cong chuc dc may ngay", ()),
    ("xa co dc cap kinh phi mua may tinh moi de ky so ko", ()),
    ("mua usb token o dau, gia bao nhieu", ()),
    ("cai phan mem vnpt ioffice tren may tinh the nao", ()),
    ("tinh nghe an ty le ky so dat bao nhieu", ()),
    ("quyet toan thue tncn online lam sao", ()),
    ("lap nhom zalo cho chi bo dc ko", ()),
    ("when is the July briefing meeting of the party committee?", ()),
    ("How do I renew my expired digital certificate?", ()),
    ("quen mat khau email cong vu thi reset o dau", ()),
    ("che do thai san cho can bo nu bao lau", ()),
    ("What is the overtime pay rule for commune staff?", ()),
    ("dang phi thang nay dong bao nhieu", ()),
    ("per diem for trips to the province, how much?", ()),
    ("chu ky so tren dien thoai smart ca co dung dc ko", ()),
    ("Is there a training schedule for the new TD Office version?", ()),
    ("tinh quang ninh ky so dat bao nhieu", ()),
    ("ho tro tien dien thoai cho can bo chuyen doi so", ()),
    ("How much is the monthly allowance for the IT officer?", ()),
    ("Zalo official account for the ward, who approves it?", ()),
    ("mau bien ban ban giao tai san cong", ()),
)
