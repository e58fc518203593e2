package org.lockstep.manifest.web;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the manifest waits for a request body, and how many sign-ins it reads at once
 * ({@code lockstep.manifest.http.*}). Documented in docs/configuration.md.
 *
 * @param bodyReadTimeout   a request body must have arrived whole within this time of the request reaching the
 *                          application, else the request is refused with 408 and the connection closed; a client
 *                          that sends a byte now and then cannot hold a request thread for longer (plus one
 *                          {@code server.tomcat.connection-timeout} for the read in progress)
 * @param concurrentSignins sign-in forms read at the same time; a sign-in past that is refused at once with 429,
 *                          so slow sign-ins can never take more than this many request threads
 */
@ConfigurationProperties("lockstep.manifest.http")
@Validated
public record HttpLimits(@DefaultValue("10s") @NotNull Duration bodyReadTimeout,
                         @DefaultValue("8") @Min(1) int concurrentSignins) {
}
