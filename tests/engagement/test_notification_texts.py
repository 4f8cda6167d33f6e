"""The texts of the engagement core's notifications, as the worker renders them (French, the
brand's default language): a proposal shows only the reduced view; a confirmed match gives the
person's details."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def rendered(brand, kind, in_brand):
    from worker.models import Notification
    from worker.rendering import render

    with in_brand(brand):
        [notification] = Notification.objects.filter(kind=kind).select_related("recipient")
        return render(notification, brand)


def test_proposal_answer_and_match_texts(
    brand_a, coordinator_a, make_volunteer, make_person, in_brand
):
    from matching.services import confirm, propose, respond

    person = make_person(
        brand_a,
        coordinator=coordinator_a,
        first_name="Jeanne",
        last_name="Dubois",
        phone="06 11 22 33 44",
        address="3 rue Secrète",
        district="Paris 4e",
    )
    volunteer = make_volunteer(brand_a, full_name="Alice Martin", latitude=48.8566 + 1.2 / 111.2)
    with in_brand(brand_a):
        [proposal] = propose(
            acting_user=coordinator_a,
            person=person,
            volunteers=[volunteer],
            message="Elle adore les échecs",
        )

    created = rendered(brand_a, "proposal_created", in_brand)
    assert created.subject == "Aimeriez-vous rendre visite à Jeanne D. ?"
    assert created.text == (
        "Bonjour,\n\nAlpha Entraide aimerait vous faire rencontrer Jeanne D. (Paris 4e), à environ 1,0 km de chez "
        "vous.\n\nMessage de votre coordinateur :\nElle adore les échecs\n\nOuvrez l’application pour accepter ou "
        "refuser cette proposition. Vous recevrez les coordonnées une fois la mise en relation confirmée."
    )
    assert (
        "Dubois" not in created.text
        and "06 11" not in created.text
        and "Secrète" not in created.text
    )
    assert created.short == "Nouvelle proposition : Jeanne D. (Paris 4e)"

    with in_brand(brand_a):
        respond(proposal=proposal, acting_user=volunteer, accept=True, reason="Avec plaisir")
    answered = rendered(brand_a, "proposal_answered", in_brand)
    assert answered.subject == "Alice Martin accepte de rendre visite à Jeanne D."
    assert "Son motif : Avec plaisir" in answered.text

    with in_brand(brand_a):
        confirm(proposal=proposal, acting_user=coordinator_a)
    match = rendered(brand_a, "match_confirmed", in_brand)
    assert match.subject == "Vous faites maintenant partie de « Les amis de Jeanne »"
    for detail in (
        "Jeanne Dubois",
        "Téléphone : 06 11 22 33 44",
        "Adresse : 3 rue Secrète",
        "coord@alpha.example",
    ):
        assert detail in match.text


def test_vetting_step_pending_text(brand_a, coordinator_a, make_user, in_brand):
    from volunteers.models import VettingStep
    from volunteers.services import complete_step, get_or_create_profile

    volunteer = make_user(brand_a, role="volunteer", full_name="Vic Volontaire")
    with in_brand(brand_a):
        profile = get_or_create_profile(user=volunteer)
        complete_step(
            profile=profile, step=VettingStep.objects.get(key="charter"), acting_user=volunteer
        )
    text = rendered(brand_a, "vetting_step_pending", in_brand)
    assert text.subject == "Vic Volontaire : « Entretien » vous attend"
    assert text.text.startswith(
        "Le bénévole Vic Volontaire attend l’étape de validation suivante : « Entretien »."
    )
