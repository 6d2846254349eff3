package org.epost.mailbox.model;

/**
 * IMAP system flags as bits of one integer (the log stores bits, not names). {@link #USER} is the "user flags allowed"
 * marker James may set on a message; it is kept as given.
 */
public final class SystemFlags {
    public static final int ANSWERED = 1;
    public static final int DELETED = 1 << 1;
    public static final int DRAFT = 1 << 2;
    public static final int FLAGGED = 1 << 3;
    public static final int RECENT = 1 << 4;
    public static final int SEEN = 1 << 5;
    public static final int USER = 1 << 6;
    public static final int ALL = (1 << 7) - 1;

    private SystemFlags() {
    }

    public static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }
}
