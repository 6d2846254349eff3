package org.epost.peer.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.util.Size;
import org.epost.peer.config.ImapScratchSettings;

/**
 * The largest message a peer takes, read from the two places James keeps it: each SMTP server's
 * {@code <maxmessagesize>} (smtpserver.xml, KiB, James's SIZE and 552) and each IMAP server's
 * {@code <literalSizeLimit>} (imapserver.xml, James's APPENDLIMIT, ePOST's {@code NO [TOOBIG]}). They must say the same:
 * a message a user could APPEND but not send (or the other way round) is a surprise nobody configures on purpose, so
 * a start where they differ is refused, naming every server and its value. 0 means no limit on both sides. (A
 * {@link Startable} only to name the check among James's start-up operations.)
 */
public final class MessageSizeLimits implements Startable {
    /** One server's limit in bytes (0: none), and how the admin wrote it. */
    record ServerLimit(String file, String server, String written, long bytes) {
        @Override
        public String toString() {
            return file + " " + server + ": " + written + " (" + (bytes == 0 ? "no limit" : bytes + " bytes") + ")";
        }
    }

    private MessageSizeLimits() {
    }

    /**
     * The one limit of the enabled servers of {@code smtp} (smtpserver.xml) and {@code imap} (imapserver.xml), in
     * bytes, 0 for none; refused when they differ, or when the scratch disk of IMAP literals
     * ({@code scratchBytes}) could not hold one message of that size.
     */
    public static long check(HierarchicalConfiguration<ImmutableNode> smtp, HierarchicalConfiguration<ImmutableNode> imap,
                             long scratchBytes) throws ConfigurationException {
        List<ServerLimit> limits = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> server : enabled(smtp, "smtpserver")) {
            long kib = server.getLong("maxmessagesize", 0);
            limits.add(new ServerLimit("smtpserver.xml", name(server, "smtpserver"),
                "<maxmessagesize>" + kib + "</maxmessagesize>", Math.multiplyExact(kib, 1024L)));
        }
        for (HierarchicalConfiguration<ImmutableNode> server : enabled(imap, "imapserver")) {
            Optional<String> written = Optional.ofNullable(server.getString("literalSizeLimit", null));
            long bytes = written.map(Size::parse).map(Size::asBytes).orElse((long) IMAPServer.DEFAULT_LITERAL_SIZE_LIMIT);
            limits.add(new ServerLimit("imapserver.xml", name(server, "imapserver"),
                written.map(text -> "<literalSizeLimit>" + text + "</literalSizeLimit>").orElse("no <literalSizeLimit>"),
                bytes));
        }
        if (limits.stream().mapToLong(ServerLimit::bytes).distinct().count() > 1) {
            throw new ConfigurationException("ePOST takes one message size limit for SMTP and IMAP APPEND, but the"
                + " servers disagree: " + limits + ". Set every <maxmessagesize> (KiB) and <literalSizeLimit> to the"
                + " same size, e.g. <maxmessagesize>51200</maxmessagesize> and <literalSizeLimit>50M</literalSizeLimit>");
        }
        long limit = limits.isEmpty() ? 0 : limits.get(0).bytes();
        if (limit > scratchBytes) {
            throw new ConfigurationException(ImapScratchSettings.SCRATCH + " (" + scratchBytes + " bytes) must be at"
                + " least the message size limit (" + limit + " bytes, " + limits.get(0) + "): otherwise the largest"
                + " APPEND could never be taken");
        }
        return limit;
    }

    private static List<HierarchicalConfiguration<ImmutableNode>> enabled(HierarchicalConfiguration<ImmutableNode> file,
                                                                          String element) {
        return file.configurationsAt(element).stream()
            .filter(server -> server.getBoolean("[@enabled]", true))
            .toList();
    }

    private static String name(HierarchicalConfiguration<ImmutableNode> server, String element) {
        return "'" + server.getString("jmxName", element) + "'";
    }
}
