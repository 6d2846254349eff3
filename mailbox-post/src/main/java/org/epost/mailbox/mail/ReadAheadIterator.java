package org.epost.mailbox.mail;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

/**
 * The messages of a FETCH in UID order, the skeletons of the next {@link #WINDOW} read ahead of the one James is
 * handing out ({@link SkeletonReadAhead}): a sliding window, so a FETCH of a whole 100,000-message folder keeps at
 * most that many reads pending and never reads far ahead of what the client takes.
 */
final class ReadAheadIterator implements Iterator<MailboxMessage> {
    /** Enough to keep two reader threads busy while James writes the previous responses. */
    static final int WINDOW = 32;

    private final List<PostMailboxMessage> messages;
    private int next;

    private ReadAheadIterator(List<PostMailboxMessage> messages) {
        this.messages = messages;
        for (int i = 0; i < Math.min(WINDOW, messages.size()); i++) {
            messages.get(i).readAhead();
        }
    }

    /**
     * The messages for a fetch of {@code type}: read ahead when it reads contents (headers or whole messages), as
     * they are when it asks only metadata (flags, UIDs, attachments' metadata: no skeleton is read).
     */
    static Iterator<MailboxMessage> of(List<PostMailboxMessage> messages, FetchType type) {
        if (type == FetchType.HEADERS || type == FetchType.FULL) {
            return new ReadAheadIterator(messages);
        }
        return List.<MailboxMessage>copyOf(messages).iterator();
    }

    @Override
    public boolean hasNext() {
        return next < messages.size();
    }

    @Override
    public MailboxMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (next + WINDOW < messages.size()) {
            messages.get(next + WINDOW).readAhead();
        }
        return messages.get(next++);
    }
}
