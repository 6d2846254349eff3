package org.epost.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.apache.james.mailbox.store.mail.AttachmentMapper;
import org.apache.james.mailbox.store.mail.AttachmentMapperFactory;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.epost.mailbox.mail.AttachmentDirectory;
import org.epost.mailbox.mail.ContentCache;
import org.epost.mailbox.mail.SealedSkeletonCache;
import org.epost.mailbox.mail.MessageViews;
import org.epost.mailbox.mail.PostAnnotationMapper;
import org.epost.mailbox.mail.PostAttachmentMapper;
import org.epost.mailbox.mail.PostMailboxMapper;
import org.epost.mailbox.mail.PostMessageIdMapper;
import org.epost.mailbox.mail.PostMessageMapper;
import org.epost.mailbox.mail.PostModSeqProvider;
import org.epost.mailbox.mail.PostSubscriptionMapper;
import org.epost.mailbox.mail.PostUidProvider;
import org.epost.mailbox.mail.ReferencedAppends;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.PostMailboxStorage;

/**
 * The ePOST mailbox backend's mappers for James's store. All sessions share one {@link MailboxRegistry} (one writer per
 * log in this process) and one content cache; the mappers themselves hold no per-session state except the attachment
 * mapper, which records attachments in the session user's account. {@link #close()} closes every log (the peer calls
 * it on shutdown so that writers release their leases and views are cached).
 */
public class PostMailboxSessionMapperFactory extends MailboxSessionMapperFactory
        implements AttachmentMapperFactory, AutoCloseable {
    /** Default bound of the content cache: 64 MiB. */
    public static final long DEFAULT_CONTENT_CACHE_BYTES = 64L << 20;

    private final MailboxRegistry registry;
    private final ContentCache cache;
    private final ReferencedAppends referencedAppends;
    private final AttachmentDirectory attachments;
    private final PostMailboxMapper mailboxMapper;
    private final PostMessageMapper messageMapper;
    private final PostMessageIdMapper messageIdMapper;
    private final PostSubscriptionMapper subscriptionMapper;
    private final PostAnnotationMapper annotationMapper;
    private final PostUidProvider uidProvider;
    private final PostModSeqProvider modSeqProvider;

    public PostMailboxSessionMapperFactory(PostMailboxStorage storage, Clock clock, long contentCacheBytes) {
        this.registry = new MailboxRegistry(storage);
        this.cache = new ContentCache(contentCacheBytes, storage.skeletonDirectory().map(directory -> {
            try {
                return new SealedSkeletonCache(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the skeleton cache in " + directory, e);
            }
        }));
        this.attachments = new AttachmentDirectory(registry);
        this.referencedAppends = new ReferencedAppends(cache);
        MessageViews views = new MessageViews(cache, attachments);
        this.mailboxMapper = new PostMailboxMapper(registry);
        this.messageMapper = new PostMessageMapper(registry, views, clock);
        this.messageIdMapper = new PostMessageIdMapper(registry, views, clock);
        this.subscriptionMapper = new PostSubscriptionMapper(registry);
        this.annotationMapper = new PostAnnotationMapper(registry);
        this.uidProvider = new PostUidProvider(registry);
        this.modSeqProvider = new PostModSeqProvider(registry);
    }

    public MailboxRegistry registry() {
        return registry;
    }

    public ContentCache contentCache() {
        return cache;
    }

    /** Makes the contents a home peer appends by reference to a message already stored. */
    public ReferencedAppends referencedAppends() {
        return referencedAppends;
    }

    @Override
    public MailboxMapper createMailboxMapper(MailboxSession session) {
        return mailboxMapper;
    }

    @Override
    public MessageMapper createMessageMapper(MailboxSession session) {
        return messageMapper;
    }

    @Override
    public MessageIdMapper createMessageIdMapper(MailboxSession session) {
        return messageIdMapper;
    }

    @Override
    public SubscriptionMapper createSubscriptionMapper(MailboxSession session) {
        return subscriptionMapper;
    }

    @Override
    public AnnotationMapper createAnnotationMapper(MailboxSession session) {
        return annotationMapper;
    }

    @Override
    public AttachmentMapper createAttachmentMapper(MailboxSession session) {
        return new PostAttachmentMapper(registry, attachments, cache, session == null ? null : session.getUser());
    }

    @Override
    public AttachmentMapper getAttachmentMapper(MailboxSession session) {
        return createAttachmentMapper(session);
    }

    @Override
    public UidProvider getUidProvider() {
        return uidProvider;
    }

    @Override
    public ModSeqProvider getModSeqProvider() {
        return modSeqProvider;
    }

    @Override
    public void close() {
        registry.close();
    }
}
