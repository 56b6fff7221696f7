"""Tiny, dependency-free writers for the documents gold portals attach: PDF, DOCX, XLSX, ODT, ODS and RTF ".doc".

They produce real files (a PDF with an extractable Vietnamese text layer, or only an image like a scan;
Office Open XML packages) in microseconds, so thousands of synthetic portals stay cheap. Output is
byte-identical for the same input.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_ZIP_DATE = (2024, 3, 15, 8, 0, 0)


def _pdf_objects(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf(lines: list[str], *, scanned: bool = False) -> bytes:
    """A one-page A4 PDF. With ``scanned`` the page holds only an image (no text layer), like a scan.

    Text is drawn with a Type0 font whose codes are the UTF-16 code units and whose ToUnicode map is the
    identity, so any extractor gets the Vietnamese text back exactly.
    """
    if scanned:
        pixels = bytes((180 + (x * 7 + y * 13) % 60) for y in range(32) for x in range(32))
        image = _stream(pixels, b"/Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
                                b"/BitsPerComponent 8 ")
        content = b"q 500 0 0 700 50 70 cm /Im1 Do Q"
        return _pdf_objects([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            image,
            _stream(content),
        ])
    text_ops = [b"BT /F1 10 Tf 40 800 Td 13 TL"]
    for line in lines[:60]:
        text_ops.append(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*")
    text_ops.append(b"ET")
    content = b"\n".join(text_ops)
    highs = sorted({ord(ch) >> 8 for line in lines for ch in line} | {0})
    ranges = b"\n".join(b"<%02x00> <%02xff> <%02x00>" % (h, h, h) for h in highs)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <ffff> endcodespacerange\n"
            + b"%d beginbfrange\n" % len(highs) + ranges + b"\nendbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return _pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 8 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TimesNewRoman /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TimesNewRoman /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R "
        b"/DW 500 >>",
        b"<< /Type /FontDescriptor /FontName /TimesNewRoman /Flags 32 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
        _stream(cmap),
        _stream(content),
    ])


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal Word document: paragraphs, then an optional table (first row = header)."""
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                       + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    return _zip({
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}</w:body></w:document>',
    })


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx(rows: list[list[str]]) -> bytes:
    """A minimal one-sheet workbook with inline strings (first row = header)."""
    sheet_rows = "".join(
        f'<row r="{r + 1}">' + "".join(
            f'<c r="{_column(c)}{r + 1}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            for c, value in enumerate(row)) + "</row>" for r, row in enumerate(rows))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return _zip({
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets><sheet name="Danh muc" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{sheet_rows}'
        "</sheetData></worksheet>",
    })


def rtf(lines: list[str]) -> bytes:
    """An RTF document (many portals serve RTF under a .doc name); non-ASCII as \\uN escapes."""
    def encode(line: str) -> str:
        return "".join(ch if ord(ch) < 128 and ch not in "\\{}" else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?"
                       for ch in line)
    body = "\\par\n".join(encode(line) for line in lines)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26\n" + body + "\\par\n}").encode("ascii")


def banner(text: str, size: tuple[int, int] = (320, 72)) -> bytes:
    """A banner image whose only words are drawn in the picture (PNG), in a Vietnamese-capable font."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, (164, 22, 26))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 22)
    except OSError:
        try:
            font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 22)
        except OSError:  # no DejaVu (scripts/apt-packages.txt installs it): Pillow's own scalable font
            font = ImageFont.load_default(22)
    draw.rectangle((4, 4, size[0] - 5, size[1] - 5), outline=(250, 214, 90), width=2)
    draw.text((16, (size[1] - 26) // 2), text, font=font, fill=(255, 250, 220))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')


def _odf(kind: str, body: str, title: str = "") -> bytes:
    """An OpenDocument package: the ``mimetype`` member first and stored, as the format asks."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("mimetype", date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_STORED
        archive.writestr(info, mimetype)
        files = {
            "content.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} '
                           f'office:version="1.3"><office:body>{body}</office:body></office:document-content>',
            "meta.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODF_NS} office:version="1.3">'
                        f"<office:meta><dc:title>{escape(title)}</dc:title></office:meta></office:document-meta>",
            "META-INF/manifest.xml": '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry '
            f'manifest:full-path="/" manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        }
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _odf_rows(rows: list[list[str]]) -> str:
    return "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>' for c in row)
        + "</table:table-row>" for row in rows)


def odt(paragraphs: list[str], table: list[list[str]] | None = None, *, title: str = "") -> bytes:
    """A minimal OpenDocument text (LibreOffice Writer): paragraphs, then an optional table."""
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    if table:
        body += f'<table:table table:name="Bang1">{_odf_rows(table)}</table:table>'
    return _odf("text", f"<office:text>{body}</office:text>", title)


def ods(rows: list[list[str]], *, sheet: str = "Danh muc", title: str = "") -> bytes:
    """A minimal one-sheet OpenDocument spreadsheet (LibreOffice Calc), padded the way Calc pads a sheet:
    a repeated empty cell at the end of each row and a million repeated empty rows at the end."""
    padded = _odf_rows(rows).replace("</table:table-row>", '<table:table-cell table:number-columns-repeated="16000"/>'
                                     "</table:table-row>")
    padded += ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
               'table:number-columns-repeated="16384"/></table:table-row>')
    return _odf("spreadsheet", f'<office:spreadsheet><table:table table:name="{escape(sheet)}">{padded}'
                               "</table:table></office:spreadsheet>", title)
