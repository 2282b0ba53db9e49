"""Sixth fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH6: tuple[Q, ...] = (
    # hy (Hưng Yên signing letter), intro: certificates issued, units under 50 %, the impact
    (
        "tỉnh đã cấp tổng cộng bao nhiêu chứng thư số cho các đảng ủy xã phường rồi",
        (("hy", "intro"),),
    ),
    ("co xa nao ty le ky so con duoi 50% ko a", (("hy", "intro"),)),
    ("ky so cham thi anh huong gi den chuyen doi so cua tinh", (("hy", "intro"),)),
    # hy item 1: review the use of signatures, the VPTW guidance for submitting and issuing
    ("trinh ky phat hanh vb dt thi lam theo hd so may cua vptw", (("hy", "1"),)),
    (
        "buoc dau tien tinh yeu cau la ra soat lai viec dung chu ky so trong co quan phai ko",
        (("hy", "1"),),
    ),
    # hy item 2: 100 % signed by 30/6
    ("den bao gio thi xa phai ky so du het vb dien tu", (("hy", "2"),)),
    ("cuoi thang 6 nay chi tieu ky so bat buoc la bao nhieu phan tram", (("hy", "2"),)),
    ("what's the deadline to get all our e-docs digitally signed? 100% right?", (("hy", "2"),)),
    # hy item 3: under 80 % -> explanation report to the provincial office by 26/6
    ("dang uy xa em moi dat 65% ky so thi co phai viet bc giai trinh ko a", (("hy", "3"),)),
    ("hna nop bcgiai trinh la ngay nao vay", (("hy", "3"),)),
    ("báo cáo giải trình gửi về đâu ạ, gửi huyện hay gửi thẳng lên tỉnh", (("hy", "3"),)),
    ("bc giai trihn can viet nhung y gi, co phai neu ro ai chiu trach nhiem ko", (("hy", "3"),)),
    (
        "our ward is at 72% signed docs, do we have to send an explanation and by when?",
        (("hy", "3"),),
    ),
    # hy item 4: the commune party secretary is accountable
    ("xa ky so thap thi bi thu co bi kiem diem trach nhiem ko", (("hy", "4"),)),
    ("ai la nguoi chiu tn chinh truoc btv tu ve ket qua ky so cua phuong", (("hy", "4"),)),
    (
        "who is personally accountable to the provincial standing committee if a commune keeps "
        "signing low",
        (("hy", "4"),),
    ),
    # hy closing: the provincial office follows up, compiles and reports
    ("ben nao theo doi don doc kiem tra cac xa ve viec ky so", (("hy", "end"),)),
    ("vp tinh uy tong hop xong thi bao cao cho ai", (("hy", "3"), ("hy", "end"))),
    # hy484 intro: VPTW letter 2039, Resolution 57, the head answers for progress
    ("cv 484 tu thuc hien theo cv nao cua vp trung uong", (("hy484", "intro"),)),
    (
        "theo cv2039 ai phai chiu trach nhiem ve tien do chat luong cds",
        (("hy484", "intro"), ("hy484", "1")),
    ),
    (
        "nguoi dung dau co phai chiu tn toan dien ve chuyen doi so ko",
        (("hy484", "intro"), ("hy484", "1")),
    ),
    # hy484 item 1: leadership, evaluation, the provincial plans, overdue tasks, input/output
    ("kq chuyen doi so co dc tinh vao xep loai to chuc dang cuoi nam ko", (("hy484", "1"),)),
    ("can trien khai nhung ke hoach nao cua tinh uy ve cds nam 2026", (("hy484", "1"),)),
    ("nhiem vu cds qua han tu quy 2 chua xong thi phai lam gi", (("hy484", "1"),)),
    (
        "for each digital transformation project do we need to define outputs and measurable "
        "benefits?",
        (("hy484", "1"),),
    ),
    ("dau tu trang thiet bi cds o xa can tranh dieu gi", (("hy484", "1"),)),
    ("ke hoach 36-KH/TU ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    # hy484 item 2: review, data, infrastructure, digital skills, specialised staff, AI
    ("co phai dao tao boi duong ky nang so cho cbcc ko", (("hy484", "2"),)),
    ("is there any plan to train staff on AI tools?", (("hy484", "2"),)),
    ("tinh co yeu cau lam sach, chuan hoa du lieu ko hay chi scan la xong", (("hy484", "2"),)),
    ("xa co phai lap to chuyen trach cds ko", (("hy484", "2"),)),
    ("nguon luc it thi uu tien lam nv nao truoc", (("hy484", "2"),)),
    # hy484 item 3.1: party bodies keep using the operating system, send/receive and sign
    (
        "cac ban dang tinh uy co phai tang cuong gui nhan vb dt va ky so tren he thong dieu "
        "hanh tac nghiep ko",
        (("hy484", "3.1"),),
    ),
    # hy484 item 3.2: government side upgrades and connects, secret documents, 25/6
    (
        "phan mem qlvb cua ubnd xa co phai nang cap de lien thong voi he thong ben dang ko",
        (("hy484", "3.2"),),
    ),
    (
        "deadline for the provincial people's committee to finish e-document exchange?",
        (("hy484", "3.2"),),
    ),
    ("vb mat co dc gui nhan qua mang dt ko", (("hy484", "3.2"),)),
    # hy484 item 4: information security
    ("Which agencies handle cybersecurity guidance under letter 484?", (("hy484", "4"),)),
    ("cong an tinh co vao cuoc ve an toan thong tin ko", (("hy484", "4"),)),
    # hy484 closing: periodic reporting
    ("cv484 co bat bao cao dinh ky ko", (("hy484", "end"),)),
    # tg intro: the basis (provincial ICT department report for November)
    ("vb nay cua huyen can cu bc so may cua so tttt", (("tg", "intro"),)),
    ("so lieu gui nhan vb thang 11 lay tu dau ra", (("tg", "intro"),)),
    # tg item 1: follow the province's letter 266
    ("vb 266 cua ubnd tinh dien bien noi ve viec gi", (("tg", "1"),)),
    ("chu tich ubnd xa phai thuc hien chi dao nao cua tinh ve gui nhan vbdt", (("tg", "1"),)),
    # tg item 2: outgoing-document workflow, Decision 28/2018
    ("quy trinh vb di tren he thong ky so theo qd nao cua ttcp", (("tg", "2"),)),
    ("which PM decision do we follow for signing outgoing documents in Tuan Giao", (("tg", "2"),)),
    (
        "can bo phong em van quen trinh vb giay, lam sao don doc cbcc lam dung quy trinh vb di "
        "tren he thong",
        (("tg", "2"),),
    ),
    # tg item 3: TD Office, at least 80 %, self-criticism
    ("tuan giao ky so tren phan mem gi vay", (("tg", "3"),)),
    ("chi tieu ky so toi thieu tinh de ra la bn %", (("tg", "3"),)),
    ("phong ky so duoi 80% thi phai kiem diem rut kinh nghiem ah", (("tg", "3"),)),
    # tg item 3.1: figures 1/11 - 8/12/2020
    ("Noi vu signing rate in Nov 2020?", (("tg", "3.1"),)),
    ("xa tenh phong thang 11 dc bnhieu %", (("tg", "3.1"),)),
    ("thang 11 nhung xa nao 0% ky so", (("tg", "3.1"),)),
    ("which departments hit 100% signing in Nov 2020?", (("tg", "3.1"),)),
    ("don vi su nghiep nao ky so cao nhat thang 11", (("tg", "3.1"),)),
    # tg item 3.2: figures 1/1 - 8/12/2020
    ("tu dau nam den 8/12 xa muong mun ky so bao nhieu", (("tg", "3.2"),)),
    ("What was Thanh tra's signing rate from January to December 2020?", (("tg", "3.2"),)),
    ("thi tran ca nam 2020 ky so dat may %", (("tg", "3.2"),)),
    ("trung tam quan ly dat dai ca nam ky so dc bao nhieu", (("tg", "3.2"),)),
    ("bang thoong ke chi tiet gui nhan vb cua cac dv xem o dau", (("tg", "3.2"),)),
    # tg items 3.1 + 3.2: a unit that appears in both periods
    ("phogn y te co ky so vb nao ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("tt gdnn-gdtx co ky so ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("ban qlda ky so dc bn", (("tg", "3.1"), ("tg", "3.2"))),
    (
        "phòng VHTT tháng 11 cao nhưng tính cả năm thì được bao nhiêu",
        (("tg", "3.1"), ("tg", "3.2")),
    ),
    ("xa quai nua ky so dc bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("xa chieng sinh co nam trong ds ky so thap ko", (("tg", "3.1"), ("tg", "3.2"))),
    (
        "our commune Muong Khong shows 0% - is that for the whole year too?",
        (("tg", "3.1"), ("tg", "3.2")),
    ),
    # tg items 1 + closing: who must carry the letter out
    ("cv ky so cua huyen tuan giao giao cho ai thuc hien vay", (("tg", "1"), ("tg", "end"))),
    # dt intro: the failings found, the decrees it rests on
    ("cv dong thap dua tren nd nao", (("dt", "intro"),)),
    ("dang co nhung sai sot gi trong ky so ma ubnd tinh nhac nho", (("dt", "intro"),)),
    # dt item 1: the head answers to the province; never hand over the token or password
    ("chu tich di phep, dua usb ky so cho van thu ky ho dc ko", (("dt", "1"), ("dt", "2"))),
    ("sep nho em ky giup bang token cua sep, vay co sai ko a", (("dt", "1"), ("dt", "2"))),
    ("có được cho người khác biết mật khẩu chữ ký số không", (("dt", "1"),)),
    (
        "Can I share my signing token PIN with the clerk so she can sign while I'm away?",
        (("dt", "1"), ("dt", "2")),
    ),
    ("o dong thap thu truong so chiu trach nhiem truoc ai ve ky so", (("dt", "1"),)),
    # dt item 2: signed by the competent person and the organisation; scanned copies only
    # when the personal certificate is revoked
    ("scan ban giay roi phat hanh len he thong qlvb dc ko", (("dt", "intro"), ("dt", "2"))),
    ("truong hop nao thi dc sao y vb giay sang dien tu", (("dt", "2"),)),
    ("cts ca nhan bi thu hoi thi phat hanh vb kieu gi", (("dt", "2"),)),
    (
        "em bi mat usb ky so, trong luc cho cap lai thi van ban phat hanh the nao",
        (("dt", "2"),),
    ),
    ("vb phat hanh tren he thong cua tinh can may chu ky so", (("dt", "2"),)),
    (
        "Besides my personal signature, does the doc also need the agency's digital signature?",
        (("dt", "2"),),
    ),
    ("sao y vb giay theo khoan may dieu may nd68", (("dt", "2"),)),
    # dt item 3: the science and technology department inspects and corrects
    ("ai kiem tra giam sat viec dung cks cong vu o dong thap", (("dt", "3"),)),
    ("who catches and corrects units that sign the wrong way?", (("dt", "3"),)),
    ("can ho tro huong dan ky so chuyen dung thi lien he so nao", (("dt", "3"),)),
    # dt item 4: signing counts in the administrative-reform index and the heads' rating
    ("ky so co tinh vao chi so cai cach hanh chinh ko", (("dt", "4"),)),
    ("Will e-signing count toward the annual rating of agency heads?", (("dt", "4"),)),
    ("so noi vu dc giao viec gi ve ky so", (("dt", "4"),)),
    # xt intro: the basis, the handbook and e-issuance figures, the provincial letter 25
    ("ty le dang vein xa xuan truong dung so tay dang vien dien tu la bn", (("xt", "intro"),)),
    ("what % of documents did Xuan Truong issue electronically?", (("xt", "intro"),)),
    ("so lieu 68,04% tinh den ngay nao", (("xt", "intro"),)),
    ("quy dinh cua ban bi thu ve app so tay dang vien la qd so may", (("xt", "intro"),)),
    ("cv 25-CV/BCD cua bcd tinh la ve viec gi", (("xt", "intro"),)),
    # xt item 1: party bodies send/receive signed documents, 100 %, log in often, heads follow up
    ("bao lau phai dang nhap he thong de nhan vb, vb ton dong qua han thi sao", (("xt", "1"),)),
    (
        "bao nhieu % vb giua cac co quan trong he thong chinh tri xa phai lam tren moi truong "
        "dien tu",
        (("xt", "1"),),
    ),
    ("trong co quan ai phai theo doi don doc cb xu ly vbdt", (("xt", "1"),)),
    ("cac ban tham muu dang uy xa gui nhan vb co phai ky so ko", (("xt", "1"),)),
    # xt item 2: the party-building board and the handbook app
    ("dang vien lon tuoi ko co dt thong minh thi co bat buoc cai so tay ko", (("xt", "2"),)),
    ("app so tay dang vien dung vao viec gi, sinh hoat chi bo tren do dc ko", (("xt", "2"),)),
    ("dung so tay dang vien co tinh vao danh gia dang vien cuoi nam k", (("xt", "2"),)),
    ("Does using the e-handbook app count in party member evaluations?", (("xt", "2"),)),
    ("Ban xay dung dang phan dau bao nhieu % dang vien cai app", (("xt", "2"),)),
    # xt items 2 + 3: who guides members to install and activate the app
    (
        "ai co trach nhiem huong dan dang vien cai dat kich hoat so tay dang vien",
        (("xt", "2"), ("xt", "3")),
    ),
    # xt item 3: party cells follow up their members
    ("chi bo co phai don doc dang vien cai app ko", (("xt", "3"),)),
    (
        "our chi bo secretary asks: what exactly do branches need to do about the handbook app?",
        (("xt", "3"),),
    ),
    # xt item 4: the commune party office compiles and reports
    (
        "Who compiles the implementation report for the commune party standing committee in "
        "Xuan Truong?",
        (("xt", "4"),),
    ),
    ("bc tinh hinh thuc hien dinh ky gui btv dang uy xa do ai lam", (("xt", "4"),)),
    # xt closing: difficulties go to the commune party office
    ("gap kho khan khi dung phan mem dung chung thi phan anh ve dau", (("xt", "end"),)),
    # unanswerable: pay, allowances, leave, tax, insurance
    ("luong co ban cb xa nam nay tang len bao nhieu", ()),
    ("phu cap cho cb chuyen trach cds xa dc bao nhieu 1 thang", ()),
    ("cong chuc xa nghi phep nam dc may ngay", ()),
    ("thue tncn cua cb co con nho giam tru gia canh bao nhieu", ()),
    ("bao hiem xa hoi cb khong chuyen trach dong may %", ()),
    ("What's the per diem for attending the digital transformation training in the province?", ()),
    # unanswerable: buying equipment, tokens, other software
    ("mua usb token moi het bao nhieu tien, xa tu chi hay tinh cap", ()),
    ("mat token thi lam thu tuc cap lai o dau mat may ngay", ()),
    ("chung thu so het han thi gia han o dau", ()),
    ("Does the province pay for a new laptop for our commune office?", ()),
    ("Which antivirus should we install on office PCs?", ()),
    ("how do i install the token driver on a macbook", ()),
    ("chu ky so tren dien thoai smartca co dung thay usb token dc ko", ()),
    ("phan mem ke toan misa co lien thong voi he thong qlvb ko", ()),
    ("How do I reset my VNeID password?", ()),
    # unanswerable: other places, chat groups, meetings, other admin matters
    ("tinh nghe an ty le ky so dat bao nhieu %", ()),
    ("ty le ky so huyen dien bien dong nam 2020 bn", ()),
    ("cho em xin link nhom zalo cua vp tinh uy voi a", ()),
    ("lich giao ban dang uy thang 7 la ngay nao", ()),
    ("lop tap huan ai cho cbcc thang nay hoc o dau, ngay nao", ()),
    ("Can we send official documents through Gmail or Zalo?", ()),
    ("sap nhap xa xong con dau cu xu ly sao", ()),
    ("tieu chi thi dua khen thuong cuoi nam cua xa gom nhung gi", ()),
)
