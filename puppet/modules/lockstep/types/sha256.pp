# SPDX-License-Identifier: Apache-2.0
# @summary A SHA-256 digest in lower-case hex (64 characters).
type Lockstep::Sha256 = Pattern[/\A[0-9a-f]{64}\z/]
