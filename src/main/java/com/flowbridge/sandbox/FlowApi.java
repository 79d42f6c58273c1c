package com.flowbridge.sandbox;

import java.util.function.Function;

/**
 * The FLOW API as the product meets it, in this order: the call is counted per command id, refused (429) beyond
 * the rate limit if one is set, slowed by the configured latency, answered by an injected fault if one applies,
 * refused without the right api-secret, and otherwise served by the routes. Every call is recorded with the status it got.
 */
final class FlowApi implements Function<Call, Answer> {

    private final SandboxState state;
    private final ApiSecret apiSecret;
    private final Routes routes = new Routes();

    FlowApi(SandboxState state, ApiSecret apiSecret) {
        this.state = state;
        this.apiSecret = apiSecret;
        new EventsApi(state).addTo(routes);
        new RegistrationApi(state).addTo(routes);
        new ReportsApi(state).addTo(routes);
    }

    @Override
    public Answer apply(Call call) {
        state.commandIds().count(call);
        boolean apiSecretValid = apiSecret.isValid(call);
        Answer answer = serve(call, apiSecretValid);
        // Recorded before the answer is sent, so a test that has its answer also finds it in the log.
        state.requestLog().record(RecordedRequest.of(call, apiSecretValid, answer.status()));
        return answer;
    }

    private Answer serve(Call call, boolean apiSecretValid) {
        Answer tooMany = state.rateLimiter().refusal(call.method(), call.path());
        if (tooMany != null) {
            return tooMany;
        }
        pause(state.latency().millisFor(call.method(), call.path()));
        for (FaultRule fault : state.faultRules().claim(call.method(), call.path())) {
            pause(fault.delayMs());
            if (fault.answers()) {
                return fault.answer();
            }
        }
        if (!apiSecretValid) {
            return Answer.message(401, "Invalid or missing api-secret");
        }
        return routes.answer(call);
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
