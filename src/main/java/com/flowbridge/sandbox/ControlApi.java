package com.flowbridge.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The sandbox's own API under {@code /sandbox}, for tests and demos that run the sandbox in another process:
 * JSON in and out, no api-secret. Sessions and their data are in {@link ControlDataApi}, faults, latency and
 * the request log in {@link ControlTrafficApi}.
 */
final class ControlApi implements Function<Call, Answer> {

    private final SandboxState state;
    private final SandboxListener listener;
    private final Routes routes = new Routes();

    ControlApi(SandboxState state, SandboxListener listener) {
        this.state = state;
        this.listener = listener;
        routes.on("POST", "/reset", this::reset).on("GET", "/health", this::health).on("POST", "/outage", this::outage);
        new ControlDataApi(state).addTo(routes);
        new ControlTrafficApi(state).addTo(routes);
    }

    @Override
    public Answer apply(Call call) {
        return routes.answer(call);
    }

    static Answer ok() {
        return Answer.json(200, Json.object().put("status", "ok"));
    }

    /** {@code POST /sandbox/reset}: back to the sample data, no faults, no latency, request log cleared. */
    private Answer reset(Call call, List<String> params) {
        state.reset();
        return ok();
    }

    /**
     * {@code POST /sandbox/outage {"ms": 60000}}: FLOW unreachable for that long. Answered first; then the sandbox
     * stops listening (connections refused, the control API too) and listens again on the same port, state intact.
     */
    private Answer outage(Call call, List<String> params) {
        int ms = Json.requiredInt(call.jsonBody(), "ms");
        if (ms <= 0) {
            throw ApiError.badRequest("ms must be positive");
        }
        listener.closeFor(Duration.ofMillis(ms));
        return ok();
    }

    /** {@code GET /sandbox/health}: {"status":"UP"} once the sandbox serves. */
    private Answer health(Call call, List<String> params) {
        return Answer.json(200, Json.object().put("status", "UP"));
    }
}
