package org.epost.interop.migration;

import java.util.Objects;

/**
 * One migration as an admin asks for it: whose mailbox, from where, and how. {@code dryRun} reads the source and
 * reports what would be copied without writing anything or changing the route; {@code messagesPerSecond} (0 = no
 * limit) spares a busy legacy server; {@code switchRoute} (normally true) moves the user's mail to ePOST after the
 * copy and makes the delta pass.
 */
public record MigrationRequest(String user, LegacySource source, boolean dryRun, double messagesPerSecond,
                               boolean switchRoute) {
    public MigrationRequest {
        Objects.requireNonNull(source, "source");
        if (user == null || user.indexOf('@') <= 0) {
            throw new IllegalArgumentException("user must be a mail address");
        }
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("messagesPerSecond must be 0 (no limit) or positive");
        }
    }
}
