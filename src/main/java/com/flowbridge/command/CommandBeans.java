package com.flowbridge.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.TopicSpec;
import com.flowbridge.observe.Metrics;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookRequests;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The beans of the command flows ({@code routes/registration-commands-to-flow.camel.yaml},
 * {@code routes/event-commands-to-flow.camel.yaml}) and of the webhook ({@code routes/webhooks.camel.yaml}).
 */
public final class CommandBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        CamelSettings settings = new CamelSettings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        KafkaClients clients = settings.bean("kafkaClients", KafkaClients.class);
        FlowAnswers answers = settings.bean("flowAnswers", FlowAnswers.class);
        Duration kafkaTimeout = settings.duration("kafka.read-back-timeout");
        Duration waitTimeout = settings.duration("webhook.wait-timeout");

        CommandTopics registrations = new CommandTopics(settings.required("kafka.topic.registration-commands"),
            settings.required("kafka.topic.registration-results"), settings.required("kafka.topic.registration-dlq"));
        CommandTopics events = new CommandTopics(settings.required("kafka.topic.event-commands"),
            settings.required("kafka.topic.event-results"), settings.required("kafka.topic.event-dlq"));
        String ledgerTopic = settings.required("kafka.topic.command-ledger");
        settings.bean("kafkaTopics", KafkaTopics.class).createMissing(List.of(
            TopicSpec.retained(registrations.commands()), TopicSpec.retained(registrations.results()),
            TopicSpec.retained(registrations.deadLetters()), TopicSpec.retained(events.commands()),
            TopicSpec.retained(events.results()), TopicSpec.retained(events.deadLetters()), TopicSpec.compacted(ledgerTopic)));

        CommandRecords records = new CommandRecords(clients.producer());
        OutcomeWaiters waiters = new OutcomeWaiters();
        Registrations registration = new Registrations(settings.bean("sessionsState", EmittedState.class),
            settings.bool("commands.reject-ended-sessions"));
        EventCreations event = new EventCreations(settings.bean("canonicalJson", CanonicalJson.class));
        CommandLedger ledger = new CommandLedger(ledgerTopic,
            Map.of(registrations.results(), registration.kind(), events.results(), event.kind()),
            clients, records, waiters, mapper, settings.duration("commands.idempotency-window"), kafkaTimeout);
        // Stopped in reverse order, after the routes: the ledger stops following, then the producer closes.
        context.addService(records, true, true);
        context.addService(ledger, true, true);

        Metrics metrics = settings.bean("metrics", Metrics.class);
        CommandParser parser = new CommandParser(mapper, settings.integer("commands.max-bytes"));
        String flowBaseUrl = settings.required("flow.base.url");
        registry.bind("registrationCommands", new CommandFlow(registration, registrations, ledger, records, waiters, parser,
            mapper, answers, true, waitTimeout, kafkaTimeout, metrics,
            new CommandEvents(registration.kind(), flowBaseUrl + settings.required("flow.api.path.registration"))));
        registry.bind("eventCommands", new CommandFlow(event, events, ledger, records, waiters, parser,
            mapper, answers, false, waitTimeout, kafkaTimeout, metrics,
            new CommandEvents(event.kind(), flowBaseUrl + settings.required("flow.api.path.event-creation"))));
        int concurrency = settings.integer("commands.concurrency");
        registry.bind("registrationLanes", context.getExecutorServiceManager().newFixedThreadPool(this, "registration-lanes", concurrency));
        registry.bind("eventLanes", context.getExecutorServiceManager().newFixedThreadPool(this, "event-lanes", concurrency));
        registry.bind("webhookRequests", new WebhookRequests(settings.bean("webhookGate", WebhookGate.class), mapper));
    }
}
