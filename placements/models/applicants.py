"""People who apply through the public job board."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from alliedup.models import TenantModel


def resume_upload_to(instance, filename):
    # Random name, outside any publicly served folder: resumes carry personal data.
    dot = filename.rfind(".")
    return f"resumes/{instance.cooperative_id}/{uuid.uuid4().hex}{filename[dot:].lower()[:6] if dot != -1 else ''}"


class Applicant(TenantModel):
    """Someone who applied through the public job board."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HIRED = "hired", "Hired"
        DECLINED = "declined", "Declined"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    classification = models.ForeignKey("members.JobClassification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True, max_length=3000)
    resume = models.FileField(upload_to=resume_upload_to)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    decline_reason = models.CharField(max_length=300, blank=True)
    hired_worker = models.ForeignKey("members.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-applied_at"]
        indexes = [models.Index(fields=["cooperative", "status", "-applied_at"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
