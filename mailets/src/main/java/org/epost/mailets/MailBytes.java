package org.epost.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;

/** The raw bytes of a mail's message, exactly as received when nothing changed it (James's own source otherwise). */
final class MailBytes {
    private MailBytes() {
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
