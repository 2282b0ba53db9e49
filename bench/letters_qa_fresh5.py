"""Fifth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH5: tuple[Q, ...] = (
    # hy intro: certificates already issued, some communes below 50 %, why the letter was sent
    ("tinh cap cho cac dang uy xa phuong tat ca bao nhieu chung thu so r", (("hy", "intro"),)),
    ("sao tu lai gui cv nhac ky so, cac xa lam chua tot cho nao a", (("hy", "intro"),)),
    ("ở Hưng Yên có đảng ủy xã nào ký số chưa tới một nửa văn bản không ạ", (("hy", "intro"),)),
    (
        "why did the provincial party standing committee send the e-signing letter to communes?",
        (("hy", "intro"),),
    ),
    ("tu hung yen ra soat tyle ky so cua cac dang uy xa tren he thong nao", (("hy", "intro"),)),
    # hy 1: review, raise staff responsibility, workflow per guideline 09-HD/VPTW
    ("trinh ky ky so roi phat hanh vbdt thi lam theo hd nao cua vptw", (("hy", "1"),)),
    ("hd 09 cua vp trung uong ngay may, ap dung muc nao", (("hy", "1"),)),
    (
        "em la vt dang uy phuong, quy trinh xu ly trinh ky vb dien tu co tai lieu huong dan ko",
        (("hy", "1"),),
    ),
    ("is the central office guideline on signing workflow attached to the letter?", (("hy", "1"),)),
    ("đảng ủy xã có phải tự rà soát lại tình hình dùng chữ ký số của mình không", (("hy", "1"),)),
    # hy 2: 100 % of e-issued documents signed, done by 30/6/2026
    ("hanchot de 100% vb kyso la ngay nao vay", (("hy", "2"),)),
    ("het thang 6 phai dat bn phan tram ky so", (("hy", "2"),)),
    ("deadline for ward party committees to get every e-document signed?", (("hy", "2"),)),
    ("bắt ký số hết là tất cả vb hay chỉ vb phát hành điện tử thôi", (("hy", "2"),)),
    ("con nhieu ton tai han che ve ky so thi khac phuc xong truoc khi nao", (("hy", "2"),)),
    # hy 3: communes under 80 % write an explanation report to VPTU before 26/6/2026
    ("xa em moi dc 65% thi co phai lam bc giai trinh ko a", (("hy", "3"),)),
    ("han nop bao cao giai trihn", (("hy", "3"),)),
    ("bc giai trinh tyle ky so thap gui ve dau", (("hy", "3"),)),
    ("báo cáo giải trình cần nêu những nội dung gì", (("hy", "3"),)),
    ("our ward is at 72 percent, what do we have to send and by when?", (("hy", "3"),)),
    ("duoi 80 phan tram la phai gui vptu truoc 26/6 dung k", (("hy", "3"),)),
    ("phuong dat 85% roi thi co can viet giai trinh nua k", (("hy", "3"),)),
    # hy 4: the commune party secretary answers to the provincial standing committee
    ("bi thu xa co bi qui trach nhiem neu xa ky so it ko", (("hy", "4"),)),
    (
        "if our signing rate stays low, is the party secretary personally accountable?",
        (("hy", "4"),),
    ),
    ("ai chịu trách nhiệm chính về kết quả ký số của đảng ủy xã", (("hy", "4"),)),
    # hy end: VPTU monitors, checks, urges and reports to the standing office
    ("ai theo doi don doc vc ky so cua cac dang uy xa", (("hy", "end"),)),
    ("vp tỉnh ủy có đi kiểm tra ký số ở xã ko hay chỉ tổng hợp", (("hy", "end"),)),
    # hy484 intro: letter 2039-CV/VPTW, resolution 57, head accountable
    ("cv 484 cua tinh uy can cu vao cv nao cua tw", (("hy484", "intro"),)),
    ("cv 2039 vptw ngay nao, noi ve j", (("hy484", "intro"),)),
    ("which central party office dispatch is behind the 484 letter?", (("hy484", "intro"),)),
    ("nghi quyet 57 lien quan the nao toi cv 484", (("hy484", "intro"),)),
    # hy484 1: leadership, plans, overdue tasks, input/output accounting
    (
        "sep co quan co phai chiu trach nhiem ve tien do cds ko",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    ("theo 484 kq cds co tinh vao xep loai to chuc dang va can bo ko", (("hy484", "1"),)),
    ("nv cds bi tre han tu quy 2 thi phai xl ra sao", (("hy484", "1"),)),
    ("ke hoach 36-KH/TU ban hanh ngay bao nhieu", (("hy484", "1"), ("hy484", "4"))),
    ("KH 63 64 65 cua tinh uy ky ngay nao z", (("hy484", "1"),)),
    ("lam du an cds co phai tinh dau vao dau ra ko, so bi dan trai lang phi", (("hy484", "1"),)),
    (
        "do we have to list overdue digital transformation tasks and find out why?",
        (("hy484", "1"),),
    ),
    ("chuong trinh cong tac 2026 cua bcd tinh co phai trien khai ko", (("hy484", "1"),)),
    # hy484 2: priorities, data, infrastructure, digital skills, AI
    ("co dao tao AI cho cbcc ko", (("hy484", "2"),)),
    ("xã có cần bố trí người chuyên trách hay bán chuyên trách về cđs không", (("hy484", "2"),)),
    ("so hoa dl xong roi thi dung vao viec gi", (("hy484", "2"),)),
    ("kinh phi it thi uu tien lam nv cds nao truoc", (("hy484", "2"),)),
    ("does the 484 letter say anything about teaching staff digital skills?", (("hy484", "2"),)),
    ("yeu cau ve ha tang so nen tang so trong cv 484 la gi", (("hy484", "2"),)),
    ("dữ liệu có phải gắn với các hệ thống nghiệp vụ không", (("hy484", "2"),)),
    # hy484 3.1: party advisory bodies keep using the operating system, send/receive/sign
    (
        "cac ban tham muu tinh uy van phai dung he thong dieu hanh tac nghiep ha",
        (("hy484", "3.1"),),
    ),
    ("dang uy truc thuoc tinh uy gui nhan vbdt va ky so the nao", (("hy484", "3.1"),)),
    # hy484 3.2: government side upgrades its document system, links to the party one, 25/6
    ("ht qlvb ben ubnd co lien thong voi htdhtn ben dang ko", (("hy484", "3.2"),)),
    ("vb mat co dc gui nhna qua mang dien tu khong", (("hy484", "3.2"),)),
    ("han 25/6 trong cv 484 la han lam gi", (("hy484", "3.2"),)),
    (
        "by when must the provincial government side handle e-documents, secret ones too?",
        (("hy484", "3.2"),),
    ),
    ("chính quyền cấp xã có phải nâng cấp phần mềm quản lý văn bản không", (("hy484", "3.2"),)),
    # hy484 4: security by VPTU, Department of Science and Technology, provincial police
    ("cho em hoi ai lo attt, an ninh mang cho cac cq dang", (("hy484", "4"),)),
    ("cong an tinh co tham gia vu cds dang ko", (("hy484", "4"),)),
    ("who handles cybersecurity guidance for party bodies in Hung Yen?", (("hy484", "4"),)),
    # hy484 end: periodic reporting
    ("thuc hien 484 xong co phai bc dinh ky ko", (("hy484", "end"),)),
    # tg intro: based on report 1637/BC-STTTT on November 2020 results
    ("cv ky so cua huyen tuan giao dua tren bc nao cua so tttt", (("tg", "intro"),)),
    ("so lieu gui nhan vb thang 11/2020 cua dien bien lay tu bao cao so may", (("tg", "intro"),)),
    # tg 1: follow provincial document 266/UBND-KGVX
    ("vb 266 cua ubnd tinh dien bein noi ve cai gi", (("tg", "1"),)),
    ("ct xa phai thuc hien chi dao nao cua ubnd tinh ve vb dien tu", (("tg", "1"),)),
    # tg 2: staff run the outgoing-document workflow on the system (QD 28/2018)
    ("qd 28/2018 cua thu tuong lien quan gi toi ky so", (("tg", "2"),)),
    ("cbcc có bắt buộc làm vb đi trên hệ thống ko hay vẫn làm giấy", (("tg", "2"),)),
    # tg 3: self-criticism, at least 80 % signed on TD Office
    ("huyen tuan giao kyso tren phan mem j", (("tg", "3"),)),
    ("phong minh ky so it qua thi co phai hop kiem diem ko", (("tg", "3"),)),
    ("minimum share of outgoing documents that must be e-signed in Tuan Giao?", (("tg", "3"),)),
    # tg 3 + hy 3: what a unit under 80 % has to do
    ("ky so chua dat 80% thi don vi phai lam gi", (("tg", "3"), ("hy", "3"))),
    # tg 3.1: 1/11/2020 - 8/12/2020 by group
    ("tu 1/11 den 8/12 phong noi vu ky so dc bn %", (("tg", "3.1"),)),
    ("dot thang 11 phong nao 0% ky so", (("tg", "3.1"),)),
    ("which commune had the best signing rate from early November 2020?", (("tg", "3.1"),)),
    ("nhung xa nao tu dau thang 11 chua ky so vb nao", (("tg", "3.1"),)),
    ("thang 11 xa Tenh Phong ky so dat bao nhieu", (("tg", "3.1"),)),
    ("phòng Văn hóa thông tin ký số tháng 11 được bao nhiêu", (("tg", "3.1"),)),
    # tg 3.2: 1/1/2020 - 8/12/2020 by group
    ("ca nam 2020 xa nao ky so cao nhat", (("tg", "3.2"),)),
    ("tu dau nam toi 8/12 phong vhtt dat bn", (("tg", "3.2"),)),
    ("Quài Cang cả năm ký số được bao nhiêu phần trăm", (("tg", "3.2"),)),
    ("year to date, how did the Home Affairs office do on e-signing?", (("tg", "3.2"),)),
    ("bieu thong ke chi tiet gui nhan vb cua cac dv o dau", (("tg", "3.2"),)),
    ("tu dau nam xa nao van 0% ky so", (("tg", "3.2"),)),
    # tg 3.1 + 3.2: a unit's rate without saying which period
    ("trung tam quan ly dat dai ky so the nao", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ky so dc bao nhieu phan tram", (("tg", "3.1"), ("tg", "3.2"))),
    ("ban qlda huyen dat may % ky so", (("tg", "3.1"), ("tg", "3.2"))),
    ("y te voi thanh tra co ky so vb nao ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("how did Muong Mun commune do on signing?", (("tg", "3.1"), ("tg", "3.2"))),
    # tg end (+ tg 1): who has to implement
    ("ai phai trien khai cv nay o tuan giao", (("tg", "end"), ("tg", "1"))),
    # dt intro: what went wrong, legal basis
    ("cv dong thap ve cks cong vu can cu nghi dinh nao", (("dt", "intro"),)),
    ("dang co sai sot gi ma ubnd tinh dong thap phai nhac ky so", (("dt", "intro"),)),
    # dt 1: head accountable; never hand over token or password
    ("sep di phep dua usb kyso cho vthu ky ho dc ko", (("dt", "1"),)),
    ("van thu xin mk token cua ct xa de ky gap vb, co dc k", (("dt", "1"),)),
    ("can the director lend his signing token to the clerk while he's on leave?", (("dt", "1"),)),
    ("thủ trưởng đơn vị chịu trách nhiệm trước ai về việc ký số", (("dt", "1"),)),
    ("nho dong chi pho phong cam token ky thay cho minh co vi pham ko", (("dt", "1"),)),
    # dt 2: signed by the competent person plus the organisation; paper copies only if revoked
    ("vb phat hanh tren he thong qlvb cua tinh phai do ai ky so", (("dt", "2"),)),
    ("lãnh đạo ký rồi có cần ký số của cơ quan nữa ko", (("dt", "2"),)),
    ("scan ban giay roi up len he thong phat hanh luon dc ko", (("dt", "2"),)),
    ("em hoi khi nao thi dc sao y ban giay sang ban dien tu a", (("dt", "2"),)),
    ("when is it ok to scan a signed paper letter and send it out electronically?", (("dt", "2"),)),
    ("cts ca nhan bi thu hoi roi thi phat hanh vb bang cach nao", (("dt", "2"),)),
    ("token mat, bi thu hoi chung thu thi phat hanh van ban kieu gi", (("dt", "2"),)),
    # dt 3: Department of Science and Technology inspects, supports, corrects
    ("ai kiem tra giam sat viec dung cks cong vu o dong thap", (("dt", "3"),)),
    ("ky so sai qd thi ai phat hien chan chnh", (("dt", "3"),)),
    ("cần hỗ trợ hướng dẫn ký số trên hệ thống qlvb thì nhờ sở nào", (("dt", "3"),)),
    ("who do we ask for help with the official signing certificate in Dong Thap?", (("dt", "3"),)),
    # dt 4: signing counted in the administrative-reform index and the head's evaluation
    ("ky so co dc tinh diem chi so cai cach hanh chinh ko", (("dt", "4"),)),
    ("ti le ky so thap co anh huong danh gia thu truong cuoi nma ko", (("dt", "4"),)),
    ("so noi vu lam gi lien quan toi ky so", (("dt", "4"),)),
    ("will e-signing count towards the head's annual rating in Dong Thap?", (("dt", "4"),)),
    # xt intro: legal basis (337, 339, 573, 574), rates on 31/5/2026, letter 25-CV/BCD
    ("ti le dvien xa xuan truong dung so tay dang vien dt bao nhieu", (("xt", "intro"),)),
    ("tinh den cuoi thang 5 xa phat hanh vb dien tu dat bn %", (("xt", "intro"),)),
    ("quy dinh cua ban bi thu ve so tay dang vien la so may", (("xt", "intro"),)),
    ("Ninh Binh quy dinh ve quan ly he thong dieu hanh tac nghiep la qd nao", (("xt", "intro"),)),
    ("what percent of party members in Xuan Truong use the e-handbook app?", (("xt", "intro"),)),
    ("cv 25 cua ban chi dao tinh ngay nao", (("xt", "intro"),)),
    # xt 1: send/receive/process signed e-docs, log in often, no backlog, head urges staff
    ("co can dang nhap he thong thuong xuyen ko hay vai ngay vao 1 lan", (("xt", "1"),)),
    ("vb tồn đọng quá hạn trên hệ thống xử lý sao", (("xt", "1"),)),
    ("trong cq ai don doc cb xu ly vbdt", (("xt", "1"),)),
    ("vb trao doi giua mat tran voi cac doan the xa co phai gui dien tu het ko", (("xt", "1"),)),
    ("do commune bodies still swap paper copies or must everything go electronic?", (("xt", "1"),)),
    # xt 2: party building board promotes the app, 100 % of eligible members, evaluation
    ("dang vien gia ko co smartphone co phai cai so tay ko", (("xt", "2"),)),
    ("sổ tay đảng viên dùng để làm gì, sinh hoạt chi bộ trên đó đc ko", (("xt", "2"),)),
    ("dung so tay dang vien co tinh vao danh gia hoan thanh nhiem vu ko", (("xt", "2"),)),
    ("is using the party member app going to count in the annual evaluation?", (("xt", "2"),)),
    # xt 2 + 3: who helps members install the app
    ("ai huong dan dang vien cai app so tay", (("xt", "2"), ("xt", "3"))),
    # xt 3: branches review, guide and urge members
    ("chi bo co trach nhiem j trong viec cai app stdv", (("xt", "3"),)),
    ("bi thu chi bo phai nhac dang vien kich hoat app ha", (("xt", "3"),)),
    # xt 4: party committee office monitors and reports to the standing board
    ("ai tong hop tinh hinh bao coa len btv dang uy xa", (("xt", "4"),)),
    ("vp dang uy co phai bc dinh ky ko", (("xt", "4"),)),
    # xt end: difficulties go to the party committee office
    ("app loi ko dang nhap dc thi phan anh o dau", (("xt", "end"),)),
    ("gặp vướng mắc khi dùng phần mềm dùng chung báo về ai", (("xt", "end"),)),
    # across letters: who answers for a unit's signing rate
    ("ai chịu trách nhiệm nếu cơ quan ký số không đúng quy định", (("dt", "1"), ("hy", "4"))),
    # more phrasings (English and mixed English) by letter section
    # hy intro
    ("how many digital certificates have commune party committees been given?", (("hy", "intro"),)),
    # hy 3
    ("deadline nop report giai trinh la bao gio", (("hy", "3"),)),
    # hy end (+ hy 3): who compiles the results for the provincial standing office
    (
        "who compiles the signing results and reports them to the provincial standing office?",
        (("hy", "end"), ("hy", "3")),
    ),
    # hy484 2
    ("what does the 484 letter want us to do with our data?", (("hy484", "2"),)),
    ("is AI training for officials mentioned anywhere in 484?", (("hy484", "2"),)),
    # tg 3
    ("target ky so cua huyen tuan giao la bn %", (("tg", "3"),)),
    # tg 3.2
    ("which offices in Tuan Giao had zero signed documents over the whole year?", (("tg", "3.2"),)),
    # dt intro
    ("which decrees does the Dong Thap signing letter rely on?", (("dt", "intro"),)),
    # dt 1
    ("token cua sep co dua cho admin giu ho dc ko", (("dt", "1"),)),
    # dt 2
    ("vb scan xong co can ca nguoi co tham quyen va co quan cung ky so ko", (("dt", "2"),)),
    # xt 1
    (
        "what should we do about the backlog of unprocessed documents in Xuan Truong?",
        (("xt", "1"),),
    ),
    # xt 2 + 3
    ("who must push party members to install the handbook app?", (("xt", "2"), ("xt", "3"))),
    # unanswerable: close to the domain, not in any letter
    ("phu cap cho cb chuyen trach cds o xa dc bao nhieu", ()),
    ("mua them usb token ky so o dau, gia bn", ()),
    ("xin nghi phep 3 ngay thi lam don gui ai", ()),
    ("cai phan mem misa ke toan cho xa the nao", ()),
    ("tinh nghe an ti le ky so bao nhieu", ()),
    ("thue tncn cua cong chuc xa tinh the nao", ()),
    ("lap nhom zalo cho chi bo de gui vb dc ko", ()),
    ("lịch họp giao ban tháng 7 của đảng ủy", ()),
    ("gia han chung thu so het han thi lam o dau", ()),
    ("token bi khoa do nhap sai pin 3 lan thi mo the nao", ()),
    ("how do I reset the PIN on my USB token?", ()),
    ("what's the budget for buying new computers for the ward office?", ()),
    ("ky so tu xa tren dien thoai bang sim ca nhan dc ko", ()),
    ("vnpt ca hay viettel ca tot hon", ()),
    ("máy scan của vp hỏng thì xin cấp máy mới ở đâu", ()),
    ("can we use Google Drive to share documents between departments?", ()),
    ("che do cong tac phi khi di tap huan cds", ()),
    ("is there overtime pay for clerks who process documents at weekends?", ()),
    ("dong dang phi hang thang qua app dc ko", ()),
    ("thoi han luu tru ho so dien tu la bao nhieu nam", ()),
    ("xa vua sap nhap thi doi ten don vi tren he thong the nao", ()),
    ("which antivirus should we install on the office PCs?", ()),
    ("xin cap them cts cho pho chu tich moi ve can ho so gi", ()),
    ("mức xử phạt cán bộ làm lộ mật khẩu chữ ký số là bao nhiêu", ()),
    ("thi tuyen cong chuc nam 2026 khi nao", ()),
)
