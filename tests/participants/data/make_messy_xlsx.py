"""Writes the two workbooks beside this file, as staff keep them. Run it again after
changing the rows: `.venv/bin/python tests/participants/data/make_messy_xlsx.py`.

messy.xlsx: a title above the header, Arabic headers, numbers typed into number cells
(a phone that lost its leading 0, a year as 1987.0), a date cell in the year column, a
blank row, and a sensitive column that must not be read.

messy_registry.xlsx: two title rows above a French header; one "Nom et prénom" column
in every style ("KEITA Fanta", "Fanta KEITA", "Keita, Fanta", Arabic); the group as
"Catégorie" in French and Arabic synonyms; nationalities as demonyms (French masculine
and feminine, Arabic, English), one of them ambiguous ("Congolaise"); dates of birth in
every notation (a year, dd-mm-yyyy, yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, an Excel serial
in a General cell, with a time of day and as text, a date cell); a year out of range; a
formula in the name column; a phone typed as a number; the same person twice; a column
"Type de demande" that is not the group; a sensitive column; a closing total row."""

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


REGISTRY_HEADER = [
    "Nom et prénom", "Sexe", "Catégorie", "Nationalité", "Date de naissance", "Téléphone",
    "Type de demande", "Statut juridique",
]  # fmt: skip
# Spreadsheet rows 4 to 16, then the total on row 17.
REGISTRY_ROWS: list[list[object]] = [
    ["KEITA Fanta", "F", "Nouvelle arrivante", "Malienne", 2003, 612345678, "Logement",
     "réfugiée"],
    ["Jean MBARGA", "M", "Subsaharien(ne)", "Camerounais", 35432, None, None, None],
    ["Diallo, Aminata", "F", "Migrante", "Ivoirienne", "12-03-1995", None, None, None],
    ["فاطمة الزهراء بناني", "F", "شابة", "مغربية", "1995-03-12", None, None, None],
    ["Musa Ibrahim", "M", "مهاجر", "Nigérian", "12.03.1995", None, None, None],
    ["Awa NDIAYE", "F", "Jeunes de la commune", "سنغالية", "12/03/1995", None, None, None],
    ["Youssef El Amrani", "M", "Marocain résidant à l'étranger", "French",
     datetime(1990, 6, 15), None, None, None],
    ["Omar Haddad", "M", "MRE", "Moroccan", 35432.5, None, None, None],
    ["محمد الأمين", "M", "مغربي مقيم بالخارج", "مغربي", "35432", None, None, None],
    ["Aïcha Traoré", "F", "مهاجرة", "Congolaise", 2001, None, None, None],
    ['=CONCAT("Fatou"," ","CAMARA")', "F", "Nouvelle arrivante", "Guinéenne", 2000, None,
     None, None],
    ["Moussa Koné", "M", "شاب", "Nigérien", 1850, None, None, None],
    ["Keita, Fanta", "F", "Nouvelle arrivante", "Malienne", "2003", "0612345678", None, None],
]  # fmt: skip


def build_registry(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Bénéficiaires"
    sheet.append(["Liste des bénéficiaires — programme d'accueil"])
    sheet.append(["Commune de Tanger, 2026"])
    sheet.append(REGISTRY_HEADER)
    for row in REGISTRY_ROWS:
        sheet.append(row)
    sheet.append(["Total", len(REGISTRY_ROWS)])
    sheet["E10"].number_format = "dd/mm/yyyy"  # the date cell; E5 and E11 stay General
    workbook.save(path)


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
    build_registry(Path(__file__).with_name("messy_registry.xlsx"))
