package com.flowbridge.launch;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With live route editing on, says in one line when a saved route file is refused: which file, where and what
 * the problem is, and that the routes already running keep running. (Camel's own report is a stack trace.)
 */
public final class RouteReloadReporter extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.routes");

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteWatcherReloadStrategy reload = context.hasService(RouteWatcherReloadStrategy.class);
        if (reload == null) {
            return;
        }
        ResourceReload camels = reload.getResourceReload();
        reload.setResourceReload((name, resource) -> {
            try {
                camels.onReload(name, resource);
                LOG.info("Route file {} reloaded", name);
            } catch (Exception e) {
                LOG.error("Route file {} refused, the routes that were running keep running: {}", name, problem(e));
                throw e;
            }
        });
        LOG.info("Live route editing is on: saving a file in {} reloads its routes", reload.getFolder());
    }

    /** The innermost explanation, on one line (YAML errors name the line and column). */
    static String problem(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        StringBuilder line = new StringBuilder();
        for (String part : message.split("\\R")) {
            String trimmed = part.strip();
            // snakeyaml quotes the offending source text under a caret line: position and explanation are enough.
            if (!trimmed.isEmpty() && !trimmed.startsWith("^") && !part.startsWith("    ")) {
                line.append(line.length() == 0 ? "" : " ").append(trimmed);
            }
        }
        return line.toString();
    }
}
