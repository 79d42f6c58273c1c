package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Control endpoints that read and change the FLOW data: sessions, registrants, surveys, reports, bulk data. */
final class ControlDataApi {

    private static final String SESSION = "/sessions/{token}";

    private final SandboxState state;

    ControlDataApi(SandboxState state) {
        this.state = state;
    }

    void addTo(Routes routes) {
        routes.on("GET", "/sessions", this::sessions)
                .on("GET", SESSION, this::session)
                .on("PUT", SESSION, this::upsertSession)
                .on("PATCH", SESSION, this::patchSession)
                .on("DELETE", SESSION, this::deleteSession)
                .on("GET", SESSION + "/registrants", this::registrants)
                .on("POST", SESSION + "/registrants", this::addRegistrant)
                .on("PATCH", SESSION + "/registrants/{email}", this::patchRegistrant)
                .on("DELETE", SESSION + "/registrants/{email}", this::removeRegistrant)
                .on("PUT", SESSION + "/surveys", this::setSurveys)
                .on("PUT", SESSION + "/reports/{kind}", this::setReport)
                .on("POST", SESSION + "/reports/{kind}/generate", this::generateReport)
                .on("POST", "/generate", this::generate);
    }

    /** {@code GET /sandbox/sessions}: every session's full info object. */
    private Answer sessions(Call call, List<String> params) {
        return Answer.json(200, Json.array().addAll(state.sessions()));
    }

    /** {@code GET /sandbox/sessions/{token}}: one session's info object; 404 if unknown. */
    private Answer session(Call call, List<String> params) {
        return Answer.json(200, state.session(params.get(0)).orElseThrow(() -> ApiError.notFound("Session not found")));
    }

    /** {@code PUT /sandbox/sessions/{token}} with a whole session object: adds it or replaces its info. */
    private Answer upsertSession(Call call, List<String> params) {
        ObjectNode session = call.jsonBody().put("token", params.get(0));
        state.upsertSession(session);
        return Answer.json(200, session);
    }

    /** {@code PATCH /sandbox/sessions/{token}} with fields to merge, e.g. {"accessStatus": 3}; null removes a field. */
    private Answer patchSession(Call call, List<String> params) {
        return Answer.json(200, state.patchSession(params.get(0), call.jsonBody()));
    }

    /** {@code DELETE /sandbox/sessions/{token}}. */
    private Answer deleteSession(Call call, List<String> params) {
        state.deleteSession(params.get(0));
        return ControlApi.ok();
    }

    /** {@code GET /sandbox/sessions/{token}/registrants}: the registrant objects. */
    private Answer registrants(Call call, List<String> params) {
        return Answer.json(200, Json.array().addAll(state.registrants(params.get(0))));
    }

    /** {@code POST /sandbox/sessions/{token}/registrants} with a registrant object: adds it, or replaces the one with its email. */
    private Answer addRegistrant(Call call, List<String> params) {
        return Answer.json(200, state.addRegistrant(params.get(0), call.jsonBody()));
    }

    /** {@code PATCH /sandbox/sessions/{token}/registrants/{email}} with fields to merge; null removes a field. */
    private Answer patchRegistrant(Call call, List<String> params) {
        return Answer.json(200, state.patchRegistrant(params.get(0), params.get(1), call.jsonBody()));
    }

    /** {@code DELETE /sandbox/sessions/{token}/registrants/{email}}. */
    private Answer removeRegistrant(Call call, List<String> params) {
        state.removeRegistrant(params.get(0), params.get(1));
        return ControlApi.ok();
    }

    /** {@code PUT /sandbox/sessions/{token}/surveys} with an array of {"id","title","questions"}. */
    private Answer setSurveys(Call call, List<String> params) {
        JsonNode surveys = Json.parse(call.body());
        if (!(surveys instanceof ArrayNode array)) {
            throw ApiError.badRequest("Request body must be a JSON array of surveys");
        }
        state.setSurveys(params.get(0), array);
        return ControlApi.ok();
    }

    /**
     * {@code PUT /sandbox/sessions/{token}/reports/{kind}} with a raw CSV body (UTF-8), served verbatim; kind is
     * registrants, attendeeChat, operatorChat or survey:&lt;surveyId&gt;.
     */
    private Answer setReport(Call call, List<String> params) {
        state.setReport(params.get(0), params.get(1), call.bodyText());
        return ControlApi.ok();
    }

    /** {@code POST /sandbox/sessions/{token}/reports/{kind}/generate {"rows": 1000000}}: a generated, streamed report. */
    private Answer generateReport(Call call, List<String> params) {
        state.generateLargeReport(params.get(0), params.get(1), Json.requiredInt(call.jsonBody(), "rows"));
        return ControlApi.ok();
    }

    /**
     * {@code POST /sandbox/generate {"sessions": 2000, "registrantsPerSession": 100, "accessStatus"?: 1}}: adds
     * sessions gen-00001... (accessStatus cycling 1, 2, 3 when not given).
     */
    private Answer generate(Call call, List<String> params) {
        ObjectNode body = call.jsonBody();
        int sessions = Json.requiredInt(body, "sessions");
        int registrants = Json.requiredInt(body, "registrantsPerSession");
        if (body.hasNonNull("accessStatus")) {
            state.generate(sessions, registrants, Json.requiredInt(body, "accessStatus"));
        } else {
            state.generate(sessions, registrants);
        }
        return ControlApi.ok();
    }
}
