package com.flowbridge.flow;

/**
 * The headers a route sets to call FLOW through {@code direct:flow-api}, and those it gets back.
 * Nothing else about the HTTP exchange leaks in either direction.
 */
public final class FlowHeaders {

    /** In: which FLOW call this is, by its configuration name (sessions, registrants, registration...). Used in logs and metrics. */
    public static final String ENDPOINT = "FlowEndpoint";
    /** In: GET (default) or POST. */
    public static final String METHOD = "FlowMethod";
    /** In: the path under the base URL, as configured, e.g. {@code /events/sessions/public/{sessionToken}}. */
    public static final String PATH = "FlowPath";
    /** In: the value of {@code {sessionToken}} in the path. */
    public static final String SESSION_TOKEN = "FlowSessionToken";
    /** In: the value of {@code {surveyId}} in the path. */
    public static final String SURVEY_ID = "FlowSurveyId";
    /** In: the query string, without '?'. */
    public static final String QUERY = "FlowQuery";
    /** In: the command being carried out, sent as {@code X-Command-Id} so FLOW-side logs can be correlated. */
    public static final String COMMAND_ID = "FlowCommandId";
    /** In: true to receive the answer as a stream (large CSV reports) instead of text. */
    public static final String STREAM = "FlowStream";
    /** In: overrides {@code flow.api.max-attempts} for this call. */
    public static final String MAX_ATTEMPTS = "FlowMaxAttempts";
    /**
     * In, optional: command, poll or report, where the call waits in line for the shared budget (see {@link FlowPriority});
     * without it the endpoint decides.
     */
    public static final String PRIORITY = "FlowPriority";

    /** Out: the HTTP status FLOW answered. */
    public static final String STATUS = "FlowStatus";
    /** Out: how many attempts the call took. */
    public static final String ATTEMPTS = "FlowAttempts";
    /** Out: the Location FLOW answered with (a redirect to a login link), if any. */
    public static final String LOCATION = "FlowLocation";

    private FlowHeaders() {
    }
}
