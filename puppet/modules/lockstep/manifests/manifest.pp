# SPDX-License-Identifier: Apache-2.0
# @summary The Lockstep manifest service: records each repository's target and
#   active commit and runs rollouts across the expected hosts.
#
# Installs the manifest-service jar (from a file source or a package), a system
# user `lockstep-manifest`, /etc/lockstep/manifest.yaml and the systemd unit
# `lockstep-manifest`. With the embedded store (one instance) its state lives in
# data_dir; with the etcd store several instances share an etcd cluster.
#
# No hiera lookups here: a profile passes every parameter. Tokens appear only as
# their SHA-256 (`printf %s "$TOKEN" | sha256sum`); the tokens themselves belong
# to CI, operators and the agents' token files.
#
# @example
#   class { 'lockstep::manifest':
#       jar_package  => 'lockstep-manifest',
#       repositories => {
#           'primary' => {
#               'url'    => 'https://gitlab.example.org/schemas/primary.git',
#               'branch' => 'main',
#               'hosts'  => ['schema1001', 'schema1002', 'schema2001', 'schema2002'],
#           },
#           'secondary' => {
#               'url'            => 'https://gitlab.example.org/schemas/secondary.git',
#               'branch'         => 'main',
#               'hosts'          => ['schema1001', 'schema1002', 'schema2001', 'schema2002'],
#               'activate_after' => ['primary'],
#           },
#       },
#       tokens       => [
#           { 'name' => 'ci-primary', 'sha256' => '<64 hex>', 'role' => 'ci', 'repos' => ['primary'] },
#           { 'name' => 'schema1001', 'sha256' => '<64 hex>', 'role' => 'agent', 'host' => 'schema1001' },
#       ],
#   }
#
# @param ensure present, or absent to stop the service and remove what this
#   class made (data_dir only with purge_data)
# @param repositories the repositories, by name: url, branch, hosts (the expected
#   hosts, which must all report a commit prepared before it becomes active), and
#   optionally watch_interval, gitlab_project, gerrit_project, commit_url_template
#   and activate_after: other repositories of this list that a rollout of this one
#   waits for (lockstep.manifest.repos.<name>.activate-after), e.g. secondary's
#   ['primary'] when secondary's schemas $ref primary's (docs/consistency.md)
# @param tokens who may change state: name, sha256, role (ci, operator or
#   agent), repos (ci only) and host (agent only)
# @param store embedded (one instance, state in data_dir) or etcd
# @param data_dir the service's only writable directory: the embedded store and
#   the service's git mirrors
# @param etcd_endpoints the etcd cluster's client URLs (store etcd): every member,
#   all http:// or all https://
# @param etcd_prefix the key prefix of this fleet's store; the same on every instance
# @param etcd_tls with https:// endpoints: present a client certificate to etcd
#   (its --client-cert-auth) and check etcd's against a CA. The files are copied
#   from puppet's own SSL directory by default (the host's puppet certificate),
#   into /etc/lockstep/etcd/, the key converted to PKCS#8 (the form the service
#   reads) and readable by the service's group only
# @param etcd_tls_ca the CA certificate(s) that signed the etcd members' certificates
# @param etcd_tls_cert this host's client certificate (PEM); by default puppet's,
#   /etc/puppetlabs/puppet/ssl/certs/<certname>.pem
# @param etcd_tls_key its private key (PEM, PKCS#1 as puppet writes it, or PKCS#8);
#   by default /etc/puppetlabs/puppet/ssl/private_keys/<certname>.pem
# @param etcd_tls_authority the name every member's certificate is checked against,
#   when the members' certificates do not each carry the name they are reached at
# @param etcd_user the etcd user, for password authentication; leave unset to
#   authenticate by the client certificate's common name (the certname)
# @param etcd_password that user's password, written to /etc/lockstep/etcd/password
# @param openssl the openssl binary that converts the key
# @param gitlab_hook_token_sha256 SHA-256 of the secret GitLab sends in
#   X-Gitlab-Token, for repositories with gitlab_project
# @param gerrit_hook_token_sha256 SHA-256 of the shared secret of Gerrit's
#   ref-updated events, for repositories with gerrit_project
# @param listen_address the address to bind (server.address); all when unset
# @param port the HTTP port (server.port)
# @param jar_path where the manifest-service jar is
# @param jar_source a file source to copy manifest-service.jar from; when given, no package
#   is installed
# @param jar_package the Debian package that installs manifest-service.jar at jar_path
#   (built by the Lockstep build: packaging/)
# @param java the java binary (Java 17 or newer)
# @param java_opts JVM options
# @param extra_config more Spring properties, merged over the generated ones
# @param purge_data with ensure absent, also delete data_dir (the store: every
#   target and rollout recorded). Agents accept a rebuilt store, but history is gone.
# @param dashboard_url the fleet's Grafana dashboard (monitoring/grafana); the
#   operator page links to it (lockstep.manifest.page.dashboard-url)
class lockstep::manifest (
    Lockstep::Ensure                                       $ensure                   = 'present',
    Hash[Lockstep::RepoName, Lockstep::ManifestRepository] $repositories             = {},
    Array[Lockstep::ManifestToken]                         $tokens                   = [],
    Enum['embedded', 'etcd']                               $store                    = 'embedded',
    Lockstep::Unixpath                                     $data_dir                 = '/var/lib/lockstep-manifest',
    Array[Lockstep::HttpUrl]                               $etcd_endpoints           = [],
    Pattern[/\A\/\S*\z/]                                   $etcd_prefix              = '/lockstep/',
    Boolean                                                $etcd_tls                 = false,
    Lockstep::Unixpath                                     $etcd_tls_ca              = '/etc/puppetlabs/puppet/ssl/certs/ca.pem',
    Optional[Lockstep::Unixpath]                           $etcd_tls_cert            = undef,
    Optional[Lockstep::Unixpath]                           $etcd_tls_key             = undef,
    Optional[String[1]]                                    $etcd_tls_authority       = undef,
    Optional[String[1]]                                    $etcd_user                = undef,
    Optional[Sensitive[String[1]]]                         $etcd_password            = undef,
    Lockstep::Unixpath                                     $openssl                  = '/usr/bin/openssl',
    Optional[Lockstep::Sha256]                             $gitlab_hook_token_sha256 = undef,
    Optional[Lockstep::Sha256]                             $gerrit_hook_token_sha256 = undef,
    Optional[String[1]]                                    $listen_address           = undef,
    Lockstep::Port                                         $port                     = 8470,
    Lockstep::Unixpath                                     $jar_path                 = '/usr/share/lockstep/manifest-service.jar',
    Optional[String[1]]                                    $jar_source               = undef,
    String[1]                                              $jar_package              = 'lockstep-manifest',
    Lockstep::Unixpath                                     $java                     = '/usr/bin/java',
    Array[Lockstep::JavaOption]                            $java_opts                = ['-Xmx512m', '-XX:+ExitOnOutOfMemoryError'],
    Hash[String[1], Data]                                  $extra_config             = {},
    Boolean                                                $purge_data               = false,
    Optional[Lockstep::HttpUrl]                            $dashboard_url            = undef,
) {
    include lockstep::common

    $service = 'lockstep-manifest'

    if $ensure == 'present' {
        if $store == 'etcd' and $etcd_endpoints.empty {
            fail('lockstep::manifest: store etcd needs etcd_endpoints')
        }
        $etcd_https = $etcd_endpoints.filter |$url| { $url =~ /\Ahttps:/ }
        if $store == 'etcd' and !$etcd_https.empty and $etcd_https.length != $etcd_endpoints.length {
            fail("lockstep::manifest: etcd_endpoints mix http:// and https://: ${etcd_endpoints}")
        }
        if $store == 'etcd' and $etcd_tls and $etcd_https.empty {
            fail('lockstep::manifest: etcd_tls needs https:// etcd_endpoints')
        }
        if ($etcd_user == undef) != ($etcd_password == undef) {
            fail('lockstep::manifest: etcd_user and etcd_password go together')
        }
        $token_names = $tokens.map |$token| { $token['name'] }
        if $token_names.unique.length != $token_names.length {
            fail("lockstep::manifest: token names must be unique: ${token_names}")
        }
        $tokens.each |$token| {
            case $token['role'] {
                'ci': {
                    if $token['repos'] == undef or $token['host'] != undef {
                        fail("lockstep::manifest: ci token ${token['name']} needs repos and no host")
                    }
                    $unknown = $token['repos'].filter |$repo| { !($repo in $repositories) }
                    unless $unknown.empty {
                        fail("lockstep::manifest: ci token ${token['name']} names unknown repositories ${unknown}")
                    }
                }
                'agent': {
                    if $token['host'] == undef or $token['repos'] != undef {
                        fail("lockstep::manifest: agent token ${token['name']} needs host and no repos")
                    }
                }
                default: {
                    if $token['host'] != undef or $token['repos'] != undef {
                        fail("lockstep::manifest: operator token ${token['name']} takes neither repos nor host")
                    }
                }
            }
        }
        # activate_after names other repositories of this manifest, without a cycle (the service refuses both at
        # start-up too; failing here keeps a broken configuration from reaching it).
        $after = $repositories.map |$name, $repo| { [$name, $repo['activate_after'].lest || { [] }] }.convert_to(Hash)
        $after.each |$name, $deps| {
            $unknown = $deps.filter |$dep| { !($dep in $repositories) }
            unless $unknown.empty {
                fail("lockstep::manifest: ${name}'s activate_after names unknown repositories ${unknown}")
            }
        }
        # What each repository waits for, directly or not: one more step per round, as many rounds as repositories.
        $waits_for = $after.keys.reduce($after) |$reached, $round| {
            $reached.map |$name, $deps| {
                [$name, ($deps + $deps.map |$dep| { $reached[$dep] }.flatten).unique]
            }.convert_to(Hash)
        }
        $cyclic = $waits_for.filter |$name, $deps| { $name in $deps }.keys.sort
        unless $cyclic.empty {
            fail("lockstep::manifest: activate_after makes a cycle through ${cyclic}")
        }
        $repositories.each |$name, $repo| {
            if $repo['gitlab_project'] and $gitlab_hook_token_sha256 == undef {
                fail("lockstep::manifest: ${name} has gitlab_project but gitlab_hook_token_sha256 is unset")
            }
            if $repo['gerrit_project'] and $gerrit_hook_token_sha256 == undef {
                fail("lockstep::manifest: ${name} has gerrit_project but gerrit_hook_token_sha256 is unset")
            }
        }
    }

    # Puppet's snake_case keys to Spring's kebab-case properties; unset ones are left out.
    $repository_keys = {
        'url'                 => 'url',
        'branch'              => 'branch',
        'hosts'               => 'hosts',
        'watch_interval'      => 'watch-interval',
        'gitlab_project'      => 'gitlab-project',
        'gerrit_project'      => 'gerrit-project',
        'commit_url_template' => 'commit-url-template',
        'activate_after'      => 'activate-after',
    }
    $repos_config = $repositories.map |$name, $repo| {
        [$name, $repository_keys.filter |$key, $property| { $repo[$key] != undef }.map |$key, $property| {
            [$property, $repo[$key]]
        }.convert_to(Hash)]
    }.convert_to(Hash)
    $tokens_config = $tokens.map |$token| {
        ['name', 'sha256', 'role', 'repos', 'host'].filter |$key| { $token[$key] != undef }.map |$key| {
            [$key, $token[$key]]
        }.convert_to(Hash)
    }
    $hooks_config = {
        'gitlab' => $gitlab_hook_token_sha256,
        'gerrit' => $gerrit_hook_token_sha256,
    }.filter |$kind, $sha256| { $sha256 != undef }.map |$kind, $sha256| {
        [$kind, { 'token-sha256' => $sha256 }]
    }.convert_to(Hash)

    # The TLS files and the password, as the service reads them (see the resources below).
    $etcd_dir = '/etc/lockstep/etcd'
    $tls_cert = $etcd_tls_cert ? {
        undef   => "/etc/puppetlabs/puppet/ssl/certs/${trusted['certname']}.pem",
        default => $etcd_tls_cert,
    }
    $tls_key = $etcd_tls_key ? {
        undef   => "/etc/puppetlabs/puppet/ssl/private_keys/${trusted['certname']}.pem",
        default => $etcd_tls_key,
    }
    $etcd_use_tls = $store == 'etcd' and $etcd_tls
    $etcd_use_password = $store == 'etcd' and $etcd_user != undef
    $etcd_tls_config = $etcd_use_tls ? {
        true    => { 'tls' => {
            'ca-file'   => "${etcd_dir}/ca.pem",
            'cert-file' => "${etcd_dir}/client.pem",
            'key-file'  => "${etcd_dir}/client.key",
        } + ($etcd_tls_authority ? { undef => {}, default => { 'authority' => $etcd_tls_authority } }) },
        default => {},
    }
    $etcd_user_config = $etcd_use_password ? {
        true    => { 'user' => $etcd_user, 'password-file' => "${etcd_dir}/password" },
        default => {},
    }
    $manifest_config = {
        'store'    => $store,
        'data-dir' => $data_dir,
    } + ($store ? {
        'etcd'  => { 'etcd' => { 'endpoints' => $etcd_endpoints, 'prefix' => $etcd_prefix }
            + $etcd_tls_config + $etcd_user_config },
        default => {},
    }) + {
        'repos'  => $repos_config,
        'tokens' => $tokens_config,
    } + ($hooks_config.empty ? {
        true    => {},
        default => { 'hooks' => $hooks_config },
    }) + ($dashboard_url ? {
        undef   => {},
        default => { 'page' => { 'dashboard-url' => $dashboard_url } },
    })
    $server_config = $listen_address ? {
        undef   => { 'port' => $port },
        default => { 'address' => $listen_address, 'port' => $port },
    }
    $config = lockstep::merge({
        'server'   => $server_config,
        'lockstep' => { 'manifest' => $manifest_config },
    }, $extra_config)
    $config_yaml = lockstep::to_yaml($config)

    lockstep::java_service { $service:
        ensure         => $ensure,
        description    => 'Lockstep manifest service: deploys git repositories in step across hosts',
        home           => $data_dir,
        jar_path       => $jar_path,
        jar_source     => $jar_source,
        jar_package    => $jar_package,
        config_path    => '/etc/lockstep/manifest.yaml',
        config_content => "# Managed by puppet (lockstep::manifest). Spring Boot configuration of the manifest service.\n${config_yaml}",
        java           => $java,
        java_opts      => $java_opts,
        writable_paths => [$data_dir],
    }

    if $ensure == 'present' and ($etcd_use_tls or $etcd_use_password) {
        file { $etcd_dir:
            ensure => directory,
            owner  => 'root',
            group  => $service,
            mode   => '0750',
        }
    } else {
        file { $etcd_dir:
            ensure => absent,
            force  => true,
        }
    }

    if $ensure == 'present' and $etcd_use_tls {
        file { "${etcd_dir}/ca.pem":
            ensure => file,
            source => $etcd_tls_ca,
            owner  => 'root',
            group  => $service,
            mode   => '0444',
            notify => Service[$service],
        }
        file { "${etcd_dir}/client.pem":
            ensure => file,
            source => $tls_cert,
            owner  => 'root',
            group  => $service,
            mode   => '0444',
            notify => Service[$service],
        }
        # The service reads PKCS#8 keys only; puppet writes PKCS#1. Converting an unencrypted key is
        # deterministic, so comparing a fresh conversion with the file tells whether the key changed.
        $key = "${etcd_dir}/client.key"
        $convert = "${openssl} pkcs8 -topk8 -nocrypt -in ${tls_key}"
        $install = "chgrp ${service} ${key}.new && chmod 0440 ${key}.new && mv -f ${key}.new ${key}"
        exec { 'lockstep-manifest etcd client key':
            command => "/bin/sh -c 'umask 0277 && ${convert} -out ${key}.new && ${install}'",
            unless  => "/bin/sh -c '${convert} | cmp -s - ${key}'",
            require => [File[$etcd_dir], Group[$service]],
            notify  => Service[$service],
        }
        file { $key:
            ensure  => file,
            owner   => 'root',
            group   => $service,
            mode    => '0440',
            require => Exec['lockstep-manifest etcd client key'],
        }
    }

    if $ensure == 'present' and $etcd_use_password {
        file { "${etcd_dir}/password":
            ensure    => file,
            content   => Sensitive("${etcd_password.unwrap}\n"),
            owner     => 'root',
            group     => $service,
            mode      => '0440',
            show_diff => false,
            notify    => Service[$service],
        }
    }

    if $ensure == 'present' {
        file { $data_dir:
            ensure => directory,
            owner  => $service,
            group  => $service,
            mode   => '0750',
            before => Service[$service],
        }
    } elsif $purge_data {
        file { $data_dir:
            ensure  => absent,
            force   => true,
            require => Service[$service],
        }
    }
}
