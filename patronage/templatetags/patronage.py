"""Template tags through which members' pages and documents show patronage's part of a worker's
record (members sits below patronage and does not import it; its templates load these tags):

    {% load patronage %}
    {% redemption_schedules worker %}            the record page: with payment forms for staff
    {% redemption_schedules worker own=True %}   the worker's "My ownership" page
    {% lapse_redemption notice as redemption %}  the lapse notice (PDF)
"""

from django import template

from alliedup.permissions import can
from patronage import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def redemption_schedules(context, worker, own=False):
    """The worker's redemption schedules (newest exit first; nothing for someone who never
    left), rendered with patronage/_redemption.html in the page's own context, as an include
    would: on the record page with a payment form per unpaid installment for staff who manage
    patronage; `own` on the worker's own page, which offers none. Two queries."""
    request = context["request"]
    can_pay = not own and can(request.user, request.cooperative, "patronage.manage")
    section = context.template.engine.get_template("patronage/_redemption.html")
    with context.push(redemption=selectors.redemption_overviews(worker), own=own, can_pay_redemption=can_pay):
        return section.render(context)


@register.simple_tag
def lapse_redemption(notice):
    """The redemption schedule the lapse of a lapse notice created (a RedemptionOverview), or
    None: for a warning, or a lapse without a schedule. Two queries."""
    if notice.kind != "lapse":
        return None
    return next(
        (o for o in selectors.redemption_overviews(notice.worker)
         if o.schedule.reason == "lapse" and o.schedule.effective_on > notice.year_end), None,
    )
