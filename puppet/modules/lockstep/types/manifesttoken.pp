# SPDX-License-Identifier: Apache-2.0
# @summary One API token of lockstep::manifest: lockstep.manifest.tokens[i].*
# Only the SHA-256 of the token is configured, never the token.
type Lockstep::ManifestToken = Struct[{
    name            => String[1],
    sha256          => Lockstep::Sha256,
    role            => Enum['ci', 'operator', 'agent'],
    Optional[repos] => Array[Lockstep::RepoName, 1],
    Optional[host]  => Lockstep::Hostname,
}]
