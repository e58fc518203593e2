package org.lockstep.manifest;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The manifest's layering, as docs/architecture.md and the package-info files state it, checked on the main
 * classes: request -> service -> machine -> store -> change channel, with nothing pointing back up.
 */
@AnalyzeClasses(packages = "org.lockstep.manifest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    private static final String MACHINE = "org.lockstep.manifest.rollout.machine..";

    /** The heart is plain Java: nothing but the JDK's lang, util and time, and itself. */
    @ArchTest
    static final ArchRule machineDependsOnNothingAboveIt = classes()
            .that().resideInAPackage(MACHINE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(MACHINE, "java.lang..", "java.util..",
                    "java.time..")
            .as("the rollout machine depends on nothing but java.lang, java.util, java.time and itself");

    /** Said once more by name, so a failure reads as what was broken. */
    @ArchTest
    static final ArchRule machineHasNoSpringIoStoreOrJackson = noClasses()
            .that().resideInAPackage(MACHINE)
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.io..",
                    "java.nio.file..", "java.net..", "org.lockstep.manifest.store..", "tools.jackson..",
                    "com.fasterxml.jackson..", "org.lockstep.manifest.rollout")
            .as("the rollout machine imports no Spring, no I/O, no store, no Jackson and not the service");

    @ArchTest
    static final ArchRule storageKnowsNoWeb = noClasses()
            .that().resideInAPackage("org.lockstep.manifest.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.manifest.api..",
                    "org.lockstep.manifest.page..", "org.lockstep.manifest.hooks..", "org.springframework.web..",
                    "org.springframework.http..", "jakarta.servlet..")
            .as("storage knows no web (api, page, hooks, Spring web, servlets)");

    /** The store serves the service; it does not call it (only the machine's types and the change channel). */
    @ArchTest
    static final ArchRule storageKnowsNotTheService = noClasses()
            .that().resideInAPackage("org.lockstep.manifest.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.manifest.rollout",
                    "org.lockstep.manifest.metrics..", "org.lockstep.manifest.auth..", "org.lockstep.manifest.git..");

    @ArchTest
    static final ArchRule changeChannelStandsOnTheMachineOnly = classes()
            .that().resideInAPackage("org.lockstep.manifest.change..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("org.lockstep.manifest.change..", MACHINE,
                    "java..", "org.slf4j..");

    @ArchTest
    static final ArchRule authDoesNotDependOnTheApi = noClasses()
            .that().resideInAPackage("org.lockstep.manifest.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.manifest.api..",
                    "org.lockstep.manifest.page..");

    /** The agent and the manifest share only {@code protocol}: no class of the other service (or a test module). */
    @ArchTest
    static final ArchRule sharesOnlyTheProtocolWithTheAgent = noClasses()
            .that().resideInAPackage("org.lockstep.manifest..")
            .should().dependOnClassesThat(resideInAPackage("org.lockstep..")
                    .and(not(resideInAnyPackage("org.lockstep.manifest..", "org.lockstep.protocol.."))))
            .as("the manifest depends on no org.lockstep package but its own and protocol (none of the agent's)");

    /** Features ({@code org.lockstep.manifest.(*)..}) with the machine on its own, below the service. */
    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = slices().assignedFrom(new Features()).should().beFreeOfCycles();

    /** Every package, the root (configuration and wiring) included. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("org.lockstep.(**)").should().beFreeOfCycles();

    /** The wiring is above the features; they may read the configuration properties, nothing else of it. */
    @ArchTest
    static final ArchRule featuresReadOnlyTheConfigurationOfTheRoot = noClasses()
            .that().resideInAPackage("org.lockstep.manifest.(*)..")
            .should().dependOnClassesThat(resideInAPackage("org.lockstep.manifest")
                    .and(not(JavaClass.Predicates.belongTo(
                            JavaClass.Predicates.equivalentTo(ManifestProperties.class)))));

    /** The slices of {@code org.lockstep.manifest.(*)..}, except that {@code rollout.machine} is one of its own. */
    static final class Features implements SliceAssignment {

        private static final String ROOT = "org.lockstep.manifest.";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!name.startsWith(ROOT)) {
                return SliceIdentifier.ignore();
            }
            String feature = name.substring(ROOT.length());
            return SliceIdentifier.of(feature.startsWith("rollout.machine") ? "rollout.machine"
                    : feature.split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "features of the manifest (rollout.machine apart from rollout)";
        }
    }
}
