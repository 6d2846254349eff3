package org.epost.spam.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A block list a user publishes, named by its publisher (an ePOST user, whose certified key signs it) and a short
 * name: {@code bob@epost.test/blocked} for bob's own list, {@code bob@epost.test/sales-team} for a team list bob keeps.
 * The name is part of the PAST label ({@link #label()}), so one key owns one block per list.
 */
public record ListRef(String publisher, String name) implements Comparable<ListRef> {
    /** What the PAST label of a published list starts with. */
    public static final String LABEL_PREFIX = "epost/spam/list/";
    public static final int MAX_NAME_CHARS = 64;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_NAME_CHARS - 1) + "}");

    public ListRef {
        publisher = Sender.normalize(publisher);
        name = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a list name is 1 to " + MAX_NAME_CHARS
                + " letters, digits, '.', '_' or '-', not '" + name + "'");
        }
    }

    /** The label of the publisher's public-key block holding this list. */
    public String label() {
        return LABEL_PREFIX + name;
    }

    @Override
    public int compareTo(ListRef other) {
        int byPublisher = publisher.compareTo(other.publisher);
        return byPublisher != 0 ? byPublisher : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return publisher + "/" + name;
    }
}
