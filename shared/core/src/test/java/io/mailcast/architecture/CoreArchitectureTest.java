package io.mailcast.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** What the module boundaries cannot say about the inside of the core. */
class CoreArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.mailcast");

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("io.mailcast.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void senderAndRelayCodeNeverTouchesTheBoardOrTheEngine() {
        noClasses().that().resideInAPackage("io.mailcast.sender..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mailcast.chunk..", "io.mailcast.engine..",
                        "io.mailcast.campaign..")
                .check(CORE);
    }

    @Test
    void theDomainDoesNotKnowTheEngine() {
        noClasses().that().resideInAnyPackage("io.mailcast.campaign..", "io.mailcast.chunk..", "io.mailcast.delivery..",
                        "io.mailcast.render..", "io.mailcast.sender..", "io.mailcast.subscriber..", "io.mailcast.message..",
                        "io.mailcast.apikey..")
                .should().dependOnClassesThat().resideInAPackage("io.mailcast.engine..")
                .check(CORE);
    }
}
