"""The kinds of notice a worker can choose, and the channels. Every kind has its templates
(templates/notifications/email/<kind>.txt, <kind>_subject.txt, sms/<kind>.txt); the app
that owns the data composes its notices (docs/notifications.md lists who sends which).
A new kind goes here, with its templates, and appears on the preferences page and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SHIFT_CONFIRMED = "shift_confirmed", _("Shift confirmed")
    SHIFT_CANCELLED = "shift_cancelled", _("Shift cancelled")
    OPEN_SHIFTS = "open_shifts", _("New open shifts for you (daily digest)")
    CREDENTIAL_EXPIRING = "credential_expiring", _("A credential of yours is about to expire")
    VOTING_OPENED = "voting_opened", _("Voting opened")
    VOTING_CLOSING = "voting_closing", _("Voting closes in 24 hours and you have not voted")
    PAY_STATEMENT = "pay_statement", _("Pay statement ready")
    CANDIDACY_STEPS = "candidacy_steps", _("Candidacy steps due")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
