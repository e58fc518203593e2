# SPDX-License-Identifier: Apache-2.0
# @summary Directories shared by lockstep::agent and lockstep::manifest.
#
# Private: included by those classes. The directories stay when both classes
# are absent: either class may still use them, and they are empty by then.
class lockstep::common {
    if $caller_module_name != $module_name {
        fail("lockstep::common is private to the lockstep module, not for ${caller_module_name}")
    }

    file { ['/etc/lockstep', '/usr/share/lockstep']:
        ensure => directory,
        owner  => 'root',
        group  => 'root',
        mode   => '0755',
    }
}
