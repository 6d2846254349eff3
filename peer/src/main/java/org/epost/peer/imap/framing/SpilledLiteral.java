package org.epost.peer.imap.framing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.imap.message.Literal;
import org.epost.post.crypto.EphemeralStreamKey;

import io.netty.buffer.ByteBuf;

/**
 * A literal too large to keep in memory, kept in a temporary file while its command waits to be processed, as
 * James 3.8.1 does above {@code inMemorySizeLimit}. Unlike James's file (the message in plaintext under
 * {@code java.io.tmpdir}), this one is encrypted with AES-CTR under a key that exists only in this object
 * ({@link EphemeralStreamKey}): ePOST writes no message plaintext to disk, and a file left behind by a crash is
 * unreadable noise.
 *
 * <p>The file is deleted by {@link #close()}: by James's {@code AppendRequest} once the message is stored, by
 * {@code ImapRequestLineReader.consumeLiteral} for a string argument, or by the {@link FramedCommand} that
 * framed it when nobody took it.
 */
final class SpilledLiteral implements Literal, Closeable {
    private final Path file;
    private final int size;
    private final LiteralScratch.Reservation room;
    private final EphemeralStreamKey key = EphemeralStreamKey.fresh();
    private volatile boolean closed;

    private SpilledLiteral(Path file, int size, LiteralScratch.Reservation room) {
        this.file = file;
        this.size = size;
        this.room = room;
    }

    /**
     * Starts a literal of {@code size} octets in a new file of {@code directory}, readable by this process only, on
     * the {@code room} reserved for it; the room is given back when the file is deleted (or could not be made).
     */
    static Writer create(Path directory, int size, LiteralScratch.Reservation room) throws IOException {
        Path file;
        try {
            // createTempFile makes the file with owner-only permissions on POSIX file systems.
            file = Files.createTempFile(directory, "epost-imap-literal", ".tmp");
        } catch (IOException | RuntimeException e) {
            room.release();
            throw e;
        }
        SpilledLiteral literal = new SpilledLiteral(file, size, room);
        try {
            return new Writer(literal, literal.key.encrypting(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)));
        } catch (IOException | RuntimeException e) {
            literal.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    @Override
    public long size() {
        return size;
    }

    /** A fresh stream over the plaintext; James may open the literal more than once (size, parsing, storing). */
    @Override
    public InputStream getInputStream() throws IOException {
        return key.decrypting(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
    }

    /** Whether {@link #close()} ran: the file is gone and its room given back. */
    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Nothing readable is left behind: the content is encrypted under a key that dies with this object.
            FramingLog.LOGGER.warn("Could not delete the temporary IMAP literal file {}", file, e);
        } finally {
            // Given back even when the delete failed: the file is noise, and a stuck budget would refuse every APPEND.
            room.release();
        }
    }

    /** Receives the literal's octets as they arrive from the network, then hands over the finished literal. */
    static final class Writer {
        private final SpilledLiteral literal;
        private final OutputStream out;
        private long written;

        private Writer(SpilledLiteral literal, OutputStream out) {
            this.literal = literal;
            this.out = out;
        }

        /** Moves {@code length} readable octets of {@code in} into the file. */
        void write(ByteBuf in, int length) throws IOException {
            if (written + length > literal.size) {
                throw new IllegalStateException("More octets than the literal announced");
            }
            in.readBytes(out, length);
            written += length;
        }

        SpilledLiteral finish() throws IOException {
            if (written != literal.size) {
                throw new IllegalStateException("Literal incomplete: " + written + " of " + literal.size);
            }
            out.close();
            return literal;
        }

        /** The command is abandoned (connection closed, garbage): nothing of it stays. */
        void discard() {
            try {
                out.close();
            } catch (IOException e) {
                // The file is deleted below anyway.
            }
            literal.close();
        }
    }
}
