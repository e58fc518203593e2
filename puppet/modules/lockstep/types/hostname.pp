# SPDX-License-Identifier: Apache-2.0
# @summary A host name as agents report it (by default the short host name).
type Lockstep::Hostname = Pattern[/\A[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\z/]
