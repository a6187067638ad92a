from datetime import date

import factory

from members.models import HoursEntry, JobClassification, Worker, WorkerClassification
from members.services.hours import hours_rollup_add
from tests.factories import CooperativeFactory


class JobClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobClassification
        django_get_or_create = ("cooperative", "code")

    cooperative = factory.SubFactory(CooperativeFactory)
    code = "ma"
    name = "Medical Assistant"


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker
        skip_postgeneration_save = True

    cooperative = factory.SubFactory(CooperativeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"worker{n}@example.com")
    hire_date = date(2025, 1, 6)

    @factory.post_generation
    def classifications(obj, create, extracted, **kwargs):
        """WorkerFactory(classifications=[ma, rn]) hires into those at step 1."""
        for classification in extracted or []:
            WorkerClassification.objects.create(
                cooperative=obj.cooperative, worker=obj, classification=classification, since=obj.hire_date
            )


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursEntry

    cooperative = factory.SelfAttribute("worker.cooperative")
    worker = factory.SubFactory(WorkerFactory)
    classification = factory.SubFactory(JobClassificationFactory, cooperative=factory.SelfAttribute("..cooperative"))
    workday = date(2026, 6, 1)
    hours = "8.00"
    source = HoursEntry.Source.TIMESHEET
    source_ref = factory.Sequence(lambda n: f"ts-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Written straight to the ledger, so added to the monthly rollup as the hours services do."""
        entry = super()._create(model_class, *args, **kwargs)
        hours_rollup_add(entry)
        return entry
