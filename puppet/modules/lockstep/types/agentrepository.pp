# SPDX-License-Identifier: Apache-2.0
# @summary One repository served by lockstep::agent (see lockstep::agent::repository).
type Lockstep::AgentRepository = Struct[{
    url                      => String[1],
    Optional[verify_command] => Pattern[/\A[^\n]+\z/],
    Optional[ensure]         => Lockstep::Ensure,
}]
