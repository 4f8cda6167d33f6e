"""French by default, English complete: every string of the web app has a French translation
(the source strings are the English ones), and the pages switch language."""

from pathlib import Path

import pytest

PO = (
    Path(__file__).resolve().parents[2]
    / "platform"
    / "webapp"
    / "locale"
    / "fr"
    / "LC_MESSAGES"
    / "django.po"
)


def _entries() -> list[dict]:
    """(msgid, [msgstr texts]) of the catalogue, multi-line strings joined."""
    entries, key = [], None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            entries.append({"msgid": line[6:].strip('"'), "msgstr": []})
            key = "msgid"
        elif line.startswith("msgid_plural "):
            key = "msgid"
        elif line.startswith("msgstr"):
            entries[-1]["msgstr"].append(line.split(" ", 1)[1].strip('"'))
            key = "msgstr"
        elif line.startswith('"') and entries:
            if key == "msgid":
                entries[-1]["msgid"] += line.strip('"')
            elif key == "msgstr":
                entries[-1]["msgstr"][-1] += line.strip('"')
    return entries[1:]  # the first entry is the header


def test_every_string_has_a_french_translation():
    entries = _entries()
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1


@pytest.mark.parametrize("language,expected", [("fr", "Noter une visite"), ("en", "Log a visit")])
def test_pages_in_both_languages(language, expected, vol_client, world):
    if language != "fr":
        vol_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = vol_client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert expected in html
