package org.epost.durability.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlacierParametersTest {

    /** P(Binomial(n, 1 - f) < m) in exact rational arithmetic (f given as a decimal), as the reference. */
    private static double exact(int n, int m, String fail) {
        BigDecimal f = new BigDecimal(fail);
        BigDecimal q = BigDecimal.ONE.subtract(f);
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < m; k++) {
            BigInteger choose = BigInteger.ONE;
            for (int i = 1; i <= k; i++) {
                choose = choose.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
            }
            sum = sum.add(new BigDecimal(choose).multiply(q.pow(k)).multiply(f.pow(n - k)));
        }
        return sum.round(MathContext.DECIMAL64).doubleValue();
    }

    @ParameterizedTest
    @CsvSource({"48,5,0.6", "110,20,0.6", "200,45,0.6", "125,25,0.6", "256,52,0.6", "10,4,0.6", "3,2,0.5", "160,32,0.3"})
    void lossProbabilityMatchesExactArithmetic(int n, int m, String f) {
        double expected = exact(n, m, f);
        assertThat(LossArithmetic.lossProbability(n, m, Double.parseDouble(f)))
            .isCloseTo(expected, within(expected * 1e-9));
    }

    @Test
    void knownValuesFromTheDesign() {
        // DESIGN.md section 8: 48/5 gives 9.9e-7 at 60%, 110/20 about 2.5e-7.
        assertThat(LossArithmetic.lossProbability(48, 5, 0.6)).isBetween(9.85e-7, 9.95e-7);
        assertThat(LossArithmetic.lossProbability(110, 20, 0.6)).isBetween(2.45e-7, 2.47e-7);
        // Small cases by hand: two coin flips both lost; fewer than 2 of 3 survive a fair coin.
        assertThat(LossArithmetic.lossProbability(2, 1, 0.5)).isEqualTo(0.25);
        assertThat(LossArithmetic.lossProbability(3, 2, 0.5)).isCloseTo(0.5, within(1e-15));
        assertThat(LossArithmetic.lossProbability(5, 0, 0.6)).isZero();
        assertThat(LossArithmetic.lossProbability(5, 3, 0)).isZero();
        assertThat(LossArithmetic.lossProbability(5, 3, 1)).isEqualTo(1);
        // k = 3 replicas lose 0.6^3 = 21.6% at 60%, 0.8% at 20% (the measured 0.8%).
        assertThat(LossArithmetic.replicaLossProbability(3, 0.2)).isCloseTo(0.008, within(1e-12));
    }

    @Test
    void largeRingDefaultsMeetTheTargetWithinEightTimes() {
        GlacierParameters p = GlacierParameters.forRing(10_000);
        assertThat(p.n()).isEqualTo(200);
        assertThat(p.m()).isEqualTo(45);
        assertThat(p.lossProbability()).isBetween(5.1e-8, 5.2e-8);
        assertThat(p.meetsLossTarget()).isTrue();
        assertThat(p.fragmentRatio()).isCloseTo(4.444, within(0.001));
        assertThat(p.totalRatio()).isLessThanOrEqualTo(8.0);
        assertThat(p.replicaOnlyLossProbability()).isCloseTo(0.216, within(1e-12));
        // The next m would lose more than a tenth of the target.
        assertThat(LossArithmetic.lossProbability(200, 46, 0.6)).isGreaterThan(1e-7);
    }

    @Test
    void midSizedRingStillMeetsTheTarget() {
        GlacierParameters p = GlacierParameters.forRing(500);
        assertThat(p.n()).isEqualTo(125);
        assertThat(p.m()).isEqualTo(25);
        assertThat(p.meetsLossTarget()).isTrue();
        assertThat(p.totalRatio()).isEqualTo(8.0);
    }

    @Test
    void smallRingKeepsTheStorageBoundAndSaysItMissesTheTarget() {
        GlacierParameters p = GlacierParameters.forRing(100);
        assertThat(p.n()).isEqualTo(25);
        assertThat(p.fragmentRatio()).isLessThanOrEqualTo(GlacierParameters.MAX_FRAGMENT_RATIO);
        assertThat(p.meetsLossTarget()).isFalse();
        assertThat(GlacierParameters.forRing(3).n()).isEqualTo(2);
        assertThat(GlacierParameters.forRing(3).m()).isEqualTo(1);
    }

    @Test
    void refusesImpossibleCodes() {
        assertThatThrownBy(() -> new GlacierParameters(5, 5, 3, 0.6, 1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GlacierParameters(300, 5, 3, 0.6, 1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GlacierParameters(10, 0, 3, 0.6, 1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GlacierParameters(10, 2, 3, 1.0, 1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LossArithmetic.lossProbability(4, 5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
