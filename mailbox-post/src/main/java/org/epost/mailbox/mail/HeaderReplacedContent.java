package org.epost.mailbox.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

import org.apache.james.mailbox.model.Content;

/**
 * A stored message with its header section replaced: the new header from memory, then the stored message read lazily
 * past its first {@code replaced} bytes (its old header). Not a reference (the bytes differ from what is stored), so
 * the backend stores it again, streamed; large parts encrypt convergently to the blocks already stored.
 */
final class HeaderReplacedContent implements Content {
    private final StoredContent stored;
    private final byte[] header;
    private final long replaced;

    HeaderReplacedContent(StoredContent stored, byte[] header, long replaced) {
        if (replaced < 0 || replaced > stored.size()) {
            throw new IllegalArgumentException("cannot replace " + replaced + " bytes of a message of "
                + stored.size());
        }
        this.stored = stored;
        this.header = header.clone();
        this.replaced = replaced;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream body = stored.getInputStream();
        try {
            body.skipNBytes(replaced);
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
        return new SequenceInputStream(new ByteArrayInputStream(header), body);
    }

    @Override
    public long size() {
        return header.length + stored.size() - replaced;
    }
}
