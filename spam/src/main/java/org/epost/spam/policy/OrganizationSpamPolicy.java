package org.epost.spam.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * What the organization's signed block holds: its block list, and the recipient mail domains whose mail from senders
 * on that list is discarded (refused with a signed refusal, so the sender bounces) rather than junked. Both are in one
 * block so every peer enforces the same choice at the same version.
 *
 * <p>Immutable. Encoded as {@code [format version 2, [entry...], [domain...]]}, both sorted and distinct. Version 1 was
 * the bare {@link BlockList} (before discard domains existed); it still decodes, with no discard domains, so a list
 * published by an older peer keeps being enforced and its next version follows on.
 */
public record OrganizationSpamPolicy(BlockList blocked, SortedSet<String> discardDomains) {
    public static final int FORMAT_VERSION = 2;
    public static final int MAX_DISCARD_DOMAINS = 1000;
    public static final OrganizationSpamPolicy EMPTY = new OrganizationSpamPolicy(BlockList.EMPTY, List.of());

    public OrganizationSpamPolicy(BlockList blocked, Collection<String> discardDomains) {
        this(blocked, domains(discardDomains));
    }

    public OrganizationSpamPolicy {
        Objects.requireNonNull(blocked, "blocked");
        discardDomains = domains(discardDomains);
    }

    private static SortedSet<String> domains(Collection<String> domains) {
        TreeSet<String> set = new TreeSet<>();
        domains.forEach(domain -> set.add(domain(domain)));
        if (set.size() > MAX_DISCARD_DOMAINS) {
            throw new IllegalArgumentException("at most " + MAX_DISCARD_DOMAINS + " discard domains, not "
                + set.size());
        }
        return Collections.unmodifiableSortedSet(set);
    }

    /** A mail domain, lower-cased: no {@code @}, no blank, not empty. */
    public static String domain(String domain) {
        String trimmed = domain.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty() || trimmed.contains("@") || trimmed.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not a mail domain: '" + domain + "'");
        }
        return trimmed;
    }

    /** Whether mail to {@code recipient} from a sender on the organization's list is discarded, not junked. */
    public boolean discardsFor(String recipient) {
        return discardDomains.contains(recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
    }

    public OrganizationSpamPolicy withBlocked(BlockList list) {
        return new OrganizationSpamPolicy(list, discardDomains);
    }

    public OrganizationSpamPolicy discarding(String domain, boolean discard) {
        TreeSet<String> set = new TreeSet<>(discardDomains);
        if (discard) {
            set.add(domain(domain));
        } else {
            set.remove(domain(domain));
        }
        return new OrganizationSpamPolicy(blocked, set);
    }

    public byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(FORMAT_VERSION, 2,
            32 + (blocked.entries().size() + discardDomains.size()) * 32);
        out.list(List.copyOf(blocked.entries()), out::text).list(List.copyOf(discardDomains), out::text);
        return out.end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are neither a canonical version 2 nor a version-1 block list */
    public static OrganizationSpamPolicy decode(byte[] bytes) {
        try {
            return CborRecordReader.decodeCanonical(bytes, "organization spam policy", SpamFormatException.FAILURES,
                in -> in.envelope(FORMAT_VERSION, "organization spam policy", r -> {
                    List<String> entries = r.list(CborRecordReader::text, BlockList.MAX_ENTRIES, "block list entries");
                    List<String> domains = r.list(CborRecordReader::text, MAX_DISCARD_DOMAINS, "discard domains");
                    try {
                        return new OrganizationSpamPolicy(BlockList.of(entries), domains);
                    } catch (IllegalArgumentException e) {
                        throw r.malformed(e.getMessage());
                    }
                }), OrganizationSpamPolicy::encode);
        } catch (SpamFormatException notVersion2) {
            try {
                return new OrganizationSpamPolicy(BlockList.decode(bytes), List.of());
            } catch (SpamFormatException notVersion1) {
                throw notVersion2;
            }
        }
    }
}
