package org.epost.mailbox.storage;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.FolderId;
import org.epost.mailbox.model.FolderReducer;
import org.epost.mailbox.model.FolderState;

/**
 * One folder of one user: its log (label {@code epost-mailbox/folder/<id>}) held open by this process, and the UIDs
 * and MODSEQs handed out ahead of their records.
 *
 * <p>UIDs and MODSEQs are chosen when a record is planned, under the folder's writing lock, against the acknowledged
 * state: the next UID is {@code lastUid + 1}, so UIDs appear in the order they are given and UIDNEXT only grows.
 * James also asks for UIDs and MODSEQs ahead of time ({@link #reserveUid}, {@link #reserveModSeq}) for messages it
 * saves later; such a value is kept if it is still above the acknowledged state when its record is planned, and
 * replaced otherwise. Reservations are not durable: one lost in a restart was never visible to a client.
 */
public final class Folder implements AutoCloseable {
    public static final String LABEL_PREFIX = "epost-mailbox/folder/";

    private final UserAccount account;
    private final FolderId id;
    private final LoggedState<FolderState> log;
    private final AtomicLong reservedUid = new AtomicLong();
    private final AtomicLong reservedModSeq = new AtomicLong();

    Folder(UserAccount account, FolderId id) {
        this.account = account;
        this.id = id;
        this.log = new LoggedState<>(account.storage(), LABEL_PREFIX + id.toHex(), FolderReducer.INSTANCE);
    }

    public UserAccount account() {
        return account;
    }

    public FolderId id() {
        return id;
    }

    public LoggedState<FolderState> log() {
        return log;
    }

    /** A UID for a message James will save later (UidProvider.nextUid). */
    public long reserveUid() throws MailboxException {
        long last = log.read(FolderState::lastUid);
        return reservedUid.updateAndGet(reserved -> Math.max(reserved, last) + 1);
    }

    /** A MODSEQ for a change James will make later (ModSeqProvider.nextModSeq). */
    public long reserveModSeq() throws MailboxException {
        long highest = log.read(FolderState::highestModSeq);
        return reservedModSeq.updateAndGet(reserved -> Math.max(reserved, highest) + 1);
    }

    /**
     * Under the writing lock, while planning: the UID to record for a message; {@code proposed} (a reservation, or 0)
     * when it is still above the state's last UID, else the next one. {@code planned} UIDs already given in this
     * plan are above the state too.
     */
    public long uidFor(FolderState state, long proposed, long plannedSoFar) {
        long floor = Math.max(state.lastUid(), plannedSoFar);
        long uid = proposed > floor ? proposed : floor + 1;
        reservedUid.accumulateAndGet(uid, Math::max);
        return uid;
    }

    /** Under the writing lock, while planning: the MODSEQ of a change, as {@link #uidFor} does for UIDs. */
    public long modSeqFor(FolderState state, long proposed, long plannedSoFar) {
        long floor = Math.max(state.highestModSeq(), plannedSoFar);
        long modSeq = proposed > floor ? proposed : floor + 1;
        reservedModSeq.accumulateAndGet(modSeq, Math::max);
        return modSeq;
    }

    @Override
    public void close() {
        log.close();
    }
}
