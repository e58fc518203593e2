# SPDX-License-Identifier: Apache-2.0
# @summary A TCP port.
type Lockstep::Port = Integer[1, 65535]
