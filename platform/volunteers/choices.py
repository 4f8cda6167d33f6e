"""Vocabularies shared by volunteers, people and matching: weekly slots, interests, languages.

A weekly slot is a day and a part of the day ("tue_afternoon"). Volunteers give their
availability and people their preferred times in the same codes, so overlap is a set
intersection (done in SQL by the matching query).
"""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy


def _slot_text(day_label, period_label) -> str:
    return pgettext("weekly slot", "%(day)s %(period)s") % {
        "day": day_label,
        "period": period_label,
    }


_lazy_slot_text = lazy(_slot_text, str)

DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
PERIODS = [
    ("morning", _("morning")),
    ("afternoon", _("afternoon")),
    ("evening", _("evening")),
]

# "mardi après-midi" / "Tuesday afternoon": the label is built from a translatable pattern so
# that languages can reorder day and period.
SLOT_CHOICES = [
    (f"{day}_{period}", _lazy_slot_text(day_label, period_label))
    for day, day_label in DAYS
    for period, period_label in PERIODS
]
SLOT_CODES = [code for code, _label in SLOT_CHOICES]


class Interest(models.TextChoices):
    CHESS = "chess", _("chess")
    CARDS = "cards", _("card games")
    READING = "reading", _("reading")
    WALKING = "walking", _("walks")
    GARDENING = "gardening", _("gardening")
    COOKING = "cooking", _("cooking")
    MUSIC = "music", _("music")
    CINEMA = "cinema", _("cinema")
    HISTORY = "history", _("history")
    CRAFTS = "crafts", _("crafts")
    TECHNOLOGY = "technology", _("computers and phones")
    SPORT = "sport", _("sport")
    TRAVEL = "travel", _("travel")
    ART = "art", _("art and museums")


class Language(models.TextChoices):
    FR = "fr", pgettext_lazy("language", "French")
    EN = "en", pgettext_lazy("language", "English")
    AR = "ar", pgettext_lazy("language", "Arabic")
    ES = "es", pgettext_lazy("language", "Spanish")
    PT = "pt", pgettext_lazy("language", "Portuguese")
    IT = "it", pgettext_lazy("language", "Italian")
    DE = "de", pgettext_lazy("language", "German")
    ZH = "zh", pgettext_lazy("language", "Chinese")
    VI = "vi", pgettext_lazy("language", "Vietnamese")
    RU = "ru", pgettext_lazy("language", "Russian")
    TR = "tr", pgettext_lazy("language", "Turkish")
    PL = "pl", pgettext_lazy("language", "Polish")
    LSF = "lsf", pgettext_lazy("language", "French Sign Language")


def slot_label(code: str) -> str:
    return str(dict(SLOT_CHOICES).get(code, code))


def interest_label(code: str) -> str:
    try:
        return str(Interest(code).label)
    except ValueError:
        return code


def language_label(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


# How a shared interest reads in "both like ..." (French needs the article: "les échecs").
INTEREST_PHRASES = {
    Interest.CHESS: pgettext_lazy("both like", "chess"),
    Interest.CARDS: pgettext_lazy("both like", "card games"),
    Interest.READING: pgettext_lazy("both like", "reading"),
    Interest.WALKING: pgettext_lazy("both like", "walking"),
    Interest.GARDENING: pgettext_lazy("both like", "gardening"),
    Interest.COOKING: pgettext_lazy("both like", "cooking"),
    Interest.MUSIC: pgettext_lazy("both like", "music"),
    Interest.CINEMA: pgettext_lazy("both like", "the cinema"),
    Interest.HISTORY: pgettext_lazy("both like", "history"),
    Interest.CRAFTS: pgettext_lazy("both like", "crafts"),
    Interest.TECHNOLOGY: pgettext_lazy("both like", "computers"),
    Interest.SPORT: pgettext_lazy("both like", "sport"),
    Interest.TRAVEL: pgettext_lazy("both like", "travelling"),
    Interest.ART: pgettext_lazy("both like", "art"),
}


def interest_phrase(code: str) -> str:
    phrase = INTEREST_PHRASES.get(code)
    return str(phrase) if phrase is not None else interest_label(code)
