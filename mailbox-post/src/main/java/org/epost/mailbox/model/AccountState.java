package org.epost.mailbox.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The materialized view of a user's account log: the folders (by id and by path), subscriptions, annotations per
 * folder, stored attachments and the user's own maximum quotas.
 *
 * <p>Never changed once made: {@link #apply} derives the next state, sharing every part the record does not touch;
 * a part it touches is copied (folders, subscriptions, annotations, quotas and extensions are small) or, for the
 * attachments, which grow with the mail, changed in a {@link PersistentSortedMap} that copies only a path. So the
 * account's log publishes each durable state to readers, who read it without a lock while the writer derives the next.
 *
 * <p>Encoded as {@code [format version 1, [[folders], [subscriptions], [[folderId, [[key, value]...]]...],
 * [attachments]]]}, the inner array followed by {@code [[resource, [] or [max]]...]} only when the user has quota
 * limits, then by {@code [[key, value]...]} only when the account has extension values (the limit list then written
 * even when empty): states of accounts without either have the same encoding as before they were recorded. The path and
 * message-id indexes are derived when decoding.
 */
public final class AccountState {
    // each part is changed only while the state is being made (decoded, or derived in apply), then never
    private TreeMap<FolderId, FolderInfo> folders = new TreeMap<>();
    private HashMap<FolderInfo.FolderPath, FolderId> byPath = new HashMap<>();
    private TreeSet<String> subscriptions = new TreeSet<>();
    /** The inner maps are never changed once in a state: a change puts a new one. */
    private TreeMap<FolderId, TreeMap<String, String>> annotations = new TreeMap<>();
    private PersistentSortedMap<String, AttachmentInfo> attachments = PersistentSortedMap.empty();
    private PersistentSortedMap<MessageKey, List<AttachmentInfo>> attachmentsByMessage = PersistentSortedMap.empty();
    private EnumMap<QuotaResource, QuotaLimit> quotaLimits = new EnumMap<>(QuotaResource.class);
    private TreeMap<String, byte[]> extensions = new TreeMap<>();

    AccountState() {
    }

    /** A state sharing every part of {@code state}, to be changed by {@link #change} before anyone reads it. */
    private AccountState(AccountState state) {
        folders = state.folders;
        byPath = state.byPath;
        subscriptions = state.subscriptions;
        annotations = state.annotations;
        attachments = state.attachments;
        attachmentsByMessage = state.attachmentsByMessage;
        quotaLimits = state.quotaLimits;
        extensions = state.extensions;
    }

    public Collection<FolderInfo> folders() {
        return Collections.unmodifiableCollection(folders.values());
    }

    public Optional<FolderInfo> folder(FolderId id) {
        return Optional.ofNullable(folders.get(id));
    }

    public Optional<FolderInfo> folder(FolderInfo.FolderPath path) {
        return Optional.ofNullable(byPath.get(path)).map(folders::get);
    }

    public Set<String> subscriptions() {
        return Collections.unmodifiableSet(subscriptions);
    }

    /** The folder's annotations, by key. */
    public SortedMap<String, String> annotations(FolderId id) {
        TreeMap<String, String> found = annotations.get(id);
        return found == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(found);
    }

    public Optional<AttachmentInfo> attachment(String attachmentId) {
        return Optional.ofNullable(attachments.get(attachmentId));
    }

    /** Every stored attachment. */
    public Collection<AttachmentInfo> attachments() {
        List<AttachmentInfo> all = new ArrayList<>(attachments.size());
        attachments.values().forEach(all::add);
        return Collections.unmodifiableList(all);
    }

    public List<AttachmentInfo> attachmentsOf(MessageKey messageId) {
        List<AttachmentInfo> found = attachmentsByMessage.get(messageId);
        return found == null ? List.of() : found;
    }

    /** The user's own maximum for {@code resource}; empty when the admin set none (the domain's or peer's apply). */
    public Optional<QuotaLimit> quotaLimit(QuotaResource resource) {
        return Optional.ofNullable(quotaLimits.get(resource));
    }

    /** The value a module keeps under {@code key} in this account (a copy); empty when it has none. */
    public Optional<byte[]> extension(String key) {
        return Optional.ofNullable(extensions.get(key)).map(byte[]::clone);
    }

    // ---------------------------------------------------------------- changes (AccountReducer only)

    /**
     * The state after {@code record}; this one is left as it was.
     *
     * @throws IllegalStateException when the record contradicts this state
     */
    AccountState apply(AccountRecord record, long seq) {
        AccountState next = new AccountState(this);
        next.change(record, seq);
        return next;
    }

    /** Changes this new state (made by the copy constructor): each part it changes is copied first. */
    private void change(AccountRecord record, long seq) {
        if (record instanceof AccountRecord.FolderCreated || record instanceof AccountRecord.FolderRenamed
            || record instanceof AccountRecord.FolderDeleted || record instanceof AccountRecord.AclSet) {
            folders = new TreeMap<>(folders);
            byPath = new HashMap<>(byPath);
        } else if (record instanceof AccountRecord.Subscribed || record instanceof AccountRecord.Unsubscribed) {
            subscriptions = new TreeSet<>(subscriptions);
        } else if (record instanceof AccountRecord.QuotaLimitSet || record instanceof AccountRecord.QuotaLimitRemoved) {
            quotaLimits = new EnumMap<>(quotaLimits);
        } else if (record instanceof AccountRecord.ExtensionSet || record instanceof AccountRecord.ExtensionRemoved) {
            extensions = new TreeMap<>(extensions);
        }
        if (record instanceof AccountRecord.FolderDeleted || record instanceof AccountRecord.AnnotationSet
            || record instanceof AccountRecord.AnnotationDeleted) {
            annotations = new TreeMap<>(annotations);
        }
        if (record instanceof AccountRecord.FolderCreated created) {
            if (folders.containsKey(created.id())) {
                throw new IllegalStateException("record " + seq + " creates folder " + created.id() + " twice");
            }
            put(new FolderInfo(created.id(), created.namespace(), created.name(), created.uidValidity(), List.of()), seq);
        } else if (record instanceof AccountRecord.FolderRenamed renamed) {
            FolderInfo old = require(renamed.id(), seq);
            byPath.remove(old.path());
            put(old.renamed(renamed.namespace(), renamed.name()), seq);
        } else if (record instanceof AccountRecord.FolderDeleted deleted) {
            FolderInfo old = require(deleted.id(), seq);
            folders.remove(old.id());
            byPath.remove(old.path());
            annotations.remove(old.id());
        } else if (record instanceof AccountRecord.AclSet set) {
            FolderInfo old = require(set.id(), seq);
            folders.put(old.id(), old.withAcl(set.acl()));
        } else if (record instanceof AccountRecord.Subscribed subscribed) {
            subscriptions.add(subscribed.mailbox());
        } else if (record instanceof AccountRecord.Unsubscribed unsubscribed) {
            subscriptions.remove(unsubscribed.mailbox());
        } else if (record instanceof AccountRecord.AnnotationSet set) {
            require(set.id(), seq);
            TreeMap<String, String> entries = new TreeMap<>(annotations.getOrDefault(set.id(), new TreeMap<>()));
            entries.put(set.key(), set.value());
            annotations.put(set.id(), entries);
        } else if (record instanceof AccountRecord.AnnotationDeleted deleted) {
            require(deleted.id(), seq);
            TreeMap<String, String> entries = annotations.get(deleted.id());
            if (entries != null) {
                entries = new TreeMap<>(entries);
                entries.remove(deleted.key());
                annotations.put(deleted.id(), entries);
                if (entries.isEmpty()) {
                    annotations.remove(deleted.id());
                }
            }
        } else if (record instanceof AccountRecord.AttachmentStored stored) {
            addAttachment(stored.attachment(), seq);
        } else if (record instanceof AccountRecord.QuotaLimitSet set) {
            quotaLimits.put(set.resource(), set.limit());
        } else if (record instanceof AccountRecord.QuotaLimitRemoved removed) {
            if (quotaLimits.remove(removed.resource()) == null) {
                throw new IllegalStateException("record " + seq + " removes the " + removed.resource()
                    + " quota limit, which is not set");
            }
        } else if (record instanceof AccountRecord.ExtensionSet set) {
            extensions.put(set.key(), set.value());
        } else if (record instanceof AccountRecord.ExtensionRemoved removed) {
            if (extensions.remove(removed.key()) == null) {
                throw new IllegalStateException("record " + seq + " removes extension " + removed.key()
                    + ", which is not set");
            }
        }
    }

    private void put(FolderInfo folder, long seq) {
        FolderId holder = byPath.get(folder.path());
        if (holder != null && !holder.equals(folder.id())) {
            throw new IllegalStateException("record " + seq + " puts folder " + folder.id() + " at " + folder.path()
                + ", held by folder " + holder);
        }
        folders.put(folder.id(), folder);
        byPath.put(folder.path(), folder.id());
    }

    private FolderInfo require(FolderId id, long seq) {
        FolderInfo folder = folders.get(id);
        if (folder == null) {
            throw new IllegalStateException("record " + seq + " names folder " + id + ", which does not exist");
        }
        return folder;
    }

    private void addAttachment(AttachmentInfo attachment, long seq) {
        if (attachments.containsKey(attachment.attachmentId())) {
            throw new IllegalStateException("record " + seq + " stores attachment " + attachment.attachmentId()
                + " twice");
        }
        attachments = attachments.put(attachment.attachmentId(), attachment);
        List<AttachmentInfo> ofMessage = new ArrayList<>(attachmentsOf(attachment.messageId()));
        ofMessage.add(attachment);
        attachmentsByMessage = attachmentsByMessage.put(attachment.messageId(), List.copyOf(ofMessage));
    }

    // ---------------------------------------------------------------- CBOR

    /** Format version of the encoded state: {@code [version, [folders, subscriptions, ...]]}. */
    static final int FORMAT_VERSION = 1;

    byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 256 + folders.size() * 96 + attachments.size() * 160,
            this::write);
    }

    private void write(CborRecordWriter out) {
        out.array(!extensions.isEmpty() ? 6 : quotaLimits.isEmpty() ? 4 : 5);
        out.list(List.copyOf(folders.values()), f -> out.array(5).bytes(f.id().toBytes()).text(f.namespace())
            .text(f.name()).number(f.uidValidity())
            .list(f.acl(), e -> out.array(2).text(e.key()).text(e.rights()).end()).end());
        out.list(List.copyOf(subscriptions), out::text);
        out.list(List.copyOf(annotations.entrySet()), folder -> out.array(2).bytes(folder.getKey().toBytes())
            .list(List.copyOf(folder.getValue().entrySet()), e -> out.array(2).text(e.getKey()).text(e.getValue()).end())
            .end());
        out.list(List.copyOf(attachments()), a -> a.write(out));
        if (!quotaLimits.isEmpty() || !extensions.isEmpty()) {
            out.list(List.copyOf(quotaLimits.entrySet()), limit -> {
                out.array(2).number(limit.getKey().code());
                limit.getValue().write(out);
                out.end();
            });
        }
        if (!extensions.isEmpty()) {
            out.list(List.copyOf(extensions.entrySet()), e -> out.array(2).text(e.getKey()).bytes(e.getValue()).end());
        }
        out.end();
    }

    static AccountState read(CborRecordReader<RecordFormatException> in) {
        AccountState state = new AccountState();
        in.beginArray();
        for (FolderInfo folder : in.list(r -> {
            r.beginArray();
            FolderInfo info = new FolderInfo(FolderId.of(r.exactBytes("folder id", FolderId.BYTES)), r.text(), r.text(),
                r.nonNegative("uidvalidity"), r.list(e -> {
                    e.beginArray();
                    AclEntry entry = new AclEntry(e.text(), e.text());
                    e.endArray();
                    return entry;
                }));
            r.endArray();
            return info;
        })) {
            if (state.byPath.containsKey(folder.path())) {
                throw new RecordFormatException("two folders at " + folder.path());
            }
            state.folders.put(folder.id(), folder);
            state.byPath.put(folder.path(), folder.id());
        }
        state.subscriptions.addAll(in.list(CborRecordReader::text));
        in.beginArray();
        while (in.hasNext()) {
            in.beginArray();
            FolderId id = FolderId.of(in.exactBytes("folder id", FolderId.BYTES));
            TreeMap<String, String> entries = new TreeMap<>();
            in.beginArray();
            while (in.hasNext()) {
                in.beginArray();
                entries.put(in.text(), in.text());
                in.endArray();
            }
            in.endArray();
            state.annotations.put(id, entries);
        }
        for (AttachmentInfo attachment : in.list(AttachmentInfo::read)) {
            state.addAttachment(attachment, -1);
        }
        if (in.hasNext()) {
            in.beginArray();
            while (in.hasNext()) {
                in.beginArray();
                QuotaResource resource = QuotaResource.ofCode(in.number());
                if (state.quotaLimits.put(resource, QuotaLimit.read(in)) != null) {
                    throw new RecordFormatException("two " + resource + " quota limits");
                }
                in.endArray();
            }
            // hasNext() reads the state array's end when it returns false; otherwise the values follow
            if (in.hasNext()) {
                readExtensions(state, in);
                in.endArray();
            }
        }
        return state;
    }

    private static void readExtensions(AccountState state, CborRecordReader<RecordFormatException> in) {
        in.beginArray();
        while (in.hasNext()) {
            in.beginArray();
            String key = in.text();
            if (state.extensions.put(key, in.bytes(AccountRecord.MAX_EXTENSION_BYTES)) != null) {
                throw new RecordFormatException("two extension values under " + key);
            }
            in.endArray();
        }
    }
}
