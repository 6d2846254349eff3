package org.epost.mailbox.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.log.LogEntry;
import org.epost.post.log.LogRecord;

/**
 * The records of a user's account log: the folder list (create, rename, delete, ACL), subscriptions, folder
 * annotations, stored attachments, the user's maximum quotas and named extension values (what modules above keep per
 * user, such as the spam block list: they follow the account when it is re-homed). Folders are named by their immutable
 * {@link FolderId}. Each record is encoded as {@code [format version 1, the record's own array]}.
 */
public sealed interface AccountRecord {
    int FOLDER_CREATED = 1;
    int FOLDER_RENAMED = 2;
    int FOLDER_DELETED = 3;
    int ACL_SET = 4;
    int SUBSCRIBED = 5;
    int UNSUBSCRIBED = 6;
    int ANNOTATION_SET = 7;
    int ANNOTATION_DELETED = 8;
    int ATTACHMENT_STORED = 9;
    int QUOTA_LIMIT_SET = 10;
    int QUOTA_LIMIT_REMOVED = 11;
    int EXTENSION_SET = 12;
    int EXTENSION_REMOVED = 13;

    /** Longest extension value: the whole value is rewritten on each change, so it stays small. */
    int MAX_EXTENSION_BYTES = 256 * 1024;

    /** Format version of every account record: {@code [version, body]}, the body the record's own array. */
    int FORMAT_VERSION = 1;

    int type();

    void write(CborRecordWriter out);

    default byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 64, this::write);
    }

    default LogEntry toEntry() {
        return new LogEntry(type(), encode());
    }

    /** @throws RecordFormatException when the record is not one of this log's, or not canonically encoded */
    static AccountRecord decode(LogRecord record) {
        CborRecordReader.Decoder<AccountRecord, RecordFormatException> decoder = switch (record.type()) {
            case FOLDER_CREATED -> in -> {
                in.beginArray();
                FolderCreated created = new FolderCreated(folderId(in), in.text(), in.text(), in.nonNegative("uidvalidity"));
                in.endArray();
                return created;
            };
            case FOLDER_RENAMED -> in -> {
                in.beginArray();
                FolderRenamed renamed = new FolderRenamed(folderId(in), in.text(), in.text());
                in.endArray();
                return renamed;
            };
            case FOLDER_DELETED -> in -> {
                in.beginArray();
                FolderDeleted deleted = new FolderDeleted(folderId(in));
                in.endArray();
                return deleted;
            };
            case ACL_SET -> in -> {
                in.beginArray();
                AclSet set = new AclSet(folderId(in), in.list(r -> {
                    r.beginArray();
                    AclEntry entry = new AclEntry(r.text(), r.text());
                    r.endArray();
                    return entry;
                }));
                in.endArray();
                return set;
            };
            case SUBSCRIBED -> in -> {
                in.beginArray();
                Subscribed subscribed = new Subscribed(in.text());
                in.endArray();
                return subscribed;
            };
            case UNSUBSCRIBED -> in -> {
                in.beginArray();
                Unsubscribed unsubscribed = new Unsubscribed(in.text());
                in.endArray();
                return unsubscribed;
            };
            case ANNOTATION_SET -> in -> {
                in.beginArray();
                AnnotationSet set = new AnnotationSet(folderId(in), in.text(), in.text());
                in.endArray();
                return set;
            };
            case ANNOTATION_DELETED -> in -> {
                in.beginArray();
                AnnotationDeleted deleted = new AnnotationDeleted(folderId(in), in.text());
                in.endArray();
                return deleted;
            };
            case ATTACHMENT_STORED -> in -> new AttachmentStored(AttachmentInfo.read(in));
            case QUOTA_LIMIT_SET -> in -> {
                in.beginArray();
                QuotaLimitSet set = new QuotaLimitSet(QuotaResource.ofCode(in.number()), QuotaLimit.read(in));
                in.endArray();
                return set;
            };
            case QUOTA_LIMIT_REMOVED -> in -> {
                in.beginArray();
                QuotaLimitRemoved removed = new QuotaLimitRemoved(QuotaResource.ofCode(in.number()));
                in.endArray();
                return removed;
            };
            case EXTENSION_SET -> in -> {
                in.beginArray();
                ExtensionSet set = new ExtensionSet(in.text(), in.bytes(MAX_EXTENSION_BYTES));
                in.endArray();
                return set;
            };
            case EXTENSION_REMOVED -> in -> {
                in.beginArray();
                ExtensionRemoved removed = new ExtensionRemoved(in.text());
                in.endArray();
                return removed;
            };
            default -> throw new RecordFormatException("record " + record.seq() + " has type " + record.type()
                + ", unknown to an account log");
        };
        return CborRecordReader.decodeCanonical(record.body(),
            "account record " + record.seq() + " (type " + record.type() + ")", RecordFormatException.FAILURES,
            in -> in.envelope(FORMAT_VERSION, "account record", decoder), AccountRecord::encode);
    }

    private static FolderId folderId(CborRecordReader<RecordFormatException> in) {
        return FolderId.of(in.exactBytes("folder id", FolderId.BYTES));
    }

    /** [folderId, namespace, name, uidValidity] */
    record FolderCreated(FolderId id, String namespace, String name, long uidValidity) implements AccountRecord {
        @Override
        public int type() {
            return FOLDER_CREATED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(4).bytes(id.toBytes()).text(namespace).text(name).number(uidValidity).end();
        }
    }

    /** [folderId, namespace, name]: the folder's new path; its log, UIDs and UIDVALIDITY stay. */
    record FolderRenamed(FolderId id, String namespace, String name) implements AccountRecord {
        @Override
        public int type() {
            return FOLDER_RENAMED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(3).bytes(id.toBytes()).text(namespace).text(name).end();
        }
    }

    /** [folderId]: the folder is gone; its log is referenced by nothing any more and expires with its lease. */
    record FolderDeleted(FolderId id) implements AccountRecord {
        @Override
        public int type() {
            return FOLDER_DELETED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(1).bytes(id.toBytes()).end();
        }
    }

    /** [folderId, [[key, rights]...]]: the folder's whole new ACL, entries sorted by key. */
    record AclSet(FolderId id, List<AclEntry> acl) implements AccountRecord {
        public AclSet {
            acl = acl.stream().sorted().toList();
        }

        @Override
        public int type() {
            return ACL_SET;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(2).bytes(id.toBytes()).list(acl, e -> out.array(2).text(e.key()).text(e.rights()).end()).end();
        }
    }

    /** [mailbox]: the user subscribed to a mailbox name (IMAP SUBSCRIBE; the name need not exist). */
    record Subscribed(String mailbox) implements AccountRecord {
        @Override
        public int type() {
            return SUBSCRIBED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(1).text(mailbox).end();
        }
    }

    /** [mailbox] */
    record Unsubscribed(String mailbox) implements AccountRecord {
        @Override
        public int type() {
            return UNSUBSCRIBED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(1).text(mailbox).end();
        }
    }

    /** [folderId, key, value]: an IMAP METADATA entry of a folder set or replaced. */
    record AnnotationSet(FolderId id, String key, String value) implements AccountRecord {
        @Override
        public int type() {
            return ANNOTATION_SET;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(3).bytes(id.toBytes()).text(key).text(value).end();
        }
    }

    /** [folderId, key] */
    record AnnotationDeleted(FolderId id, String key) implements AccountRecord {
        @Override
        public int type() {
            return ANNOTATION_DELETED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(2).bytes(id.toBytes()).text(key).end();
        }
    }

    /** An attachment James extracted while storing a message, its content already stored. */
    record AttachmentStored(AttachmentInfo attachment) implements AccountRecord {
        @Override
        public int type() {
            return ATTACHMENT_STORED;
        }

        @Override
        public void write(CborRecordWriter out) {
            attachment.write(out);
        }
    }

    /**
     * [resource, [] or [max]]: the admin set the user's maximum for a resource ({@code []}: unlimited), replacing
     * any previous one; it overrides the domain's and the peer's limits.
     */
    record QuotaLimitSet(QuotaResource resource, QuotaLimit limit) implements AccountRecord {
        public QuotaLimitSet {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(limit, "limit");
        }

        @Override
        public int type() {
            return QUOTA_LIMIT_SET;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(2).number(resource.code());
            limit.write(out);
            out.end();
        }
    }

    /** [resource]: the user's own maximum for a resource is gone; the domain's or the peer's applies again. */
    record QuotaLimitRemoved(QuotaResource resource) implements AccountRecord {
        public QuotaLimitRemoved {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public int type() {
            return QUOTA_LIMIT_REMOVED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(1).number(resource.code()).end();
        }
    }

    /**
     * [key, value]: a module's value under {@code key} (say {@code spam/blocked}) set or replaced whole. The value is
     * the module's own versioned encoding; this log only keeps it.
     */
    record ExtensionSet(String key, byte[] value) implements AccountRecord {
        public ExtensionSet {
            Objects.requireNonNull(key, "key");
            value = value.clone();
            if (value.length > MAX_EXTENSION_BYTES) {
                throw new IllegalArgumentException("extension " + key + " has " + value.length + " bytes, more than "
                    + MAX_EXTENSION_BYTES);
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public int type() {
            return EXTENSION_SET;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(2).text(key).bytes(value).end();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ExtensionSet set && key.equals(set.key) && Arrays.equals(value, set.value);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "ExtensionSet[" + key + ", " + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** [key]: the module's value under {@code key} is gone. */
    record ExtensionRemoved(String key) implements AccountRecord {
        public ExtensionRemoved {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public int type() {
            return EXTENSION_REMOVED;
        }

        @Override
        public void write(CborRecordWriter out) {
            out.array(1).text(key).end();
        }
    }
}
