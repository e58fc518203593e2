# SPDX-License-Identifier: Apache-2.0
# @summary Test stand-in for the operations repository's nginx class: the
#   service that sites notify.
class nginx {
    service { 'nginx':
        ensure => running,
    }
}
