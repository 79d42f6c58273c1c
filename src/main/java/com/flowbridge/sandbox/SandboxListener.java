package com.flowbridge.sandbox;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's listening socket. It can be closed and opened again on the same address, the state untouched,
 * so that FLOW can be made unreachable (connection refused) and come back, as a real outage would.
 */
final class SandboxListener {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxListener.class);
    private static final int BACKLOG = 1024;
    // Leaves time for the answer to the control request that asked for the outage to reach its caller.
    private static final Duration CLOSE_DELAY = Duration.ofMillis(200);

    private final Map<String, HttpHandler> contexts = new LinkedHashMap<>();
    private final Executor executor;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "flow-sandbox-outages");
        thread.setDaemon(true);
        return thread;
    });
    private InetSocketAddress address;
    private HttpServer server;

    SandboxListener(InetSocketAddress address, Executor executor) {
        this.address = address;
        this.executor = executor;
    }

    /** Serves {@code path} with {@code handler}, now and after every reopening. */
    synchronized void handle(String path, HttpHandler handler) {
        contexts.put(path, handler);
        if (server != null) {
            server.createContext(path, handler);
        }
    }

    /** Listens (again) on the address; a port 0 given at first is fixed to the one picked then. */
    synchronized void open() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + address, e);
        }
        contexts.forEach(server::createContext);
        server.setExecutor(executor);
        server.start();
        address = server.getAddress();
    }

    /** Stops listening and drops every open connection: new connections are refused until {@link #open()}. */
    synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
            LOG.info("FLOW sandbox stopped listening on {}", address);
        }
    }

    synchronized boolean isOpen() {
        return server != null;
    }

    synchronized InetSocketAddress address() {
        return address;
    }

    /** Closes in a moment (after the caller's answer has gone), and opens again {@code outage} later. */
    void closeFor(Duration outage) {
        timer.schedule(this::close, CLOSE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        timer.schedule(() -> {
            open();
            LOG.info("FLOW sandbox listening again on {}", address());
        }, CLOSE_DELAY.plus(outage).toMillis(), TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        timer.shutdownNow();
        close();
    }
}
