package org.epost.peer.config;

import java.time.Duration;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The {@code search.*} keys of epost.properties. {@code search.commit-interval}: how often the home peer's search
 * index commits what it indexed (one commit, fsync and segment flush for every mail delivered in that time, instead
 * of one per mailbox event); searches see the uncommitted part at once, and what a crash loses of it is indexed again
 * from the folders at the next start.
 */
public record SearchSettings(Duration commitInterval) {
    public static final String COMMIT_INTERVAL = "search.commit-interval";
    public static final List<String> KEYS = List.of(COMMIT_INTERVAL);

    public static SearchSettings defaults() {
        return new SearchSettings(Duration.ofSeconds(1));
    }

    public static SearchSettings from(Configuration properties) throws ConfigurationException {
        return new SearchSettings(DurationSetting.positive(properties, COMMIT_INTERVAL, defaults().commitInterval()));
    }
}
