package com.flowbridge.redrive;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.launch.FailureText;
import com.flowbridge.launch.Settings;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar flow-bridge.jar redrive --from <dead-letter topic> [...]}: sends selected dead letters again to the
 * command topic they came from, their original key and bytes under a commandId derived from the original one and the
 * dead letter (see {@link RedrivenCommand}), and says what it did. Settings as flow-bridge's own
 * (config/application.properties in the working directory, environment variables over it); Kafka only, no FLOW secret.
 * Exit code 0 when done, 1 when Kafka could not be read or written, 2 for a bad argument or setting.
 */
@Command(name = "redrive", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {"Sends dead letters again to the command topic they came from: a failed command runs again under a new "
        + "commandId derived from its original one and the dead letter, so the same dead letter redriven twice runs once "
        + "(the second copy is a duplicate). Rejected commands (malformed, invalid) only with --include-rejected.",
        "Settings: config/application.properties in the working directory, environment variables over it "
            + "(KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL..., KAFKA_TOPIC_*)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (also when nothing matched)", "1:Kafka could not be read or written", "2:bad argument or setting"})
public final class RedriveCommand implements Callable<Integer> {

    static final int KAFKA_FAILED = 1;
    static final int BAD_USAGE = 2;
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "TOPIC",
        description = "the dead-letter topic to read: flow.registration.dlq or flow.event.dlq (as configured)")
    private String from;

    @Option(names = "--reason", paramLabel = "REGEX", description = "only dead letters whose dlq-reason header matches "
        + "(anywhere in it, Java regex), e.g. 'HTTP 50[0-9]'")
    private Pattern reason;

    @Option(names = "--since", paramLabel = "TIME", converter = IsoTime.class,
        description = "only dead letters written at or after this time (ISO-8601: 2026-11-27T21:00:00Z, "
            + "2026-11-27T22:00:00+01:00, 2026-11-27 for midnight UTC)")
    private Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = IsoTime.class,
        description = "only dead letters written before this time (ISO-8601, as --since)")
    private Instant until;

    @Option(names = "--limit", paramLabel = "N", description = "send at most N dead letters (the oldest first in each partition)")
    private Integer limit;

    @Option(names = "--include-rejected", description = "send rejected commands (malformed, invalid) too, not only failed ones")
    private boolean includeRejected;

    @Option(names = "--dry-run", description = "write nothing: list the dead letters that would be sent, and the summary")
    private boolean dryRun;

    private final Map<String, String> environment;
    private final boolean terminal;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param terminal whether {@code out} is a terminal a person watches (then a progress bar is drawn)
     */
    RedriveCommand(Map<String, String> environment, boolean terminal, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
    }

    /** Runs the verb with this process's environment and console; returns its exit code. */
    public static int run(String[] arguments) {
        return commandLine(System.getenv(), System.console() != null, System.out, System.err).execute(arguments);
    }

    static CommandLine commandLine(Map<String, String> environment, boolean terminal, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new RedriveCommand(environment, terminal, out, err));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            err.println("redrive: " + problem.getMessage());
            err.println("Usage: java -jar flow-bridge.jar redrive --from TOPIC [--reason REGEX] [--since TIME] [--until TIME] "
                + "[--limit N] [--include-rejected] [--dry-run]   (--help for more)");
            return BAD_USAGE;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since " + since + " is not before --until " + until);
        }
        Path configFile = Path.of("config", "application.properties");
        if (!Files.isRegularFile(configFile)) {
            return refuse(configFile + " is not in " + Path.of("").toAbsolutePath()
                + ": run redrive from the folder that holds config/, as flow-bridge itself");
        }
        Settings settings = Settings.load(configFile, environment);
        Map<String, String> commandTopicOf = new LinkedHashMap<>();
        commandTopicOf.put(settings.get("kafka.topic.registration-dlq", "flow.registration.dlq"),
            settings.get("kafka.topic.registration-commands", "flow.registration.commands"));
        commandTopicOf.put(settings.get("kafka.topic.event-dlq", "flow.event.dlq"),
            settings.get("kafka.topic.event-commands", "flow.event.commands"));
        String commandTopic = commandTopicOf.get(from);
        if (commandTopic == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + from + " is not one of flow-bridge's "
                + "dead-letter topics: " + String.join(" or ", commandTopicOf.keySet()));
        }
        String bootstrap = settings.get("kafka.bootstrap.servers").orElse(null);
        if (bootstrap == null) {
            return refuse("KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers) is not set");
        }
        Properties client = new Properties();
        client.putAll(KafkaClients.clientSettings(settings::get));
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try {
            return redrive(client, new Redrive(from, commandTopic, reason, since, until, limit, includeRejected, dryRun));
        } catch (RuntimeException e) {
            err.println("redrive failed: " + FailureText.of(e) + " (Kafka at " + bootstrap + ")");
            return KAFKA_FAILED;
        }
    }

    private int redrive(Properties client, Redrive redrive) {
        ConsoleWatcher watcher = new ConsoleWatcher();
        RedriveSummary summary = redrive.run(client, watcher);
        watcher.progress.finish(summary.readCount(), summary.selectedCount());
        out.println(summary.line());
        return 0;
    }

    /** The progress bar on a terminal, and in a dry run a line per dead letter that would be sent. */
    private final class ConsoleWatcher implements Redrive.Watcher {
        private Progress progress;

        @Override
        public void reading(long total) {
            progress = new Progress(out, terminal && !dryRun, total, dryRun ? "would be redriven" : "redriven");
        }

        @Override
        public void wouldRedrive(DeadLetter letter) {
            out.println("would redrive " + letter.coordinates() + " (" + letter.status() + ", commandId "
                + letter.commandId() + ") as commandId " + RedrivenCommand.commandId(letter) + " to "
                + letter.sourceTopic() + ": " + shortened(letter.reason()));
        }

        @Override
        public void progress(long read, long selected) {
            progress.update(read, selected);
        }
    }

    private int refuse(String problem) {
        err.println("redrive cannot start: " + problem);
        return BAD_USAGE;
    }

    private static String shortened(String text) {
        if (text == null) {
            return "(no dlq-reason)";
        }
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }

    /** ISO-8601 times: an instant ({@code 2026-11-27T21:00:00Z}), one with an offset, or a date (midnight UTC). */
    public static final class IsoTime implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }

        /** The instant {@code value} names, or an IllegalArgumentException saying what an ISO-8601 time looks like. */
        public static Instant parse(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notWithOffset) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new IllegalArgumentException("'" + value + "' is not an ISO-8601 time such as "
                        + "2026-11-27T21:00:00Z, 2026-11-27T22:00:00+01:00 or 2026-11-27");
                }
            }
        }
    }
}
