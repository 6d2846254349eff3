package org.epost.spam.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The senders a user has exchanged mail with: those the user sent to and those whose mail landed in the user's INBOX.
 * A sender known here needs no first-contact puzzle. Bounded: at most {@value #MAX_ENTRIES} addresses, the one that
 * became known first leaves first.
 *
 * <p>Immutable. Encoded as {@code [format version 1, [address...]]}, oldest first, distinct, normalized.
 */
public final class KnownCorrespondents {
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_ENTRIES = 2000;
    public static final KnownCorrespondents EMPTY = new KnownCorrespondents(new LinkedHashSet<>());

    private final LinkedHashSet<String> addresses;

    private KnownCorrespondents(LinkedHashSet<String> addresses) {
        this.addresses = addresses;
    }

    public static KnownCorrespondents of(List<String> addresses) {
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String address : addresses) {
            if (!set.add(Sender.normalize(address))) {
                throw new IllegalArgumentException("the address " + address + " is known twice");
            }
        }
        if (set.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_ENTRIES + " known correspondents, not " + set.size());
        }
        return new KnownCorrespondents(set);
    }

    public boolean knows(String address) {
        return addresses.contains(Sender.normalize(address));
    }

    /** With {@code address} known, the oldest one dropped when full; this list when it is known already. */
    public KnownCorrespondents with(String address) {
        String normalized = Sender.normalize(address);
        if (addresses.contains(normalized)) {
            return this;
        }
        LinkedHashSet<String> set = new LinkedHashSet<>(addresses);
        if (set.size() == MAX_ENTRIES) {
            set.remove(set.iterator().next());
        }
        set.add(normalized);
        return new KnownCorrespondents(set);
    }

    /** Oldest first. */
    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    public byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 16 + addresses.size() * 32,
            out -> out.list(new ArrayList<>(addresses), out::text));
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 list */
    public static KnownCorrespondents decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "known correspondents", SpamFormatException.FAILURES,
            in -> in.envelope(FORMAT_VERSION, "known correspondents", r -> {
                List<String> read = r.list(CborRecordReader::text, MAX_ENTRIES, "known correspondents");
                try {
                    return of(read);
                } catch (IllegalArgumentException e) {
                    throw new SpamFormatException(e.getMessage());
                }
            }), KnownCorrespondents::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KnownCorrespondents known && List.copyOf(addresses).equals(known.addresses());
    }

    @Override
    public int hashCode() {
        return addresses.hashCode();
    }

    @Override
    public String toString() {
        return "KnownCorrespondents" + addresses;
    }
}
