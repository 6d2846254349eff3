package org.epost.peer.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.params.GlacierParameters;

/**
 * The {@code glacier.*} keys of epost.properties: whether this peer runs Glacier (erasure-coded fragments of every
 * immutable block, beside PAST's replicas, so that blocks survive the loss of most peers at once), with which code,
 * how many bytes of fragments it holds at most, and how often it audits. All peers of a ring should use one code:
 * {@code auto} picks it for {@code glacier.expected-nodes} ({@link GlacierParameters#forRing}).
 *
 * @param code          the (n, m) this peer codes new objects with
 * @param quotaBytes    fragment bytes this peer holds at most
 * @param auditInterval the steady-state audit period
 * @param aggregateBelow blocks smaller than this are aggregated before coding (0: every block coded alone)
 * @param aggregateFlush an aggregate not full after this is coded as it is
 */
public record GlacierSettings(GlacierParameters code, long quotaBytes, Duration auditInterval, int aggregateBelow,
                              Duration aggregateFlush) {
    public static final String ENABLED = "glacier.enabled";
    public static final String CODE = "glacier.code";
    public static final String EXPECTED_NODES = "glacier.expected-nodes";
    public static final String STORE_QUOTA = "glacier.store.quota";
    public static final String AUDIT_INTERVAL = "glacier.audit-interval";
    public static final String AGGREGATE_BELOW = "glacier.aggregate.below";
    public static final String AGGREGATE_FLUSH = "glacier.aggregate.flush";
    public static final List<String> KEYS = List.of(ENABLED, CODE, EXPECTED_NODES, STORE_QUOTA, AUDIT_INTERVAL,
        AGGREGATE_BELOW, AGGREGATE_FLUSH);
    static final String DEFAULT_STORE_QUOTA = "10G";
    static final int DEFAULT_EXPECTED_NODES = 100;
    private static final Pattern EXPLICIT_CODE = Pattern.compile("(\\d{1,3})/(\\d{1,3})");

    /** Empty unless {@code glacier.enabled} is true (Glacier also needs the overlay: checked by the caller). */
    public static Optional<GlacierSettings> from(Configuration properties) throws ConfigurationException {
        if (!properties.getBoolean(ENABLED, false)) {
            return Optional.empty();
        }
        GlacierParameters code = code(properties.getString(CODE, "auto").trim(),
            properties.getInt(EXPECTED_NODES, DEFAULT_EXPECTED_NODES));
        long quota = SizeSetting.positive(properties, STORE_QUOTA, DEFAULT_STORE_QUOTA);
        Duration audit = DurationSetting.positive(properties, AUDIT_INTERVAL,
            Duration.ofMillis(GlacierConfig.defaults(code).auditIntervalMillis()));
        AggregationPolicy policy = AggregationPolicy.DEFAULT;
        long below = "0".equals(properties.getString(AGGREGATE_BELOW, "").trim()) ? 0
            : SizeSetting.positive(properties, AGGREGATE_BELOW, Integer.toString(policy.smallObjectBytes()));
        if (below > policy.targetBytes()) {
            throw new ConfigurationException(AGGREGATE_BELOW + " must be at most 1M (the aggregates' size)");
        }
        Duration flush = DurationSetting.positive(properties, AGGREGATE_FLUSH,
            Duration.ofMillis(policy.flushAfterMillis()));
        return Optional.of(new GlacierSettings(code, quota, audit, (int) below, flush));
    }

    static GlacierParameters code(String text, int expectedNodes) throws ConfigurationException {
        if (text.equals("auto")) {
            if (expectedNodes < 2 || expectedNodes > 1_000_000) {
                throw new ConfigurationException(EXPECTED_NODES + " must be from 2 to 1000000, not " + expectedNodes);
            }
            return GlacierParameters.forRing(expectedNodes);
        }
        Matcher explicit = EXPLICIT_CODE.matcher(text);
        if (!explicit.matches()) {
            throw new ConfigurationException(CODE + " must be 'auto' or n/m (fragments/needed, e.g. 48/5), not '"
                + text + "'");
        }
        try {
            return new GlacierParameters(Integer.parseInt(explicit.group(1)), Integer.parseInt(explicit.group(2)),
                GlacierParameters.DEFAULT_REPLICAS, GlacierParameters.DEFAULT_FAIL_FRACTION,
                GlacierParameters.DEFAULT_LOSS_TARGET);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(CODE + " " + text + ": " + e.getMessage());
        }
    }

    public GlacierConfig toConfig() {
        return GlacierConfig.defaults(code).withQuotaBytes(quotaBytes).withAuditIntervalMillis(auditInterval.toMillis())
            .withAggregation(new AggregationPolicy(aggregateBelow, AggregationPolicy.DEFAULT.targetBytes(),
                aggregateFlush.toMillis()));
    }
}
