package com.flowbridge.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts the JDK server to a function from {@link Call} to {@link Answer}. */
final class CallHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CallHandler.class);

    private final Function<Call, Answer> responder;

    CallHandler(Function<Call, Answer> responder) {
        this.responder = responder;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            responder.apply(Call.read(exchange)).send(exchange);
        } catch (IOException e) {
            // A client that hangs up mid-answer (e.g. stops reading a streamed CSV) is not a sandbox fault.
            LOG.debug("Connection ended early on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }
}
