package com.flowbridge.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.KafkaTransactionScope;
import com.flowbridge.kafka.TopicSpec;
import com.flowbridge.kafka.TransactionalProducers;
import com.flowbridge.observe.Metrics;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookRequests;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;

import static com.flowbridge.FlowBridgeBeans.bean;
import static com.flowbridge.FlowBridgeBeans.setting;

/**
 * The beans of the command flows ({@code routes/registration-commands-to-flow.camel.yaml},
 * {@code routes/event-commands-to-flow.camel.yaml}) and of the webhook ({@code routes/webhooks.camel.yaml}).
 * How beans are declared: see {@code FlowBridgeBeans}.
 */
@Configuration
public final class CommandBeans implements CamelConfiguration {

    /** Room left in a dead letter for its headers, below what the dead-letter topic takes. */
    private static final int DEAD_LETTER_HEADROOM = 16 * 1024;
    /** The producers' own limit (max.request.size, Kafka's default). */
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @Override
    public void configure(CamelContext context) {
        CommandTopics registrations = bean(context, "registrationCommandTopics", CommandTopics.class);
        CommandTopics events = bean(context, "eventCommandTopics", CommandTopics.class);
        bean(context, "kafkaTopics", KafkaTopics.class).createMissing(List.of(
            TopicSpec.retained(registrations.commands()), TopicSpec.retained(registrations.results()),
            TopicSpec.retained(registrations.deadLetters()), TopicSpec.retained(events.commands()),
            TopicSpec.retained(events.results()), TopicSpec.retained(events.deadLetters()),
            TopicSpec.compacted(setting(context, "kafka.topic.command-ledger"))));
        // Each flow and its transactional producer made now, before any route: the producer's first transaction fences
        // an earlier holder of its id before the flow's consumer starts.
        for (String flow : List.of("registrationCommands", "registrationTransaction", "eventCommands", "eventTransaction")) {
            bean(context, flow, Object.class);
        }
    }

    @BindToRegistry(lazy = true)
    public CommandTopics registrationCommandTopics(@PropertyInject("kafka.topic.registration-commands") String commands,
                                                   @PropertyInject("kafka.topic.registration-results") String results,
                                                   @PropertyInject("kafka.topic.registration-dlq") String deadLetters) {
        return new CommandTopics(commands, results, deadLetters);
    }

    @BindToRegistry(lazy = true)
    public CommandTopics eventCommandTopics(@PropertyInject("kafka.topic.event-commands") String commands,
                                            @PropertyInject("kafka.topic.event-results") String results,
                                            @PropertyInject("kafka.topic.event-dlq") String deadLetters) {
        return new CommandTopics(commands, results, deadLetters);
    }

    @BindToRegistry(lazy = true)
    public Registrations registrations(@BeanInject("sessionsState") EmittedState sessions,
                                       @PropertyInject("commands.reject-ended-sessions") boolean rejectEndedSessions) {
        return new Registrations(sessions, rejectEndedSessions);
    }

    @BindToRegistry(lazy = true)
    public EventCreations eventCreations(CanonicalJson canonical) {
        return new EventCreations(canonical);
    }

    @BindToRegistry(lazy = true)
    public OutcomeWaiters outcomeWaiters(@BeanInject("registrationCommandTopics") CommandTopics registrationTopics,
                                         @BeanInject("eventCommandTopics") CommandTopics eventTopics,
                                         Registrations registrations, EventCreations events) {
        return new OutcomeWaiters(Map.of(registrationTopics.results(), registrations.kind(), eventTopics.results(), events.kind()));
    }

    @BindToRegistry(lazy = true)
    public CommandFlows commandFlows(CamelContext context, ObjectMapper mapper, KafkaClients clients, KafkaTopics kafkaTopics,
                                     Metrics metrics, OutcomeWaiters waiters, FlowAnswers answers,
                                     @PropertyInject("kafka.topic.command-ledger") String ledgerTopic,
                                     @PropertyInject("flow.instance-id") String instance,
                                     @PropertyInject("flow.base.url") String flowBaseUrl,
                                     @PropertyInject("commands.idempotency-window") Duration idempotencyWindow,
                                     @PropertyInject("kafka.read-back-timeout") Duration kafkaTimeout,
                                     @PropertyInject("commands.max-bytes") int maxBytes,
                                     @PropertyInject("webhook.wait-timeout") Duration waitTimeout,
                                     @PropertyInject("commands.transactional-id") String transactionalId,
                                     @PropertyInject("commands.transaction-timeout") Duration transactionTimeout) {
        return new CommandFlows(context, mapper, clients, kafkaTopics, metrics, waiters, answers, ledgerTopic, instance,
            flowBaseUrl, idempotencyWindow, kafkaTimeout, maxBytes, waitTimeout, transactionalId, transactionTimeout);
    }

    @BindToRegistry(lazy = true)
    public CommandFlow registrationCommands(CommandFlows flows, Registrations registrations,
                                            @BeanInject("registrationCommandTopics") CommandTopics topics,
                                            @PropertyInject("flow.api.path.registration") String flowPath) {
        return flows.flow(registrations, topics, flowPath);
    }

    @BindToRegistry(lazy = true)
    public CommandFlow eventCommands(CommandFlows flows, EventCreations events,
                                     @BeanInject("eventCommandTopics") CommandTopics topics,
                                     @PropertyInject("flow.api.path.event-creation") String flowPath) {
        return flows.flow(events, topics, flowPath);
    }

    @BindToRegistry(lazy = true)
    public KafkaTransactionScope registrationTransaction(CommandFlows flows, Registrations registrations) {
        return flows.transaction("registrationTransaction", registrations);
    }

    @BindToRegistry(lazy = true)
    public KafkaTransactionScope eventTransaction(CommandFlows flows, EventCreations events) {
        return flows.transaction("eventTransaction", events);
    }

    @BindToRegistry(lazy = true)
    public ExecutorService registrationLanes(CamelContext context, @PropertyInject("commands.concurrency") int concurrency) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "registration-lanes", concurrency);
    }

    @BindToRegistry(lazy = true)
    public ExecutorService eventLanes(CamelContext context, @PropertyInject("commands.concurrency") int concurrency) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "event-lanes", concurrency);
    }

    @BindToRegistry(lazy = true)
    public WebhookRequests webhookRequests(WebhookGate gate, ObjectMapper mapper) {
        return new WebhookRequests(gate, mapper);
    }

    /** What the two command flows are made of alike; each gets its own ledger, records and transactional producer. */
    public record CommandFlows(CamelContext context, ObjectMapper mapper, KafkaClients clients, KafkaTopics kafkaTopics,
                               Metrics metrics, OutcomeWaiters waiters, FlowAnswers answers, String ledgerTopic,
                               String instance, String flowBaseUrl, Duration idempotencyWindow, Duration kafkaTimeout,
                               int maxBytes, Duration waitTimeout, String transactionalId, Duration transactionTimeout) {

        CommandFlow flow(CommandType type, CommandTopics topics, String flowPath) {
            CommandLedger ledger = new CommandLedger(ledgerTopic, type.kind(), topics.commands(), kafkaTopics.partitions(ledgerTopic),
                clients, context, mapper, instance, idempotencyWindow, kafkaTimeout);
            int deadLetterLimit = Math.min(MAX_REQUEST_BYTES, kafkaTopics.maxMessageBytes(topics.deadLetters())) - DEAD_LETTER_HEADROOM;
            return new CommandFlow(type, topics, ledger, new CommandRecords(context, deadLetterLimit), waiters,
                new CommandParser(mapper, maxBytes), mapper, answers, waitTimeout, metrics,
                new CommandEvents(type.kind(), flowBaseUrl + flowPath));
        }

        /**
         * One transactional producer for the flow's consumer, its id this instance's: the outcomes, dead letters, done
         * markers and offsets of a batch are one transaction, fenced by the consumer group's generation.
         */
        KafkaTransactionScope transaction(String name, CommandType type) {
            TransactionalProducers producers = TransactionalProducers.open(transactionalId + "-" + type.kind() + "-" + instance, 1,
                clients.producer(), transactionTimeout, metrics::bindProducer);
            try {
                context.addService(new ServiceSupport() {
                    @Override
                    protected void doStop() {
                        producers.close();
                    }
                }, true, true);
            } catch (Exception e) {
                producers.close();
                throw new IllegalStateException("Cannot add the " + name + " producer's service", e);
            }
            return new KafkaTransactionScope(name, producers);
        }
    }
}
