"""Third fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH3: tuple[Q, ...] = (
    # --- hy (Hưng Yên, ký số văn bản điện tử) intro: 3.026 certificates, some units < 50 % ---
    ("cac dang uy xa phuong duoc cap tong cong bao nhieu chung thu so vay", (("hy", "intro"),)),
    (
        "sao tu lai ra cv nhac ky so, tinh hinh cac xa te lam a",
        (("hy", "intro"),),
    ),
    ("tinh uy noi co dang uy xa nao ky so duoi 50% a?", (("hy", "intro"),)),
    # --- hy 1: review the use of signatures; sign/issue per Hướng dẫn 09-HD/VPTW ---
    (
        "trinh ky, ky so roi phat hanh vb dien tu thi lam theo huong dan nao cua vptw a",
        (("hy", "1"),),
    ),
    ("hd 09-HD/VPTW co gui kem cv ko hay phai tu tim", (("hy", "1"),)),
    (
        "em la vp dang uy phuong, cv ky so bat minh ra soat danh gia cai gi truoc",
        (("hy", "1"),),
    ),
    # --- hy 2: 100 % signed by 30/6/2026 ---
    ("Đến bao giờ thì phải ký số đủ 100% văn bản điện tử hả anh?", (("hy", "2"),)),
    ("han chot ky so 100% vb la ngay nao", (("hy", "2"),)),
    ("what's the deadline for getting 100% of e-docs signed in Hung Yen?", (("hy", "2"),)),
    # --- hy 3: below 80 % -> explanation report to VP Tỉnh ủy before 26/6 ---
    ("han giai trinh?", (("hy", "3"),)),
    (
        "dang uy xa em moi dat 65% thi co phai lam bao cao giai trinh ko a",
        (("hy", "3"),),
    ),
    ("bc giai trinh ty le ky so thap gui ve dau vay", (("hy", "3"),)),
    ("tỷ lệ ký số dưới bao nhiêu % thì phải viết giải trình", (("hy", "3"),)),
    (
        "giai trnh thi can neu nhung noi dung gi, co phai ghi trach nhiem ca nhan ko",
        (("hy", "3"),),
    ),
    (
        "our ward is at 72% signing, do we need to send an explanation report? by when",
        (("hy", "3"),),
    ),
    ("deadline nop report giai trinh la khi nao vay", (("hy", "3"),)),
    ("who receives the explanation report?", (("hy", "3"),)),
    # --- hy 4: bí thư accountable to BTV Tỉnh ủy ---
    ("bi thu xa co bi chiu trach nhiem neu ty le ky so thap k", (("hy", "4"),)),
    ("ai chịu trách nhiệm trước btv tỉnh ủy về kết quả ký số của phường", (("hy", "4"),)),
    ("Is the commune party secretary personally accountable for the signing rate?", (("hy", "4"),)),
    # --- hy end: VP Tỉnh ủy follows up, checks, reports to Thường trực ---
    ("ben nao theo doi don doc kiem tra viec ky so cua cac xa phuong", (("hy", "end"),)),
    (
        "which office tracks the communes' signing results and reports them to the standing "
        "committee?",
        (("hy", "end"),),
    ),
    # --- hy484 intro: CV 2039-CV/VPTW, Nghị quyết 57 ---
    ("cv 2039 cua van phong trung uong noi ve viec gi vay", (("hy484", "intro"),)),
    ("cv 484 thuc hien nghi quyet nao cua trung uong", (("hy484", "intro"),)),
    # --- hy484 1: leadership, accountability, plans 36/63/64/65, overdue Q2 tasks, no waste ---
    (
        "ai chiu trach nhiem chinh ve tien do chuyen doi so trong co quan dang",
        (("hy484", "intro"), ("hy484", "1")),
    ),
    ("ket qua cds co tinh vao danh gia xep loai cb cuoi nam ko", (("hy484", "1"),)),
    ("nhiem vu cds bi qua han trong quy 2 thi phai xu ly the nao", (("hy484", "1"),)),
    ("theo cv 484 thi phai trien khai nhung ke hoach nao cua tinh uy", (("hy484", "1"),)),
    (
        "xa e dinh de xuat mua them may moc cho cds, cv 484 co noi gi ve viec dau tu ko",
        (("hy484", "1"),),
    ),
    # --- hy484 2: review tasks, data, infrastructure, digital skills, AI ---
    ("co dao tao ky nang so cho can bo cong chuc ko", (("hy484", "2"),)),
    ("does the party want cadres trained to use AI?", (("hy484", "2"),)),
    ("cv 484 co yeu cau so hoa lam giau du lieu ko", (("hy484", "2"),)),
    ("co phai bo tri cb chuyen trach ban chuyen trach cds k", (("hy484", "2"),)),
    (
        "Rà soát lại các nhiệm vụ chuyển đổi số đang làm thì ưu tiên cái gì trước",
        (("hy484", "2"),),
    ),
    # --- hy484 3.1: party bodies keep using the Hệ thống điều hành tác nghiệp ---
    (
        "cac ban cua tinh uy thi gui nhan vb dien tu qua phan mem nao",
        (("hy484", "3.1"),),
    ),
    # --- hy484 3.2: UBND upgrades QLVB, links to party system, secret docs, by 25/6 ---
    (
        "han lien thong phan mem qlvb ben chinh quyen voi he thong ben dang la bao gio",
        (("hy484", "3.2"),),
    ),
    ("Văn bản mật có được gửi nhận qua mạng điện tử không?", (("hy484", "3.2"),)),
    ("ben ubnd xa co phai nang cap phan mem qlvb ko", (("hy484", "3.2"),)),
    (
        "when must the provincial gov finish sending and receiving e-docs, confidential ones "
        "included?",
        (("hy484", "3.2"),),
    ),
    # --- hy484 4: VP Tỉnh ủy, Sở KHCN, Công an tỉnh on information security ---
    ("ai lo vu an toan thong tin an ninh mang trong cac co quan dang", (("hy484", "4"),)),
    ("cong an tinh co tham gia vu bao mat cds ko", (("hy484", "4"),)),
    ("who handles cybersecurity for the party bodies in Hung Yen?", (("hy484", "4"),)),
    # --- hy484 end: periodic reporting ---
    ("thuc hien cv 484 xong co phai bc ket qua k, bao cao dinh ky ha", (("hy484", "end"),)),
    # --- tg intro: based on Sở TTTT report 1637 ---
    ("cv cua huyen tuan giao can cu bao cao nao cua so tttt", (("tg", "intro"),)),
    # --- tg 1: implement UBND Điện Biên 266/UBND-KGVX ---
    ("vb 266 cua ubnd tinh dien bien ve viec gi", (("tg", "1"),)),
    ("chu tich xa phai thuc hien nghiem van ban nao cua tinh", (("tg", "1"),)),
    # --- tg 2: urge staff to follow the outgoing-document workflow (QĐ 28/2018/QĐ-TTg) ---
    ("ky so vb di theo quyet dinh nao cua thu tuong", (("tg", "2"),)),
    ("tuan giao yeu cau cbcc lam quy trinh vb di tren he thong the nao", (("tg", "2"),)),
    # --- tg 3: self-criticism, TD Office, minimum 80 % ---
    ("huyen tuan giao ky so tren phan mem gi", (("tg", "3"),)),
    ("chi tieu ky so toi thieu cua tinh dien bien la bao nhieu %", (("tg", "3"),)),
    ("phong em chua dat 80% thi co phai kiem diem rut kinh nghiem ko", (("tg", "3"),)),
    ("what software does Tuan Giao use for e-signing?", (("tg", "3"),)),
    # --- tg 3.1: results 01/11-08/12/2020 ---
    ("phong noi vu ky so dc bao nhieu % tu dau thnag 11", (("tg", "3.1"),)),
    ("xa Tenh Phong ty le ky so thang 11 2020", (("tg", "3.1"),)),
    ("which communes in Tuan Giao had the best signing rate in November 2020?", (("tg", "3.1"),)),
    ("khoi phong chuyen mon phong nao ky so cao nhat tu 1/11", (("tg", "3.1"),)),
    # --- tg 3.2: results 01/01-08/12/2020 ---
    ("ca nam 2020 xa muong mun dat bao nhieu phan tram", (("tg", "3.2"),)),
    ("ban qlda ky so dc bao nhieu tu dau nam", (("tg", "3.2"),)),
    ("xã Nà Sáy ký số từ đầu năm đến 8/12 được bao nhiêu", (("tg", "3.2"),)),
    ("cv tuan giao co kem bang so lieu chi tiet tung don vi ko", (("tg", "3.2"),)),
    # --- tg 3.1 + 3.2: both periods answer ---
    ("Phòng Y tế ký số bao nhiêu %", (("tg", "3.1"), ("tg", "3.2"))),
    ("nhung xa nao o tuan giao 0% ky so vay", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao dat bao nhieu %", (("tg", "3.1"), ("tg", "3.2"))),
    ("trung tam quan ly dat dai ky so the nao", (("tg", "3.1"), ("tg", "3.2"))),
    ("don vi su nghiep nao chua ky so van ban nao", (("tg", "3.1"), ("tg", "3.2"))),
    ("phong tckh ky so dc bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("Thanh tra huyen ky so duoc bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    (
        "what was the signing rate of the district People's Council and People's Committee office?",
        (("tg", "3.1"), ("tg", "3.2")),
    ),
    ("xa pu nhung ky so ra sao", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg end: heads and commune chairmen implement ---
    ("cv tuan giao gui cho ai thuc hien", (("tg", "1"), ("tg", "end"))),
    # --- dt intro: the problem found; Nghị định 30/2020, 68/2024, QĐ 144/2025 ---
    (
        "tinh trang ky so o dong thap hien nay co van de gi ma ubnd phai chan chinh",
        (("dt", "intro"),),
    ),
    ("cv ve chu ky so cong vu cua dong thap can cu nghi dinh nao", (("dt", "intro"),)),
    # --- dt 1: head accountable; never hand over the token or the password ---
    ("van thu xin mat khua cts cua chu tich de ky thay co dc k", (("dt", "1"),)),
    (
        "sep di phep 1 tuan, dua cai usb ky so cho van thu ky giup dc ko a",
        (("dt", "1"), ("dt", "2")),
    ),
    ("Thủ trưởng đơn vị chịu trách nhiệm trước ai về việc ký số?", (("dt", "1"),)),
    ("Can my deputy borrow my signing token while I'm on leave?", (("dt", "1"),)),
    ("e lam IT o phuong, token cua chu tich de e giu co sao ko", (("dt", "1"),)),
    # --- dt 2: signed by the competent person and the organisation; limit scanned copies ---
    ("vb dien tu phat hanh tren he thong phai co nhung chu ky so nao", (("dt", "2"),)),
    ("khi nao thi dc sao y vb giay sang vb dien tu", (("dt", "2"),)),
    (
        "scan ban giay roi day len he thong phat hanh dc ko",
        (("dt", "intro"), ("dt", "2")),
    ),
    ("usb ky so bi mat, cts da bi thu hoi roi, gio phat hanh vb kieu gi", (("dt", "2"),)),
    (
        "Is it ok to just scan the signed paper and issue it as the electronic version?",
        (("dt", "intro"), ("dt", "2")),
    ),
    # --- dt 3: Sở KHCN checks, supports, corrects ---
    ("ai ho tro hướng dẫn dung chuw ky so chuyen dung o dong thap", (("dt", "3"),)),
    ("ky so sai quy dinh thi ben nao phat hien, chan chinh", (("dt", "3"),)),
    # --- dt 4: Sở Nội vụ puts signing into CCHC criteria and heads' rating ---
    ("ký số có được tính vào chỉ số cải cách hành chính ko", (("dt", "4"),)),
    ("danh gia muc do hoan thanh nhiem vu cua thu truong co tinh ky so k", (("dt", "4"),)),
    ("Does Dong Thap count e-signing in the admin reform ranking?", (("dt", "4"),)),
    # --- xt intro: regulations 337/339/573/574, rates 68,04 % and 97 %, CV 25-CV/BCĐ ---
    (
        "ty le dang vien xa xuan truong dung so tay dang vien dien tu la bao nhieu",
        (("xt", "intro"),),
    ),
    ("dang bo xa xuan truong phat hanh vb dien tu dat bao nhieu % roi", (("xt", "intro"),)),
    ("quy dinh ve su dung so tay dang vien dien tu la quy dinh so may", (("xt", "intro"),)),
    ("which regulation covers sending e-documents over the party network?", (("xt", "intro"),)),
    ("cv 25-CV/BCD cua ban chi dao tinh noi gi", (("xt", "intro"),)),
    ("what % of party members in Xuan Truong use the e-handbook app?", (("xt", "intro"),)),
    # --- xt 1: signed e-docs on the system, 100 % electronic, log in often, no backlog ---
    ("bao lau thi phai dang nhap he thong dieu hanh tac nghiep", (("xt", "1"),)),
    ("vb ton dong qua han tren he thong thi ai chiu trach nhiem don doc", (("xt", "1"),)),
    (
        "van ban qua lai giua mttq voi cac doan the trong xa co phai lam dien tu het ko",
        (("xt", "1"),),
    ),
    # --- xt 2: Ban Xây dựng Đảng, installing the e-handbook, smartphones, evaluation ---
    ("đảng viên không có điện thoại thông minh thì có phải cài sổ tay không", (("xt", "2"),)),
    ("so tay dang vien dung de lam gi, sinh hoat chi bo tren do dc ko", (("xt", "2"),)),
    ("dung so tay dv co tinh vao danh gia dang vien cuoi nam ko", (("xt", "2"),)),
    (
        "ai huong dan dang vien cai dat kich hoat app so tay dang vien",
        (("xt", "2"), ("xt", "3")),
    ),
    # --- xt 3: chi bộ review and push members to install and use it ---
    ("Chi bộ trực thuộc phải làm gì với vụ sổ tay đảng viên điện tử ạ?", (("xt", "3"),)),
    # --- xt 4: Văn phòng Đảng ủy monitors and reports to BTV ---
    ("ai tong hop tinh hinh thuc hien roi bc btv dang uy xa", (("xt", "4"),)),
    # --- xt end: difficulties go to Văn phòng Đảng ủy ---
    ("gap vuong mac khi dung phan mem dung chung thi phan anh ve dau", (("xt", "end"),)),
    (
        "Xuan Truong: who should I contact if the shared party software gives us trouble?",
        (("xt", "end"),),
    ),
    # --- unanswerable: close to the domain, not covered by any letter ---
    ("phu cap cho can bo chuyen trach cds o xa la bao nhieu", ()),
    ("mua usb token ky so o dau, gia bao nhieu tien", ()),
    ("xa dc cap kinh phi mua may tinh moi ko a", ()),
    ("nghỉ phép năm của công chức được mấy ngày", ()),
    ("cach cai phan mem ky so tren macbook", ()),
    ("quyet toan thue tncn online lam the nao", ()),
    ("co nhom zalo ho tro ky so ko a", ()),
    ("lich hop giao ban thang 7 cua dang uy xa", ()),
    ("ty le ky so cua tinh nghe an dat bao nhieu", ()),
    ("How do I renew an expired digital certificate?", ()),
    ("phan mem misa ke toan co ky so duoc ko", ()),
    ("vnpt smartca bao nhieu tien 1 nam", ()),
    ("Can I sign documents from my iPhone?", ()),
    ("che do thai san cua can bo nu xa", ()),
    ("thi tuyen cong chuc cap xa nam 2026 khi nao", ()),
    ("dang phi dang vien dong bao nhieu 1 thang", ()),
    ("sap nhap xa xong thi con dau moi khi nao co", ()),
    ("luong van thu hop dong o phuong tinh the nao", ()),
    ("how much is the per diem for attending the digital transformation training?", ()),
)
