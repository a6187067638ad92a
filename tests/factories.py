"""factory_boy factories for the tenancy core. Tenant-owned rows are created with their
cooperative given explicitly (create() needs no scope; reads do)."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, Role, User

PASSWORD = "correct horse battery staple"


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"coop{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} Cooperative")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary address, as allauth requires to log in (verified=False to skip)."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CooperativeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperativeRole

    cooperative = factory.SubFactory(CooperativeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.WORKER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cooperative = factory.SubFactory(CooperativeFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.WORKER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    cooperative = factory.SubFactory(CooperativeFactory)
    action = "alliedup.test.recorded"
    object_repr = "something"
