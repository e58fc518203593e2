package org.lockstep.manifest.page;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the operator page judges and refreshes ({@code lockstep.manifest.page.*}).
 *
 * @param stuckAfter      a rollout that has waited this long for a host (to prepare, or to switch) is shown as stuck
 * @param silentAfter     a host not heard from (report or poll) for this long is shown as silent
 * @param refreshInterval how often the page's script fetches the live parts again
 * @param dashboardUrl    the fleet's dashboard (e.g. the Grafana dashboard of monitoring/grafana); the page links to
 *                        it when set; only {@code http(s)} URLs become links
 */
@ConfigurationProperties("lockstep.manifest.page")
@Validated
public record PageProperties(@DefaultValue("2m") @NotNull Duration stuckAfter,
                             @DefaultValue("60s") @NotNull Duration silentAfter,
                             @DefaultValue("2s") @NotNull Duration refreshInterval,
                             String dashboardUrl) {

    /** The dashboard's URL when it can be a link, else null. */
    public String dashboardLink() {
        return dashboardUrl != null && (dashboardUrl.startsWith("https://") || dashboardUrl.startsWith("http://"))
                ? dashboardUrl : null;
    }
}
