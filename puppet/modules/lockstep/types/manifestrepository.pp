# SPDX-License-Identifier: Apache-2.0
# @summary One repository of lockstep::manifest: lockstep.manifest.repos.<name>.*
type Lockstep::ManifestRepository = Struct[{
    url                           => String[1],
    branch                        => String[1],
    hosts                         => Array[Lockstep::Hostname, 1],
    Optional[watch_interval]      => Lockstep::Duration,
    Optional[gitlab_project]      => String[1],
    Optional[gerrit_project]      => String[1],
    Optional[commit_url_template] => String[1],
    Optional[activate_after]      => Array[Lockstep::RepoName],
}]
