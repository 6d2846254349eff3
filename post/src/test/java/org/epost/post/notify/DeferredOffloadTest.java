package org.epost.post.notify;

import org.junit.jupiter.api.Nested;

/**
 * The home and sending roles with their signing, sealing, opening and verifying off the node thread, played as later
 * events of the simulation ({@link org.epost.overlay.sim.SimScheduler#deferOffload}), as the production pool hands
 * results back after other messages: every test of the roles must pass the same.
 */
class DeferredOffloadTest {

    @Nested
    class Home extends HomeRoleTest {
        @Override
        void configure(RoleFixture fixture) {
            fixture.scheduler.deferOffload();
        }
    }

    @Nested
    class Sending extends SendingRoleTest {
        @Override
        void configure(RoleFixture fixture) {
            fixture.scheduler.deferOffload();
        }
    }
}
