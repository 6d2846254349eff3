package org.epost.mailbox.support;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.model.AccountReducer;
import org.epost.mailbox.model.FolderInfo;
import org.epost.mailbox.model.FolderReducer;
import org.epost.mailbox.storage.UserAccount;

/** What a peer shows of its users' mailboxes, to compare a peer before and after a restart. */
public final class MailboxSnapshot {
    private MailboxSnapshot() {
    }

    /**
     * Per user and mailbox: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, counts, and every message's UID, MODSEQ and flags,
     * as James's API answers them; plus subscriptions.
     */
    public static Map<String, String> imapView(StoreMailboxManager manager, List<Username> users) throws MailboxException {
        Map<String, String> view = new TreeMap<>();
        for (Username user : users) {
            MailboxSession session = manager.createSystemSession(user);
            List<MailboxMetaData> mailboxes = manager.search(
                MailboxQuery.privateMailboxesBuilder(session).matchesAllMailboxNames().build(), session)
                .collectList().block();
            for (MailboxMetaData mailbox : mailboxes) {
                MessageManager messages = manager.getMailbox(mailbox.getPath(), session);
                MessageManager.MailboxMetaData meta = messages.getMetaData(MessageManager.MailboxMetaData.RecentMode.IGNORE,
                    session, MessageManager.MailboxMetaData.FetchGroup.FIRST_UNSEEN);
                StringBuilder line = new StringBuilder()
                    .append("uidvalidity=").append(meta.getUidValidity().asLong())
                    .append(" uidnext=").append(meta.getUidNext().asLong())
                    .append(" highestmodseq=").append(meta.getHighestModSeq().asLong())
                    .append(" exists=").append(meta.getMessageCount())
                    .append(" unseen=").append(meta.getUnseenCount())
                    .append(" acl=").append(messages.getMailboxEntity().getACL().getEntries());
                MessageResultIterator results = messages.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
                while (results.hasNext()) {
                    MessageResult message = results.next();
                    line.append(" | ").append(message.getUid().asLong()).append(' ').append(message.getModSeq().asLong())
                        .append(' ').append(message.getFlags()).append(' ').append(message.getMessageId().serialize());
                }
                view.put(user.asString() + " " + mailbox.getPath().getName(), line.toString());
            }
            view.put(user.asString() + " subscriptions",
                String.valueOf(manager.getMapperFactory().getSubscriptionMapper(session)
                    .findSubscriptionsForUser(user)));
        }
        return view;
    }

    /** The encoded materialized state of every account and folder log: equal maps are equal states. */
    public static Map<String, String> logStates(PostMailboxSessionMapperFactory factory) throws MailboxException {
        Map<String, String> states = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (UserAccount account : factory.registry().allAccounts()) {
            states.put(account.owner().asString() + " account",
                hex.formatHex(account.log().read(AccountReducer.INSTANCE::encode)));
            for (FolderInfo folder : account.folders()) {
                states.put(account.owner().asString() + " folder " + folder.id(),
                    hex.formatHex(account.folder(folder).log().read(FolderReducer.INSTANCE::encode)));
            }
        }
        return states;
    }
}
