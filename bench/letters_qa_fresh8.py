"""Eighth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH8: tuple[Q, ...] = (
    # ---------------------------------------------------------------- hy (Hưng Yên signing letter)
    # hy intro: 3.026 certificates issued, some units under 50 %, why the letter was sent
    ("ca tinh da cap bao nhieu cts cho cac dang uy xa phuong roi", (("hy", "intro"),)),
    ("tinh uy hung yen noi co dv ky so chua toi 50% a, la sao", (("hy", "intro"),)),
    ("vi sao ttu lai ra cv doc thuc ky so vb dien tu vay", (("hy", "intro"),)),
    (
        "How many digital certificates have the commune party committees been given?",
        (("hy", "intro"),),
    ),
    # hy 1: review, raise staff responsibility, submit/sign/issue per Hướng dẫn 09-HD/VPTW
    ("trinh ky roi ky so phat hanh vb thi lam theo huong dan nao a", (("hy", "1"),)),
    ("cv ve ky so cua tinh uy co gui kem hd 09 cua vptw ko", (("hy", "1"),)),
    (
        "anh em trong vp cứ in ra ký tay rồi mới scan, tỉnh ủy bảo dảng ủy xã phải chấn chỉnh "
        "cán bộ thế nào",
        (("hy", "1"), ("hy", "2")),
    ),
    ("dang uy phuong co phai tu ra soat lai tinh hinh dung chu ky so cua minh k", (("hy", "1"),)),
    # hy 2: 100 % of electronically issued documents signed, by 30/6/2026
    ("tinh bat 100% vbdt phai ky so truoc ngay may", (("hy", "2"),)),
    ("By when must every e-document we issue carry a digital signature?", (("hy", "2"),)),
    ("có phải vb nào cũng ký số hết ko hay chỉ vb phát hành điện tử", (("hy", "2"),)),
    ("cuoi thang 6 nay xa minh chua dat 100% thi sao, han chot la khi nao", (("hy", "2"),)),
    ("is the 100% signing deadline june 30?", (("hy", "2"),)),
    # hy 3: units under 80 % write an explanation report to VP Tỉnh ủy before 26/6/2026
    ("han giai trinh kyso?", (("hy", "3"),)),
    ("dang uy xa em dc 65% thoi, co phai viet bc giai trinh ko a", (("hy", "3"),)),
    ("xa minh 91% roi thi khoi giai trinh dung ko", (("hy", "3"),)),
    ("bcgiai trinh ty le ky so thap gui ve dau vay ae", (("hy", "3"),)),
    ("báo cáo giải trình cần nêu những gì, nguyên nhân với trách nhiệm à", (("hy", "3"),)),
    (
        "Our ward is at 72%. Do we need to send an explanation, and what's the deadline?",
        (("hy", "3"),),
    ),
    ("duoi bn phan tram thi bi bat giai trinh", (("hy", "3"),)),
    ("deadline nộp report giải trình là 26/6 hả", (("hy", "3"),)),
    # hy 4: the commune party secretary answers to the provincial standing committee
    ("bi thu dang uy xa chiu trach nhiem truoc ai ve ket qua ky so", (("hy", "4"),)),
    ("xa ky so kem thi bí thư có bị quy trách nhiệm ko", (("hy", "4"),)),
    (
        "If our commune's rate stays low, who gets held accountable, the party secretary?",
        (("hy", "4"),),
    ),
    # hy end: VP Tỉnh ủy monitors, checks, urges and reports to Thường trực Tỉnh ủy
    ("ai theo dõi kiêm tra đôn đốc các đảng ủy xã phường ký sô", (("hy", "end"),)),
    (
        "vp tinh uy tong hop ket qua ky so xong thi bao cao len ai",
        (("hy", "3"), ("hy", "end")),
    ),
    ("Which office at the province keeps track of the commune signing rates?", (("hy", "end"),)),
    # ------------------------------------------------------------ hy484 (Hưng Yên 484-CV/TU)
    # hy484 intro: based on CV 2039-CV/VPTW, Thường trực Ban Bí thư, NQ 57
    ("cv 484 can cu vao vb nao cua trung uong vay", (("hy484", "intro"),)),
    ("cong van 2039 cua vp trung uong dang chi dao gi", (("hy484", "intro"),)),
    ("cv 484 la de trien khai nghi quyet nao cua bo chinh tri", (("hy484", "intro"),)),
    # hy484 1: head fully accountable; evaluation; awareness; plans 36/63/64/65; overdue Q2 tasks;
    # inputs to outputs; no scattered, duplicated or wasteful investment
    (
        "cds trong co quan dang ai phai chiu trach nhiem chinh ve tien do",
        (("hy484", "intro"), ("hy484", "1")),
    ),
    ("ket qua chuyen doi so co tinh vao xep loai tcd cuoi nam k", (("hy484", "1"),)),
    ("ke hoach 36-KH/TU ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    ("kh 63 64 65 cua tu ra ngay bao nhieu", (("hy484", "1"),)),
    ("viec cds bi tre han tu quy 2 gio xu ly the nao", (("hy484", "1"),)),
    (
        "moi phong tu mua 1 phan mem rieng bi trung nhau, lang phi, cv 484 co noi gi ko",
        (("hy484", "1"),),
    ),
    ("nhiem vu cds co phai xac dinh san pham dau ra, hieu qua cu the ko", (("hy484", "1"),)),
    (
        "Does letter 484 say anything about avoiding duplicated or wasteful IT spending?",
        (("hy484", "1"),),
    ),
    ("tinh uy muon nang cao nhan thuc ve cds trong co quan dang ntn", (("hy484", "1"),)),
    ("Which provincial plans does letter 484 tell us to carry out?", (("hy484", "1"),)),
    # hy484 2: review tasks, priorities; data; digital infrastructure; skills and DX staff; AI
    ("nguon luc co han thi uu tien nhiem vu cds nao truoc", (("hy484", "2"),)),
    ("du lieu so hoa xong phai gan voi phan mem nghiep vu a", (("hy484", "2"),)),
    ("co dao tao ai cho cb cong chuc ko hay chi noi suong", (("hy484", "2"),)),
    ("Is there any AI training planned for civil servants?", (("hy484", "2"),)),
    ("xa co can bo tri nguoi chuyen trach ban chuyen trach lam cds ko", (("hy484", "2"),)),
    ("tinh coi cai gi la nen tang cot loi cua chuyen doi so", (("hy484", "2"),)),
    ("boi duong ky nang so cho can bo", (("hy484", "2"),)),
    ("Are we supposed to build a dedicated digital transformation team?", (("hy484", "2"),)),
    # hy484 3.1: party advisory bodies and subordinate committees use the party operating system
    (
        "cac dang uy truc thuoc tinh uy gui nhan vb dien tu qua he thong nao",
        (("hy484", "3.1"),),
    ),
    ("ban tham muu tinh uy co phai tang ky so vb tren he thong dieu hanh k", (("hy484", "3.1"),)),
    # hy484 3.2: UBND systems upgraded, connect to the party system, secret docs, by 25/6/2026
    ("ubndxa co phai nang cap phan mem quan ly van ban khong", (("hy484", "3.2"),)),
    (
        "phan mem qlvb ben chinh quyen co lien thong dc voi he thong cua dang ko",
        (("hy484", "3.2"),),
    ),
    ("vb mật có đc gửi nhận điện tử ko hay vẫn phải gửi giấy", (("hy484", "3.2"),)),
    ("han hoan thanh gui nhan xu ly vb dien tu ben ubnd tinh la 25/6 ha", (("hy484", "3.2"),)),
    (
        "Do commune People's Committees have to upgrade their document system to link with the "
        "party one?",
        (("hy484", "3.2"),),
    ),
    (
        "What's the deadline for the provincial government to handle e-documents, classified ones "
        "included?",
        (("hy484", "3.2"),),
    ),
    # hy484 4: VP Tỉnh ủy, Sở KH&CN and Công an tỉnh on information security
    ("attt an ninh mang trong cds giao cho co quan nao", (("hy484", "4"),)),
    ("công an tỉnh tham gia gì trong chuyển đổi số cơ quan đảng", (("hy484", "4"),)),
    ("Who is responsible for cybersecurity guidance under 484?", (("hy484", "4"),)),
    # hy484 end: periodic reports
    ("cv 484 co bat bao cao dinh ky ket qua ko", (("hy484", "end"),)),
    # ------------------------------------------------------------------- tg (Tuần Giáo 2020)
    # tg intro: based on report 1637/BC-STTTT of the Department of Information and Communications
    ("cv cua huyen tuan giao dua vao bao cao nao cua so tttt", (("tg", "intro"),)),
    ("bc 1637 cua so thong tin truyen thong bc ve cai gi", (("tg", "intro"),)),
    # tg 1: heads and commune chairmen follow provincial letter 266/UBND-KGVX
    ("vb 266 cua ubnd tinh dien bien noi ve viec gi", (("tg", "1"),)),
    (
        "chu tich xa thi tran phai thuc hien chi dao nao cua tinh ve gui nhan vb dien tu",
        (("tg", "1"),),
    ),
    # tg end (+1): who the district addresses
    ("ubnd huyen tuan giao yeu cau nhung ai trien khai cv ky so nay", (("tg", "1"), ("tg", "end"))),
    # tg 2: urge staff to run the outgoing-document workflow on the system (QĐ 28/2018/QĐ-TTg)
    ("quy trinh vb di tren he thong lam theo qd nao cua thu tuogn", (("tg", "2"),)),
    ("cbcc cu lam vb di ngoai he thong, huyen yeu cau the nao", (("tg", "2"),)),
    # tg 3: review, lessons learned, at least 80 % signed on TD Office
    ("tren td office phai ky so toi thieu bao nhieu % vb phat hanh", (("tg", "3"),)),
    ("don vi ky so thap co phai kiem diem rut kn ko", (("tg", "3"),)),
    ("chi tieu ky so cua tinh dien bien dat ra la bn", (("tg", "3"),)),
    ("huyen tuan giao ky so tren phan mem gi", (("tg", "3"),)),
    ("What software does Tuan Giao use for signing documents?", (("tg", "3"),)),
    ("Which letters set an 80% signing threshold?", (("hy", "3"), ("tg", "3"))),
    # tg 3.1: 1/11/2020 - 8/12/2020 figures
    ("thang 11 phong y te kí so dc bao nhieu", (("tg", "3.1"),)),
    ("xa tenh phong dung dau ve ky so dot thang 11 dung ko", (("tg", "3.1"),)),
    ("Which departments hit 100% signing in the November period?", (("tg", "3.1"),)),
    ("TT VH-TT-TH thang 11 dat bn %", (("tg", "3.1"),)),
    ("so lieu ky so thang 11 o tuan giao tinh tu ngay nao den ngay nao", (("tg", "3.1"),)),
    ("nhung xa nao 0% ky so tu dau thang 11", (("tg", "3.1"),)),
    ("van phong hdnd ubnd huyen thang 11 ky so dc bn", (("tg", "3.1"),)),
    # tg 3.2: 1/1/2020 - 8/12/2020 figures
    ("ca nam 2020 xa muong mun ky so bao nhieu %", (("tg", "3.2"),)),
    ("thanh tra huyen tu dau nam ky so dc may phan tram", (("tg", "3.2"),)),
    ("ban qlda ca nam bao nhieu", (("tg", "3.2"),)),
    ("Since January, which communes are still at 0%?", (("tg", "3.2"),)),
    ("biểu thống kê chi tiết gửi nhận vb để ở đâu", (("tg", "3.2"),)),
    ("phong vhtt ca nam chua dc 50% a", (("tg", "3.2"),)),
    ("What was Muong Thin's signing rate for the whole of 2020?", (("tg", "3.2"),)),
    # tg 3.1 + 3.2: both periods answer
    ("xa quai to ky so dc bn", (("tg", "3.1"), ("tg", "3.2"))),
    ("phong noi vu ty le ky so thap vay, dc bao nhieu %", (("tg", "3.1"), ("tg", "3.2"))),
    ("tt gdnn gdtx voi tt dvnn co ky so van ban ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ky so duoc bao nhieu phan tram", (("tg", "3.1"), ("tg", "3.2"))),
    ("pu nhung co ky so ko vay", (("tg", "3.1"), ("tg", "3.2"))),
    ("KT-HT ky so dat bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    # ------------------------------------------------------------------ dt (Đồng Tháp)
    # dt intro: what went wrong, legal basis (NĐ 30/2020, NĐ 68/2024, QĐ 144/2025)
    ("tinh dong thap ra soat thay cac dv ky so sai nhung loi gi", (("dt", "intro"),)),
    (
        "can cu phap ly ve chu ky so chuyen dung cong vu o dong thap la nhung vb nao",
        (("dt", "intro"),),
    ),
    ("qd 144/2025 cua chu tich ubnd tinh la qd gi", (("dt", "intro"),)),
    ("Which decrees does the Dong Thap letter rely on?", (("dt", "intro"),)),
    # dt 1: head accountable; never hand over the token or password
    ("chu tich di cong tac, dua usb ky so cho van thu ky ho dc ko", (("dt", "1"),)),
    ("van thu xin mat khau cts cua sep de ky giup thi co sao ko", (("dt", "1"),)),
    ("Can I leave my signing token with my assistant while I'm on leave?", (("dt", "1"),)),
    ("thủ trưởng cơ quan chịu trách nhiệm trước ai về ký số vb", (("dt", "1"),)),
    ("cho muon token ky so 1 hom co bi cam k", (("dt", "1"),)),
    ("sếp đưa pass token cho văn thư ký thay có vi phạm ko", (("dt", "1"),)),
    # dt 2 (both passages): competent person + organisation signature; paper copies only if revoked
    ("vb phat hanh tren he thong qlvb cua tinh can nhung chu ky so nao", (("dt", "2"),)),
    ("sep vang thi scan ban giay co chu ky tay roi phat hanh dc ko", (("dt", "2"),)),
    ("khi nao thi dc sao y tu ban giay sang ban dien tu", (("dt", "2"),)),
    (
        "chu ky so cua co quan co bat buoc khi phat hanh vb ko hay chi can chu ky sep",
        (("dt", "2"),),
    ),
    (
        "usb bi mat, cts ca nhan da bi thu hoi roi, trong luc cho cap lai thi phat hanh vb kieu gi",
        (("dt", "2"),),
    ),
    ("Is it OK to scan a hand-signed paper letter and publish it on the system?", (("dt", "2"),)),
    (
        "pho phong ky so vb thay truong phong dc khong hay phai dung nguoi co tham quyen",
        (("dt", "2"),),
    ),
    # dt 3: Sở KH&CN checks, supports, corrects wrong signing
    ("ai kiem tra giam sat viec ky so chuyen dung cong vu o tinh", (("dt", "3"),)),
    ("ky so sai quy dinh thi ai phat hien cham chinh", (("dt", "3"),)),
    ("so khcn co ho tro huong dan dung chu ky so ko", (("dt", "3"),)),
    (
        "Who do we ask for help using the official signature on the provincial system?",
        (("dt", "3"),),
    ),
    # dt 4: Sở Nội vụ puts signing into the reform index and the head's annual rating
    ("ky so co dc tinh diem chi so cchc ko", (("dt", "4"),)),
    ("Does digital signing count in the head's yearly performance rating?", (("dt", "4"),)),
    ("sở nội vụ làm gì liên quan đến ký số", (("dt", "4"),)),
    # ----------------------------------------------------------------- xt (Xuân Trường)
    # xt intro: legal basis, 68,04 % handbook use, 97 % e-issuance, CV 25-CV/BCĐ
    ("ty le dang vein xa xuan truong dung so tay dang vien la bn", (("xt", "intro"),)),
    ("How many percent of documents did Xuan Truong issue electronically?", (("xt", "intro"),)),
    ("quy dinh 339 cua ban bi thu ve j", (("xt", "intro"),)),
    ("tính đến 31/5 sổ tay đảng viên mới được 68% hả", (("xt", "intro"),)),
    ("cv 25 cua bcd tinh ninh binh ngay nao", (("xt", "intro"),)),
    ("phan mem dung chung cua co quan dang gom nhung cai nao", (("xt", "intro"),)),
    (
        "quy dinh ve quan ly su dung he thong dieu hanh tac nghiep cua tinh ninh binh so may",
        (("xt", "intro"),),
    ),
    # xt 1: e-documents with signatures, 100 % electronic exchange, log in often, no backlog
    ("vb tồn đọng quá hạn trên hệ thống điều hành xã mình xử lý thế nào", (("xt", "1"),)),
    ("bao lau phai vao he thong dieu hanh 1 lan, cu de do co dc ko", (("xt", "1"),)),
    ("truong cac ban co phai don doc cb xu ly vb dien tu ko", (("xt", "1"),)),
    ("Who has to make sure staff handle their e-documents on time?", (("xt", "1"),)),
    ("What share of documents between commune bodies has to go electronic?", (("xt", "1"),)),
    ("van phong dang uy gui vb cho mat tran co can ky so ko hay gui giay", (("xt", "1"),)),
    # xt 2: Ban Xây dựng Đảng guides installation; 100 % smartphone users; features; evaluation
    ("dang vien gia ko co dt thong minh co bat buoc cai so tay dv k", (("xt", "2"),)),
    ("so tay dang vien dien tu dung de lam gi, sinh hoat chi bo dc ko", (("xt", "2"),)),
    ("dung so tay dv co tinh vao danh gia dang vien cuoi nam ko", (("xt", "2"),)),
    ("ban xay dung dang phai lam gi voi app so tay", (("xt", "2"),)),
    ("Do all party members have to install the e-handbook app?", (("xt", "2"),)),
    # xt 3 (+2): who helps members install and activate the handbook
    ("chi bo phai lam gi voi viec dang vien cai so tay", (("xt", "3"),)),
    ("ai huong dan dang vien cai dat kich hoat so tay dang vien", (("xt", "2"), ("xt", "3"))),
    ("who helps older party members set up the So tay dang vien app?", (("xt", "2"), ("xt", "3"))),
    # xt 4: VP Đảng ủy xã monitors and reports
    ("ai tong hop bc tinh hinh dung phan mem dung chung cua xa", (("xt", "4"),)),
    ("vp dang uy xa bao cao ai ve viec dung phan mem dung chung", (("xt", "4"),)),
    # xt end: problems go to VP Đảng ủy xã
    ("vuong mac khi dung phan mem dung chung thi phan anh ve dau", (("xt", "end"),)),
    ("If we run into problems with the party software, who do we report to?", (("xt", "end"),)),
    # ------------------------------------------------------------------ unanswerable
    ("bang luong cb chuyen trach xa nam nay tang chua", ()),
    ("What is the salary scale for commune officials this year?", ()),
    ("phu cap cho can bo lam chuyen doi so dc bao nhieu 1 thang", ()),
    ("mua them usb token moi het bao nhieu tien", ()),
    ("cach reset ma pin usb ky so bi khoa", ()),
    ("chung thu so het han gia han the nao", ()),
    ("cai driver token tren win 11 ko nhan thi lam sao", ()),
    ("How do I unlock my token after entering the wrong PIN too many times?", ()),
    ("How do I renew an expired signing certificate?", ()),
    ("nghi phep nam cua cong chuc dc may ngay", ()),
    ("han quyet toan thue tncn nam nay la ngay nao", ()),
    ("có nhóm zalo hỗ trợ ký số của tỉnh không", ()),
    ("Can we send official letters through Zalo instead?", ()),
    ("lich hop giao ban tuan nay thu may", ()),
    ("ty le ky so cua tinh nghe an thang nay", ()),
    ("quang ninh ky so dat bao nhieu phan tram", ()),
    ("How do I sign a PDF on my phone with remote signing?", ()),
    ("mua may tinh cho vp dang uy lay tu nguon kinh phi nao", ()),
    ("phan mem ke toan misa co ky so dc khong", ()),
    ("quen mat khau email cong vu lay lai sao", ()),
    ("di tap huan chuyen doi so co dc thanh toan cong tac phi k", ()),
    ("xa dat 100% ky so co dc khen thuong tien thuong ko", ()),
    ("thoi han su dung cua chung thu so la may nam", ()),
    ("may scan cua vp bi hong thi bao sua o dau", ()),
    ("ho so dich vu cong cua nguoi dan ky so tren cong quoc gia kieu gi", ()),
    ("Where can a private company buy a digital signature?", ()),
    ("bảo hiểm xã hội cho người hoạt động không chuyên trách đóng bao nhiêu", ()),
    ("tap huan ky so thang sau to chuc o dau", ()),
    ("cai plugin ky so tren chrome bi loi", ()),
    ("How much is the monthly allowance for IT staff at commune level?", ()),
    ("hạn nộp báo cáo tổng kết năm của đảng ủy xã là khi nào", ()),
)
