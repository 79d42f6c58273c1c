package com.flowbridge.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the handler for a call by method and path ({@code /events/sessions/public/{token}}; paths are
 * plain text apart from the placeholders), and answers
 * what no handler does: 404 for an unknown path, 405 for a known path with another method, the status of an
 * {@link ApiError}, and 500 for a sandbox bug.
 */
final class Routes {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^/]+}");

    /** Answers one call; {@code params} are the path's placeholders in order. */
    @FunctionalInterface
    interface Handler {
        Answer handle(Call call, List<String> params);
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Routes on(String method, String path, Handler handler) {
        routes.add(new Route(method, Pattern.compile(PLACEHOLDER.matcher(path).replaceAll("([^/]+)")), handler));
        return this;
    }

    Answer answer(Call call) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(call.path());
            if (!matcher.matches()) {
                continue;
            }
            if (!route.method().equals(call.method())) {
                pathKnown = true;
                continue;
            }
            return handle(route.handler(), call, groups(matcher));
        }
        return pathKnown
                ? Answer.message(405, "Method " + call.method() + " not allowed on " + call.path())
                : Answer.message(404, "No such path: " + call.path());
    }

    private static Answer handle(Handler handler, Call call, List<String> params) {
        try {
            return handler.handle(call, params);
        } catch (ApiError e) {
            return Answer.message(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Sandbox failed on {} {}", call.method(), call.path(), e);
            return Answer.message(500, "Sandbox error: " + e);
        }
    }

    private static List<String> groups(Matcher matcher) {
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= matcher.groupCount(); i++) {
            groups.add(matcher.group(i));
        }
        return groups;
    }
}
