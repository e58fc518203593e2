# SPDX-License-Identifier: Apache-2.0
# @summary An absolute path that is safe to write unquoted into systemd units and
# web server configuration: no whitespace, quotes, semicolons, braces or dollars,
# no '.' or '..' segments, no trailing slash.
type Lockstep::Unixpath = Pattern[/\A(?!.*\/\.\.?(\/|\z))(\/[A-Za-z0-9._+@-]+)+\z/]
