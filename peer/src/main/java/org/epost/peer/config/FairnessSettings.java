package org.epost.peer.config;

import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.overlay.fair.FairLimits;

/**
 * The {@code past.fair.*} and {@code post.fair.*} keys of epost.properties (issue #15): how the work other certified
 * nodes make this peer do is shared out per sending node. {@code past}: blocks to store (verified and synced a few at a
 * time, in turns per sender, a queue share per sender and in all, a budget per sender and minute); {@code post}:
 * delivered boxes opened a few at a time in turns per delivering node, and what a delegate keeps per node and minute.
 * Defaults are the values the limits had as constants; a bad value stops the start naming its key.
 */
public record FairnessSettings(FairLimits past, FairLimits post) {
    public static final String PAST_IN_FLIGHT = "past.fair.in-flight";
    public static final String PAST_TURN = "past.fair.turn";
    public static final String PAST_QUEUE_PER_NODE = "past.fair.queue-per-node";
    public static final String PAST_QUEUE_TOTAL = "past.fair.queue-total";
    public static final String PAST_BYTES_PER_MINUTE = "past.fair.bytes-per-minute";
    public static final String PAST_BLOCKS_PER_MINUTE = "past.fair.blocks-per-minute";
    public static final String POST_IN_FLIGHT = "post.fair.in-flight";
    public static final String POST_TURN = "post.fair.turn";
    public static final String POST_QUEUE_PER_NODE = "post.fair.queue-per-node";
    public static final String POST_QUEUE_TOTAL = "post.fair.queue-total";
    public static final String POST_BYTES_PER_MINUTE = "post.fair.delegation-bytes-per-minute";
    public static final String POST_DELEGATIONS_PER_MINUTE = "post.fair.delegations-per-minute";
    public static final List<String> KEYS = List.of(PAST_IN_FLIGHT, PAST_TURN, PAST_QUEUE_PER_NODE, PAST_QUEUE_TOTAL,
        PAST_BYTES_PER_MINUTE, PAST_BLOCKS_PER_MINUTE, POST_IN_FLIGHT, POST_TURN, POST_QUEUE_PER_NODE, POST_QUEUE_TOTAL,
        POST_BYTES_PER_MINUTE, POST_DELEGATIONS_PER_MINUTE);
    /** More jobs at once than this would defeat the point: the workers are a few per core. */
    static final int MAX_IN_FLIGHT = 1_024;
    /** A turn is one piece of work's worth at most; a larger one still waits for several turns. */
    static final long MAX_TURN_BYTES = 1L << 30;

    public static FairnessSettings defaults() {
        return new FairnessSettings(FairLimits.pastStoreDefaults(), FairLimits.postDefaults());
    }

    public static FairnessSettings from(Configuration properties) throws ConfigurationException {
        return new FairnessSettings(
            limits(properties, FairLimits.pastStoreDefaults(), PAST_IN_FLIGHT, PAST_TURN, PAST_QUEUE_PER_NODE,
                PAST_QUEUE_TOTAL, PAST_BYTES_PER_MINUTE, PAST_BLOCKS_PER_MINUTE),
            limits(properties, FairLimits.postDefaults(), POST_IN_FLIGHT, POST_TURN, POST_QUEUE_PER_NODE,
                POST_QUEUE_TOTAL, POST_BYTES_PER_MINUTE, POST_DELEGATIONS_PER_MINUTE));
    }

    private static FairLimits limits(Configuration properties, FairLimits defaults, String inFlightKey, String turnKey,
                                     String perNodeKey, String totalKey, String bytesKey, String itemsKey)
            throws ConfigurationException {
        int inFlight = CountSetting.positiveInt(properties, inFlightKey, defaults.inFlight(), MAX_IN_FLIGHT);
        long turn = size(properties, turnKey, defaults.turnBytes());
        if (turn > MAX_TURN_BYTES) {
            throw new ConfigurationException(turnKey + " must be at most 1G, not " + turn + " bytes");
        }
        long perNode = size(properties, perNodeKey, defaults.queueBytesPerSender());
        long total = size(properties, totalKey, defaults.queueBytesTotal());
        if (total < perNode) {
            throw new ConfigurationException(totalKey + " (" + total + " bytes) must be at least " + perNodeKey + " ("
                + perNode + " bytes): all nodes together may have at least one node's share waiting");
        }
        long bytesPerMinute = size(properties, bytesKey, defaults.bytesPerMinute());
        long itemsPerMinute = CountSetting.positive(properties, itemsKey, defaults.itemsPerMinute());
        return new FairLimits(inFlight, (int) turn, perNode, total, bytesPerMinute, itemsPerMinute);
    }

    private static long size(Configuration properties, String key, long defaultBytes) throws ConfigurationException {
        return SizeSetting.positive(properties, key, Long.toString(defaultBytes));
    }
}
