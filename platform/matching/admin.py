from accounts.admin_roles import RoleModelAdmin
from django.contrib import admin

from matching.models import Circle, CircleMembership, Proposal


class MembershipInline(admin.TabularInline):
    model = CircleMembership
    extra = 0
    fields = ("volunteer", "joined_at", "left_at", "left_reason")
    readonly_fields = ("volunteer", "joined_at")

    def has_add_permission(self, request, obj=None):
        return False  # volunteers join through a confirmed proposal (capacity is checked there)


@admin.register(Circle)
class CircleAdmin(RoleModelAdmin):
    list_display = ("title", "person", "status", "created_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("title", "person__first_name", "person__last_name")
    list_select_related = ("person",)
    readonly_fields = ("public_id", "person", "created_at", "closed_at")
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False


@admin.register(Proposal)
class ProposalAdmin(RoleModelAdmin):
    list_display = (
        "person",
        "volunteer",
        "status",
        "score",
        "proposed_by",
        "created_at",
        "expires_at",
    )
    list_filter = ("status",)
    search_fields = (
        "person__first_name",
        "person__last_name",
        "volunteer__full_name",
        "volunteer__email",
    )
    list_select_related = ("person", "volunteer", "proposed_by")
    readonly_fields = (
        "public_id",
        "person",
        "volunteer",
        "proposed_by",
        "status",
        "score",
        "reasons",
        "response_reason",
        "responded_at",
        "decided_by",
        "decided_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False  # proposals are made through the API, which checks eligibility
