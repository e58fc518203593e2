# SPDX-License-Identifier: Apache-2.0
# @summary A repository name, as the protocol validates it (DESIGN: Words).
type Lockstep::RepoName = Pattern[/\A[a-z][a-z0-9-]{0,62}\z/]
