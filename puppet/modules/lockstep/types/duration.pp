# SPDX-License-Identifier: Apache-2.0
# @summary A Spring Boot Duration: a number with a unit (500ms, 30s, 5m, 1h, 1d) or
# ISO-8601 (PT30S).
type Lockstep::Duration = Pattern[/\A(\d+(ns|us|ms|s|m|h|d)|P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)\z/]
