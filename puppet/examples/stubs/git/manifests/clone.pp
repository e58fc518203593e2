# SPDX-License-Identifier: Apache-2.0
# @summary Test stand-in for the operations repository's git::clone (same
#   parameters that the example profile uses; does nothing but exist).
# @param directory where the clone lives
# @param ensure present, latest (pull on every puppet run) or absent
# @param origin the remote URL
# @param branch the branch to check out
# @param owner owner of the clone
# @param group group of the clone
define git::clone (
    String[1]                          $directory,
    Enum['present', 'latest', 'absent'] $ensure = 'present',
    Optional[String[1]]                $origin = undef,
    String                             $branch = '',
    String[1]                          $owner  = 'root',
    String[1]                          $group  = 'root',
) {
}
