# SPDX-License-Identifier: Apache-2.0
# @summary An http or https URL.
type Lockstep::HttpUrl = Pattern[/\Ahttps?:\/\/[^\s\/]+(\/\S*)?\z/]
