package org.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code lockstep.manifest.repos.<name>.activate-after} as an operator writes it: a list in either property form, and
 * a start-up refusal naming the repositories for a name that is not configured, the repository itself, or a cycle.
 */
class ActivateAfterPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class)
            .withPropertyValues(repo("primary"), hosts("primary"), repo("secondary"), hosts("secondary"),
                    repo("tertiary"), hosts("tertiary"));

    private static String repo(String name) {
        return "lockstep.manifest.repos." + name + ".url=file:///srv/git/" + name + ".git";
    }

    private static String hosts(String name) {
        return "lockstep.manifest.repos." + name + ".hosts=web-1,web-2";
    }

    @Test
    void aListInIndexedFormIsBound() {
        runner.withPropertyValues("lockstep.manifest.repos.tertiary.activate-after[0]=primary",
                "lockstep.manifest.repos.tertiary.activate-after[1]=secondary").run(context -> {
                    assertThat(context).hasNotFailed();
                    ManifestProperties properties = context.getBean(ManifestProperties.class);
                    assertThat(properties.repos().get("tertiary").activateAfter())
                            .containsExactly("primary", "secondary");
                    assertThat(properties.repos().get("primary").activateAfter()).isEmpty();
                });
    }

    @Test
    void aCommaSeparatedListIsBound() {
        runner.withPropertyValues("lockstep.manifest.repos.secondary.activate-after=primary",
                "lockstep.manifest.repos.tertiary.activate-after=primary,secondary").run(context -> {
                    assertThat(context).hasNotFailed();
                    ManifestProperties properties = context.getBean(ManifestProperties.class);
                    assertThat(properties.repos().get("secondary").activateAfter()).containsExactly("primary");
                    assertThat(properties.repos().get("tertiary").activateAfter())
                            .containsExactly("primary", "secondary");
                });
    }

    @Test
    void anUnknownNameIsRefusedNamingIt() {
        runner.withPropertyValues("lockstep.manifest.repos.secondary.activate-after=primry")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessage(
                        "lockstep.manifest.repos.secondary.activate-after lists primry, which is not a configured"
                                + " repository (configured: primary, secondary, tertiary)"));
    }

    @Test
    void theRepositoryItselfIsRefused() {
        runner.withPropertyValues("lockstep.manifest.repos.secondary.activate-after=primary,secondary")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessage(
                        "lockstep.manifest.repos.secondary.activate-after lists secondary itself; a repository"
                                + " cannot wait for its own activation"));
    }

    @Test
    void aCycleOfTwoIsRefusedNamingBoth() {
        runner.withPropertyValues("lockstep.manifest.repos.primary.activate-after=secondary",
                "lockstep.manifest.repos.secondary.activate-after=primary")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessage(
                        "lockstep.manifest.repos.*.activate-after make a cycle: primary -> secondary -> primary"
                                + " (each waits for the next); repositories primary, secondary could never"
                                + " activate"));
    }

    @Test
    void aLongerCycleIsRefusedNamingEveryRepositoryOnIt() {
        runner.withPropertyValues("lockstep.manifest.repos.primary.activate-after=tertiary",
                "lockstep.manifest.repos.secondary.activate-after=primary",
                "lockstep.manifest.repos.tertiary.activate-after=secondary")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining(
                        "make a cycle: primary -> tertiary -> secondary -> primary"));
    }

    @Test
    void aDiamondIsNoCycle() {
        runner.withPropertyValues("lockstep.manifest.repos.secondary.activate-after=primary",
                "lockstep.manifest.repos.tertiary.activate-after=primary,secondary")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theApplicationDoesNotStartWithACycle(@TempDir Path dataDir) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(ManifestApplication.class)
                .web(WebApplicationType.NONE).properties("lockstep.manifest.data-dir=" + dataDir,
                        repo("primary"), hosts("primary"), repo("secondary"), hosts("secondary"),
                        "lockstep.manifest.repos.primary.activate-after=secondary",
                        "lockstep.manifest.repos.secondary.activate-after=primary");
        assertThatThrownBy(application::run).rootCause().hasMessageContaining(
                "lockstep.manifest.repos.*.activate-after make a cycle: primary -> secondary -> primary");
        // Refused before anything was made: no store, no mirror.
        assertThat(dataDir).isEmptyDirectory();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ManifestProperties.class)
    static class Properties {
    }
}
