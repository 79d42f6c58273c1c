package com.flowbridge.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The beans of the command flows ({@code routes/registration-commands-to-flow.camel.yaml},
 * {@code routes/event-commands-to-flow.camel.yaml}) and of the webhook ({@code routes/webhooks.camel.yaml}).
 */
public final class CommandBeans implements CamelConfiguration {

    /** Room left in a dead letter for its headers, below what the dead-letter topic takes. */
    private static final int DEAD_LETTER_HEADROOM = 16 * 1024;
    /** The producers' own limit (max.request.size, Kafka's default). */
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @Override
    public void configure(CamelContext context) throws Exception {
        CamelSettings settings = new CamelSettings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        KafkaClients clients = settings.bean("kafkaClients", KafkaClients.class);
        KafkaTopics kafkaTopics = settings.bean("kafkaTopics", KafkaTopics.class);
        Metrics metrics = settings.bean("metrics", Metrics.class);

        CommandTopics registrations = new CommandTopics(settings.required("kafka.topic.registration-commands"),
            settings.required("kafka.topic.registration-results"), settings.required("kafka.topic.registration-dlq"));
        CommandTopics events = new CommandTopics(settings.required("kafka.topic.event-commands"),
            settings.required("kafka.topic.event-results"), settings.required("kafka.topic.event-dlq"));
        String ledgerTopic = settings.required("kafka.topic.command-ledger");
        kafkaTopics.createMissing(List.of(
            TopicSpec.retained(registrations.commands()), TopicSpec.retained(registrations.results()),
            TopicSpec.retained(registrations.deadLetters()), TopicSpec.retained(events.commands()),
            TopicSpec.retained(events.results()), TopicSpec.retained(events.deadLetters()), TopicSpec.compacted(ledgerTopic)));

        Registrations registration = new Registrations(settings.bean("sessionsState", EmittedState.class),
            settings.bool("commands.reject-ended-sessions"));
        EventCreations event = new EventCreations(settings.bean("canonicalJson", CanonicalJson.class));
        OutcomeWaiters waiters = new OutcomeWaiters(Map.of(registrations.results(), registration.kind(),
            events.results(), event.kind()));
        registry.bind("outcomeWaiters", waiters);

        Flows flows = new Flows(context, settings, mapper, clients, kafkaTopics, metrics, waiters, ledgerTopic);
        flows.bind("registrationCommands", "registrationTransaction", registration, registrations,
            settings.required("flow.api.path.registration"));
        flows.bind("eventCommands", "eventTransaction", event, events, settings.required("flow.api.path.event-creation"));

        int concurrency = settings.integer("commands.concurrency");
        registry.bind("registrationLanes", context.getExecutorServiceManager().newFixedThreadPool(this, "registration-lanes", concurrency));
        registry.bind("eventLanes", context.getExecutorServiceManager().newFixedThreadPool(this, "event-lanes", concurrency));
        registry.bind("webhookRequests", new WebhookRequests(settings.bean("webhookGate", WebhookGate.class), mapper));
    }

    /** What the two command flows are made of alike; each gets its own ledger, records and transactional producer. */
    private record Flows(CamelContext context, CamelSettings settings, ObjectMapper mapper, KafkaClients clients,
                         KafkaTopics kafkaTopics, Metrics metrics, OutcomeWaiters waiters, String ledgerTopic) {

        void bind(String flowBean, String transactionBean, CommandType type, CommandTopics topics, String flowPath) throws Exception {
            String instance = settings.required("flow.instance-id");
            Duration kafkaTimeout = settings.duration("kafka.read-back-timeout");
            CommandLedger ledger = new CommandLedger(ledgerTopic, type.kind(), topics.commands(), kafkaTopics.partitions(ledgerTopic),
                clients, context, mapper, instance, settings.duration("commands.idempotency-window"), kafkaTimeout);
            int deadLetterLimit = Math.min(MAX_REQUEST_BYTES, kafkaTopics.maxMessageBytes(topics.deadLetters())) - DEAD_LETTER_HEADROOM;
            CommandFlow flow = new CommandFlow(type, topics, ledger, new CommandRecords(context, deadLetterLimit), waiters,
                new CommandParser(mapper, settings.integer("commands.max-bytes")), mapper, settings.bean("flowAnswers", FlowAnswers.class),
                settings.duration("webhook.wait-timeout"), metrics,
                new CommandEvents(type.kind(), settings.required("flow.base.url") + flowPath));
            context.getRegistry().bind(flowBean, flow);

            // One transactional producer for the flow's consumer, its id this instance's: the outcomes, dead letters, done
            // markers and offsets of a batch are one transaction, fenced by the consumer group's generation.
            Properties producer = clients.producer();
            TransactionalProducers producers = TransactionalProducers.open(
                settings.required("commands.transactional-id") + "-" + type.kind() + "-" + instance, 1, producer,
                settings.duration("commands.transaction-timeout"), metrics::bindProducer);
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    producers.close();
                }
            }, true, true);
            context.getRegistry().bind(transactionBean, new KafkaTransactionScope(transactionBean, producers));
        }
    }
}
