package org.epost.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.epost.mailbox.mail.HeaderSectionMeter;
import org.epost.mailbox.spill.MessageScratchFile;
import org.epost.post.store.RandomAccessBytes;

/** The raw bytes of a mail's message, exactly as received when nothing changed it (James's own source otherwise). */
final class MailBytes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MailBytes.class);
    /** Messages up to this size are stored from the heap; larger ones are read from an encrypted scratch file. */
    static final long IN_MEMORY_LIMIT = 1 << 20;

    private MailBytes() {
    }

    /**
     * The mail's message for the store ({@link #release} it afterwards): up to {@link #IN_MEMORY_LIMIT} in memory,
     * beyond that copied once into a {@link MessageScratchFile} in {@code directory}, so that storing it holds only the
     * pieces being worked on. Bcc fields are removed first when {@code stripBcc}.
     */
    static RandomAccessBytes open(Mail mail, boolean stripBcc, Path directory) throws MessagingException, IOException {
        long size = mail.getMessageSize();
        if (size >= 0 && size <= IN_MEMORY_LIMIT) {
            byte[] message = of(mail);
            return RandomAccessBytes.of(stripBcc ? BccHeader.strip(message) : message);
        }
        MimeMessage message = mail.getMessage();
        return MessageScratchFile.copyOf(directory, out -> {
            OutputStream target = stripBcc ? BccHeader.stripping(out) : out;
            if (message instanceof MimeMessageWrapper wrapper) {
                try (InputStream in = wrapper.getMessageInputStream()) {
                    in.transferTo(target);
                }
            } else {
                message.writeTo(target);
            }
            target.close();
        });
    }

    /** Where scratch files go: {@code java.io.tmpdir}, as James's own temporary files. */
    static Path scratchDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Deletes the scratch file of a message {@link #open} made, if it made one (null: nothing was opened). */
    static void release(RandomAccessBytes message) {
        if (message instanceof MessageScratchFile file) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing readable stays behind: the file is encrypted under a key that dies with the object
                LOG.warn("Could not delete the encrypted scratch file {}", file.file(), e);
            }
        }
    }

    /**
     * Whether the mail's header section is over {@code maxBytes}, read as a stream from the message as received
     * (its encrypted spill): at most that much of it is read, none of it held.
     */
    static boolean headerOver(Mail mail, int maxBytes) throws MessagingException, IOException {
        MimeMessage message = mail.getMessage();
        if (message instanceof MimeMessageWrapper wrapper) {
            try (InputStream in = wrapper.getMessageInputStream()) {
                return HeaderSectionMeter.over(in, maxBytes);
            }
        }
        HeaderSectionMeter meter = new HeaderSectionMeter(maxBytes);
        message.writeTo(meter);
        return meter.over();
    }

    static byte[] of(Mail mail) throws MessagingException, IOException {
        MimeMessage message = mail.getMessage();
        if (message instanceof MimeMessageWrapper wrapper) {
            try (InputStream in = wrapper.getMessageInputStream()) {
                return read(in, wrapper.getMessageSize());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /**
     * All of {@code in}, read into one array of the announced size when that is right: a message near the size limit
     * then costs its size once, not the twice of a growing buffer and its final copy.
     */
    static byte[] read(InputStream in, long announced) throws IOException {
        if (announced <= 0 || announced > Integer.MAX_VALUE - 16) {
            return in.readAllBytes();
        }
        byte[] exact = new byte[(int) announced];
        int read = in.readNBytes(exact, 0, exact.length);
        if (read < exact.length) {
            return java.util.Arrays.copyOf(exact, read);
        }
        int next = in.read();
        if (next < 0) {
            return exact;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(exact);
        rest.write(next);
        in.transferTo(rest);
        return rest.toByteArray();
    }
}
