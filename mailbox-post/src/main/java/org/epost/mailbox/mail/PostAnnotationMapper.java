package org.epost.mailbox.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxAnnotation;
import org.apache.james.mailbox.model.MailboxAnnotationKey;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

import com.google.common.base.Preconditions;

/**
 * Mailbox annotations (IMAP METADATA) as records of the folder owner's account log, kept with the folder they belong
 * to and dropped when it is deleted.
 */
public final class PostAnnotationMapper implements AnnotationMapper {
    private final MailboxRegistry registry;

    public PostAnnotationMapper(MailboxRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<MailboxAnnotation> getAllAnnotations(MailboxId mailboxId) {
        return select(mailboxId, key -> true);
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeys(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, keys::contains);
    }

    /** The keys and everything below them. */
    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithAllDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, key -> keys.stream().anyMatch(wanted -> isAtOrBelow(key, wanted, Integer.MAX_VALUE)));
    }

    /** The keys and their direct children. */
    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithOneDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return select(mailboxId, key -> keys.stream().anyMatch(wanted -> isAtOrBelow(key, wanted, 1)));
    }

    @Override
    public void insertAnnotation(MailboxId mailboxId, MailboxAnnotation annotation) {
        Preconditions.checkArgument(!annotation.isNil(), "a nil annotation is deleted, not inserted");
        String key = annotation.getKey().asString();
        String value = annotation.getValue().orElseThrow();
        update(mailboxId, id -> new AccountRecord.AnnotationSet(id.folder(), key, value),
            existing -> value.equals(existing.get(key)));
    }

    @Override
    public void deleteAnnotation(MailboxId mailboxId, MailboxAnnotationKey key) {
        update(mailboxId, id -> new AccountRecord.AnnotationDeleted(id.folder(), key.asString()),
            existing -> !existing.containsKey(key.asString()));
    }

    @Override
    public boolean exist(MailboxId mailboxId, MailboxAnnotation annotation) {
        return annotations(mailboxId).containsKey(annotation.getKey().asString());
    }

    @Override
    public int countAnnotations(MailboxId mailboxId) {
        return annotations(mailboxId).size();
    }

    private static boolean isAtOrBelow(MailboxAnnotationKey key, MailboxAnnotationKey wanted, int maxDepth) {
        if (key.equals(wanted)) {
            return true;
        }
        return key.asString().startsWith(wanted.asString() + "/")
            && key.countComponents() - wanted.countComponents() <= maxDepth;
    }

    private List<MailboxAnnotation> select(MailboxId mailboxId, Predicate<MailboxAnnotationKey> filter) {
        List<MailboxAnnotation> found = new ArrayList<>();
        for (Map.Entry<String, String> entry : annotations(mailboxId).entrySet()) {
            MailboxAnnotationKey key = new MailboxAnnotationKey(entry.getKey());
            if (filter.test(key)) {
                found.add(MailboxAnnotation.newInstance(key, entry.getValue()));
            }
        }
        return found;
    }

    private SortedMap<String, String> annotations(MailboxId mailboxId) {
        try {
            PostMailboxId id = Folders.idOf(mailboxId);
            UserAccount account = registry.requireAccount(id.owner());
            return account.log().read(state -> new java.util.TreeMap<>(state.annotations(id.folder())));
        } catch (MailboxException e) {
            throw new IllegalStateException("annotations of " + mailboxId + " cannot be read: " + e.getMessage(), e);
        }
    }

    private interface RecordFor {
        AccountRecord of(PostMailboxId id);
    }

    private void update(MailboxId mailboxId, RecordFor record, Predicate<SortedMap<String, String>> alreadyDone) {
        try {
            PostMailboxId id = Folders.idOf(mailboxId);
            UserAccount account = registry.requireAccount(id.owner());
            account.log().update(state -> {
                if (state.folder(id.folder()).isEmpty()) {
                    throw new org.apache.james.mailbox.exception.MailboxNotFoundException(id);
                }
                if (alreadyDone.test(state.annotations(id.folder()))) {
                    return LoggedState.Plan.nothing(null);
                }
                return LoggedState.Plan.of(List.of(record.of(id).toEntry()), null);
            });
        } catch (MailboxException e) {
            throw new IllegalStateException("annotation of " + mailboxId + " not changed: " + e.getMessage(), e);
        }
    }
}
