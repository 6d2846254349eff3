package org.epost.peer.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.spam.puzzle.PuzzleDifficulty;

/**
 * The {@code spam.puzzle.*} keys of epost.properties, for the first-contact puzzles of this home peer's users: the
 * base difficulty it publishes in their identity blocks (and demands), at most what senders solve at whatever is
 * published ({@value #MAX_BASE_BITS} bits), and the recipient domains whose first contacts without a valid puzzle are
 * refused (bounced by the sender's peer) instead of junked.
 */
public record PuzzleSettings(int baseBits, Set<String> refuseDomains) {
    public static final String BASE_BITS = "spam.puzzle.base-bits";
    public static final String REFUSE_DOMAINS = "spam.puzzle.refuse-domains";
    public static final List<String> KEYS = List.of(BASE_BITS, REFUSE_DOMAINS);
    /** Senders never pay for more of a published base than this. */
    public static final int MAX_BASE_BITS = PuzzleDifficulty.MAX_PUBLISHED_BITS;
    private static final Pattern DOMAIN =
        Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public PuzzleSettings {
        refuseDomains = Set.copyOf(refuseDomains);
    }

    public static PuzzleSettings from(Configuration properties) throws ConfigurationException {
        int bits;
        try {
            bits = Integer.parseInt(properties.getString(BASE_BITS, "0").trim());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > MAX_BASE_BITS) {
            throw new ConfigurationException(BASE_BITS + " must be a number of bits from 0 to " + MAX_BASE_BITS
                + " (senders solve at most " + MAX_BASE_BITS + "), not " + properties.getString(BASE_BITS));
        }
        Set<String> domains = new TreeSet<>();
        for (String value : properties.getStringArray(REFUSE_DOMAINS)) {
            for (String part : value.split(",")) {
                String domain = part.trim().toLowerCase(Locale.ROOT);
                if (domain.isEmpty()) {
                    continue;
                }
                if (!DOMAIN.matcher(domain).matches()) {
                    throw new ConfigurationException(REFUSE_DOMAINS + " holds a bad domain: " + part.trim());
                }
                domains.add(domain);
            }
        }
        return new PuzzleSettings(bits, domains);
    }

    /** Whether a first contact to {@code address} without a valid puzzle is refused rather than junked. */
    public boolean refuses(String address) {
        int at = address.lastIndexOf('@');
        return at >= 0 && refuseDomains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }
}
