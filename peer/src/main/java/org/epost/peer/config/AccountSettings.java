package org.epost.peer.config;

import java.time.Duration;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The {@code post.account.*} keys of epost.properties, and how often certificates are checked for revocation.
 * {@code post.account.grace}: how long a user deleted in James keeps its ePOST keys and data on its home peer (keys in
 * the vault, leases refreshed, mail held by delegates) before they are given up; re-adding the user within it restores
 * everything. {@code 0} gives them up at once. {@code post.revocations.poll}: how often the peer reads the
 * organization's revocation list from PAST (a list uploaded to this peer is enforced at once).
 */
public record AccountSettings(Duration grace, Duration revocationPoll) {
    public static final String GRACE = "post.account.grace";
    public static final String REVOCATION_POLL = "post.revocations.poll";
    public static final List<String> KEYS = List.of(GRACE, REVOCATION_POLL);

    public static AccountSettings defaults() {
        return new AccountSettings(Duration.ofDays(30), Duration.ofMinutes(5));
    }

    public static AccountSettings from(Configuration properties) throws ConfigurationException {
        return new AccountSettings(DurationSetting.nonNegative(properties, GRACE, defaults().grace()),
            DurationSetting.positive(properties, REVOCATION_POLL, defaults().revocationPoll()));
    }
}
