package com.flowbridge.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.ChangeEvents;
import com.flowbridge.testing.PrometheusText;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.testing.WebhookClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 7, the soak: the packaged jar polling the sandbox every 2 s and carrying out a steady trickle of
 * registrations (by Kafka, every fifth by the webhook) while FLOW changes a little, for
 * {@code reliability.soak.duration} (1 h in bench/reliability/run.sh). Heap after a full GC and live threads of the
 * flow-bridge process are sampled every {@code reliability.soak.sample-interval}; they must stay flat, and no error
 * may appear. Too long for CI: tagged {@code long}, run by the bench script only.
 */
@Tag("long")
class SoakIT extends SandboxTest {

    private static final String SCENARIO = "soak";
    private static final List<String> SESSIONS = List.of("future-roadmap-1", "future-roadmap-2", "live-townhall");
    private static final double MB = 1024 * 1024;
    private static final int WARM_UP = 25;

    private final Duration duration = Reliability.duration("soak.duration", "3m");
    private final Duration sampleEvery = Reliability.duration("soak.sample-interval", "30s");
    private final Duration commandEvery = Reliability.duration("soak.command-interval", "2s");
    private final Duration changeEvery = Reliability.duration("soak.change-interval", "30s");

    @TempDir
    Path workDir;

    private record Sample(long elapsedSeconds, double heapAfterGcMb, double threads, int commandsSent,
                          double flowCallsOk, double flowCallsFailed, double exchangesFailed, double deadLetters) {

        String csv() {
            return String.format("%d,%.1f,%.0f,%d,%.0f,%.0f,%.0f,%.0f", elapsedSeconds, heapAfterGcMb, threads, commandsSent,
                flowCallsOk, flowCallsFailed, exchangesFailed, deadLetters);
        }
    }

    @Test
    void steady_polling_and_commands_keep_heap_threads_and_errors_flat() throws Exception {
        assertThat(duration).as("a soak is several sample intervals long").isGreaterThanOrEqualTo(sampleEvery.multipliedBy(3));
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        TopicProbe results = probe("kafka.topic.registration-results");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "soak", workDir.resolve("locks"));
        environment.put("FLOW_POLL_INTERVAL", "2s");
        environment.put("FLOW_OPERATORS_POLL_INTERVAL", "30s");
        environment.put("WEBHOOK_SECRET", WebhookClient.SECRET);
        BridgeProcess bridge = track(BridgeProcess.start("soak", workDir.resolve("bridge"), environment));
        WebhookClient webhook = new WebhookClient(Integer.parseInt(environment.get("WEBHOOK_PORT")));
        events.awaitCount(5, Duration.ofSeconds(90));

        Instant start = Instant.now();
        List<Sample> samples = new ArrayList<>();
        Reliability.append("soak-series.csv", List.of("# soak of " + duration + " started " + start,
            "elapsed_s,heap_after_gc_mb,live_threads,commands_sent,flow_calls_ok,flow_calls_failed,exchanges_failed,dead_letters"));
        samples.add(sample(bridge, start, 0));
        warmUp(bridge, webhook, results);
        int commands = WARM_UP;
        samples.add(sample(bridge, start, commands));
        int changes = 0;
        Instant nextCommand = start;
        Instant nextChange = start.plus(changeEvery);
        Instant nextSample = start.plus(sampleEvery);
        Instant end = start.plus(duration);
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            while (Instant.now().isBefore(end)) {
                if (!Instant.now().isBefore(nextCommand)) {
                    sendCommand("soak-" + commands, commands % 5 == 4 ? webhook : null, producer);
                    commands++;
                    nextCommand = nextCommand.plus(commandEvery);
                }
                if (!Instant.now().isBefore(nextChange)) {
                    flow().patchSession(SESSIONS.get(changes % SESSIONS.size()), json("{\"title\":\"Soak change " + changes + "\"}"));
                    changes++;
                    nextChange = nextChange.plus(changeEvery);
                }
                if (!Instant.now().isBefore(nextSample)) {
                    samples.add(sample(bridge, start, commands));
                    nextSample = nextSample.plus(sampleEvery);
                }
                Thread.sleep(100);
            }
        }
        int sent = commands;
        List<ConsumerRecord<String, String>> outcomes = results.await(seen -> seen.size() >= sent, Duration.ofSeconds(120),
            "an outcome for each of the " + sent + " commands");
        Thread.sleep(5000); // the last change's cycle
        Sample startUp = samples.get(0);
        Sample warmedUp = samples.get(1);
        // Flatness is judged from the first periodic sample on: by then every pool has seen every kind of work
        // (operator polls every 30 s, the registrants fan-out, Kafka's client threads), which the warm-up does not all do.
        Sample first = samples.get(2);
        Sample last = sample(bridge, start, commands);
        samples.add(last);

        Map<String, Long> outcomesPerCommand = outcomes.stream()
            .collect(Collectors.groupingBy(r -> value(r).path("commandId").asText(), Collectors.counting()));
        List<ConsumerRecord<String, String>> eventRecords = events.records();
        List<ConsumerRecord<String, String>> registrantRecords = registrants.records();
        long changesPublished = eventRecords.stream().filter(r -> r.value() != null)
            .filter(r -> value(r).path("after").path("title").asText().startsWith("Soak change"))
            .filter(r -> !value(r).path("after").path("title").equals(value(r).path("before").path("title"))).count();
        double heapGrowth = last.heapAfterGcMb() - first.heapAfterGcMb();

        Reliability.figure(SCENARIO, String.format("duration %s, polls every 2 s (sessions and registrants), %d commands (1 every %s, "
                + "every 5th by webhook), %d FLOW changes (1 every %s)", duration, commands, commandEvery, changes, changeEvery));
        Reliability.figure(SCENARIO, String.format("heap after full GC: %.1f MB at start-up, %.1f MB after the warm-up, %.1f MB after %d s "
                + "of traffic, %.1f MB at the end (%+.1f MB since; min %.1f, max %.1f over %d samples)",
            startUp.heapAfterGcMb(), warmedUp.heapAfterGcMb(), first.heapAfterGcMb(), first.elapsedSeconds(), last.heapAfterGcMb(), heapGrowth,
            samples.stream().mapToDouble(Sample::heapAfterGcMb).min().orElseThrow(),
            samples.stream().mapToDouble(Sample::heapAfterGcMb).max().orElseThrow(), samples.size()));
        Reliability.figure(SCENARIO, String.format("live threads: %.0f at start-up, %.0f after the warm-up, %.0f after %d s of traffic, %.0f at "
                + "the end (min %.0f, max %.0f)", startUp.threads(), warmedUp.threads(), first.threads(), first.elapsedSeconds(), last.threads(),
            samples.stream().mapToDouble(Sample::threads).min().orElseThrow(), samples.stream().mapToDouble(Sample::threads).max().orElseThrow()));
        Reliability.figure(SCENARIO, String.format("FLOW calls: %.0f answered 2xx/3xx, %.0f failed; failed Camel exchanges %.0f -> %.0f; dead letters %.0f",
            last.flowCallsOk(), last.flowCallsFailed(), first.exchangesFailed(), last.exchangesFailed(), last.deadLetters()));
        Reliability.figure(SCENARIO, String.format("outcomes: %d commands, %d with exactly one outcome; change events: %d session changes "
                + "published of %d made, %d registrant events, %d emitted twice", commands,
            outcomesPerCommand.values().stream().filter(n -> n == 1).count(), changesPublished, changes, registrantRecords.size(),
            ChangeEvents.emittedTwice(eventRecords).size() + ChangeEvents.emittedTwice(registrantRecords).size()));
        Reliability.append("soak-series.csv", samples.stream().map(Sample::csv).toList());

        assertThat(bridge.isAlive()).isTrue();
        assertThat(outcomesPerCommand).hasSize(commands);
        assertThat(outcomesPerCommand.values()).as("outcomes per command").containsOnly(1L);
        assertThat(outcomes).extracting(r -> value(r).path("status").asText()).containsOnly("registered");
        assertThat(flow().postsByCommandId().values()).as("POSTs per commandId").containsOnly(1L);
        assertThat(changesPublished).as("each FLOW change published once").isEqualTo(changes);
        assertThat(ChangeEvents.emittedTwice(eventRecords)).isEmpty();
        assertThat(ChangeEvents.emittedTwice(registrantRecords)).isEmpty();
        assertThat(last.flowCallsFailed()).as("failed FLOW calls").isZero();
        assertThat(last.exchangesFailed()).as("failed exchanges").isEqualTo(first.exchangesFailed());
        assertThat(last.deadLetters()).as("dead letters").isZero();
        // Camel's pools let idle threads end after 60 s and make them again when work comes, so the count wanders by
        // a few threads; a leak grows with the work (a thread per command or per poll would add thousands an hour).
        assertThat(last.threads()).as("live threads").isLessThanOrEqualTo(first.threads() + 10);
        // What is remembered by design grows with the work done: each commandId (about 325 bytes, README) and each new
        // registrant's last published state. Anything beyond that and a margin for GC noise is a leak.
        assertThat(heapGrowth).as("heap growth after full GC, MB").isLessThan(16 + commands * 4096 / MB);
    }

    /**
     * Thread pools (Vert.x workers of the webhook and management servers, Camel's and camel-kafka's pools) make one
     * thread per task until they reach their core size, then never shrink: bounded, but a soak sampled every few
     * minutes would take their filling for growth. So the baseline is taken once every pool has seen more tasks
     * than its size: {@value #WARM_UP} metric scrapes and {@value #WARM_UP} webhook commands.
     */
    private void warmUp(BridgeProcess bridge, WebhookClient webhook, TopicProbe results) throws InterruptedException {
        for (int i = 0; i < WARM_UP; i++) {
            bridge.metrics();
            sendCommand("soak-warm-up-" + i, webhook, null);
        }
        results.awaitCount(WARM_UP, Duration.ofSeconds(60));
    }

    /** A registration by the webhook when {@code webhook} is given, else by Kafka. */
    private void sendCommand(String commandId, WebhookClient webhook, TestProducer producer) throws InterruptedException {
        String session = SESSIONS.get(Math.floorMod(commandId.hashCode(), SESSIONS.size()));
        String email = commandId + "@example.com";
        String command = "{\"commandId\":\"" + commandId + "\",\"email\":\"" + email + "\",\"firstName\":\"Soak\","
            + "\"lastName\":\"Tester\",\"eventSessionToken\":\"" + session + "\"}";
        if (webhook != null) {
            webhook.postUntilAccepted("/webhooks/registrations", command, Duration.ofSeconds(60));
        } else {
            producer.send(topics.get("kafka.topic.registration-commands"), session + ":" + email, command);
        }
    }

    /** Forces a full GC in the flow-bridge process, then reads its metrics: the heap that is really held. */
    private static Sample sample(BridgeProcess bridge, Instant start, int commandsSent) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(bridge.pid()), "GC.run").redirectErrorStream(true).start();
        String gcOutput = new String(gc.getInputStream().readAllBytes());
        assertThat(gc.waitFor()).as("jcmd GC.run: " + gcOutput).isZero();
        Thread.sleep(500);
        PrometheusText metrics = bridge.metrics();
        Sample sample = new Sample(Duration.between(start, Instant.now()).toSeconds(),
            metrics.sum("jvm_memory_used_bytes", "area=\"heap\"") / MB,
            metrics.sum("jvm_threads_live_threads"),
            commandsSent,
            metrics.sum("flowbridge_flow_calls_total") - metrics.sumExcept("flowbridge_flow_calls_total", "status=\"2", "status=\"3"),
            metrics.sumExcept("flowbridge_flow_calls_total", "status=\"2", "status=\"3"),
            metrics.sum("camel_exchanges_failed_total"),
            metrics.sum("flowbridge_dead_letters_total"));
        System.out.println("[soak] " + sample.csv());
        return sample;
    }
}
