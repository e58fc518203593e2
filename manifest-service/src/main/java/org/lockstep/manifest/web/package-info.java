/**
 * The HTTP edge under every feature: what the servlet container itself answers and how long it waits. Request
 * bodies are bounded in size and in read time ({@link org.lockstep.manifest.web.RequestBodyLimits}); an error
 * answered before a body was read closes the connection instead of draining the rest
 * ({@link org.lockstep.manifest.web.UnreadBodyValve}); what Tomcat refuses before any servlet runs (bad URL
 * encodings, oversized headers) is a problem detail too ({@link org.lockstep.manifest.web.ProblemReportValve}), as is
 * whatever reaches {@code /error} ({@link org.lockstep.manifest.web.ProblemErrorController}).
 * <p>
 * Depends on {@code problem} and the configuration only; {@code api} and {@code auth} stand above it.
 */
package org.lockstep.manifest.web;
