"""Django admin for platform operators (scopes disabled there): the delivery log, read-only."""

from django.contrib import admin

from notifications.models import Delivery, NotificationSettings


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cooperative", "kind", "channel", "subject", "sent_at", "failed_at"]
    list_filter = ["cooperative", "kind", "channel"]
    search_fields = ["subject", "address"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "sms_enabled", "credential_notice_days", "open_shift_days", "updated_at"]
