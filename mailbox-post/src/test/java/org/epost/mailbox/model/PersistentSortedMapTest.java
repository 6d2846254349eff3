package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The persistent map against {@link TreeMap} under seeded random puts, replacements and removals: every version
 * keeps its own contents after later changes (the property readers of a published state rely on), ranges and order
 * agree, and the tree stays balanced.
 */
class PersistentSortedMapTest {

    private static List<Long> values(Iterable<String> values) {
        List<Long> found = new ArrayList<>();
        values.forEach(v -> found.add(Long.parseLong(v)));
        return found;
    }

    private static void assertHolds(PersistentSortedMap<Long, String> map, TreeMap<Long, String> model) {
        assertThat(map.size()).isEqualTo(model.size());
        assertThat(values(map.values())).containsExactlyElementsOf(model.values().stream().map(Long::parseLong)
            .toList());
        List<Long> walkedKeys = new ArrayList<>();
        List<String> walkedValues = new ArrayList<>();
        map.forEach((key, value) -> {
            walkedKeys.add(key);
            walkedValues.add(value);
        });
        assertThat(walkedKeys).containsExactlyElementsOf(model.keySet());
        assertThat(walkedValues).containsExactlyElementsOf(model.values());
        // AVL: height at most 1.44 log2(n + 2)
        assertThat((double) map.height()).isLessThanOrEqualTo(1.45 * Math.log(model.size() + 2) / Math.log(2) + 1);
    }

    @Test
    void everyVersionKeepsItsContentsWhileLaterOnesChange() {
        Random random = new Random(20261207L);
        PersistentSortedMap<Long, String> map = PersistentSortedMap.empty();
        TreeMap<Long, String> model = new TreeMap<>();
        List<PersistentSortedMap<Long, String>> versions = new ArrayList<>();
        List<TreeMap<Long, String>> contents = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            long key = random.nextInt(3_000);
            int choice = random.nextInt(10);
            if (choice < 6) {
                String value = Long.toString(random.nextInt(1_000_000));
                map = map.put(key, value);
                model.put(key, value);
            } else {
                PersistentSortedMap<Long, String> before = map;
                map = map.remove(key);
                if (model.remove(key) == null) {
                    assertThat(map).isSameAs(before);
                }
            }
            assertThat(map.get(key)).isEqualTo(model.get(key));
            if (step % 500 == 0) {
                versions.add(map);
                contents.add(new TreeMap<>(model));
                assertHolds(map, model);
            }
        }
        assertHolds(map, model);
        for (int i = 0; i < versions.size(); i++) {
            assertHolds(versions.get(i), contents.get(i));
        }
    }

    @Test
    void rangesAgreeWithTheModel() {
        Random random = new Random(7);
        PersistentSortedMap<Long, String> map = PersistentSortedMap.empty();
        TreeMap<Long, String> model = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            long key = random.nextInt(10_000);
            map = map.put(key, Long.toString(key));
            model.put(key, Long.toString(key));
        }
        for (int i = 0; i < 500; i++) {
            long from = random.nextInt(10_500) - 250;
            long to = from + random.nextInt(800) - 100;
            List<Long> expected = from > to ? List.of()
                : model.subMap(from, true, to, true).keySet().stream().toList();
            assertThat(from > to ? List.<Long>of() : values(map.values(from, to))).as("[%d, %d]", from, to)
                .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aSortedListBuildsABalancedMapAndUnsortedOnesAreRefused() {
        List<Long> keys = new ArrayList<>();
        TreeMap<Long, String> model = new TreeMap<>();
        for (long key = 1; key <= 100_000; key += 1 + key % 3) {
            keys.add(key);
            model.put(key, Long.toString(key));
        }
        PersistentSortedMap<Long, String> map = PersistentSortedMap.ofSorted(keys, k -> k, k -> Long.toString(k));
        assertHolds(map, model);
        assertThat(map.height()).isLessThanOrEqualTo(17);
        PersistentSortedMap<Long, String> grown = map.put(200_000L, "200000").remove(1L);
        assertThat(grown.size()).isEqualTo(map.size());
        assertThat(map.get(1L)).isEqualTo("1");
        assertThat(map.get(200_000L)).isNull();

        assertThatThrownBy(() -> PersistentSortedMap.ofSorted(List.of(1L, 3L, 2L), k -> k, k -> "v"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> PersistentSortedMap.ofSorted(List.of(1L, 1L), k -> k, k -> "v"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.put(5L, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anEmptyMapHasNothing() {
        PersistentSortedMap<Long, String> map = PersistentSortedMap.empty();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get(1L)).isNull();
        assertThat(map.remove(1L)).isSameAs(map);
        assertThat(map.values()).isEmpty();
        assertThat(map.values(1L, 10L)).isEmpty();
    }
}
