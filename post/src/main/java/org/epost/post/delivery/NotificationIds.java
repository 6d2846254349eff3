package org.epost.post.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.epost.post.accounts.AccountAddress;
import org.epost.post.crypto.Hashes;
import org.epost.post.notify.Notification;

/**
 * Notification ids derived from what is delivered instead of drawn at random: H("epost/notification-id/v1",
 * H(message), recipient, delivery key), cut to {@value Notification#ID_BYTES} bytes. Sending the same message to the
 * same recipient again under the same delivery key (a retry after a failure or a crash) gives the same id, and the
 * recipient's peer, which remembers the ids it delivered, does not deliver it twice. Distinct fields are separated
 * by length prefixes, so no two inputs share an encoding.
 */
public final class NotificationIds {
    private static final byte[] CONTEXT = "epost/notification-id/v1".getBytes(StandardCharsets.US_ASCII);

    private NotificationIds() {
    }

    public static byte[] derive(byte[] messageDigest, String recipient, String deliveryKey) {
        MessageDigest digest = Hashes.sha256();
        update(digest, CONTEXT);
        update(digest, messageDigest);
        update(digest, AccountAddress.normalize(recipient).getBytes(StandardCharsets.UTF_8));
        update(digest, deliveryKey.getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(digest.digest(), Notification.ID_BYTES);
    }

    private static void update(MessageDigest digest, byte[] field) {
        digest.update(new byte[] {(byte) (field.length >>> 24), (byte) (field.length >>> 16),
            (byte) (field.length >>> 8), (byte) field.length});
        digest.update(field);
    }
}
