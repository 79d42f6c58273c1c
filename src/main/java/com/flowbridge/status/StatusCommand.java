package com.flowbridge.status;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.launch.FailureText;
import com.flowbridge.launch.Settings;
import org.apache.camel.util.TimeUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar flow-bridge.jar status [--json]}: what an operator checks first, from the Kafka cluster alone: the
 * active poller, each poll flow's last cycle, the command topics' lag, dead letters of the last hour and day, and the
 * commands pending. Settings as flow-bridge's own (config/application.properties in the working directory, environment
 * variables over it). Exit code 0 when all is well, 1 when something is wrong (each named), 2 for a bad argument or
 * setting, 3 when Kafka could not be read.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {"Says how flow-bridge is doing, from Kafka alone: the active poller, the last cycle of each flow, the "
        + "command topics' lag, dead letters in the last hour and day, commands pending. Wrong: no active poller, a flow "
        + "whose last cycle failed, or none ended within " + Status.LATE_AFTER_INTERVALS + " of its poll intervals.",
        "Settings: config/application.properties in the working directory, environment variables over it "
            + "(KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL..., KAFKA_TOPIC_*, FLOW_POLLER_GROUP, COMMANDS_GROUP_ID, "
            + "FLOW_*POLL_INTERVAL)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:all is well", "1:something is wrong (listed under status)", "2:bad argument or setting",
        "3:Kafka could not be read"})
public final class StatusCommand implements Callable<Integer> {

    static final int WRONG = 1;
    static final int BAD_USAGE = 2;
    static final int KAFKA_FAILED = 3;
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");

    @Option(names = "--json", description = "print one JSON object with the same facts (and \"ok\", \"problems\"), for scripts")
    private boolean json;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    StatusCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** Runs the verb with this process's environment and console; returns its exit code. */
    public static int run(String[] arguments) {
        CommandLine commandLine = new CommandLine(new StatusCommand(System.getenv(), System.out, System.err));
        commandLine.setOut(new PrintWriter(System.out, true));
        commandLine.setErr(new PrintWriter(System.err, true));
        commandLine.setParameterExceptionHandler((problem, given) -> {
            System.err.println("status: " + problem.getMessage());
            System.err.println("Usage: java -jar flow-bridge.jar status [--json]   (--help for more)");
            return BAD_USAGE;
        });
        return commandLine.execute(arguments);
    }

    @Override
    public Integer call() throws Exception {
        Path configFile = Path.of("config", "application.properties");
        if (!Files.isRegularFile(configFile)) {
            err.println("status cannot start: " + configFile + " is not in " + Path.of("").toAbsolutePath()
                + ": run status from the folder that holds config/, as flow-bridge itself");
            return BAD_USAGE;
        }
        Settings settings = Settings.load(configFile, environment);
        String bootstrap = settings.get("kafka.bootstrap.servers").orElse(null);
        if (bootstrap == null) {
            err.println("status cannot start: KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers) is not set");
            return BAD_USAGE;
        }
        Map<String, Duration> intervals = new LinkedHashMap<>();
        try {
            intervals.put("sessions", duration(settings, "flow.poll.interval", "60s"));
            intervals.put("registrants", duration(settings, "flow.registrants.poll.interval", "60s"));
            intervals.put("operators", duration(settings, "flow.operators.poll.interval", "10m"));
            intervals.put("reports", duration(settings, "flow.reports.poll-interval", "60s"));
        } catch (IllegalArgumentException e) {
            err.println("status cannot start: " + e.getMessage());
            return BAD_USAGE;
        }
        Properties client = new Properties();
        client.putAll(KafkaClients.clientSettings(settings::get));
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Status status;
        try (ClusterFacts kafka = new ClusterFacts(client, KAFKA_TIMEOUT)) {
            status = read(kafka, settings, intervals, bootstrap);
        } catch (Exception e) {
            err.println("status failed: " + FailureText.of(e) + " (Kafka at " + bootstrap + ")");
            return KAFKA_FAILED;
        }
        ObjectMapper mapper = new ObjectMapper();
        out.print(json ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(status.json(mapper)) + "\n" : status.table());
        out.flush();
        return status.problems().isEmpty() ? 0 : WRONG;
    }

    private static Status read(ClusterFacts kafka, Settings settings, Map<String, Duration> intervals, String bootstrap)
        throws Exception {
        Instant now = Instant.now();
        String lock = settings.get("flow.poller.lock", "kafka");
        Status.Poller poller = null;
        String pollerNotChecked = null;
        if (lock.equals("kafka")) {
            poller = kafka.poller(settings.get("flow.poller.group", "flow-bridge-poller"),
                settings.get("kafka.topic.poller", "flow-bridge.poller"));
        } else {
            pollerNotChecked = "flow.poller.lock is " + lock + ", not kafka: the poller is not chosen by a consumer group";
        }
        Map<String, JsonNode> facts = kafka.lastCycles(settings.get("kafka.topic.state", "flow-bridge.state"));
        List<Status.Cycle> cycles = new ArrayList<>();
        intervals.forEach((collection, interval) -> cycles.add(new Status.Cycle(collection, interval, facts.get(collection))));
        String group = settings.get("commands.group-id", "flow-bridge-commands");
        List<Status.Lag> lags = List.of(
            kafka.lag(group, settings.get("kafka.topic.registration-commands", "flow.registration.commands")),
            kafka.lag(group, settings.get("kafka.topic.event-commands", "flow.event.commands")));
        List<Status.DeadLetters> deadLetters = List.of(
            kafka.deadLetters(settings.get("kafka.topic.registration-dlq", "flow.registration.dlq"), now),
            kafka.deadLetters(settings.get("kafka.topic.event-dlq", "flow.event.dlq"), now));
        Status.Pending pending = kafka.pending(settings.get("kafka.topic.command-ledger", "flow-bridge.commands"));
        // Judged as of when the facts are all read (a cycle may end while they are), not when reading began.
        return new Status(Instant.now(), bootstrap, poller, pollerNotChecked, cycles, lags, deadLetters, pending);
    }

    /** A duration setting; a value that is one placeholder ({@code {{flow.poll.interval}}}) is that setting's value. */
    private static Duration duration(Settings settings, String key, String defaultValue) {
        String value = settings.get(key, defaultValue);
        for (int depth = 0; depth < 5; depth++) {
            Matcher placeholder = PLACEHOLDER.matcher(value.trim());
            if (!placeholder.matches()) {
                break;
            }
            value = settings.get(placeholder.group(1), defaultValue);
        }
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(value.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not a duration such as 60s or 10m");
        }
    }
}
