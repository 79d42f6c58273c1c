package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** FLOW's {@code POST /registrants}, including the SSO redirect. */
final class RegistrationApi {

    private final SandboxState state;

    RegistrationApi(SandboxState state) {
        this.state = state;
    }

    void addTo(Routes routes) {
        routes.on("POST", "/registrants", this::register);
    }

    /**
     * {@code POST /registrants {"email","firstName","lastName","eventSessionToken","redirect"?}}: answers the
     * registrant with its loginUrl, or with {@code redirect: true} a 302 to that loginUrl. Registering the
     * same email again answers the existing registrant.
     */
    private Answer register(Call call, List<String> params) {
        RegistrationRequest request = RegistrationRequest.from(call.jsonBody());
        ObjectNode registrant = state.store().register(request.sessionToken(), request.registrant());
        return request.redirect()
                ? Answer.redirect(registrant.get("loginUrl").asText())
                : state.shapes().ok(FlowEndpoint.REGISTRATION, registrant);
    }
}
