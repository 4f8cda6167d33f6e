"""Who wants what, where: user choice, else brand default for the kind, else brand default for
every kind ("*"), else the platform default below."""

from __future__ import annotations

from collections.abc import Iterable

from worker.models import ALL_CHANNELS, Channel, ChannelDefault, NotificationPreference

# SMS costs money and reaches phones at any hour: off unless the brand or the user turns it on.
PLATFORM_DEFAULTS = {Channel.EMAIL: True, Channel.PUSH: True, Channel.SMS: False}


def brand_defaults() -> dict[tuple[str, str], bool]:
    return {(d.kind, d.channel): d.enabled for d in ChannelDefault.objects.all()}


def resolve(
    *,
    kind: str,
    channel: str,
    user_choices: dict[tuple[str, str], bool],
    defaults: dict[tuple[str, str], bool],
) -> bool:
    if (kind, channel) in user_choices:
        return user_choices[(kind, channel)]
    if (kind, channel) in defaults:
        return defaults[(kind, channel)]
    if (ChannelDefault.ANY_KIND, channel) in defaults:
        return defaults[(ChannelDefault.ANY_KIND, channel)]
    return PLATFORM_DEFAULTS[channel]


def enabled_channels(user, kind: str, channels: Iterable[str] = ALL_CHANNELS) -> dict[str, bool]:
    """{channel: enabled} for one user and kind (two queries)."""
    return enabled_channels_for({user.pk}, kind, channels)[user.pk]


def enabled_channels_for(
    user_ids: Iterable[int], kind: str, channels: Iterable[str] = ALL_CHANNELS
) -> dict[int, dict[str, bool]]:
    """{user id: {channel: enabled}} for many users and one kind (two queries)."""
    user_ids, channels = set(user_ids), list(channels)
    choices: dict[int, dict[tuple[str, str], bool]] = {}
    for p in NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind):
        choices.setdefault(p.user_id, {})[(p.kind, p.channel)] = p.enabled
    defaults = brand_defaults()
    return {
        user_id: {
            channel: resolve(
                kind=kind,
                channel=channel,
                user_choices=choices.get(user_id, {}),
                defaults=defaults,
            )
            for channel in channels
        }
        for user_id in user_ids
    }


def disabled_pairs(user_ids: Iterable[int], kinds: Iterable[str]) -> set[tuple[int, str, str]]:
    """(user id, kind, channel) turned off, for a batch of recipients (delivery re-checks, so an
    unsubscribe made while a message waited for the morning is honoured). Two queries."""
    user_ids, kinds = set(user_ids), set(kinds)
    defaults = brand_defaults()
    choices: dict[int, dict[tuple[str, str], bool]] = {}
    for p in NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=kinds):
        choices.setdefault(p.user_id, {})[(p.kind, p.channel)] = p.enabled
    off = set()
    for user_id in user_ids:
        for kind in kinds:
            for channel in ALL_CHANNELS:
                if not resolve(
                    kind=kind,
                    channel=channel,
                    user_choices=choices.get(user_id, {}),
                    defaults=defaults,
                ):
                    off.add((user_id, kind, str(channel)))
    return off
