package org.epost.mailbox.mail;

import java.util.Arrays;
import java.util.List;

import javax.mail.Flags;

import org.epost.mailbox.model.SystemFlags;

/** James's {@link Flags} to and from the log's flag bits and keyword list. */
final class FlagBits {
    private static final Flags.Flag[] FLAGS = {Flags.Flag.ANSWERED, Flags.Flag.DELETED, Flags.Flag.DRAFT,
        Flags.Flag.FLAGGED, Flags.Flag.RECENT, Flags.Flag.SEEN, Flags.Flag.USER};
    private static final int[] BITS = {SystemFlags.ANSWERED, SystemFlags.DELETED, SystemFlags.DRAFT,
        SystemFlags.FLAGGED, SystemFlags.RECENT, SystemFlags.SEEN, SystemFlags.USER};

    private FlagBits() {
    }

    static int systemFlags(Flags flags) {
        int bits = 0;
        for (int i = 0; i < FLAGS.length; i++) {
            if (flags.contains(FLAGS[i])) {
                bits |= BITS[i];
            }
        }
        return bits;
    }

    static List<String> keywords(Flags flags) {
        return Arrays.asList(flags.getUserFlags());
    }

    static Flags toFlags(int systemFlags, List<String> keywords) {
        Flags flags = new Flags();
        for (int i = 0; i < FLAGS.length; i++) {
            if (SystemFlags.has(systemFlags, BITS[i])) {
                flags.add(FLAGS[i]);
            }
        }
        keywords.forEach(flags::add);
        return flags;
    }
}
