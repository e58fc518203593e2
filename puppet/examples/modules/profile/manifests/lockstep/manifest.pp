# SPDX-License-Identifier: Apache-2.0
# @summary The Lockstep manifest service for the schema repositories (one
#   instance, embedded store). Tokens come from the private repository as
#   SHA-256 hashes only.
# @param repositories by name: url, branch, hosts (the expected hosts)
# @param tokens name, sha256, role, and repos (ci) or host (agent)
# @param gitlab_hook_token_sha256 SHA-256 of the GitLab webhook secret
class profile::lockstep::manifest (
    Hash[String, Hash] $repositories = lookup('profile::lockstep::manifest::repositories'),
    Array[Hash] $tokens = lookup('profile::lockstep::manifest::tokens'),
    Optional[String[1]] $gitlab_hook_token_sha256 = lookup(
        'profile::lockstep::manifest::gitlab_hook_token_sha256', { 'default_value' => undef }
    ),
) {
    package { 'openjdk-17-jre-headless':
        ensure => installed,
        before => Class['lockstep::manifest'],
    }
    class { 'lockstep::manifest':
        ensure                   => present,
        jar_package              => 'lockstep-manifest',
        store                    => 'embedded',
        data_dir                 => '/var/lib/lockstep-manifest',
        repositories             => $repositories,
        tokens                   => $tokens,
        gitlab_hook_token_sha256 => $gitlab_hook_token_sha256,
    }
}
