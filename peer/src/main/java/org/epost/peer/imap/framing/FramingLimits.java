package org.epost.peer.imap.framing;

/**
 * The bounds the IMAP command framer keeps, read from the same {@code imapserver.xml} keys James 3.8.1 reads
 * ({@code maxLineLength}, {@code inMemorySizeLimit}, {@code literalSizeLimit}), so an admin's settings keep their
 * meaning.
 *
 * @param maxLineLength longest line of command text (literals excluded), CRLF included; longer ones are refused
 * @param commandTextLimit most command text, all lines of one command together; bounds a command made of many
 *     small literals, which James never bounded
 * @param inMemoryLimit most literal bytes of one command kept in memory; a literal that would go beyond it is
 *     written to a temporary file, as James does
 * @param maxLiteralSize largest literal accepted (James's {@code literalSizeLimit}, which is also its APPENDLIMIT)
 */
public record FramingLimits(int maxLineLength, int commandTextLimit, int inMemoryLimit, int maxLiteralSize) {
    /**
     * ePOST's in-memory limit where {@code imapserver.xml} sets none: 1 MiB, not James's 10 MiB. A larger literal goes
     * to an encrypted file ({@link SpilledLiteral}) and the backend stores any APPEND over 1 MiB through an encrypted
     * scratch file anyway, so keeping it in memory gained nothing; each connection, before login too, could make the
     * peer hold 10 MiB.
     */
    public static final int DEFAULT_IN_MEMORY_LIMIT = 1024 * 1024;
    /** How many lines' worth of text one command may have. */
    static final int LINES_PER_COMMAND = 4;

    public FramingLimits {
        if (maxLineLength < 64 || commandTextLimit < maxLineLength || inMemoryLimit < 0 || maxLiteralSize < 0) {
            throw new IllegalArgumentException("Invalid IMAP framing limits: line " + maxLineLength + ", command text "
                + commandTextLimit + ", in memory " + inMemoryLimit + ", literal " + maxLiteralSize);
        }
    }

    /**
     * The limits from James's settings. James reads 0 as "no limit" for both sizes; here an unlimited in-memory size
     * would let one client make the peer hold a 2 GiB literal in memory, so 0 falls back to
     * {@link #DEFAULT_IN_MEMORY_LIMIT} (literals above it go to an encrypted temporary file), and an unlimited literal size means the largest an IMAP literal
     * can have in James's API (an int).
     */
    public static FramingLimits fromJamesSettings(int maxLineLength, int inMemorySizeLimit, int literalSizeLimit) {
        return new FramingLimits(maxLineLength, Math.multiplyExact(maxLineLength, LINES_PER_COMMAND),
            inMemorySizeLimit > 0 ? inMemorySizeLimit : DEFAULT_IN_MEMORY_LIMIT,
            literalSizeLimit > 0 ? literalSizeLimit : Integer.MAX_VALUE);
    }
}
