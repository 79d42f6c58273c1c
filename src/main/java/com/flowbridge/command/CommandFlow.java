package com.flowbridge.command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.observe.Metrics;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.flow.FlowHeaders;
import com.flowbridge.flow.FlowRetryableException;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookRefusal;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one command flow (registrations, or event creations) that YAML cannot say well: reading a batch of
 * command records and deciding, against the ledger, what each needs; turning FLOW's answer into the outcome;
 * writing outcomes and dead letters; and, once all of that is on Kafka, the offset commit.
 * It also accepts commands from the webhook. The routes in {@code routes/*-commands-to-flow.camel.yaml} and
 * {@code routes/webhooks.camel.yaml} call it.
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
    private final boolean reconcilable;
    private final Duration waitTimeout;
    private final Duration kafkaTimeout;
    private final Metrics metrics;
    private final CommandEvents events;

    /**
     * @param reconcilable whether FLOW can be asked if an interrupted call went through (registrations: the
     *                     session's registrant list); if not, such a command's outcome is {@code failed}
     * @param waitTimeout  how long a webhook caller asking {@code ?wait=true} waits for the outcome
     * @param kafkaTimeout how long Kafka may take to acknowledge what a batch writes
     */
    public CommandFlow(CommandType type, CommandTopics topics, CommandLedger ledger, CommandRecords records,
                       OutcomeWaiters waiters, CommandParser parser, ObjectMapper mapper, FlowAnswers answers,
                       boolean reconcilable, Duration waitTimeout, Duration kafkaTimeout, Metrics metrics, CommandEvents events) {
        this.type = type;
        this.topics = topics;
        this.ledger = ledger;
        this.records = records;
        this.waiters = waiters;
        this.parser = parser;
        this.mapper = mapper;
        this.answers = answers;
        this.reconcilable = reconcilable;
        this.waitTimeout = waitTimeout;
        this.kafkaTimeout = kafkaTimeout;
        this.metrics = metrics;
        this.events = events;
    }

    // ---- a batch of command records

    /**
     * Reads a poll's command records and decides what each needs, once the ledger holds everything written
     * before them. Outcomes that need nothing from FLOW (rejections, duplicates of earlier outcomes) are sent at once.
     */
    public CommandBatch read(List<Exchange> polled) throws InterruptedException {
        CommandBatch batch = new CommandBatch();
        ledger.catchUp();
        batch.phase("catch-up");
        Map<String, CommandRun> inBatch = new HashMap<>();
        for (Exchange polledRecord : polled) {
            Message record = polledRecord.getMessage();
            CommandSource source = new CommandSource(record.getHeader(KafkaConstants.TOPIC, String.class),
                record.getHeader(KafkaConstants.PARTITION, Integer.class), record.getHeader(KafkaConstants.OFFSET, Long.class));
            batch.commitAfter(new TopicPartition(source.topic(), source.partition()),
                record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
            CommandRun run = parse(source, record.getHeader(KafkaConstants.KEY, String.class), record.getBody(byte[].class),
                record.getHeader(KafkaConstants.TIMESTAMP, System.currentTimeMillis(), Long.class), CommandIds.fromHeader(record));
            decide(run, inBatch);
            batch.add(run);
            if (run.outcome() != null) {
                send(run, batch);
            }
        }
        batch.phase("read");
        return batch;
    }

    /**
     * Writes the ledger's pending markers of the commands about to be sent to FLOW, all at once; each command's
     * call then waits for its own marker ({@link #awaitPending}), so writing them overlaps with the calls.
     */
    public void markPending(CommandBatch batch) {
        List<CommandRun> calls = batch.runs().stream().filter(CommandRun::mustCallFlow).toList();
        if (!calls.isEmpty()) {
            ledger.markPending(type.kind(), calls);
        }
        batch.phase("pending");
    }

    /**
     * Settles the batch: outcomes of in-batch duplicates, then waits until every outcome and dead letter is on
     * Kafka, and commits the offsets. If any of it fails the batch fails, nothing is committed, and the records are
     * read again: the ledger (which reads the outcomes back) then says which were already answered.
     */
    public void finish(CommandBatch batch) throws InterruptedException, ExecutionException, TimeoutException {
        batch.phase("FLOW");
        for (CommandRun run : batch.runs()) {
            if (run.originalRun() != null && run.originalRun().outcome() != null) {
                run.settle(duplicate(run, run.originalRun().outcome()), null);
                send(run, batch);
            }
        }
        batch.awaitSent(kafkaTimeout.toMillis());
        batch.phase("outcomes");
        observe(batch);
        batch.commit();
        batch.phase("commit");
        LOG.info("{} commands: {} read from {} ({}), {} ms ({})", type.kind(), batch.runs().size(), topics.commands(),
            batch.summary(), batch.millis(), batch.phases());
    }

    // ---- one command, for the per-command routes

    /** Waits until the ledger has the command's pending marker: a crash from here on leaves a trace. */
    public void awaitPending(@ExchangeProperty(RUN) CommandRun run) throws InterruptedException, ExecutionException, TimeoutException {
        run.awaitPending(kafkaTimeout);
    }

    /** FLOW's request body for the command, as JSON text. */
    public String flowRequest(@ExchangeProperty(RUN) CommandRun run) throws IOException {
        return mapper.writeValueAsString(type.flowRequest(run.command()));
    }

    /** FLOW carried the command out: the outcome says what FLOW answered. */
    public void answered(Exchange exchange) {
        CommandRun run = exchange.getProperty(RUN, CommandRun.class);
        Message answer = exchange.getMessage();
        ObjectNode outcome = outcome(run, type.successStatus());
        outcome.put("httpStatus", answer.getHeader(FlowHeaders.STATUS, Integer.class));
        JsonNode flowResponse = parsed(answer.getBody(String.class));
        outcome.set("flowResponse", flowResponse);
        type.succeeded(outcome, unwrapped(flowResponse), answer.getHeader(FlowHeaders.LOCATION, String.class));
        outcome.put("attempts", answer.getHeader(FlowHeaders.ATTEMPTS, 1, Integer.class));
        run.settle(outcome, null);
    }

    /** FLOW refused the command (4xx: rejected), or did not carry it out after every attempt (failed, and a dead letter). */
    public void failed(Exchange exchange) {
        CommandRun run = exchange.getProperty(RUN, CommandRun.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof FlowCallException call && !(call instanceof FlowRetryableException)) {
            ObjectNode outcome = outcome(run, "rejected");
            outcome.put("httpStatus", call.status());
            outcome.put("reason", call.flowMessage());
            outcome.set("flowResponse", parsed(call.responseBody()));
            outcome.put("attempts", call.attempts());
            run.settle(outcome, null);
            return;
        }
        ObjectNode outcome = outcome(run, "failed");
        String reason;
        if (failure instanceof FlowCallException call) {
            outcome.put("httpStatus", call.status() == 0 ? null : call.status());
            outcome.set("flowResponse", parsed(call.responseBody()));
            outcome.put("attempts", call.attempts());
            reason = "FLOW did not carry the command out after " + call.attempts() + " attempts: " + call.getMessage();
        } else {
            reason = "The call to FLOW failed: " + (failure == null ? "unknown error" : failure.getMessage());
            outcome.put("attempts", 1);
        }
        outcome.put("reason", reason);
        run.settle(outcome, reason);
    }

    /**
     * FLOW's registrant list for a command whose call was interrupted: if the person is on it, FLOW carried the
     * command out and that is its outcome; if not, the command is carried out now.
     */
    public void reconciled(Exchange exchange) {
        CommandRun run = exchange.getProperty(RUN, CommandRun.class);
        for (ObjectNode registrant : answers.items(exchange.getMessage().getBody(String.class))) {
            if (Registrations.isRegistrant(registrant, run.command())) {
                ObjectNode outcome = outcome(run, type.successStatus());
                outcome.put("reason", "FLOW already has this registration: flow-bridge was interrupted after sending it, "
                    + "and found it in the session's registrant list");
                outcome.set("flowResponse", registrant);
                type.succeeded(outcome, registrant, null);
                run.settle(outcome, null);
                return;
            }
        }
        run.callAfterAll();
    }

    /** FLOW could not say whether an interrupted call went through: sending again blindly could do it twice. */
    public void reconcileFailed(Exchange exchange) {
        CommandRun run = exchange.getProperty(RUN, CommandRun.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof FlowCallException call && call.isNotFound()) {
            run.callAfterAll();
            return;
        }
        String reason = "flow-bridge was interrupted while sending this command to FLOW, and FLOW could not be asked "
            + "whether it went through (" + (failure == null ? "unknown error" : failure.getMessage())
            + "); check FLOW, then send it again with a new commandId if needed";
        run.settle(outcome(run, "failed").put("reason", reason), reason);
    }

    /** Sends the command's outcome, and its dead letter if it has one; Kafka's acknowledgement is awaited by {@link #finish}. */
    public void publish(@ExchangeProperty(RUN) CommandRun run, @ExchangeProperty(BATCH) CommandBatch batch) {
        if (run.outcome() != null) {
            send(run, batch);
        }
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

    // ---- deciding

    /**
     * The command a record holds. One without a commandId of its own gets one derived: from its normalised content
     * when it is valid (the same command sent twice is recognised), from its bytes when it is not (two different
     * mistakes that normalise alike are still two rejections, each with its own reason and dead letter). A
     * {@code command-id} record header (a redriven dead letter's, a Standard Webhooks {@code webhook-id}) wins over all.
     */
    private CommandRun parse(CommandSource source, String key, byte[] value, long producedAt, String headerCommandId) {
        CommandParser.Parsed parsed = parser.parse(value);
        byte[] bytes = value == null ? new byte[0] : value;
        if (parsed.error() != null) {
            String commandId = headerCommandId != null ? headerCommandId : CommandIds.derive(type.kind(), bytes);
            return new CommandRun(source, key, value, null, commandId, List.of(parsed.error()), producedAt);
        }
        ObjectNode command = parsed.command();
        List<FieldError> errors = type.validate(command);
        String commandId = headerCommandId != null ? headerCommandId : givenCommandId(command);
        if (commandId == null) {
            commandId = CommandIds.derive(type.kind(), errors.isEmpty() ? type.normalised(command) : bytes);
        }
        return new CommandRun(source, key, value, command, commandId, errors, producedAt);
    }

    private void decide(CommandRun run, Map<String, CommandRun> inBatch) {
        CommandLedger.Knowledge known = ledger.knowledge(type.kind(), run.commandId(), run.source());
        CommandRun earlier = inBatch.putIfAbsent(run.commandId(), run);
        if (known.answeredHere()) {
            run.plan(CommandRun.Plan.REDELIVERED);
        } else if (known.outcome() != null) {
            run.plan(CommandRun.Plan.DUPLICATE);
            run.settle(duplicate(run, json(ledger.outcome(known.outcome()))), null);
        } else if (earlier != null) {
            run.duplicateOf(earlier);
        } else if (!run.errors().isEmpty()) {
            String reason = (run.command() == null ? "malformed command: " : "invalid command: ") + FieldError.describe(run.errors());
            ObjectNode outcome = outcome(run, "rejected").put("reason", reason);
            outcome.set("errors", FieldError.toJson(run.errors()));
            run.plan(CommandRun.Plan.REJECT);
            run.settle(outcome, reason);
        } else if (type.refusal(run.command()) != null) {
            run.plan(CommandRun.Plan.REJECT);
            run.settle(outcome(run, "rejected").put("reason", type.refusal(run.command())), null);
        } else if (known.pending() && !reconcilable) {
            String reason = "flow-bridge was interrupted while sending this command to FLOW; whether FLOW carried it out "
                + "is unknown: check FLOW, then send it again with a new commandId if needed";
            run.plan(CommandRun.Plan.UNKNOWN);
            run.settle(outcome(run, "failed").put("reason", reason), reason);
        } else {
            run.plan(known.pending() ? CommandRun.Plan.RECONCILE : CommandRun.Plan.CALL);
            run.lane(type.lane(run.command(), run.commandId()));
        }
    }

    private void send(CommandRun run, CommandBatch batch) {
        ObjectNode outcome = run.outcome();
        String status = outcome.path("status").asText();
        batch.sent(records.outcome(topics.results(), type.resultKey(outcome), json(outcome), run, status, events));
        if (run.deadLetterReason() != null) {
            batch.sent(records.deadLetter(topics.deadLetters(), run, run.deadLetterReason(), status, events));
        }
    }

    /** Once the batch's outcomes are on Kafka: each command's latency (written to its topic -> outcome written), dead letters. */
    private void observe(CommandBatch batch) {
        long now = System.currentTimeMillis();
        for (CommandRun run : batch.runs()) {
            if (run.outcome() == null) {
                continue; // a redelivery: its outcome was written, and observed, before
            }
            metrics.commandLatency(type.kind(), run.outcome().path("status").asText(), Duration.ofMillis(Math.max(0, now - run.producedAt())));
            if (run.deadLetterReason() != null) {
                metrics.deadLetter(topics.deadLetters());
            }
        }
    }

    // ---- outcomes

    /** An outcome with every field present: {@code commandId, status, <the command's>, httpStatus, reason, <answer>, flowResponse, attempts, ts_ms}. */
    private ObjectNode outcome(CommandRun run, String status) {
        ObjectNode outcome = mapper.createObjectNode().put("commandId", run.commandId()).put("status", status);
        type.describe(outcome, run.command());
        outcome.putNull("httpStatus");
        outcome.putNull("reason");
        type.answerFields().forEach(outcome::putNull);
        outcome.putNull("flowResponse");
        outcome.put("attempts", 0);
        outcome.put("ts_ms", System.currentTimeMillis());
        return outcome;
    }

    /** The original outcome, with status {@code duplicate} (and the original's in {@code originalStatus}); FLOW was not called. */
    private ObjectNode duplicate(CommandRun run, JsonNode original) {
        ObjectNode outcome = original.deepCopy();
        outcome.put("commandId", run.commandId());
        outcome.put("status", "duplicate");
        outcome.put("attempts", 0);
        outcome.put("ts_ms", System.currentTimeMillis());
        outcome.put("originalStatus", original.path("status").asText());
        return outcome;
    }

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

    private JsonNode parsed(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException notJson) {
            return mapper.getNodeFactory().textNode(body);
        }
    }

    private static JsonNode unwrapped(JsonNode answer) {
        if (answer != null && answer.isObject() && answer.has("code") && answer.has("data")) {
            return answer.get("data");
        }
        return answer == null || answer.isTextual() ? null : answer;
    }

    private byte[] json(JsonNode outcome) {
        try {
            return mapper.writeValueAsBytes(outcome);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write an outcome", e);
        }
    }

    private JsonNode json(byte[] outcome) {
        try {
            return mapper.readTree(outcome);
        } catch (IOException e) {
            throw new IllegalStateException("An outcome read back is not JSON", e);
        }
    }
}
