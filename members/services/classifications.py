"""A co-op's own catalogue: its job classifications and the credential types they require.

Codes are unique per co-op and fixed once created (imports, the API and wage-table files
name classifications by code); names are unique too, so no two entries look alike in a
form. Deleting is for mistakes only: anything that refers to the entry refuses it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from members.models import CredentialRequirement, CredentialType, JobClassification


def _clean_code(code: str) -> str:
    return (code or "").strip().lower()


def _check_unique(model, *, cooperative: Cooperative, code: str | None, name: str, exclude_pk=None) -> None:
    """Raise a ValidationError naming the entry that already holds `code` or `name`."""
    label = model._meta.verbose_name
    others = model.objects.filter(cooperative=cooperative).exclude(pk=exclude_pk)
    errors = {}
    if code is not None and (taken := others.filter(code__iexact=code).first()):
        errors["code"] = f"The code {code!r} is already used by the {label} “{taken.name}” here."
    if taken := others.filter(name__iexact=name).first():
        errors["name"] = f"A {label} named “{taken.name}” exists already here (code {taken.code!r})."
    if errors:
        raise ValidationError(errors)


def _save(obj) -> None:
    """full_clean and save; a duplicate slipped in by a concurrent request is the same clear error."""
    obj.full_clean(validate_unique=False, validate_constraints=False)  # checked above, with better words
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError({"code": f"The code {obj.code!r} was taken a moment ago; choose another."}) from None


def _uses(obj: models.Model, *, ignore: tuple = ()) -> list[str]:
    """What refers to `obj`, as "3 shifts", one count per kind of row (models that point to it
    with a foreign key; found from the model graph, so rows added by later issues count too)."""
    uses = []
    for rel in obj._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model in ignore:
            continue
        meta = rel.related_model._meta
        # _base_manager: filtered by this object's id, so no other co-op's row can count.
        n = rel.related_model._base_manager.filter(**{rel.field.name: obj}).count()
        if n:
            uses.append(f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}")
    return uses


def _requirement_codes(credential_type: CredentialType) -> list[str]:
    return sorted(
        CredentialRequirement.objects.filter(credential_type=credential_type).values_list("classification__code", flat=True)
    )


# --- job classifications -------------------------------------------------------------------


@transaction.atomic
def job_classification_create(*, cooperative: Cooperative, code: str, name: str, is_active: bool = True,
                              created_by=None) -> JobClassification:
    """Add a job classification. Raises ValidationError for a code or name already used here."""
    code, name = _clean_code(code), (name or "").strip()
    _check_unique(JobClassification, cooperative=cooperative, code=code, name=name)
    classification = JobClassification(cooperative=cooperative, code=code, name=name, is_active=is_active)
    _save(classification)
    audit_log(cooperative=cooperative, action="members.classification.created", user=created_by, obj=classification,
              after={"code": code, "name": name, "is_active": is_active})
    return classification


@transaction.atomic
def job_classification_update(*, classification: JobClassification, name: str | None = None,
                              is_active: bool | None = None, updated_by=None) -> JobClassification:
    """Rename or (de)activate a classification; an inactive one is no longer offered for new
    hires, job orders and wage tables, and everything recorded under it stays."""
    classification = JobClassification.objects.select_for_update().get(pk=classification.pk)
    before = {"name": classification.name, "is_active": classification.is_active}
    if name is not None:
        classification.name = name.strip()
        _check_unique(JobClassification, cooperative=classification.cooperative, code=None, name=classification.name,
                      exclude_pk=classification.pk)
    if is_active is not None:
        classification.is_active = is_active
    after = {"name": classification.name, "is_active": classification.is_active}
    if after != before:
        _save(classification)
        audit_log(cooperative=classification.cooperative, action="members.classification.updated", user=updated_by,
                  obj=classification, before=before, after=after)
    return classification


@transaction.atomic
def job_classification_delete(*, classification: JobClassification, deleted_by=None) -> None:
    """Delete a classification nothing refers to (a mistake); its credential requirements go
    with it. Raises ValidationError saying what uses it otherwise: deactivate it instead."""
    classification = JobClassification.objects.select_for_update().get(pk=classification.pk)
    if uses := _uses(classification, ignore=(CredentialRequirement,)):
        raise ValidationError(
            f"{classification.name} is in use ({', '.join(uses)}), so it cannot be deleted; deactivate it instead."
        )
    required = sorted(
        CredentialRequirement.objects.filter(classification=classification).values_list("credential_type__code", flat=True)
    )
    audit_log(cooperative=classification.cooperative, action="members.classification.deleted", user=deleted_by,
              obj=classification, before={"code": classification.code, "name": classification.name,
                                          "required_credentials": required})
    classification.delete()


# --- credential types ----------------------------------------------------------------------


def _set_requirements(credential_type: CredentialType, required_for) -> None:
    wanted = {c.pk: c for c in required_for}
    for c in wanted.values():
        if c.cooperative_id != credential_type.cooperative_id:
            raise ValidationError({"required_for": "A classification belongs to another cooperative."})
    CredentialRequirement.objects.filter(credential_type=credential_type).exclude(classification_id__in=wanted).delete()
    have = set(CredentialRequirement.objects.filter(credential_type=credential_type).values_list("classification_id", flat=True))
    CredentialRequirement.objects.bulk_create(
        CredentialRequirement(cooperative_id=credential_type.cooperative_id, credential_type=credential_type, classification=c)
        for pk, c in wanted.items() if pk not in have
    )


@transaction.atomic
def credential_type_create(*, cooperative: Cooperative, code: str, name: str, expires: bool = True,
                           required_for=(), created_by=None) -> CredentialType:
    """Add a credential type, required for the classifications `required_for`: from then on
    a worker needs one on file, valid through the shift, to take a shift in them
    (placements.services.matching). Raises ValidationError for a code or name already used."""
    code, name = _clean_code(code), (name or "").strip()
    _check_unique(CredentialType, cooperative=cooperative, code=code, name=name)
    credential_type = CredentialType(cooperative=cooperative, code=code, name=name, expires=expires)
    _save(credential_type)
    _set_requirements(credential_type, required_for)
    audit_log(cooperative=cooperative, action="members.credential_type.created", user=created_by, obj=credential_type,
              after={"code": code, "name": name, "expires": expires, "required_for": _requirement_codes(credential_type)})
    return credential_type


@transaction.atomic
def credential_type_update(*, credential_type: CredentialType, name: str | None = None, expires: bool | None = None,
                           required_for=None, updated_by=None) -> CredentialType:
    """Rename a credential type, say whether it expires, and set the classifications that
    require it (`None` leaves each as it is). Shifts not yet assigned are checked against the
    new requirements; assignments made already stand."""
    credential_type = CredentialType.objects.select_for_update().get(pk=credential_type.pk)
    before = {"name": credential_type.name, "expires": credential_type.expires,
              "required_for": _requirement_codes(credential_type)}
    if name is not None:
        credential_type.name = name.strip()
        _check_unique(CredentialType, cooperative=credential_type.cooperative, code=None, name=credential_type.name,
                      exclude_pk=credential_type.pk)
    if expires is not None:
        credential_type.expires = expires
    if (credential_type.name, credential_type.expires) != (before["name"], before["expires"]):
        _save(credential_type)
    if required_for is not None:
        _set_requirements(credential_type, required_for)
    after = {"name": credential_type.name, "expires": credential_type.expires,
             "required_for": _requirement_codes(credential_type)}
    if after != before:
        audit_log(cooperative=credential_type.cooperative, action="members.credential_type.updated", user=updated_by,
                  obj=credential_type, before=before, after=after)
    return credential_type


@transaction.atomic
def credential_type_delete(*, credential_type: CredentialType, deleted_by=None) -> None:
    """Delete a credential type no worker's credential refers to (a mistake); its
    requirements go with it. Raises ValidationError saying what uses it otherwise."""
    credential_type = CredentialType.objects.select_for_update().get(pk=credential_type.pk)
    if uses := _uses(credential_type, ignore=(CredentialRequirement,)):
        raise ValidationError(f"{credential_type.name} is in use ({', '.join(uses)}), so it cannot be deleted.")
    audit_log(cooperative=credential_type.cooperative, action="members.credential_type.deleted", user=deleted_by,
              obj=credential_type, before={"code": credential_type.code, "name": credential_type.name,
                                           "required_for": _requirement_codes(credential_type)})
    credential_type.delete()


# --- the standard list ---------------------------------------------------------------------

# Healthcare classifications of the case study; each co-op edits its own copy.
DEFAULT_CLASSIFICATIONS = [
    ("rn", "Registered Nurse"),
    ("lvn", "Licensed Vocational Nurse"),
    ("cna", "Certified Nursing Assistant"),
    ("ma", "Medical Assistant"),
    ("lab-tech", "Clinical Lab Technician"),
    ("phlebotomist", "Phlebotomist"),
    ("rt", "Respiratory Therapist"),
    ("slp", "Speech-Language Pathologist"),
    ("coder", "Medical Coder"),
]
# (code, name, expires, codes of the classifications that require it)
DEFAULT_CREDENTIALS = [
    ("rn-licence", "California RN licence", True, ["rn"]),
    ("lvn-licence", "California LVN licence", True, ["lvn"]),
    ("cna-cert", "CNA certificate", True, ["cna"]),
    ("bls", "Basic Life Support (BLS)", True, ["rn", "lvn", "cna", "ma", "rt"]),
    ("acls", "Advanced Cardiac Life Support (ACLS)", True, ["rt"]),
    ("phlebotomy-cert", "Certified Phlebotomy Technician (CPT I)", True, ["phlebotomist"]),
    ("rcp-licence", "Respiratory Care Practitioner licence", True, ["rt"]),
    ("slp-licence", "SLP licence", True, ["slp"]),
    ("cls-licence", "Clinical Lab Scientist licence", True, ["lab-tech"]),
    ("ccs", "Certified Coding Specialist", False, ["coder"]),
    ("tb-test", "TB test", True, ["rn", "lvn", "cna", "ma", "phlebotomist", "rt", "lab-tech"]),
]


@dataclass(frozen=True)
class StandardList:
    """Entries of the standard list: classifications as (code, name), credential types as
    (code, name, expires, required_for codes)."""

    classifications: list[tuple]
    credential_types: list[tuple]

    def __bool__(self) -> bool:
        return bool(self.classifications or self.credential_types)


def standard_list_missing(cooperative: Cooperative) -> StandardList:
    """What "Start from the standard list" would add: the entries whose code and name the
    co-op uses for nothing yet (a renamed or deactivated entry counts as there). Two queries."""

    def taken(model):
        codes, names = set(), set()
        for code, name in model.objects.filter(cooperative=cooperative).values_list("code", "name"):
            codes.add(code.lower())
            names.add(name.casefold())
        return codes, names

    codes, names = taken(JobClassification)
    classifications = [(c, n) for c, n in DEFAULT_CLASSIFICATIONS if c not in codes and n.casefold() not in names]
    codes, names = taken(CredentialType)
    credential_types = [row for row in DEFAULT_CREDENTIALS if row[0] not in codes and row[1].casefold() not in names]
    return StandardList(classifications, credential_types)


@transaction.atomic
def classifications_seed_defaults(*, cooperative: Cooperative, seeded_by=None) -> StandardList:
    """Add the standard list's classifications and credential types the co-op lacks (see
    `standard_list_missing`), each through its create service (and its audit), plus one
    `members.classification.standard_added` event naming them. A new credential type
    requires the co-op's classifications of the standard codes; the co-op's own entries are
    left as they are. Idempotent: a second run adds nothing and records nothing. Returns the
    created objects."""
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)  # two clicks at once add once
    missing = standard_list_missing(cooperative)
    classifications = [
        job_classification_create(cooperative=cooperative, code=code, name=name, created_by=seeded_by)
        for code, name in missing.classifications
    ]
    by_code = {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    credential_types = [
        credential_type_create(cooperative=cooperative, code=code, name=name, expires=expires, created_by=seeded_by,
                               required_for=[by_code[c] for c in required_for if c in by_code])
        for code, name, expires, required_for in missing.credential_types
    ]
    added = StandardList(classifications, credential_types)
    if added:
        audit_log(cooperative=cooperative, action="members.classification.standard_added", user=seeded_by, obj=cooperative,
                  data={"classifications": [c.code for c in classifications],
                        "credential_types": [t.code for t in credential_types]})
    return added
