package org.epost.peer.config;

import java.time.Duration;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The {@code post.account.*} keys of epost.properties. {@code post.account.grace}: how long a user deleted in James
 * keeps its ePOST keys and data on its home peer (keys in the vault, leases refreshed, mail held by delegates) before
 * they are given up; re-adding the user within it restores everything. {@code 0} gives them up at once.
 */
public record AccountSettings(Duration grace) {
    public static final String GRACE = "post.account.grace";
    public static final List<String> KEYS = List.of(GRACE);

    public static AccountSettings defaults() {
        return new AccountSettings(Duration.ofDays(30));
    }

    public static AccountSettings from(Configuration properties) throws ConfigurationException {
        return new AccountSettings(DurationSetting.nonNegative(properties, GRACE, defaults().grace()));
    }
}
