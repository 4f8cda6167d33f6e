from accounts.admin_roles import ReadOnlyRoleAdminMixin, RoleModelAdmin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from people.models import ConsentRecord, Person, PersonAccessLog


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ("given_at", "method", "purpose", "given_by", "recorded_by", "withdrawn_at")
    readonly_fields = ("recorded_by",)


@admin.register(Person)
class PersonAdmin(RoleModelAdmin):
    """Opening a person's full record here is audited, as in the API."""

    list_display = (
        "first_name",
        "last_name",
        "district",
        "status",
        "coordinator",
        "max_volunteers",
        "last_contact_at",
        "created_at",
    )
    list_filter = ("status", "coordinator", "district")
    search_fields = ("first_name", "last_name", "district")
    list_select_related = ("coordinator",)
    readonly_fields = ("public_id", "last_contact_at", "created_by", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "public_id",
                    "first_name",
                    "last_name",
                    "status",
                    "coordinator",
                    "max_volunteers",
                )
            },
        ),
        (
            _("Contact"),
            {"fields": ("phone", "email", "address", "district", "latitude", "longitude")},
        ),
        (
            _("Needs and preferences"),
            {"fields": ("needs", "preferred_times", "interests", "languages", "notes")},
        ),
        (_("History"), {"fields": ("last_contact_at", "created_by", "created_at", "updated_at")}),
    )
    inlines = [ConsentInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from people.services import log_access

        person = self.get_object(request, object_id)
        if (
            person is not None
            and self.has_view_permission(request, person)
            and request.method == "GET"
        ):
            log_access(person=person, user=request.user, channel=PersonAccessLog.Channel.ADMIN)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        from people.services import log_access

        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        log_access(
            person=obj,
            user=request.user,
            channel=PersonAccessLog.Channel.ADMIN,
            action=PersonAccessLog.Action.UPDATE if change else PersonAccessLog.Action.CREATE,
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ConsentRecord) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(PersonAccessLog)
class PersonAccessLogAdmin(ReadOnlyRoleAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user_email", "person", "channel", "action")
    list_filter = ("channel", "action")
    search_fields = ("user_email", "person_public_id", "person__first_name", "person__last_name")
    list_select_related = ("person",)
    date_hierarchy = "at"
