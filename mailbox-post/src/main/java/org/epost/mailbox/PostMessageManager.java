package org.epost.mailbox;

import java.time.Clock;

import javax.mail.Flags;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.BatchSizes;
import org.apache.james.mailbox.store.PreDeletionHooks;
import org.apache.james.mailbox.store.ResultUtils;
import org.apache.james.mailbox.store.StoreMessageManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.mail.FetchGroupConverter;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.epost.mailbox.mail.PostMessageStorer;
import org.epost.mailbox.mail.StructuredMessageResult;
import org.reactivestreams.Publisher;

import com.github.fge.lambdas.Throwing;

import reactor.core.publisher.Flux;

/**
 * One mailbox of the ePOST backend as James's store sees it. Appends parse attachments and store them through the
 * attachment mapper (their contents encrypted in the message store); keywords are permanent flags. Results fetched
 * reactively (IMAP FETCH) describe their MIME structure from the structure stored with the message.
 */
public class PostMessageManager extends StoreMessageManager {
    private final PostMailboxSessionMapperFactory mapperFactory;

    public PostMessageManager(PostMailboxSessionMapperFactory mapperFactory, MessageSearchIndex index,
                              EventBus eventBus, MailboxPathLocker locker, Mailbox mailbox, QuotaManager quotaManager,
                              QuotaRootResolver quotaRootResolver, MessageParser messageParser,
                              MessageId.Factory messageIdFactory, BatchSizes batchSizes,
                              StoreRightManager rightManager, PreDeletionHooks preDeletionHooks,
                              ThreadIdGuessingAlgorithm threadIdGuessingAlgorithm, Clock clock) {
        super(PostMailboxManager.MESSAGE_CAPABILITIES, mapperFactory, index, eventBus, locker, mailbox, quotaManager,
            quotaRootResolver, batchSizes, rightManager, preDeletionHooks,
            new PostMessageStorer(mapperFactory, messageIdFactory, mapperFactory, messageParser,
                threadIdGuessingAlgorithm, clock));
        this.mapperFactory = mapperFactory;
    }

    /** James's results, with the MIME structure read from the message's skeleton ({@link StructuredMessageResult}). */
    @Override
    public Publisher<MessageResult> getMessagesReactive(MessageRange set, FetchGroup fetchGroup,
                                                        MailboxSession session) {
        return Flux.from(mapperFactory.getMessageMapper(session)
                .findInMailboxReactive(getMailboxEntity(), set, FetchGroupConverter.getFetchType(fetchGroup), -1))
            .map(Throwing.<MailboxMessage, MessageResult>function(message ->
                StructuredMessageResult.of(message, ResultUtils.loadMessageResult(message, fetchGroup))).sneakyThrow());
    }

    @Override
    public Flags getPermanentFlags(MailboxSession session) {
        Flags permanentFlags = new Flags(super.getPermanentFlags(session));
        permanentFlags.add(Flags.Flag.USER);
        return permanentFlags;
    }
}
