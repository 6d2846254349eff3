package org.epost.overlay.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    private static final int MIB = 1 << 20;
    private final Random random = new Random(15);
    private final Id hostile = Id.random(random);
    private final Id honest = Id.random(random);
    private final Id other = Id.random(random);

    private static List<String> drain(FairQueue<String> queue) {
        List<String> out = new ArrayList<>();
        for (Optional<String> next = queue.poll(); next.isPresent(); next = queue.poll()) {
            out.add(next.get());
        }
        return out;
    }

    @Test
    void anHonestSendersWorkGoesOutAfterOneTurnOfAFloodQueuedBeforeIt() {
        FairQueue<String> queue = new FairQueue<>(MIB, 16L * MIB, 64L * MIB);
        for (int i = 0; i < 12; i++) {
            assertThat(queue.offer(hostile, MIB, "flood-" + i)).isEmpty();
        }
        assertThat(queue.offer(honest, 2_000, "mail-head")).isEmpty();
        assertThat(queue.offer(honest, 30_000, "mail-body")).isEmpty();

        List<String> order = drain(queue);

        // one quantum of the flood, then everything the honest sender had (it fits in its quantum), then the flood
        assertThat(order.subList(0, 3)).containsExactly("flood-0", "mail-head", "mail-body");
        assertThat(order.subList(3, 14)).containsExactly("flood-1", "flood-2", "flood-3", "flood-4", "flood-5",
                "flood-6", "flood-7", "flood-8", "flood-9", "flood-10", "flood-11");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.waitingBytes()).isZero();
    }

    @Test
    void bytesNotSenderCountDecideTheShares() {
        FairQueue<String> queue = new FairQueue<>(100, 10_000, 10_000);
        for (int i = 0; i < 4; i++) {
            queue.offer(hostile, 100, "big-" + i);
        }
        for (int i = 0; i < 8; i++) {
            queue.offer(honest, 50, "small-" + i);
        }
        // each turn is worth 100 bytes: one big item against two small ones, alternately
        assertThat(drain(queue)).containsExactly("big-0", "small-0", "small-1", "big-1", "small-2", "small-3",
                "big-2", "small-4", "small-5", "big-3", "small-6", "small-7");
    }

    @Test
    void workLargerThanAQuantumWaitsForEnoughTurnsAndOrderWithinASenderIsKept() {
        FairQueue<String> queue = new FairQueue<>(100, 10_000, 10_000);
        queue.offer(hostile, 250, "large");
        queue.offer(hostile, 10, "after-large");
        queue.offer(honest, 100, "a");
        queue.offer(honest, 100, "b");
        queue.offer(honest, 100, "c");
        queue.offer(other, 100, "x");
        assertThat(drain(queue)).containsExactly("a", "x", "b", "large", "after-large", "c");
    }

    @Test
    void aSenderOverItsShareIsRefusedWhileOthersStillGetIn() {
        FairQueue<String> queue = new FairQueue<>(MIB, 4L * MIB, 6L * MIB);
        for (int i = 0; i < 4; i++) {
            assertThat(queue.offer(hostile, MIB, "flood-" + i)).isEmpty();
        }
        assertThat(queue.offer(hostile, 1, "one-too-many")).contains(FairQueue.Refusal.SENDER_FULL);
        assertThat(queue.offer(honest, MIB, "mail")).isEmpty();
        assertThat(queue.offer(other, MIB, "mail-2")).isEmpty();
        assertThat(queue.offer(other, 1, "over-total")).contains(FairQueue.Refusal.TOTAL_FULL);
        assertThat(queue.waitingBytes(hostile)).isEqualTo(4L * MIB);
        assertThat(queue.senders()).isEqualTo(3);

        queue.poll();
        // room again for the flood once its own work left
        assertThat(queue.offer(hostile, MIB, "flood-4")).isEmpty();
    }

    @Test
    void oneItemLargerThanAShareIsTakenIntoAnEmptyLaneOnly() {
        FairQueue<String> queue = new FairQueue<>(MIB, MIB, 8L * MIB);
        assertThat(queue.offer(hostile, 4 * MIB, "box")).isEmpty();
        assertThat(queue.offer(hostile, 1, "more")).contains(FairQueue.Refusal.SENDER_FULL);
        assertThat(drain(queue)).containsExactly("box");
    }

    @Test
    void anIdleSenderSavesNoCreditToBurstLater() {
        FairQueue<String> queue = new FairQueue<>(100, 10_000, 10_000);
        queue.offer(honest, 10, "early");
        assertThat(queue.poll()).contains("early");
        queue.offer(hostile, 100, "h-0");
        queue.offer(hostile, 100, "h-1");
        queue.offer(honest, 100, "late-0");
        queue.offer(honest, 100, "late-1");
        assertThat(drain(queue)).containsExactly("h-0", "late-0", "h-1", "late-1");
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> new FairQueue<String>(0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairQueue<String>(1, 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
