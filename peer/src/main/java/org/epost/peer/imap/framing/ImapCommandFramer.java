package org.epost.peer.imap.framing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.james.imap.message.BytesBackedLiteral;
import org.epost.peer.imap.framing.FramedCommand.FramedLiteral;

import io.netty.buffer.ByteBuf;

/**
 * Cuts the octets a client sends into whole IMAP commands (RFC 9051 section 2.2, RFC 7888), and nothing else: it
 * does not parse commands, James's parser does that on the {@link FramedCommand} it hands out.
 *
 * <p>A command is lines of text, each ending in LF (CRLF from well-behaved clients); a line ending in a literal
 * marker {@code {n}} or {@code {n+}} is followed by exactly n octets of literal, after which the command goes on
 * with the next line. The framer therefore has two states: reading a line ({@code inLiteral == false}), and
 * counting a literal's octets ({@code inLiteral == true}). Whatever follows a command in the same read stays in
 * the buffer for the next call: pipelined commands are never lost, whichever kind of literal came before them.
 * That is what James 3.8.1's own decoder gets wrong (it removes and re-adds its line framer around literals and
 * re-parses from a saved position, and a command after a LITERAL+ literal in the same read is dropped or parsed
 * from the middle).
 *
 * <p>Memory stays bounded: a line holds at most {@link FramingLimits#maxLineLength()} octets, a command at most
 * {@link FramingLimits#commandTextLimit()} of text and {@link FramingLimits#inMemoryLimit()} of literals in
 * memory; a literal beyond that goes to an encrypted temporary file ({@link SpilledLiteral}) as it arrives, within
 * the peer's {@link LiteralScratch} budget (a literal it has no room for refuses its command with {@code NO [LIMIT]}).
 * A refused command (line too long, text too long, literal over the limit) keeps being framed while its octets
 * are dropped, so the connection goes on at the next command; only a non-synchronizing literal the framer will not
 * take, or a literal size it cannot read, ends the connection ({@link FrameEvent.Fatal}).
 *
 * <p>One framer per connection, used by the connection's event loop only.
 */
public final class ImapCommandFramer {
    /** The last octets of a line kept to find a literal marker: "{" + 10 digits + "+}" + CRLF fits with room. */
    private static final int MARKER_WINDOW = 24;
    /** Most digits of a literal size: 2^31 - 1 has 10. */
    private static final int MAX_SIZE_DIGITS = 10;
    /** Octets of the first line kept to name the command's tag in a BAD answer. */
    private static final int TAG_OCTETS = 65;
    private static final int INITIAL_TEXT = 256;
    /** Smallest literal written to a file; smaller ones that do not fit in memory any more refuse the command. */
    private static final int MIN_SPILL = 64 * 1024;

    private final FramingLimits limits;
    private final LiteralScratch scratch;

    // The command being framed.
    private byte[] text = new byte[INITIAL_TEXT];
    private int textLength;
    private List<FramedLiteral> literals = new ArrayList<>();
    private int literalBytesInMemory;
    /** Why the command will be refused; once set, its octets are framed but not kept. */
    private String failure;
    /** The refusal is for want of scratch disk ({@code NO [LIMIT]}), not a malformed command ({@code BAD}). */
    private boolean noRoom;
    private final byte[] firstOctets = new byte[TAG_OCTETS];
    private int firstOctetCount;
    private boolean firstLineDone;

    // The line being read: its length so far and its last octets, a ring (a refused line is not kept in text).
    private long lineLength;
    private final byte[] window = new byte[MARKER_WINDOW];
    private int windowEnd;
    private int windowCount;

    // The literal being read.
    private boolean inLiteral;
    private boolean keepLiteral;
    private int literalSize;
    private int literalRemaining;
    private byte[] memoryLiteral;
    private int memoryFilled;
    private SpilledLiteral.Writer spill;

    /** After a fatal event or {@link #close()}: every further octet is dropped. */
    private boolean closed;

    public ImapCommandFramer(FramingLimits limits, LiteralScratch scratch) {
        this.limits = limits;
        this.scratch = scratch;
    }

    /** True between commands: no octet of a next command has been read yet (line handlers take whole lines then). */
    public boolean atCommandStart() {
        return !inLiteral && lineLength == 0 && textLength == 0 && literals.isEmpty() && failure == null;
    }

    /**
     * Reads from {@code in} until one event is found or {@code in} is used up. Octets after the event stay in
     * {@code in}. Returns null when more octets are needed.
     */
    public FrameEvent next(ByteBuf in) {
        if (closed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        while (in.isReadable()) {
            if (inLiteral) {
                FrameEvent event = readLiteral(in);
                if (event != null) {
                    return event;
                }
                continue;
            }
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
            int end = lf < 0 ? in.writerIndex() : lf + 1;
            appendText(in, end - start);
            if (lf < 0) {
                return null;
            }
            FrameEvent event = endOfLine();
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    /** The connection is gone: a half-received literal file is deleted, nothing more is framed. */
    public void close() {
        closed = true;
        resetCommand(true);
    }

    private void appendText(ByteBuf in, int length) {
        int start = in.readerIndex();
        lineLength += length;
        if (failure == null && lineLength > limits.maxLineLength()) {
            failure = "Command line longer than " + limits.maxLineLength() + " octets";
        } else if (failure == null && (long) textLength + length > limits.commandTextLimit()) {
            failure = "Command text longer than " + limits.commandTextLimit() + " octets";
        }
        if (!firstLineDone && firstOctetCount < TAG_OCTETS) {
            int taken = Math.min(length, TAG_OCTETS - firstOctetCount);
            in.getBytes(start, firstOctets, firstOctetCount, taken);
            firstOctetCount += taken;
        }
        for (int i = Math.max(0, length - MARKER_WINDOW); i < length; i++) {
            window[windowEnd] = in.getByte(start + i);
            windowEnd = (windowEnd + 1) % MARKER_WINDOW;
            windowCount = Math.min(windowCount + 1, MARKER_WINDOW);
        }
        if (failure == null) {
            ensureTextCapacity(textLength + length);
            in.readBytes(text, textLength, length);
            textLength += length;
        } else {
            in.skipBytes(length);
        }
    }

    private void ensureTextCapacity(int needed) {
        if (needed > text.length) {
            text = Arrays.copyOf(text, Math.min(limits.commandTextLimit(), Math.max(needed, text.length * 2)));
        }
    }

    /** A line ended: either the command goes on with a literal, or it is complete. */
    private FrameEvent endOfLine() {
        LiteralMarker marker = LiteralMarker.find(lastLineOctets(), lineLength);
        lineLength = 0;
        windowCount = 0;
        firstLineDone = true;
        if (marker == null) {
            return endOfCommand();
        }
        if (marker.unreadable()) {
            return refuseLiteral(marker.synchronizing(),
                "Literal size is not a number of at most " + MAX_SIZE_DIGITS + " digits up to " + Integer.MAX_VALUE);
        }
        if (marker.size() > limits.maxLiteralSize()) {
            String reason = "Literal of " + marker.size() + " octets exceeds the limit of " + limits.maxLiteralSize()
                + " octets";
            if (!marker.synchronizing()) {
                return refuseLiteral(false, reason);
            }
            // a valid command with too much in it (RFC 7889: an APPEND over APPENDLIMIT is answered NO [TOOBIG])
            String tag = tag();
            resetCommand(true);
            return new FrameEvent.Declined(tag, "TOOBIG", reason);
        }
        if (failure != null && marker.synchronizing()) {
            // The command is refused already: answer now instead of asking for octets that would be dropped.
            return refuseCommand();
        }
        try {
            startLiteral((int) marker.size(), failure == null);
        } catch (IOException e) {
            FramingLog.LOGGER.error("Cannot write an IMAP literal of {} octets to {}", marker.size(), scratch.directory(), e);
            return fatal("Server cannot buffer the literal");
        }
        if (noRoom && marker.synchronizing()) {
            // not asked for, so never sent: the command ends here
            return refuseCommand();
        }
        return marker.synchronizing() ? new FrameEvent.ContinuationRequest() : null;
    }

    /**
     * A synchronizing literal the client has not sent yet can simply be refused. A non-synchronizing one is on its
     * way; its size cannot be trusted (or not taken), so the only safe answer is to stop reading the connection.
     */
    private FrameEvent refuseLiteral(boolean synchronizing, String reason) {
        if (synchronizing) {
            String tag = tag();
            resetCommand(true);
            return new FrameEvent.Rejected(tag, reason);
        }
        return fatal(reason);
    }

    private FrameEvent fatal(String reason) {
        String tag = tag();
        close();
        return new FrameEvent.Fatal(tag, reason);
    }

    /** The command is refused for its {@link #failure}; its literal files are deleted and their room given back. */
    private FrameEvent refuseCommand() {
        FrameEvent refusal = noRoom ? new FrameEvent.Declined(tag(), "LIMIT", failure) : new FrameEvent.Rejected(tag(), failure);
        resetCommand(true);
        return refusal;
    }

    private FrameEvent endOfCommand() {
        if (failure != null) {
            return refuseCommand();
        }
        if (literals.isEmpty() && isBlank()) {
            // A bare CRLF between commands, as some clients send after an APPEND literal: James would count it as
            // an unknown command (and say BYE before login); it carries nothing, so it is skipped.
            resetCommand(true);
            return null;
        }
        FramedCommand command = new FramedCommand(Arrays.copyOf(text, textLength), literals);
        resetCommand(false);
        return new FrameEvent.Command(command);
    }

    private boolean isBlank() {
        for (int i = 0; i < textLength; i++) {
            if (text[i] != '\r' && text[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    private void startLiteral(int size, boolean keep) throws IOException {
        inLiteral = true;
        keepLiteral = keep;
        literalSize = size;
        literalRemaining = size;
        memoryFilled = 0;
        if (keep && size > limits.inMemoryLimit() - literalBytesInMemory) {
            if (size < MIN_SPILL) {
                // Many small literals beyond the memory limit: a file each would be a denial of service of its own.
                failure = "Literals of one command exceed " + limits.inMemoryLimit() + " octets";
                keepLiteral = false;
            } else {
                spillOrRefuse(size);
            }
        } else if (keep) {
            literalBytesInMemory += size;
        }
        if (size == 0) {
            finishLiteral();
        }
    }

    /**
     * Writes the literal to a scratch file if the peer's scratch budget has room for all of it; if not, the command
     * is refused ({@code NO [LIMIT]}): a client that waits for the continuation never sends the literal, a LITERAL+
     * one is read and dropped. Either way none of the command reaches James, so nothing of it is stored.
     */
    private void spillOrRefuse(int size) throws IOException {
        LiteralScratch.Reservation room = scratch.reserve(size);
        if (room == null) {
            failure = "Literal of " + size + " octets: the server's scratch space for large literals is full now;"
                + " try again later";
            noRoom = true;
            keepLiteral = false;
            FramingLog.LOGGER.warn("IMAP literal of {} octets refused: the scratch budget of {} bytes has no room for it",
                size, scratch.capacity());
            return;
        }
        spill = SpilledLiteral.create(scratch.directory(), size, room);
    }

    private FrameEvent readLiteral(ByteBuf in) {
        int length = Math.min(literalRemaining, in.readableBytes());
        try {
            if (!keepLiteral) {
                in.skipBytes(length);
            } else if (spill != null) {
                spill.write(in, length);
            } else {
                if (memoryLiteral == null) {
                    // Allocated when the first octet arrives, not when announced: an announcement alone costs nothing.
                    memoryLiteral = new byte[literalSize];
                }
                in.readBytes(memoryLiteral, memoryFilled, length);
                memoryFilled += length;
            }
            literalRemaining -= length;
            if (literalRemaining == 0) {
                finishLiteral();
            }
            return null;
        } catch (IOException e) {
            FramingLog.LOGGER.error("Cannot write an IMAP literal of {} octets to {}", literalSize, scratch.directory(), e);
            return fatal("Server cannot buffer the literal");
        }
    }

    private void finishLiteral() throws IOException {
        if (keepLiteral) {
            if (spill != null) {
                SpilledLiteral.Writer writer = spill;
                spill = null;
                literals.add(new FramedLiteral(textLength, literalSize, writer.finish()));
            } else {
                byte[] content = memoryLiteral == null ? new byte[0] : memoryLiteral;
                literals.add(new FramedLiteral(textLength, literalSize, BytesBackedLiteral.of(content)));
            }
        }
        inLiteral = false;
        memoryLiteral = null;
    }

    /** Forgets the command; {@code discard}: its literal files are deleted (nobody will ever read them). */
    private void resetCommand(boolean discard) {
        if (discard) {
            literals.stream()
                .map(FramedLiteral::content)
                .filter(SpilledLiteral.class::isInstance)
                .forEach(literal -> ((SpilledLiteral) literal).close());
        }
        if (spill != null) {
            spill.discard();
            spill = null;
        }
        text = new byte[INITIAL_TEXT];
        textLength = 0;
        literals = new ArrayList<>();
        literalBytesInMemory = 0;
        failure = null;
        noRoom = false;
        firstOctetCount = 0;
        firstLineDone = false;
        lineLength = 0;
        windowCount = 0;
        inLiteral = false;
        memoryLiteral = null;
    }

    private byte[] lastLineOctets() {
        byte[] octets = new byte[windowCount];
        for (int i = 0; i < windowCount; i++) {
            octets[i] = window[Math.floorMod(windowEnd - windowCount + i, MARKER_WINDOW)];
        }
        return octets;
    }

    /** The command's tag, for the BAD answer: its first word if that is a valid tag, else null (untagged BAD). */
    private String tag() {
        int end = 0;
        while (end < firstOctetCount && firstOctets[end] != ' ') {
            if (!isTagChar(firstOctets[end])) {
                return null;
            }
            end++;
        }
        if (end == 0 || end == firstOctetCount) {
            return null;
        }
        return new String(firstOctets, 0, end, StandardCharsets.US_ASCII);
    }

    private static boolean isTagChar(byte b) {
        return b > 0x20 && b < 0x7f && "(){%*\"\\]+".indexOf(b) < 0;
    }
}
