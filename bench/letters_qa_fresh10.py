"""Tenth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH10: tuple[Q, ...] = (
    # --- hy (Hưng Yên signing letter), intro: 3.026 certificates issued, some units under 50 %
    (
        "tinh da phat cho cac dang uy xa phuong tong cong bao nhieu chung thu so roi",
        (("hy", "intro"),),
    ),
    (
        "Sao tự nhiên tỉnh ủy lại ra công văn nhắc ký số vậy, tình hình các xã đang thế nào?",
        (("hy", "intro"),),
    ),
    ("co dv nao ky so chua toi mot nua so vb ko", (("hy", "intro"),)),
    (
        "how many signing certs were handed out to commune and ward party committees in Hung Yen",
        (("hy", "intro"),),
    ),
    # --- hy item 1: review, raise staff responsibility, process/sign/issue per HD 09-HD/VPTW
    (
        "nhan cv ky so cua tinh uy xong thi dUxa phai lam gi truoc, co phai ra soat lai ko a",
        (("hy", "1"),),
    ),
    ("trinh ky, phat hanh vb dien tu lam theo huong dan so may cua vptw vay", (("hy", "1"),)),
    ("hd 09 cua vp trung uong co gui kem cv ko hay phai tu tim", (("hy", "1"),)),
    ("co can hop quan triet anh em cbcc trong co quan ve viec ky so ko", (("hy", "1"),)),
    # --- hy item 2: 100 % of e-issued documents signed, finish before 30/6/2026
    ("han cuoi ky so du 100% vb la ngay nao a", (("hy", "2"),)),
    ("may cai ton tai ve ky so cua xa thi phai sua cho xong truoc ngay bao nhieu", (("hy", "2"),)),
    (
        "tat ca vb gui di qua mang deu phai ky so het hay chi 1 so loai thoi",
        (("hy", "2"), ("dt", "2")),
    ),
    ("By when does the provincial party committee want all our e-docs signed?", (("hy", "2"),)),
    ("rot cuoc tinh uy doi 80% hay 100% vay, em doc ko hieu", (("hy", "2"), ("hy", "3"))),
    # --- hy item 3: units under 80 % write an explanation, send VP Tỉnh ủy before 26/6/2026
    ("dang uy xa em moi dat 65% thi co phai viet bc giai trinh ko a", (("hy", "3"),)),
    ("han giai trnh?", (("hy", "3"),)),
    ("deadline nop report giai trinh len vptu la ngay may", (("hy", "3"),)),
    ("bc giai trinh thi nop cho ai, vptu hay ban to chuc", (("hy", "3"),)),
    (
        "Báo cáo giải trình cần viết những ý gì, có phải nêu rõ ai chịu trách nhiệm không ạ?",
        (("hy", "3"),),
    ),
    (
        "Our ward is at 72% on the signing list, what do we have to send and what's the deadline?",
        (("hy", "3"),),
    ),
    ("ty le duoi bao nhieu thi bi goi ten phai giai trinh vay", (("hy", "3"),)),
    ("Phường tôi đứng cuối phụ lục, giờ phải làm văn bản gì gửi lên tỉnh?", (("hy", "3"),)),
    # --- hy item 4: the commune/ward secretary answers to the Standing Committee
    ("bi thu dang uy phuong co bi lien doi neu ty le ky so thap ko", (("hy", "4"),)),
    ("ai o xa chiu trach nhiem truoc bttu ve ket qua kyso", (("hy", "4"),)),
    (
        "If our commune misses the signing target, is the party secretary personally on the hook?",
        (("hy", "4"),),
    ),
    # --- hy closing: VP Tỉnh ủy monitors, checks, summarises for the Standing Office
    ("vp tinh uy co di kiem tra don doc viec ky so cua cac xa ko", (("hy", "end"),)),
    (
        "ket qua ky so cua cac dang uy xa cuoi cung tong hop bao cao len ai",
        (("hy", "end"), ("hy", "3")),
    ),
    # --- hy484 intro: VPTW 2039-CV/VPTW, Nghị quyết 57, heads lead and answer for progress
    ("cv 2039 cua vptw ngay 28/4 noi ve chuyen gi", (("hy484", "intro"),)),
    ("nghi quyet 57 lien quan gi toi cv 484 cua tinh uy", (("hy484", "intro"),)),
    # --- hy484 item 1: leadership, evaluation, plans 36/63/64/65, overdue tasks, no waste
    (
        "cv 484 bat nguoi dung dau cap uy lam gi ve chuyen doi so",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    (
        "ket qua cds co bi tinh vao danh gia xep loai to chuc dang va can bo cuoi nam ko",
        (("hy484", "1"),),
    ),
    ("may nv cds bi tre han tu quy 2 gio xu ly sao, co phai bc nguyen nhan ko", (("hy484", "1"),)),
    ("What should we do about digital tasks from Q2 that are already overdue?", (("hy484", "1"),)),
    ("KH 36-KH/TU ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    (
        "Which April 2026 plans of the provincial committee does letter 484 tell us to carry out?",
        (("hy484", "1"),),
    ),
    ("mua sam dau tu cntt co bi yeu cau tranh trung lap lang phi ko", (("hy484", "1"),)),
    ("lam du an cds co phai xac dinh ro san pham dau ra va hieu qua ko", (("hy484", "1"),)),
    (
        "cdso trong cac co quan dang can nang cao nhan thuc cho cb ko hay chi lam ky thuat",
        (("hy484", "1"),),
    ),
    # --- hy484 item 2: priorities, data, infrastructure, skills, specialised staff, AI
    ("Does letter 484 say anything about training party staff to use AI?", (("hy484", "2"),)),
    ("boi duong ky nang so cho cb cong chuc co trong cv 484 ko", (("hy484", "2"),)),
    ("co quan co can lap doi ngu chuyen trach ban chuyen trach ve cds ko", (("hy484", "2"),)),
    ("du lieu so hoa xong roi thi phai lam gi tiep, gan vao he thong nao", (("hy484", "2"),)),
    ("Kinh phí ít thì ưu tiên làm việc chuyển đổi số nào trước?", (("hy484", "2"),)),
    ("cv484 co noi ve nang cap ha tang may chu mang ko", (("hy484", "2"),)),
    (
        "Are we supposed to re-assess all the digital projects we already have running?",
        (("hy484", "2"), ("hy484", "1")),
    ),
    # --- hy484 item 3.1: party bodies keep using the operations system, send/receive, sign
    (
        "cac ban dang tinh uy va dang uy truc thuoc gui nhan vb qua he thong nao",
        (("hy484", "3.1"),),
    ),
    ("cq tham muu tinh uy co phai day manh gui nhan vb dien tu va ky so ko", (("hy484", "3.1"),)),
    # --- hy484 item 3.2: government side upgrades its system, connects, handles secret docs by 25/6
    (
        "UBND xã có phải nâng cấp phần mềm QLVB để liên thông với bên Đảng không?",
        (("hy484", "3.2"),),
    ),
    ("han 25/6 trong cv 484 la han lam cai gi vay", (("hy484", "3.2"),)),
    ("van ban mat co dc gui nhan qua mang dien tu ko hay van phai chuyen tay", (("hy484", "3.2"),)),
    (
        "When must the government side send and receive e-docs, classified ones included?",
        (("hy484", "3.2"),),
    ),
    ("he thong dieu hanh ben chinh quyen voi ben dang co ket noi voi nhau ko", (("hy484", "3.2"),)),
    # --- hy484 item 4: VP Tỉnh ủy, Sở KH&CN, Công an tỉnh on information security
    ("ai lo an toan thong tin, an ninh mang cho cac co quan dang o tinh", (("hy484", "4"),)),
    ("cong an tinh co tham gia vu bao mat he thong cua dang ko", (("hy484", "4"),)),
    (
        "which agencies handle cybersecurity guidance for the party bodies in Hung Yen?",
        (("hy484", "4"),),
    ),
    # --- hy484 closing: periodic reporting
    ("cv 484 co bat bc ket qua dinh ky ko", (("hy484", "end"),)),
    # --- tg intro: figures from Sở TT&TT report 1637/BC-STTTT
    ("so lieu ky so cua huyen lay tu bao cao nao cua so tttt", (("tg", "intro"),)),
    ("Where do the Tuan Giao signing numbers come from?", (("tg", "intro"),)),
    # --- tg item 1: follow UBND tỉnh Điện Biên 266/UBND-KGVX on e-document exchange
    ("vb 266 cua ubndtinh dien bien ve viec gi", (("tg", "1"),)),
    ("huyen yeu cau ai thuc hien chi dao cua tinh ve gui nhan vb dien tu", (("tg", "1"),)),
    # --- tg item 2: urge staff to run the outgoing-document workflow on the system (QĐ 28/2018)
    (
        "cb cong chuc co phai tu chay quy trinh vb di tren he thong ko hay de van thu lam het",
        (("tg", "2"),),
    ),
    ("qd 28/2018 cua ttg lien quan gi den ky so", (("tg", "2"),)),
    # --- tg item 3: self-criticism, at least 80 % signed on TD Office
    ("tuan giao doi toi thieu bao nhieu phan tram vb phat hanh phai ky so", (("tg", "3"),)),
    ("huyen dung phan mem gi de ky so vb vay, td offce ha", (("tg", "3"),)),
    (
        "xa chua dat chi tieu ky so cua tinh thi co phai kiem diem rut kn ko",
        (("tg", "3"), ("hy", "3")),
    ),
    (
        "In Tuan Giao, what's the minimum share of outgoing docs that must be e-signed?",
        (("tg", "3"),),
    ),
    # --- tg item 3.1: 1/11 - 8/12/2020 figures
    ("thang 11/2020 phong y te ky so duoc may %", (("tg", "3.1"),)),
    ("Xã nào đạt 100% ký số trong đợt tháng 11?", (("tg", "3.1"),)),
    ("Which professional offices had zero signed documents in November 2020?", (("tg", "3.1"),)),
    ("tu 1/11 den 8/12 xa muong thinh dc bao nhieu phan tram", (("tg", "3.1"),)),
    ("dot thang 11 vp hdnd-ubnd huyen ky so bn", (("tg", "3.1"),)),
    ("nhung xa nao ko ky so vb nao trong thang 11 nam 2020", (("tg", "3.1"),)),
    # --- tg item 3.2: 1/1 - 8/12/2020 figures
    ("ca nam 2020 xa Muong Mun dat bao nhieu %", (("tg", "3.2"),)),
    ("tu dau nam den 8/12 phong tu phap ky so the nao", (("tg", "3.2"),)),
    ("Which communes in Tuan Giao did best on e-signing over the whole of 2020?", (("tg", "3.2"),)),
    ("co bieu thong ke chi tiet gui nhan vb kem theo ko", (("tg", "3.2"),)),
    ("tinh ca nam xa quai cang voi ta ma ky so dc may phan tram", (("tg", "3.2"),)),
    # --- tg items 3.1 + 3.2: a unit's rate without a period (both tables answer)
    ("phong noi vu huyen ky so duoc may %", (("tg", "3.1"), ("tg", "3.2"))),
    ("trung tam GDNN-GDTX co ky so vb nao chua", (("tg", "3.1"), ("tg", "3.2"))),
    ("ban qlda ky so dc bn", (("tg", "3.1"), ("tg", "3.2"))),
    ("thi tran tuan giao ty le ky sô bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("Phòng Tài nguyên – Môi trường sao ký số toàn 0% vậy?", (("tg", "3.1"), ("tg", "3.2"))),
    ("tt van hoa the thao truyen hinh huyen ky so ra sao", (("tg", "3.1"), ("tg", "3.2"))),
    ("What signing rate did the land management centre reach?", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg closing (with item 1): who must carry it out
    ("cv cua huyen giao cho ai trien khai, chu tich xa co phai ko", (("tg", "end"), ("tg", "1"))),
    # --- dt intro: what went wrong, legal basis (NĐ 30/2020, NĐ 68/2024, QĐ 144/2025)
    ("Which decrees does the Dong Thap letter rely on?", (("dt", "intro"),)),
    ("qd 144/2025 cua chu tich ubnd tinh dong thap", (("dt", "intro"),)),
    ("dong thap thay cac dv dang ky so sai nhung kieu gi ma phai ra cv nay", (("dt", "intro"),)),
    # --- dt item 1: heads answer to UBND tỉnh; never hand over the token or password
    ("sep di cong tac dua usb ky so cho van thu ky ho dc ko", (("dt", "1"), ("dt", "2"))),
    ("sep nghi phep 1 tuan, de token lai vp cho vthu dung tam dc ko", (("dt", "1"), ("dt", "2"))),
    (
        "Can I give my token PIN to the office clerk so she signs for me while I'm on leave?",
        (("dt", "1"), ("dt", "2")),
    ),
    (
        "vt xin mat khau chung thu so cua pct de ky cho nhanh, co vi pham gi ko",
        (("dt", "1"), ("dt", "2")),
    ),
    (
        "thủ trưởng cơ quan chịu trách nhiệm trước ai về việc ký số văn bản ở Đồng Tháp",
        (("dt", "1"),),
    ),
    ("nho van thu ky giup bang token cua lanh dao co sao ko", (("dt", "1"), ("dt", "2"))),
    # --- dt item 2: signed by the competent person + the body; scanning only when revoked
    ("vb phat hanh tren he thong qlvb cua tinh can nhung chu ky so nao", (("dt", "2"),)),
    ("scan ban giay roi day len he thong phat hanh co duoc ko", (("dt", "2"), ("dt", "intro"))),
    ("khi nao thi moi dc sao y vb giay sang vb dien tu", (("dt", "2"),)),
    (
        "lo lam mat usb ky so, chung thu bi thu hoi roi thi trong luc cho phat hanh vb kieu gi",
        (("dt", "2"),),
    ),
    (
        "chuyen vien soan thao co duoc tu ky so vb phat hanh ko hay phai nguoi co tham quyen",
        (("dt", "2"),),
    ),
    (
        "Is a scanned paper copy OK to publish on the provincial document system?",
        (("dt", "2"), ("dt", "intro")),
    ),
    # --- dt item 3: Sở KH&CN checks, supervises, supports, corrects wrong signing
    ("ky so cong vu bi vuong thi so nao huong dan ho tro o dong thap", (("dt", "3"),)),
    (
        "ai kiem tra giam sat viec dung chu ky so chuyen dung cong vu tren he thong qlvb tinh",
        (("dt", "3"),),
    ),
    ("who catches units that sign documents the wrong way in Dong Thap", (("dt", "3"),)),
    # --- dt item 4: Sở Nội vụ puts signing into PAR index and heads' yearly evaluation
    ("ky so co dc tinh vao chi so cchc ko", (("dt", "4"),)),
    (
        "o DT thu truong ko ky so day du co bi tru diem danh gia hoan thanh nv cuoi nam ko",
        (("dt", "4"),),
    ),
    ("Sở Nội vụ có nhiệm vụ gì trong chuyện ký số văn bản", (("dt", "4"),)),
    # --- xt intro: legal basis, rates 68,04 % / 97 % at 31/5/2026, CV 25-CV/BCĐ, MTTQ included
    ("ty le dang vien xa dung so tay dang vien dien tu hien la bn", (("xt", "intro"),)),
    ("tinh den cuoi thang 5 xa phat hanh vb dien tu dat bn %", (("xt", "intro"),)),
    (
        "How many percent of Xuan Truong's party members actually use the e-handbook app?",
        (("xt", "intro"),),
    ),
    ("quy dinh 339 cua ban bi thu noi ve cai gi", (("xt", "intro"),)),
    ("cv 25-CV/BCD ngay 5/6 cua bcd tinh ve viec gi", (("xt", "intro"),)),
    ("qd 574 cua tinh uy ninh binh ve he thong dieu hanh tac nghiep", (("xt", "intro"),)),
    (
        "mat tran va cac doan the xa co phai dung phan mem dung chung cua dang ko",
        (("xt", "intro"), ("xt", "1")),
    ),
    # --- xt item 1: send/receive signed e-docs, 100 % electronic, log in often, no backlog
    (
        "cb co phai dang nhap he thong dieu hanh thuong xuyen ko hay tuan vao 1 lan cung dc",
        (("xt", "1"),),
    ),
    ("vb ton dong qua han tren he thong nhieu qua thi sao", (("xt", "1"),)),
    ("thu truong co trach nhiem gi khi cb cap duoi xu ly vb dien tu cham", (("xt", "1"),)),
    (
        "In Xuan Truong, what share of papers between commune bodies must go electronic?",
        (("xt", "1"),),
    ),
    ("vb trao doi giua dang uy voi ubnd xa con gui giay duoc ko", (("xt", "1"),)),
    # --- xt item 2: Ban Xây dựng Đảng, install/activate, smartphones, features, evaluation
    ("dang vien gia ko co dien thoai thong minh co bat buoc cai so tay ko", (("xt", "2"),)),
    ("Sổ tay đảng viên dùng để làm gì, sinh hoạt chi bộ trên đó được không?", (("xt", "2"),)),
    ("dung so tay dv co duoc tinh vao danh gia dang vien ko", (("xt", "2"),)),
    ("ban xay dung dang phai lam gi voi app so tay", (("xt", "2"),)),
    ("is the party e-handbook app going to count in members' yearly rating?", (("xt", "2"),)),
    # --- xt items 2 + 3: who guides members to install and activate the app
    ("ai huong dan dang vien cai app so tay dang vien", (("xt", "2"), ("xt", "3"))),
    ("dang vein cai roi nhung chua kich hoat tai khoan thi ai nhac", (("xt", "2"), ("xt", "3"))),
    # --- xt item 3: the party cells work with Ban XDĐ and the office
    ("chi bo truc thuoc phai lam gi voi so tay dang vien", (("xt", "3"),)),
    ("bi thu chi bo thon co phai don doc dang vien vao so tay thuong xuyen ko", (("xt", "3"),)),
    ("Do the party cells have any job in getting members onto the e-handbook app?", (("xt", "3"),)),
    # --- xt item 4: VP Đảng ủy xã monitors, summarises, reports periodically to the BTV
    ("vpdu xa bc tinh hinh dung phan mem cho ai, bao lau 1 lan", (("xt", "4"),)),
    ("who keeps track of the shared party software use in the commune", (("xt", "4"),)),
    # --- xt closing: difficulties go to VP Đảng ủy xã
    ("gap kho khan vuong mac khi trien khai thi phan anh ve dau", (("xt", "end"),)),
    (
        "Who do we contact if we get stuck rolling out the shared party apps in Xuan Truong?",
        (("xt", "end"),),
    ),
    # --- across letters (no letter named): every passage that answers
    ("chi tieu ky so toi thieu la bao nhieu %", (("tg", "3"), ("hy", "2"), ("hy", "3"))),
    ("don vi ky so thap thi ai chiu trach nhiem", (("hy", "4"), ("dt", "1"))),
    # --- unanswerable: close to the domain but not in any letter
    ("luong can bo chuyen trach cds o xa bao nhieu", ()),
    ("phu cap cho cb phu trach cntt xa co ko, bn 1 thang", ()),
    ("Mua USB token mới hết bao nhiêu tiền, ai chi trả?", ()),
    ("How do I install the token driver on Windows 11?", ()),
    ("gia han chung thu so sap het han thi lam o dau", ()),
    ("nhap sai ma pin may lan bi khoa token roi, mo khoa kieu gi", ()),
    ("quen mk tk he thong dieu hanh tac nghiep thi reset o dau a", ()),
    ("Nghỉ phép năm của công chức xã được mấy ngày?", ()),
    ("han quyet toan thue tncn nam 2025 la khi nao", ()),
    ("tinh nghe an ty le ky so van ban bao nhieu", ()),
    ("co nhom zalo nao cua vp tinh uy de hoi ve ky so ko", ()),
    ("lich hop giao ban chuyen doi so thang 7 la ngay nao", ()),
    ("Can we sign with SmartCA on the phone instead of the USB token?", ()),
    ("may scan cua vp hong roi, de xuat mua may moi the nao", ()),
    ("huong dan cai vneid muc 2 cho nguoi dan", ()),
    ("phan mem ke toan misa co ky so duoc ko", ()),
    ("che do cong tac phi khi di tap huan chuyen doi so", ()),
    ("What is the 2026 budget for digital transformation in the party bodies?", ()),
    ("so dien thoai tong dai ho tro ky thuat token la so nao", ()),
    ("doi hinh anh chu ky tay hien tren file ky so the nao", ()),
    ("can bo moi tuyen thi lam thu tuc cap chung thu so ca nhan ra sao", ()),
    ("Is there a bonus or reward for communes that hit 100% signing?", ()),
    ("mẫu đơn đề nghị thu hồi chứng thư số khi bị mất token lấy ở đâu", ()),
    ("ky so file pdf bang vgca sign tren laptop ca nhan dc ko", ()),
    ("tien dien thoai 4g cho can bo lam cds co duoc ho tro ko", ()),
    ("Which province has the lowest e-signing rate in the whole country?", ()),
    ("thi tuyen cong chuc cap xa nam 2026 bao gio to chuc", ()),
    ("bao hiem xa hoi cho nguoi hoat dong khong chuyen trach o thon dong the nao", ()),
    ("how to reset the password of my party email account", ()),
)
