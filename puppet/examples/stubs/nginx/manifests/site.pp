# SPDX-License-Identifier: Apache-2.0
# @summary Test stand-in for the operations repository's nginx::site: one
#   server configuration in sites-enabled, reloading nginx when it changes.
# @param ensure present or absent
# @param content the site's configuration
define nginx::site (
    Enum['present', 'absent'] $ensure = 'present',
    Optional[String]          $content = undef,
) {
    include nginx

    $file_ensure = $ensure ? {
        'present' => 'file',
        default   => 'absent',
    }
    file { "/etc/nginx/sites-enabled/${title}":
        ensure  => $file_ensure,
        content => $content,
        notify  => Service['nginx'],
    }
}
