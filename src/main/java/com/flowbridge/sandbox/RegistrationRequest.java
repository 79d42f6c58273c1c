package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** The body of FLOW's {@code POST /registrants}, checked the way FLOW answers: 400 naming the wrong field. */
record RegistrationRequest(String email, String firstName, String lastName, String sessionToken, boolean redirect) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    static RegistrationRequest from(ObjectNode body) {
        String email = Json.requiredText(body, "email").trim();
        if (!EMAIL.matcher(email).matches()) {
            throw ApiError.badRequest("email is not a valid email address");
        }
        return new RegistrationRequest(email, Json.requiredText(body, "firstName"), Json.requiredText(body, "lastName"),
                Json.requiredText(body, "eventSessionToken"), body.path("redirect").asBoolean());
    }

    ObjectNode registrant() {
        return Json.object().put("email", email).put("firstName", firstName).put("lastName", lastName);
    }
}
