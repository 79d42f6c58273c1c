package com.flowbridge.reports;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.CloudEvents;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.command.FieldError;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookRefusal;
import com.flowbridge.webhook.WebhookReplay;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishing on demand. {@code POST /reports/{sessionToken}} (authenticated) puts a request on
 * {@code flow.report.requests}; every request found there, whoever wrote it, is remembered in the state topic, and the
 * next reports cycle publishes the reports asked for again, as new runs with their manifests.
 */
public final class ReportRequests {

    /** The path parameter of {@code POST /reports/{sessionToken}}. */
    static final String PATH_TOKEN = "sessionToken";
    private static final String REQUEST = "FlowReportRequest";
    private static final String FACTS = "FlowReportRequestFacts";
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.reports");

    private final EmittedState sessions;
    private final ReportFacts facts;
    private final WebhookGate gate;
    private final ChangeRecords records;
    private final ObjectMapper mapper;
    private final String topic;
    private final Clock clock;

    ReportRequests(EmittedState sessions, ReportFacts facts, WebhookGate gate, ChangeRecords records, ObjectMapper mapper,
                   String topic, Clock clock) {
        this.sessions = sessions;
        this.facts = facts;
        this.gate = gate;
        this.records = records;
        this.mapper = mapper;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * A record from {@code flow.report.requests}: the records of the facts that ask the next cycle to publish those reports
     * again (for the state topic; remembered once committed, {@link #factsCommitted}), or none if it cannot be acted on
     * (logged and skipped).
     */
    public List<Message> accept(Exchange exchange) {
        Message record = exchange.getMessage();
        String where = topic + " partition " + record.getHeader(KafkaConstants.PARTITION) + " offset " + record.getHeader(KafkaConstants.OFFSET);
        ReportRequest request;
        try {
            request = ReportRequest.parse(mapper, record.getBody(String.class), null);
        } catch (IllegalArgumentException refused) {
            LOG.warn("Ignoring the report request at {}: {}", where, refused.getMessage());
            return List.of();
        }
        sessions.ensureLoaded();
        if (sessions.document("", request.sessionToken()) == null) {
            LOG.warn("Ignoring the report request at {}: flow-bridge knows no session {}", where, request.sessionToken());
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, String> asked = new LinkedHashMap<>();
        if (request.kind() == null || request.kind().perSurvey()) {
            asked.putAll(facts.forgetSurveys(request.sessionToken()));
        }
        request.kinds().forEach(kind -> asked.putAll(facts.requested(request.sessionToken(), kind, now)));
        exchange.setProperty(FACTS, asked);
        exchange.setProperty(REQUEST, request);
        return records.facts(facts.topic(), asked);
    }

    /** The request's facts are committed: remembered, so the next reports cycle publishes those reports again. */
    public void factsCommitted(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, String> written = exchange.getProperty(FACTS, Map.class);
        if (written != null) {
            facts.remember(written);
            LOG.info("Reports of {} asked for again: published at the next reports cycle",
                exchange.getProperty(REQUEST, ReportRequest.class).describe());
        }
    }

    /**
     * Before anything else reads it: a credential every webhook accepts (any scheme), within its key's rate; a Standard
     * Webhooks delivery accepted before is answered as accepted again ({@link #refused}) without a second request.
     */
    public void authenticate(Exchange exchange) {
        try {
            gate.admit(exchange);
        } catch (WebhookRefusal refused) {
            throw new ReportRequestRefused(refused.status(), FieldError.describe(refused.errors()).replaceFirst("^null ", ""),
                refused.retryAfterSeconds());
        }
    }

    /** The record to put on {@code flow.report.requests} for an authenticated {@code POST /reports/{sessionToken}}. */
    public List<Message> fromHttp(Exchange exchange) {
        Message http = exchange.getMessage();
        ReportRequest request;
        try {
            request = ReportRequest.parse(mapper, new String(http.getBody(byte[].class), StandardCharsets.UTF_8),
                http.getHeader(PATH_TOKEN, String.class));
        } catch (IllegalArgumentException refused) {
            throw new ReportRequestRefused(400, refused.getMessage());
        }
        sessions.ensureLoaded();
        ObjectNode session = sessions.document("", request.sessionToken());
        if (session == null) {
            throw new ReportRequestRefused(404, "flow-bridge knows no session " + request.sessionToken());
        }
        if (session.path("accessStatus").asInt() != ReportSchedule.PAST) {
            throw new ReportRequestRefused(409, "session " + request.sessionToken() + " has not ended (accessStatus "
                + session.path("accessStatus").asText("unknown") + "); its reports are published once it has");
        }
        exchange.setProperty(REQUEST, request);
        Message record = records.record(topic, request.sessionToken(), request.toJson(mapper));
        // Each accepted POST is an event of its own (two in the same millisecond included): its id is random.
        CloudEvents.apply(record, "flow.report.requested", requestPath(request.sessionToken()), request.sessionToken(),
            clock.instant(), topic, request.sessionToken(), UUID.randomUUID().toString());
        return List.of(record);
    }

    /**
     * The path asked, {@code /reports/<sessionToken>}, with the token percent-encoded where it holds more than RFC 3986's
     * unreserved characters: a CloudEvents source is a URI-reference, and a consumer's SDK refuses anything else.
     */
    static String requestPath(String sessionToken) {
        StringBuilder path = new StringBuilder("/reports/");
        for (byte b : sessionToken.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                path.append(c);
            } else {
                path.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return path.toString();
    }

    /** 202: the request is on {@code flow.report.requests}. */
    public void accepted(Exchange exchange) {
        ReportRequest request = exchange.getProperty(REQUEST, ReportRequest.class);
        ObjectNode answer = mapper.createObjectNode().put("accepted", true).put("sessionToken", request.sessionToken());
        answer.put("report", request.kind() == null ? null : request.kind().value());
        answer.put("topic", topic);
        respond(exchange, 202, answer);
        LOG.info("Reports of {} asked for again over HTTP; request put on {}", request.describe(), topic);
    }

    /**
     * The answer to a refused request (the reason), to a Standard Webhooks delivery accepted before (202, {@code "replay":
     * true}, nothing asked again), or 503 when the request could not be put on Kafka.
     */
    public void refused(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof ReportRequestRefused refused) {
            respond(exchange, refused.status(), mapper.createObjectNode().put("error", refused.getMessage()));
            if (refused.retryAfterSeconds() != null) {
                exchange.getMessage().setHeader("Retry-After", String.valueOf(refused.retryAfterSeconds()));
            }
            return;
        }
        if (failure instanceof WebhookReplay replay) {
            respond(exchange, 202, mapper.createObjectNode().put("accepted", true)
                .put("sessionToken", exchange.getMessage().getHeader(PATH_TOKEN, String.class)).put("replay", true)
                .put("hint", "webhook-id " + replay.webhookId() + " was accepted before: the reports are not asked for again"));
            return;
        }
        LOG.error("A report request could not be put on {}: {}", topic, failure == null ? "unknown error" : failure.getMessage());
        respond(exchange, 503, mapper.createObjectNode().put("error", "the request could not be queued; try again later"));
    }

    /** Answers with only the status and the JSON body: none of the request's headers (its credentials) is echoed. */
    private static void respond(Exchange exchange, int status, ObjectNode body) {
        Message answer = exchange.getMessage();
        answer.getHeaders().clear();
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        answer.setHeader(Exchange.CONTENT_TYPE, "application/json");
        answer.setBody(body.toString());
    }
}
