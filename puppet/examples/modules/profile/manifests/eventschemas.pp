# SPDX-License-Identifier: Apache-2.0
# @summary Schema hosts: serve the JSON-schema repositories under
#   /repositories/<name>/ from nginx, deployed by Lockstep so that every host
#   switches to a new commit together.
#
# The migration from git::clone to Lockstep is one parameter, serve_from, moved
# host by host through its stages (docs/migration.md says when and what to check):
#
# - git: as before (before/eventschemas.pp): git::clone with ensure latest serves;
#   Lockstep is absent (and removed, when coming back from shadow).
# - shadow: the Lockstep agent runs beside the clones and fills /srv/lockstep;
#   the public server still serves the clones. A second server, on loopback
#   port 8480 only, serves the Lockstep tree through exactly the production
#   snippet, to compare the two before switching.
# - lockstep: the public server serves /repositories/ from Lockstep with
#   read-through. The clones stay, frozen (ensure present: no more pulls), so
#   going back is one step, until keep_git_clones is turned off.
#
# The URLs do not change: /repositories/<name>/<path>, and /repositories/ still
# answers 200 for the load balancer's health check.
#
# @param repositories by name: url and branch
# @param serve_from the migration stage: git, shadow or lockstep
# @param keep_git_clones in stage lockstep, keep the frozen clones (the way
#   back); false removes them once Lockstep has been trusted for a while
# @param lockstep_manifest_urls the manifest service's URLs (stages shadow, lockstep)
# @param lockstep_token this host's agent token, from the private repository
#   (stages shadow, lockstep)
class profile::eventschemas (
    Hash[String, Struct[{ url => String[1], branch => String[1] }]] $repositories = lookup('profile::eventschemas::repositories'),
    Enum['git', 'shadow', 'lockstep'] $serve_from = lookup('profile::eventschemas::serve_from', { 'default_value' => 'git' }),
    Boolean $keep_git_clones = lookup('profile::eventschemas::keep_git_clones', { 'default_value' => true }),
    Array[String[1]] $lockstep_manifest_urls = lookup('profile::eventschemas::lockstep_manifest_urls', { 'default_value' => [] }),
    Optional[String[1]] $lockstep_token = lookup('profile::eventschemas::lockstep_token', { 'default_value' => undef }),
) {
    $clones = $serve_from != 'lockstep' or $keep_git_clones
    $clone_ensure = $serve_from ? {
        'lockstep' => 'present',  # frozen: no more pulls once Lockstep serves
        default    => 'latest',
    }
    $lockstep_ensure = $serve_from ? {
        'git'   => 'absent',
        default => 'present',
    }

    # The old way, kept until keep_git_clones is turned off.
    if $clones {
        file { ['/srv/eventschemas', '/srv/eventschemas/repositories']:
            ensure => directory,
            owner  => 'root',
            group  => 'root',
            mode   => '0755',
        }
        $repositories.each |String $name, Hash $repo| {
            # Going back to git: the clone is updated before nginx points at it,
            # and a failed clone leaves nginx untouched.
            git::clone { "eventschemas/${name}":
                ensure    => $clone_ensure,
                origin    => $repo['url'],
                branch    => $repo['branch'],
                directory => "/srv/eventschemas/repositories/${name}",
                before    => Nginx::Site['eventschemas'],
            }
        }
    } else {
        file { '/srv/eventschemas':
            ensure  => absent,
            force   => true,
            require => Nginx::Site['eventschemas'],
        }
    }

    # The new way.
    if $lockstep_ensure == 'present' {
        package { 'openjdk-17-jre-headless':
            ensure => installed,
            before => Class['lockstep::agent'],
        }
    }
    class { 'lockstep::agent':
        ensure            => $lockstep_ensure,
        manifest_urls     => $lockstep_manifest_urls,
        token             => $lockstep_token.then |$token| { Sensitive($token) },
        jar_package       => 'lockstep-agent',
        repositories      => $repositories.map |$name, $repo| { [$name, { 'url' => $repo['url'] }] }.convert_to(Hash),
        web_server        => 'nginx',
        url_prefix        => '/repositories',
        web_server_notify => [Service['nginx']],
    }
    if $lockstep_ensure == 'present' {
        # nginx must not include snippets that are not written yet.
        Class['lockstep::agent'] -> Nginx::Site['eventschemas']
    }

    nginx::site { 'eventschemas':
        content => epp('profile/eventschemas/nginx-site.conf.epp', {
            'serve_from' => $serve_from,
        }),
    }
}
