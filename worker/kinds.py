"""Known kinds of notification. A kind needs templates under `notifications/<kind>/`; registering
it gives it a label (preference screens) and says whether it is transactional. Transactional
messages (an invitation, a password reset) are what the user asked for: preferences cannot turn
them off and quiet hours do not defer them. `notify()` also accepts unregistered kinds
(non-transactional, labelled by their name)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    transactional: bool = False


KINDS: dict[str, Kind] = {}


def register_kind(name: str, *, label, transactional: bool = False) -> Kind:
    kind = Kind(name=name, label=label, transactional=transactional)
    KINDS[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    return KINDS.get(name) or Kind(name=name, label=name)


register_kind("invitation", label=_("Invitation to join the association"), transactional=True)
