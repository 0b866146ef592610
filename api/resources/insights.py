"""The cohort insight: how the firm's clients fare, per requirement kind, template and coach."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal
from api.resources.common import services, v1_blueprint
from api.schemas.insights import InsightQuerySchema, InsightSchema
from domain.dates import add_months

blp = v1_blueprint("insights", "Cohort insight across the organisation's clients")


@blp.route("/insights")
class Insights(MethodView):
    @blp.arguments(InsightQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, InsightSchema)
    @blp.doc(operationId="getInsights")
    def get(self, query):
        """Cohort insight: goals achieved and stalled per requirement kind and template, review
        outcomes, momentum and clients needing attention per coach (a coach key sees its own clients).

        Goals are those set from `from` to `to`; every judgement is made as of
        `to` in business time, with the caseload's and momentum's definitions.
        Filter by coach, template and cohort (enrolment month).
        """
        who = principal()
        coach_id = who.coach_id if who.role == "coach" else query["coach_id"]
        end = query["end"] or services().clock().date()
        start = query["start"] or add_months(end, -3)
        return services().insights.report(
            who.organisation_id,
            start,
            end,
            stall_days=query["stall_days"],
            coach_id=coach_id,
            template_id=query["template_id"],
            cohort=query["cohort"],
        )
