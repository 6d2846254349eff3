package org.epost.peer.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;
import org.apache.james.util.Size;
import org.epost.post.delivery.PostGateway;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.NotificationService;
import org.epost.post.store.PartReference;

/**
 * The {@code post.notify.*}, {@code post.delivery.*} and {@code post.message.*} keys of epost.properties: how long a
 * sender waits for the recipient's home peer before delegating, how often delegates retry, how long they keep a
 * notification, how long SMTP waits for a message to be durable, and from what size a MIME body is a part of its own.
 */
public record DeliverySettings(Duration receiptTimeout, Duration retryInterval, Duration hold, Duration deliveryTimeout,
                               int partThreshold, long delegateQuotaBytes, int maxHeaderBytes) {
    public static final String RECEIPT_TIMEOUT = "post.notify.receipt.timeout";
    public static final String RETRY_INTERVAL = "post.notify.retry.interval";
    public static final String HOLD = "post.notify.hold";
    public static final String DELIVERY_TIMEOUT = "post.delivery.timeout";
    public static final String PART_THRESHOLD = "post.message.part.threshold";
    public static final String DELEGATE_QUOTA = "post.notify.delegate.quota";
    public static final String HEADER_LIMIT = "post.message.header.limit";
    public static final List<String> KEYS = List.of(RECEIPT_TIMEOUT, RETRY_INTERVAL, HOLD, DELIVERY_TIMEOUT, PART_THRESHOLD,
        DELEGATE_QUOTA, HEADER_LIMIT);
    /**
     * The lowest header limit: 16 KiB, above any header a mail client writes. The highest is the default, 256 KiB: the
     * Bcc stripping and the notification's subject read at most that much of a header.
     */
    static final int MIN_HEADER_LIMIT = 16 * 1024;

    /**
     * 5 s for a receipt (a mail client is waiting), retries every minute, kept 30 days, SMTP waits 3 minutes, 16 KiB,
     * 1 GiB kept for others, header sections up to 256 KiB.
     */
    public static DeliverySettings defaults() {
        return new DeliverySettings(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofDays(30),
            Duration.ofMinutes(3), MimeMessageStore.Config.defaults().leafThreshold(), 1L << 30,
            PostGateway.MAX_HEADER_BYTES);
    }

    public static DeliverySettings from(Configuration properties) throws ConfigurationException {
        DeliverySettings defaults = defaults();
        Duration receipt = duration(properties, RECEIPT_TIMEOUT, defaults.receiptTimeout());
        Duration retry = duration(properties, RETRY_INTERVAL, defaults.retryInterval());
        Duration hold = duration(properties, HOLD, defaults.hold());
        Duration delivery = duration(properties, DELIVERY_TIMEOUT, defaults.deliveryTimeout());
        if (delivery.compareTo(receipt) <= 0) {
            throw new ConfigurationException(DELIVERY_TIMEOUT + " (" + delivery + ") must be longer than "
                + RECEIPT_TIMEOUT + " (" + receipt + "): a sender waits for the receipt before delegating");
        }
        long threshold = size(properties, PART_THRESHOLD, defaults.partThreshold());
        if (threshold < 1024 || threshold > PartReference.MAX_SIZE) {
            throw new ConfigurationException(PART_THRESHOLD + " must be at least 1K, not " + threshold);
        }
        long quota = size(properties, DELEGATE_QUOTA, defaults.delegateQuotaBytes());
        // room for at least two of the largest notifications, from any one sending peer (which may use half)
        if (quota < 4L * NotificationService.MAX_BOX_BYTES) {
            throw new ConfigurationException(DELEGATE_QUOTA + " must be at least "
                + 4 * (NotificationService.MAX_BOX_BYTES >> 20) + "M, not " + quota + " bytes");
        }
        long header = size(properties, HEADER_LIMIT, defaults.maxHeaderBytes());
        if (header < MIN_HEADER_LIMIT || header > PostGateway.MAX_HEADER_BYTES) {
            throw new ConfigurationException(HEADER_LIMIT + " must be from 16K to 256K (the Bcc stripping and the"
                + " notification's subject read at most 256 KiB of a header), not " + header + " bytes");
        }
        return new DeliverySettings(receipt, retry, hold, delivery, (int) threshold, quota, (int) header);
    }

    private static long size(Configuration properties, String key, long fallback) throws ConfigurationException {
        String text = properties.getString(key, "").trim();
        try {
            return text.isEmpty() ? fallback : Size.parse(text).asBytes();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be a size such as 16K or 1G: " + e.getMessage());
        }
    }

    private static Duration duration(Configuration properties, String key, Duration fallback) throws ConfigurationException {
        String text = properties.getString(key, "").trim();
        if (text.isEmpty()) {
            return fallback;
        }
        Duration value;
        try {
            value = DurationParser.parse(text, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be a duration such as 5s, 2m or 30d, not '" + text + "'");
        }
        if (value.isZero() || value.isNegative()) {
            throw new ConfigurationException(key + " must be positive, not '" + text + "'");
        }
        return value;
    }

    /** The notification service's settings: these keys over the library's defaults (delegation attempts, k). */
    public NotificationService.Settings notificationSettings() {
        NotificationService.Settings base = NotificationService.Settings.defaults();
        return new NotificationService.Settings(receiptTimeout.toMillis(), base.delegateAckTimeoutMillis(),
            base.delegationAttempts(), base.delegates(), retryInterval.toMillis(), hold.toMillis());
    }
}
