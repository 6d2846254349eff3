package org.epost.overlay.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IdTest {
    private static final Id ZERO = Id.fromHex("0000000000000000000000000000000000000000");
    private static final Id MAX = Id.fromHex("ffffffffffffffffffffffffffffffffffffffff");

    @Test
    void distanceWrapsAroundTheRing() {
        assertThat(ZERO.distance(MAX)).isEqualTo(BigInteger.ONE);
        assertThat(MAX.distance(ZERO)).isEqualTo(BigInteger.ONE);
        assertThat(ZERO.clockwiseDistanceTo(MAX)).isEqualTo(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE));
        assertThat(MAX.clockwiseDistanceTo(ZERO)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void digitsAreHexadecimalFromTheMostSignificant() {
        Id id = Id.fromHex("a5" + "0".repeat(36) + "7c");
        assertThat(id.digit(0)).isEqualTo(0xa);
        assertThat(id.digit(1)).isEqualTo(0x5);
        assertThat(id.digit(38)).isEqualTo(0x7);
        assertThat(id.digit(39)).isEqualTo(0xc);
    }

    @Test
    void sharedPrefixCountsDigits() {
        Id a = Id.fromHex("abcd" + "0".repeat(36));
        assertThat(a.sharedPrefixLength(Id.fromHex("abce" + "0".repeat(36)))).isEqualTo(3);
        assertThat(a.sharedPrefixLength(Id.fromHex("abd0" + "0".repeat(36)))).isEqualTo(2);
        assertThat(a.sharedPrefixLength(Id.fromHex("1bcd" + "0".repeat(36)))).isZero();
        assertThat(a.sharedPrefixLength(a)).isEqualTo(Id.DIGITS);
    }

    @Test
    void orderIsUnsigned() {
        assertThat(Id.fromHex("80" + "0".repeat(38)).compareTo(Id.fromHex("7f" + "f".repeat(38)))).isPositive();
    }

    @Test
    void bigIntegerRoundTripAndAddition() {
        Id id = Id.random(new Random(42));
        assertThat(Id.fromBigInteger(id.toBigInteger())).isEqualTo(id);
        assertThat(MAX.add(BigInteger.ONE)).isEqualTo(ZERO);
        assertThat(ZERO.add(BigInteger.ONE.negate())).isEqualTo(MAX);
    }

    @Test
    void closenessBreaksTiesTowardsTheLowerId() {
        Id key = Id.fromHex("0".repeat(39) + "5");
        Id below = Id.fromHex("0".repeat(39) + "3");
        Id above = Id.fromHex("0".repeat(39) + "7");
        assertThat(below.isCloserTo(key, above)).isTrue();
        assertThat(above.isCloserTo(key, below)).isFalse();
    }

    @Test
    void hashIsSha256Truncated() {
        assertThat(Id.hash("").toHex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4");
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> Id.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Id.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fastComparisonsAgreeWithBigIntegerArithmetic() {
        Random random = new Random(7);
        Id[] edge = {ZERO, MAX, Id.fromHex("80" + "0".repeat(38)), Id.fromHex("7f" + "f".repeat(38)),
                Id.fromHex("0".repeat(24) + "ffffffff" + "0".repeat(8)), Id.fromHex("0".repeat(32) + "00000001")};
        for (int i = 0; i < 20_000; i++) {
            Id key = i < 200 ? edge[i % edge.length] : Id.random(random);
            Id a = i % 3 == 0 ? edge[random.nextInt(edge.length)] : Id.random(random);
            Id b = i % 5 == 0 ? a.add(BigInteger.ONE) : Id.random(random);
            assertThat(Integer.signum(key.compareDistances(a, b)))
                    .isEqualTo(Integer.signum(a.distance(key).compareTo(b.distance(key))));
            assertThat(Integer.signum(key.compareClockwise(a, b)))
                    .isEqualTo(Integer.signum(key.clockwiseDistanceTo(a).compareTo(key.clockwiseDistanceTo(b))));
        }
    }

    @Test
    void arcContainsWrapsAroundZero() {
        Id start = Id.fromHex("f0" + "0".repeat(38));
        Id end = Id.fromHex("10" + "0".repeat(38));
        assertThat(start.arcContains(ZERO, end)).isTrue();
        assertThat(start.arcContains(MAX, end)).isTrue();
        assertThat(start.arcContains(end, end)).isTrue();
        assertThat(start.arcContains(Id.fromHex("80" + "0".repeat(38)), end)).isFalse();
    }
}
