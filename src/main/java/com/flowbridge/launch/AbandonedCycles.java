package com.flowbridge.launch;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.LoggingExceptionHandler;

/**
 * What a timer does with a poll cycle that ended in an error its route did not handle. A cycle abandoned because
 * flow-bridge stops ({@link AbandonedOnStop}: its fan-out stopped at the first refused FLOW call, already past the
 * error handlers) is said once, at INFO, rather than as a warning with a stack trace; anything else is logged as Camel's
 * own handler logs it.
 */
public final class AbandonedCycles implements ExceptionHandler {

    private final ExceptionHandler camels;

    public AbandonedCycles(CamelContext context, Class<?> consumer) {
        this.camels = new LoggingExceptionHandler(context, consumer);
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (AbandonedOnStop.in(exception) == null) {
            camels.handleException(message, exchange, exception);
            return;
        }
        AbandonedOnStop.sayOnce(exchange == null ? "a poll route" : exchange.getFromRouteId());
    }
}
