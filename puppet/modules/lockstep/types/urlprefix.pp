# SPDX-License-Identifier: Apache-2.0
# @summary The URL path under which repositories are served, e.g. '/repositories'.
# No trailing slash; letters, digits, '_' and '-' only, so it is safe inside an nginx regex.
type Lockstep::UrlPrefix = Pattern[/\A(\/[A-Za-z0-9_-]+)+\z/]
