package org.epost.mailbox.spill;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.mail.MessagingException;

import org.epost.post.store.RandomAccessBytes;

/**
 * A message being stored in ePOST, in a temporary file encrypted with AES-256-CTR under a key and counter drawn for it
 * and held only by this object, read back by position: the store cuts and encrypts it a piece at a time, so a large
 * message is never whole in the heap, and the file is noise to anyone without this object (no plaintext mail on
 * disk). CTR lets any position be decrypted on its own. {@link #close()} deletes the file. Used for SMTP mail (the
 * mailets) and for large messages a client appends over IMAP (the mailbox backend).
 */
public final class MessageScratchFile implements RandomAccessBytes, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BLOCK = 16;
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final SecretKeySpec key;
    private final byte[] counter;
    private final FileChannel channel;
    private final long length;

    private MessageScratchFile(Path file, SecretKeySpec key, byte[] counter, long length) throws IOException {
        this.file = file;
        this.key = key;
        this.counter = counter;
        this.length = length;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Writes a message into an output stream, which it closes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException, MessagingException;
    }

    /** What {@code content} writes, in a new encrypted file in {@code directory}. */
    public static MessageScratchFile copyOf(Path directory, Content content) throws IOException, MessagingException {
        byte[] keyBytes = new byte[32];
        byte[] counter = new byte[BLOCK];
        RANDOM.nextBytes(keyBytes);
        RANDOM.nextBytes(counter);
        // the counter's top bits are clear so that adding a block index never wraps around
        counter[0] = 0;
        SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
        // createTempFile makes the file with owner-only permissions on POSIX file systems.
        Path file = Files.createTempFile(directory, "epost-store-", ".scratch");
        CountingOutputStream counted;
        try (OutputStream out = new CipherOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER),
                cipher(key, counter, 0))) {
            counted = new CountingOutputStream(out);
            content.writeTo(counted);
        } catch (IOException | MessagingException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        try {
            return new MessageScratchFile(file, key, counter, counted.count);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Counts what goes through, for the file's plaintext length. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public byte[] read(long position, int count) {
        Objects.checkFromIndexSize(position, count, length);
        long aligned = position / BLOCK * BLOCK;
        int skip = (int) (position - aligned);
        ByteBuffer ciphertext = ByteBuffer.allocate(skip + count);
        try {
            while (ciphertext.hasRemaining()) {
                if (channel.read(ciphertext, aligned + ciphertext.position()) < 0) {
                    throw new IOException("the scratch file " + file + " ends before " + (position + count));
                }
            }
            byte[] plaintext = cipher(key, counter, aligned / BLOCK).doFinal(ciphertext.array());
            return skip == 0 ? plaintext : Arrays.copyOfRange(plaintext, skip, skip + count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is in every JDK", e);
        }
    }

    /** A CTR cipher whose counter starts at block {@code blockIndex} of the file (CTR encrypts and decrypts alike). */
    private static Cipher cipher(SecretKeySpec key, byte[] counter, long blockIndex) {
        try {
            byte[] start = new BigInteger(1, counter).add(BigInteger.valueOf(blockIndex)).toByteArray();
            byte[] iv = new byte[BLOCK];
            int copy = Math.min(start.length, BLOCK);
            System.arraycopy(start, start.length - copy, iv, BLOCK - copy, copy);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is in every JDK", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
