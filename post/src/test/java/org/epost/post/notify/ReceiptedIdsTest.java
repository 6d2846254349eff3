package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The delegates' receipted ids: forgotten after the window, never more than the cap, however many arrive. */
class ReceiptedIdsTest {
    private static final long DAY = 86_400_000L;
    private static final long WINDOW = SeenIds.windowFor(30 * DAY);

    @Test
    void anIdIsRememberedForTheWindowAndForgottenAfter() {
        ReceiptedIds ids = new ReceiptedIds(WINDOW, 100);
        ids.add("a", 0);
        ids.add("b", 10 * DAY);

        assertThat(ids.contains("a", WINDOW - 1)).isTrue();
        assertThat(ids.contains("a", WINDOW)).isFalse();
        assertThat(ids.contains("b", WINDOW)).isTrue();
        assertThat(ids.size()).isEqualTo(1);
        assertThat(ids.contains("b", 10 * DAY + WINDOW)).isFalse();
        assertThat(ids.size()).isZero();
    }

    @Test
    void aFloodWithinTheWindowKeepsOnlyTheNewestUpToTheCapInBoundedMemory() {
        int cap = 40_000;
        ReceiptedIds ids = new ReceiptedIds(WINDOW, cap);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();

        for (int i = 0; i < 1_000_000; i++) {
            ids.add(String.format("%040x", i), i);
        }
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();

        assertThat(ids.size()).isEqualTo(cap);
        assertThat(ids.contains(String.format("%040x", 999_999), 1_000_000)).isTrue();
        assertThat(ids.contains(String.format("%040x", 0), 1_000_000)).as("the oldest went first").isFalse();
        System.out.printf("receipted-ids flood: 1,000,000 receipts, %d kept, heap %+d KiB (max heap %d MiB)%n",
            ids.size(), (after - before) / 1024, runtime.maxMemory() >> 20);
    }
}
