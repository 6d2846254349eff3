package org.epost.mailbox.spill;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.lifecycle.api.Disposable;
import org.apache.james.server.core.MimeMessageSource;
import org.epost.post.crypto.EphemeralStreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message of one SMTP transaction, as its DATA lines arrive: in the heap up to {@code memoryThreshold} octets,
 * beyond that in a temporary file encrypted with AES-CTR under a key and IV drawn for this message and held only by
 * this object ({@link EphemeralStreamKey}). It replaces James's {@code MimeMessageInputStreamSource}, whose file above
 * 100 KiB holds the message in plaintext under {@code java.io.tmpdir}: an ePOST peer keeps no mail in plaintext on its
 * disk, and a file left behind by a crash is noise without its key.
 *
 * <p>James reads the message as often as it likes ({@link #getInputStream()} decrypts afresh each time); the file is
 * deleted by {@link #dispose()}, once the transaction ended (answered, aborted or its connection closed).
 */
public final class EncryptedMessageSpill implements MimeMessageSource, Disposable {
    /** James's own threshold property, so that a peer configured for James keeps its setting. */
    public static final String MEMORY_THRESHOLD_PROPERTY = "james.message.memory.threshold";
    private static final int DEFAULT_MEMORY_THRESHOLD = 100 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedMessageSpill.class);
    private static final int FILE_BUFFER = 64 * 1024;

    private final String sourceId;
    private final Path directory;
    private final int memoryThreshold;
    private final EphemeralStreamKey key = EphemeralStreamKey.fresh();
    private final Writer writer = new Writer();
    private Path file;

    /** A spill in {@code java.io.tmpdir}, in the heap up to James's threshold ({@value #MEMORY_THRESHOLD_PROPERTY}). */
    public static EncryptedMessageSpill inTemporaryDirectory(String sourceId) {
        return new EncryptedMessageSpill(sourceId, Path.of(System.getProperty("java.io.tmpdir")),
            Integer.getInteger(MEMORY_THRESHOLD_PROPERTY, DEFAULT_MEMORY_THRESHOLD));
    }

    public EncryptedMessageSpill(String sourceId, Path directory, int memoryThreshold) {
        this.sourceId = sourceId;
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
    }

    /** Where the DATA lines go; close it at the end of the data, before reading. */
    public OutputStream output() {
        return writer;
    }

    /** The encrypted file, once the message outgrew the heap threshold. */
    public synchronized java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file);
    }

    @Override
    public String getSourceId() {
        return sourceId;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (!writer.closed) {
            throw new IllegalStateException("the message of " + sourceId + " is still being received");
        }
        if (file == null) {
            return new ByteArrayInputStream(writer.memory.toByteArray());
        }
        return key.decrypting(new BufferedInputStream(Files.newInputStream(file), FILE_BUFFER));
    }

    @Override
    public long getMessageSize() {
        return writer.size;
    }

    @Override
    public synchronized void dispose() {
        writer.abandon();
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Nothing readable stays behind: the content is encrypted under a key that dies with this object.
                LOG.warn("Could not delete the encrypted SMTP spill file {}", file, e);
            }
        }
    }

    /** Counts the octets, keeps the first ones in memory, moves everything to the encrypted file past the threshold. */
    private final class Writer extends OutputStream {
        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private OutputStream encrypted;
        private long size;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (EncryptedMessageSpill.this) {
                if (closed) {
                    throw new IOException("the message of " + sourceId + " is complete or abandoned");
                }
                if (encrypted == null && memory.size() + length > memoryThreshold) {
                    spill();
                }
                (encrypted == null ? memory : encrypted).write(bytes, offset, length);
                size += length;
            }
        }

        private void spill() throws IOException {
            // createTempFile makes the file with owner-only permissions on POSIX file systems.
            file = Files.createTempFile(directory, "epost-smtp-", ".spill");
            encrypted = key.encrypting(new BufferedOutputStream(Files.newOutputStream(file), FILE_BUFFER));
            memory.writeTo(encrypted);
            memory = null;
        }

        @Override
        public void close() throws IOException {
            synchronized (EncryptedMessageSpill.this) {
                if (!closed) {
                    closed = true;
                    if (encrypted != null) {
                        encrypted.close();
                    }
                }
            }
        }

        private void abandon() {
            try {
                close();
            } catch (IOException e) {
                LOG.debug("Closing the abandoned spill of {}", sourceId, e);
            }
        }
    }
}
