package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class RecentMessagesTest {

    @Test
    void aSecondCopyIsRefusedUntilTheIdIsTheOldestPastTheCapacity() {
        RecentMessages recent = new RecentMessages(3);
        Id origin = Id.hash("origin");
        assertThat(recent.firstTime(origin, 1)).isTrue();
        assertThat(recent.firstTime(origin, 1)).isFalse();
        assertThat(recent.firstTime(Id.hash("other"), 1)).as("same sequence, other origin").isTrue();
        assertThat(recent.firstTime(origin, 2)).isTrue();
        assertThat(recent.firstTime(origin, 3)).isTrue(); // pushes out (origin, 1)
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.firstTime(origin, 1)).isTrue();
        assertThat(recent.firstTime(origin, 3)).isFalse();
    }

    @Test
    void nothingIsRememberedWithCapacityZero() {
        RecentMessages recent = new RecentMessages(0);
        assertThat(recent.firstTime(Id.hash("o"), 7)).isTrue();
        assertThat(recent.firstTime(Id.hash("o"), 7)).isTrue();
    }

    @Test
    void agreesWithAFirstInFirstOutSetOverManyIdsAndEvictions() {
        for (int capacity : new int[] {1, 5, 16, 100, 1000}) {
            RecentMessages recent = new RecentMessages(capacity);
            Deque<String> order = new ArrayDeque<>();
            Set<String> model = new HashSet<>();
            Random random = new Random(capacity);
            Id[] origins = {Id.hash("a"), Id.hash("b"), Id.hash("c")};
            for (int i = 0; i < 20_000; i++) {
                int o = random.nextInt(origins.length);
                long sequence = random.nextInt(3 * capacity + 5);
                String key = o + "/" + sequence;
                boolean expected = !model.contains(key);
                assertThat(recent.firstTime(origins[o], sequence)).as("step %d, capacity %d", i, capacity)
                        .isEqualTo(expected);
                if (expected) {
                    order.addLast(key);
                    model.add(key);
                    if (order.size() > capacity) {
                        model.remove(order.removeFirst());
                    }
                }
                assertThat(recent.size()).isEqualTo(order.size());
            }
        }
    }
}
