# SPDX-License-Identifier: Apache-2.0
# @summary The Lockstep agent on a host that serves git repositories: it fetches
#   and materializes the commits the manifest service asks for under base_dir,
#   and switches every host's `current` links together.
#
# Installs the agent jar (from a file source or a package), a system user
# `lockstep-agent`, /etc/lockstep/agent.yaml, the token file
# /etc/lockstep/agent.token and the systemd unit `lockstep-agent`; and, for the
# web server, the snippets that serve every repository under url_prefix with
# read-through (see lockstep::agent::repository and README.md).
#
# No hiera lookups here: a profile passes every parameter.
#
# @example
#   class { 'lockstep::agent':
#       manifest_urls => ['https://lockstep.example.org'],
#       token         => Sensitive(lookup('profile::eventschemas::lockstep_token')),
#       jar_package   => 'lockstep-agent',
#       repositories  => {
#           'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git' },
#       },
#   }
#
# @param ensure present, or absent to stop the agent and remove everything this
#   class made, including base_dir (a cache of git content; remove the web
#   server's include of the snippets in the same change)
# @param manifest_urls the manifest service's URLs, tried in order
#   (lockstep.agent.manifest-urls); required when present
# @param token this host's agent token, written to /etc/lockstep/agent.token
#   (mode 0400, owned by lockstep-agent); required when present
# @param repositories the repositories this host serves, by name: url (where to
#   fetch), optional verify_command (run inside a new release before it is
#   reported prepared) and optional ensure
# @param host the name this agent reports as (lockstep.agent.host); the agent's
#   default is the short host name. Must be one of the manifest's expected hosts.
# @param base_dir where releases live (lockstep.agent.base-dir); the service may
#   write nowhere else
# @param keep_releases releases kept per repository besides current and next
# @param adopt_existing let the agent move a real directory found at
#   <base_dir>/<repo>/current (an old git clone) aside once, instead of refusing
#   to start serving that repository; see docs/migration.md
# @param jar_path where the agent jar is
# @param jar_source a file source to copy agent.jar from (e.g. puppet:///...);
#   when given, no package is installed
# @param jar_package the Debian package that installs agent.jar at jar_path
#   (built by the Lockstep build: packaging/)
# @param listen_address the address of the agent's HTTP port (server.address);
#   it serves only /actuator/health and /actuator/prometheus
# @param port the agent's HTTP port (server.port)
# @param java the java binary (Java 17 or newer)
# @param java_opts JVM options
# @param extra_config more Spring properties, merged over the generated ones
#   (e.g. logging levels)
# @param web_server which web server snippets to write: nginx, apache or none
# @param url_prefix the URL path under which repositories are served
# @param manage_index whether the snippets also answer <url_prefix>/ (the index,
#   and the load balancer's health check) and 404 other names under it; false
#   when another location still serves that URL space (a partial migration)
# @param web_server_notify resources to notify when a snippet changes, e.g.
#   [Service['nginx']]; data of removed repositories is deleted only after them
# @param check_path the URL of the load balancer's health check that the web
#   server snippet answers: 200 while the agent holds its lease on the pool,
#   503 otherwise (docs/operations.md); point the load balancer at it
# @param lag_grace how long a repository may lag its active commit before the
#   check answers 503 (lockstep.agent.lag-grace; the agent's default when unset)
# @param pool_lease how long the check keeps answering 200 after the agent last
#   renewed it, e.g. while it is dead (lockstep.agent.pool-lease; the agent's
#   default when unset)
class lockstep::agent (
    Lockstep::Ensure                                      $ensure            = 'present',
    Array[Lockstep::HttpUrl]                              $manifest_urls     = [],
    Optional[Sensitive[String[1]]]                        $token             = undef,
    Hash[Lockstep::RepoName, Lockstep::AgentRepository]   $repositories      = {},
    Optional[Lockstep::Hostname]                          $host              = undef,
    Lockstep::Unixpath                                    $base_dir          = '/srv/lockstep',
    Integer[1]                                            $keep_releases     = 5,
    Boolean                                               $adopt_existing    = false,
    Lockstep::Unixpath                                    $jar_path          = '/usr/share/lockstep/agent.jar',
    Optional[String[1]]                                   $jar_source        = undef,
    String[1]                                             $jar_package       = 'lockstep-agent',
    String[1]                                             $listen_address    = '127.0.0.1',
    Lockstep::Port                                        $port              = 8471,
    Lockstep::Unixpath                                    $java              = '/usr/bin/java',
    Array[Lockstep::JavaOption]                           $java_opts         = ['-Xmx256m', '-XX:+ExitOnOutOfMemoryError'],
    Hash[String[1], Data]                                 $extra_config      = {},
    Lockstep::WebServer                                   $web_server        = 'nginx',
    Lockstep::UrlPrefix                                   $url_prefix        = '/repositories',
    Boolean                                               $manage_index      = true,
    Array[Type[Resource]]                                 $web_server_notify = [],
    Lockstep::UrlPrefix                                   $check_path        = '/lockstep/health',
    Optional[Lockstep::Duration]                          $lag_grace         = undef,
    Optional[Lockstep::Duration]                          $pool_lease        = undef,
) {
    include lockstep::common

    $service = 'lockstep-agent'
    $token_file = '/etc/lockstep/agent.token'

    if $ensure == 'present' {
        if $manifest_urls.empty {
            fail('lockstep::agent: manifest_urls must list at least one manifest service URL')
        }
        if $token == undef {
            fail('lockstep::agent: token is required (the agent token for this host)')
        }
    }

    # Each repository's own ensure, unless the whole agent goes.
    $repository_ensures = $repositories.map |$name, $repo| {
        [$name, $ensure ? {
            'absent' => 'absent',
            default  => $repo['ensure'].lest || { 'present' },
        }]
    }.convert_to(Hash)
    $served = $repositories.filter |$name, $repo| { $repository_ensures[$name] == 'present' }

    # Where the agent keeps its lease on the load balancer's pool (PoolLease.DIR).
    $check_dir = "${base_dir}/.lb-check"
    $timing = {
        'lag-grace'  => $lag_grace,
        'pool-lease' => $pool_lease,
    }.filter |$key, $value| { $value != undef }
    $agent_config = {
        'manifest-urls'  => $manifest_urls,
        'token-file'     => $token_file,
        'base-dir'       => $base_dir,
        'keep-releases'  => $keep_releases,
        'adopt-existing' => $adopt_existing,
    } + $timing + {
        'repos' => $served.map |$name, $repo| {
            [$name, { 'url' => $repo['url'] } + ($repo['verify_command'] ? {
                undef   => {},
                default => { 'verify-command' => $repo['verify_command'] },
            })]
        }.convert_to(Hash),
    }
    $config = lockstep::merge({
        'server'   => { 'address' => $listen_address, 'port' => $port },
        'lockstep' => {
            'agent' => $host ? {
                undef   => $agent_config,
                default => { 'host' => $host } + $agent_config,
            },
        },
    }, $extra_config)

    $config_yaml = lockstep::to_yaml($config)

    lockstep::java_service { $service:
        ensure         => $ensure,
        description    => 'Lockstep agent: deploys git repositories in step with the fleet',
        home           => $base_dir,
        jar_path       => $jar_path,
        jar_source     => $jar_source,
        jar_package    => $jar_package,
        config_path    => '/etc/lockstep/agent.yaml',
        config_content => "# Managed by puppet (lockstep::agent). Spring Boot configuration of the agent.\n${config_yaml}",
        java           => $java,
        java_opts      => $java_opts,
        writable_paths => [$base_dir],
    }

    if $ensure == 'present' {
        file { $token_file:
            ensure    => file,
            content   => $token,
            owner     => $service,
            group     => $service,
            mode      => '0400',
            show_diff => false,
            require   => User[$service],
            notify    => Service[$service],
        }
        file { $base_dir:
            ensure => directory,
            owner  => $service,
            group  => $service,
            mode   => '0755',
            before => Service[$service],
        }
    } else {
        file { $token_file:
            ensure  => absent,
            require => Service[$service],
        }
        # A cache of git content: nothing here that a fetch cannot bring back.
        # Removed after the web server stopped serving it.
        file { $base_dir:
            ensure  => absent,
            force   => true,
            require => [Service[$service]] + $web_server_notify,
        }
    }

    $web_dir = "/etc/lockstep/${web_server}"
    case $web_server {
        'nginx': {
            $site_content = epp('lockstep/nginx/repositories.conf.epp', {
                'repositories' => $served.keys,
                'url_prefix'   => $url_prefix,
                'manage_index' => $manage_index,
                'include'      => "${web_dir}/repositories.d/*.conf",
                'check_dir'    => $check_dir,
                'check_path'   => $check_path,
            })
        }
        'apache': {
            $site_content = epp('lockstep/apache/repositories.conf.epp', {
                'url_prefix'   => $url_prefix,
                'manage_index' => $manage_index,
                'index_dir'    => "${web_dir}/www",
                'include'      => "${web_dir}/repositories.d/*.conf",
                'check_dir'    => $check_dir,
                'check_path'   => $check_path,
            })
        }
        default: {
            $site_content = undef
        }
    }

    if $site_content and $ensure == 'present' {
        file { [$web_dir, "${web_dir}/repositories.d"]:
            ensure  => directory,
            owner   => 'root',
            group   => 'root',
            mode    => '0755',
            recurse => true,
            purge   => true,
            force   => true,
        }
        file { "${web_dir}/repositories.conf":
            ensure  => file,
            content => $site_content,
            owner   => 'root',
            group   => 'root',
            mode    => '0444',
            notify  => $web_server_notify,
        }
        if $web_server == 'apache' {
            file { "${web_dir}/www":
                ensure => directory,
                owner  => 'root',
                group  => 'root',
                mode   => '0755',
            }
            file { "${web_dir}/www/index.html":
                ensure  => file,
                content => epp('lockstep/apache/index.html.epp', {
                    'repositories' => $served.keys,
                    'url_prefix'   => $url_prefix,
                }),
                owner   => 'root',
                group   => 'root',
                mode    => '0444',
            }
        }
    } elsif $site_content {
        file { $web_dir:
            ensure => absent,
            force  => true,
            notify => $web_server_notify,
        }
    }

    $repositories.each |$name, $repo| {
        lockstep::agent::repository { $name:
            ensure            => $repository_ensures[$name],
            url               => $repo['url'],
            verify_command    => $repo['verify_command'],
            base_dir          => $base_dir,
            web_server        => $web_server,
            url_prefix        => $url_prefix,
            web_server_notify => $web_server_notify,
        }
    }
}
