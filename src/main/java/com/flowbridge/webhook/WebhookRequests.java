package com.flowbridge.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.FieldError;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every webhook endpoint does alike: let in only what {@link WebhookGate} admits (401, 409, 429) before anything
 * reads the body, then refuse what is not JSON (415), and answer refusals and failures as
 * {@code {"errors":[{"field","message"}]}}, and replayed Standard Webhooks deliveries as accepted (202).
 * Bodies over {@code webhook.max-body-bytes}, slow clients and requests over the in-flight limit never reach a route:
 * the HTTP server answers them itself ({@link WebhookHttpEngine}).
 * Routes use it with the {@code webhook-answers} route configuration ({@code routes/error-handling.camel.yaml}).
 */
public final class WebhookRequests {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.webhook");

    private final WebhookGate gate;
    private final ObjectMapper mapper;

    public WebhookRequests(WebhookGate gate, ObjectMapper mapper) {
        this.gate = gate;
        this.mapper = mapper;
    }

    /**
     * Lets the request in as {@link WebhookGate#admit} does (401 without a credential some scheme accepts, 409, 429,
     * or a replay). One exception: a signed form or multipart request is 415, since the HTTP server has read such a
     * body into form fields before any route sees it, and the raw bytes the signature covers are gone: the sender is
     * told what to send instead.
     */
    public void authenticate(Exchange exchange) {
        try {
            gate.admit(exchange);
        } catch (WebhookRefusal refused) {
            String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
            boolean signed = exchange.getMessage().getHeader(WebhookAuth.SIGNATURE_HEADER) != null
                || exchange.getMessage().getHeader(StandardWebhooksScheme.SIGNATURE) != null;
            if (refused.status() == 401 && signed && readAsForm(contentType)) {
                throw WebhookRefusal.unsupportedMediaType(contentType);
            }
            throw refused;
        }
    }

    private static boolean readAsForm(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    }

    /** The request's command is on Kafka: a later delivery of its webhook-id is a replay (see {@link WebhookGate#delivered}). */
    public void delivered(Exchange exchange) {
        gate.delivered(exchange);
    }

    /** 415 unless the body is declared as JSON ({@code application/json}, UTF-8 if a charset is named). */
    public void requireJson(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null) {
            throw WebhookRefusal.unsupportedMediaType(null);
        }
        String[] parts = contentType.split(";");
        boolean json = parts[0].trim().equalsIgnoreCase("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset")) {
                String charset = parameter.length > 1 ? parameter[1].trim().replace("\"", "").toLowerCase(Locale.ROOT) : "";
                json = charset.equals("utf-8") || charset.equals("utf8");
            }
        }
        if (!json) {
            throw WebhookRefusal.unsupportedMediaType(contentType);
        }
    }

    /** The answer to a refused request: its status, and what is wrong. */
    public void refused(Exchange exchange) {
        WebhookRefusal refusal = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRefusal.class);
        Message response = answer(exchange, refusal.status(), refusal.errors());
        if (refusal.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        if (refusal.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
        }
    }

    /**
     * A Standard Webhooks delivery accepted before (a sender's retry, or a replay): 202 with the first delivery's
     * commandId and {@code "replay": true}; nothing is put on Kafka again.
     */
    public void replayed(Exchange exchange) throws IOException {
        WebhookReplay replay = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookReplay.class);
        Message response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode answer = mapper.createObjectNode().put("commandId", replay.commandId()).put("status", "accepted")
            .put("replay", true).put("hint", "webhook-id " + replay.webhookId() + " was accepted before: it is not carried out "
                + "again; its outcome is the first delivery's");
        response.setBody(mapper.writeValueAsBytes(answer));
    }

    /** The answer when flow-bridge could not take the request (e.g. Kafka unreachable): 503, try again. */
    public void failed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("{} {} failed: {}", exchange.getFromRouteId(), exchange.getFromEndpoint().getEndpointBaseUri(),
            failure == null ? "unknown error" : failure.toString());
        answer(exchange, 503, List.of(new FieldError(null, "flow-bridge could not take the request now; send it again later")))
            .setHeader("Retry-After", "5");
    }

    private Message answer(Exchange exchange, int status, List<FieldError> errors) {
        Message response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode body = mapper.createObjectNode();
        body.set("errors", FieldError.toJson(errors));
        response.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        return response;
    }
}
