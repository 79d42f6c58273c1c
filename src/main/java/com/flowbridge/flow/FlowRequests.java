package com.flowbridge.flow;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.launch.AbandonedOnStop;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * The steps of {@code direct:flow-api} that YAML cannot say well: turning the caller's {@link FlowHeaders}
 * into exactly one HTTP request (the same one on every retry), and sorting FLOW's answer into success,
 * worth another attempt, or final failure.
 */
public final class FlowRequests {

    static final String REQUEST_PROPERTY = "FlowRequest";
    /** Set when another attempt must not be made: FLOW asked for a longer pause than flow.api.retry-after-max. */
    static final String GIVE_UP_PROPERTY = "FlowRequestGiveUp";
    private static final int ERROR_BODY_LIMIT = 4096;

    private final ObjectMapper mapper;
    private final FlowRetryPolicy retryPolicy;
    private final Metrics metrics;
    private final FlowReachability reachability;

    public FlowRequests(ObjectMapper mapper, FlowRetryPolicy retryPolicy, Metrics metrics, FlowReachability reachability) {
        this.mapper = mapper;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
        this.reachability = reachability;
    }

    /** Reads the caller's headers once, before the first attempt. */
    public void remember(Exchange exchange) {
        Message in = exchange.getMessage();
        String endpoint = in.getHeader(FlowHeaders.ENDPOINT, "flow", String.class);
        String template = in.getHeader(FlowHeaders.PATH, String.class);
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("A call to direct:flow-api needs the " + FlowHeaders.PATH + " header");
        }
        String path = fill(fill(template, "{sessionToken}", in, FlowHeaders.SESSION_TOKEN), "{surveyId}", in, FlowHeaders.SURVEY_ID);
        Integer maxAttempts = in.getHeader(FlowHeaders.MAX_ATTEMPTS, Integer.class);
        exchange.setProperty(REQUEST_PROPERTY, new FlowRequest(
            endpoint,
            in.getHeader(FlowHeaders.METHOD, "GET", String.class),
            path,
            in.getHeader(FlowHeaders.QUERY, String.class),
            in.getBody(),
            in.getHeader(FlowHeaders.COMMAND_ID, String.class),
            in.getHeader(FlowHeaders.STREAM, false, Boolean.class),
            maxAttempts == null ? retryPolicy.maxAttempts() : maxAttempts,
            FlowPriority.of(endpoint, in.getHeader(FlowHeaders.PRIORITY, String.class))));
        in.removeHeaders("Flow*");
        refuseWhileStopping(exchange);
    }

    /** Before every attempt: sets the HTTP control headers and the body from the remembered request. */
    public void prepare(Exchange exchange) {
        FlowRequest request = refuseWhileStopping(exchange);
        Message in = exchange.getMessage();
        in.removeHeaders("CamelHttp*");
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        // As camel-http's own enum: given as text, every request pays for a type conversion that allocates a lot.
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method().toUpperCase(Locale.ROOT)));
        in.setHeader(Exchange.HTTP_PATH, request.path());
        if (request.query() != null && !request.query().isBlank()) {
            in.setHeader(Exchange.HTTP_QUERY, request.query());
        }
        if (request.commandId() != null) {
            in.setHeader("X-Command-Id", request.commandId());
        } else {
            in.removeHeader("X-Command-Id");
        }
        if ("GET".equals(request.method())) {
            in.removeHeader(Exchange.CONTENT_TYPE);
            in.setBody(null);
        } else {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            in.setBody(request.body());
        }
    }

    /** FLOW could not be reached or did not answer in time: always worth another attempt. */
    public void unreachable(Exchange exchange) {
        FlowRequest request = request(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempts = attempts(exchange);
        String reason = cause == null ? "no answer" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        metrics.flowCall(request.endpoint(), "none");
        reachability.failed(reason);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, retryPolicy.delayBeforeAttempt(attempts + 1, null).toMillis());
        throw new FlowRetryableException(request.endpoint(), 0, reason, null, attempts, cause);
    }

    /**
     * After an answer: on 2xx/3xx leaves the answer as the body (text, or a stream when asked for) with
     * {@link FlowHeaders#STATUS}, {@link FlowHeaders#ATTEMPTS} and {@link FlowHeaders#LOCATION}; otherwise throws,
     * a {@link FlowRetryableException} for 429 and 5xx (with the delay before the next attempt), a
     * {@link FlowCallException} for the rest.
     */
    public void classify(Exchange exchange) throws IOException {
        FlowRequest request = request(exchange);
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        int attempts = attempts(exchange);
        String location = in.getHeader("Location", String.class);
        String retryAfter = in.getHeader("Retry-After", String.class);
        in.removeHeaders("CamelHttp*");
        for (String header : List.of("Location", "Retry-After", "Content-Type", "X-Command-Id")) {
            in.removeHeader(header);
        }
        metrics.flowCall(request.endpoint(), String.valueOf(status));
        reachability.answered(status);

        if (status >= 200 && status < 400) {
            if (!request.stream()) {
                in.setBody(text(in.getBody(InputStream.class), Integer.MAX_VALUE));
            }
            in.setHeader(FlowHeaders.STATUS, status);
            in.setHeader(FlowHeaders.ATTEMPTS, attempts);
            if (location != null) {
                in.setHeader(FlowHeaders.LOCATION, location);
            }
            return;
        }

        String body = text(in.getBody(InputStream.class), ERROR_BODY_LIMIT);
        String message = flowMessage(body, status);
        if (status == 429 || status >= 500) {
            Duration retryAfterDelay = RetryAfter.parse(retryAfter);
            if (!retryPolicy.waitsOut(retryAfterDelay)) {
                // Never sooner than FLOW asked; rather not at all than after flow.api.retry-after-max.
                exchange.setProperty(GIVE_UP_PROPERTY, true);
                message = message + "; FLOW asked to wait " + retryAfterDelay.toSeconds() + " s (Retry-After), longer than "
                    + "flow.api.retry-after-max";
            }
            in.setHeader(Exchange.REDELIVERY_DELAY, retryPolicy.delayBeforeAttempt(attempts + 1, retryAfterDelay).toMillis());
            throw new FlowRetryableException(request.endpoint(), status, message, body, attempts, null);
        }
        throw new FlowCallException(request.endpoint(), status, message, body, attempts, null);
    }

    /**
     * Whether another attempt is allowed: the retryWhile of the flow-api route's error handling. Camel has
     * already counted the redelivery it is asking about, so the counter names the attempt to come.
     */
    public boolean mayRetry(Exchange exchange) {
        FlowRequest request = request(exchange);
        boolean retry = attempts(exchange) <= request.maxAttempts() && !exchange.getProperty(GIVE_UP_PROPERTY, false, Boolean.class)
            && !abandonedOnStop(exchange, request);
        if (retry) {
            FlowCallException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, FlowCallException.class);
            metrics.flowRetry(request.endpoint(), failure == null || failure.status() == 0 ? "no-answer" : String.valueOf(failure.status()));
        }
        return retry;
    }

    /**
     * Once flow-bridge is stopping, FLOW serves commands only: a poll's or a report's call (first attempt or retry) is
     * refused with {@link AbandonedOnStop}, so that a cycle in flight ends at once and its transaction is aborted.
     */
    private static FlowRequest refuseWhileStopping(Exchange exchange) {
        FlowRequest request = request(exchange);
        if (abandonedOnStop(exchange, request)) {
            throw new AbandonedOnStop("FLOW call " + request.endpoint());
        }
        return request;
    }

    static boolean abandonedOnStop(Exchange exchange, FlowRequest request) {
        return request.priority() != FlowPriority.COMMAND && AbandonedOnStop.stopping(exchange.getContext());
    }

    /** After the call, success or not: the request is forgotten so it cannot leak into what the caller does next. */
    public void forget(Exchange exchange) {
        exchange.removeProperty(REQUEST_PROPERTY);
        exchange.removeProperty(GIVE_UP_PROPERTY);
        Message in = exchange.getMessage();
        in.removeHeaders("CamelHttp*");
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        in.removeHeaders("CamelRedelivery*");
    }

    /** FLOW's own explanation from its JSON error body ({@code message}, {@code error}, or {@code data.message}). */
    String flowMessage(String body, int status) {
        if (body != null && !body.isBlank()) {
            try {
                JsonNode json = mapper.readTree(body);
                for (JsonNode candidate : new JsonNode[] {json.path("message"), json.path("error"), json.path("data").path("message")}) {
                    if (candidate.isTextual() && !candidate.asText().isBlank()) {
                        return candidate.asText();
                    }
                }
            } catch (IOException notJson) {
                // FLOW's error pages are not always JSON; the status says enough then.
            }
        }
        return "HTTP " + status + " without an explanation";
    }

    static int attempts(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
    }

    static FlowRequest request(Exchange exchange) {
        FlowRequest request = exchange.getProperty(REQUEST_PROPERTY, FlowRequest.class);
        if (request == null) {
            throw new IllegalStateException("direct:flow-api-attempt is only called by direct:flow-api");
        }
        return request;
    }

    private static String text(InputStream body, int limit) throws IOException {
        if (body == null) {
            return "";
        }
        try (body) {
            byte[] bytes = limit == Integer.MAX_VALUE ? body.readAllBytes() : body.readNBytes(limit);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Replaces a {placeholder} of the path template with the URL-encoded header value it stands for. */
    private static String fill(String path, String placeholder, Message in, String header) {
        if (!path.contains(placeholder)) {
            return path;
        }
        String value = in.getHeader(header, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The FLOW path " + path + " needs the " + header + " header");
        }
        return path.replace(placeholder, URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
