package org.epost.spam.policy;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A block list: sender addresses ({@code bob@example.org}) and, for external mail only, whole domains
 * ({@code @spam.example}). An address entry blocks that sender whether verified or not (a verified sender's address is
 * bound to its key by the organization's certificate, so naming the address names the key); a domain entry blocks
 * only unverified mail, since a verified ePOST sender of that domain is one known user, blocked by address.
 *
 * <p>Immutable. Encoded as {@code [format version 1, [entry...]]}, entries sorted and distinct.
 */
public final class BlockList {
    public static final int FORMAT_VERSION = 1;
    /** Most entries a list may hold: a personal list is rewritten whole in the account log on every change. */
    public static final int MAX_ENTRIES = 5000;
    public static final BlockList EMPTY = new BlockList(new TreeSet<>());

    private final SortedSet<String> entries;

    private BlockList(TreeSet<String> entries) {
        this.entries = Collections.unmodifiableSortedSet(entries);
    }

    public static BlockList of(List<String> entries) {
        TreeSet<String> set = new TreeSet<>();
        for (String entry : entries) {
            set.add(entry(entry));
        }
        if (set.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a block list holds at most " + MAX_ENTRIES + " entries, not "
                + set.size());
        }
        return new BlockList(set);
    }

    /** An address or {@code @domain}, lower-cased; anything else is refused. */
    public static String entry(String entry) {
        String trimmed = entry.trim().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("@")) {
            String domain = trimmed.substring(1);
            if (domain.isEmpty() || domain.contains("@") || domain.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not a domain entry: '" + entry + "'");
            }
            return trimmed;
        }
        return Sender.normalize(trimmed);
    }

    public SortedSet<String> entries() {
        return entries;
    }

    public boolean blocks(Sender sender) {
        return entries.contains(sender.address()) || (!sender.verified() && entries.contains("@" + sender.domain()));
    }

    public BlockList with(String entry) {
        TreeSet<String> set = new TreeSet<>(entries);
        set.add(entry(entry));
        return of(List.copyOf(set));
    }

    public BlockList without(String entry) {
        TreeSet<String> set = new TreeSet<>(entries);
        set.remove(entry(entry));
        return new BlockList(set);
    }

    public byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 16 + entries.size() * 32,
            out -> out.list(List.copyOf(entries), out::text));
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 block list */
    public static BlockList decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "block list", SpamFormatException.FAILURES,
            in -> in.envelope(FORMAT_VERSION, "block list", r -> {
                List<String> read = r.list(CborRecordReader::text, MAX_ENTRIES, "block list entries");
                try {
                    return of(read);
                } catch (IllegalArgumentException e) {
                    throw new SpamFormatException(e.getMessage());
                }
            }), BlockList::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockList list && entries.equals(list.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "BlockList" + entries;
    }
}
