# SPDX-License-Identifier: Apache-2.0
# @summary Merge two hashes recursively: values of $overlay win, nested hashes are
#   merged key by key. Used to lay a caller's extra_config over the generated
#   Spring configuration without losing sibling keys.
# @param base the generated configuration
# @param overlay the caller's additions and overrides
# @return the merged hash
function lockstep::merge(Hash $base, Hash $overlay) >> Hash {
    $overlay.reduce($base) |Hash $memo, Tuple $entry| {
        $key = $entry[0]
        $value = $entry[1]
        if $memo[$key] =~ Hash and $value =~ Hash {
            $memo + { $key => lockstep::merge($memo[$key], $value) }
        } else {
            $memo + { $key => $value }
        }
    }
}
