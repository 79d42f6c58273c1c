package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.sandbox.FlowEndpoint.Shape;
import java.util.List;

/** Control endpoints about the traffic: answer shapes, faults, latency, a rate limit, the request log and command ids. */
final class ControlTrafficApi {

    private final SandboxState state;

    ControlTrafficApi(SandboxState state) {
        this.state = state;
    }

    void addTo(Routes routes) {
        routes.on("POST", "/shape", this::setShape)
                .on("POST", "/faults", this::addFault)
                .on("GET", "/faults", this::faults)
                .on("DELETE", "/faults", this::clearFaults)
                .on("POST", "/latency", this::setLatency)
                .on("POST", "/rate-limit", this::setRateLimit)
                .on("GET", "/rate-limit", this::rateLimit)
                .on("DELETE", "/rate-limit", this::clearRateLimit)
                .on("GET", "/requests", this::requests)
                .on("GET", "/requests/count", this::requestCount)
                .on("DELETE", "/requests", this::clearRequests)
                .on("GET", "/registrations/by-command-id", this::postsByCommandId);
    }

    /**
     * {@code POST /sandbox/shape {"endpoint"?: "eventsList", "shape": "bare"|"wrapped"|"default"}}: how JSON
     * answers are laid out, for one endpoint (eventsList, eventInfo, registration, eventCreation,
     * registrantList, surveys, operators, compiledReport) or, without endpoint, for all.
     */
    private Answer setShape(Call call, List<String> params) {
        ObjectNode body = call.jsonBody();
        FlowEndpoint endpoint = body.hasNonNull("endpoint") ? FlowEndpoint.named(body.get("endpoint").asText()) : null;
        state.setShape(endpoint, Shape.named(Json.requiredText(body, "shape")));
        return ControlApi.ok();
    }

    /** {@code POST /sandbox/faults} with a fault rule (see {@link FaultRule}); faults apply in the order added. */
    private Answer addFault(Call call, List<String> params) {
        state.addFault(FaultRule.fromJson(call.jsonBody()));
        return ControlApi.ok();
    }

    /** {@code GET /sandbox/faults}: the fault rules with their remaining uses. */
    private Answer faults(Call call, List<String> params) {
        return Answer.json(200, state.faults());
    }

    /** {@code DELETE /sandbox/faults}: removes every fault rule. */
    private Answer clearFaults(Call call, List<String> params) {
        state.clearFaults();
        return ControlApi.ok();
    }

    /** {@code POST /sandbox/latency {"method"?: "POST", "path"?: "/registrants", "ms": 20}}: {"ms": 0} clears it. */
    private Answer setLatency(Call call, List<String> params) {
        ObjectNode body = call.jsonBody();
        state.setLatency(body.path("method").textValue(), body.path("path").textValue(), Json.requiredInt(body, "ms"));
        return ControlApi.ok();
    }

    /**
     * {@code POST /sandbox/rate-limit {"requestsPerSecond": 40, "retryAfter"?: "1", "method"?, "path"?}}: FLOW's own
     * quota; beyond it 429 with that Retry-After ({@code "retryAfter": null}: none). See {@link RateLimit}.
     */
    private Answer setRateLimit(Call call, List<String> params) {
        state.rateLimiter().set(call.jsonBody());
        return ControlApi.ok();
    }

    /** {@code GET /sandbox/rate-limit}: the limit as set, and the requests served and refused under it. */
    private Answer rateLimit(Call call, List<String> params) {
        return Answer.json(200, state.rateLimit());
    }

    /** {@code DELETE /sandbox/rate-limit}: no limit. */
    private Answer clearRateLimit(Call call, List<String> params) {
        state.clearRateLimit();
        return ControlApi.ok();
    }

    /** {@code GET /sandbox/requests?method=POST&path=/registrants}: recorded FLOW API requests, newest last. */
    private Answer requests(Call call, List<String> params) {
        return Answer.json(200, Json.MAPPER.valueToTree(state.requests(call.query().get("method"), call.query().get("path"))));
    }

    /** {@code GET /sandbox/requests/count?method=POST&path=/registrants}: {"count": n}. */
    private Answer requestCount(Call call, List<String> params) {
        long count = state.requestCount(call.query().get("method"), call.query().get("path"));
        return Answer.json(200, Json.object().put("count", count));
    }

    /** {@code DELETE /sandbox/requests}: clears the request log and the command-id counts. */
    private Answer clearRequests(Call call, List<String> params) {
        state.clearRequests();
        return ControlApi.ok();
    }

    /** {@code GET /sandbox/registrations/by-command-id}: {"&lt;X-Command-Id&gt;": POSTs received}. */
    private Answer postsByCommandId(Call call, List<String> params) {
        return Answer.json(200, Json.MAPPER.valueToTree(state.postsByCommandId()));
    }
}
