package org.epost.overlay.past;

import org.epost.overlay.time.Clock;

/** A clock the test moves by hand. */
public final class ManualClock implements Clock {
    private volatile long now;

    public ManualClock(long now) {
        this.now = now;
    }

    @Override
    public long now() {
        return now;
    }

    public void advance(long millis) {
        now += millis;
    }

    public void set(long millis) {
        now = millis;
    }
}
