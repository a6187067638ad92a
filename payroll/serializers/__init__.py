"""Serializers of the payroll API, one module per subject (the names are re-exported here, so
callers write `from payroll.serializers import X`): output shapes of the models and typed input for the
services. Input serializers only parse; the rules (tables that never overlap, a final run
that never changes, sick leave within the balance) live in payroll/services and come back
as 400s with field errors (the adjustment's bounds are asked of the service up front).

Money is a string with 2 decimals ("363.00"); wage and premium rates have 4 ("33.0000"),
as the rate columns keep them.
"""

from payroll.serializers.base import (  # noqa: F401
    HH_MM, MAX_UPLOAD_BYTES, Money, Rate, Hours, CsvUploadSerializer,
)
from payroll.serializers.wages import (  # noqa: F401
    CollectiveAgreementSerializer, WageStepSerializer, WageTableSerializer, DifferentialSerializer, CollectiveAgreementDetailSerializer, WageTableSetSerializer, WageTableCloseSerializer, DifferentialAddSerializer, WageTableImportSerializer, WageTableImportResultSerializer, MyWageSerializer,
)
from payroll.serializers.runs import (  # noqa: F401
    RUN_EXCEPTION_KINDS, PeriodSerializer, PeriodCreateSerializer, RunTotalsSerializer, RunSerializer, StatementSerializer, RunExceptionSerializer, RunDetailSerializer, PayLineSerializer, AdjustmentSerializer, AdjustmentAddSerializer, RunApproveSerializer, NegativePaySerializer, NegativePayRefusedSerializer, PayDeductionSerializer, RateSummarySerializer, StatementDetailSerializer, ResultsImportSerializer,
)
from payroll.serializers.reports import (  # noqa: F401
    WageFloorQuerySerializer, FloorRowSerializer, QuarterSerializer, WageFloorSerializer,
)
from payroll.serializers.leave import (  # noqa: F401
    SickLeaveEntrySerializer, SickLeaveSerializer, SickLeaveUseSerializer, HolidaySerializer, HolidayYearQuerySerializer, HolidayDaySerializer, StandardHolidaysSerializer,
)
