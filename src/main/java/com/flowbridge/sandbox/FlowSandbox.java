package com.flowbridge.sandbox;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful stand-in for FLOW's REST API over real HTTP: the FLOW API under {@code /api/v1}, the sandbox's
 * control API under {@code /sandbox} (see {@link ControlApi}), and the placeholder login page under
 * {@code /login}. Loaded with sample data at start; {@link #state()} gives in-process tests direct access.
 */
public final class FlowSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowSandbox.class);
    // Tests inject latency with sleeps, so requests may wait long; many threads, but a bounded number.
    private static final int THREADS = 200;
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final SandboxListener listener;
    private final ExecutorService executor;
    private final SandboxState state;
    private final String origin;

    private FlowSandbox(SandboxListener listener, ExecutorService executor, SandboxState state, String origin) {
        this.listener = listener;
        this.executor = executor;
        this.state = state;
        this.origin = origin;
    }

    /** Starts a sandbox on host:port (port 0 picks a free one) that accepts the given api-secret. */
    public static FlowSandbox start(String host, int port, String apiSecret) {
        // The JDK server writes headers and body in separate packets; with Nagle's algorithm and delayed ACKs
        // every keep-alive request then waits ~40 ms (a 2,000-session poll took 90 s instead of 2 s).
        // Read once, when the first server starts; a value set by the user is left alone.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        SandboxListener listener = new SandboxListener(new InetSocketAddress(host, port), executor);
        listener.open();
        InetSocketAddress address = listener.address();
        String origin = "http://" + urlHost(address) + ":" + address.getPort();
        SandboxState state = new SandboxState(SampleData.load(), LoginLinks.forOrigin(origin));
        // Added once listening (the login links need the port picked), before anyone knows the port to call.
        listener.handle("/api/v1", new CallHandler(new FlowApi(state, new ApiSecret(apiSecret))));
        listener.handle("/sandbox", new CallHandler(new ControlApi(state, listener)));
        listener.handle("/", new CallHandler(LoginPage.routes()::answer));
        LOG.info("FLOW sandbox serving {}/api/v1", origin);
        return new FlowSandbox(listener, executor, state, origin);
    }

    public int port() {
        return listener.address().getPort();
    }

    /** {@code http://<host>:<port>/api/v1}, the base URL the product is configured with. */
    public String baseUrl() {
        return origin + "/api/v1";
    }

    public SandboxState state() {
        return state;
    }

    /**
     * FLOW unreachable: the sandbox stops listening and drops its connections, so new requests are refused.
     * Its state (sessions, registrants, faults, request log) is kept for {@link #resumeListening()}.
     */
    public void stopListening() {
        listener.close();
    }

    /** Listens again on the same host and port, with the state it had. */
    public void resumeListening() {
        listener.open();
    }

    @Override
    public void close() {
        listener.shutdown();
        executor.shutdownNow();
    }

    /**
     * Runs the sandbox until killed: {@code --host} (default 127.0.0.1), {@code --port} (default 8081),
     * {@code --api-secret} (default $FLOW_API_SECRET, else "sandbox-secret"). Prints the base URL.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        String secret = options.getOrDefault("--api-secret",
                System.getenv().getOrDefault("FLOW_API_SECRET", "sandbox-secret"));
        FlowSandbox sandbox = start(options.getOrDefault("--host", "127.0.0.1"),
                Integer.parseInt(options.getOrDefault("--port", "8081")), secret);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        System.out.println(sandbox.baseUrl());
        new CountDownLatch(1).await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            boolean known = args[i].equals("--host") || args[i].equals("--port") || args[i].equals("--api-secret");
            if (!known || i + 1 == args.length) {
                throw new IllegalArgumentException(
                        "Usage: FlowSandbox [--host 127.0.0.1] [--port 8081] [--api-secret SECRET]; got " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    /** A server bound to every interface is reached through localhost. */
    private static String urlHost(InetSocketAddress address) {
        return address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "flow-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
