"""Second fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH2: tuple[Q, ...] = (
    # --- hy (Hưng Yên signing letter), intro: 3.026 certificates issued, some units < 50 %
    ("tinh da cap bao nhieu cts cho cac dang uy xa phuong roi", (("hy", "intro"),)),
    ("vì sao tỉnh ủy lại ra cv nhắc ký số vb điện tử vậy", (("hy", "intro"),)),
    ("o hung yen co dang uy xa nao ky so chua toi 50% ko", (("hy", "intro"),)),
    # --- hy item 1: review signing, process per HD 09-HD/VPTW section 2 part II
    ("trinh ky va phat hanh vb dien tu lam theo huong dan nao cua vptw", (("hy", "1"),)),
    ("hd 09-HD/VPTW ap dung muc nao vay a", (("hy", "1"),)),
    ("dang uy xa co phai tu ra soat danh gia viec dung chu ky so ko", (("hy", "1"),)),
    # --- hy item 2: 100 % of e-issued documents signed by 30/6/2026
    ("han chot ky so du 100% vb dien tu la ngay nao", (("hy", "2"),)),
    ("What's the deadline for having every electronic document signed?", (("hy", "2"),)),
    ("vb phat hanh dien tu phai ky so bao nhieu phan tram", (("hy", "2"), ("tg", "3"))),
    # --- hy item 3: units under 80 % send an explanation report to VP Tỉnh ủy by 26/6
    ("han giai trinh?", (("hy", "3"),)),
    ("xa minh moi dat 65% thi co phai lam bc giai trinh ko", (("hy", "3"),)),
    ("bc giai trnh gui ve dau", (("hy", "3"),)),
    ("Who receives the explanation report in Hung Yen?", (("hy", "3"),)),
    ("báo cáo giải trình cần nêu những gì", (("hy", "3"),)),
    (
        "Our commune is at 72%, do we have to send an explanation report and by when?",
        (("hy", "3"),),
    ),
    # --- hy item 4: the commune party secretary answers to the provincial standing board
    ("xa ky so ko dat thi ai chiu trach nhiem", (("hy", "4"), ("dt", "1"))),
    ("bi thu dang uy xa chiu trach nhiem truoc ai ve ket qua ky so", (("hy", "4"),)),
    # --- hy closing: VP Tỉnh ủy follows up and reports to the standing committee
    ("ai theo doi don doc viec ky so cua cac xa phuong o hung yen", (("hy", "end"),)),
    ("vp tinh uy co di kiem tra ky so cac xa ko", (("hy", "end"),)),
    # --- hy484 intro: based on 2039-CV/VPTW and resolution 57
    ("cv 484 cua tu can cu vb nao cua trung uong", (("hy484", "intro"),)),
    ("cong van 484 trien khai nghi quyet so may", (("hy484", "intro"),)),
    # --- hy484 item 1: leadership, plans 36/63/64/65-KH/TU, overdue tasks, no wasteful spending
    (
        "nguoi dung dau chiu trach nhiem gi ve chuyen doi so trong co quan dang",
        (("hy484", "intro"), ("hy484", "1")),
    ),
    ("ket qua cds trong co quan dang co tinh vao xep loai to chuc dang ko", (("hy484", "1"),)),
    ("nhiem vu cds bi qua han tu quy 2 thi phai xu ly sao", (("hy484", "1"),)),
    ("ke hoach 36-KH/TU ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    ("đầu tư thiết bị cđs có yêu cầu gì để khỏi dàn trải lãng phí ko", (("hy484", "1"),)),
    (
        "Which provincial plans must we carry out for digital transformation in party bodies?",
        (("hy484", "1"),),
    ),
    # --- hy484 item 2: review DX tasks, data, infrastructure, digital skills, AI training
    ("co tap huan ve AI cho cb cc ko", (("hy484", "2"),)),
    ("cv 484 noi gi ve so hoa va lam giau du lieu", (("hy484", "2"),)),
    ("xa co can lap doi ngu chuyen trach ban chuyen trach cds ko", (("hy484", "2"),)),
    ("boi duong ky nag so cho can bo cong chuc", (("hy484", "2"),)),
    ("Does letter 484 say anything about AI training for officials?", (("hy484", "2"),)),
    # --- hy484 item 3.1: party advisory bodies keep using the party operations system
    ("cac ban tham muu tinh uy dung he thong dieu hanh tac nghiep ra sao", (("hy484", "3.1"),)),
    ("dang uy truc thuoc tu co phai tang gui nhan vb dien tu ko", (("hy484", "3.1"),)),
    # --- hy484 item 3.2: UBND upgrades document system, links with party system, by 25/6
    ("he thong qlvb ben ubnd co phai lien thong voi he thong cua dang ko", (("hy484", "3.2"),)),
    ("vb mat co dc gui nhan dien tu ko", (("hy484", "3.2"),)),
    ("hạn 25/6 trong cv 484 là hạn làm gì", (("hy484", "3.2"),)),
    ("chinh quyen xa nang cap phan mem quan ly van ban den khi nao xong", (("hy484", "3.2"),)),
    # --- hy484 item 4: VP Tỉnh ủy, Sở KH&CN, Công an tỉnh on information security
    ("ai lo an toàn thông tin, an ninh mạng cho cđs cơ quan đảng", (("hy484", "4"),)),
    ("cong an tinh co phoi hop bao mat thong tin ko", (("hy484", "4"),)),
    # --- hy484 closing: periodic reporting
    ("cv 484 co bat bao coa dinh ky ko", (("hy484", "end"),)),
    # --- tg intro: based on report 1637/BC-STTTT of 02/12/2020
    ("cv tuan giao can cu bc so may cua so tttt", (("tg", "intro"),)),
    ("What report was Tuan Giao's letter on digital signing based on?", (("tg", "intro"),)),
    # --- tg item 1: follow Điện Biên letter 266/UBND-KGVX on e-document exchange
    ("vb 266 cua ubnd tinh dien bien ve viec gi", (("tg", "1"),)),
    ("chu tich ubnd xa phai lam theo chi dao nao cua tinh ve gui nhan vb dt", (("tg", "1"),)),
    # --- tg item 2: outgoing-document process on the system, QĐ 28/2018/QĐ-TTg
    ("qd 28/2018 ttg", (("tg", "2"),)),
    ("quy trinh vb di tren he thong phai dam bao gi", (("tg", "2"),)),
    # --- tg item 3: sign on TD Office, at least 80 %
    ("chi tieu ky so cua tinh dien bien la bn %", (("tg", "3"),)),
    ("tuan giao ky so tren phan mem gi", (("tg", "3"),)),
    ("phong nao ky so duoi chi tieu co phai kiem diem ko", (("tg", "3"),)),
    (
        "What is the minimum share of outgoing documents that must be signed in Tuan Giao?",
        (("tg", "3"),),
    ),
    # --- tg item 3.1: rates 01/11-08/12/2020
    ("thang 11 phong noi vu ky so dc bao nhiu", (("tg", "3.1"),)),
    ("xa nao ky so 100% tu 1/11 den 8/12", (("tg", "3.1"),)),
    ("ty le ky so xa mun chung dot thang 11", (("tg", "3.1"),)),
    ("trung tam gdnn-gdtx kí so bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("nhung xa nao 0% ky so vay", (("tg", "3.1"), ("tg", "3.2"))),
    ("phòng y tế ký số thế nào", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ty le ky so", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg item 3.2: rates 01/01-08/12/2020
    ("ca nam 2020 xa muong mun ki so dc may %", (("tg", "3.2"),)),
    ("tu dau nam toi 8/12 phong vhtt dat bao nhieu", (("tg", "3.2"),)),
    ("ban qlda ky so ca nam dc bao nhieu", (("tg", "3.2"),)),
    (
        "Which commune had the highest signing rate for the whole of 2020 in Tuan Giao?",
        (("tg", "3.2"),),
    ),
    # --- tg closing (and item 1, which names the same addressees)
    ("ubnd huyen tuan giao giao ai trien khai cv nay", (("tg", "1"), ("tg", "end"))),
    # --- dt intro: ND 30/2020, ND 68/2024, QĐ 144/2025; signing done wrongly
    ("dong thap can cu nghi dinh nao ve chu ky so cong vu", (("dt", "intro"),)),
    ("o dong thap ky so sai nhu the nao ma tinh phai chan chinh", (("dt", "intro"),)),
    ("qd 144/2025", (("dt", "intro"),)),
    # --- dt item 1: the head answers for it; never hand over a token or password
    (
        "sep di phep, nho van thu cam usb cua sep ky giup dc ko",
        (("dt", "1"), ("dt", "2")),
    ),
    ("van thu xin mat khau cts cua lanh dao thi co dua ko", (("dt", "1"),)),
    ("dua token cho dong nghiep giu ho co sao ko", (("dt", "1"),)),
    ("Can I give my USB token and PIN to my assistant so she signs for me?", (("dt", "1"),)),
    ("thủ trưởng cơ quan chịu trách nhiệm với ai về việc ký số", (("dt", "1"),)),
    # --- dt item 2: signed by the competent person + organisation; scanned copies only if revoked
    ("scan ban giay roi up len he thong phat hanh dc ko", (("dt", "2"),)),
    ("khi nao moi dc sao y vb giay sang dien tu", (("dt", "2"),)),
    ("lam mat usb ky so, cts bi thu hoi thi phat hanh vb kieu gi", (("dt", "2"),)),
    ("vb ban hanh tren qlvb can nhung chu ky so nao", (("dt", "2"),)),
    ("When may we scan a paper letter and send it out electronically?", (("dt", "2"),)),
    # --- dt item 3: Sở KH&CN checks, supports, guides
    ("ky so bi loi thi hoi so nao ho tro", (("dt", "3"),)),
    ("ai kiem tra giam sat viec dung cts cong vu o dong thap", (("dt", "3"),)),
    ("Who checks that units in Dong Thap sign documents correctly?", (("dt", "3"),)),
    # --- dt item 4: Sở Nội vụ puts signing into the administrative-reform index
    ("ky so co tinh vao chi so cai cach hanh chinh ko", (("dt", "4"),)),
    ("so noi vu lam gi lien quan toi ky so", (("dt", "4"),)),
    # --- xt intro: regulations 337/339-QĐ/TW, 573/574-QĐ/TU; e-handbook 68,04 %, issuance 97 %
    ("ty le dang vien xa xuan truong dung so tay dien tu la bao nhieu", (("xt", "intro"),)),
    ("xuan truong phat hanh vb dien tu dat bao nhieu %", (("xt", "intro"),)),
    ("quy dinh 339 ve so tay dang vien", (("xt", "intro"),)),
    ("cv 25-CV/BCĐ nói về cái gì", (("xt", "intro"),)),
    ("What share of party members in Xuan Truong use the e-handbook app?", (("xt", "intro"),)),
    # --- xt item 1: advisory bodies handle signed e-documents, log in often, no backlog
    ("bao lau phai vao he thong dieu hanh 1 lan", (("xt", "1"),)),
    ("vb ton dong qua han tren he thong thi sao", (("xt", "1"),)),
    ("vb trao doi giua cac doan the trong xa co phai gui dien tu het ko", (("xt", "1"),)),
    ("ai don doc cb nv xu ly vb dien tu trong co quan", (("xt", "1"),)),
    # --- xt item 2: Ban Xây dựng Đảng promotes the e-handbook; smartphone users; evaluation
    ("dang vien ko co smartphone co bat buoc cai so tay ko", (("xt", "2"),)),
    ("ai huong dan dang vien cai so tay dang vien dien tu", (("xt", "2"), ("xt", "3"))),
    ("so tay dang vien dien tu dung de lam gi", (("xt", "2"),)),
    ("dung so tay dv co tinh vao danh gia dang vien ko", (("xt", "2"),)),
    # --- xt item 3: party cells review and urge members to install and use the app
    ("chi bo phai lam gi voi viec cai app so tay", (("xt", "3"),)),
    ("bi thu chi bo co phai nhac dang vien kich hoat so tay ko", (("xt", "3"),)),
    # --- xt item 4: VP Đảng ủy xã monitors and reports to the standing board
    ("ai tong hop tinh hinh dung phan mem dung chung o xa", (("xt", "4"),)),
    ("vp dang uy xa bao cao ai", (("xt", "4"), ("xt", "end"))),
    # --- xt closing: difficulties go to VP Đảng ủy xã
    ("vuong mac khi dung phan mem thi bao ai", (("xt", "end"),)),
    ("Who do we contact if we have trouble with the shared party software?", (("xt", "end"),)),
    # --- unanswerable: close to the domain, not covered by any letter
    ("phu cap cho can bo phu trach cds o xa dc bao nhieu", ()),
    ("cb di phep nam dc may ngay", ()),
    ("xa co dc cap kinh phi mua may tinh moi ko", ()),
    ("mua them usb token o dau, gia bao nhieu", ()),
    ("gia han chung thu so het bao nhieu tien", ()),
    ("cach cai driver token tren win 11", ()),
    ("phan mem ke toan misa co ky so dc ko", ()),
    ("tinh nghe an ky so dat bao nhieu %", ()),
    ("quyet toan thue tncn online the nao", ()),
    ("co nhom zalo cua van thu cac xa ko", ()),
    ("lich hop giao ban thang 7 cua dang uy xa", ()),
    ("ký số trên điện thoại bằng sim ca được không", ()),
    ("nghi thai san dc bao lau", ()),
    ("email cong vu bi khoa thi mo sao", ()),
    ("How do I reset my VNeID password?", ()),
    ("What is the overtime allowance for office staff?", ()),
    ("Is there a bonus for units that reach 100% signing?", ()),
    ("Can we get reimbursed for buying a new USB token?", ()),
)
