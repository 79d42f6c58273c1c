package com.flowbridge.webhook;

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
 * What every webhook endpoint does alike: refuse unauthenticated requests (401) before anything reads the body,
 * then refuse what is not JSON (415), and answer refusals and failures as {@code {"errors":[{"field","message"}]}}.
 * Bodies over {@code webhook.max-body-bytes} never reach a route: the HTTP server answers 413 itself ({@link WebhookHttpEngine}).
 * Routes use it with the {@code webhook-answers} route configuration ({@code routes/webhooks.camel.yaml}).
 */
public final class WebhookRequests {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.webhook");

    private final WebhookAuth auth;
    private final ObjectMapper mapper;

    public WebhookRequests(WebhookAuth auth, ObjectMapper mapper) {
        this.auth = auth;
        this.mapper = mapper;
    }

    /**
     * 401 unless the raw body is signed with the webhook secret, or the bearer token is given. One exception: a signed
     * form or multipart request is 415, since the HTTP server has read such a body into form fields before any route
     * sees it, and the raw bytes the signature covers are gone: the sender is told what to send instead.
     */
    public void authenticate(Exchange exchange) {
        if (auth.isAuthentic(exchange)) {
            return;
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (exchange.getMessage().getHeader(WebhookAuth.SIGNATURE_HEADER) != null && readAsForm(contentType)) {
            throw WebhookRefusal.unsupportedMediaType(contentType);
        }
        throw WebhookRefusal.unauthorized();
    }

    private static boolean readAsForm(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
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
