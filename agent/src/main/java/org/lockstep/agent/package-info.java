/**
 * The Lockstep agent: runs on every host that serves a repository, long-polls the manifest, prepares releases
 * ahead of time and switches {@code current} when the manifest says so. See {@code docs/agent.md}.
 * <p>
 * This package holds the application and the wiring ({@link org.lockstep.agent.AgentConfiguration}), above every
 * feature package: it may depend on all of them, none depends on it. The agent shares only {@code protocol} with the
 * manifest service.
 */
package org.lockstep.agent;
