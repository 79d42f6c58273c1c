package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.sandbox.FlowEndpoint.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox holds, for tests in the same JVM; each method is also reachable over HTTP under
 * {@code /sandbox} (see {@link ControlSessionsApi} and {@link ControlTrafficApi}). All methods are
 * thread-safe, may be called while the product polls, and hand out copies. Refusals are {@link ApiError}s
 * (e.g. 404 for an unknown session token).
 */
public final class SandboxState {

    private final SampleData sample;
    private final SessionStore store;
    private final ResponseShapes shapes = new ResponseShapes();
    private final FaultRules faults = new FaultRules();
    private final Latency latency = new Latency();
    private final RateLimit rateLimit = new RateLimit();
    private final RequestLog requestLog = new RequestLog();
    private final CommandIds commandIds = new CommandIds();

    SandboxState(SampleData sample, LoginLinks loginLinks) {
        this.sample = sample;
        this.store = new SessionStore(loginLinks);
        sample.applyTo(store);
    }

    /** Back to the sample data and default answer shapes, with no faults, no latency, no rate limit and an empty request log. */
    public void reset() {
        sample.applyTo(store);
        shapes.reset();
        faults.clear();
        latency.set(null, null, 0);
        rateLimit.clear();
        clearRequests();
    }

    // --- sessions

    public List<ObjectNode> sessions() {
        return store.infos();
    }

    public Optional<ObjectNode> session(String token) {
        return store.info(token);
    }

    /** Adds the session (its {@code token} field names it) or replaces its info, keeping its registrants and reports. */
    public void upsertSession(ObjectNode session) {
        store.upsert(session);
    }

    /** Merges fields into the session, e.g. {"accessStatus": 3}; a null value removes a field. */
    public ObjectNode patchSession(String token, ObjectNode fields) {
        return store.patch(token, fields);
    }

    public void deleteSession(String token) {
        store.delete(token);
    }

    /** Adds {@code sessions} generated sessions gen-00001... with generated registrants, accessStatus cycling 1, 2, 3. */
    public void generate(int sessions, int registrantsPerSession) {
        GeneratedSessions.addTo(store, sample, sessions, registrantsPerSession, null);
    }

    /** As {@link #generate(int, int)}, all with the given accessStatus. */
    public void generate(int sessions, int registrantsPerSession, int accessStatus) {
        GeneratedSessions.addTo(store, sample, sessions, registrantsPerSession, accessStatus);
    }

    // --- registrants, surveys, reports

    public List<ObjectNode> registrants(String token) {
        return store.registrants(token);
    }

    /** Adds a registrant (email required) or replaces the one with the same email; fills loginUrl and registrationDate. */
    public ObjectNode addRegistrant(String token, ObjectNode registrant) {
        return store.addRegistrant(token, registrant);
    }

    public ObjectNode patchRegistrant(String token, String email, ObjectNode fields) {
        return store.patchRegistrant(token, email, fields);
    }

    public void removeRegistrant(String token, String email) {
        store.removeRegistrant(token, email);
    }

    public ArrayNode surveys(String token) {
        return store.surveys(token);
    }

    /** Replaces the session's surveys, an array of {"id","title","questions"}. */
    public void setSurveys(String token, ArrayNode surveys) {
        store.setSurveys(token, surveys);
    }

    /** Sets a report (kind registrants, attendeeChat, operatorChat or survey:&lt;id&gt;), served verbatim. */
    public void setReport(String token, String kind, String csvText) {
        store.setReport(token, kind, FixedCsvReport.of(csvText));
    }

    /** Makes a report a generated one of {@code rows} rows, produced while it is streamed. */
    public void generateLargeReport(String token, String kind, int rows) {
        store.setReport(token, kind, new GeneratedCsvReport(rows));
    }

    // --- traffic: answer shapes, faults, latency, what the product sent

    /** Sets the answer shape of one endpoint, or of all when {@code endpoint} is null. */
    public void setShape(FlowEndpoint endpoint, Shape shape) {
        shapes.set(endpoint, shape);
    }

    public void addFault(FaultRule fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** The faults in the order they apply, each as posted plus its {@code remaining} uses. */
    public ArrayNode faults() {
        return faults.toJson();
    }

    /** Delays matching FLOW API requests by {@code ms}; null method/path match all; {@code ms <= 0} clears it. */
    public void setLatency(String method, String path, long ms) {
        latency.set(method, path, ms);
    }

    /**
     * A quota of FLOW's own: at most {@code requestsPerSecond} requests served in any second, 429 with
     * {@code Retry-After: retryAfter} (omitted when null) beyond it. Null method/path: every request.
     */
    public void setRateLimit(int requestsPerSecond, String retryAfter, String method, String path) {
        ObjectNode spec = Json.object().put("requestsPerSecond", requestsPerSecond).put("retryAfter", retryAfter)
                .put("method", method).put("path", path);
        rateLimit.set(spec);
    }

    public void clearRateLimit() {
        rateLimit.clear();
    }

    /** The rate limit as set, with the requests served ({@code accepted}) and refused under it. */
    public ObjectNode rateLimit() {
        return rateLimit.toJson();
    }

    public List<RecordedRequest> requests() {
        return requests(null, null);
    }

    /** The recorded requests (the last {@value RequestLog#CAPACITY}) matching a method and a path prefix or regex. */
    public List<RecordedRequest> requests(String method, String path) {
        return requestLog.matching(RequestMatcher.of(method, path));
    }

    /** How many requests matched, over every request since the log was last cleared. */
    public long requestCount(String method, String path) {
        return requestLog.count(RequestMatcher.of(method, path));
    }

    /** Clears the request log and the per-command-id counts. */
    public void clearRequests() {
        requestLog.clear();
        commandIds.clear();
    }

    /** POST /registrants and POST /events received, counted per X-Command-Id header. */
    public Map<String, Long> postsByCommandId() {
        return commandIds.postsById();
    }

    // --- for the handlers

    SampleData sample() {
        return sample;
    }

    SessionStore store() {
        return store;
    }

    ResponseShapes shapes() {
        return shapes;
    }

    FaultRules faultRules() {
        return faults;
    }

    Latency latency() {
        return latency;
    }

    RateLimit rateLimiter() {
        return rateLimit;
    }

    RequestLog requestLog() {
        return requestLog;
    }

    CommandIds commandIds() {
        return commandIds;
    }
}
