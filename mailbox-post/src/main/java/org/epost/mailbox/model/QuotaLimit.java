package org.epost.mailbox.model;

import java.util.OptionalLong;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The maximum an admin set for one quota resource: a number (0 or more messages or octets) or explicitly unlimited.
 * Unlimited differs from no limit at all: it overrides the domain's and the peer's limits, where "no limit" inherits
 * them.
 */
public final class QuotaLimit {
    private static final QuotaLimit UNLIMITED = new QuotaLimit(OptionalLong.empty());

    private final OptionalLong max;

    private QuotaLimit(OptionalLong max) {
        this.max = max;
    }

    public static QuotaLimit unlimited() {
        return UNLIMITED;
    }

    /** @throws IllegalArgumentException when {@code max} is negative */
    public static QuotaLimit of(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("a quota limit is 0 or more, not " + max);
        }
        return new QuotaLimit(OptionalLong.of(max));
    }

    public boolean isUnlimited() {
        return max.isEmpty();
    }

    /** The maximum; empty when unlimited. */
    public OptionalLong max() {
        return max;
    }

    /** {@code []} when unlimited, {@code [max]} otherwise. */
    void write(CborRecordWriter out) {
        out.optional(max.isPresent() ? max.getAsLong() : null, out::number);
    }

    static QuotaLimit read(CborRecordReader<RecordFormatException> in) {
        Long value = in.optional(r -> r.nonNegative("quota limit"));
        return value == null ? UNLIMITED : of(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuotaLimit limit && limit.max.equals(max);
    }

    @Override
    public int hashCode() {
        return max.hashCode();
    }

    @Override
    public String toString() {
        return max.isPresent() ? String.valueOf(max.getAsLong()) : "unlimited";
    }
}
