from django.contrib import admin
from django.db.models import Count
from visits.admin import RoleAdmin

from messaging.models import Message, Thread


@admin.register(Thread)
class ThreadAdmin(RoleAdmin):
    list_display = ("circle", "message_count", "last_message_at", "created_at")
    search_fields = ("circle__title", "circle__person__first_name", "circle__person__last_name")
    list_select_related = ("circle",)
    readonly_fields = ("public_id", "circle", "created_at", "last_message_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_message_count=Count("messages"))

    @admin.display(ordering="_message_count")
    def message_count(self, thread):
        return thread._message_count


@admin.register(Message)
class MessageAdmin(RoleAdmin):
    list_display = ("created_at", "thread", "author", "short_body")
    list_filter = ("created_at",)
    search_fields = ("body", "author__email", "author__full_name", "thread__circle__title")
    list_select_related = ("thread__circle", "author")
    raw_id_fields = ("thread", "author")
    readonly_fields = ("public_id", "created_at")
    date_hierarchy = "created_at"

    @admin.display(description="message")
    def short_body(self, message):
        return message.body[:80]
