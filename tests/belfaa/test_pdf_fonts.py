"""Every PDF is set in the fonts that ship with the project, not the host's."""

import pytest
from django.test import Client
from django.utils import translation

from belfaa.models import User
from belfaa.pdf import FONTS_DIR, font_file
from participants.models import Participant
from participants.rights.data import participant_export_data
from participants.rights.display import export_document
from participants.services import participant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> Participant:
    return participant_create(
        given_name="فاطمة الزهراء",
        family_name="Diallo",
        sex=Participant.Sex.FEMALE,
        group=Participant.Group.NEWCOMER,
        notes="Prefers calls in the afternoon",
    )


@pytest.mark.pango
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_access_export_pdf_is_set_in_the_shipped_fonts(person: Participant, lang: str) -> None:
    with translation.override(lang):
        document = export_document(participant_export_data(person))
    document.write_pdf()
    families = {font.family for font in document.fonts.values()}
    assert families == {"Belfaa Naskh", "Belfaa Sans"}


def test_the_access_export_page_leaves_fonts_to_the_browser(
    client: Client, coordinator: User, person: Participant
) -> None:
    # A browser cannot open belfaa-font: URLs (and the CSP would refuse them).
    client.force_login(coordinator)
    response = client.get(f"/ar/staff/participants/{person.pk}/access/")
    assert response.status_code == 200
    assert "belfaa-font:" not in response.content.decode()


def test_font_urls_name_only_the_shipped_font_files() -> None:
    shipped = sorted(path.name for path in FONTS_DIR.glob("*.ttf"))
    assert shipped == [
        "NotoNaskhArabic-Bold.ttf",
        "NotoNaskhArabic-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSans-Regular.ttf",
    ]
    assert font_file("belfaa-font:NotoSans-Regular.ttf") == FONTS_DIR / "NotoSans-Regular.ttf"
    for url in ("belfaa-font:../pdf.py", "belfaa-font:README.md", "NotoSans-Regular.ttf"):
        with pytest.raises(ValueError, match="not a font shipped with Belfaa"):
            font_file(url)
