# SPDX-License-Identifier: Apache-2.0
# @summary BEFORE Lockstep (for comparison, not loaded by anything): the schema
#   hosts' profile as it is today. Puppet pulls each repository with git::clone
#   (ensure => latest) at its own minute of the puppet interval, so for up to
#   30 minutes the hosts serve different commits (the incident in docs/design.md).
#   nginx serves /srv/eventschemas/repositories/<name> as /repositories/<name>/,
#   and the load balancer's health check fetches /repositories/ (an autoindex).
#
#   The profile after the change is profile/manifests/eventschemas.pp; its stage
#   'git' is this, unchanged.
# @param repositories by name: url and branch
class profile::eventschemas (
    Hash[String, Struct[{ url => String[1], branch => String[1] }]] $repositories = lookup('profile::eventschemas::repositories'),
) {
    file { ['/srv/eventschemas', '/srv/eventschemas/repositories']:
        ensure => directory,
        owner  => 'root',
        group  => 'root',
        mode   => '0755',
    }

    $repositories.each |String $name, Hash $repo| {
        git::clone { "eventschemas/${name}":
            ensure    => latest,
            origin    => $repo['url'],
            branch    => $repo['branch'],
            directory => "/srv/eventschemas/repositories/${name}",
        }
    }

    nginx::site { 'eventschemas':
        content => @(NGINX),
            server {
                listen 80 default_server;
                listen [::]:80 default_server;
                server_name _;

                location /repositories/ {
                    root /srv/eventschemas;
                    autoindex on;
                }
            }
            | NGINX
    }
}
