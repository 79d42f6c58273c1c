package com.flowbridge.architecture;

import com.flowbridge.FlowBridge;
import com.flowbridge.sandbox.SandboxServices;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox (the FLOW simulator and Apache Kafka's own broker, {@code com.flowbridge.sandbox..}) ships in the jar for
 * {@code --sandbox}, but behind a boundary: the product reaches none of it, and only the launcher starts it, through
 * {@link SandboxServices}. Nor does the product touch the broker's own classes (kafka_2.13 and its server modules are on
 * the classpath for the sandbox only): it speaks to Kafka as a client, with kafka-clients and camel-kafka.
 */
@AnalyzeClasses(packages = "com.flowbridge", importOptions = ImportOption.DoNotIncludeTests.class)
class SandboxBoundaryTest {

    private static final String SANDBOX = "com.flowbridge.sandbox..";
    /** Kafka's broker: kafka_2.13 (Scala, package kafka), its server-side Java modules, and Scala itself. */
    private static final String[] BROKER = {"kafka..", "scala..", "org.apache.kafka.server..", "org.apache.kafka.raft..",
        "org.apache.kafka.controller..", "org.apache.kafka.metadata..", "org.apache.kafka.image..", "org.apache.kafka.storage..",
        "org.apache.kafka.coordinator..", "org.apache.kafka.security..", "org.apache.kafka.network.."};

    private static final ArchRule PRODUCT_WITHOUT_SANDBOX = noClasses()
        .that().resideInAPackage("com.flowbridge..").and().resideOutsideOfPackage(SANDBOX)
        .and().doNotHaveFullyQualifiedName(FlowBridge.class.getName())
        .should().dependOnClassesThat().resideInAPackage(SANDBOX)
        .because("the sandbox is a stand-in for FLOW and Kafka, not part of flow-bridge");

    private static final ArchRule LAUNCHER_THROUGH_ONE_DOOR = noClasses()
        .that().haveFullyQualifiedName(FlowBridge.class.getName())
        .should().dependOnClassesThat(resideInAPackage(SANDBOX).and(not(equivalentTo(SandboxServices.class))))
        .because("SandboxServices is the sandbox's one door: what it starts, and how, stays behind it");

    private static final ArchRule PRODUCT_WITHOUT_BROKER = noClasses()
        .that().resideInAPackage("com.flowbridge..").and().resideOutsideOfPackage(SANDBOX)
        .should().dependOnClassesThat().resideInAnyPackage(BROKER)
        .because("kafka_2.13 is in the jar for the sandbox's embedded broker only; flow-bridge is a Kafka client");

    // Rules as @ArchTest methods, not fields: Surefire 3.5.3 silently skips @ArchTest fields (TNG/ArchUnit#1442).

    @ArchTest
    static void the_product_imports_nothing_from_the_sandbox(JavaClasses classes) {
        PRODUCT_WITHOUT_SANDBOX.check(classes);
    }

    @ArchTest
    static void the_launcher_starts_the_sandbox_only_through_its_one_door(JavaClasses classes) {
        LAUNCHER_THROUGH_ONE_DOOR.check(classes);
    }

    @ArchTest
    static void the_product_does_not_reach_into_the_kafka_broker(JavaClasses classes) {
        PRODUCT_WITHOUT_BROKER.check(classes);
    }

    @ArchTest
    static void a_product_class_that_reaches_into_the_sandbox_or_the_broker_is_caught(JavaClasses ignored) {
        JavaClasses violation = new ClassFileImporter().importClasses(ReachesAcross.class);
        assertThat(PRODUCT_WITHOUT_SANDBOX.evaluate(violation).hasViolation()).isTrue();
        assertThat(PRODUCT_WITHOUT_BROKER.evaluate(violation).hasViolation()).isTrue();
    }

    /** What the rules are there to refuse: a flow-bridge class using the sandbox's FLOW and Kafka's broker config. */
    static final class ReachesAcross {
        Object flow = com.flowbridge.sandbox.FlowSandbox.class;
        Object broker = kafka.server.KafkaConfig.class;
    }

    @ArchTest
    static void the_rules_see_the_code_they_guard(JavaClasses classes) {
        // A boundary over no classes would pass whatever the code did: both sides must be there.
        assertThat(classes.contain(FlowBridge.class)).isTrue();
        assertThat(classes.contain(SandboxServices.class)).isTrue();
        assertThat(classes.contain("com.flowbridge.sandbox.kafka.EmbeddedKafkaBroker")).isTrue();
    }
}
