# SPDX-License-Identifier: Apache-2.0
# @summary One JVM option, e.g. '-Xmx256m'. No whitespace: it goes into ExecStart= as is.
type Lockstep::JavaOption = Pattern[/\A-\S+\z/]
