"""Auditors prove a history unaltered: check the hash chain of one client or of the whole organisation."""

from __future__ import annotations

from flask.views import MethodView

from api.authentication import require_role
from api.resources.common import services, v1_blueprint
from api.schemas.trust import VerificationSchema
from services.plans.event_mapping import client_of
from services.plans.verification import ChainReport, verify_client, verify_organisation

blp = v1_blueprint(
    "verification", "Tamper evidence: every client's history is a hash chain that can be checked"
)
_SHOWN = 100


def _answer(report: ChainReport) -> dict:
    return {
        "intact": report.intact,
        "clients_checked": report.streams_checked,
        "events_checked": report.events_checked,
        "broken": [
            {
                "client_id": client_of(link.stream_id) or link.stream_id,
                "version": link.stream_version,
                "problem": link.problem,
            }
            for link in report.broken[:_SHOWN]
        ],
        "broken_count": len(report.broken),
    }


@blp.route("/clients/<uuid:client_id>/verification")
class ClientVerification(MethodView):
    @blp.response(200, VerificationSchema)
    @blp.doc(operationId="verifyClientHistory")
    def get(self, client_id):
        """Recompute the client's hash chain as stored and report its first broken link, if any."""
        return _answer(verify_client(services().store, str(client_id)))


@blp.route("/verification")
class OrganisationVerification(MethodView):
    @blp.response(200, VerificationSchema)
    @blp.doc(operationId="verifyOrganisationHistory")
    def get(self):
        """Recompute the hash chain of every client history of the organisation (admins and auditors)."""
        caller = require_role("admin", "auditor")
        return _answer(verify_organisation(services().store, caller.organisation_id))
