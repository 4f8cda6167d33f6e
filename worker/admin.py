from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from worker import services
from worker.models import (
    ChannelDefault,
    MobileNumber,
    Notification,
    NotificationPreference,
    PushSubscription,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "channel", "kind", "urgent")
    search_fields = ("recipient__email", "kind", "idempotency_key", "last_error")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.last_error or "")[:80]

    @admin.action(description=_("Retry the selected failed notifications"))
    def retry(self, request, queryset):
        count = services.retry_failed(
            notification_ids=queryset.values_list("pk", flat=True), acting_user=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d notification put back in the queue.",
                "%(count)d notifications put back in the queue.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ChannelDefault)
class ChannelDefaultAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "enabled")
    list_editable = ("enabled",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel", "enabled", "updated_at")
    list_filter = ("channel", "enabled", "kind")
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_success_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.register(MobileNumber)
class MobileNumberAdmin(admin.ModelAdmin):
    list_display = ("user", "e164", "updated_at")
    search_fields = ("user__email", "e164")
