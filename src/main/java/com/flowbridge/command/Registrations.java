package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.EmittedState;

/**
 * Registration commands: {@code {"commandId"?, "email", "firstName", "lastName", "eventSessionToken", "redirect"?}},
 * carried out as FLOW's {@code POST /registrants}. Commands for the same person and session keep their order.
 */
public final class Registrations implements CommandType {

    static final int MAX_EMAIL = 254;
    static final int MAX_NAME = 200;
    static final int MAX_TOKEN = 200;
    /** Addresses as people type them: a local part, '@', a domain of dot-separated labels ending in a name. */
    private static final Pattern EMAIL = Pattern.compile(
        "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    /**
     * Session tokens travel in FLOW's URL paths (the registrant list), so they are held to the characters a path segment
     * carries as they are (RFC 3986's unreserved ones), and may not be a dot segment: no query, fragment, encoded slash,
     * placeholder or shell text can ride along.
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final int ENDED = 3;

    private final EmittedState sessions;
    private final boolean rejectEndedSessions;

    /**
     * @param sessions            what flow-bridge last published about FLOW's sessions
     * @param rejectEndedSessions whether a registration for a session known to have ended is rejected without asking FLOW
     */
    public Registrations(EmittedState sessions, boolean rejectEndedSessions) {
        this.sessions = sessions;
        this.rejectEndedSessions = rejectEndedSessions;
    }

    @Override
    public String kind() {
        return "registration";
    }

    @Override
    public List<FieldError> validate(ObjectNode command) {
        List<FieldError> errors = new ArrayList<>();
        Fields.commandId(command, errors);
        String email = Fields.requiredText(command, "email", MAX_EMAIL, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError("email", "is not a valid email address"));
        }
        Fields.requiredText(command, "firstName", MAX_NAME, errors);
        Fields.requiredText(command, "lastName", MAX_NAME, errors);
        String token = Fields.requiredText(command, "eventSessionToken", MAX_TOKEN, errors);
        if (token != null && !TOKEN.matcher(token).matches()) {
            errors.add(new FieldError("eventSessionToken", "must contain only letters, digits, '-', '_', '.' and '~'"));
        } else if (token != null && (token.equals(".") || token.equals(".."))) {
            errors.add(new FieldError("eventSessionToken", "must not be '.' or '..'"));
        }
        Fields.optionalBoolean(command, "redirect", errors);
        return errors;
    }

    /** Email lower-cased and trimmed, names and token trimmed, redirect false unless true. */
    @Override
    public byte[] normalised(ObjectNode command) {
        String name = String.join("\n", email(command), text(command, "firstName"), text(command, "lastName"),
            text(command, "eventSessionToken"), String.valueOf(command.path("redirect").asBoolean(false)));
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String lane(ObjectNode command, String commandId) {
        return commandKey(command, commandId);
    }

    /** {@code eventSessionToken:email} (email lower-cased): one person's commands for one session on one partition. */
    @Override
    public String commandKey(ObjectNode command, String commandId) {
        return text(command, "eventSessionToken") + ":" + email(command);
    }

    @Override
    public String refusal(ObjectNode command) {
        if (!rejectEndedSessions) {
            return null;
        }
        String token = text(command, "eventSessionToken");
        ObjectNode session = sessions.document("", token);
        if (session != null && session.path("accessStatus").asInt() == ENDED) {
            return "eventSessionToken " + token + " is a session that has ended (accessStatus 3): registration is closed";
        }
        return null;
    }

    @Override
    public ObjectNode flowRequest(ObjectNode command) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
            .put("email", text(command, "email"))
            .put("firstName", text(command, "firstName"))
            .put("lastName", text(command, "lastName"))
            .put("eventSessionToken", text(command, "eventSessionToken"));
        if (command.path("redirect").isBoolean()) {
            body.put("redirect", command.get("redirect").asBoolean());
        }
        return body;
    }

    @Override
    public void describe(ObjectNode outcome, ObjectNode command) {
        outcome.set("email", stringOrNull(command, "email", MAX_EMAIL));
        outcome.set("eventSessionToken", stringOrNull(command, "eventSessionToken", MAX_TOKEN));
    }

    @Override
    public List<String> answerFields() {
        return List.of("loginUrl");
    }

    @Override
    public String successStatus() {
        return "registered";
    }

    /** The login link: the redirect's Location, else a link in FLOW's answer. */
    @Override
    public void succeeded(ObjectNode outcome, JsonNode data, String location) {
        String loginUrl = location;
        JsonNode registrant = data != null && data.isArray() ? data.path(0) : data;
        if (loginUrl == null && registrant != null) {
            for (String field : List.of("loginUrl", "loginLink", "login_url", "link", "url")) {
                JsonNode value = registrant.get(field);
                if (value != null && value.isTextual() && value.asText().startsWith("http")) {
                    loginUrl = value.asText();
                    break;
                }
            }
        }
        outcome.put("loginUrl", loginUrl);
    }

    @Override
    public String resultKey(ObjectNode outcome) {
        JsonNode token = outcome.get("eventSessionToken");
        return token == null || !token.isTextual() ? null : token.asText();
    }

    /** FLOW is asked with the session's registrant list. */
    @Override
    public boolean reconcilable() {
        return true;
    }

    /** The person in the session's registrant list (emails compared as FLOW does), or null. */
    @Override
    public ObjectNode carriedOut(ObjectNode command, List<ObjectNode> registrants) {
        for (ObjectNode registrant : registrants) {
            if (registrant.path("email").asText("").trim().toLowerCase(Locale.ROOT).equals(email(command))) {
                return registrant;
            }
        }
        return null;
    }

    static String email(ObjectNode command) {
        return text(command, "email").toLowerCase(Locale.ROOT);
    }

    private static String text(ObjectNode command, String field) {
        JsonNode value = command.get(field);
        return value == null || !value.isTextual() ? "" : value.asText().trim();
    }

    /** The field as the command gives it (trimmed), or null when it is no string or too long to be valid: outcomes stay small. */
    private static JsonNode stringOrNull(ObjectNode command, String field, int maxLength) {
        JsonNode value = command == null ? null : command.get(field);
        return value != null && value.isTextual() && value.asText().trim().length() <= maxLength
            ? JsonNodeFactory.instance.textNode(value.asText().trim()) : JsonNodeFactory.instance.nullNode();
    }
}
