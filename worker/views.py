"""The one-click unsubscribe page (brand host). GET shows a confirmation with a button; POST
(the button, or a mail client's RFC 8058 one-click request) turns the preference off."""

from __future__ import annotations

from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from worker.kinds import get_kind
from worker.models import Channel


def _resolve(token):
    from accounts.models import User

    from worker.unsubscribe import read_token

    data = read_token(token, schema_name=connection.schema_name)
    if data is None or data.get("c") not in Channel.values:
        raise Http404("invalid unsubscribe link")
    user = User.objects.filter(public_id=data["u"]).first()
    if user is None:
        raise Http404("invalid unsubscribe link")
    return user, data["k"], data["c"]


# Exempt from CSRF: mail clients POST without cookies (RFC 8058); the signed token is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    from worker.services import set_preference

    user, kind, channel = _resolve(token)
    context = {
        "kind_label": get_kind(kind).label,
        "channel_label": Channel(channel).label,
        "brand": getattr(request, "tenant", None),
        "done": False,
    }
    if request.method == "POST":
        set_preference(acting_user=user, kind=kind, channel=channel, enabled=False)
        context["done"] = True
    return render(request, "worker/unsubscribe.html", context)
