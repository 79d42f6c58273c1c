package com.flowbridge.sandbox;

import java.util.List;
import java.util.function.Function;

/**
 * The sandbox's own API under {@code /sandbox}, for tests and demos that run the sandbox in another process:
 * JSON in and out, no api-secret. Sessions and their data are in {@link ControlDataApi}, faults, latency and
 * the request log in {@link ControlTrafficApi}.
 */
final class ControlApi implements Function<Call, Answer> {

    private final SandboxState state;
    private final Routes routes = new Routes();

    ControlApi(SandboxState state) {
        this.state = state;
        routes.on("POST", "/reset", this::reset).on("GET", "/health", this::health);
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

    /** {@code GET /sandbox/health}: {"status":"UP"} once the sandbox serves. */
    private Answer health(Call call, List<String> params) {
        return Answer.json(200, Json.object().put("status", "UP"));
    }
}
