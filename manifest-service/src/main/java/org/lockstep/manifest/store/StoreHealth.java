package org.lockstep.manifest.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the store can serve right now, and what an operator needs to know either way ({@code store}, and when
 * down {@code cause}, {@code detail}, {@code hint}, {@code since}): the {@code store} component of
 * {@code /actuator/health}. Plain data, so the store needs no Spring.
 *
 * @param up      whether reads and writes can succeed
 * @param details what health shows, in order
 */
public record StoreHealth(boolean up, Map<String, Object> details) {

    public StoreHealth {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
