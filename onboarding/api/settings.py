"""API of a co-op's set-up under /api/v1/c/<coop_slug>/settings/ (routed in onboarding/api/__init__.py):
the settings (GET/PATCH), the first-run checklist, and the job classifications and credential
types (list/create, read/update/delete by code)."""

from typing import TYPE_CHECKING

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.models import Cooperative
from members.selectors import classification_catalogue_qs, classifications_with_codes, credential_type_catalogue_qs
from members.services import classifications as catalogue
from onboarding import selectors
from onboarding.services.settings import cooperative_settings_update, setting_refusal

if TYPE_CHECKING:
    from members.models import JobClassification

PERMISSION = "coop.settings"


# --- serializers ---------------------------------------------------------------------------


class CooperativeSettingsSerializer(serializers.ModelSerializer):
    """The editable settings; on output also each one's default and, for those recorded
    history has fixed, why they can no longer change."""

    defaults = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Cooperative
        fields = [*selectors.EDITABLE_SETTINGS, "defaults", "locked"]

    def get_defaults(self, obj) -> dict:
        return {
            name: None if (default := selectors.setting_default(name)) is None else self.fields[name].to_representation(default)
            for name in selectors.EDITABLE_SETTINGS
        }

    def get_locked(self, obj) -> dict:
        return self.context.get("locks", {})

    def validate(self, attrs):
        # DRF would silently drop a key it does not know; a client trying to change the slug
        # (or misspelling a setting) is told so instead.
        unknown = {
            name: [setting_refusal(name) or "Read-only."]
            for name in self.initial_data if name not in selectors.EDITABLE_SETTINGS
        }
        if unknown:
            raise serializers.ValidationError(unknown)
        return attrs


class SetupChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    detail = serializers.CharField()
    url = serializers.CharField()


class ClassificationSetupSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40, help_text="Fixed once created, e.g. 'rn'.")
    name = serializers.CharField(max_length=120)
    is_active = serializers.BooleanField(default=True)
    required_credentials = serializers.SerializerMethodField()

    def get_required_credentials(self, obj) -> list[str]:
        return [c.code for c in obj.required_credentials.all()]


class CredentialTypeSetupSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40, help_text="Fixed once created, e.g. 'bls'.")
    name = serializers.CharField(max_length=120)
    expires = serializers.BooleanField(default=True)
    required_for = serializers.ListField(
        child=serializers.SlugField(), default=list, help_text="Codes of the classifications that require it."
    )

    def to_representation(self, instance):
        return {"code": instance.code, "name": instance.name, "expires": instance.expires,
                "required_for": [c.code for c in instance.required_for.all()]}


def _refuse_code_change(obj, data) -> None:
    if "code" in data and data["code"] != obj.code:
        message = "The code is fixed once created (imports and the API name it); add a new entry instead."
        raise serializers.ValidationError({"code": [message]})


def _classifications(cooperative, codes: list[str]) -> "list[JobClassification]":
    found = classifications_with_codes(cooperative, codes)
    if missing := [code for code in codes if code not in found]:
        raise serializers.ValidationError({"required_for": [
            f"No classification {', '.join(repr(c) for c in missing)} in this cooperative."
        ]})
    return list(found.values())


def _classification_rows(cooperative):
    return classification_catalogue_qs(cooperative, order="code")


def _credential_rows(cooperative):
    return credential_type_catalogue_qs(cooperative, order="code")


def _one(queryset, code: str, what: str):
    found = queryset.filter(code=code).first()
    if found is None:
        raise NotFound(f"No {what} {code!r} in this cooperative.")
    return found


# --- views ---------------------------------------------------------------------------------


class SettingsView(CooperativeAPIView):
    """The co-op's bylaws settings. PATCH any subset; each change is audited."""

    required_permission = PERMISSION

    def _body(self):
        context = {"locks": selectors.settings_locks(self.cooperative)}
        return CooperativeSettingsSerializer(self.cooperative, context=context).data

    @extend_schema(responses=CooperativeSettingsSerializer)
    def get(self, request, coop_slug):
        return Response(self._body())

    @extend_schema(request=CooperativeSettingsSerializer, responses={
        200: CooperativeSettingsSerializer,
        400: OpenApiResponse(description="A value is invalid, not editable here, or fixed by recorded history."),
    })
    def patch(self, request, coop_slug):
        serializer = CooperativeSettingsSerializer(self.cooperative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        cooperative_settings_update(
            cooperative=self.cooperative, changes=dict(serializer.validated_data), updated_by=request.user
        )
        return Response(self._body())


class ChecklistView(CooperativeAPIView):
    """The first-run checklist: each item done or not, with the page that does it."""

    required_permission = PERMISSION

    @extend_schema(responses=SetupChecklistItemSerializer(many=True))
    def get(self, request, coop_slug):
        items = selectors.setup_checklist(self.cooperative, today=self.cooperative.today())
        return Response(SetupChecklistItemSerializer(items, many=True).data)


class ClassificationListView(CooperativeListAPIView):
    required_permission = PERMISSION
    serializer_class = ClassificationSetupSerializer

    def get_queryset(self):
        return _classification_rows(self.cooperative)

    @extend_schema(request=ClassificationSetupSerializer, responses={201: ClassificationSetupSerializer})
    def post(self, request, coop_slug):
        data = ClassificationSetupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = catalogue.job_classification_create(cooperative=self.cooperative, created_by=request.user,
                                                      **data.validated_data)
        created = _one(_classification_rows(self.cooperative), created.code, "classification")  # with its requirements
        return Response(ClassificationSetupSerializer(created).data, status=status.HTTP_201_CREATED)


class ClassificationDetailView(CooperativeAPIView):
    """One classification by code. PATCH name and is_active; DELETE only if nothing uses it."""

    required_permission = PERMISSION

    def _get(self, code):
        return _one(_classification_rows(self.cooperative), code, "classification")

    @extend_schema(responses=ClassificationSetupSerializer)
    def get(self, request, coop_slug, classification_code):
        return Response(ClassificationSetupSerializer(self._get(classification_code)).data)

    @extend_schema(request=ClassificationSetupSerializer, responses=ClassificationSetupSerializer)
    def patch(self, request, coop_slug, classification_code):
        classification = self._get(classification_code)
        data = ClassificationSetupSerializer(classification, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _refuse_code_change(classification, data.validated_data)
        catalogue.job_classification_update(classification=classification, updated_by=request.user,
                                            name=data.validated_data.get("name"), is_active=data.validated_data.get("is_active"))
        return Response(ClassificationSetupSerializer(self._get(classification_code)).data)

    @extend_schema(responses={204: None, 400: OpenApiResponse(description="In use: what uses it is named.")})
    def delete(self, request, coop_slug, classification_code):
        catalogue.job_classification_delete(classification=self._get(classification_code), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CredentialTypeListView(CooperativeListAPIView):
    required_permission = PERMISSION
    serializer_class = CredentialTypeSetupSerializer

    def get_queryset(self):
        return _credential_rows(self.cooperative)

    @extend_schema(request=CredentialTypeSetupSerializer, responses={201: CredentialTypeSetupSerializer})
    def post(self, request, coop_slug):
        data = CredentialTypeSetupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        created = catalogue.credential_type_create(
            cooperative=self.cooperative, created_by=request.user, code=d["code"], name=d["name"], expires=d["expires"],
            required_for=_classifications(self.cooperative, d["required_for"]),
        )
        created = _one(_credential_rows(self.cooperative), created.code, "credential type")  # with its requirements
        return Response(CredentialTypeSetupSerializer(created).data, status=status.HTTP_201_CREATED)


class CredentialTypeDetailView(CooperativeAPIView):
    """One credential type by code. PATCH name, expires, required_for (the whole list);
    DELETE only if no worker's credential is of this type."""

    required_permission = PERMISSION

    def _get(self, code):
        return _one(_credential_rows(self.cooperative), code, "credential type")

    @extend_schema(responses=CredentialTypeSetupSerializer)
    def get(self, request, coop_slug, credential_code):
        return Response(CredentialTypeSetupSerializer(self._get(credential_code)).data)

    @extend_schema(request=CredentialTypeSetupSerializer, responses=CredentialTypeSetupSerializer)
    def patch(self, request, coop_slug, credential_code):
        credential_type = self._get(credential_code)
        data = CredentialTypeSetupSerializer(credential_type, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        _refuse_code_change(credential_type, d)
        catalogue.credential_type_update(
            credential_type=credential_type, updated_by=request.user, name=d.get("name"), expires=d.get("expires"),
            required_for=_classifications(self.cooperative, d["required_for"]) if "required_for" in d else None,
        )
        return Response(CredentialTypeSetupSerializer(self._get(credential_code)).data)

    @extend_schema(responses={204: None, 400: OpenApiResponse(description="In use: what uses it is named.")})
    def delete(self, request, coop_slug, credential_code):
        catalogue.credential_type_delete(credential_type=self._get(credential_code), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StandardClassificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StandardCredentialTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    expires = serializers.BooleanField()
    required_for = serializers.ListField(child=serializers.CharField())


class StandardListSerializer(serializers.Serializer):
    classifications = StandardClassificationSerializer(many=True)
    credential_types = StandardCredentialTypeSerializer(many=True)


def _standard_body(classifications, credential_types) -> dict:
    return StandardListSerializer({
        "classifications": [{"code": code, "name": name} for code, name in classifications],
        "credential_types": [{"code": code, "name": name, "expires": expires, "required_for": required_for}
                             for code, name, expires, required_for in credential_types],
    }).data


class StandardListView(CooperativeAPIView):
    """The standard list of job classifications and credential types: GET what it would add
    (both lists empty once everything is here); POST adds it (audited). A POST with nothing
    left to add is a 400 and changes nothing."""

    required_permission = PERMISSION

    @extend_schema(responses=StandardListSerializer)
    def get(self, request, coop_slug):
        missing = catalogue.standard_list_missing(self.cooperative)
        return Response(_standard_body(missing.classifications, missing.credential_types))

    @extend_schema(request=None, responses={
        201: StandardListSerializer, 400: OpenApiResponse(description="Everything on the standard list is here already."),
    })
    def post(self, request, coop_slug):
        added = catalogue.classifications_seed_defaults(cooperative=self.cooperative, seeded_by=request.user)
        if not added:
            raise serializers.ValidationError({"detail": ["Everything on the standard list is here already."]})
        body = _standard_body(
            [(c.code, c.name) for c in added.classifications],
            [(t.code, t.name, t.expires, sorted(c.code for c in t.required_for.all())) for t in added.credential_types],
        )
        return Response(body, status=status.HTTP_201_CREATED)
