"""Ninth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH9: tuple[Q, ...] = (
    # --- hy (Hưng Yên signing letter) intro: 3.026 certificates issued, some units under 50 %
    ("tinh da phat bao nhieu cts cho cac dang uy xa phuong r a", (("hy", "intro"),)),
    ("o hung yen co dang uy xa nao ky so chua toi 1 nua ko, ds xem o dau", (("hy", "intro"),)),
    (
        "Why is the Hung Yen provincial committee suddenly chasing ward party committees "
        "about e-signing?",
        (("hy", "intro"),),
    ),
    ("cac dang uy xã đã đc cấp đủ chứng thư số chưa hay còn thiếu", (("hy", "intro"),)),
    # --- hy item 1: review signing, raise staff responsibility, follow 09-HD/VPTW
    ("trinh ky roi phat hanh vbdt thi lam theo hd nao cua vptw a", (("hy", "1"),)),
    ("hd 09 cua van phong tw thi xem muc nao, phan nao", (("hy", "1"),)),
    (
        "em la vp dang uy phuong, sep bao ra soat tinh hinh dung chu ky so thi ra soat nhung j",
        (("hy", "1"),),
    ),
    (
        "anh em cb dang uy phuong cu in ra ky tay, lam sao nang trach nhiem ky so cua ho",
        (("hy", "1"), ("xt", "1")),
    ),
    # --- hy item 2: 100 % of e-issued documents signed, by 30/6/2026
    ("han chot phai ky so het 100% vb la ngay may", (("hy", "2"),)),
    (
        "đến cuối tháng 6 này đảng ủy xã phải ký số được bao nhiêu phần trăm văn bản?",
        (("hy", "2"),),
    ),
    ("Deadline for commune party committees to hit 100% signed e-documents?", (("hy", "2"),)),
    (
        "vb nao cung phai ky so het ha hay chi nhung vb phat hanh dien tu thoi",
        (("hy", "2"), ("dt", "2")),
    ),
    (
        "con 2 tuan nua het thang 6 ma xa moi ky dc 1 nua so vb, tinh yeu cau gi",
        (("hy", "2"), ("hy", "3")),
    ),
    # --- hy item 3: units under 80 % send an explanation report to VPTU by 26/6
    ("han giai trinhh?", (("hy", "3"),)),
    ("xa e moi dc 65% thi co phai viet bc giai trinh k a", (("hy", "3"),)),
    ("bc giai trinh nop vptu hay nop ban tochuc", (("hy", "3"),)),
    ("bcao giai trinh ty le kyso thap can neu nhug noi dung gi", (("hy", "3"),)),
    ("Our ward sits at 72 percent. What do we have to send, and by when?", (("hy", "3"),)),
    ("duoi bao nhieu % thi bi bat giai trinh vay", (("hy", "3"),)),
    ("phuong minh nam trong phu luc diem thap, gio phai lam vb gi gui len tinh", (("hy", "3"),)),
    ("deadline nop bc giai trinh cho vptu la ngay nao", (("hy", "3"),)),
    # --- hy item 4: the commune/ward party secretary answers to the standing committee
    (
        "Who gets the blame if a ward party committee misses the signing target in Hung Yen?",
        (("hy", "4"),),
    ),
    ("ky so cua phuong ko dat thi bi thu hay chanh vp phai chiu", (("hy", "4"),)),
    # --- hy closing: VPTU monitors and reports to the provincial standing committee
    (
        "Who in Hung Yen follows up on the ward party committees' signing progress?",
        (("hy", "end"),),
    ),
    ("vptu tong hop so lieu xong thi bao cao len ai", (("hy", "end"), ("hy", "3"))),
    # --- hy484 intro: 2039-CV/VPTW of 28/4/2026, Resolution 57, heads responsible
    ("cv 484 cua tinh uy can cu vao vb nao cua trung uong", (("hy484", "intro"),)),
    ("cong van 2039 vptw ngay 28/4 noi j vay", (("hy484", "intro"),)),
    # --- hy484 item 1: leadership, evaluation, plans 36/63/64/65, overdue tasks, no waste
    ("ket qua cds co tinh vao danh gia xep loai chi bo, cb cuoi nam ko", (("hy484", "1"),)),
    ("tinh uy bat trien khai nhung ke hoach nao ve chuyen doi so nam 2026", (("hy484", "1"),)),
    (
        "may nhiem vu cds bi tre tu quy 2 con dong lai thi xu ly the nao",
        (("hy484", "1"),),
    ),
    (
        "du an cds xa dinh dau tu ca dong thu, tinh co luu y j ve hieu qua, tranh lang phi ko",
        (("hy484", "1"),),
    ),
    (
        "Who is ultimately accountable for digital transformation progress in a party body?",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    ("kh 36-kh/tu ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    ("ke hoach 64-KH/TU ra ngay bao nhieu", (("hy484", "1"),)),
    ("tinh co bat xac dinh san pham dau ra cho tung nhiem vu cds ko", (("hy484", "1"),)),
    # --- hy484 item 2: review tasks, data, infrastructure, skills training, AI
    (
        "anh chi cb lon tuoi dung may tinh yeu lam, tinh co yeu cau boi duong gi ko",
        (("hy484", "2"),),
    ),
    (
        "Is there a plan to build a dedicated digital transformation team at our level?",
        (("hy484", "2"),),
    ),
    ("AI training for staff, is that actually in letter 484?", (("hy484", "2"),)),
    ("so hoa du lieu xong roi thi dung vao viec j, tinh muon the nao", (("hy484", "2"),)),
    (
        "Budget is tight. Which digital transformation tasks should we fund first?",
        (("hy484", "2"), ("hy484", "1")),
    ),
    ("tinh co yeu cau lam sach, chuan hoa du lieu ko hay chi scan la xong", (("hy484", "2"),)),
    # --- hy484 item 3.1: Party operations system for Tỉnh ủy organs and direct committees
    (
        "cac ban tham muu tinh uy va dang uy truc thuoc dung he thong nao de gui nhan vb",
        (("hy484", "3.1"),),
    ),
    (
        "cac ban dang cua tinh co bat buoc ky so vb tren he thong dieu hanh tac nghiep ko",
        (("hy484", "3.1"),),
    ),
    # --- hy484 item 3.2: UBND upgrades its document system, connects, secret docs by 25/6
    (
        "phan mem qlvb ben ubnd xa co phai nang cap de lien thong sang ben dang ko",
        (("hy484", "3.2"),),
    ),
    (
        "Can confidential documents go through the e-document system, or do they still go by hand?",
        (("hy484", "3.2"),),
    ),
    ("Ngày 25/6 là hạn của việc gì vậy ạ", (("hy484", "3.2"),)),
    (
        "When does the provincial People's Committee have to be sending and receiving "
        "e-documents, confidential ones included?",
        (("hy484", "3.2"),),
    ),
    (
        "ket noi qlvb chinh quyen voi he thong dieu hanh cua dang theo lo trinh cua ai",
        (("hy484", "3.2"),),
    ),
    # --- hy484 item 4: information security by VPTU, Sở KH&CN, provincial police
    ("so bi hack he thong thi dv nao lo giai phap bao dam attt cho khoi dang", (("hy484", "4"),)),
    ("Are the provincial police involved in securing the party's systems?", (("hy484", "4"),)),
    # --- hy484 closing: periodic reporting
    ("lam theo cv484 xong co phai baocao dinh ky ko hay thoi", (("hy484", "end"),)),
    # --- tg intro: based on Sở TT&TT report 1637/BC-STTTT of 02/12/2020
    ("cv cua huyen tuan giao dua tren bao cao nao cua so tttt", (("tg", "intro"),)),
    # --- tg item 1: follow 266/UBND-KGVX of UBND tỉnh Điện Biên
    ("Văn bản 266 của UBND tỉnh Điện Biên về việc gì ạ?", (("tg", "1"),)),
    (
        "chu tich xa thi tran phai lam theo chi dao nao cua tinh ve gui nhan vb dien tu",
        (("tg", "1"),),
    ),
    # --- tg item 2: urge staff to run the outgoing-document process (QĐ 28/2018/QĐ-TTg)
    ("qd 28/2018 cua thu tuong dc nhac trong cv tuan giao de lam j", (("tg", "2"),)),
    ("ai don doc cbcc lam quy trinh vbdi tren he thong o tuan giao", (("tg", "2"),)),
    # --- tg item 3: at least 80 % signed on TD Office, self-criticism
    ("chi tieu ky so cua tinh dien bien toi thieu la bn", (("tg", "3"),)),
    (
        "What minimum share of outgoing documents must be e-signed in Tuan Giao?",
        (("tg", "3"),),
    ),
    (
        "huyen tuan giao ky so tren phan mem gi",
        (("tg", "3"), ("tg", "3.1"), ("tg", "3.2")),
    ),
    ("phong bi huyen neu ten ky so thap thi phai lam gi", (("tg", "3"),)),
    # --- tg item 3.1: results 01/11–08/12/2020
    ("phong nv huyen thang 11 nam 2020 ky dc bn %", (("tg", "3.1"),)),
    ("Which Tuan Giao commune hit 100% signing between 1 Nov and 8 Dec 2020?", (("tg", "3.1"),)),
    ("mung chung thang 11 dat may phan tram", (("tg", "3.1"),)),
    ("Which Tuan Giao departments had zero signed documents in November 2020?", (("tg", "3.1"),)),
    ("trung tâm quản lý đất đai đợt tháng 11 ký số được bao nhiêu", (("tg", "3.1"),)),
    # --- tg items 3.1 and 3.2 both: figures present in both periods
    ("trung tam dvnn co ky so van ban nao ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ky so kem the, dc bao nhieu %", (("tg", "3.1"), ("tg", "3.2"))),
    ("ban qlda ky so dc bn", (("tg", "3.1"), ("tg", "3.2"))),
    ("y te voi thanh tra huyen ky so ra sao", (("tg", "3.1"), ("tg", "3.2"))),
    ("quai cang ky so dc may %", (("tg", "3.1"), ("tg", "3.2"))),
    ("phòng tư pháp huyện đạt tỷ lệ ký số bao nhiêu", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg item 3.2: results 01/01–08/12/2020
    ("Best-performing commune in Tuan Giao for e-signing over 2020?", (("tg", "3.2"),)),
    ("tu dau nam den 8/12 phong vhtt dc bao nhieu phan tram", (("tg", "3.2"),)),
    (
        "Which Tuan Giao communes still had 0% signing for the whole of 2020?",
        (("tg", "3.2"),),
    ),
    ("vp hdnd ubnd huyen ca nam ky so dc bn", (("tg", "3.2"),)),
    ("bieu thong ke chi tiet gui nhan vb cua tuan giao nam o dau", (("tg", "3.2"),)),
    ("pu nhung tu dau nam ky so may %", (("tg", "3.2"),)),
    # --- tg closing: heads and commune chairs implement
    (
        "nhan dc vb cua ubnd huyen tuan giao ve ky so thi chu tich xa phai lam j",
        (("tg", "end"), ("tg", "1")),
    ),
    # --- dt intro: problems found, legal basis (ND 30/2020, ND 68/2024)
    ("cv dong thap ve chu ky so cong vu can cu nghi dinh nao", (("dt", "intro"),)),
    (
        "What mistakes did Dong Thap find in how agencies sign their documents?",
        (("dt", "intro"),),
    ),
    # --- dt item 1: head directly responsible; never hand over token or password
    ("sep di phep 1 tuan, nho vanthu cam usb kyso ky giup dc ko", (("dt", "1"), ("dt", "2"))),
    ("cho chi van thu muon mk token de ky thay anh co sao ko", (("dt", "1"), ("dt", "2"))),
    ("Can I leave my signing token with my assistant while I'm on leave?", (("dt", "1"),)),
    ("Thủ trưởng phải chịu trách nhiệm trực tiếp trước ai nếu cơ quan ký số sai?", (("dt", "1"),)),
    ("phó phòng cầm token của trưởng phòng ký thay được không", (("dt", "1"), ("dt", "2"))),
    ("share token + ma pin cho dong nghiep giu ho co vi pham ko", (("dt", "1"),)),
    ("token cua sep de luon o phong van thu cho tien, vay co sai ko", (("dt", "1"),)),
    # --- dt item 2: signed by the competent person and the agency; paper copies only when revoked
    (
        "scan ban giay co chu ky tuoi roi day len he thong qlvb phat hanh dc ko",
        (("dt", "2"), ("dt", "intro")),
    ),
    ("truong hpo nao moi dc sao y ban giay thanh ban dien tu", (("dt", "2"),)),
    ("cts cua chu tich bi thu hoi roi thi phat hanh vb kieu gi", (("dt", "2"),)),
    ("vb phat hanh tren he thong cua tinh can nhung chu ky so nao", (("dt", "2"),)),
    ("khoan 2 dieu 17 nd68/2024 la truong hop nao", (("dt", "2"),)),
    (
        "Is it fine to just scan the wet-signed paper instead of signing electronically?",
        (("dt", "2"), ("dt", "intro")),
    ),
    (
        "chu tich ky giay roi, vanthu chup anh up len he thong phat hanh cho nhanh dc ko",
        (("dt", "2"), ("dt", "intro")),
    ),
    (
        "token cua sep het han roi thi van thu scan vb giay phat hanh tam dc ko",
        (("dt", "2"), ("dt", "intro")),
    ),
    # --- dt item 3: Sở KH&CN checks, supervises, supports, corrects
    ("ben nao di kiem tra cac so nganh dong thap co ky so dung ko", (("dt", "3"),)),
    ("o dong thap dv nao ky so sai quy trinh thi ai se phat hien, nhac nho", (("dt", "3"),)),
    (
        "Who should we ask in Dong Thap for guidance on using the official signing certificate?",
        (("dt", "3"),),
    ),
    # --- dt item 4: Sở Nội vụ puts signing into CCHC index and head evaluation
    ("nam nay cham diem cchc co tinh ca chuyen ky so vb ko", (("dt", "4"),)),
    ("so nv co dinh dua vu kyso vao KPI danh gia thu truong ko", (("dt", "4"),)),
    ("Will e-signing affect the yearly rating of agency heads?", (("dt", "4"),)),
    # --- xt intro: rates as of 31/5/2026, QĐ 337/339/573/574, CV 25-CV/BCĐ
    ("xtruong bn % dvien dang xai so tay dv dien tu", (("xt", "intro"),)),
    ("o xuan truong phat hanh vb qua mang dc may phan tram roi", (("xt", "intro"),)),
    ("quy dinh nao cua ban bi thu ve so tay dang vien", (("xt", "intro"),)),
    ("qd 574 cua tinh uy ninh binh quy dinh ve cai gi", (("xt", "intro"),)),
    ("cv 25-CV/BCĐ ngày 5/6 nói về việc gì", (("xt", "intro"),)),
    ("As of end of May, what were Xuan Truong's app usage numbers?", (("xt", "intro"),)),
    # --- xt item 1: signed e-documents on the operations system, log in, no backlog
    ("vb de ton tren he thong dieu hanh tac nghiep qua han thi sao", (("xt", "1"),)),
    ("co phai ngay nao cung vao he thong check vb ko", (("xt", "1"),)),
    ("ai don doc cb xu ly vb dien tu trong tung co quan o xa", (("xt", "1"),)),
    (
        "vb trao doi giua cac dv trong he thong chinh tri xa co phai di dien tu het ko",
        (("xt", "1"),),
    ),
    (
        "In Xuan Truong, do the party committee's advisory offices have to e-sign what they "
        "send through the system?",
        (("xt", "1"),),
    ),
    (
        "cb xa van in vb ra ky tay roi chuyen qua lai, dang uy xa xuan truong yeu cau gi",
        (("xt", "1"),),
    ),
    # --- xt item 2: Ban Xây dựng Đảng promotes the e-handbook, 100 % with smartphones
    (
        "dang vien gia ko co dt thong minh thi co bat buoc cai so tay ko",
        (("xt", "2"),),
    ),
    ("so tay dang vien dung de lam gi, co nhung tinh nang j", (("xt", "2"),)),
    ("Ai hướng dẫn đảng viên cài app Sổ tay?", (("xt", "2"), ("xt", "3"))),
    ("dung so tay dang vien co tinh vao danh gia dang vien ko", (("xt", "2"),)),
    ("Who is in charge of pushing the e-handbook app to party members?", (("xt", "2"),)),
    (
        "What share of party members is supposed to have the e-handbook app installed?",
        (("xt", "2"),),
    ),
    # --- xt item 3: branches review and urge members to install and use the app
    ("Chi bộ cần làm gì để tăng số đảng viên dùng sổ tay?", (("xt", "3"),)),
    ("bi thu chi bo co phai di nhac tung dv kich hoat app ko", (("xt", "3"),)),
    # --- xt item 4: VP Đảng ủy xã monitors and reports to the standing committee
    ("VP Đảng ủy xã báo cáo tình hình dùng phần mềm cho ai", (("xt", "4"),)),
    ("so lieu dung phan mem cua cac chi bo o xuan truong thi ben nao gom lai", (("xt", "4"),)),
    # --- xt closing: difficulties go to VP Đảng ủy xã
    ("gap vuong mac khi dung phan mem dung chung thi phan anh ve dau", (("xt", "end"),)),
    ("app so tay bi loi ko vao dc thi bao ai o xa", (("xt", "end"),)),
    # --- cross-letter: several letters answer
    (
        "thang 6 nay co nhung han nao ve ky so, van ban dien tu",
        (("hy", "2"), ("hy", "3"), ("hy484", "3.2")),
    ),
    ("ty le ky so thap thi thu truong hay bi thu chiu trach nhiem", (("hy", "4"), ("dt", "1"))),
    # --- unanswerable: close to the domain, but no letter answers
    ("luong cong chuc vp dang uy xa nam 2026 co tang ko", ()),
    ("phu cap cho cb chuyen trach cds xa dc bn 1 thang", ()),
    ("Nghỉ phép năm được mấy ngày ạ", ()),
    ("mua may tinh moi cho vp dang uy lay kinh phi o dau", ()),
    ("mua them usb token gia bao nhieu, mua o dau", ()),
    ("How do I renew an expired digital signing certificate?", ()),
    ("cach cai vgca sign service tren win 11", ()),
    ("quen ma pin usb ky so, nhap sai bi khoa roi, mo khoa kieu gi", ()),
    ("How do I reset my password on the party document system?", ()),
    ("phan mem ke toan misa co ket noi voi qlvb ko", ()),
    ("ty le ky so cua tinh quang ninh la bao nhieu", ()),
    ("Hà Nội có bắt ký số 100% không", ()),
    ("quyet toan thue tncn online lam the nao", ()),
    ("co nhom zalo ho tro ky so cua tinh ko cho e xin link", ()),
    ("lich hop giao ban dang uy xa thang 7", ()),
    ("Ký số trên điện thoại bằng SIM CA được không", ()),
    ("cb moi chuyen cong tac ve thi lam ho so cap cts the nao", ()),
    ("dang ky tai khoan dich vu cong cho nguoi dan the nao", ()),
    ("chu ky so ca nhan cua nguoi dan ky hop dong dien tu co gia tri ko", ()),
    ("What's the per diem for the provincial digital transformation training trip?", ()),
    ("thi tuyen cong chuc xa nam nay bao gio", ()),
    ("What bandwidth does the party's wide-area network need?", ()),
    ("How do I install the token driver on a MacBook?", ()),
    ("xa xuan truong co tong cong bao nhieu dang vien", ()),
    ("ky vb bang ipad duoc ko", ()),
    ("so dien thoai ho tro ky so cua so khcn dong thap la so may", ()),
    ("tuan giao nam 2021 ky so dc bao nhieu %", ()),
    ("Can we use a Viettel-CA token instead of the government one?", ()),
)
