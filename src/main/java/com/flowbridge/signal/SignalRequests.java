package com.flowbridge.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.webhook.WebhookRefusal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST /signals} on the webhook port ({@code routes/signals.camel.yaml}): a signal that is well formed is put on
 * flow-bridge.signals as it came and answered 202; one that is not is answered 400 naming each bad field, and never
 * reaches Kafka. What becomes of it is on flow-bridge.notifications, keyed by its id.
 */
public final class SignalRequests {

    public static final String SIGNAL_ID = "signalId";

    private final SignalParser parser;
    private final ObjectMapper mapper;
    private final String notificationsTopic;

    public SignalRequests(SignalParser parser, ObjectMapper mapper, String notificationsTopic) {
        this.parser = parser;
        this.mapper = mapper;
        this.notificationsTopic = notificationsTopic;
    }

    /** Refuses a signal that is not well formed (400); notes the id of one that is. */
    public void accept(Exchange exchange) {
        Signal signal = parser.parse(exchange.getMessage().getBody(byte[].class), null);
        if (!signal.valid()) {
            throw WebhookRefusal.badRequest(signal.errors());
        }
        exchange.setProperty(SIGNAL_ID, signal.id());
    }

    /** 202 {@code {"id", "status": "accepted", "notifications"}}: the signal is on Kafka. */
    public void answer(Exchange exchange) throws JsonProcessingException {
        Message response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        response.setBody(mapper.writeValueAsString(mapper.createObjectNode().put("id", exchange.getProperty(SIGNAL_ID, String.class))
            .put("status", "accepted").put("notifications", notificationsTopic)));
    }
}
