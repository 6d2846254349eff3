package org.epost.post.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.post.accounts.UserKeys;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;

/**
 * The home peer's receipts, signed once for all the notifications of one recipient that one peer waits for and that
 * became durable together (one seen-ids force answers many). A receipt queued here is signed at the end of the node
 * thread's current turn, so those that complete in one run of tasks share a signature; while one signature is being
 * made off the node thread, the next ones queue behind it and share the following one. A lone receipt goes out as the
 * single {@link NotifyReceipt} it always was; several as one {@link NotifyReceipts}. Batches are per receiving peer:
 * a peer learns only of the notifications it sent or keeps. Node thread only.
 */
final class ReceiptBatcher {
    private final NotifyNode node;
    /** Receipts waiting for their signature, by recipient and receiving peer. */
    private final Map<List<Object>, Queue> queues = new HashMap<>();

    private static final class Queue {
        final UserKeys keys;
        final String recipient;
        final NodeHandle to;
        /** By hex: a receipt repeated while queued is sent once. */
        final Map<String, byte[]> ids = new LinkedHashMap<>();
        /** A flush is scheduled or a signature being made: what is added now waits for it. */
        boolean busy;

        Queue(UserKeys keys, String recipient, NodeHandle to) {
            this.keys = keys;
            this.recipient = recipient;
            this.to = to;
        }
    }

    ReceiptBatcher(NotifyNode node) {
        this.node = node;
    }

    /** Sends {@code to} the receipt for notification {@code id} of {@code recipient}, signed with its keys. */
    void add(UserKeys keys, String recipient, byte[] id, NodeHandle to) {
        Queue queue = queues.computeIfAbsent(List.of(recipient, to), key -> new Queue(keys, recipient, to));
        queue.ids.putIfAbsent(HexFormat.of().formatHex(id), id);
        if (!queue.busy) {
            queue.busy = true;
            node.onNode().execute(() -> flush(queue));
        }
    }

    /** Signs what queued (at most a batch's worth) off the node thread and sends it; then the rest, if any. */
    private void flush(Queue queue) {
        List<byte[]> taken = new ArrayList<>();
        Iterator<byte[]> queued = queue.ids.values().iterator();
        while (queued.hasNext() && taken.size() < ReceiptBatch.MAX_IDS) {
            taken.add(queued.next());
            queued.remove();
        }
        node.offload(NotifyNode.SMALL_WORK_BYTES, () -> sign(queue, taken), receipt -> {
            taken.forEach(id -> node.count("receipt-sent"));
            if (taken.size() > 1) {
                node.count("receipt-batches-sent");
            }
            node.sendTo(queue.to, receipt);
            if (queue.ids.isEmpty()) {
                queue.busy = false;
                queues.remove(List.of(queue.recipient, queue.to));
            } else {
                flush(queue);
            }
        });
    }

    private static Message sign(Queue queue, List<byte[]> ids) {
        if (ids.size() == 1) {
            return new NotifyReceipt(ids.get(0), queue.recipient, NotificationCrypto.signReceipt(
                    queue.keys.signing().getPrivate(), ids.get(0), queue.recipient));
        }
        ReceiptBatch batch = new ReceiptBatch(queue.recipient, ids);
        return new NotifyReceipts(batch.encode(), NotificationCrypto.signReceipts(queue.keys.signing().getPrivate(),
                batch));
    }
}
