# SPDX-License-Identifier: Apache-2.0
# @summary One repository served by lockstep::agent: where the agent fetches it,
#   how a release is verified, and the web server snippet that serves it under
#   <url_prefix>/<title>/ with read-through.
#
# The title is the repository's name as the manifest service knows it.
#
# Private: lockstep::agent declares one per entry of its `repositories`, because
# the agent's single configuration file (/etc/lockstep/agent.yaml) must list
# every repository; declare repositories through that parameter. lockstep::agent
# writes url and verify_command into that file; they are parameters here too so
# that the catalogue (and PuppetDB) records, per repository, what a host serves
# and from where.
#
# The snippet (/etc/lockstep/<web_server>/repositories.d/<title>.conf) maps
# <url_prefix>/<title>/<path> to <base_dir>/<title>/current/<path>, else to
# next/<path>, else 404. Directory listings come from current only.
#
# @param url where the agent fetches the repository (lockstep.agent.repos.<name>.url)
# @param base_dir the agent's base directory
# @param web_server which snippet to write: nginx, apache or none
# @param url_prefix the URL path under which repositories are served
# @param web_server_notify resources to notify when the snippet changes
# @param ensure present, or absent to remove the snippet and the repository's
#   releases (after the agent and the web server have let go of them)
# @param verify_command run inside each new release before it is reported
#   prepared (lockstep.agent.repos.<name>.verify-command)
define lockstep::agent::repository (
    String[1]                        $url,
    Lockstep::Unixpath               $base_dir,
    Lockstep::WebServer              $web_server,
    Lockstep::UrlPrefix              $url_prefix,
    Array[Type[Resource]]            $web_server_notify = [],
    Lockstep::Ensure                 $ensure            = 'present',
    Optional[Pattern[/\A[^\n]+\z/]]  $verify_command    = undef,
) {
    if $caller_module_name != $module_name {
        fail("lockstep::agent::repository is private: add ${title} to lockstep::agent's repositories instead")
    }
    unless $title =~ Lockstep::RepoName {
        fail("lockstep::agent::repository: '${title}' is not a valid repository name")
    }

    $file_ensure = $ensure ? {
        'present' => 'file',
        default   => 'absent',
    }

    if $web_server != 'none' {
        file { "/etc/lockstep/${web_server}/repositories.d/${title}.conf":
            ensure  => $file_ensure,
            content => epp("lockstep/${web_server}/repository.conf.epp", {
                'repo_name'  => $title,
                'base_dir'   => $base_dir,
                'url_prefix' => $url_prefix,
            }),
            owner   => 'root',
            group   => 'root',
            mode    => '0444',
            notify  => $web_server_notify,
        }
    }

    if $ensure == 'absent' {
        file { "${base_dir}/${title}":
            ensure  => absent,
            force   => true,
            require => [Service['lockstep-agent']] + $web_server_notify,
        }
    }
}
