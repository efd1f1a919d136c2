package io.mailcast.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The node sees every module; these rules keep what each may know, even if someone adds a dependency to a pom: the
 * core knows no technology and no adapter, and adapters do not know each other.
 */
class AdapterBoundariesTest {

    private static final String[] CORE = {"io.mailcast.campaign..", "io.mailcast.chunk..", "io.mailcast.delivery..",
            "io.mailcast.engine..", "io.mailcast.render..", "io.mailcast.sender", "io.mailcast.sender.relay..",
            "io.mailcast.subscriber..", "io.mailcast.time..", "io.mailcast.message..", "io.mailcast.apikey..",
            "io.mailcast.suppression..", "io.mailcast.bounce..", "io.mailcast.validation..", "io.mailcast.schedule..",
            "io.mailcast.reminder..", "io.mailcast.stats..", "io.mailcast.quota.."};

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.mailcast");

    @Test
    void theCoreImportsNoInfrastructure() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "com.mongodb..", "org.bson..",
                        "jakarta.mail..", "org.eclipse.angus..", "picocli..", "de.bwaldvogel..",
                        "io.javalin..", "org.eclipse.jetty..", "com.fasterxml.jackson..", "org.subethamail..")
                .check(ALL);
    }

    @Test
    void theEngineNeverTouchesAConcreteAdapter() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.store..",
                        "io.mailcast.sender.smtp..", "io.mailcast.node..", "io.mailcast.cli..", "io.mailcast.http..",
                        "io.mailcast.inbound..")
                .check(ALL);
    }

    @Test
    void adaptersDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.mailcast.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.store..", "io.mailcast.sender.smtp..",
                        "io.mailcast.http..")
                .check(ALL);
        noClasses().that().resideInAPackage("io.mailcast.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.sender.smtp..",
                        "io.mailcast.http..")
                .check(ALL);
        noClasses().that().resideInAPackage("io.mailcast.sender.smtp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.store..",
                        "io.mailcast.http..")
                .check(ALL);
        noClasses().that().resideInAPackage("io.mailcast.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.store..",
                        "io.mailcast.sender.smtp..", "com.mongodb..", "org.bson..", "com.hazelcast..")
                .check(ALL);
        noClasses().that().resideInAPackage("io.mailcast.inbound..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.store..",
                        "io.mailcast.sender.smtp..", "io.mailcast.http..", "com.mongodb..", "org.bson..",
                        "com.hazelcast..")
                .check(ALL);
        noClasses().that().resideInAnyPackage("io.mailcast.cluster..", "io.mailcast.store..",
                        "io.mailcast.sender.smtp..", "io.mailcast.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.inbound..", "org.subethamail..")
                .check(ALL);
    }
}
