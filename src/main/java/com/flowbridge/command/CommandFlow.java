package com.flowbridge.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.observe.Metrics;
import com.flowbridge.flow.FlowHeaders;
import com.flowbridge.kafka.KafkaTransactionScope;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookRefusal;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one command flow (registrations, or event creations) that YAML cannot say well: reading a batch of
 * command records, each decided against the ledger by the {@link CommandDecision} (which says, state by state, what
 * goes to FLOW, to the results topic and to the dead-letter topic), as is FLOW's answer; and the records the route
 * writes: pending markers before FLOW is called, then, in one Kafka transaction, outcomes, dead letters, done markers
 * and the batch's offsets. It also accepts commands from the webhook. The routes in
 * {@code routes/*-commands-to-flow.camel.yaml} and {@code routes/webhooks.camel.yaml} call it.
 */
public final class CommandFlow {

    /** Exchange property: the {@link CommandRun} a per-command route works on. */
    public static final String RUN = "commandRun";
    /** Exchange property: the batch that run belongs to. */
    public static final String BATCH = "commandBatch";
    /** Exchange properties set by {@link #accept(Exchange)} for the webhook route. */
    public static final String COMMAND_ID = "commandId";
    public static final String COMMAND_KEY = "commandKey";
    /** Exchange property: the value of the command record's {@code command-id} header, when it needs one (else null). */
    public static final String COMMAND_ID_HEADER = "commandIdHeader";
    static final String WAITER = "commandOutcomeWaiter";

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.commands");

    private final CommandType type;
    private final CommandTopics topics;
    private final CommandLedger ledger;
    private final CommandRecords records;
    private final OutcomeWaiters waiters;
    private final CommandParser parser;
    private final ObjectMapper mapper;
    private final FlowAnswers answers;
    private final Duration waitTimeout;
    private final Metrics metrics;
    private final CommandEvents events;
    private final CommandDecision decision;

    /**
     * @param waitTimeout how long a webhook caller asking {@code ?wait=true} waits for the outcome
     */
    public CommandFlow(CommandType type, CommandTopics topics, CommandLedger ledger, CommandRecords records,
                       OutcomeWaiters waiters, CommandParser parser, ObjectMapper mapper, FlowAnswers answers,
                       Duration waitTimeout, Metrics metrics, CommandEvents events) {
        this.type = type;
        this.topics = topics;
        this.ledger = ledger;
        this.records = records;
        this.waiters = waiters;
        this.parser = parser;
        this.mapper = mapper;
        this.answers = answers;
        this.waitTimeout = waitTimeout;
        this.metrics = metrics;
        this.events = events;
        this.decision = new CommandDecision(type, mapper);
    }

    // ---- a batch of command records

    /**
     * Reads a poll's command records and decides what each needs, against the ledger of the command partitions this
     * instance owns (read back first for any partition newly given to it).
     */
    public CommandBatch read(List<Exchange> polled) {
        CommandBatch batch = new CommandBatch();
        for (Exchange polledRecord : polled) {
            if (polledRecord.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class)
                instanceof DefaultKafkaManualCommit commit) {
                batch.consumer(commit.getConsumer());
            }
        }
        ledger.follow(ledger.partitionsOf(batch.assignment()));
        batch.phase("ledger");
        Map<String, CommandRun> inBatch = new HashMap<>();
        Set<CommandSource> taken = new HashSet<>();
        int skipped = 0;
        for (Exchange polledRecord : polled) {
            Message record = polledRecord.getMessage();
            CommandSource source = new CommandSource(record.getHeader(KafkaConstants.TOPIC, String.class),
                record.getHeader(KafkaConstants.PARTITION, Integer.class), record.getHeader(KafkaConstants.OFFSET, Long.class));
            // camel-kafka gathers a batch over several polls: a partition taken away meanwhile is another member's now,
            // and one given back is read again from its committed offset, so a record gathered before comes twice.
            if (!batch.owns(source.topicPartition()) || !taken.add(source)) {
                skipped++;
                continue;
            }
            batch.consumed(source.topicPartition(), source.offset());
            CommandRun run = parse(source, record.getHeader(KafkaConstants.KEY, String.class), record.getBody(byte[].class),
                record.getHeader(KafkaConstants.TIMESTAMP, System.currentTimeMillis(), Long.class), CommandIds.fromHeader(record));
            // A commandId is known within its command partition (see CommandLedger): so are duplicates within a batch.
            CommandRun earlier = inBatch.putIfAbsent(run.source().partition() + ":" + run.commandId(), run);
            decision.decide(run, ledger.knowledge(run.source(), run.commandId()), earlier, ledger::outcome);
            batch.add(run);
        }
        if (skipped > 0) {
            LOG.info("{} commands: {} records of the batch left out, read twice or of partitions no longer this instance's "
                + "(the consumer group rebalanced while the batch was gathered)", type.kind(), skipped);
        }
        batch.phase("read");
        return batch;
    }

    /** The pending markers of the commands about to be sent to FLOW: written, and acknowledged, before any call. */
    public List<Message> pendingMarkers(@ExchangeProperty(BATCH) CommandBatch batch) {
        return batch.calls().stream().map(ledger::pendingMarker).toList();
    }

    /** Kafka has the pending markers: FLOW may now be called, and a crash from here on leaves a trace. */
    public void pendingWritten(@ExchangeProperty(BATCH) CommandBatch batch) {
        ledger.pendingWritten(batch.calls());
        batch.phase("pending");
    }

    /** Every settled command's outcome, for the results topic (in-batch duplicates get theirs now, from their original). */
    public List<Message> outcomes(@ExchangeProperty(BATCH) CommandBatch batch) {
        batch.phase("FLOW");
        List<Message> written = new ArrayList<>();
        for (CommandRun run : batch.runs()) {
            decision.duplicateSettled(run);
            ObjectNode outcome = run.outcome();
            if (outcome != null) {
                Message record = records.outcome(run, type.resultKey(outcome), json(outcome), outcome.path("status").asText(),
                    topics.results(), events);
                batch.outcome(run, record);
                written.add(record);
            }
        }
        return written;
    }

    /** The dead letters of the batch's malformed, invalid, failed and interrupted commands, for the dead-letter topic. */
    public List<Message> deadLetters(@ExchangeProperty(BATCH) CommandBatch batch) {
        return batch.runs().stream().filter(run -> run.deadLetterReason() != null)
            .map(run -> records.deadLetter(run, run.outcome().path("status").asText(), topics.deadLetters(), events))
            .toList();
    }

    /**
     * The done markers, once Kafka has placed the outcomes (inside the transaction): each names where its command's first
     * outcome is, so that a duplicate finds the original even after compaction kept only the latest marker.
     */
    public List<Message> doneMarkers(@ExchangeProperty(BATCH) CommandBatch batch) {
        List<Message> markers = new ArrayList<>();
        for (Map.Entry<CommandRun, Message> settled : batch.outcomes().entrySet()) {
            CommandRun run = settled.getKey();
            run.outcomeAt(firstOutcomeAt(run, settled.getValue()));
            markers.add(ledger.doneMarker(run, run.outcome().path("status").asText(), run.outcomeAt()));
        }
        return markers;
    }

    /** The batch's offsets, committed with its outcomes (and refused if the consumer group has moved on meanwhile). */
    public void commitOffsets(@ExchangeProperty(BATCH) CommandBatch batch) {
        KafkaTransactionScope.current().sendOffsets(batch.offsets(), batch.group());
    }

    /** The batch's transaction is committed: the ledger notes each command done, and the batch is measured and logged. */
    public void finish(@ExchangeProperty(BATCH) CommandBatch batch) {
        batch.phase("outcomes");
        long now = System.currentTimeMillis();
        for (CommandRun run : batch.outcomes().keySet()) {
            ledger.doneCommitted(run, run.outcomeAt());
            metrics.commandLatency(type.kind(), run.outcome().path("status").asText(), Duration.ofMillis(Math.max(0, now - run.producedAt())));
            if (run.deadLetterReason() != null) {
                metrics.deadLetter(topics.deadLetters());
            }
        }
        LOG.info("{} commands: {} read from {} ({}), {} ms ({}); {} commandIds remembered", type.kind(), batch.runs().size(),
            topics.commands(), batch.summary(), batch.millis(), batch.phases(), ledger.size());
    }

    /** Where the command's first outcome is: the original's (a duplicate points there too), or this record's own. */
    private String firstOutcomeAt(CommandRun run, Message record) {
        if (run.knownOutcomeAt() != null) {
            return run.knownOutcomeAt();
        }
        if (run.originalRun() != null && run.originalRun().outcomeAt() != null) {
            return run.originalRun().outcomeAt();
        }
        @SuppressWarnings("unchecked")
        List<RecordMetadata> placed = record.getHeader(KafkaConstants.KAFKA_RECORD_META, List.class);
        if (placed == null || placed.isEmpty()) {
            throw new IllegalStateException("Kafka did not say where the outcome of " + run.commandId() + " is");
        }
        RecordMetadata at = placed.get(0);
        return at.topic() + "/" + at.partition() + "/" + at.offset();
    }

    // ---- one command, for the per-command routes

    /** FLOW's request body for the command, as JSON text. */
    public String flowRequest(@ExchangeProperty(RUN) CommandRun run) throws IOException {
        return mapper.writeValueAsString(type.flowRequest(run.command()));
    }

    /** FLOW carried the command out: the outcome says what FLOW answered. */
    public void answered(Exchange exchange) {
        Message answer = exchange.getMessage();
        decision.carriedOut(exchange.getProperty(RUN, CommandRun.class), answer.getHeader(FlowHeaders.STATUS, Integer.class),
            answer.getBody(String.class), answer.getHeader(FlowHeaders.LOCATION, String.class),
            answer.getHeader(FlowHeaders.ATTEMPTS, 1, Integer.class));
    }

    /** FLOW refused the command (4xx: rejected), or did not carry it out after every attempt (failed, and a dead letter). */
    public void failed(Exchange exchange) {
        decision.notCarriedOut(exchange.getProperty(RUN, CommandRun.class), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    /**
     * FLOW's answer to "did an interrupted call go through?" (for a registration, the session's registrant list): if FLOW
     * has the command's result, that is its outcome; if not, the command is carried out now.
     */
    public void reconciled(Exchange exchange) {
        decision.checkedInFlow(exchange.getProperty(RUN, CommandRun.class), answers.items(exchange.getMessage().getBody(String.class)));
    }

    /** FLOW could not say whether an interrupted call went through: sending again blindly could do it twice. */
    public void reconcileFailed(Exchange exchange) {
        decision.notCheckedInFlow(exchange.getProperty(RUN, CommandRun.class), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    // ---- the webhook

    /**
     * Checks a command posted to the webhook (400 naming each bad field) and prepares its record: the raw body
     * stays the value, {@link #COMMAND_KEY} its key. A Standard Webhooks delivery's verified {@code webhook-id} is the
     * commandId of a command without its own, carried by the record's {@code command-id} header
     * ({@link #COMMAND_ID_HEADER}), so that the sender's retries are one command whichever instance takes them.
     * With {@code ?wait=true}, starts waiting for its outcome.
     */
    public void accept(Exchange exchange) {
        Message request = exchange.getMessage();
        CommandParser.Parsed parsed = parser.parse(request.getBody(byte[].class));
        if (parsed.error() != null) {
            throw WebhookRefusal.badRequest(List.of(parsed.error()));
        }
        ObjectNode command = parsed.command();
        List<FieldError> errors = type.validate(command);
        if (!errors.isEmpty()) {
            throw WebhookRefusal.badRequest(errors);
        }
        String webhookId = exchange.getProperty(WebhookGate.WEBHOOK_ID, String.class);
        boolean webhookIdIsCommandId = webhookId != null && givenCommandId(command) == null;
        String commandId = webhookIdIsCommandId ? webhookId : commandId(command);
        if (webhookIdIsCommandId) {
            exchange.setProperty(COMMAND_ID_HEADER, webhookId);
        }
        exchange.setProperty(COMMAND_ID, commandId);
        exchange.setProperty(COMMAND_KEY, type.commandKey(command, commandId));
        if ("true".equalsIgnoreCase(request.getHeader("wait", String.class))) {
            exchange.setProperty(WAITER, waiters.expect(type.kind(), commandId, waitTimeout));
        }
    }

    /** 202 once the command is on the command topic; with {@code ?wait=true}, 200 with its outcome if it comes in time. */
    public void answer(Exchange exchange) throws InterruptedException, IOException {
        String commandId = exchange.getProperty(COMMAND_ID, String.class);
        OutcomeWaiters.Waiter waiter = exchange.getProperty(WAITER, OutcomeWaiters.Waiter.class);
        Message response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        byte[] outcome = waiter == null ? null : waiters.await(waiter);
        if (outcome != null) {
            response.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            response.setBody(outcome);
            return;
        }
        ObjectNode accepted = mapper.createObjectNode().put("commandId", commandId).put("status", "accepted");
        if (waiter != null) {
            accepted.put("hint", "The outcome was not ready within " + waitTimeout.toSeconds() + " s; it will be on "
                + topics.results() + " (key and header command-id " + commandId + ")");
        }
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        response.setBody(mapper.writeValueAsBytes(accepted));
    }

    // ---- reading a record

    /**
     * The command a record holds. One without a commandId of its own gets one derived: from its normalised content
     * when it is valid (the same command sent twice is recognised), from its bytes and its record when it is not (every
     * bad record is a rejection of its own, with its reason and dead letter, even two empty ones). A {@code command-id}
     * record header (a redriven dead letter's, a Standard Webhooks {@code webhook-id}) wins over all.
     */
    private CommandRun parse(CommandSource source, String key, byte[] value, long producedAt, String headerCommandId) {
        CommandParser.Parsed parsed = parser.parse(value);
        if (parsed.error() != null) {
            String commandId = headerCommandId != null ? headerCommandId : badRecordId(value, source);
            return new CommandRun(source, key, value, null, commandId, List.of(parsed.error()), producedAt);
        }
        ObjectNode command = parsed.command();
        List<FieldError> errors = type.validate(command);
        String commandId = headerCommandId != null ? headerCommandId : givenCommandId(command);
        if (commandId == null) {
            commandId = errors.isEmpty() ? CommandIds.derive(type.kind(), type.normalised(command)) : badRecordId(value, source);
        }
        return new CommandRun(source, key, value, command, commandId, errors, producedAt);
    }

    private String badRecordId(byte[] value, CommandSource source) {
        byte[] bytes = value == null ? new byte[0] : value;
        byte[] where = source.toString().getBytes(StandardCharsets.UTF_8);
        byte[] name = Arrays.copyOf(bytes, bytes.length + 1 + where.length);
        System.arraycopy(where, 0, name, bytes.length + 1, where.length);
        return CommandIds.derive(type.kind(), name);
    }

    // ---- commandIds

    /** The commandId of a valid command: its own, or derived from its normalised content. */
    private String commandId(ObjectNode command) {
        String given = givenCommandId(command);
        return given != null ? given : CommandIds.derive(type.kind(), type.normalised(command));
    }

    private static String givenCommandId(ObjectNode command) {
        JsonNode given = command.get("commandId");
        if (given != null && given.isTextual() && !given.asText().isBlank() && given.asText().trim().length() <= 200) {
            return given.asText().trim();
        }
        return null;
    }

    private byte[] json(JsonNode outcome) {
        try {
            return mapper.writeValueAsBytes(outcome);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write an outcome", e);
        }
    }
}
