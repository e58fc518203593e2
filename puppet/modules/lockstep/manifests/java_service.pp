# SPDX-License-Identifier: Apache-2.0
# @summary One Lockstep Java service: its system user, jar, Spring configuration
#   file, systemd unit and service. The title is the unit's name.
#
# Private: declared by lockstep::agent and lockstep::manifest.
#
# @param ensure present, or absent to stop the service and remove what this made
# @param description the unit's Description=
# @param home the user's home and the service's working directory; must be writable
# @param jar_path where the executable jar is
# @param jar_source a file source (puppet:///..., an absolute path) to copy the jar from; when given, it is used
#   instead of jar_package
# @param jar_package the Debian package that installs the jar at jar_path (with its own unit, which the unit
#   written here overrides: /etc/systemd/system wins over /lib/systemd/system)
# @param config_path the Spring configuration file, passed as
#   --spring.config.additional-location
# @param config_content the configuration file's content
# @param java the java binary
# @param java_opts JVM options, one per element
# @param writable_paths the only paths the service may write (ReadWritePaths=)
define lockstep::java_service (
    Lockstep::Ensure                  $ensure,
    String[1]                         $description,
    Lockstep::Unixpath                $home,
    Lockstep::Unixpath                $jar_path,
    Optional[String[1]]               $jar_source,
    String[1]                         $jar_package,
    Lockstep::Unixpath                $config_path,
    String[1]                         $config_content,
    Lockstep::Unixpath                $java,
    Array[Lockstep::JavaOption]       $java_opts,
    Array[Lockstep::Unixpath, 1]      $writable_paths,
) {
    if $caller_module_name != $module_name {
        fail("lockstep::java_service is private to the lockstep module, not for ${caller_module_name}")
    }

    $user = $title
    $unit_path = "/etc/systemd/system/${title}.service"

    if $ensure == 'present' {
        group { $user:
            ensure => present,
            system => true,
        }
        user { $user:
            ensure     => present,
            system     => true,
            gid        => $user,
            home       => $home,
            managehome => false,
            shell      => '/usr/sbin/nologin',
            comment    => $description,
        }

        if $jar_source {
            file { $jar_path:
                ensure => file,
                source => $jar_source,
                owner  => 'root',
                group  => 'root',
                mode   => '0444',
                notify => Service[$title],
            }
        } else {
            # The package's postinst makes the same system user when it is missing; the user below then only
            # keeps its attributes in line.
            package { $jar_package:
                ensure => installed,
                notify => Service[$title],
            }
        }

        file { $config_path:
            ensure    => file,
            content   => $config_content,
            owner     => 'root',
            group     => $user,
            mode      => '0440',
            show_diff => true,
            notify    => Service[$title],
        }

        file { $unit_path:
            ensure  => file,
            content => epp('lockstep/systemd/java_service.service.epp', {
                'description'    => $description,
                'user'           => $user,
                'home'           => $home,
                'java'           => $java,
                'java_opts'      => $java_opts,
                'jar_path'       => $jar_path,
                'config_path'    => $config_path,
                'writable_paths' => $writable_paths,
            }),
            owner   => 'root',
            group   => 'root',
            mode    => '0444',
            notify  => Service[$title],
        }

        # Puppet's systemd provider runs daemon-reload itself when a unit file changed.
        service { $title:
            ensure  => running,
            enable  => true,
            require => User[$user],
        }
    } else {
        service { $title:
            ensure => stopped,
            enable => false,
        }

        if $jar_source {
            file { $jar_path:
                ensure  => absent,
                require => Service[$title],
            }
        } else {
            package { $jar_package:
                ensure  => absent,
                require => Service[$title],
            }
        }

        file { [$config_path, $unit_path]:
            ensure  => absent,
            require => Service[$title],
        }

        # Without gid the user does not autorequire its group, so this order holds.
        user { $user:
            ensure  => absent,
            require => Service[$title],
        }
        group { $user:
            ensure  => absent,
            require => User[$user],
        }
    }
}
