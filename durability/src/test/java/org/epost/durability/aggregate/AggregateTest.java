package org.epost.durability.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.epost.durability.fragment.FragmentFormatException;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class AggregateTest {
    private final Random random = new Random(5);

    private byte[] bytes(int length) {
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    @Test
    void packsObjectsUpToTheTargetAndFindsEachMember() throws Exception {
        Aggregator aggregator = new Aggregator(1 << 20);
        List<Aggregate> closed = new ArrayList<>();
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] object = bytes(1000 + random.nextInt(7000));
            objects.add(object);
            aggregator.add(Id.hash(object), 1, object).ifPresent(closed::add);
        }
        aggregator.flush().ifPresent(closed::add);
        assertThat(aggregator.pendingBytes()).isZero();
        assertThat(closed).hasSizeGreaterThanOrEqualTo(2);
        int members = 0;
        for (Aggregate aggregate : closed) {
            byte[] encoded = aggregate.encode();
            assertThat(encoded.length).isLessThan((1 << 20) + 20 * 1024);
            Aggregate decoded = Aggregate.decode(encoded);
            assertThat(decoded.handle()).isEqualTo(aggregate.handle()).isEqualTo(Id.hash(encoded));
            members += decoded.members().size();
        }
        assertThat(members).isEqualTo(600);
        byte[] some = objects.get(321);
        Optional<byte[]> found = closed.stream().map(a -> a.member(Id.hash(some), 1)).flatMap(Optional::stream)
            .findFirst();
        assertThat(found).hasValueSatisfying(value -> assertThat(value).isEqualTo(some));
        assertThat(closed.get(0).member(Id.hash(some), 2)).isEmpty();
        assertThatThrownBy(() -> aggregator.add(Id.hash("big"), 1, new byte[1 << 20]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** Every truncation of a canonical record, one byte longer, and the same record claiming version 2. */
    private static List<byte[]> truncatedLongerAndOfVersion2(byte[] encoded) {
        List<byte[]> bad = new ArrayList<>();
        for (int length = 0; length < encoded.length; length++) {
            bad.add(Arrays.copyOf(encoded, length));
        }
        bad.add(Arrays.copyOf(encoded, encoded.length + 1));
        byte[] version2 = encoded.clone();
        version2[1] = 2;
        bad.add(version2);
        return bad;
    }

    @Test
    void malformedAggregatesAreRefused() {
        Aggregate aggregate = new Aggregate(List.of(new Aggregate.Member(Id.hash("a"), 1, 3),
            new Aggregate.Member(Id.hash("b"), 1, 2)), bytes(5));
        byte[] encoded = aggregate.encode();
        List<byte[]> bad = truncatedLongerAndOfVersion2(encoded);
        // An index that does not cover the body exactly.
        byte[] longer = encoded.clone();
        longer[longer.length - 6] = 0x44;
        bad.add(longer);
        bad.add(null);
        for (byte[] input : bad) {
            assertThatThrownBy(() -> Aggregate.decode(input)).isInstanceOf(FragmentFormatException.class);
        }
        assertThatThrownBy(() -> new Aggregate(List.of(new Aggregate.Member(Id.hash("a"), 1, 3)), bytes(4)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPointerRoundTripsAndMalformedOnesAreRefused() throws Exception {
        AggregatePointer pointer = new AggregatePointer(Id.hash("member"), 3, Id.hash("aggregate"));
        byte[] encoded = pointer.encode();
        assertThat(encoded).hasSize(45);
        assertThat(AggregatePointer.decode(encoded)).isEqualTo(pointer);
        List<byte[]> bad = truncatedLongerAndOfVersion2(encoded);
        bad.add(new byte[200]);
        bad.add(null);
        for (byte[] input : bad) {
            assertThatThrownBy(() -> AggregatePointer.decode(input)).isInstanceOf(FragmentFormatException.class);
        }
        assertThatThrownBy(() -> new AggregatePointer(Id.hash("m"), 256, Id.hash("a")))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
