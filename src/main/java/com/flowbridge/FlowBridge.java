package com.flowbridge;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.flowbridge.capture.CaptureBeans;
import com.flowbridge.launch.RouteReloadReporter;
import com.flowbridge.command.CommandBeans;
import com.flowbridge.launch.Settings;
import com.flowbridge.launch.StartupCheck;
import com.flowbridge.redrive.RedriveCommand;
import com.flowbridge.status.StatusCommand;
import com.flowbridge.reports.ReportBeans;
import com.flowbridge.signal.SignalBeans;
import com.flowbridge.sandbox.SandboxServices;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Starts flow-bridge: Camel Main with the routes in {@code routes/} and the settings in
 * {@code config/application.properties}, both read from the working directory at run time so that operators
 * edit them without rebuilding. {@code --sandbox} first starts an embedded Kafka broker and the FLOW sandbox and
 * points flow-bridge at them; {@code --sandbox-only} starts just those two (for a CRM team to develop against,
 * or to run flow-bridge beside them).
 */
public final class FlowBridge implements AutoCloseable {

    public static final Path CONFIG_FILE = Path.of("config", "application.properties");

    /**
     * The configuration classes: the shared beans, then each flow's own. Their order does not matter (a bean is made
     * when first looked up, once every class has declared its beans; see {@link FlowBridgeBeans}): a new flow adds its
     * class here.
     */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
        FlowBridgeBeans.class, CaptureBeans.class, CommandBeans.class, ReportBeans.class, SignalBeans.class);

    private final Main main;

    private FlowBridge(Settings settings, List<Class<? extends CamelConfiguration>> configurations) {
        main = new Main();
        main.setPropertyPlaceholderLocations("file:" + CONFIG_FILE);
        configurations.forEach(main.configure()::addConfiguration);
        if (settings.get("flow.instance-id").isEmpty()) {
            // pid@host: this process's name in the poller election, the logs and its transactional ids.
            settings.override("flow.instance-id", ManagementFactory.getRuntimeMXBean().getName());
        }
        settings.overrides().forEach(main::addOverrideProperty);
        main.addMainListener(new RouteReloadReporter());
    }

    /** Starts flow-bridge in this JVM and returns once it runs (tests and the sandbox use this). */
    public static FlowBridge start(Settings settings) throws Exception {
        return start(settings, CONFIGURATIONS);
    }

    /** Starts flow-bridge with these configuration classes, in this order (a test proves the order does not matter). */
    public static FlowBridge start(Settings settings, List<Class<? extends CamelConfiguration>> configurations) throws Exception {
        FlowBridge bridge = new FlowBridge(settings, configurations);
        bridge.main.start();
        return bridge;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    public static void main(String[] args) throws Exception {
        // Operator verbs: java -jar flow-bridge.jar <verb> [options]. Each is a command of its own, with its own logging.
        if (args.length > 0 && args[0].equals("redrive")) {
            System.setProperty("log4j2.configurationFile", "log4j2-cli.xml");
            System.exit(RedriveCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("status")) {
            System.setProperty("log4j2.configurationFile", "log4j2-cli.xml");
            System.exit(StatusCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        List<String> options = Arrays.asList(args);
        if (options.contains("--json-logs") || "json".equalsIgnoreCase(System.getenv("LOG_FORMAT"))) {
            System.setProperty("log4j2.configurationFile", "log4j2-json.xml");
        }
        if (options.contains("--help") || options.contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        if (!Files.isRegularFile(CONFIG_FILE)) {
            System.err.println("flow-bridge cannot start: " + CONFIG_FILE + " is not in " + Path.of("").toAbsolutePath()
                + ". Run it from the folder that holds config/ and routes/.");
            System.exit(2);
        }
        Settings settings = Settings.load(CONFIG_FILE, System.getenv());
        boolean sandbox = options.contains("--sandbox");
        boolean sandboxOnly = options.contains("--sandbox-only");
        SandboxServices services = null;
        if (sandbox || sandboxOnly) {
            services = SandboxServices.start(settings);
            if (sandboxOnly) {
                services.runAlone();
                return;
            }
            services.pointAt(settings);
        } else {
            List<String> problems = StartupCheck.problems(settings);
            if (!problems.isEmpty()) {
                System.err.println("flow-bridge cannot start:");
                problems.forEach(problem -> System.err.println("  - " + problem));
                System.err.println("Set them in the environment (see README, Configuration), or run "
                    + "`java -jar target/flow-bridge.jar --sandbox` to try flow-bridge against an embedded Kafka broker "
                    + "and the built-in FLOW sandbox.");
                System.exit(2);
            }
        }
        FlowBridge bridge = new FlowBridge(settings, CONFIGURATIONS);
        if (services == null) {
            bridge.main.run();
            return;
        }
        // The broker and FLOW stop last, after every route and Kafka client (see SandboxServices).
        bridge.main.addMainListener(services.runningBeside());
        try {
            bridge.main.run();
        } finally {
            services.close();
        }
    }

    private static final String USAGE = """
        flow-bridge: FLOW webinar platform <-> Apache Kafka

          java -jar target/flow-bridge.jar                 run against FLOW and Kafka (FLOW_API_SECRET, KAFKA_BOOTSTRAP_SERVERS...)
          java -jar target/flow-bridge.jar --sandbox       run against an embedded Kafka broker and the FLOW sandbox
          java -jar target/flow-bridge.jar --sandbox-only  start only the embedded Kafka broker and the FLOW sandbox
          java -jar target/flow-bridge.jar redrive --from flow.registration.dlq [--dry-run] [--help]
                                                           send dead letters again (Kafka settings only)
          java -jar target/flow-bridge.jar status [--json] [--help]
                                                           the poller, last cycles, lag, dead letters, pending commands
          options: --json-logs (or LOG_FORMAT=json)        log one JSON object per line

        Routes are read from routes/, settings from config/application.properties (environment variables override
        them: flow.base.url is FLOW_BASE_URL). See README.md.""";
}
