package com.flowbridge.reports;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import static com.flowbridge.FlowBridgeBeans.bean;
import static com.flowbridge.FlowBridgeBeans.setting;

/**
 * The beans of the reports flow ({@code routes/flow-reports-to-kafka.camel.yaml}). How beans are declared: see
 * {@code FlowBridgeBeans}.
 */
@Configuration
public final class ReportBeans implements CamelConfiguration {

    private static final Clock CLOCK = Clock.systemUTC();

    @Override
    public void configure(CamelContext context) {
        List<TopicSpec> specs = new ArrayList<>();
        byKind(context, ReportKind::topicSetting).values().forEach(topic -> specs.add(TopicSpec.retained(topic)));
        specs.add(TopicSpec.compacted(setting(context, "kafka.topic.reports-manifests")));
        specs.add(TopicSpec.retained(setting(context, "kafka.topic.report-requests")));
        bean(context, "kafkaTopics", KafkaTopics.class).createMissing(specs);
    }

    @BindToRegistry(lazy = true)
    public ReportFacts reportFacts(StateStore facts, ObjectMapper mapper) {
        return new ReportFacts(facts, mapper);
    }

    @BindToRegistry(lazy = true)
    public ReportSchedule reportSchedule(@BeanInject("sessionsState") EmittedState sessions, ReportFacts facts,
                                         ChangeRecords changeRecords, FlowAnswers answers, CycleFacts cycles,
                                         TopicReader reader, ObjectMapper mapper,
                                         @PropertyInject("kafka.topic.reports-manifests") String manifests,
                                         @PropertyInject("flow.reports.retry-initial-delay") Duration retryInitialDelay,
                                         @PropertyInject("flow.reports.retry-max-delay") Duration retryMaxDelay,
                                         @PropertyInject("flow.reports.settle-delay") Duration settleDelay,
                                         @PropertyInject("flow.reports.max-per-cycle") int maxPerCycle) {
        return new ReportSchedule(sessions, new ReportLedger(manifests, reader, mapper), facts, changeRecords, answers,
            new ReportRetries(retryInitialDelay, retryMaxDelay), settleDelay, maxPerCycle, CLOCK, cycles);
    }

    @BindToRegistry(lazy = true)
    public ReportSources reportSources(CamelContext context, FlowAnswers answers,
                                       @PropertyInject("flow.api.path.report-compiled") String compiledPath) {
        return new ReportSources(byKind(context, ReportKind::pathSetting), compiledPath, answers);
    }

    @BindToRegistry(lazy = true)
    public ReportRecords reportRecords(CamelContext context, ChangeRecords changeRecords, ObjectMapper mapper,
                                       @PropertyInject("kafka.topic.reports-manifests") String manifests,
                                       @PropertyInject("flow.base.url") String flowBaseUrl,
                                       @PropertyInject("flow.reports.batch-size") int batchSize,
                                       @PropertyInject("flow.reports.concurrency") int concurrency) {
        return new ReportRecords(changeRecords, mapper.getFactory(), byKind(context, ReportKind::topicSetting), manifests,
            flowBaseUrl, batchSize, context.getExecutorServiceManager().newFixedThreadPool(this, "flow-report-reader", concurrency));
    }

    @BindToRegistry(lazy = true)
    public ReportRequests reportRequests(@BeanInject("sessionsState") EmittedState sessions, ReportFacts facts, WebhookGate gate,
                                         ChangeRecords changeRecords, ObjectMapper mapper,
                                         @PropertyInject("kafka.topic.report-requests") String requests) {
        return new ReportRequests(sessions, facts, gate, changeRecords, mapper, requests, CLOCK);
    }

    @BindToRegistry(lazy = true)
    public RecordHeaderFilter recordHeaderFilter() {
        return new RecordHeaderFilter();
    }

    @BindToRegistry(lazy = true)
    public ExecutorService reportsFanOut(CamelContext context, @PropertyInject("flow.reports.concurrency") int concurrency) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "flow-reports", concurrency);
    }

    /** Each report kind's setting (its topic, its FLOW path): keys made from the kind, so not injected. */
    private static Map<ReportKind, String> byKind(CamelContext context, Function<ReportKind, String> key) {
        Map<ReportKind, String> values = new EnumMap<>(ReportKind.class);
        for (ReportKind kind : ReportKind.values()) {
            values.put(kind, setting(context, key.apply(kind)));
        }
        return values;
    }
}
