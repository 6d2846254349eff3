package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.epost.mailbox.model.FolderId;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.message.MessageReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/**
 * A FETCH of contents reads the skeletons of a sliding window of messages ahead of the one handed out, in UID order,
 * each once; a FETCH of metadata reads none.
 */
class ReadAheadIteratorTest {
    private static final int MESSAGES = ReadAheadIterator.WINDOW + 8;
    private final CountingMessageStore store =
        new CountingMessageStore(TestMailboxStorage.splitMessages(new InMemoryBlockService()));
    private final List<Runnable> queued = new CopyOnWriteArrayList<>();
    private final ContentCache cache = new ContentCache(1 << 20, Optional.empty(), queued::add);

    private List<PostMailboxMessage> messages() throws Exception {
        PostMailboxId mailbox = new PostMailboxId(Username.of("alice@epost.test"), FolderId.random());
        List<PostMailboxMessage> messages = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            byte[] bytes = ("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            MessageReference reference = store.store(bytes, Long.MAX_VALUE).get();
            PostMessageId id = (PostMessageId) new PostMessageId.Factory().generate();
            messages.add(new PostMailboxMessage(mailbox, MessageUid.of(i), ModSeq.of(i), id,
                ThreadId.fromBaseMessageId(id), new Date(), Optional.empty(), bytes.length, 0, new Properties(List.of(), 2L),
                new StoredContent(store, cache, reference, new byte[0]), new Flags(), List::of));
        }
        return messages;
    }

    @Test
    void aHeaderFetchReadsAWindowAheadOfTheMessageHandedOut() throws Exception {
        List<PostMailboxMessage> messages = messages();

        Iterator<MailboxMessage> iterator = ReadAheadIterator.of(messages, FetchType.HEADERS);
        assertThat(queued).hasSize(ReadAheadIterator.WINDOW);
        assertThat(iterator.next()).isSameAs(messages.get(0));
        assertThat(queued).hasSize(ReadAheadIterator.WINDOW + 1);
        queued.forEach(Runnable::run);
        assertThat(store.skeletons()).isEqualTo(ReadAheadIterator.WINDOW + 1);

        List<MailboxMessage> rest = new ArrayList<>();
        iterator.forEachRemaining(rest::add);
        assertThat(rest).containsExactlyElementsOf(messages.subList(1, MESSAGES));
        assertThat(queued).hasSize(MESSAGES);
        queued.forEach(Runnable::run);
        assertThat(store.skeletons()).isEqualTo(MESSAGES);
        assertThat(cache.readsAhead()).isZero();
    }

    @Test
    void aMetadataFetchReadsNoSkeleton() throws Exception {
        List<PostMailboxMessage> messages = messages();

        List<MailboxMessage> handed = new ArrayList<>();
        ReadAheadIterator.of(messages, FetchType.METADATA).forEachRemaining(handed::add);
        assertThat(handed).containsExactlyElementsOf(messages);
        assertThat(queued).isEmpty();
    }
}
