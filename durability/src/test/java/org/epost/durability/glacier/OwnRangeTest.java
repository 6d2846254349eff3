package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

/**
 * A node's range must end exactly where Pastry starts delivering to its clockwise neighbour: an audit walk's next
 * cursor is the previous range's end, and the node it is delivered to answers for its own range from there.
 */
class OwnRangeTest {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(Id.BITS);

    @Test
    void aRangeEndsWherePastryDeliversToTheNextNodeEvenOnATie() {
        Random random = new Random(14);
        int ties = 0;
        for (int i = 0; i < 2_000; i++) {
            Id a = Id.fromBigInteger(new BigInteger(Id.BITS, random));
            BigInteger gap = new BigInteger(Id.BITS - 2, random).add(BigInteger.TWO);
            // Half of the pairs an even distance: the middle is then as close to one as to the other.
            if (i % 2 == 0) {
                gap = gap.clearBit(0);
                ties++;
            }
            Id b = a.add(gap.mod(RING));
            Id end = GlacierContext.midpoint(a, b);
            Id before = end.add(BigInteger.ONE.negate());
            assertThat(b.isCloserTo(end, a)).as("%s delivered to b = %s from a = %s", end, b, a).isTrue();
            assertThat(a.isCloserTo(before, b)).as("%s delivered to a = %s, not b = %s", before, a, b).isTrue();
        }
        assertThat(ties).isEqualTo(1_000);
    }

    @Test
    void aTieAtTheMiddleGoesToTheLowerIdAsPastryRoutesIt() {
        Id low = Id.fromBigInteger(BigInteger.valueOf(100));
        Id high = Id.fromBigInteger(BigInteger.valueOf(200));
        // 150 is as far from 100 as from 200: Pastry delivers it to 100, so 100's range ends after it.
        assertThat(GlacierContext.midpoint(low, high)).isEqualTo(Id.fromBigInteger(BigInteger.valueOf(151)));
        // Going clockwise from 200 round to 100, the tie is again the lower id's: 100 begins at the middle itself.
        Id middle = high.add(RING.subtract(BigInteger.valueOf(100)).shiftRight(1));
        assertThat(GlacierContext.midpoint(high, low)).isEqualTo(middle);
    }
}
