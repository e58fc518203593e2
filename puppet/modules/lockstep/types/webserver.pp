# SPDX-License-Identifier: Apache-2.0
# @summary Which web server configuration lockstep::agent writes for its repositories.
type Lockstep::WebServer = Enum['nginx', 'apache', 'none']
