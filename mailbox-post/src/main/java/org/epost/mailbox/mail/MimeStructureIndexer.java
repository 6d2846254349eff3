package org.epost.mailbox.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.store.MimeDescriptorImpl;
import org.apache.james.mime4j.MimeException;
import org.epost.mailbox.model.MimeStructure;
import org.epost.mailbox.model.RecordFormatException;
import org.epost.post.message.StructureIndexer;
import org.epost.post.store.RandomAccessBytes;

/**
 * Describes a multipart (or message/rfc822) message when it is stored: James's own {@link MimeDescriptorImpl}
 * computes what BODYSTRUCTURE needs, and the values travel in the message's skeleton as a {@link MimeStructure}, so
 * that BODYSTRUCTURE on the recipient's peer fetches none of the message's parts. A simple (non-composite) message
 * gets none: James describes those from their header alone. What cannot be described, or not read back within the
 * structure's bounds, is stored without a description (James then parses the message, as it always did).
 */
public final class MimeStructureIndexer implements StructureIndexer {

    @Override
    public Optional<byte[]> describe(byte[] message) {
        return describe(new ByteArrayInputStream(message));
    }

    /** James's parser reads the message as a stream: a message spilled to disk is described without being whole here. */
    @Override
    public Optional<byte[]> describe(RandomAccessBytes message) {
        try (InputStream in = message.stream(0, message.length())) {
            return describe(in);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private Optional<byte[]> describe(InputStream message) {
        try {
            MimeDescriptor descriptor = MimeDescriptorImpl.build(message);
            if (!isComposite(descriptor.getMimeType())) {
                return Optional.empty();
            }
            byte[] encoded = MimeStructure.of(descriptor).encode();
            MimeStructure.decode(encoded);
            return Optional.of(encoded);
        } catch (IOException | MimeException | MailboxException | RecordFormatException e) {
            return Optional.empty();
        } catch (StackOverflowError e) {
            // Thousands of nested message/rfc822 entities: James's parser recurses once per level.
            return Optional.empty();
        }
    }

    /** The media types James describes by parsing the whole message (the others from their header). */
    static boolean isComposite(String mediaType) {
        return "message".equalsIgnoreCase(mediaType) || "multipart".equalsIgnoreCase(mediaType);
    }
}
