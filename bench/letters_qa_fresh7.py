"""Seventh fresh blind set for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH7: tuple[Q, ...] = (
    # --- hy (Hưng Yên, ký số văn bản điện tử) intro: 3.026 certificates, low rates, < 50 %
    ("tinh cap bn cts cho dang uy xa phuong roi a", (("hy", "intro"),)),
    ("Sao Tỉnh ủy lại ra cv nhắc ký số, các xã đang yếu chỗ nào?", (("hy", "intro"),)),
    (
        "How many signing certificates have the commune and ward party committees been issued?",
        (("hy", "intro"),),
    ),
    # hy 1: review the use of signatures, staff responsibility, HD 09-HD/VPTW procedure
    ("trinh ky, phat hanh vb dt o dnag uy xa lam theo hd nao cua vptw", (("hy", "1"),)),
    ("hd 09 co gui kem cv ko hay phai tu kiem", (("hy", "1"),)),
    (
        "lam the nao de anh em cbcc o xa co trach nhiem hon voi viec ky so",
        (("hy", "1"), ("tg", "2")),
    ),
    (
        "Which central party guidance do we follow when routing docs for signing and issuing?",
        (("hy", "1"),),
    ),
    # hy 2: 100 % signed by 30/6/2026
    ("han 100% vb dien tu dc kyso la ngay nao", (("hy", "2"),)),
    ("het thang 6 nay dang uy phuong phai ky dc bao nhieu phan tram vb", (("hy", "2"),)),
    ("deadline for HY commune party cttees to have every e-doc signed?", (("hy", "2"),)),
    ("Mấy cái tồn tại về ký số phải sửa xong trước ngày nào?", (("hy", "2"),)),
    # hy 3: units under 80 % write an explanation report to VP Tỉnh ủy before 26/6/2026
    ("han giai trinh?", (("hy", "3"),)),
    ("dang uy xa em moi dat 65% thi phai lam gi a", (("hy", "3"), ("hy", "2"))),
    ("bcgiai trinh gui ai", (("hy", "3"),)),
    ("bao cao giai trinh can neu nhung y gi", (("hy", "3"),)),
    ("Our ward is at 72%. Do we have to send an explanation, and by when?", (("hy", "3"),)),
    ("nop bc giai trihn cho vptu hay btc", (("hy", "3"),)),
    ("26/6 la han nop cai gi", (("hy", "3"),)),
    ("xa em 70%, deadline gui report giai trinh la hom nao", (("hy", "3"),)),
    # hy 4: the commune/ward party secretary is accountable to the standing committee
    ("bí thư đảng ủy phường chịu trách nhiệm trước ai về kết quả ký số", (("hy", "4"),)),
    ("xa ky so thap thi bi thu co bi sao ko", (("hy", "4"),)),
    (
        "Who at commune level answers to the provincial standing committee for signing results?",
        (("hy", "4"),),
    ),
    # hy end: VP Tỉnh ủy monitors, checks, reports to Thường trực Tỉnh ủy
    ("ben tinh ai theo doi nhac nho cac dang uy xa chuyen ky so", (("hy", "end"),)),
    ("vptu tong hop xong bao cao len dau", (("hy", "end"), ("hy", "3"))),
    # --- hy484 (Hưng Yên 484-CV/TU, chuyển đổi số) intro: CV 2039-CV/VPTW, NQ 57
    ("cv484 cua tu trien khai vb nao cua vptw", (("hy484", "intro"),)),
    ("cong van 2039-CV/VPTW ngay 28/4 noi j", (("hy484", "intro"),)),
    ("Which resolution's tasks is the 484 letter pushing?", (("hy484", "intro"),)),
    # hy484 1: leadership, grading, plans 36/63/64/65, overdue tasks, outputs, no waste
    (
        "nguoi dung dau cap uy co phai chiu trach nhiem ve tien do chuyen doi so ko",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    (
        "ket qua cds co tinh vao danh gia xep loai to chuc dang va cb cuoi nam k",
        (("hy484", "1"),),
    ),
    ("kh 36-KH/TU ban hanh ngay nao", (("hy484", "1"), ("hy484", "4"))),
    ("may cai kh 63 64 65 cua tinh uy ra ngay nao", (("hy484", "1"),)),
    ("nhiem vu cds bi tre han tu quy 2 thi phai lam gi", (("hy484", "1"),)),
    ("mua sam dau tu he thong cds lam sao cho khoi trung lap lang phi", (("hy484", "1"),)),
    (
        "Do we need to spell out outputs and expected benefits for each digital transformation"
        " task?",
        (("hy484", "1"),),
    ),
    ("tinh uy yeu cau quan triet nhan thuc ve cds trong co quan dang ntn", (("hy484", "1"),)),
    # hy484 2: review tasks, priorities, data, infrastructure, digital skills, staff, AI
    ("co phai bo tri nguoi chuyen trach cds ko hay kiem nhiem cung dc", (("hy484", "2"),)),
    ("Is any AI training planned for party officials?", (("hy484", "2"),)),
    ("so hoa xong du lieu roi thi phai dung vao viec gi", (("hy484", "2"),)),
    ("ha tang so nen tang so can hoan thien ra sao", (("hy484", "2"),)),
    ("kinh phi it thi uu tien lam nhiem vu cds nao truoc", (("hy484", "2"),)),
    ("boi duong ky nang so cho cbcc co yeu cau gi ko", (("hy484", "2"),)),
    ('"lam giau du lieu" la lam gi vay', (("hy484", "2"),)),
    # hy484 3.1: party advisory bodies use the operations system, send/sign e-documents
    ("cac ban dang tinh uy gui nhan vb qua he thong nao", (("hy484", "3.1"),)),
    (
        "Which system should provincial party advisory bodies use to exchange and sign documents?",
        (("hy484", "3.1"),),
    ),
    # hy484 3.2: government side upgrades QLVB, connects to the party system, secret docs, 25/6
    (
        "ubnd xa co phai nang cap phan mem qlvb de lien thong sang ben dang ko",
        (("hy484", "3.2"),),
    ),
    ("vb mat co dc gui nhan qua mang dien tu ko hay phai cam tay", (("hy484", "3.2"),)),
    (
        "Deadline for the government side to handle e-docs incl. classified ones?",
        (("hy484", "3.2"),),
    ),
    ("25/6 la han cua viec gi", (("hy484", "3.2"),)),
    # hy484 4: information security — VP Tỉnh ủy, Sở KH&CN, Công an tỉnh
    ("ai lo attt, an ninh mang cho co quan dang", (("hy484", "4"),)),
    (
        "Is the provincial police involved in cybersecurity for party agencies?",
        (("hy484", "4"),),
    ),
    # hy484 end: periodic reporting
    ("cv 484 co phai bc ket qua dinh ky ko", (("hy484", "end"),)),
    ("report tien do cds co phai submit dinh ky ko", (("hy484", "end"),)),
    # --- tg (Tuần Giáo, TD Office) intro: based on report 1637/BC-STTTT
    ("cv tuan giao can cu bc cua so nao", (("tg", "intro"),)),
    ("bc 1637 cua stttt bao cao ve j", (("tg", "intro"),)),
    # tg 1: follow Điện Biên's 266/UBND-KGVX on e-document exchange
    ("vb 266/UBND-KGVX cua dien bien noi ve viec gi", (("tg", "1"),)),
    (
        "What provincial instruction must Tuan Giao commune chairs follow on e-document exchange?",
        (("tg", "1"),),
    ),
    # tg 2: urge staff through the outgoing-document workflow, QĐ 28/2018/QĐ-TTg
    ("quy trinh vb di ky so theo qd nao cua thu tuong", (("tg", "2"),)),
    ("huyen yeu cau don doc cbcc lam gi voi vb di", (("tg", "2"),)),
    # tg 3: self-criticism, at least 80 % signed on TD Office
    ("tyle ky so toi thieu tren tdoffice bn", (("tg", "3"),)),
    ("phong em chua toi 80% thi co phai kiem diem ko", (("tg", "3"),)),
    (
        "What's the minimum share of outgoing docs that must be signed on TD Office?",
        (("tg", "3"),),
    ),
    # tg 3.1: rates 01/11/2020 – 8/12/2020
    ("thang 11/2020 phong noi vu ky so dc bao nhieu", (("tg", "3.1"),)),
    ("xa nao ky so 100% trong dot thang 11", (("tg", "3.1"),)),
    ("cac xa 0% tu 1/11 den 8/12/2020 la nhung xa nao", (("tg", "3.1"),)),
    ("Which departments hit 100% signing in November 2020?", (("tg", "3.1"),)),
    ("ban qlda dat 63,64% la tinh tu ngay nao", (("tg", "3.1"),)),
    # tg 3.2: rates 01/01/2020 – 8/12/2020
    ("ca nam 2020 xa muong mun kys o dc bn", (("tg", "3.2"),)),
    ("luy ke tu dau nam phong nao ky so cao nhat", (("tg", "3.2"),)),
    ("Thanh tra ca nam chi dc 16%?", (("tg", "3.2"),)),
    ("bieu thong ke chi tiet gui nhan vb xem o dau", (("tg", "3.2"),)),
    ("Year to date 2020, what was Quai Cang commune's signing rate?", (("tg", "3.2"),)),
    # tg 3.1 + 3.2: a unit listed in both periods
    ("tenh phong ky so bao nhieu %", (("tg", "3.1"), ("tg", "3.2"))),
    ("phong y te co ky so vb nao ko", (("tg", "3.1"), ("tg", "3.2"))),
    ("Trung tâm quản lý đất đai ký số có tốt không", (("tg", "3.1"), ("tg", "3.2"))),
    ("phong tn-mt voi thanh tra sao toan 0%", (("tg", "3.1"), ("tg", "3.2"))),
    # tg end: commune chairs carry it out
    (
        "chu tich ubnd xa thi tran nhan cv tuan giao ve ky so thi phai lam gi",
        (("tg", "end"), ("tg", "1")),
    ),
    # --- dt (Đồng Tháp, chữ ký số công vụ) intro: the faults found, ND 30, ND 68, QĐ 144
    ("cv dong thap ve ky so can cu nhung nghi dinh nao", (("dt", "intro"),)),
    ("quy che chu ky so cong vu cua tinh dong thap la qd so may", (("dt", "intro"),)),
    ("What problems did Dong Thap find in how agencies sign e-documents?", (("dt", "intro"),)),
    # dt 1: head accountable; never hand over the token or the password
    ("sep di phep, dua usb ky so cho van thu ky giup dc ko", (("dt", "1"),)),
    ("nho van thu cam token cua chu tich ky ho co sao ko", (("dt", "1"), ("dt", "2"))),
    ("cho dong nghiep muon mk token dung tam dc k, sep bao ok roi", (("dt", "1"),)),
    (
        "Can I give my signing token and PIN to my secretary while I'm on leave?",
        (("dt", "1"),),
    ),
    ("thu truong chiu trach nhiem truoc ai ve viec ky so o co quan", (("dt", "1"),)),
    ("ma pin cua token co dc dua cho nguoi khac giu ho ko", (("dt", "1"),)),
    # dt 2 (first paragraph): signed by the competent person plus the organisation's signature
    ("vb phat hanh tren he thong qlvb cua tinh phai do ai ky", (("dt", "2"),)),
    ("ngoai chu ky ca nhan co can ky so cua co quan nua ko", (("dt", "2"),)),
    ("pho phong ky thay truong phong len he thong qlvb dc ko", (("dt", "2"),)),
    # dt 2 (second paragraph): paper copies only when the personal certificate is revoked
    ("scan ban giay roi ky so phat hanh dc ko", (("dt", "2"), ("dt", "intro"))),
    ("khi nao moi dc sao y ban giay sang dien tu", (("dt", "2"),)),
    ("cts ca nhan bi thu hoi thi phat hanh vb kieu gi", (("dt", "2"),)),
    (
        "My personal cert was revoked, can we scan the paper copy and issue that?",
        (("dt", "2"),),
    ),
    (
        "vt xa em in vb ra giay cho chu tich ky tay roi scan len he thong, lam vay co dung ko",
        (("dt", "2"), ("dt", "intro")),
    ),
    ("sep em lam mat usb ky so, trong luc cho cap lai thi phat hanh vb the nao", (("dt", "2"),)),
    ("token cua sep bi revoke roi thi publish vb kieu gi", (("dt", "2"),)),
    # dt 3: Sở KH&CN checks, supports, corrects wrong signing
    ("so nao huogn dan su dung chu ky so cong vu tren he thong qlvb", (("dt", "3"),)),
    ("ky so ko dung quy dinh thi ai phat hien chan chinh", (("dt", "3"),)),
    (
        "Who checks whether agencies sign properly on the provincial document system?",
        (("dt", "3"),),
    ),
    # dt 4: Sở Nội vụ puts signing into the PAR index and heads' yearly rating
    ("ky so co tinh diem vao chi so cchc ko", (("dt", "4"),)),
    ("so noi vu lien quan j den ky so", (("dt", "4"),)),
    ("Will e-signing count in the yearly rating of agency heads?", (("dt", "4"),)),
    # --- xt (Xuân Trường, phần mềm dùng chung) intro: rules, 68,04 % e-handbook, 97 % issuing
    ("ty le dang vien xa xuan truong dung so tay dv dien tu dat bao nhieu", (("xt", "intro"),)),
    ("ty le phat hanh vb dien tu cua dang bo xa Xuan Truong may %", (("xt", "intro"),)),
    ("quy dinh 339 cua ban bi thu ve cai gi", (("xt", "intro"),)),
    ("so lieu 68,04% chot den ngay nao", (("xt", "intro"),)),
    (
        "As of end of May, what share of Xuan Truong party members used the e-handbook app?",
        (("xt", "intro"),),
    ),
    # xt 1: signed e-documents on the operations system, log in often, no backlog, heads urge
    ("bao lau phai vao he thong dieu hanh tac nghiep 1 lan", (("xt", "1"),)),
    ("vb ton dong qua han tren he thong thi xu ly sao", (("xt", "1"),)),
    (
        "vb giua mttq voi cac doan the trong xa co phai gui dien tu het ko hay van gui giay",
        (("xt", "1"),),
    ),
    ("ai don doc cb xu ly vb dien tu trong co quan minh", (("xt", "1"), ("tg", "2"))),
    (
        "Do all documents between commune party bodies have to go through the e-system now?",
        (("xt", "1"),),
    ),
    # xt 2: Ban Xây dựng Đảng, install/activate the e-handbook, 100 % with smartphones, rating
    ("dang vien ko co smartphone co bat buoc cai so tay ko", (("xt", "2"),)),
    ("app so tay dv dien tu co nhung chuc nang gi, sinh hoat chi bo tren do dc ko", (("xt", "2"),)),
    ("ai huong dan dv cai app so tay", (("xt", "2"), ("xt", "3"))),
    (
        "Is using the party member e-handbook counted in members' yearly evaluation?",
        (("xt", "2"),),
    ),
    ("muc tieu bn % dv cai sotay", (("xt", "2"),)),
    (
        "chi bo em nhieu cu cao tuoi dung dt cuc gach, co bi tinh vao chi tieu 100% ko",
        (("xt", "2"),),
    ),
    # xt 3: party cells review and urge members to install and use it
    ("chi bo phai lam gi voi viec cai so tay dv", (("xt", "3"),)),
    ("dang vien chi bo em chua kich hoat so tay thi ai nhac", (("xt", "3"), ("xt", "2"))),
    # xt 4: commune party office monitors and reports to the standing committee
    ("ai tong hop tinh hinh dung phan mem dung chung o xa", (("xt", "4"),)),
    (
        "Who compiles progress reports for the commune party standing committee?",
        (("xt", "4"),),
    ),
    # xt end: difficulties go to the commune party office
    ("vuong mac khi dung phan mem dung chung thi phan anh ve dau", (("xt", "end"),)),
    ("app so tay loi ko dang nhap dc thi bao ai", (("xt", "end"),)),
    # --- unanswerable: close to the domain, not in any letter
    ("luong cb xa nam 2026 tang bao nhieu", ()),
    ("phu cap cho cb phu trach cntt o xa dc bn", ()),
    ("nghi phep nam dc may ngay a", ()),
    ("mua may tinh moi cho vp dang uy lay kinh phi o dau", ()),
    ("mua them usb token het bao nhieu tien", ()),
    ("cach cai driver token tren win 11", ()),
    ("How do I renew an expired signing certificate?", ()),
    ("quen ma pin token thi reset kieu gi", ()),
    ("token bi khoa do nhap sai pin may lan, mo khoa sao", ()),
    ("co nhom zalo nao hoi dap ve ky so ko", ()),
    ("lich hop giao ban dang uy thang 7", ()),
    ("quyet toan thue tncn online lam the nao", ()),
    ("tinh thanh hoa ty le ky so bn", ()),
    ("phan mem ke toan misa ky so dc ko", ()),
    ("How do I sign a PDF in Adobe Reader with my USB token?", ()),
    ("Can I use VNeID to sign official documents?", ()),
    ("thoi han luu tru ho so giay o van thu xa la bao lau", ()),
    ("cach ky so tren dien thoai bang sim ca", ()),
    ("may tinh vp hong thi ai sua", ()),
    ("dinh muc trang bi may tinh cho cong chuc xa", ()),
    ("email cong vu bi khoa thi mo lai sao", ()),
    ("che do cong tac phi di hoc lop cds", ()),
    ("What's the overtime pay for IT staff working weekends?", ()),
    ("quang ninh co bao nhieu xa ky so dat 100%", ()),
    ("chu tich moi nhan chuc, dang ky cap cts o dau", ()),
    ("How to update the document management app on iPhone?", ()),
    ("bhxh dong bao nhieu %", ()),
    ("tang ca ngay le 2/9 co dc nghi bu ko", ()),
)
