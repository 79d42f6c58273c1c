package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** FLOW's report calls: registrant list, surveys, the compiled report and the per-kind CSV reports. */
final class ReportsApi {

    private final SandboxState state;

    ReportsApi(SandboxState state) {
        this.state = state;
    }

    void addTo(Routes routes) {
        routes.on("GET", "/reports/events/sessions/registrants/{sessionToken}", this::registrantList)
                .on("GET", "/reports/events/sessions/surveys/{sessionToken}", this::surveys)
                .on("GET", "/reports/events/sessions/csv/{sessionToken}", this::compiledReport)
                .on("GET", "/reports/events/sessions/registrants/csv/{sessionToken}", csv(ReportKinds.REGISTRANTS))
                .on("GET", "/reports/events/sessions/chat/attendees/csv/{sessionToken}", csv(ReportKinds.ATTENDEE_CHAT))
                .on("GET", "/reports/events/sessions/chat/operators/csv/{sessionToken}", csv(ReportKinds.OPERATOR_CHAT))
                .on("GET", "/reports/events/sessions/surveys/{sessionToken}/{surveyId}/csv",
                        (call, params) -> csvAnswer(params.get(0), ReportKinds.survey(params.get(1))));
    }

    /** {@code GET /reports/events/sessions/registrants/{sessionToken}}: the registrant objects. */
    private Answer registrantList(Call call, List<String> params) {
        ArrayNode registrants = Json.array().addAll(state.store().registrants(params.get(0)));
        return state.shapes().ok(FlowEndpoint.REGISTRANT_LIST, registrants);
    }

    /** {@code GET /reports/events/sessions/surveys/{sessionToken}}: [{"id","title","questions"}]. */
    private Answer surveys(Call call, List<String> params) {
        return state.shapes().ok(FlowEndpoint.SURVEYS, state.store().surveys(params.get(0)));
    }

    /**
     * {@code GET /reports/events/sessions/csv/{sessionToken}}: {"registrants","operatorChat","attendeeChat":
     * CSV text, "surveys": {id: CSV text}}; 404 before the session ended, 413 for a generated report too large.
     */
    private Answer compiledReport(Call call, List<String> params) {
        return state.shapes().ok(FlowEndpoint.COMPILED_REPORT, state.store().compiledReport(params.get(0)));
    }

    /** The per-kind CSV endpoints: the report's bytes verbatim, streamed. */
    private Routes.Handler csv(String kind) {
        return (call, params) -> csvAnswer(params.get(0), kind);
    }

    private Answer csvAnswer(String sessionToken, String kind) {
        return Answer.stream(Answer.CSV, state.store().report(sessionToken, kind)::writeTo);
    }
}
