package com.flowbridge.reports;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.CycleFacts;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.RecordHeaderFilter;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import com.flowbridge.webhook.WebhookGate;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The beans of the reports flow ({@code routes/flow-reports-to-kafka.camel.yaml}); needs the sessions flow's beans first. */
public final class ReportBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        CamelSettings settings = new CamelSettings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        EmittedState sessions = settings.bean("sessionsState", EmittedState.class);
        ChangeRecords changeRecords = settings.bean("changeRecords", ChangeRecords.class);
        Clock clock = Clock.systemUTC();

        Map<ReportKind, String> topics = new EnumMap<>(ReportKind.class);
        Map<ReportKind, String> paths = new EnumMap<>(ReportKind.class);
        List<TopicSpec> specs = new ArrayList<>();
        for (ReportKind kind : ReportKind.values()) {
            topics.put(kind, settings.required(kind.topicSetting()));
            paths.put(kind, settings.required(kind.pathSetting()));
            specs.add(TopicSpec.retained(topics.get(kind)));
        }
        String manifests = settings.required("kafka.topic.reports-manifests");
        String requests = settings.required("kafka.topic.report-requests");
        specs.add(TopicSpec.compacted(manifests));
        specs.add(TopicSpec.retained(requests));
        settings.bean("kafkaTopics", KafkaTopics.class).createMissing(specs);

        FlowAnswers answers = settings.bean("flowAnswers", FlowAnswers.class);
        ReportFacts facts = new ReportFacts(settings.bean("stateStore", StateStore.class), mapper);
        ReportLedger ledger = new ReportLedger(manifests, settings.bean("topicReader", TopicReader.class), mapper);
        ReportRetries retries = new ReportRetries(settings.duration("flow.reports.retry-initial-delay"),
            settings.duration("flow.reports.retry-max-delay"));
        registry.bind("reportSchedule", new ReportSchedule(sessions, ledger, facts, changeRecords, answers, retries,
            settings.duration("flow.reports.settle-delay"), settings.integer("flow.reports.max-per-cycle"), clock,
            settings.bean("cycleFacts", CycleFacts.class)));
        registry.bind("reportSources", new ReportSources(paths, settings.required("flow.api.path.report-compiled"), answers));
        int concurrency = settings.integer("flow.reports.concurrency");
        registry.bind("reportRecords", new ReportRecords(changeRecords, mapper.getFactory(), topics, manifests,
            settings.required("flow.base.url"), settings.integer("flow.reports.batch-size"),
            context.getExecutorServiceManager().newFixedThreadPool(this, "flow-report-reader", concurrency)));
        registry.bind("reportRequests", new ReportRequests(sessions, facts, settings.bean("webhookGate", WebhookGate.class),
            changeRecords, mapper, requests, clock));
        registry.bind("recordHeaderFilter", new RecordHeaderFilter());
        registry.bind("reportsFanOut", context.getExecutorServiceManager()
            .newFixedThreadPool(this, "flow-reports", concurrency));
    }
}
