# SPDX-License-Identifier: Apache-2.0
# @summary Whether a resource is there or removed (like Wmflib::Ensure).
type Lockstep::Ensure = Enum['present', 'absent']
