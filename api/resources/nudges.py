"""Nudges a coach can see: the client's recorded `NudgeDue` facts (the settings are in /v1/policy)."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.pagination import page
from api.resources.common import services, v1_blueprint
from api.schemas.nudges import NudgePageQuerySchema, NudgePageSchema
from services.nudges.listing import nudge_page

blp = v1_blueprint("nudges", "Nudges the daily sweep recorded for quiet clients")


@blp.route("/clients/<uuid:client_id>/nudges")
class Nudges(MethodView):
    @blp.arguments(NudgePageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, NudgePageSchema)
    @blp.doc(operationId="listNudges")
    def get(self, query, client_id):
        """The client's nudges, newest first: each day the daily sweep found them quiet, which goal and
        next milestone it suggested (also sent as the `client.nudge_due` webhook).

        A client is due a nudge when the organisation's policy enables nudges and
        they have neither checked in nor completed a milestone for `quiet_days`
        (business time), at most every `min_days_between` days; paused, achieved
        and dropped goals and archived clients are never nudged.
        """
        items, position = nudge_page(
            services().store, str(client_id), query["after"], query["limit"]
        )
        return page(items, position)
