package com.flowbridge.sandbox;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which FLOW API requests a fault, a latency or a request-log query is about: an optional method and an
 * optional path under {@code /api/v1}, given as a prefix ({@code /reports/events/sessions}) or as a regex
 * matching the whole path ({@code /events/sessions/public/.*}). Absent parts match everything.
 */
record RequestMatcher(String method, String path, Pattern regex) {

    private static final String API_PREFIX = "/api/v1";

    static RequestMatcher of(String method, String path) {
        String relative = path != null && path.startsWith(API_PREFIX) ? path.substring(API_PREFIX.length()) : path;
        return new RequestMatcher(method, relative, compileOrNull(relative));
    }

    boolean matches(String requestMethod, String requestPath) {
        boolean methodMatches = method == null || method.equalsIgnoreCase(requestMethod);
        boolean pathMatches = path == null || requestPath.startsWith(path)
                || (regex != null && regex.matcher(requestPath).matches());
        return methodMatches && pathMatches;
    }

    // A prefix such as "/a(" is not a valid regex; it still works as a prefix.
    private static Pattern compileOrNull(String path) {
        try {
            return path == null ? null : Pattern.compile(path);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }
}
