package com.flowbridge.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.ChangeEvents;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer on any number of hosts, with the packaged jar as separate processes, each in a working folder of its own
 * (its own routes, config and lock folder: nothing shared but the Kafka broker and FLOW): exactly one instance polls, the
 * others stand by; a poller killed (kill -9) or frozen (SIGSTOP, as by a long GC pause) is replaced by a standby within a
 * bounded time; and a consumer reading with {@code isolation.level=read_committed} sees every change once, whatever the
 * frozen poller wrote after it woke up. {@code reliability.takeovers} kills and {@code reliability.freezes} freezes (one
 * each here; 10 and 5 in bench/reliability/run.sh); {@code reliability.poller.session-timeout} the instances'
 * FLOW_POLLER_SESSION_TIMEOUT ({@code default}: the shipped setting; 6 s, Kafka's smallest, unless told).
 */
class OneWriterIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration TAKEOVER = Duration.ofSeconds(60);
    private static final String ACTIVE = "is now the active poller";
    private static final String STANDS_BY = "stands by";

    @TempDir
    Path workDir;

    @Test
    void three_instances_on_disks_of_their_own_poll_once_and_publish_every_change_once() throws Exception {
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        List<BridgeProcess> instances = List.of(start("instance-a"), start("instance-b"), start("instance-c"));
        BridgeProcess poller = awaitThePoller(instances);
        events.awaitCount(5, START);
        registrants.awaitCount(12, START);

        flow().patchSession("live-townhall", json("{\"title\":\"Seen once\"}"));
        flow().addRegistrant("live-townhall", json("{\"email\":\"grace@example.com\",\"firstName\":\"Grace\",\"lastName\":\"Hopper\"}"));
        events.awaitCount(6, Duration.ofSeconds(30));
        registrants.awaitCount(13, Duration.ofSeconds(30));
        assertThat(events.newRecordsWithin(Duration.ofSeconds(4))).as("one writer: nothing more on flow.events").isEmpty();
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(1))).as("one writer: nothing more on flow.registrants").isEmpty();

        assertThat(ChangeEvents.emittedTwice(events.records())).isEmpty();
        assertThat(ChangeEvents.emittedTwice(registrants.records())).isEmpty();
        for (BridgeProcess instance : instances) {
            boolean active = instance == poller;
            assertThat(instance.metrics().sum("flowbridge_poller_leader")).as("flowbridge_poller_leader of %s", instance)
                .isEqualTo(active ? 1.0 : 0.0);
            assertThat(instance.health().body()).as("the role in /observe/health").contains(active ? ": active poller" : ": standby");
            if (!active) {
                assertThat(instance.consoleText()).contains(STANDS_BY).doesNotContain(ACTIVE);
            }
        }
    }

    @Test
    void a_poller_killed_or_frozen_mid_cycle_is_replaced_and_read_committed_consumers_see_each_change_once() throws Exception {
        int kills = Reliability.count("takeovers", 1);
        int freezes = Reliability.count("freezes", 1);
        // 120 sessions of 30 registrants, each list answered after 100 ms: a registrants cycle always has calls in flight.
        flow().generate(120, 30, 1);
        flow().setLatency("GET", "/reports/events/sessions/registrants/", 100);
        int registrantCount = 120 * 30 + 12;
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        TopicProbe carelessRegistrants = track(TopicProbe.uncommitted(TestKafka.bootstrapServers(), topics.get("kafka.topic.registrants")));
        TopicProbe carelessEvents = track(TopicProbe.uncommitted(TestKafka.bootstrapServers(), topics.get("kafka.topic.events")));
        List<BridgeProcess> instances = new ArrayList<>(List.of(start("instance-a"), start("instance-b")));
        BridgeProcess poller = awaitThePoller(instances);
        BridgeProcess standby = instances.get(instances.get(0) == poller ? 1 : 0);
        registrants.awaitCount(registrantCount / 5, START);

        List<Long> killTakeovers = new ArrayList<>();
        List<Long> killPublished = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            int activeBefore = count(standby, ACTIVE);
            poller.kill();
            long killedAt = System.nanoTime();
            String title = "Changed while the poller was dead (" + kill + ")";
            flow().patchSession("live-townhall", json("{\"title\":\"" + title + "\"}"));
            awaitCount(standby, ACTIVE, activeBefore + 1, TAKEOVER);
            killTakeovers.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
            awaitTitle(events, title);
            killPublished.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
            poller = standby;
            standby = start("instance-k" + kill);
            standby.awaitLine(STANDS_BY, START);
        }

        List<Long> freezeTakeovers = new ArrayList<>();
        List<Long> freezePublished = new ArrayList<>();
        List<Double> fencedWrites = new ArrayList<>();
        for (int freeze = 1; freeze <= freezes; freeze++) {
            int activeBefore = count(standby, ACTIVE);
            int standingBefore = count(poller, STANDS_BY);
            poller.freeze();
            long frozenAt = System.nanoTime();
            String title = "Changed while the poller was frozen (" + freeze + ")";
            flow().patchSession("live-townhall", json("{\"title\":\"" + title + "\"}"));
            awaitCount(standby, ACTIVE, activeBefore + 1, TAKEOVER);
            long takeover = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
            freezeTakeovers.add(takeover);
            awaitTitle(events, title);
            freezePublished.add(Duration.ofNanos(System.nanoTime() - frozenAt).toMillis());
            // Frozen for twice the takeover time, then woken in the middle of what it was doing.
            Reliability.sleepUntil(frozenAt + Duration.ofMillis(2 * takeover).toNanos());
            poller.thaw();
            awaitCount(poller, STANDS_BY, standingBefore + 1, TAKEOVER);
            fencedWrites.add(poller.metrics().sum("flowbridge_poller_fenced_writes_total"));
            BridgeProcess woken = poller;
            poller = standby;
            standby = woken;
        }

        registrants.awaitCount(registrantCount, START);
        assertThat(events.newRecordsWithin(Duration.ofSeconds(5))).as("nothing more on flow.events").isEmpty();
        List<ConsumerRecord<String, String>> published = registrants.records();
        List<ConsumerRecord<String, String>> changes = events.records();
        List<ConsumerRecord<String, String>> carelessPublished = carelessRegistrants.records();
        List<ConsumerRecord<String, String>> carelessChanges = carelessEvents.records();

        List<Long> all = new ArrayList<>(killTakeovers);
        all.addAll(freezeTakeovers);
        String sessionTimeout = System.getProperty("reliability.poller.session-timeout", "6s").replace("default", "as shipped");
        Reliability.figure("one-writer", String.format("two instances in folders of their own, FLOW_POLLER_SESSION_TIMEOUT %s, "
                + "the poller killed (kill -9) %d and frozen (SIGSTOP for twice the takeover time) %d times mid registrants "
                + "cycle (120 sessions x 30): standby active after %s ms (kills) and %s ms (freezes); the change made in FLOW "
                + "right after the kill or freeze seen by a read_committed consumer after %s ms (kills) and %s ms (freezes); "
                + "fenced writes of the woken poller (its counter, cumulative): %s", sessionTimeout, kills, freezes,
            killTakeovers, freezeTakeovers, killPublished, freezePublished, fencedWrites));
        Reliability.figure("one-writer", String.format("takeover, kill to change seen (min / median / max): kills %s, freezes %s; "
                + "kill or freeze to standby active: kills %s, freezes %s",
            spread(killPublished), spread(freezePublished), spread(killTakeovers), spread(freezeTakeovers)));
        Reliability.figure("one-writer", String.format("read_committed: %d registrant events for %d registrants, emitted twice %d; "
                + "%d session events, emitted twice %d", published.size(), registrantCount,
            ChangeEvents.emittedTwice(published).size(), changes.size(), ChangeEvents.emittedTwice(changes).size()));
        Reliability.figure("one-writer", String.format("read_uncommitted: %d registrant records (%d more: aborted transactions), "
                + "emitted twice %d, %d distinct keys; %d session records (%d more), emitted twice %d",
            carelessPublished.size(), carelessPublished.size() - published.size(), ChangeEvents.emittedTwice(carelessPublished).size(),
            carelessPublished.stream().map(ConsumerRecord::key).distinct().count(), carelessChanges.size(),
            carelessChanges.size() - changes.size(), ChangeEvents.emittedTwice(carelessChanges).size()));

        assertThat(published).as("every registrant once, as a read").hasSize(registrantCount);
        assertThat(published.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).hasSize(registrantCount);
        assertThat(ChangeEvents.emittedTwice(published)).isEmpty();
        assertThat(ChangeEvents.emittedTwice(changes)).isEmpty();
        assertThat(changes).as("the snapshot, then one change per kill and per freeze").hasSize(5 + 120 + kills + freezes);
        assertThat(all.stream().mapToLong(Long::longValue).max().orElseThrow()).as("takeover, ms").isLessThan(15_000L);
    }

    private BridgeProcess start(String instance) {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, instance, workDir.resolve(instance + "-locks"));
        String sessionTimeout = System.getProperty("reliability.poller.session-timeout");
        if ("default".equals(sessionTimeout)) {
            environment.remove("FLOW_POLLER_SESSION_TIMEOUT");
        } else if (sessionTimeout != null) {
            environment.put("FLOW_POLLER_SESSION_TIMEOUT", sessionTimeout);
        }
        return track(BridgeProcess.start(instance, workDir.resolve(instance), environment));
    }

    /** The one instance that says it is the active poller, once all have joined; the others say they stand by. */
    private static BridgeProcess awaitThePoller(List<BridgeProcess> instances) throws InterruptedException {
        Reliability.await(() -> instances.stream().filter(i -> i.consoleText().contains(ACTIVE)).count() == 1
            && instances.stream().filter(i -> i.consoleText().contains(STANDS_BY)).count() == instances.size() - 1,
            START, "one active poller and " + (instances.size() - 1) + " standing by");
        return instances.stream().filter(i -> i.consoleText().contains(ACTIVE)).findFirst().orElseThrow();
    }

    /** min / median / max, in seconds. */
    private static String spread(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "none";
        }
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return String.format("%.1f / %.1f / %.1f s (%d)", sorted.get(0) / 1000.0, median / 1000.0, sorted.get(n - 1) / 1000.0, n);
    }

    private static int count(BridgeProcess instance, String fragment) {
        return (int) instance.console().stream().filter(line -> line.contains(fragment)).count();
    }

    private static void awaitCount(BridgeProcess instance, String fragment, int count, Duration timeout) throws InterruptedException {
        Reliability.await(() -> count(instance, fragment) >= count, timeout, "'" + fragment + "' printed " + count + " times by " + instance);
    }

    private static void awaitTitle(TopicProbe events, String title) {
        events.await(seen -> seen.stream().anyMatch(r -> value(r).path("after").path("title").asText().equals(title)),
            TAKEOVER, "the change '" + title + "'");
    }
}
