# SPDX-License-Identifier: Apache-2.0
# @summary The Lockstep manifest service for the schema repositories (one
#   instance, embedded store). Tokens come from the private repository as
#   SHA-256 hashes only.
# @param repositories by name: url, branch, hosts (the expected hosts)
# @param tokens name, sha256, role, and repos (ci) or host (agent)
# @param gitlab_hook_token_sha256 SHA-256 of the GitLab webhook secret
# @param activate_after by repository: the repositories a rollout of it waits
#   for. secondary's schemas $ref primary's by their served URL, so a secondary
#   commit goes live only once every host serves the primary commit targeted (or
#   active) when it was targeted (docs/consistency.md). Entries for repositories
#   not in repositories are ignored.
class profile::lockstep::manifest (
    Hash[String, Hash] $repositories = lookup('profile::lockstep::manifest::repositories'),
    Array[Hash] $tokens = lookup('profile::lockstep::manifest::tokens'),
    Optional[String[1]] $gitlab_hook_token_sha256 = lookup(
        'profile::lockstep::manifest::gitlab_hook_token_sha256', { 'default_value' => undef }
    ),
    Hash[String, Array[String]] $activate_after = lookup(
        'profile::lockstep::manifest::activate_after', { 'default_value' => { 'secondary' => ['primary'] } }
    ),
) {
    $ordered = $repositories.map |$name, $repo| {
        $after = $activate_after[$name]
        [$name, $after ? {
            undef   => $repo,
            default => $repo + { 'activate_after' => $after },
        }]
    }.convert_to(Hash)

    package { 'openjdk-17-jre-headless':
        ensure => installed,
        before => Class['lockstep::manifest'],
    }
    class { 'lockstep::manifest':
        ensure                   => present,
        jar_package              => 'lockstep-manifest',
        store                    => 'embedded',
        data_dir                 => '/var/lib/lockstep-manifest',
        repositories             => $ordered,
        tokens                   => $tokens,
        gitlab_hook_token_sha256 => $gitlab_hook_token_sha256,
    }
}
