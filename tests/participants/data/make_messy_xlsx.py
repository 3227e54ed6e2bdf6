"""Writes messy.xlsx beside this file: a workbook as staff keep them, with a title
above the header, Arabic headers, numbers typed into number cells (a phone that lost
its leading 0, a year as 1987.0), a date cell in the year column, a blank row, and a
sensitive column that must not be read. Run it again after changing the rows:
`.venv/bin/python tests/participants/data/make_messy_xlsx.py`."""

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "الاسم الشخصي",
    "الاسم العائلي",
    "الجنس",
    "سنة الازدياد",
    "الجنسية",
    "الفئة",
    "الهاتف",
    "البريد الإلكتروني",
    "اللغات",
    "الاحتياجات",
    "الوضعية القانونية",
]
ROWS: list[list[object]] = [
    ["خديجة", "بنعلي", "أنثى", 1999, "المغرب", "من مغاربة العالم", 612345680, None,
     "العربية، الفرنسية", "سكن، صحة", None],
    [],
    ["Mamadou", "Keita", "M", 1987.0, "Côte d\u2019Ivoire", "newcomer", "+33 6 12 34 56 78",
     "MAMADOU@EXAMPLE.TEST", "french, dioula", "legal", "asylum seeker"],
    ["Sara", None, "F", 2050, "SN", None, "123", None, None, None, None],
    ["Nadia", "Ait Lahcen", "female", datetime(2003, 5, 1), "MAR", "local youth", None,
     "nadia@example.test", None, "education", None],
    ["Fatou\u2066", "Ndiaye", "F", 1995, "Senegal", "newcomer", None, None, None, None,
     "refugee"],
]  # fmt: skip


def build(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "المستفيدون"
    sheet.append(["لائحة المستفيدين 2024"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet["D7"].number_format = "dd/mm/yyyy"
    workbook.create_sheet("ignored").append(["prénom", "groupe"])
    workbook.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("messy.xlsx"))
