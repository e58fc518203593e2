package org.lockstep.agent;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's boundaries, as the package-info files state them, checked on the main classes. A rule that fails
 * names the class and the dependency that broke it.
 */
@AnalyzeClasses(packages = "org.lockstep.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    /** The agent and the manifest share only {@code protocol}: no class of the other service (or a test module). */
    @ArchTest
    static final ArchRule sharesOnlyTheProtocolWithTheManifest = noClasses()
            .that().resideInAPackage("org.lockstep.agent..")
            .should().dependOnClassesThat(resideInAPackage("org.lockstep..")
                    .and(not(resideInAnyPackage("org.lockstep.agent..", "org.lockstep.protocol.."))))
            .as("the agent depends on no org.lockstep package but its own and protocol (none of the manifest's)");

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = slices().matching("org.lockstep.agent.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("org.lockstep.agent.(**)")
            .should().beFreeOfCycles();

    /** The wiring sits above every feature: nothing depends on it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheWiring = noClasses()
            .that().resideInAPackage("org.lockstep.agent.(*)..")
            .should().dependOnClassesThat().resideInAPackage("org.lockstep.agent");

    @ArchTest
    static final ArchRule configurationDependsOnNoFeature = noClasses()
            .that().resideInAPackage("org.lockstep.agent.config..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.agent.client..",
                    "org.lockstep.agent.git..", "org.lockstep.agent.health..", "org.lockstep.agent.release..",
                    "org.lockstep.agent.sync..");

    /** The edges (git, HTTP client) know nothing of the loop, the disk layout or the configuration. */
    @ArchTest
    static final ArchRule edgesStandAlone = noClasses()
            .that().resideInAnyPackage("org.lockstep.agent.git..", "org.lockstep.agent.client..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.agent.config..",
                    "org.lockstep.agent.health..", "org.lockstep.agent.release..", "org.lockstep.agent.sync..");

    /** Releases on disk know the git edge, not the manifest, the loop or health. */
    @ArchTest
    static final ArchRule releasesKnowOnlyGit = noClasses()
            .that().resideInAPackage("org.lockstep.agent.release..")
            .should().dependOnClassesThat().resideInAnyPackage("org.lockstep.agent.client..",
                    "org.lockstep.agent.config..", "org.lockstep.agent.health..", "org.lockstep.agent.sync..");

    /** JGit stays behind the git edge (and the release builder it hands a tree to). */
    @ArchTest
    static final ArchRule jgitStaysAtTheEdge = noClasses()
            .that().resideInAnyPackage("org.lockstep.agent.client..", "org.lockstep.agent.config..",
                    "org.lockstep.agent.health..", "org.lockstep.agent.sync..")
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..");
}
