/**
 * The Lockstep agent: runs on every host that serves a repository, long-polls the manifest, prepares releases
 * ahead of time and switches {@code current} when the manifest says so. See {@code docs/agent.md}.
 */
package org.lockstep.agent;
