package org.lockstep.system;

import org.junit.jupiter.api.AfterEach;
import org.lockstep.testing.fleet.Fleet;

/** A test that starts a {@link Fleet}: whatever happens, every process it started is stopped after the test. */
abstract class FleetTest {

    protected Fleet fleet;

    @AfterEach
    void stopEverything() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
