package org.epost.durability.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReedSolomonCodecTest {

    @ParameterizedTest
    @CsvSource({"5,48,0", "5,48,1", "5,48,500000", "20,110,123457", "1,2,17", "3,4,3"})
    void anyRequiredFragmentsRebuildTheObject(int m, int n, int size) throws ErasureException {
        ReedSolomonCodec codec = new ReedSolomonCodec(m, n);
        Random random = new Random(size * 31L + m);
        byte[] object = new byte[size];
        random.nextBytes(object);

        List<byte[]> fragments = codec.encode(object);
        assertThat(fragments).hasSize(n).allSatisfy(f -> assertThat(f).hasSize(codec.fragmentLength(size)));

        for (int trial = 0; trial < 5; trial++) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                indexes.add(i);
            }
            Collections.shuffle(indexes, random);
            Map<Integer, byte[]> survivors = new HashMap<>();
            indexes.subList(0, m).forEach(i -> survivors.put(i, fragments.get(i)));
            assertThat(codec.decode(survivors, size)).isEqualTo(object);
        }
    }

    @Test
    void parityOnlyRebuildsTheObject() throws ErasureException {
        ReedSolomonCodec codec = new ReedSolomonCodec(4, 10);
        byte[] object = "a message of some length that spans all four data fragments".getBytes();
        List<byte[]> fragments = codec.encode(object);
        Map<Integer, byte[]> parity = new HashMap<>();
        for (int i = 6; i < 10; i++) {
            parity.put(i, fragments.get(i));
        }
        assertThat(codec.decode(parity, object.length)).isEqualTo(object);
    }

    @Test
    void tooFewFragmentsAreRefused() {
        ReedSolomonCodec codec = new ReedSolomonCodec(5, 48);
        List<byte[]> fragments = codec.encode(new byte[1000]);
        Map<Integer, byte[]> four = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            four.put(i * 7, fragments.get(i * 7));
        }
        assertThatThrownBy(() -> codec.decode(four, 1000)).isInstanceOf(ErasureException.class)
            .hasMessageContaining("4 fragments, 5 needed");
    }

    @Test
    void misfitFragmentsAreRefused() {
        ReedSolomonCodec codec = new ReedSolomonCodec(2, 4);
        List<byte[]> fragments = codec.encode(new byte[10]);
        assertThatThrownBy(() -> codec.decode(Map.of(0, fragments.get(0), 4, fragments.get(1)), 10))
            .isInstanceOf(ErasureException.class).hasMessageContaining("outside 0..3");
        assertThatThrownBy(() -> codec.decode(Map.of(0, fragments.get(0), 1, new byte[4]), 10))
            .isInstanceOf(ErasureException.class).hasMessageContaining("has 4 bytes, not 5");
    }

    @Test
    void parametersAreChecked() {
        assertThatThrownBy(() -> new ReedSolomonCodec(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReedSolomonCodec(4, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReedSolomonCodec(5, 257)).isInstanceOf(IllegalArgumentException.class);
    }
}
