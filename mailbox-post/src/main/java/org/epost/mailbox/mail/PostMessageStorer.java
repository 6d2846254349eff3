package org.epost.mailbox.mail;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.commons.lang3.tuple.Pair;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.MessageStorer;
import org.apache.james.mailbox.store.mail.AttachmentMapperFactory;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.message.HeaderImpl;

import reactor.core.publisher.Mono;

/**
 * James's append to the store, with attachments extracted (James's parser) except from a large message, appended by
 * reference or by a client (IMAP APPEND): James's parser builds the whole message in memory and every attachment
 * would be decoded into an array and stored a second time, which a peer with a small heap cannot do for a 40 MiB
 * mail. Such a message is recorded without attachment records (JMAP lists none for it; IMAP reads its parts from the
 * stored message).
 */
public final class PostMessageStorer implements MessageStorer {
    /** A message larger than this is not parsed for attachments: 4 MiB. */
    public static final long MAX_PARSED_BYTES = 4L << 20;

    private final MessageStorer withAttachments;
    private final MessageStorer withoutAttachments;

    public PostMessageStorer(MailboxSessionMapperFactory mappers, MessageId.Factory messageIds,
                             AttachmentMapperFactory attachments, MessageParser parser,
                             ThreadIdGuessingAlgorithm threads, Clock clock) {
        PostMessageFactory factory = new PostMessageFactory();
        this.withAttachments = new MessageStorer.WithAttachment(mappers, messageIds, factory, attachments, parser,
            threads, clock);
        this.withoutAttachments = new MessageStorer.WithoutAttachment(mappers, messageIds, factory, threads, clock);
    }

    @Override
    public Mono<Pair<MessageMetaData, Optional<List<MessageAttachmentMetadata>>>> appendMessageToStore(
            Mailbox mailbox, Date internalDate, int size, int bodyStartOctet, Content content, Flags flags,
            PropertyBuilder propertyBuilder, Optional<Message> maybeMessage, MailboxSession session,
            HeaderImpl headers) throws MailboxException {
        MessageStorer storer = content.size() > MAX_PARSED_BYTES
            ? withoutAttachments : withAttachments;
        return storer.appendMessageToStore(mailbox, internalDate, size, bodyStartOctet, content, flags,
            propertyBuilder, maybeMessage, session, headers);
    }
}
