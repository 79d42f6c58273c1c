package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** FLOW's event calls: events list, event info, event creation and the operator list. */
final class EventsApi {

    private static final Map<String, Integer> PERIODS =
            Map.of("future", SessionEntry.FUTURE, "current", SessionEntry.LIVE, "past", SessionEntry.PAST);

    private final SandboxState state;

    EventsApi(SandboxState state) {
        this.state = state;
    }

    void addTo(Routes routes) {
        routes.on("GET", "/events/sessions", this::eventsList)
                .on("GET", "/events/sessions/public/{sessionToken}", this::eventInfo)
                .on("POST", "/events", this::createEvent)
                .on("GET", "/operators", this::operators);
    }

    /**
     * {@code GET /events/sessions?period=&periodName=&simple_analytics=1}: a summary of each session, filtered
     * by {@code period} and/or {@code periodName} (current, past, future); neither gives every session.
     */
    private Answer eventsList(Call call, List<String> params) {
        IntPredicate inPeriod = period(call.query().get("period")).and(period(call.query().get("periodName")));
        ArrayNode sessions = Json.array().addAll(state.store().summaries(inPeriod));
        return state.shapes().ok(FlowEndpoint.EVENTS_LIST, sessions);
    }

    private static IntPredicate period(String name) {
        if (name == null || name.isEmpty()) {
            return accessStatus -> true;
        }
        Integer wanted = PERIODS.get(name);
        if (wanted == null) {
            throw ApiError.badRequest("period must be current, past or future, not " + name);
        }
        return accessStatus -> accessStatus == wanted;
    }

    /** {@code GET /events/sessions/public/{sessionToken}}: the full session object. */
    private Answer eventInfo(Call call, List<String> params) {
        ObjectNode session = state.store().info(params.get(0)).orElseThrow(() -> ApiError.notFound("Session not found"));
        return state.shapes().ok(FlowEndpoint.EVENT_INFO, session);
    }

    /** {@code POST /events}: creates a future session; answers its token, eventToken and title. */
    private Answer createEvent(Call call, List<String> params) {
        ObjectNode session = EventCreationRequest.toSession(call.jsonBody(), state.sample());
        state.store().upsert(session);
        ObjectNode created = Json.object().put("token", session.get("token").asText())
                .put("eventToken", session.get("eventToken").asText()).put("title", session.get("title").asText());
        return state.shapes().ok(FlowEndpoint.EVENT_CREATION, created);
    }

    /** {@code GET /operators}: the account's operators. */
    private Answer operators(Call call, List<String> params) {
        return state.shapes().ok(FlowEndpoint.OPERATORS, state.sample().operators());
    }
}
