package org.epost.durability.params;

/**
 * The arithmetic behind Glacier's parameters. An object coded into n fragments, any m of which rebuild it, each on
 * a different node, is lost when a fraction f of the nodes fails at once exactly when fewer than m of its n holders
 * survive: P(loss) = P(Binomial(n, 1 - f) &lt; m). Computed exactly (sum of the binomial terms, each in log space so
 * that n up to 256 neither overflows nor underflows before the sum).
 */
public final class LossArithmetic {
    private LossArithmetic() {
    }

    /** P(Binomial(n, 1 - f) &lt; m): the probability that fewer than m of n fragments survive a failure of f. */
    public static double lossProbability(int n, int m, double failFraction) {
        if (n < 1 || m < 0 || m > n) {
            throw new IllegalArgumentException("need 0 <= m <= n, n >= 1; got n=" + n + " m=" + m);
        }
        if (failFraction < 0 || failFraction > 1) {
            throw new IllegalArgumentException("fail fraction outside [0, 1]: " + failFraction);
        }
        if (failFraction == 0) {
            return 0;
        }
        if (failFraction == 1) {
            return m > 0 ? 1 : 0;
        }
        double logSurvive = Math.log1p(-failFraction);
        double logFail = Math.log(failFraction);
        double sum = 0;
        for (int k = 0; k < m; k++) {
            sum += Math.exp(logChoose(n, k) + k * logSurvive + (n - k) * logFail);
        }
        return Math.min(1.0, sum);
    }

    /** P(loss) of whole replication: all r copies on failed nodes, f^r. */
    public static double replicaLossProbability(int replicas, double failFraction) {
        return Math.pow(failFraction, replicas);
    }

    /** ln C(n, k), as a sum of logarithms: exact enough (relative error ~1e-13) for n &lt;= 256. */
    static double logChoose(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}
