# Writes a small .xlsx by hand (zip of XML parts) for the framework table tests.
import sys, zipfile
from xml.sax.saxutils import escape
def col(n):
    s = ""
    while n: n, r = divmod(n - 1, 26); s = chr(65 + r) + s
    return s
def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append('<row r="%d">' % r)
        for c, v in enumerate(row, 1):
            ref = "%s%d" % (col(c), r)
            if v is None: continue
            if isinstance(v, bool): out.append('<c r="%s" t="b"><v>%d</v></c>' % (ref, v))
            elif isinstance(v, (int, float)): out.append('<c r="%s"><v>%s</v></c>' % (ref, repr(v)))
            else: out.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return "".join(out)
def write(path, sheets):
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i in range(len(sheets)):
        ct.append('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1))
    ct.append('</Types>')
    z.writestr("[Content_Types].xml", "".join(ct))
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, (name, rows) in enumerate(sheets, 1):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(name), i, i))
        rels.append('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i))
        z.writestr("xl/worksheets/sheet%d.xml" % i, sheet_xml(rows))
    wb.append('</sheets></workbook>'); rels.append('</Relationships>')
    z.writestr("xl/workbook.xml", "".join(wb))
    z.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
    z.close()
H = ["code", "parent", "title", "max_points", "source", "rule", "params"]
write("good.xlsx", [
  ("Hướng dẫn", [["Bảng khung chỉ số ở trang Framework"]]),
  ("Framework", [H,
    ["A", None, "Công tác chỉ đạo, điều hành", 14.5],
    ["A.1", "A", "Kế hoạch", "4,5", "self", "yesno"],
    ["A.2", "A", "Tỷ lệ nhiệm vụ hoàn thành", 10, "self", "threshold", "t=0.8"],
    [],
    ["B", None, "Thủ tục hành chính", 8.5],
    ["B.1", "B", "Hồ sơ đúng hạn", 8.5, "self", "steps", "bounds=1,0.9;points=1,0.5"],
  ])])
write("bad-max.xlsx", [("Sheet1", [H,
    ["A", None, "Khu vực A", 10],
    ["A.1", "A", "Tiêu chí", True, "self", "manual"]])])
